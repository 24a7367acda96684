"""The identity service against a real `identity` process on loopback, through grpcio.

Covers clubs, API keys (hashing, revocation), cross-club authorization, members and
memberships (join, update, withdraw, rejoin within and after the grace period, erase),
member tokens, the WatchMemberships feed, bad input statuses, kill -9 durability and
the `fanheat` CLI. Stubs are generated with grpc_tools.protoc at test time.
"""
import json
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
ADMIN_KEY = "test-admin-" + secrets.token_hex(16)


def _generate_stubs():
    from grpc_tools import protoc
    out = tempfile.mkdtemp(prefix="fh-identity-stubs-")
    proto = "fanheat/identity/v1/identity.proto"
    status = protoc.main(["protoc", f"-I{ROOT / 'Shared' / 'Protos'}", f"--python_out={out}",
                          f"--grpc_python_out={out}", proto])
    assert status == 0, "protoc failed on identity.proto"
    sys.path.insert(0, out)
    from fanheat.identity.v1 import identity_pb2, identity_pb2_grpc  # noqa: E402
    return identity_pb2, identity_pb2_grpc


pb, pb_grpc = _generate_stubs()
Code = grpc.StatusCode


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class IdentityServer:
    """One `identity` process with its own data directory."""

    def __init__(self, data_dir, extra=()):
        self.data_dir = pathlib.Path(data_dir)
        self.extra = list(extra)
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.process = None
        self.log_path = self.data_dir.parent / f"identity-{self.port}.log"

    def start(self):
        env = dict(os.environ, FANHEAT_ADMIN_KEY=ADMIN_KEY)
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(BIN / "identity"), "--listen", self.address, "--metrics-listen", "off",
             "--data-dir", str(self.data_dir), *self.extra],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"identity exited: {self.log_path.read_text()[-2000:]}"
            try:
                with grpc.insecure_channel(self.address) as channel:
                    pb_grpc.IdentityServiceStub(channel).ListClubs(
                        pb.ListClubsRequest(), metadata=admin(), timeout=2)
                return self
            except grpc.RpcError:
                time.sleep(0.1)
        raise AssertionError(f"identity did not answer on {self.address}")

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process:
            self.log.close()


def admin():
    return (("authorization", f"Bearer {ADMIN_KEY}"),)


def bearer(key):
    return (("authorization", f"Bearer {key}"),)


def expect(code, call, *args, mentioning=None, **kwargs):
    with pytest.raises(grpc.RpcError) as info:
        call(*args, **kwargs)
    assert info.value.code() == code, f"{info.value.code()}: {info.value.details()}"
    if mentioning:
        assert mentioning in info.value.details(), info.value.details()
    return info.value


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = IdentityServer(tmp_path_factory.mktemp("identity") / "data").start()
    yield srv
    srv.stop()
    assert srv.process.returncode == 0, "identity did not shut down cleanly on SIGTERM"


@pytest.fixture(scope="module")
def channel(server):
    with grpc.insecure_channel(server.address) as ch:
        yield ch


@pytest.fixture(scope="module")
def stub(channel):
    return pb_grpc.IdentityServiceStub(channel)


def new_club(stub, **fields):
    club_id = fields.pop("club_id", "c" + secrets.token_hex(5))
    club = stub.CreateClub(pb.CreateClubRequest(club_id=club_id, name=fields.pop("name", f"Club {club_id}"),
                                                **fields), metadata=admin()).club
    key = stub.CreateApiKey(pb.CreateApiKeyRequest(club_id=club.club_id, name="backend"), metadata=admin())
    return club, key.secret, key.api_key.key_id


def join(stub, key, member_id, **profile):
    return stub.JoinMember(pb.JoinMemberRequest(member_id=member_id, profile=pb.MemberProfile(**profile)),
                           metadata=bearer(key)).member


# ---- clubs -------------------------------------------------------------------------------

def test_clubs_create_get_list_update(stub):
    club = stub.CreateClub(pb.CreateClubRequest(name="Blue Stars", time_zone="Asia/Tokyo", default_locale="ja-JP"),
                           metadata=admin()).club
    assert club.club_id.startswith("club_") and club.time_zone == "Asia/Tokyo" and club.default_locale == "ja-JP"
    assert stub.GetClub(pb.GetClubRequest(club_id=club.club_id), metadata=admin()).club == club
    listed = stub.ListClubs(pb.ListClubsRequest(page_size=1000), metadata=admin()).clubs
    assert club.club_id in [c.club_id for c in listed]
    updated = stub.UpdateClub(pb.UpdateClubRequest(club_id=club.club_id, name="Blue Stars FC"), metadata=admin()).club
    assert updated.name == "Blue Stars FC" and updated.time_zone == "Asia/Tokyo"
    defaults = stub.CreateClub(pb.CreateClubRequest(name="Defaults"), metadata=admin()).club
    assert (defaults.time_zone, defaults.default_locale) == ("UTC", "en")


