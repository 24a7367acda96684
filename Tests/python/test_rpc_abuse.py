"""Abuse of our gRPC server with raw sockets and the `h2` library: garbage, invalid
frames, header floods, resets mid-message, a client that never reads, 1,000 concurrent
streams, 200 connections. After each, the server is still up, its memory bounded, and a
normal grpcio client is still served."""
import os
import socket
import struct
import threading
import time

import grpc
import h2.config
import h2.connection
import h2.events
import h2.settings
import pytest

import interop_cases
from rpc_support import Server

messages_pb2 = interop_cases.messages_pb2
test_pb2_grpc = interop_cases.test_pb2_grpc
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
UNARY = "/grpc.testing.TestService/UnaryCall"
STREAMING = "/grpc.testing.TestService/StreamingOutputCall"


@pytest.fixture(scope="module")
def server():
    with Server("interop-server") as running:
        yield running


@pytest.fixture(autouse=True)
def still_serving(server):
    yield
    assert server.alive(), server.log_text()[-2000:]
    with grpc.insecure_channel(server.target) as channel:
        response = test_pb2_grpc.TestServiceStub(channel).UnaryCall(messages_pb2.SimpleRequest(response_size=7), timeout=10)
        assert len(response.payload.body) == 7


def grpc_frame(message):
    body = message.SerializeToString()
    return b"\x00" + struct.pack(">I", len(body)) + body


def request_headers(path, extra=()):
    return [(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "localhost"),
            ("content-type", "application/grpc"), ("te", "trailers"), *extra]


def send_data(client, stream_id, data, end_stream=False):
    """Sends `data` in frames of at most 16 KiB (the default maximum frame size)."""
    for offset in range(0, len(data), 16384):
        last = offset + 16384 >= len(data)
        client.send_data(stream_id, data[offset:offset + 16384], end_stream=end_stream and last)


def handshake(client, sock):
    """Reads the server's SETTINGS and window update into `client`."""
    data = sock.recv(65536)
    client.receive_data(data)
    sock.sendall(client.data_to_send())


def connect(server):
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.settimeout(10)
    return sock


def h2_client(window=None):
    connection = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    connection.local_settings = h2.settings.Settings(client=True, initial_values={
        h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: 2000,
        h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: window or 65535})
    connection.initiate_connection()
    return connection


def read_until_closed(sock, limit=5.0):
    """Reads until the server closes the connection; returns everything read."""
    data = b""
    deadline = time.time() + limit
    while time.time() < deadline:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, socket.timeout):
            break
        if not chunk:
            break
        data += chunk
    return data


def goaway_error_codes(data):
    """Error codes of GOAWAY frames in raw server output (after its SETTINGS)."""
    codes, index = [], 0
    while index + 9 <= len(data):
        length = int.from_bytes(data[index:index + 3], "big")
        kind = data[index + 3]
        if kind == 7 and index + 9 + 8 <= len(data):
            codes.append(int.from_bytes(data[index + 13:index + 17], "big"))
        index += 9 + length
    return codes


def test_garbage_preface_is_dropped(server):
    for garbage in (os.urandom(4096), b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"\x00" * 100):
        sock = connect(server)
        sock.sendall(garbage)
        read_until_closed(sock)
        sock.close()


