"""The run command and the demo, end to end: `scripts/run-stack.sh` starts every service on
loopback with embedded storage in a temporary data directory, `scripts/demo.sh` creates a
demo club, key and members, sends activities with `fanheat activity send`, pushes a short
synthetic load with `fanheat-load` and reads the club's activities back with
`fanheat activity tail`. Then the stack stops on SIGTERM and every service exits cleanly.
The same checks a user does by eye after `make up`.
"""
import json
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time

ROOT = pathlib.Path(os.environ.get("FANHEAT_ROOT", pathlib.Path(__file__).resolve().parents[2]))
BIN = pathlib.Path(os.environ.get("FANHEAT_BIN_DIR", ROOT / ".build" / "debug"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_run_stack_then_demo_then_cli_then_graceful_stop():
    data = pathlib.Path(tempfile.mkdtemp(prefix="fh-stack-"))
    identity, ingest = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"
    env = dict(os.environ, FANHEAT_DATA_DIR=str(data), FANHEAT_IDENTITY_ADDR=identity, FANHEAT_INGEST_ADDR=ingest,
               FANHEAT_BUILD=BIN.name, PYTHON=os.environ.get("PYTHON", "python3"))
    env.pop("FANHEAT_ADMIN_KEY", None)
    env.pop("FANHEAT_API_KEY", None)
    stack = subprocess.Popen([str(ROOT / "scripts" / "run-stack.sh")], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = stack.stdout.readline()
            assert line, "run-stack exited early:\n" + "".join(lines)
            lines.append(line)
            if "all services up" in line:
                break
        assert any(f"identity serving on {identity}" in l for l in lines), lines
        assert any(f"activity-ingest serving on {ingest}" in l for l in lines), lines
        admin_key = (data / "admin.key").read_text().strip()
        assert len(admin_key) >= 16 and oct((data / "admin.key").stat().st_mode)[-3:] == "600"

        demo = subprocess.run([str(ROOT / "scripts" / "demo.sh")], env=dict(env, FANHEAT_DEMO_LOAD_CALLS="20"),
                              capture_output=True, text=True, timeout=120)
        assert demo.returncode == 0, demo.stdout + demo.stderr
        out = demo.stdout
        assert "aiko joined: membership number 1" in out and "emi joined: membership number 5" in out, out
        assert out.count("accepted 1, duplicates 0") == 6, out
        assert "accepted 0, duplicates 1" in out, out  # the resent demo-1
        assert 'member_id: "stranger" is not an active member' in out, out
        assert "20 calls" in out and "errors      none" in out, out
        tail_rows = [l.split("\t") for l in out.splitlines() if l.count("\t") >= 6]
        assert [row[6] for row in tail_rows] == [f"demo-{i}" for i in range(1, 7)], out
        assert ["3", tail_rows[3][1], "ben", "purchase", "tshirt-black-l", "4500 JPY", "demo-4"] == tail_rows[3]

        # The CLI with --json, using the key demo.sh kept for the user.
        club, key = None, None
        for line in (data / "demo.env").read_text().splitlines():
            name, value = line.removeprefix("export ").split("=", 1)
            club, key = (value, key) if name == "FANHEAT_DEMO_CLUB" else (club, value)
        cli_env = dict(env, FANHEAT_API_KEY=key)
        sent = subprocess.run([str(BIN / "fanheat"), "activity", "send", "--club", club, "--member", "emi", "--kind",
                               "ACTIVITY_KIND_FEEDBACK", "--attribute", "score=9", "--json"],
                              env=cli_env, capture_output=True, text=True, timeout=30)
        assert sent.returncode == 0, sent.stderr
        sent_json = json.loads(sent.stdout)
        assert sent_json["accepted"] == 1 and sent_json["last_offset"] >= 6 and sent_json["event_id"].startswith("cli-")
        tail = subprocess.run([str(BIN / "fanheat"), "activity", "tail", "--from", str(sent_json["last_offset"]), "--json"],
                              env=cli_env, capture_output=True, text=True, timeout=30)
        assert tail.returncode == 0, tail.stderr
        [stored] = json.loads(tail.stdout)["activities"]
        assert stored["kind"] == "feedback" and stored["member_id"] == "emi" and stored["attributes"] == {"score": "9"}
        bad_kind = subprocess.run([str(BIN / "fanheat"), "activity", "send", "--club", club, "--member", "emi", "--kind", "dance"],
                                  env=cli_env, capture_output=True, text=True, timeout=30)
        assert bad_kind.returncode == 2 and "--kind dance is not one of" in bad_kind.stderr
        no_key = subprocess.run([str(BIN / "fanheat"), "activity", "send", "--club", club, "--member", "emi", "--kind", "login",
                                 "--api-key", "fh_live_0000000000000000_nope"], env=env, capture_output=True, text=True, timeout=30)
        assert no_key.returncode == 1 and "UNAUTHENTICATED" in no_key.stderr, no_key.stderr
    finally:
        stack.send_signal(signal.SIGTERM)
        try:
            rest = stack.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
            raise
    assert "run-stack: stopping" in rest, rest
    for service in ("identity", "activity-ingest"):
        log = (data / "logs" / f"{service}.log").read_text()
        assert '"msg":"stopped"' in log, log[-2000:]
