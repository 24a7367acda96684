#!/usr/bin/env python3
"""Helper of benchmarks/identity.sh: prepares an identity server for load and checks it.

  identity_bench.py setup --target HOST:PORT --admin-key KEY --members N --out DIR
      creates a club, a club key, N members and one member token each; writes the
      gRPC-framed request bodies h2load sends (verify_token.bin, get_member.bin,
      verify_key.bin) and the club key (club.key) into DIR, and checks that each
      request answers OK through grpcio.
  identity_bench.py calls --metrics HOST:PORT --method NAME
      prints "ok failed" call counts of one method from the server's /metrics.
"""
import argparse
import os
import pathlib
import struct
import sys
import tempfile
import urllib.request

import grpc
from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parents[1]


def stubs():
    out = tempfile.mkdtemp(prefix="fh-identity-bench-")
    status = protoc.main(["protoc", f"-I{ROOT / 'Shared' / 'Protos'}", f"--python_out={out}",
                          f"--grpc_python_out={out}", "fanheat/identity/v1/identity.proto"])
    if status != 0:
        sys.exit("protoc failed")
    sys.path.insert(0, out)
    from fanheat.identity.v1 import identity_pb2, identity_pb2_grpc
    return identity_pb2, identity_pb2_grpc


def framed(message):
    data = message.SerializeToString()
    return b"\x00" + struct.pack(">I", len(data)) + data


def setup(args):
    pb, pb_grpc = stubs()
    admin = (("authorization", f"Bearer {args.admin_key}"),)
    out = pathlib.Path(args.out)
    with grpc.insecure_channel(args.target) as channel:
        stub = pb_grpc.IdentityServiceStub(channel)
        club = stub.CreateClub(pb.CreateClubRequest(club_id="bench", name="Bench"), metadata=admin).club
        key = stub.CreateApiKey(pb.CreateApiKeyRequest(club_id=club.club_id), metadata=admin).secret
        auth = (("authorization", f"Bearer {key}"),)
        futures = [stub.JoinMember.future(pb.JoinMemberRequest(member_id=f"m{i:06d}",
                                                               profile=pb.MemberProfile(display_name=f"Fan {i}")),
                                          metadata=auth) for i in range(args.members)]
        for future in futures:
            future.result()
        middle = f"m{args.members // 2:06d}"
        token = stub.IssueMemberToken(pb.IssueMemberTokenRequest(member_id=middle, ttl_seconds=86400),
                                      metadata=auth).token
        bodies = {
            "verify_token.bin": pb.VerifyMemberTokenRequest(token=token),
            "get_member.bin": pb.GetMemberRequest(member_id=middle),
            "verify_key.bin": pb.VerifyApiKeyRequest(),
        }
        for name, message in bodies.items():
            (out / name).write_bytes(framed(message))
        (out / "club.key").write_text(key)
        assert stub.VerifyMemberToken(bodies["verify_token.bin"], metadata=auth).member_id == middle
        assert stub.GetMember(bodies["get_member.bin"], metadata=auth).member.member_id == middle
        assert stub.VerifyApiKey(bodies["verify_key.bin"], metadata=auth).club_id == club.club_id
    print(f"setup: club {club.club_id}, {args.members} members, token for {middle}")


def calls(args):
    text = urllib.request.urlopen(f"http://{args.metrics}/metrics", timeout=5).read().decode()
    ok = failed = 0
    for line in text.splitlines():
        if line.startswith("fanheat_rpc_server_calls_total{") and f'/{args.method}"' in line:
            count = int(float(line.rsplit(" ", 1)[1]))
            if 'code="OK"' in line:
                ok += count
            else:
                failed += count
    print(ok, failed)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--target", required=True)
    s.add_argument("--admin-key", required=True)
    s.add_argument("--members", type=int, default=1000)
    s.add_argument("--out", required=True)
    c = sub.add_parser("calls")
    c.add_argument("--metrics", required=True)
    c.add_argument("--method", required=True)
    args = parser.parse_args()
    setup(args) if args.command == "setup" else calls(args)


if __name__ == "__main__":
    main()