def test_clubs_pagination(stub):
    for _ in range(3):
        new_club(stub)
    seen, token = [], ""
    while True:
        page = stub.ListClubs(pb.ListClubsRequest(page_size=2, page_token=token), metadata=admin())
        assert len(page.clubs) <= 2
        seen += [c.club_id for c in page.clubs]
        token = page.next_page_token
        if not token:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) >= 3


def test_club_errors(stub):
    expect(Code.UNAUTHENTICATED, stub.ListClubs, pb.ListClubsRequest(), mentioning="authorization")
    expect(Code.UNAUTHENTICATED, stub.ListClubs, pb.ListClubsRequest(), metadata=bearer("not-a-key"))
    club, key, _ = new_club(stub)
    expect(Code.PERMISSION_DENIED, stub.CreateClub, pb.CreateClubRequest(name="x"), metadata=bearer(key),
           mentioning="admin")
    expect(Code.ALREADY_EXISTS, stub.CreateClub, pb.CreateClubRequest(club_id=club.club_id, name="x"), metadata=admin())
    expect(Code.NOT_FOUND, stub.GetClub, pb.GetClubRequest(club_id="no-such-club"), metadata=admin(),
           mentioning="no-such-club")
    expect(Code.INVALID_ARGUMENT, stub.CreateClub, pb.CreateClubRequest(name="x", time_zone="Mars/Base"),
           metadata=admin(), mentioning="time_zone")
    expect(Code.INVALID_ARGUMENT, stub.CreateClub, pb.CreateClubRequest(name=""), metadata=admin(), mentioning="name")
    expect(Code.INVALID_ARGUMENT, stub.CreateClub, pb.CreateClubRequest(name="x", club_id="Bad Id!"),
           metadata=admin(), mentioning="club_id")
    expect(Code.INVALID_ARGUMENT, stub.CreateClub, pb.CreateClubRequest(name="x", default_locale="??"),
           metadata=admin(), mentioning="default_locale")
    expect(Code.INVALID_ARGUMENT, stub.UpdateClub, pb.UpdateClubRequest(club_id=club.club_id, update_mask=["colour"]),
           metadata=admin(), mentioning="update_mask")
    expect(Code.INVALID_ARGUMENT, stub.ListClubs, pb.ListClubsRequest(page_token="zz"), metadata=admin(),
           mentioning="page_token")
    # A club key sees only its own club.
    assert [c.club_id for c in stub.ListClubs(pb.ListClubsRequest(), metadata=bearer(key)).clubs] == [club.club_id]
    assert stub.GetClub(pb.GetClubRequest(), metadata=bearer(key)).club.club_id == club.club_id


# ---- API keys ----------------------------------------------------------------------------

def test_api_keys_secret_once_hash_only_and_revocation(stub, server):
    club, key, key_id = new_club(stub)
    assert key.startswith("fh_live_") and key_id in key
    listed = stub.ListApiKeys(pb.ListApiKeysRequest(club_id=club.club_id), metadata=admin()).api_keys
    assert [k.key_id for k in listed] == [key_id]
    assert key not in str(listed)
    # The secret is not stored anywhere in the data directory, only its SHA-256.
    for path in server.data_dir.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), f"secret found in {path}"
    second = stub.CreateApiKey(pb.CreateApiKeyRequest(name="rotation"), metadata=bearer(key))
    assert second.api_key.club_id == club.club_id
    verified = stub.VerifyApiKey(pb.VerifyApiKeyRequest(secret=second.secret), metadata=admin())
    assert (verified.club_id, verified.key_id) == (club.club_id, second.api_key.key_id)
    assert stub.VerifyApiKey(pb.VerifyApiKeyRequest(), metadata=bearer(key)).key_id == key_id
    revoked = stub.RevokeApiKey(pb.RevokeApiKeyRequest(club_id=club.club_id, key_id=key_id), metadata=bearer(second.secret))
    assert revoked.api_key.revoked_at_ms > 0
    expect(Code.UNAUTHENTICATED, stub.GetClub, pb.GetClubRequest(), metadata=bearer(key), mentioning="revoked")
    expect(Code.UNAUTHENTICATED, stub.VerifyApiKey, pb.VerifyApiKeyRequest(secret=key), metadata=admin())
    assert [k.key_id for k in stub.ListApiKeys(pb.ListApiKeysRequest(club_id=club.club_id), metadata=admin()).api_keys] \
        == [second.api_key.key_id]
    assert len(stub.ListApiKeys(pb.ListApiKeysRequest(club_id=club.club_id, include_revoked=True),
                                metadata=admin()).api_keys) == 2
    expect(Code.NOT_FOUND, stub.RevokeApiKey, pb.RevokeApiKeyRequest(club_id=club.club_id, key_id="0000000000000000"),
           metadata=admin())
    expect(Code.UNAUTHENTICATED, stub.VerifyApiKey, pb.VerifyApiKeyRequest(secret="fh_live_bogus"), metadata=admin())


# ---- authorization ----------------------------------------------------------------------