def test_invalid_frames_get_goaway(server):
    cases = [
        struct.pack(">I", 8)[1:] + bytes([0, 0]) + struct.pack(">I", 0) + b"12345678",   # DATA on stream 0
        struct.pack(">I", 3)[1:] + bytes([4, 0]) + struct.pack(">I", 0) + b"abc",        # SETTINGS of bad length
        struct.pack(">I", 4)[1:] + bytes([8, 0]) + struct.pack(">I", 0) + struct.pack(">I", 0),  # WINDOW_UPDATE 0
        struct.pack(">I", 1 << 20)[1:] + bytes([0, 0]) + struct.pack(">I", 1) + b"x" * 100,  # oversized frame
    ]
    for frame in cases:
        sock = connect(server)
        sock.sendall(PREFACE + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00" + frame)
        data = read_until_closed(sock)
        sock.close()
        assert goaway_error_codes(data), "expected a GOAWAY for an invalid frame"
        assert goaway_error_codes(data)[-1] != 0


def test_header_flood_is_refused_not_buffered(server):
    client = h2_client()
    sock = connect(server)
    sock.sendall(client.data_to_send())
    huge = [(f"x-flood-{index}", "v" * 100) for index in range(2000)]
    client.send_headers(1, request_headers(UNARY, huge), end_stream=True)
    sock.sendall(client.data_to_send())
    status = None
    deadline = time.time() + 10
    try:
        while status is None and time.time() < deadline:
            data = sock.recv(65536)
            if not data:
                status = "closed"
                break
            for event in client.receive_data(data):
                if isinstance(event, (h2.events.ResponseReceived, h2.events.TrailersReceived)):
                    status = dict(event.headers).get("grpc-status", status)
                if isinstance(event, h2.events.StreamReset):
                    status = "reset"
                if isinstance(event, h2.events.ConnectionTerminated):
                    status = f"goaway {event.error_code}"
            sock.sendall(client.data_to_send())
    except ConnectionResetError:
        status = "closed"
    sock.close()
    # The header block is refused one way or another; it is never served or buffered.
    assert status is not None and status != "0", status
    print("header flood outcome:", status)


def test_rapid_stream_open_and_reset(server):
    before = server.rss_kib()
    client = h2_client()
    sock = connect(server)
    sock.sendall(client.data_to_send())
    stream_id = 1
    for _ in range(5000):
        client.send_headers(stream_id, request_headers(UNARY))
        client.reset_stream(stream_id)
        stream_id += 2
    sock.sendall(client.data_to_send())
    read_until_closed(sock, limit=2)
    sock.close()
    assert server.rss_kib() - before < 100_000


def test_reset_in_the_middle_of_a_message(server):
    client = h2_client()
    sock = connect(server)
    sock.sendall(client.data_to_send())
    handshake(client, sock)
    body = grpc_frame(messages_pb2.SimpleRequest(response_size=10, payload=messages_pb2.Payload(body=b"x" * 50000)))
    for stream_id in range(1, 200, 2):
        client.send_headers(stream_id, request_headers(UNARY))
        send_data(client, stream_id, body[: len(body) // 2])
        client.reset_stream(stream_id)
    sock.sendall(client.data_to_send())
    time.sleep(0.3)
    sock.close()


def test_non_grpc_content_type_gets_415(server):
    client = h2_client()
    sock = connect(server)
    sock.sendall(client.data_to_send())
    headers = [h for h in request_headers(UNARY) if h[0] != "content-type"] + [("content-type", "application/json")]
    client.send_headers(1, headers, end_stream=True)
    sock.sendall(client.data_to_send())
    status = None
    while status is None:
        for event in client.receive_data(sock.recv(65536)):
            if isinstance(event, h2.events.ResponseReceived):
                status = dict(event.headers)[":status"]
    sock.close()
    assert status == "415"


def test_client_that_never_reads_does_not_grow_server_memory(server):
    before = server.rss_kib()
    client = h2_client(window=2 ** 31 - 1)
    client.increment_flow_control_window(2 ** 30)
    sock = connect(server)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall(client.data_to_send())
    request = grpc_frame(messages_pb2.StreamingOutputCallRequest(
        response_parameters=[messages_pb2.ResponseParameters(size=1_000_000) for _ in range(50)]))
    for stream_id in range(1, 41, 2):
        client.send_headers(stream_id, request_headers(STREAMING))
        send_data(client, stream_id, request, end_stream=True)
    unary = grpc_frame(messages_pb2.SimpleRequest(response_size=100_000))
    for stream_id in range(41, 1041, 2):
        client.send_headers(stream_id, request_headers(UNARY))
        send_data(client, stream_id, unary, end_stream=True)
    sock.setblocking(False)
    payload = client.data_to_send()
    sent, deadline = 0, time.time() + 3
    while sent < len(payload) and time.time() < deadline:
        try:
            sent += sock.send(payload[sent:])
        except BlockingIOError:
            time.sleep(0.01)
    time.sleep(2)
    grown = server.rss_kib() - before
    sock.close()
    print(f"never-reading client: server RSS grew by {grown} KiB")
    # 20 streams asked for 1 GB of responses and 500 more for 50 MB; none of it is read.
    assert grown < 250_000, f"server RSS grew by {grown} KiB"


def test_thousand_concurrent_streams_on_one_connection(server):
    client = h2_client(window=2 ** 31 - 1)
    client.increment_flow_control_window(2 ** 30)
    sock = connect(server)
    sock.sendall(client.data_to_send())
    body = grpc_frame(messages_pb2.SimpleRequest(response_size=100))
    streams = list(range(1, 2001, 2))
    for stream_id in streams:
        client.send_headers(stream_id, request_headers(UNARY))
        send_data(client, stream_id, body, end_stream=True)
    sock.sendall(client.data_to_send())
    statuses = {}
    deadline = time.time() + 20
    while len(statuses) < len(streams) and time.time() < deadline:
        data = sock.recv(1 << 20)
        if not data:
            break
        for event in client.receive_data(data):
            if isinstance(event, h2.events.TrailersReceived):
                statuses[event.stream_id] = dict(event.headers).get("grpc-status")
            elif isinstance(event, h2.events.StreamReset):
                statuses[event.stream_id] = "reset"
            elif isinstance(event, h2.events.DataReceived):
                client.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        sock.sendall(client.data_to_send())
    sock.close()
    assert len(statuses) == len(streams)
    assert all(status == "0" for status in statuses.values()), set(statuses.values())


def test_two_hundred_connections(server):
    errors = []

    def one_client():
        try:
            with grpc.insecure_channel(server.target) as channel:
                stub = test_pb2_grpc.TestServiceStub(channel)
                for _ in range(3):
                    assert len(stub.UnaryCall(messages_pb2.SimpleRequest(response_size=10), timeout=20).payload.body) == 10
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    raw = []
    for _ in range(150):
        sock = connect(server)
        sock.sendall(PREFACE + b"\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        raw.append(sock)
    threads = [threading.Thread(target=one_client) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for sock in raw:
        sock.close()
    assert errors == []
