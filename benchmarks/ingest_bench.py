#!/usr/bin/env python3
"""Helper of benchmarks/ingest.sh: request bodies, /metrics readings, result rows, table.

  ingest_bench.py bodies --club C --members N --batch B --tag T --out FILE
      writes one gRPC-framed IngestRequest with B valid activities of club C (members
      m-0000000.. as fanheat-load prepares them, event ids "<T>-<i>"), the body h2load sends
  ingest_bench.py metrics --metrics HOST:PORT
      prints "next_offset ok_calls failed_calls remembered_keys remembered_bytes group_commits"
      of activity-ingest (calls: Ingest only)
  ingest_bench.py loadrow --json FILE --label L --srv-cpu S --load-cpu S --wall S
                          --stored N --results FILE
      turns one fanheat-load --json summary into a result row (JSON line)
  ingest_bench.py h2row --h2load OUT --log LOG --label L --batch B --n N --rc RC
                        --srv-cpu S --load-cpu S --wall S --ok-calls K --stored N --results FILE
      parses one h2load run into a result row (p50..p99.9 from h2load's --log-file)
  ingest_bench.py tail --target HOST:PORT --key KEY --end N --count K
      reads the last K records below offset N back with Subscribe (the club key) and
      checks the offsets are dense, end at N-1 and carry distinct event ids of the club
  ingest_bench.py table --results FILE [--peers FILE]
      prints the markdown table: our rows, then the peers' medians (bench-peers.sh
      results.jsonl), and our throughput as a ratio of the grpc-swift-2 peer's
"""
import argparse
import json
import os
import pathlib
import re
import statistics
import struct
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]


def stubs(services=False):
    from grpc_tools import protoc
    out = tempfile.mkdtemp(prefix="fh-ingest-bench-")
    args = ["protoc", f"-I{ROOT / 'Shared' / 'Protos'}", f"--python_out={out}"]
    if services:
        args.append(f"--grpc_python_out={out}")
    status = protoc.main(args + ["fanheat/ingest/v1/ingest.proto"])
    if status != 0:
        sys.exit("protoc failed")
    sys.path.insert(0, out)
    from fanheat.ingest.v1 import ingest_pb2
    if services:
        from fanheat.ingest.v1 import ingest_pb2_grpc
        return ingest_pb2, ingest_pb2_grpc
    return ingest_pb2


def cmd_tail(args):
    import grpc
    pb, pb_grpc = stubs(services=True)
    start = max(0, args.end - args.count)
    records = []
    with grpc.insecure_channel(args.target) as channel:
        call = pb_grpc.ActivityIngestStub(channel).Subscribe(
            pb.SubscribeRequest(from_offset=start, max_batch=5000),
            metadata=(("authorization", f"Bearer {args.key}"),), timeout=60)
        try:
            for batch in call:
                records.extend(batch.activities)
                if records and records[-1].offset + 1 >= args.end:
                    break
        finally:
            call.cancel()
    offsets = [r.offset for r in records]
    events = {r.activity.event_id for r in records}
    ok = offsets == list(range(start, args.end)) and len(events) == len(records)
    print(f"  Subscribe read back offsets {start}..{args.end - 1}: {len(records)} records, "
          f"{len(events)} distinct event ids" + ("" if ok else "  CHECK FAILED"), flush=True)
    if not ok:
        sys.exit(3)


def cmd_bodies(args):
    pb = stubs()
    now = int(time.time() * 1000)
    activities = []
    for i in range(args.batch):
        kind = [pb.ACTIVITY_KIND_CONTENT_VIEW, pb.ACTIVITY_KIND_MUSIC_PLAY, pb.ACTIVITY_KIND_LOGIN,
                pb.ACTIVITY_KIND_PURCHASE][i % 4]
        activity = pb.Activity(event_id=f"{args.tag}-{i:06d}", club_id=args.club,
                               member_id=f"m-{(i * 7919) % args.members:07d}", kind=kind,
                               occurred_at_ms=now - 1000 - i, item_id=f"item-{i % 5000}", value=1 + i % 600)
        if kind == pb.ACTIVITY_KIND_PURCHASE:
            activity.currency = "JPY"
            activity.value = 500 + i
        activities.append(activity)
    data = pb.IngestRequest(activities=activities).SerializeToString()
    pathlib.Path(args.out).write_bytes(struct.pack(">BI", 0, len(data)) + data)
    print(f"{args.out}: {args.batch} activities, {len(data) + 5} bytes")