def test_club_a_key_is_denied_on_each_of_club_b_resources(stub, channel):
    club_a, key_a, _ = new_club(stub)
    club_b, key_b, key_b_id = new_club(stub)
    join(stub, key_b, "b-member", display_name="Bea")
    join(stub, key_b, "b-withdrawn")
    stub.WithdrawMember(pb.WithdrawMemberRequest(member_id="b-withdrawn"), metadata=bearer(key_b))
    token_b = stub.IssueMemberToken(pb.IssueMemberTokenRequest(member_id="b-member"), metadata=bearer(key_b))
    b = club_b.club_id
    calls = [
        (stub.GetClub, pb.GetClubRequest(club_id=b)),
        (stub.UpdateClub, pb.UpdateClubRequest(club_id=b, name="hijacked")),
        (stub.CreateApiKey, pb.CreateApiKeyRequest(club_id=b)),
        (stub.ListApiKeys, pb.ListApiKeysRequest(club_id=b)),
        (stub.RevokeApiKey, pb.RevokeApiKeyRequest(club_id=b, key_id=key_b_id)),
        (stub.RevokeApiKey, pb.RevokeApiKeyRequest(club_id=club_a.club_id, key_id=key_b_id)),
        (stub.VerifyApiKey, pb.VerifyApiKeyRequest(secret=key_b)),
        (stub.JoinMember, pb.JoinMemberRequest(club_id=b, member_id="intruder")),
        (stub.GetMember, pb.GetMemberRequest(club_id=b, member_id="b-member")),
        (stub.ListMembers, pb.ListMembersRequest(club_id=b)),
        (stub.UpdateMember, pb.UpdateMemberRequest(club_id=b, member_id="b-member",
                                                   profile=pb.MemberProfile(display_name="x"))),
        (stub.WithdrawMember, pb.WithdrawMemberRequest(club_id=b, member_id="b-member")),
        (stub.RejoinMember, pb.RejoinMemberRequest(club_id=b, member_id="b-withdrawn")),
        (stub.EraseMember, pb.EraseMemberRequest(club_id=b, member_id="b-member")),
        (stub.IssueMemberToken, pb.IssueMemberTokenRequest(club_id=b, member_id="b-member")),
        (stub.VerifyMemberToken, pb.VerifyMemberTokenRequest(token=token_b.token)),
        (stub.RevokeMemberToken, pb.RevokeMemberTokenRequest(token=token_b.token)),
        (stub.RevokeMemberToken, pb.RevokeMemberTokenRequest(token_id=token_b.token_id)),
    ]
    for call, request in calls:
        expect(Code.PERMISSION_DENIED, call, request, metadata=bearer(key_a))
    watch = stub.WatchMemberships(pb.WatchMembershipsRequest(club_id=b), metadata=bearer(key_a), timeout=5)
    expect(Code.PERMISSION_DENIED, lambda: next(iter(watch)))
    # Club B is untouched.
    assert stub.GetClub(pb.GetClubRequest(), metadata=bearer(key_b)).club.name == club_b.name
    assert stub.VerifyMemberToken(pb.VerifyMemberTokenRequest(token=token_b.token), metadata=bearer(key_b)).member_id \
        == "b-member"
    assert stub.GetMember(pb.GetMemberRequest(member_id="b-withdrawn"), metadata=bearer(key_b)).member.state \
        == pb.MEMBERSHIP_STATE_WITHDRAWN
    assert len(stub.ListApiKeys(pb.ListApiKeysRequest(), metadata=bearer(key_b)).api_keys) == 1


# ---- members -----------------------------------------------------------------------------

def test_member_join_get_update_and_numbers(stub):
    club, key, _ = new_club(stub, time_zone="Europe/Berlin")
    prefs = pb.NotificationPreferences(channels=[pb.NOTIFICATION_CHANNEL_PUSH, pb.NOTIFICATION_CHANNEL_EMAIL],
                                       opted_out_topics=[pb.NOTIFICATION_TOPIC_OFFERS],
                                       quiet_hours=pb.QuietHours(start_minute=22 * 60, end_minute=7 * 60))
    first = join(stub, key, "fan-1", display_name="Aki", birthday=pb.Birthday(month=2, day=29),
                 time_zone="Asia/Tokyo", locale="ja-JP", notification_preferences=prefs)
    second = join(stub, key, "fan-2", display_name="Ben", birthday=pb.Birthday(year=1990, month=12, day=31))
    assert (first.membership_number, second.membership_number) == (1, 2)
    assert first.state == pb.MEMBERSHIP_STATE_ACTIVE and first.joined_at_ms > 0
    got = stub.GetMember(pb.GetMemberRequest(club_id=club.club_id, member_id="fan-1"), metadata=admin()).member
    assert got.profile.birthday == pb.Birthday(month=2, day=29)
    assert got.profile.notification_preferences == prefs
    updated = stub.UpdateMember(pb.UpdateMemberRequest(member_id="fan-1", profile=pb.MemberProfile(locale="en-GB")),
                                metadata=bearer(key)).member
    assert (updated.profile.locale, updated.profile.display_name) == ("en-GB", "Aki")
    cleared = stub.UpdateMember(pb.UpdateMemberRequest(member_id="fan-1", update_mask=["birthday", "display_name"]),
                                metadata=bearer(key)).member
    assert not cleared.profile.HasField("birthday") and cleared.profile.display_name == ""
    assert cleared.revision > updated.revision > first.revision
    members = stub.ListMembers(pb.ListMembersRequest(page_size=1), metadata=bearer(key))
    assert [m.member_id for m in members.members] == ["fan-1"] and members.next_page_token
    rest = stub.ListMembers(pb.ListMembersRequest(page_token=members.next_page_token), metadata=bearer(key))
    assert [m.member_id for m in rest.members] == ["fan-2"] and not rest.next_page_token


