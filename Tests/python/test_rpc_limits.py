"""Protocol limits of our gRPC server, judged by real peers (grpcio and raw h2): the message
size limit, compression we do not support, header list size, ping policing
(GOAWAY ENHANCE_YOUR_CALM "too_many_pings"), a deadline shorter than the handler, and a
second server on a taken port. After each, the server still serves normal calls."""
import socket
import subprocess
import time

import grpc
import h2.events
import pytest

import interop_cases
from rpc_support import binary
from test_rpc_abuse import connect, h2_client, handshake, request_headers, server, still_serving  # noqa: F401 (fixtures)

messages_pb2 = interop_cases.messages_pb2
test_pb2_grpc = interop_cases.test_pb2_grpc
UNARY = "/grpc.testing.TestService/UnaryCall"
ENHANCE_YOUR_CALM = 0xB


def stub(server, **options):
    channel = grpc.insecure_channel(server.target, options=list(options.items()))
    return channel, test_pb2_grpc.TestServiceStub(channel)


def test_request_over_four_mebibytes_is_resource_exhausted(server):
    channel, client = stub(server, **{"grpc.max_send_message_length": 64 << 20})
    with channel:
        request = messages_pb2.SimpleRequest(payload=messages_pb2.Payload(body=b"x" * (5 << 20)))
        with pytest.raises(grpc.RpcError) as failure:
            client.UnaryCall(request, timeout=20)
        assert failure.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        assert "4194304" in failure.value.details(), failure.value.details()
        # Just under the limit is fine.
        request = messages_pb2.SimpleRequest(response_size=1, payload=messages_pb2.Payload(body=b"x" * ((4 << 20) - 64)))
        assert len(client.UnaryCall(request, timeout=20).payload.body) == 1


def test_gzip_compressed_request_is_unimplemented(server):
    channel, client = stub(server)
    with channel:
        request = messages_pb2.SimpleRequest(response_size=3, payload=messages_pb2.Payload(body=b"a" * 1000))
        with pytest.raises(grpc.RpcError) as failure:
            client.UnaryCall(request, timeout=10, compression=grpc.Compression.Gzip)
        assert failure.value.code() == grpc.StatusCode.UNIMPLEMENTED
        assert "gzip" in failure.value.details(), failure.value.details()


def test_huge_header_list_is_refused(server):
    channel, client = stub(server)
    with channel:
        metadata = [(f"x-big-{i}", "v" * 1000) for i in range(40)]  # ~40 KiB > the 16 KiB limit
        with pytest.raises(grpc.RpcError) as failure:
            client.UnaryCall(messages_pb2.SimpleRequest(response_size=1), metadata=metadata, timeout=10)
        assert failure.value.code() in (grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.INTERNAL,
                                        grpc.StatusCode.UNAVAILABLE), failure.value


def test_ping_flood_gets_goaway_too_many_pings(server):
    sock = connect(server)
    client = h2_client()
    sock.sendall(client.data_to_send())
    handshake(client, sock)
    goaways = []
    for index in range(10):
        client.ping(index.to_bytes(8, "big"))
        try:
            sock.sendall(client.data_to_send())
        except (BrokenPipeError, ConnectionResetError):
            break
        # Read what the server answered (PING ACKs, then GOAWAY) before sending the next one,
        # so the GOAWAY is consumed before the server closes the connection.
        sock.settimeout(0.1)
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                goaways += [e for e in client.receive_data(data) if isinstance(e, h2.events.ConnectionTerminated)]
        except (socket.timeout, ConnectionResetError):
            pass
        if goaways:
            break
    sock.close()
    assert goaways, "no GOAWAY after a ping flood"
    assert goaways[0].error_code == ENHANCE_YOUR_CALM
    assert goaways[0].additional_data == b"too_many_pings"


def test_pings_answered_while_calls_are_active(server):
    """Pings with data flowing in between are fine (no strike)."""
    channel, client = stub(server, **{"grpc.keepalive_time_ms": 10000})
    with channel:
        for _ in range(20):
            assert len(client.UnaryCall(messages_pb2.SimpleRequest(response_size=2), timeout=10).payload.body) == 2


def test_deadline_shorter_than_the_handler(server):
    channel, client = stub(server)
    with channel:
        # FullDuplexCall with a response delayed by 2 s against a 200 ms deadline.
        def requests():
            yield messages_pb2.StreamingOutputCallRequest(
                response_parameters=[messages_pb2.ResponseParameters(size=1, interval_us=2_000_000)])
        started = time.monotonic()
        with pytest.raises(grpc.RpcError) as failure:
            list(client.FullDuplexCall(requests(), timeout=0.2))
        assert failure.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
        assert time.monotonic() - started < 1.5


def test_second_server_on_a_taken_port_fails_fast(server):
    taken = subprocess.run([binary("interop-server"), "--listen", server.target, "--metrics-listen", "off"],
                           capture_output=True, text=True, timeout=20)
    assert taken.returncode != 0
    assert "in use" in (taken.stdout + taken.stderr), taken.stdout + taken.stderr


def test_raw_request_with_unknown_encoding_gets_trailers_only_unimplemented(server):
    sock = connect(server)
    client = h2_client()
    sock.sendall(client.data_to_send())
    handshake(client, sock)
    client.send_headers(1, request_headers(UNARY, [("grpc-encoding", "snappy")]), end_stream=False)
    client.send_data(1, b"\x01\x00\x00\x00\x01x", end_stream=True)
    sock.sendall(client.data_to_send())
    headers = {}
    deadline = time.time() + 5
    while time.time() < deadline and "grpc-status" not in headers:
        data = sock.recv(65536)
        if not data:
            break
        for event in client.receive_data(data):
            if isinstance(event, (h2.events.ResponseReceived, h2.events.TrailersReceived)):
                headers.update(dict(event.headers))
    sock.close()
    assert headers.get("grpc-status") == "12", headers
    assert "snappy" in headers.get("grpc-message", ""), headers
