"""Shared helpers for the RPC test suites: Python stubs for grpc.testing generated
from the repository's protos, free ports, and starting/stopping our binaries."""
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(os.environ.get("FANHEAT_ROOT", pathlib.Path(__file__).resolve().parents[2]))


def binary(name):
    """Path of one of our executables (FANHEAT_BIN, else the debug build)."""
    directory = os.environ.get("FANHEAT_BIN") or str(ROOT / ".build" / "debug")
    path = pathlib.Path(directory) / name
    if not path.exists():
        raise RuntimeError(f"{path} not found; build it first (swift build --product {name})")
    return str(path)


_STUBS = None


def testing_stubs():
    """Imports (empty_pb2, messages_pb2, test_pb2, test_pb2_grpc) for grpc.testing.

    The protos are copied under a package directory named `fhtesting` (same proto
    package, so the wire paths are unchanged) so their modules do not clash with the
    installed `grpc` package."""
    global _STUBS
    if _STUBS is not None:
        return _STUBS
    from grpc_tools import protoc
    out = pathlib.Path(tempfile.mkdtemp(prefix="fh-stubs-"))
    source = out / "protos" / "fhtesting"
    source.mkdir(parents=True)
    for name in ("empty.proto", "messages.proto", "test.proto"):
        text = (ROOT / "Shared" / "Protos" / "grpc" / "testing" / name).read_text()
        text = re.sub(r'import "grpc/testing/', 'import "fhtesting/', text)
        (source / name).write_text(text)
    (out / "fhtesting").mkdir()
    (out / "fhtesting" / "__init__.py").write_text("")
    args = ["protoc", f"-I{out / 'protos'}", f"--python_out={out}", f"--grpc_python_out={out}"]
    args += [str(source / name) for name in ("empty.proto", "messages.proto", "test.proto")]
    if protoc.main(args) != 0:
        raise RuntimeError("protoc failed for grpc.testing")
    sys.path.insert(0, str(out))
    from fhtesting import empty_pb2, messages_pb2, test_pb2, test_pb2_grpc
    _STUBS = (empty_pb2, messages_pb2, test_pb2, test_pb2_grpc)
    return _STUBS


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=20.0, process=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port} after {timeout}s")


class Server:
    """Runs one of our servers on a free port; stops it (by PID) on exit."""

    def __init__(self, name, *extra):
        for attempt in range(3):
            self.port = free_port()
            self.metrics_port = free_port()
            self.log = tempfile.NamedTemporaryFile(prefix=f"{name}-", suffix=".log", delete=False)
            self.process = subprocess.Popen(
                [binary(name), "--listen", f"127.0.0.1:{self.port}",
                 "--metrics-listen", f"127.0.0.1:{self.metrics_port}", *extra],
                stdout=self.log, stderr=subprocess.STDOUT)
            try:
                wait_for_port(self.port, process=self.process)
                break
            except RuntimeError:
                if self.process.poll() is None or attempt == 2:
                    self.stop()
                    raise RuntimeError(f"{name} did not start: {self.log_text()}")
        self.target = f"127.0.0.1:{self.port}"

    def rss_kib(self):
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def alive(self):
        return self.process.poll() is None

    def log_text(self):
        self.log.flush()
        return pathlib.Path(self.log.name).read_text(errors="replace")

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