def test_member_bad_input(stub):
    club, key, _ = new_club(stub)
    join(stub, key, "dup")
    expect(Code.ALREADY_EXISTS, join, stub, key, "dup", mentioning="dup")
    expect(Code.NOT_FOUND, stub.GetMember, pb.GetMemberRequest(member_id="ghost"), metadata=bearer(key),
           mentioning="ghost")
    expect(Code.NOT_FOUND, stub.JoinMember, pb.JoinMemberRequest(club_id="no-such-club", member_id="m"),
           metadata=admin(), mentioning="no-such-club")
    expect(Code.NOT_FOUND, stub.WithdrawMember, pb.WithdrawMemberRequest(member_id="ghost"), metadata=bearer(key))
    cases = [
        ("member_id", dict(member_id="")),
        ("profile.birthday.day", dict(member_id="m", profile=pb.MemberProfile(birthday=pb.Birthday(year=2001, month=2, day=29)))),
        ("profile.birthday.month", dict(member_id="m", profile=pb.MemberProfile(birthday=pb.Birthday(month=0, day=1)))),
        ("profile.birthday.year", dict(member_id="m", profile=pb.MemberProfile(birthday=pb.Birthday(year=1200, month=1, day=1)))),
        ("profile.birthday.day", dict(member_id="m", profile=pb.MemberProfile(birthday=pb.Birthday(month=4, day=31)))),
        ("profile.time_zone", dict(member_id="m", profile=pb.MemberProfile(time_zone="Atlantis/Capital"))),
        ("profile.locale", dict(member_id="m", profile=pb.MemberProfile(locale="english please"))),
        ("profile.notification_preferences.quiet_hours.start_minute",
         dict(member_id="m", profile=pb.MemberProfile(notification_preferences=pb.NotificationPreferences(
             quiet_hours=pb.QuietHours(start_minute=1440))))),
        ("profile.notification_preferences.channels",
         dict(member_id="m", profile=pb.MemberProfile(notification_preferences=pb.NotificationPreferences(channels=[99])))),
    ]
    for field, request in cases:
        expect(Code.INVALID_ARGUMENT, stub.JoinMember, pb.JoinMemberRequest(**request), metadata=bearer(key),
               mentioning=field)
    expect(Code.INVALID_ARGUMENT, stub.GetMember, pb.GetMemberRequest(club_id=club.club_id, member_id=""),
           metadata=admin(), mentioning="member_id")
    expect(Code.INVALID_ARGUMENT, stub.GetMember, pb.GetMemberRequest(member_id="dup"), metadata=admin(),
           mentioning="club_id")
    expect(Code.INVALID_ARGUMENT, stub.UpdateMember, pb.UpdateMemberRequest(member_id="dup", update_mask=["shoe_size"]),
           metadata=bearer(key), mentioning="update_mask")


def test_malformed_request_bytes_are_invalid_argument(channel):
    raw = channel.unary_unary("/fanheat.identity.v1.IdentityService/GetClub")
    expect(Code.INVALID_ARGUMENT, raw, b"\x0a\xff\xff\xff", metadata=admin())


def test_withdraw_and_rejoin_within_grace_keeps_number_and_join_date(stub):
    club, key, _ = new_club(stub, rejoin_grace_seconds=3600)
    member = join(stub, key, "loyal")
    join(stub, key, "other")
    withdrawn = stub.WithdrawMember(pb.WithdrawMemberRequest(member_id="loyal"), metadata=bearer(key)).member
    assert withdrawn.state == pb.MEMBERSHIP_STATE_WITHDRAWN and withdrawn.withdrawn_at_ms > 0
    assert withdrawn.rejoin_deadline_ms - withdrawn.withdrawn_at_ms == 3600 * 1000
    expect(Code.FAILED_PRECONDITION, stub.WithdrawMember, pb.WithdrawMemberRequest(member_id="loyal"), metadata=bearer(key))
    expect(Code.ALREADY_EXISTS, join, stub, key, "loyal", mentioning="RejoinMember")
    rejoined = stub.RejoinMember(pb.RejoinMemberRequest(member_id="loyal"), metadata=bearer(key))
    assert rejoined.kept_membership_number
    assert rejoined.member.membership_number == member.membership_number
    assert rejoined.member.joined_at_ms == member.joined_at_ms
    assert rejoined.member.state == pb.MEMBERSHIP_STATE_ACTIVE
    expect(Code.FAILED_PRECONDITION, stub.RejoinMember, pb.RejoinMemberRequest(member_id="loyal"), metadata=bearer(key))


