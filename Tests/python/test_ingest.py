"""activity-ingest against real `identity` and `activity-ingest` processes on loopback,
through grpcio.

Covers per-activity validation, batch limits, authentication (missing, unknown, revoked
keys), club scoping, membership checks fed by WatchMemberships, idempotency across a
restart, IngestStream summaries, Subscribe (replay, tail, club filtering, OUT_OF_RANGE
before retention and beyond the end) and the crash test: kill -9 under load, restart,
and every acknowledged activity present exactly once in the log.
"""
import collections
import os
import pathlib
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import grpc
import pytest

ROOT = pathlib.Path(os.environ.get("FANHEAT_ROOT", pathlib.Path(__file__).resolve().parents[2]))
BIN = pathlib.Path(os.environ.get("FANHEAT_BIN_DIR", ROOT / ".build" / "debug"))
ADMIN_KEY = "ingest-admin-" + secrets.token_hex(16)


def _generate_stubs():
    from grpc_tools import protoc
    out = tempfile.mkdtemp(prefix="fh-ingest-stubs-")
    status = protoc.main(["protoc", f"-I{ROOT / 'Shared' / 'Protos'}", f"--python_out={out}", f"--grpc_python_out={out}",
                          "fanheat/ingest/v1/ingest.proto", "fanheat/identity/v1/identity.proto"])
    assert status == 0, "protoc failed"
    sys.path.insert(0, out)
    from fanheat.identity.v1 import identity_pb2, identity_pb2_grpc  # noqa: E402
    from fanheat.ingest.v1 import ingest_pb2, ingest_pb2_grpc  # noqa: E402
    return identity_pb2, identity_pb2_grpc, ingest_pb2, ingest_pb2_grpc


ipb, ipb_grpc, pb, pb_grpc = _generate_stubs()
Code = grpc.StatusCode


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bearer(key):
    return [("authorization", f"Bearer {key}")]


def now_ms():
    return int(time.time() * 1000)