def cmd_metrics(args):
    text = urllib.request.urlopen(f"http://{args.metrics}/metrics", timeout=5).read().decode()
    values = {"next": 0, "ok": 0, "failed": 0, "keys": 0, "bytes": 0, "commits": 0}
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        name, value = line.rsplit(" ", 1)
        number = int(float(value))
        if name == "fanheat_ingest_log_next_offset":
            values["next"] = number
        elif name == "fanheat_ingest_log_group_commits":
            values["commits"] = number
        elif name == "fanheat_ingest_remembered_keys":
            values["keys"] = number
        elif name == "fanheat_ingest_remembered_keys_bytes":
            values["bytes"] = number
        elif name.startswith("fanheat_rpc_server_calls_total{") and '/Ingest"' in name:
            values["ok" if 'code="OK"' in name else "failed"] += number
    print(values["next"], values["ok"], values["failed"], values["keys"], values["bytes"], values["commits"])


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    rank = max(1, int(-(-len(sorted_values) * q // 1)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def cpu_pct(seconds, wall):
    return 100.0 * seconds / wall if wall > 0 and seconds is not None else float("nan")


def append(path, row):
    with open(path, "a") as f:
        f.write(json.dumps(row) + "\n")


def cmd_loadrow(args):
    s = json.loads(pathlib.Path(args.json).read_text())
    lat = s["latency_ms"]
    errors = sum(s["errors"].values()) + s["rejected"]
    row = {"label": args.label, "driver": "fanheat-load", "batch": s["batch"], "calls_s": s["calls_per_second"],
           "act_s": s["activities_per_second"], "p50": lat["p50"], "p90": lat["p90"], "p99": lat["p99"],
           "p999": lat["p99_9"], "max": lat["max"], "calls": s["calls"], "errors": errors,
           "accepted": s["accepted"], "duplicates": s["duplicates"], "stored": args.stored,
           "srv_cpu": cpu_pct(args.srv_cpu, args.wall), "load_cpu": cpu_pct(args.load_cpu, args.wall),
           "conc": f"{s['concurrency']} in flight / {s['connections']} conn", "commits": args.commits}
    row["verified"] = row["stored"] == row["accepted"] and errors == 0
    append(args.results, row)
    print(f"  {args.label}: {row['calls_s']:.0f} calls/s, {row['act_s']:.0f} activities/s, p50 {row['p50']:.2f} ms, "
          f"p99 {row['p99']:.2f} ms, errors {errors}, accepted {row['accepted']}, log grew {row['stored']}"
          + f", {args.commits} fdatasyncs" + ("" if row["verified"] else "  CHECK FAILED"), flush=True)


def dur_ms(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s)", text)
    return float(m.group(1)) * {"us": 1e-3, "ms": 1, "s": 1e3}[m.group(2)]


def cmd_h2row(args):
    out = pathlib.Path(args.h2load).read_text()
    m = re.search(r"finished in ([0-9.]+(?:us|ms|s)), ([0-9.]+) req/s", out)
    rps = float(m.group(2)) if m else 0.0
    succeeded = int((re.search(r"(\d+) succeeded", out) or [0, 0])[1])
    s2xx = int((re.search(r"status codes: (\d+) 2xx", out) or [0, 0])[1])
    m = re.search(r"time for request:\s+\S+\s+(\S+)\s+\S+", out)
    maximum = dur_ms(m.group(1)) if m else float("nan")
    lat = []
    if os.path.exists(args.log):
        for line in open(args.log):
            parts = line.split("\t")
            if len(parts) >= 3 and parts[1] == "200":
                lat.append(int(parts[2]) / 1000.0)
    lat.sort()
    errors = args.n - args.ok_calls
    row = {"label": args.label, "driver": "h2load", "batch": args.batch, "calls_s": rps, "act_s": rps * args.batch,
           "p50": percentile(lat, 0.5), "p90": percentile(lat, 0.9), "p99": percentile(lat, 0.99),
           "p999": percentile(lat, 0.999), "max": maximum, "calls": args.n, "errors": errors,
           "accepted": args.batch, "duplicates": (args.n - 1) * args.batch, "stored": args.stored,
           "srv_cpu": cpu_pct(args.srv_cpu, args.wall), "load_cpu": cpu_pct(args.load_cpu, args.wall),
           "conc": f"{args.c} conn x {args.m} streams", "commits": args.commits}
    row["verified"] = (args.rc == 0 and succeeded == args.n and s2xx == args.n and errors == 0
                       and args.stored == args.batch)
    append(args.results, row)
    print(f"  {args.label}: {rps:.0f} calls/s, {rps * args.batch:.0f} activities/s, p50 {row['p50']:.2f} ms, "
          f"p99 {row['p99']:.2f} ms, gRPC OK {args.ok_calls}/{args.n}, log grew {args.stored} (expected {args.batch}), "
          f"{args.commits} fdatasyncs"
          + ("" if row["verified"] else "  CHECK FAILED"), flush=True)


PEER_NAMES = {"swift": "grpc-swift-2 peer", "py-sync": "grpcio sync peer", "py-aio": "grpcio aio peer",
              "nghttpd": "nghttpd static (not gRPC)"}


def fmt(value, spec):
    return "-" if value is None or value != value else format(value, spec)


def cmd_table(args):
    rows = [json.loads(line) for line in open(args.results) if line.strip()]
    peers = []
    raw = []
    phases = {}
    for phase, path in enumerate(args.peers or []):
        if os.path.exists(path):
            for line in open(path):
                if line.strip():
                    r = json.loads(line)
                    raw.append(r)
                    phases.setdefault((r["peer"], r["batch"]), []).append(r["rps"])
    if raw:
        groups = {}
        for r in raw:
            groups.setdefault((r["peer"], r["batch"]), []).append(r)
        for (peer, batch), rs in groups.items():
            def med(key, scale=1.0):
                values = [x[key] for x in rs if x.get(key) is not None and x[key] == x[key]]
                return statistics.median(values) * scale if values else float("nan")
            peers.append({"label": PEER_NAMES.get(peer, peer), "peer": peer, "driver": "h2load", "batch": batch,
                          "calls_s": med("rps"), "act_s": med("act_s") if peer != "nghttpd" else float("nan"),
                          "p50": med("p50_us", 1e-3), "p90": med("p90_us", 1e-3), "p99": med("p99_us", 1e-3),
                          "p999": float("nan"), "max": med("lat_max_us", 1e-3), "errors": sum(0 if x["ok"] else 1 for x in rs),
                          "srv_cpu": med("srv_cpu_pct"), "load_cpu": med("h2load_cpu_pct"),
                          "conc": f"{rs[0]['c']} conn x {rs[0]['m']} streams", "runs": len(rs)})
    swift = {p["batch"]: p for p in peers if p.get("peer") == "swift"}
    print("| server | driver | batch | load | calls/s | activities/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms "
          "| errors | stored = acknowledged | calls per fdatasync | server CPU | load CPU | vs grpc-swift-2 |")
    print("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    for r in rows + peers:
        persists = "peer" not in r
        if persists:
            check = f"yes ({r['stored']} new records)" if r["verified"] else f"NO (log grew {r['stored']}, acknowledged {r['accepted']})"
        else:
            check = "no durable write (peer)"
        ratio = "-"
        if persists and r["batch"] in swift and swift[r["batch"]]["calls_s"] > 0:
            ratio = f"{r['calls_s'] / swift[r['batch']]['calls_s']:.2f}x"
        name = r["label"] if not persists else f"activity-ingest ({r['label']})"
        per_sync = f"{r['calls'] / r['commits']:.1f}" if persists and r['driver'] == 'fanheat-load' and r.get('commits') else "-"
        print(f"| {name} | {r['driver']} | {r['batch']} | {r['conc']} | {fmt(r['calls_s'], '.0f')} | {fmt(r['act_s'], '.0f')} "
              f"| {fmt(r['p50'], '.2f')} | {fmt(r['p90'], '.2f')} | {fmt(r['p99'], '.2f')} | {fmt(r['p999'], '.2f')} "
              f"| {fmt(r['max'], '.2f')} | {r['errors']} | {check} | {per_sync} | {fmt(r['srv_cpu'], '.0f')}% | {fmt(r['load_cpu'], '.0f')}% "
              f"| {ratio} |")
    if not swift:
        print("\n(no grpc-swift-2 peer figures in this run: no ratios)")
    for (peer, batch), values in sorted(phases.items()):
        if peer == "swift" and len(values) > 1:
            print(f"\ngrpc-swift-2 peer, batch {batch}: " + " / ".join(f"{v:.0f}" for v in values)
                  + " calls/s (runs before / after ours; the table shows the median)", end="")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bodies")
    b.add_argument("--club", required=True)
    b.add_argument("--members", type=int, required=True)
    b.add_argument("--batch", type=int, required=True)
    b.add_argument("--tag", required=True)
    b.add_argument("--out", required=True)
    m = sub.add_parser("metrics")
    m.add_argument("--metrics", required=True)
    for name in ("loadrow", "h2row"):
        p = sub.add_parser(name)
        p.add_argument("--label", required=True)
        p.add_argument("--srv-cpu", type=float)
        p.add_argument("--load-cpu", type=float)
        p.add_argument("--wall", type=float, default=0)
        p.add_argument("--stored", type=int, required=True)
        p.add_argument("--commits", type=int, default=0, help="group commits (fdatasync) during the run")
        p.add_argument("--results", required=True)
        if name == "loadrow":
            p.add_argument("--json", required=True)
        else:
            p.add_argument("--h2load", required=True)
            p.add_argument("--log", required=True)
            p.add_argument("--batch", type=int, required=True)
            p.add_argument("--n", type=int, required=True)
            p.add_argument("--c", type=int, required=True)
            p.add_argument("--m", type=int, required=True)
            p.add_argument("--rc", type=int, required=True)
            p.add_argument("--ok-calls", type=int, required=True)
    tl = sub.add_parser("tail")
    tl.add_argument("--target", required=True)
    tl.add_argument("--key", required=True)
    tl.add_argument("--end", type=int, required=True)
    tl.add_argument("--count", type=int, default=20000)
    t = sub.add_parser("table")
    t.add_argument("--results", required=True)
    t.add_argument("--peers", nargs="*", help="bench-peers.sh results.jsonl files (runs are pooled)")
    args = ap.parse_args()
    {"bodies": cmd_bodies, "metrics": cmd_metrics, "loadrow": cmd_loadrow, "h2row": cmd_h2row,
     "tail": cmd_tail, "table": cmd_table}[args.cmd](args)


if __name__ == "__main__":
    main()