def test_rejoin_after_grace_gets_new_number(stub):
    club, key, _ = new_club(stub, rejoin_grace_seconds=1)
    member = join(stub, key, "lapsed")
    join(stub, key, "other")
    stub.WithdrawMember(pb.WithdrawMemberRequest(member_id="lapsed"), metadata=bearer(key))
    time.sleep(1.3)
    rejoined = stub.RejoinMember(pb.RejoinMemberRequest(member_id="lapsed"), metadata=bearer(key))
    assert not rejoined.kept_membership_number
    assert rejoined.member.membership_number == 3
    assert rejoined.member.joined_at_ms > member.joined_at_ms


def test_erase_keeps_tombstone_and_removes_personal_data(stub, server):
    club, key, _ = new_club(stub)
    marker = "Erasable-" + secrets.token_hex(6)
    join(stub, key, "forget-me", display_name=marker, birthday=pb.Birthday(year=1985, month=5, day=5))
    token = stub.IssueMemberToken(pb.IssueMemberTokenRequest(member_id="forget-me"), metadata=bearer(key))
    tombstone = stub.EraseMember(pb.EraseMemberRequest(member_id="forget-me"), metadata=bearer(key)).member
    assert tombstone.state == pb.MEMBERSHIP_STATE_ERASED and tombstone.erased_at_ms > 0
    assert not tombstone.HasField("profile")
    got = stub.GetMember(pb.GetMemberRequest(member_id="forget-me"), metadata=bearer(key)).member
    assert got.state == pb.MEMBERSHIP_STATE_ERASED and not got.HasField("profile")
    expect(Code.PERMISSION_DENIED, stub.VerifyMemberToken, pb.VerifyMemberTokenRequest(token=token.token),
           metadata=bearer(key), mentioning="erased")
    expect(Code.FAILED_PRECONDITION, stub.EraseMember, pb.EraseMemberRequest(member_id="forget-me"), metadata=bearer(key))
    expect(Code.FAILED_PRECONDITION, stub.RejoinMember, pb.RejoinMemberRequest(member_id="forget-me"), metadata=bearer(key))
    # The personal data is gone from the member table (read through SQLite, as the WAL allows).
    import sqlite3
    with sqlite3.connect(f"file:{server.data_dir / 'identity.sqlite3'}?mode=ro", uri=True) as db:
        row = db.execute("SELECT display_name, birthday_year, state FROM members WHERE club_id = ? AND member_id = ?",
                         (club.club_id, "forget-me")).fetchone()
        assert row == (None, None, 3)
        assert db.execute("SELECT count(*) FROM members WHERE display_name = ?", (marker,)).fetchone() == (0,)
    # The id may join afresh, with a new number.
    again = join(stub, key, "forget-me")
    assert again.state == pb.MEMBERSHIP_STATE_ACTIVE and again.membership_number == 2


# ---- member tokens -----------------------------------------------------------------------

def test_member_tokens(stub):
    club, key, _ = new_club(stub)
    join(stub, key, "reader")
    issued = stub.IssueMemberToken(pb.IssueMemberTokenRequest(member_id="reader", ttl_seconds=600), metadata=bearer(key))
    assert issued.token.startswith("fhm_") and issued.expires_at_ms > time.time() * 1000
    ok = stub.VerifyMemberToken(pb.VerifyMemberTokenRequest(token=issued.token), metadata=bearer(key))
    assert (ok.club_id, ok.member_id, ok.membership_number, ok.state) == \
        (club.club_id, "reader", 1, pb.MEMBERSHIP_STATE_ACTIVE)
    assert ok.token_id == issued.token_id
    # Revocation by token.
    revoked = stub.RevokeMemberToken(pb.RevokeMemberTokenRequest(token=issued.token), metadata=bearer(key))
    assert revoked.was_active and revoked.token_id == issued.token_id
    expect(Code.UNAUTHENTICATED, stub.VerifyMemberToken, pb.VerifyMemberTokenRequest(token=issued.token),
           metadata=bearer(key), mentioning="revoked")
    assert not stub.RevokeMemberToken(pb.RevokeMemberTokenRequest(token_id=issued.token_id), metadata=bearer(key)).was_active
    # Expiry.
    short = stub.IssueMemberToken(pb.IssueMemberTokenRequest(member_id="reader", ttl_seconds=1), metadata=bearer(key))
    time.sleep(1.2)
    expect(Code.UNAUTHENTICATED, stub.VerifyMemberToken, pb.VerifyMemberTokenRequest(token=short.token),
           metadata=bearer(key), mentioning="expired")
    # Garbage and tampered tokens.
    expect(Code.UNAUTHENTICATED, stub.VerifyMemberToken, pb.VerifyMemberTokenRequest(token="fhm_nonsense"),
           metadata=bearer(key), mentioning="malformed")
    fresh = stub.IssueMemberToken(pb.IssueMemberTokenRequest(member_id="reader"), metadata=bearer(key))
    tampered = fresh.token[:-1] + ("A" if fresh.token[-1] != "A" else "B")
    expect(Code.UNAUTHENTICATED, stub.VerifyMemberToken, pb.VerifyMemberTokenRequest(token=tampered), metadata=bearer(key))
    expect(Code.INVALID_ARGUMENT, stub.VerifyMemberToken, pb.VerifyMemberTokenRequest(), metadata=bearer(key),
           mentioning="token")
    expect(Code.INVALID_ARGUMENT, stub.IssueMemberToken, pb.IssueMemberTokenRequest(member_id="reader", ttl_seconds=-5),
           metadata=bearer(key), mentioning="ttl_seconds")
    expect(Code.NOT_FOUND, stub.IssueMemberToken, pb.IssueMemberTokenRequest(member_id="ghost"), metadata=bearer(key))
    # Withdrawal stops every token at once: PERMISSION_DENIED naming the withdrawal.
    tokens = [stub.IssueMemberToken(pb.IssueMemberTokenRequest(member_id="reader"), metadata=bearer(key)) for _ in range(3)]
    withdrawn = stub.WithdrawMember(pb.WithdrawMemberRequest(member_id="reader"), metadata=bearer(key))
    assert withdrawn.revoked_tokens == 4
    for t in tokens:
        expect(Code.PERMISSION_DENIED, stub.VerifyMemberToken, pb.VerifyMemberTokenRequest(token=t.token),
               metadata=bearer(key), mentioning="withdrew")
    expect(Code.FAILED_PRECONDITION, stub.IssueMemberToken, pb.IssueMemberTokenRequest(member_id="reader"),
           metadata=bearer(key))
    # After a rejoin the old tokens stay dead (log in again); new ones work.
    stub.RejoinMember(pb.RejoinMemberRequest(member_id="reader"), metadata=bearer(key))
    expect(Code.UNAUTHENTICATED, stub.VerifyMemberToken, pb.VerifyMemberTokenRequest(token=tokens[0].token),
           metadata=bearer(key))
    new = stub.IssueMemberToken(pb.IssueMemberTokenRequest(member_id="reader"), metadata=bearer(key))
    assert stub.VerifyMemberToken(pb.VerifyMemberTokenRequest(token=new.token), metadata=admin()).membership_number == 1


