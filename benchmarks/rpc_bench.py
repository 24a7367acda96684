#!/usr/bin/env python3
"""Helper for benchmarks/rpc.sh.

  rpc_bench.py metrics --metrics HOST:PORT --method PATH --expect N
      reads the server's /metrics: fanheat_rpc_server_calls_total for PATH must be
      exactly N calls, all with code OK (exit 1 otherwise)
  rpc_bench.py table --results FILE
      medians per target over the runs of results.jsonl (written by ingest_tool.py
      parse) and the req/s ratios against nghttpd and grpc-swift-2
"""
import argparse
import json
import re
import statistics
import sys
import urllib.request

NAMES = {"fanheat": "fanheat (this runtime)", "nghttpd": "nghttpd (static POST, not gRPC)",
         "swift": "grpc-swift-2", "py-aio": "grpcio aio", "py-sync": "grpcio sync"}


def metrics(args):
    text = urllib.request.urlopen(f"http://{args.metrics}/metrics", timeout=5).read().decode()
    codes = {}
    pattern = re.compile(r'^fanheat_rpc_server_calls_total\{method="([^"]*)",code="([^"]*)"\} (\d+)$')
    for line in text.splitlines():
        m = pattern.match(line)
        if m and m.group(1) == args.method:
            codes[m.group(2)] = int(m.group(3))
    ok = codes.get("OK", 0)
    others = {k: v for k, v in codes.items() if k != "OK"}
    good = ok == args.expect and not others
    print(f"# fanheat /metrics: {args.method} OK={ok} (expected {args.expect})"
          + (f" other codes {others}" if others else "") + ("" if good else "  METRICS CHECK FAILED"))
    return 0 if good else 1


def table(args):
    rows = [json.loads(line) for line in open(args.results) if line.strip()]
    groups = {}
    for r in rows:
        groups.setdefault(r["peer"], []).append(r)

    def med(rs, key):
        vals = [x[key] for x in rs if x.get(key) is not None and x[key] == x[key]]
        return statistics.median(vals) if vals else float("nan")

    rps = {peer: med(rs, "rps") for peer, rs in groups.items()}

    def cpu_per_call(rs):
        # server CPU seconds / requests; h2load's run time stands in for the wall time
        vals = [x["srv_cpu_pct"] / 100 * x["secs"] / x["n"] * 1e6 for x in rs if x.get("srv_cpu_pct") is not None]
        return statistics.median(vals) if vals else float("nan")
    print("| target | runs | req/s (median) | vs nghttpd | vs grpc-swift-2 | p50 ms | p99 ms | max ms"
          " | server CPU | server CPU µs/call | h2load CPU | checks |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for peer, rs in groups.items():
        def ratio(base):
            return f"{rps[peer] / rps[base]:.2f}x" if base in rps and rps[base] > 0 else "-"
        ok = all(x["ok"] for x in rs)
        print(f"| {NAMES.get(peer, peer)} | {len(rs)} | {rps[peer]:.0f} | {ratio('nghttpd')} | {ratio('swift')}"
              f" | {med(rs, 'p50_us') / 1e3:.2f} | {med(rs, 'p99_us') / 1e3:.2f} | {med(rs, 'lat_max_us') / 1e3:.2f}"
              f" | {med(rs, 'srv_cpu_pct'):.0f}% | {cpu_per_call(rs):.1f} | {med(rs, 'h2load_cpu_pct'):.0f}%"
              f" | {'all OK' if ok else 'SOME RUNS FAILED'} |")
    print("(CPU: % of one core, 200% = both cores; latency measured by h2load, queueing included)")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("metrics")
    m.add_argument("--metrics", required=True)
    m.add_argument("--method", required=True)
    m.add_argument("--expect", type=int, required=True)
    t = sub.add_parser("table")
    t.add_argument("--results", required=True)
    args = ap.parse_args()
    sys.exit({"metrics": metrics, "table": table}[args.cmd](args))


if __name__ == "__main__":
    main()
