"""gRPC interop client cases (grpc/grpc doc/interop-test-descriptions.md) written
against grpcio, and a grpcio TestService server, both used by test_rpc_interop.py."""
import threading
from concurrent import futures

import grpc

from rpc_support import testing_stubs

empty_pb2, messages_pb2, test_pb2, test_pb2_grpc = testing_stubs()

SPECIAL_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"
CASES = ["empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
         "custom_metadata", "status_code_and_message", "special_status_message", "unimplemented_method",
         "unimplemented_service", "cancel_after_begin", "cancel_after_first_response",
         "timeout_on_sleeping_server"]


def payload(size):
    return messages_pb2.Payload(body=b"\x00" * size)


def run_case(name, channel):
    """Runs one case; raises AssertionError on failure."""
    stub = test_pb2_grpc.TestServiceStub(channel)
    globals()["case_" + name](stub, channel)


def case_empty_unary(stub, channel):
    assert stub.EmptyCall(empty_pb2.Empty(), timeout=10) == empty_pb2.Empty()


def case_large_unary(stub, channel):
    response = stub.UnaryCall(messages_pb2.SimpleRequest(response_size=314159, payload=payload(271828)), timeout=10)
    assert len(response.payload.body) == 314159


def case_client_streaming(stub, channel):
    sizes = [27182, 8, 1828, 45904]
    requests = (messages_pb2.StreamingInputCallRequest(payload=payload(size)) for size in sizes)
    assert stub.StreamingInputCall(requests, timeout=10).aggregated_payload_size == 74922


def case_server_streaming(stub, channel):
    sizes = [31415, 9, 2653, 58979]
    request = messages_pb2.StreamingOutputCallRequest(
        response_parameters=[messages_pb2.ResponseParameters(size=size) for size in sizes])
    assert [len(response.payload.body) for response in stub.StreamingOutputCall(request, timeout=10)] == sizes


class _Pipe:
    """A request iterator fed one message at a time."""

    def __init__(self):
        self._condition = threading.Condition()
        self._items = []
        self._closed = False

    def add(self, item):
        with self._condition:
            self._items.append(item)
            self._condition.notify()

    def close(self):
        with self._condition:
            self._closed = True
            self._condition.notify()

    def __iter__(self):
        return self

    def __next__(self):
        with self._condition:
            while not self._items and not self._closed:
                self._condition.wait()
            if self._items:
                return self._items.pop(0)
            raise StopIteration


def case_ping_pong(stub, channel):
    requests = [27182, 8, 1828, 45904]
    responses = [31415, 9, 2653, 58979]
    pipe = _Pipe()
    call = stub.FullDuplexCall(pipe, timeout=10)
    for request_size, response_size in zip(requests, responses):
        pipe.add(messages_pb2.StreamingOutputCallRequest(
            response_parameters=[messages_pb2.ResponseParameters(size=response_size)], payload=payload(request_size)))
        assert len(next(call).payload.body) == response_size
    pipe.close()
    assert list(call) == []
    assert call.code() == grpc.StatusCode.OK


def case_empty_stream(stub, channel):
    assert list(stub.FullDuplexCall(iter([]), timeout=10)) == []


def case_custom_metadata(stub, channel):
    metadata = (("x-grpc-test-echo-initial", "test_initial_metadata_value"),
                ("x-grpc-test-echo-trailing-bin", b"\xab\xab\xab"))
    response, call = stub.UnaryCall.with_call(
        messages_pb2.SimpleRequest(response_size=314159, payload=payload(271828)), metadata=metadata, timeout=10)
    assert len(response.payload.body) == 314159
    assert ("x-grpc-test-echo-initial", "test_initial_metadata_value") in call.initial_metadata()
    assert ("x-grpc-test-echo-trailing-bin", b"\xab\xab\xab") in call.trailing_metadata()
    stream = stub.FullDuplexCall(iter([messages_pb2.StreamingOutputCallRequest(
        response_parameters=[messages_pb2.ResponseParameters(size=314159)], payload=payload(271828))]),
        metadata=metadata, timeout=10)
    assert [len(item.payload.body) for item in stream] == [314159]
    assert ("x-grpc-test-echo-initial", "test_initial_metadata_value") in stream.initial_metadata()
    assert ("x-grpc-test-echo-trailing-bin", b"\xab\xab\xab") in stream.trailing_metadata()


def _expect(code, message, function):
    try:
        function()
    except grpc.RpcError as error:
        assert error.code() == code, (error.code(), error.details())
        if message is not None:
            assert error.details() == message, repr(error.details())
        return
    raise AssertionError(f"expected {code}, the call succeeded")