# ---- membership feed ---------------------------------------------------------------------

class FeedReader:
    """Reads a WatchMemberships stream on a thread into a list."""

    def __init__(self, stub, request, metadata):
        self.call = stub.WatchMemberships(request, metadata=metadata, timeout=60)
        self.items, self.error = [], None
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            for item in self.call:
                with self.cond:
                    self.items.append(item)
                    self.cond.notify_all()
        except grpc.RpcError as error:
            with self.cond:
                self.error = error
                self.cond.notify_all()

    def wait_for(self, count, timeout=10):
        with self.cond:
            assert self.cond.wait_for(lambda: len(self.items) >= count or self.error, timeout), \
                f"only {len(self.items)} of {count} feed messages"
        return list(self.items[:count])

    def close(self):
        self.call.cancel()
        self.thread.join(timeout=5)


def test_watch_memberships_snapshot_live_and_resume(stub):
    club, key, _ = new_club(stub)
    join(stub, key, "s1", display_name="One")
    join(stub, key, "s2", display_name="Two")
    stub.WithdrawMember(pb.WithdrawMemberRequest(member_id="s2"), metadata=bearer(key))
    feed = FeedReader(stub, pb.WatchMembershipsRequest(), bearer(key))
    snapshot = feed.wait_for(3)
    assert [m.kind for m in snapshot] == [pb.MEMBERSHIP_EVENT_KIND_SNAPSHOT] * 2 + [pb.MEMBERSHIP_EVENT_KIND_SNAPSHOT_COMPLETE]
    assert [(m.member.member_id, m.member.state) for m in snapshot[:2]] == \
        [("s1", pb.MEMBERSHIP_STATE_ACTIVE), ("s2", pb.MEMBERSHIP_STATE_WITHDRAWN)]
    assert snapshot[0].member.profile.display_name == "One"
    head = snapshot[2].revision
    assert head >= max(m.revision for m in snapshot[:2])
    # Live changes, in order, with strictly increasing revisions.
    join(stub, key, "s3", display_name="Three")
    stub.UpdateMember(pb.UpdateMemberRequest(member_id="s3", profile=pb.MemberProfile(locale="fr-FR")), metadata=bearer(key))
    stub.WithdrawMember(pb.WithdrawMemberRequest(member_id="s3"), metadata=bearer(key))
    stub.RejoinMember(pb.RejoinMemberRequest(member_id="s2"), metadata=bearer(key))
    stub.EraseMember(pb.EraseMemberRequest(member_id="s1"), metadata=bearer(key))
    live = feed.wait_for(8)[3:]
    assert [m.kind for m in live] == [pb.MEMBERSHIP_EVENT_KIND_JOINED, pb.MEMBERSHIP_EVENT_KIND_UPDATED,
                                      pb.MEMBERSHIP_EVENT_KIND_WITHDRAWN, pb.MEMBERSHIP_EVENT_KIND_REJOINED,
                                      pb.MEMBERSHIP_EVENT_KIND_ERASED]
    revisions = [m.revision for m in live]
    assert revisions == sorted(revisions) and len(set(revisions)) == 5 and revisions[0] > head
    assert live[2].member.state == pb.MEMBERSHIP_STATE_WITHDRAWN and live[2].member.withdrawn_at_ms > 0
    assert live[3].member.member_id == "s2" and live[3].member.state == pb.MEMBERSHIP_STATE_ACTIVE
    assert live[4].member.member_id == "s1" and not live[4].member.HasField("profile")
    assert live[4].member.state == pb.MEMBERSHIP_STATE_ERASED
    feed.close()
    # Resume from a revision: replay from there, then the marker, then live.
    resume = FeedReader(stub, pb.WatchMembershipsRequest(from_revision=revisions[2]), bearer(key))
    replay = resume.wait_for(4)
    assert [m.revision for m in replay[:3]] == revisions[2:]
    assert replay[3].kind == pb.MEMBERSHIP_EVENT_KIND_SNAPSHOT_COMPLETE and replay[3].revision >= revisions[-1]
    join(stub, key, "s4")
    assert resume.wait_for(5)[4].member.member_id == "s4"
    resume.close()


