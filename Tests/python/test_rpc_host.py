"""The service host around every FanHeat server, checked on interop-server: health
(Check and Watch per gRPC's health-checking spec), reflection v1/v1alpha, Prometheus
metrics, JSON logs, configuration errors, and graceful shutdown on SIGTERM."""
import json
import os
import signal
import subprocess
import threading
import time
import urllib.request

import grpc
import pytest
from google.protobuf import descriptor_pb2

import interop_cases
from rpc_support import Server, binary, free_port, wait_for_port

messages_pb2 = interop_cases.messages_pb2
test_pb2_grpc = interop_cases.test_pb2_grpc


def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def field(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def parse(data):
    """Top-level fields of a protobuf message: list of (number, value)."""
    fields, index = [], 0

    def read_varint():
        nonlocal index
        result = shift = 0
        while True:
            byte = data[index]
            index += 1
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result
            shift += 7
    while index < len(data):
        key = read_varint()
        if key & 7 == 0:
            fields.append((key >> 3, read_varint()))
        elif key & 7 == 2:
            length = read_varint()
            fields.append((key >> 3, data[index:index + length]))
            index += length
        else:
            raise ValueError("unexpected wire type")
    return fields


def identity(data):
    return data


@pytest.fixture()
def server():
    with Server("interop-server", "--shutdown-grace", "5") as running:
        yield running


def health_check(channel, service):
    check = channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=identity, response_deserializer=identity)
    response = check(field(1, service.encode()) if service else b"", timeout=5)
    return dict(parse(response)).get(1, 0)


def test_health_check(server):
    with grpc.insecure_channel(server.target) as channel:
        assert health_check(channel, "") == 1
        assert health_check(channel, "grpc.testing.TestService") == 1
        with pytest.raises(grpc.RpcError) as error:
            health_check(channel, "no.such.Service")
        assert error.value.code() == grpc.StatusCode.NOT_FOUND


def test_health_watch_unknown_service_then_shutdown(server):
    with grpc.insecure_channel(server.target) as channel:
        watch = channel.unary_stream("/grpc.health.v1.Health/Watch", request_serializer=identity,
                                     response_deserializer=identity)
        unknown = watch(field(1, b"no.such.Service"), timeout=10)
        assert dict(parse(next(unknown))).get(1) == 3
        unknown.cancel()
        overall = watch(b"", timeout=10)
        assert dict(parse(next(overall))).get(1) == 1
        server.process.send_signal(signal.SIGTERM)
        assert dict(parse(next(overall))).get(1) == 2
        with pytest.raises((grpc.RpcError, StopIteration)):
            next(overall)
    assert server.process.wait(timeout=10) == 0


def reflection(channel, version, request):
    info = channel.stream_stream(f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
                                 request_serializer=identity, response_deserializer=identity)
    return [dict(parse(item)) if False else parse(item) for item in info(iter([request]), timeout=5)][0]


@pytest.mark.parametrize("version", ["v1", "v1alpha"])
def test_reflection_lists_and_describes(server, version):
    with grpc.insecure_channel(server.target) as channel:
        listed = dict(reflection(channel, version, field(7, b"")))
        names = sorted(dict(parse(entry))[1].decode() for _, entry in parse(listed[6]))
        assert "grpc.testing.TestService" in names
        assert "grpc.health.v1.Health" in names
        assert f"grpc.reflection.{version}.ServerReflection" in names

        answer = dict(reflection(channel, version, field(4, b"grpc.testing.TestService")))
        files = [descriptor_pb2.FileDescriptorProto.FromString(blob) for _, blob in parse(answer[4])]
        by_name = {file.name: file for file in files}
        assert "grpc/testing/test.proto" in by_name
        assert "grpc/testing/messages.proto" in by_name, "dependencies are included"
        assert [service.name for service in by_name["grpc/testing/test.proto"].service][0] == "TestService"

        method = dict(reflection(channel, version, field(4, b"grpc.testing.TestService.UnaryCall")))
        assert 4 in method
        by_file = dict(reflection(channel, version, field(3, b"grpc/health/v1/health.proto")))
        health = descriptor_pb2.FileDescriptorProto.FromString(parse(by_file[4])[0][1])
        assert health.package == "grpc.health.v1"
        missing = dict(reflection(channel, version, field(4, b"no.Such")))
        assert dict(parse(missing[7]))[1] == 5