class Process:
    """A service process with its own log file; stopped by PID."""

    def __init__(self, name, args, env, log_dir):
        self.name, self.args, self.env = name, args, env
        self.log_path = pathlib.Path(log_dir) / f"{name}-{secrets.token_hex(3)}.log"
        self.process = None

    def start(self):
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen([str(BIN / self.name), *self.args], env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()

    def stop(self):
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.send_signal(signal.SIGKILL)
                self.process.wait(timeout=10)
        if not self.log.closed:
            self.log.close()

    def tail(self):
        return self.log_path.read_text(errors="replace")[-3000:]


class Identity:
    def __init__(self, tmp):
        self.address = f"127.0.0.1:{free_port()}"
        env = dict(os.environ, FANHEAT_ADMIN_KEY=ADMIN_KEY)
        self.proc = Process("identity", ["--listen", self.address, "--metrics-listen", "off",
                                         "--data-dir", str(tmp / "identity")], env, tmp).start()
        self.channel = grpc.insecure_channel(self.address)
        self.stub = ipb_grpc.IdentityServiceStub(self.channel)
        deadline = time.monotonic() + 30
        while True:
            assert self.proc.alive(), f"identity exited: {self.proc.tail()}"
            try:
                self.stub.ListClubs(ipb.ListClubsRequest(), metadata=bearer(ADMIN_KEY), timeout=2)
                return
            except grpc.RpcError:
                assert time.monotonic() < deadline, "identity did not start"
                time.sleep(0.1)

    def club(self, members=("m-1", "m-2", "m-3")):
        club_id = "c" + secrets.token_hex(4)
        self.stub.CreateClub(ipb.CreateClubRequest(club_id=club_id, name=club_id), metadata=bearer(ADMIN_KEY), timeout=10)
        key = self.stub.CreateApiKey(ipb.CreateApiKeyRequest(club_id=club_id), metadata=bearer(ADMIN_KEY), timeout=10)
        for member in members:
            self.stub.JoinMember(ipb.JoinMemberRequest(club_id=club_id, member_id=member), metadata=bearer(ADMIN_KEY), timeout=10)
        return club_id, key.secret, key.api_key.key_id


class Ingest:
    def __init__(self, tmp, identity, data_dir=None, extra=()):
        self.tmp, self.identity, self.extra = tmp, identity, list(extra)
        self.data_dir = data_dir or tmp / f"ingest-{secrets.token_hex(3)}"
        self.address = f"127.0.0.1:{free_port()}"
        self.start()

    def start(self):
        env = dict(os.environ, FANHEAT_ADMIN_KEY=ADMIN_KEY)
        args = ["--listen", self.address, "--metrics-listen", "off", "--data-dir", str(self.data_dir), *self.extra]
        if self.identity is not None:
            args += ["--identity-addr", self.identity.address]
        self.proc = Process("activity-ingest", args, env, self.tmp).start()
        self.channel = grpc.insecure_channel(self.address)
        self.stub = pb_grpc.ActivityIngestStub(self.channel)
        deadline = time.monotonic() + 30
        while True:
            assert self.proc.alive(), f"activity-ingest exited: {self.proc.tail()}"
            try:
                list(self.stub.Subscribe(pb.SubscribeRequest(from_offset=1 << 62), metadata=bearer(ADMIN_KEY), timeout=2))
            except grpc.RpcError as error:
                if error.code() == Code.OUT_OF_RANGE:
                    return self
            assert time.monotonic() < deadline, "activity-ingest did not start"
            time.sleep(0.1)

    def restart(self):
        self.proc.stop()
        self.channel.close()
        return self.start()

    def ingest(self, key, activities, timeout=10):
        return self.stub.Ingest(pb.IngestRequest(activities=activities), metadata=bearer(key), timeout=timeout)

    def ingest_when_ready(self, key, activities):
        """Ingest, retrying while the membership cache is still loading (UNAVAILABLE)."""
        deadline = time.monotonic() + 20
        while True:
            try:
                return self.ingest(key, activities)
            except grpc.RpcError as error:
                if error.code() != Code.UNAVAILABLE or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def read_log(self, key=ADMIN_KEY, from_offset=0, until=None, max_batch=0, timeout=5):
        """Every LoggedActivity from `from_offset` up to offset `until` (exclusive)."""
        records = []
        call = self.stub.Subscribe(pb.SubscribeRequest(from_offset=from_offset, max_batch=max_batch),
                                   metadata=bearer(key), timeout=timeout)
        try:
            for batch in call:
                records.extend(batch.activities)
                if until is not None and records and records[-1].offset + 1 >= until:
                    break
        finally:
            call.cancel()
        return records

    def close(self):
        self.channel.close()
        self.proc.stop()


@pytest.fixture(scope="module")
def tmp():
    return pathlib.Path(tempfile.mkdtemp(prefix="fh-ingest-test-"))


@pytest.fixture(scope="module")
def identity(tmp):
    server = Identity(tmp)
    yield server
    server.channel.close()
    server.proc.stop()


@pytest.fixture(scope="module")
def ingest(tmp, identity):
    server = Ingest(tmp, identity, extra=["--key-cache-ttl", "1s"])
    yield server
    server.close()


def activity(club, event, member="m-1", **fields):
    values = dict(event_id=event, club_id=club, member_id=member, kind=pb.ACTIVITY_KIND_CONTENT_VIEW,
                  occurred_at_ms=now_ms() - 1000, item_id="article-1", value=42)
    values.update(fields)
    return pb.Activity(**values)


def test_valid_batch_is_stored_and_readable(ingest, identity):
    club, key, _ = identity.club()
    purchase = activity(club, "e-buy", kind=pb.ACTIVITY_KIND_PURCHASE, value=3500, currency="JPY",
                        attributes={"channel": "online"})
    response = ingest.ingest_when_ready(key, [activity(club, "e-1"), purchase])
    assert (response.accepted, response.duplicates, list(response.rejections)) == (2, 0, [])
    records = ingest.read_log(key, from_offset=response.last_offset - 1, until=response.last_offset + 1)
    assert [r.activity for r in records[:2]] == [activity(club, "e-1", occurred_at_ms=records[0].activity.occurred_at_ms), purchase]
    assert records[1].offset == response.last_offset
    assert abs(records[1].ingested_at_ms - now_ms()) < 60_000


def test_each_invalid_activity_is_rejected_with_its_field(ingest, identity):
    club, key, _ = identity.club()
    bad = [
        activity(club, ""),
        activity(club, "x" * 129),
        activity(club, "e-kind0", kind=0),
        activity(club, "e-kind99", kind=99),
        activity(club, "e-future", occurred_at_ms=now_ms() + 10 * 60_000),
        activity(club, "e-negative", value=-5),
        activity(club, "e-nocurrency", kind=pb.ACTIVITY_KIND_PURCHASE),
        activity(club, "e-badcurrency", kind=pb.ACTIVITY_KIND_PURCHASE, currency="XYZ"),
        activity(club, "e-lowercase", kind=pb.ACTIVITY_KIND_PURCHASE, currency="jpy"),
        activity(club, "e-attrs", attributes={f"k{i}": "v" for i in range(40)}),
        activity(club, "e-attrsize", attributes={"k": "v" * 1000}),
        activity(club, "e-member", member=""),
        activity(club, "e-ok"),
    ]
    response = ingest.ingest_when_ready(key, bad)
    assert response.accepted == 1
    reasons = {r.index: r.reason for r in response.rejections}
    expected = ["event_id", "event_id", "kind", "kind", "occurred_at_ms", "value", "currency", "currency", "currency",
                "attributes", "attributes", "member_id"]
    assert sorted(reasons) == list(range(12))
    for index, field in enumerate(expected):
        assert reasons[index].startswith(field + ":"), (index, reasons[index])


def test_batch_over_limit_and_malformed_bytes_are_invalid_argument(ingest, identity):
    club, key, _ = identity.club()
    ingest.ingest_when_ready(key, [activity(club, "warm")])
    with pytest.raises(grpc.RpcError) as error:
        ingest.ingest(key, [activity(club, f"e{i}") for i in range(1001)])
    assert error.value.code() == Code.INVALID_ARGUMENT and "1000" in error.value.details()
    raw = ingest.channel.unary_unary("/fanheat.ingest.v1.ActivityIngest/Ingest")
    with pytest.raises(grpc.RpcError) as error:
        raw(b"\x0a\x7f\x01", metadata=bearer(key), timeout=5)
    assert error.value.code() == Code.INVALID_ARGUMENT and "IngestRequest" in error.value.details()


def test_missing_unknown_and_admin_keys(ingest, identity):
    club, _, _ = identity.club()
    for metadata in ([], [("authorization", "Basic abc")], bearer("fh_live_unknown_key")):
        with pytest.raises(grpc.RpcError) as error:
            ingest.stub.Ingest(pb.IngestRequest(activities=[activity(club, "e")]), metadata=metadata, timeout=10)
        assert error.value.code() == Code.UNAUTHENTICATED, metadata
    with pytest.raises(grpc.RpcError) as error:
        ingest.ingest(ADMIN_KEY, [activity(club, "e")])
    assert error.value.code() == Code.PERMISSION_DENIED


def test_other_club_is_permission_denied_for_the_whole_call(ingest, identity):
    club, key, _ = identity.club()
    other, _, _ = identity.club()
    ingest.ingest_when_ready(key, [activity(club, "warm")])
    with pytest.raises(grpc.RpcError) as error:
        ingest.ingest(key, [activity(club, "mine"), activity(other, "theirs")])
    assert error.value.code() == Code.PERMISSION_DENIED and other in error.value.details()
    # Nothing of the failed call was stored: "mine" is still new.
    assert ingest.ingest(key, [activity(club, "mine")]).accepted == 1


def test_members_not_active_are_rejected_from_the_watched_cache(ingest, identity):
    club, key, _ = identity.club(members=("m-1", "m-2", "m-3"))
    ingest.ingest_when_ready(key, [activity(club, "warm")])
    identity.stub.WithdrawMember(ipb.WithdrawMemberRequest(club_id=club, member_id="m-2"), metadata=bearer(ADMIN_KEY), timeout=10)
    identity.stub.EraseMember(ipb.EraseMemberRequest(club_id=club, member_id="m-3"), metadata=bearer(ADMIN_KEY), timeout=10)
    identity.stub.JoinMember(ipb.JoinMemberRequest(club_id=club, member_id="m-new"), metadata=bearer(ADMIN_KEY), timeout=10)
    deadline = time.monotonic() + 10
    while True:
        response = ingest.ingest(key, [activity(club, f"a-{secrets.token_hex(4)}", member=m)
                                       for m in ("m-1", "m-2", "m-3", "nobody", "m-new")])
        rejected = {r.index for r in response.rejections}
        if rejected == {1, 2, 3} or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert rejected == {1, 2, 3}
    assert response.accepted == 2
    reasons = [r.reason for r in response.rejections]
    assert all(reason.startswith("member_id:") and "not an active member" in reason for reason in reasons)


def test_revoked_key_stops_within_the_cache_ttl(ingest, identity):
    club, key, key_id = identity.club()
    assert ingest.ingest_when_ready(key, [activity(club, "before")]).accepted == 1
    identity.stub.RevokeApiKey(ipb.RevokeApiKeyRequest(club_id=club, key_id=key_id), metadata=bearer(ADMIN_KEY), timeout=10)
    time.sleep(1.5)  # the service runs with --key-cache-ttl 1s
    with pytest.raises(grpc.RpcError) as error:
        ingest.ingest(key, [activity(club, "after")])
    assert error.value.code() == Code.UNAUTHENTICATED


def test_ingest_stream_sums_and_indexes_across_messages(ingest, identity):
    club, key, _ = identity.club()
    ingest.ingest_when_ready(key, [activity(club, "s-0")])
    requests = [pb.IngestRequest(activities=[activity(club, "s-1"), activity(club, "s-0")]),
                pb.IngestRequest(activities=[activity(club, "s-2", value=-1), activity(club, "s-3")]),
                pb.IngestRequest(activities=[activity(club, "s-1"), activity(club, "s-4", kind=0)])]
    response = ingest.stub.IngestStream(iter(requests), metadata=bearer(key), timeout=10)
    assert (response.accepted, response.duplicates) == (2, 2)
    assert [(r.index, r.reason.split(":")[0]) for r in response.rejections] == [(2, "value"), (5, "kind")]


def test_subscribe_filters_club_tails_and_reports_out_of_range(ingest, identity):
    club, key, _ = identity.club()
    other, other_key, _ = identity.club()
    ingest.ingest_when_ready(key, [activity(club, "t-0")])
    ingest.ingest_when_ready(other_key, [activity(other, "o-0")])
    start = ingest.ingest(key, [activity(club, "t-1")]).last_offset + 1
    received = []
    call = ingest.stub.Subscribe(pb.SubscribeRequest(from_offset=start, max_batch=2), metadata=bearer(key), timeout=20)

    def consume():
        for batch in call:
            received.extend(batch.activities)
            if len(received) >= 3:
                call.cancel()
                return

    reader = threading.Thread(target=consume)
    reader.start()
    time.sleep(0.3)
    ingest.ingest(other_key, [activity(other, "o-1")])
    ingest.ingest(key, [activity(club, "t-2"), activity(club, "t-3"), activity(club, "t-4")])
    reader.join(timeout=15)
    assert [r.activity.event_id for r in received[:3]] == ["t-2", "t-3", "t-4"]
    assert all(r.activity.club_id == club for r in received)
    assert [r.offset for r in received[:3]] == sorted(r.offset for r in received[:3])
    with pytest.raises(grpc.RpcError) as error:
        list(ingest.stub.Subscribe(pb.SubscribeRequest(from_offset=1 << 40), metadata=bearer(key), timeout=5))
    assert error.value.code() == Code.OUT_OF_RANGE and "beyond the end" in error.value.details()
    with pytest.raises(grpc.RpcError) as error:
        list(ingest.stub.Subscribe(pb.SubscribeRequest(), metadata=[], timeout=5))
    assert error.value.code() == Code.UNAUTHENTICATED


def test_duplicates_are_recognised_across_a_restart(tmp, identity):
    server = Ingest(tmp, identity)
    try:
        club, key, _ = identity.club()
        first = server.ingest_when_ready(key, [activity(club, f"d-{i}") for i in range(50)])
        assert first.accepted == 50
        server.restart()
        again = server.ingest_when_ready(key, [activity(club, f"d-{i}") for i in range(60)])
        assert (again.accepted, again.duplicates) == (10, 50)
        records = server.read_log(key, from_offset=0, until=again.last_offset + 1)
        counts = collections.Counter(r.activity.event_id for r in records)
        assert len(counts) == 60 and set(counts.values()) == {1}
    finally:
        server.close()


def test_retention_moves_the_earliest_offset_and_old_offsets_are_out_of_range(tmp, identity):
    server = Ingest(tmp, identity, extra=["--segment-bytes", "4096", "--retention-bytes", "16384"])
    try:
        club, key, _ = identity.club()
        server.ingest_when_ready(key, [activity(club, "r-0")])
        for round_number in range(20):
            server.ingest(key, [activity(club, f"r-{round_number}-{i}", item_id="x" * 100) for i in range(20)])
        deadline = time.monotonic() + 10
        details = None
        while details is None:
            try:
                server.read_log(ADMIN_KEY, from_offset=0, timeout=1)
            except grpc.RpcError as error:
                if error.code() == Code.OUT_OF_RANGE:
                    details = error.details()
                    break
                assert error.code() == Code.DEADLINE_EXCEEDED, error
            assert time.monotonic() < deadline, "retention never deleted the first segment"
            server.ingest(key, [activity(club, f"r-late-{secrets.token_hex(4)}")])
            time.sleep(0.5)
        assert "earliest offset is" in details
        earliest = int(details.rsplit(" ", 1)[1])
        assert earliest > 0
        records = server.read_log(ADMIN_KEY, from_offset=earliest, until=earliest + 1)
        assert records[0].offset == earliest
    finally:
        server.close()


@pytest.mark.parametrize("arguments, message", [
    (["--log-commit-interval", "5 minutes"], "--log-commit-interval"),
    (["--log-commit-interval", "automatic"], "--log-commit-interval"),
    (["--log-commit-interval", "11s"], "--log-commit-interval"),
    (["--log-commit-interval", "-1ms"], "--log-commit-interval"),
    (["--log-commit-interval", "9000000000000000000s"], "--log-commit-interval"),
    (["--retention-age", "9000000000000000000d"], "--retention-age"),
    (["--retention-bytes", "9000000000000000000g"], "--retention-bytes"),
    (["--retention-age", "36501d"], "--retention-age"),
    (["--idempotency-window", "1001d"], "--idempotency-window"),
    (["--key-cache-ttl", "9000000000000000000d"], "--key-cache-ttl"),
    (["--log-preallocate", "maybe"], "--log-preallocate"),
    (["--segment-bytes", "huge"], "--segment-bytes"),
    (["--idempotency-expected-keys", "-1"], "--idempotency-expected-keys"),
    (["--idempotency-expected-keys", "lots"], "--idempotency-expected-keys"),
    (["--idempotency-expected-keys", "3g"], "the most the index can be sized for"),
])
def test_bad_flags_exit_2_naming_the_flag(tmp, arguments, message):
    result = subprocess.run([str(BIN / "activity-ingest"), "--listen", f"127.0.0.1:{free_port()}",
                             "--data-dir", str(tmp / "bad-flags"), "--auth-mode", "none", *arguments],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 2
    assert message in result.stderr


def test_expected_keys_beyond_half_the_memory_exit_2_before_allocating(tmp):
    physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    keys = physical // 16  # at least 2 slots of 8 bytes per key: a table the size of the machine
    if keys > 2 ** 31:
        pytest.skip(f"{physical >> 30} GiB of memory: more than the largest index (checked by the 3g case)")
    result = subprocess.run([str(BIN / "activity-ingest"), "--listen", f"127.0.0.1:{free_port()}",
                             "--data-dir", str(tmp / "bad-flags"), "--auth-mode", "none",
                             "--idempotency-expected-keys", str(keys)],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 2
    assert "more than half of this" in result.stderr and "memory" in result.stderr


def test_index_sized_up_front_keeps_its_size_and_still_deduplicates(tmp, identity):
    # 1m keys: a table of the next power of two at or above 2m slots, 16 MiB, from the start.
    server = Ingest(tmp, identity, extra=["--idempotency-expected-keys", "1m"])
    try:
        recovered = [line for line in server.proc.tail().splitlines() if "activity log recovered" in line]
        assert recovered and '"index_bytes":"16777216"' in recovered[-1], server.proc.tail()
        club, key, _ = identity.club()
        batch = [activity(club, f"sized-{number}") for number in range(50)]
        first = server.ingest_when_ready(key, batch)
        assert (first.accepted, first.duplicates) == (50, 0)
        again = server.ingest(key, batch)
        assert (again.accepted, again.duplicates) == (0, 50)
        server.restart()
        recovered = [line for line in server.proc.tail().splitlines() if "activity log recovered" in line]
        assert '"index_bytes":"16777216"' in recovered[-1] and '"remembered_keys":"50"' in recovered[-1], server.proc.tail()
        assert server.ingest_when_ready(key, batch).duplicates == 50
    finally:
        server.close()


# The default case commits as soon as anything is pending (--log-commit-interval 0); the
# small-segment case gathers after every commit (1ms); the no-preallocation case gathers
# for 500 us after commits of 32 KiB or more (auto): every writer path is crash-tested.
@pytest.mark.parametrize("segment_args", [[], ["--segment-bytes", "256k", "--log-commit-interval", "1ms"],
                                          ["--log-preallocate", "off", "--log-commit-interval", "auto"]],
                         ids=["default-segments-no-interval", "small-prepared-segments-1ms-interval",
                              "no-preallocation-auto-interval"])
def test_crash_under_load_keeps_every_acknowledged_activity_exactly_once(tmp, identity, segment_args):
    # Small segments make the writer roll into prepared (zero-filled) files many times
    # under load, so the kill can land in any of their states.
    server = Ingest(tmp, identity, extra=segment_args)
    club, key, _ = identity.club(members=[f"m-{i}" for i in range(20)])
    server.ingest_when_ready(key, [activity(club, "crash-warm")])
    acknowledged = set()
    lock = threading.Lock()
    stop = threading.Event()

    def writer(number):
        channel = grpc.insecure_channel(server.address)
        stub = pb_grpc.ActivityIngestStub(channel)
        sequence = 0
        while not stop.is_set():
            batch = [activity(club, f"k{number}-{sequence}-{i}", member=f"m-{(sequence + i) % 20}") for i in range(25)]
            sequence += 1
            try:
                response = stub.Ingest(pb.IngestRequest(activities=batch), metadata=bearer(key), timeout=5)
            except grpc.RpcError:
                continue  # not acknowledged: may or may not be stored, never twice
            assert not response.rejections
            with lock:
                acknowledged.update(a.event_id for a in batch)
        channel.close()

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in writers:
        thread.start()
    time.sleep(2.5)
    server.proc.kill9()
    stop.set()
    for thread in writers:
        thread.join(timeout=20)
    assert len(acknowledged) > 500, "the load did not get going before the kill"

    server.start()
    # Resending everything acknowledged is answered as duplicates: nothing is stored twice.
    resent = sorted(acknowledged)[:1000]
    again = server.ingest_when_ready(key, [activity(club, e) for e in resent])
    assert again.accepted == 0 and again.duplicates == len(resent)
    end = server.ingest(key, [activity(club, "crash-end")]).last_offset + 1
    records = server.read_log(ADMIN_KEY, from_offset=0, until=end, max_batch=5000, timeout=30)
    assert [r.offset for r in records] == list(range(len(records)))
    counts = collections.Counter(r.activity.event_id for r in records if r.activity.club_id == club)
    missing = acknowledged - set(counts)
    assert not missing, f"{len(missing)} acknowledged activities lost, e.g. {sorted(missing)[:5]}"
    twice = [event for event, count in counts.items() if count > 1]
    assert not twice, f"stored twice: {twice[:5]}"
    server.close()