def test_watch_all_clubs_as_admin_and_scoping(stub):
    club_a, key_a, _ = new_club(stub)
    club_b, key_b, _ = new_club(stub)
    head = stub.JoinMember(pb.JoinMemberRequest(member_id="a0"), metadata=bearer(key_a)).member.revision
    everything = FeedReader(stub, pb.WatchMembershipsRequest(from_revision=head + 1), admin())
    only_a = FeedReader(stub, pb.WatchMembershipsRequest(from_revision=head + 1), bearer(key_a))
    everything.wait_for(1)
    only_a.wait_for(1)
    join(stub, key_a, "a1")
    join(stub, key_b, "b1")
    join(stub, key_a, "a2")
    # The admin's all-clubs feed may include other tests' changes; keep the two clubs'.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        mine = [m for m in everything.items if m.member.club_id in (club_a.club_id, club_b.club_id)]
        if len(mine) >= 3:
            break
        time.sleep(0.05)
    assert [(m.member.club_id, m.member.member_id) for m in mine] == \
        [(club_a.club_id, "a1"), (club_b.club_id, "b1"), (club_a.club_id, "a2")]
    got_a = only_a.wait_for(3)[1:]
    assert [m.member.member_id for m in got_a] == ["a1", "a2"]
    time.sleep(0.2)
    assert all(m.member.club_id in ("", club_a.club_id) for m in only_a.items)
    everything.close()
    only_a.close()
    expect(Code.UNAUTHENTICATED, lambda: next(iter(stub.WatchMemberships(pb.WatchMembershipsRequest(), timeout=5))))


def test_health_is_served(channel):
    check = channel.unary_unary("/grpc.health.v1.Health/Check")
    assert check(b"", timeout=5) == b"\x08\x01"


# ---- durability --------------------------------------------------------------------------

def test_acknowledged_writes_survive_kill_9(tmp_path):
    srv = IdentityServer(tmp_path / "data").start()
    acknowledged = []
    try:
        with grpc.insecure_channel(srv.address) as ch:
            st = pb_grpc.IdentityServiceStub(ch)
            club = st.CreateClub(pb.CreateClubRequest(club_id="durable", name="Durable"), metadata=admin()).club
            key = st.CreateApiKey(pb.CreateApiKeyRequest(club_id=club.club_id), metadata=admin()).secret
            stop = threading.Event()

            def writer(prefix):
                n = 0
                while not stop.is_set() and n < 2000:
                    member_id = f"{prefix}-{n}"
                    try:
                        st.JoinMember(pb.JoinMemberRequest(member_id=member_id), metadata=bearer(key), timeout=5)
                    except grpc.RpcError:
                        return
                    acknowledged.append(member_id)
                    n += 1

            threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(4)]
            for t in threads:
                t.start()
            deadline = time.monotonic() + 10
            while len(acknowledged) < 100 and time.monotonic() < deadline:
                time.sleep(0.02)
            srv.kill9()  # in the middle of the writes
            stop.set()
            for t in threads:
                t.join(timeout=10)
    finally:
        if srv.process.poll() is None:
            srv.kill9()
    assert len(acknowledged) >= 100
    again = IdentityServer(srv.data_dir).start()
    try:
        with grpc.insecure_channel(again.address) as ch:
            st = pb_grpc.IdentityServiceStub(ch)
            stored, token = set(), ""
            while True:
                page = st.ListMembers(pb.ListMembersRequest(club_id="durable", page_size=1000, page_token=token),
                                      metadata=admin())
                stored.update(m.member_id for m in page.members)
                token = page.next_page_token
                if not token:
                    break
            missing = [m for m in acknowledged if m not in stored]
            assert not missing, f"{len(missing)} acknowledged joins lost, e.g. {missing[:5]}"
            numbers = [m.membership_number for m in st.ListMembers(
                pb.ListMembersRequest(club_id="durable", page_size=1000), metadata=admin()).members]
            assert len(numbers) == len(set(numbers))
            # The key survived too, and the feed continues after the last revision.
            feed = FeedReader(st, pb.WatchMembershipsRequest(club_id="durable"), admin())
            items = feed.wait_for(len(stored) + 1)
            assert items[-1].kind == pb.MEMBERSHIP_EVENT_KIND_SNAPSHOT_COMPLETE
            feed.close()
    finally:
        again.stop()


