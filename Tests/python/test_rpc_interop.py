"""Interop against Python grpcio, both ways: grpcio's client against our interop-server,
and our interop-client against a grpcio TestService server."""
import subprocess

import grpc
import pytest

import interop_cases
from rpc_support import Server, binary, free_port


@pytest.fixture(scope="module")
def server():
    with Server("interop-server") as running:
        yield running


@pytest.fixture(scope="module")
def channel(server):
    with grpc.insecure_channel(server.target) as opened:
        yield opened


@pytest.mark.parametrize("case", interop_cases.CASES)
def test_grpcio_client_against_our_server(case, channel, server):
    interop_cases.run_case(case, channel)
    assert server.alive()


@pytest.fixture(scope="module")
def python_server():
    port = free_port()
    running = interop_cases.start_python_server(port)
    yield port
    running.stop(grace=None)


@pytest.mark.parametrize("case", interop_cases.CASES)
def test_our_client_against_grpcio_server(case, python_server):
    result = subprocess.run([binary("interop-client"), "--server_host=127.0.0.1", f"--server_port={python_server}",
                             f"--test_case={case}"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_our_client_against_our_server(server):
    for case in interop_cases.CASES:
        result = subprocess.run([binary("interop-client"), "--server_host=127.0.0.1", f"--server_port={server.port}",
                                 f"--test_case={case}"], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, case + ": " + result.stdout + result.stderr