def test_metrics_and_json_logs(server):
    with grpc.insecure_channel(server.target) as channel:
        stub = test_pb2_grpc.TestServiceStub(channel)
        for _ in range(5):
            stub.UnaryCall(messages_pb2.SimpleRequest(response_size=10), timeout=5)
        with pytest.raises(grpc.RpcError):
            stub.UnaryCall(messages_pb2.SimpleRequest(response_status=messages_pb2.EchoStatus(code=5, message="x")),
                           timeout=5)
    text = urllib.request.urlopen(f"http://127.0.0.1:{server.metrics_port}/metrics", timeout=5).read().decode()
    assert 'fanheat_rpc_server_calls_total{method="/grpc.testing.TestService/UnaryCall",code="OK"} 5' in text
    assert 'fanheat_rpc_server_calls_total{method="/grpc.testing.TestService/UnaryCall",code="NOT_FOUND"} 1' in text
    assert 'fanheat_rpc_server_latency_seconds_count{method="/grpc.testing.TestService/UnaryCall"} 6' in text
    assert 'fanheat_rpc_server_in_flight{method="/grpc.testing.TestService/UnaryCall"} 0' in text
    assert 'fanheat_rpc_server_sent_bytes_total{method="/grpc.testing.TestService/UnaryCall"}' in text
    assert "fanheat_rpc_server_connections" in text
    # Event-loop idle time: an idle server's loops wait for input (almost) all the time.
    def gauge(page, name):
        return float(next(line.split()[1] for line in page.splitlines() if line.startswith(name + " ")))
    loops = gauge(text, "fanheat_event_loops")
    assert loops >= 1
    idle_before, started = gauge(text, "fanheat_event_loop_idle_seconds_total"), time.monotonic()
    time.sleep(1.0)
    text = urllib.request.urlopen(f"http://127.0.0.1:{server.metrics_port}/metrics", timeout=5).read().decode()
    idle_after, elapsed = gauge(text, "fanheat_event_loop_idle_seconds_total"), time.monotonic() - started
    assert 0.7 * loops * elapsed <= idle_after - idle_before <= loops * elapsed + 0.05
    server.stop()
    lines = [line for line in server.log_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    assert any(record["msg"] == "serving" for record in records)
    assert any(record.get("code") == "NOT_FOUND" and record["msg"] == "rpc" for record in records)
    assert all({"ts", "level", "service", "msg"} <= record.keys() for record in records)


def test_sigterm_drains_in_flight_calls(server):
    with grpc.insecure_channel(server.target) as channel:
        stub = test_pb2_grpc.TestServiceStub(channel)
        request = messages_pb2.StreamingOutputCallRequest(response_parameters=[
            messages_pb2.ResponseParameters(size=10, interval_us=200_000) for _ in range(5)])
        call = stub.StreamingOutputCall(request, timeout=10)
        next(call)
        started = time.time()
        server.process.send_signal(signal.SIGTERM)
        remaining = list(call)
        assert len(remaining) == 4
        assert call.code() == grpc.StatusCode.OK
    assert server.process.wait(timeout=10) == 0
    assert time.time() - started < 5
    assert "drained" in server.log_text()


def test_second_signal_exits_at_once(server):
    with grpc.insecure_channel(server.target) as channel:
        stub = test_pb2_grpc.TestServiceStub(channel)
        request = messages_pb2.StreamingOutputCallRequest(response_parameters=[
            messages_pb2.ResponseParameters(size=10, interval_us=1_000_000) for _ in range(30)])
        call = stub.StreamingOutputCall(request, timeout=60)
        next(call)
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        assert server.alive(), "the first signal waits for the call to drain"
        started = time.time()
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=5) == 1
        assert time.time() - started < 2
        call.cancel()


@pytest.mark.parametrize("arguments, message", [
    (["--listen", "nowhere"], "--listen"),
    (["--listen", "127.0.0.1:99999"], "--listen"),
    (["--bogus"], "--bogus"),
    (["--log-level", "loud"], "--log-level"),
    (["--metrics-listen", "x"], "--metrics-listen"),
    (["--data-dir", "/proc/version"], "--data-dir"),
])
def test_bad_configuration_exits_2(arguments, message):
    result = subprocess.run([binary("interop-server"), *arguments], capture_output=True, text=True, timeout=20)
    assert result.returncode == 2
    assert message in result.stderr


def test_help_exits_0():
    result = subprocess.run([binary("interop-server"), "--help"], capture_output=True, text=True, timeout=20)
    assert result.returncode == 0
    assert "--listen HOST:PORT" in result.stdout


@pytest.mark.parametrize("loops", ["0", "many", "1000"])
def test_bad_event_loop_count_exits_2(loops):
    env = dict(os.environ, FANHEAT_EVENT_LOOPS=loops)
    result = subprocess.run([binary("interop-server"), "--listen", "127.0.0.1:0"], capture_output=True, text=True,
                            timeout=20, env=env)
    assert result.returncode == 2
    assert "FANHEAT_EVENT_LOOPS" in result.stderr


def test_one_event_loop_serves():
    env = dict(os.environ, FANHEAT_EVENT_LOOPS="1")
    port = free_port()
    process = subprocess.Popen([binary("interop-server"), "--listen", f"127.0.0.1:{port}", "--metrics-listen", "off"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process=process)
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = test_pb2_grpc.TestServiceStub(channel)
            for _ in range(3):
                assert len(stub.UnaryCall(messages_pb2.SimpleRequest(response_size=5), timeout=10).payload.body) == 5
    finally:
        process.terminate()
        assert process.wait(timeout=15) == 0