# ---- CLI ---------------------------------------------------------------------------------

def fanheat(server, *args, key=None, admin_key=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANHEAT_")}
    env["FANHEAT_IDENTITY_ADDR"] = server.address
    if admin_key:
        env["FANHEAT_ADMIN_KEY"] = ADMIN_KEY
    cmd = [str(BIN / "fanheat"), *args]
    if key:
        cmd += ["--api-key", key]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=30)


def fanheat_json(server, *args, **kwargs):
    result = fanheat(server, *args, "--json", **kwargs)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_operator_flow(server):
    plain = fanheat(server, "club", "create", "--name", "CLI Club", "--time-zone", "Asia/Tokyo", "--locale", "ja-JP")
    assert plain.returncode == 0, plain.stderr
    club_id = plain.stdout.strip()
    assert club_id.startswith("club_")
    club = fanheat_json(server, "club", "get", "--club", club_id)
    assert (club["club_id"], club["time_zone"], club["default_locale"]) == (club_id, "Asia/Tokyo", "ja-JP")
    assert club_id in [c["club_id"] for c in fanheat_json(server, "club", "list")["clubs"]]
    secret = fanheat(server, "key", "create", "--club", club_id).stdout.strip()
    assert secret.startswith("fh_live_")
    keys = fanheat_json(server, "key", "list", "--club", club_id)["api_keys"]
    assert len(keys) == 1 and "secret" not in json.dumps(keys)
    joined = fanheat_json(server, "member", "join", "--club", club_id, "--member", "cli-fan", "--name", "Cli Fan",
                          "--birthday", "07-14", "--time-zone", "Asia/Tokyo", "--channel", "push", "--opt-out", "offers",
                          "--quiet-hours", "22:00-07:00", key=secret, admin_key=False)
    assert (joined["membership_number"], joined["state"]) == (1, "active")
    assert joined["profile"]["birthday"] == {"year": 0, "month": 7, "day": 14}
    got = fanheat_json(server, "member", "get", "--member", "cli-fan", key=secret, admin_key=False)
    assert got["profile"]["display_name"] == "Cli Fan"
    token = fanheat_json(server, "token", "issue", "--club", club_id, "--member", "cli-fan", "--ttl", "300")
    verified = fanheat_json(server, "token", "verify", "--token", token["token"], key=secret, admin_key=False)
    assert (verified["member_id"], verified["state"]) == ("cli-fan", "active")
    withdrawn = fanheat_json(server, "member", "withdraw", "--club", club_id, "--member", "cli-fan")
    assert withdrawn["state"] == "withdrawn" and withdrawn["revoked_tokens"] == 1
    denied = fanheat(server, "token", "verify", "--token", token["token"], "--json")
    assert denied.returncode == 1
    assert json.loads(denied.stderr)["error"]["code"] == "PERMISSION_DENIED"
    rejoined = fanheat_json(server, "member", "rejoin", "--club", club_id, "--member", "cli-fan")
    assert rejoined["kept_membership_number"] and rejoined["membership_number"] == 1
    key_id = keys[0]["key_id"]
    assert fanheat_json(server, "key", "revoke", "--club", club_id, "--key", key_id)["revoked"]
    revoked = fanheat(server, "member", "get", "--member", "cli-fan", key=secret, admin_key=False)
    assert revoked.returncode == 1 and "UNAUTHENTICATED" in revoked.stderr
    erased = fanheat_json(server, "member", "erase", "--club", club_id, "--member", "cli-fan")
    assert erased["state"] == "erased" and erased["profile"] is None


def test_cli_errors_and_usage(server):
    missing = fanheat(server, "club", "get", "--club", "no-such-club")
    assert missing.returncode == 1 and "NOT_FOUND" in missing.stderr and "no-such-club" in missing.stderr
    usage = fanheat(server, "club", "create")
    assert usage.returncode == 2 and "--name" in usage.stderr
    unknown = fanheat(server, "frobnicate")
    assert unknown.returncode == 2
    no_key = fanheat(server, "club", "list", admin_key=False)
    assert no_key.returncode == 2 and "FANHEAT_ADMIN_KEY" in no_key.stderr
    helped = fanheat(server, "--help")
    assert helped.returncode == 0 and "member" in helped.stdout
    bad = fanheat(server, "member", "join", "--club", "x", "--member", "y", "--birthday", "tomorrow")
    assert bad.returncode == 2 and "--birthday" in bad.stderr
    down = subprocess.run([str(BIN / "fanheat"), "club", "list", "--identity-addr", f"127.0.0.1:{free_port()}",
                           "--timeout", "3"], env=dict(os.environ, FANHEAT_ADMIN_KEY=ADMIN_KEY),
                          capture_output=True, text=True, timeout=30)
    assert down.returncode == 1 and "UNAVAILABLE" in down.stderr
