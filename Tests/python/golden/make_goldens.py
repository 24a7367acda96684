#!/usr/bin/env python3
"""Writes (or checks) the codec's golden encodings, made by the real protobuf library.

  python Tests/python/golden/make_goldens.py            rewrite Tests/ProtobufTests/Golden/*.bin
  python Tests/python/golden/make_goldens.py --check    fail if a committed golden differs
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

GOLDEN = os.path.join(corpus.ROOT, "Tests", "ProtobufTests", "Golden")


def expected_files():
    pb, ingest_pb2 = corpus.load_stubs()
    files = {}
    for name, (message, raw) in corpus.corpus(pb, ingest_pb2).items():
        files[f"{name}.bin"] = corpus.encoding(message, raw)
    for name, message in corpus.ingest_corpus(ingest_pb2).items():
        files[f"{name}.bin"] = message.SerializeToString()
    return files


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    files = expected_files()
    if args.check:
        bad = []
        for name, data in files.items():
            path = os.path.join(GOLDEN, name)
            if not os.path.exists(path) or open(path, "rb").read() != data:
                bad.append(name)
        extra = sorted(set(f for f in os.listdir(GOLDEN) if f.endswith(".bin")) - set(files))
        if bad or extra:
            sys.exit(f"goldens out of date: {bad} differ, {extra} unexpected; run {sys.argv[0]}")
        print(f"goldens: {len(files)} committed encodings match the protobuf library")
        return
    os.makedirs(GOLDEN, exist_ok=True)
    for name in os.listdir(GOLDEN):
        if name.endswith(".bin"):
            os.remove(os.path.join(GOLDEN, name))
    for name, data in files.items():
        with open(os.path.join(GOLDEN, name), "wb") as f:
            f.write(data)
    print(f"goldens: wrote {len(files)} files to {GOLDEN}")


if __name__ == "__main__":
    main()
