#!/usr/bin/env python3
"""Group-commit write probe: how fast can this disk take `pwrite` + `fdatasync` cycles?

Compares the three ways a log segment can receive its writes:
  append    the file grows with every write (the inode and allocation change each sync)
  falloc    the file was reserved with posix_fallocate (unwritten extents, converted on write)
  zeros     the file was filled with zeros and synced first (writes overwrite owned blocks)
  zerocold  as zeros, but the zero pages were dropped from the page cache

Usage: benchmarks/log-write-probe.py [--dir DIR] [--chunk BYTES] [--total BYTES] [--rounds N]
Prints one line per mode and round: commits/s, MB/s, p50 and p99 commit latency.
The directory must be on the disk the service uses (not a tmpfs).
"""
import argparse
import os
import sys
import time


def run(directory, mode, chunk, total):
    path = os.path.join(directory, f"probe-{mode}-{os.getpid()}")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        if mode == "falloc":
            os.posix_fallocate(fd, 0, total + chunk)
            os.fsync(fd)
        elif mode in ("zeros", "zerocold"):
            zeros = bytes(1 << 20)
            for position in range(0, total + chunk, 1 << 20):
                os.pwrite(fd, zeros, position)
            os.fsync(fd)
            if mode == "zerocold":
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        payload = os.urandom(chunk)
        position = 100  # not page aligned, like real group commits
        latencies = []
        started = time.perf_counter()
        while position + chunk < total:
            before = time.perf_counter()
            os.pwrite(fd, payload, position)
            os.fdatasync(fd)
            latencies.append(time.perf_counter() - before)
            position += chunk
        elapsed = time.perf_counter() - started
    finally:
        os.close(fd)
        os.unlink(path)
    latencies.sort()
    count = len(latencies)
    print(f"{mode:8s} chunk {chunk >> 10:5d} KiB: {count / elapsed:8.0f} commits/s {count * chunk / elapsed / 1e6:7.1f} MB/s"
          f"  p50 {latencies[count // 2] * 1e3:.2f} ms  p99 {latencies[int(count * 0.99)] * 1e3:.2f} ms", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default=".", help="directory on the disk under test (default: .)")
    parser.add_argument("--chunk", type=int, default=128 << 10, help="bytes per commit (default 128 KiB)")
    parser.add_argument("--total", type=int, default=64 << 20, help="bytes per mode and round (default 64 MiB)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--modes", default="append,falloc,zeros,zerocold")
    arguments = parser.parse_args()
    for round_number in range(arguments.rounds):
        print(f"round {round_number + 1}/{arguments.rounds}", file=sys.stderr, flush=True)
        for mode in arguments.modes.split(","):
            run(arguments.dir, mode, arguments.chunk, arguments.total)


if __name__ == "__main__":
    main()