def case_status_code_and_message(stub, channel):
    status = messages_pb2.EchoStatus(code=2, message="test status message")
    _expect(grpc.StatusCode.UNKNOWN, "test status message",
            lambda: stub.UnaryCall(messages_pb2.SimpleRequest(response_status=status), timeout=10))
    _expect(grpc.StatusCode.UNKNOWN, "test status message",
            lambda: list(stub.FullDuplexCall(iter([messages_pb2.StreamingOutputCallRequest(response_status=status)]),
                                             timeout=10)))


def case_special_status_message(stub, channel):
    status = messages_pb2.EchoStatus(code=2, message=SPECIAL_MESSAGE)
    _expect(grpc.StatusCode.UNKNOWN, SPECIAL_MESSAGE,
            lambda: stub.UnaryCall(messages_pb2.SimpleRequest(response_status=status), timeout=10))


def case_unimplemented_method(stub, channel):
    call = channel.unary_unary("/grpc.testing.TestService/UnimplementedCall",
                               request_serializer=empty_pb2.Empty.SerializeToString,
                               response_deserializer=empty_pb2.Empty.FromString)
    _expect(grpc.StatusCode.UNIMPLEMENTED, None, lambda: call(empty_pb2.Empty(), timeout=10))


def case_unimplemented_service(stub, channel):
    unimplemented = test_pb2_grpc.UnimplementedServiceStub(channel)
    _expect(grpc.StatusCode.UNIMPLEMENTED, None, lambda: unimplemented.UnimplementedCall(empty_pb2.Empty(), timeout=10))


def case_cancel_after_begin(stub, channel):
    pipe = _Pipe()
    future = stub.StreamingInputCall.future(pipe, timeout=10)
    future.cancel()
    pipe.close()
    assert future.cancelled()
    assert future.code() == grpc.StatusCode.CANCELLED


def case_cancel_after_first_response(stub, channel):
    pipe = _Pipe()
    call = stub.FullDuplexCall(pipe, timeout=10)
    pipe.add(messages_pb2.StreamingOutputCallRequest(
        response_parameters=[messages_pb2.ResponseParameters(size=31415)], payload=payload(27182)))
    assert len(next(call).payload.body) == 31415
    call.cancel()
    pipe.close()
    assert call.code() == grpc.StatusCode.CANCELLED


def case_timeout_on_sleeping_server(stub, channel):
    pipe = _Pipe()
    call = stub.FullDuplexCall(pipe, timeout=0.001)
    pipe.add(messages_pb2.StreamingOutputCallRequest(payload=payload(27182)))
    try:
        list(call)
    except grpc.RpcError:
        pass
    pipe.close()
    assert call.code() == grpc.StatusCode.DEADLINE_EXCEEDED, call.code()


class TestService(test_pb2_grpc.TestServiceServicer):
    """grpcio's side for our interop-client: the interop spec's server behaviour."""

    @staticmethod
    def _echo(context):
        metadata = dict(context.invocation_metadata())
        if "x-grpc-test-echo-initial" in metadata:
            context.send_initial_metadata((("x-grpc-test-echo-initial", metadata["x-grpc-test-echo-initial"]),))
        if "x-grpc-test-echo-trailing-bin" in metadata:
            context.set_trailing_metadata((("x-grpc-test-echo-trailing-bin", metadata["x-grpc-test-echo-trailing-bin"]),))

    @staticmethod
    def _status(status, context):
        if status.code != 0:
            context.abort(grpc.StatusCode(next(c for c in grpc.StatusCode if c.value[0] == status.code).value),
                          status.message)

    def EmptyCall(self, request, context):
        return empty_pb2.Empty()

    def UnaryCall(self, request, context):
        self._echo(context)
        self._status(request.response_status, context)
        return messages_pb2.SimpleResponse(payload=payload(request.response_size))

    def StreamingOutputCall(self, request, context):
        self._status(request.response_status, context)
        for parameters in request.response_parameters:
            yield messages_pb2.StreamingOutputCallResponse(payload=payload(parameters.size))

    def StreamingInputCall(self, request_iterator, context):
        total = sum(len(request.payload.body) for request in request_iterator)
        return messages_pb2.StreamingInputCallResponse(aggregated_payload_size=total)

    def FullDuplexCall(self, request_iterator, context):
        self._echo(context)
        for request in request_iterator:
            self._status(request.response_status, context)
            for parameters in request.response_parameters:
                if parameters.interval_us:
                    threading.Event().wait(parameters.interval_us / 1e6)
                yield messages_pb2.StreamingOutputCallResponse(payload=payload(parameters.size))


def start_python_server(port):
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    test_pb2_grpc.add_TestServiceServicer_to_server(TestService(), server)
    server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    return server
