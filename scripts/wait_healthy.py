#!/usr/bin/env python3
"""Waits until a gRPC server answers grpc.health.v1.Health/Check with SERVING.

  wait_healthy.py HOST:PORT [--service NAME] [--timeout SECONDS]
Exit 0 when serving, 1 on timeout. Uses grpcio with hand-encoded messages, so it
needs no generated stubs.
"""
import argparse
import sys
import time

import grpc


def encode_request(service: str) -> bytes:
    data = service.encode()
    return (b"\x0a" + bytes([len(data)]) + data) if data else b""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("--service", default="")
    ap.add_argument("--timeout", type=float, default=30)
    args = ap.parse_args()
    deadline = time.monotonic() + args.timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            with grpc.insecure_channel(args.target) as channel:
                check = channel.unary_unary("/grpc.health.v1.Health/Check")
                reply = check(encode_request(args.service), timeout=2)
                # HealthCheckResponse{status = 1 (SERVING)} is b"\x08\x01"
                if reply == b"\x08\x01":
                    return 0
                last = f"status bytes {reply!r}"
        except grpc.RpcError as error:  # not up yet
            last = f"{error.code().name}: {error.details()}"
        time.sleep(0.2)
    print(f"{args.target}: not healthy after {args.timeout}s ({last})", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
