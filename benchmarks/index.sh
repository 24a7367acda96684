#!/usr/bin/env bash
# The idempotency index alone: RecentKeyIndex.prefetch + insert of random keys in batches
# of 100, timing only those calls, with the caches polluted between batches as the rest of
# the server does. Prints progress every 5M keys (ns per insert, slowest batch, table
# size) and a total per run. Runs are repeated so that drift shows.
#
#   benchmarks/index.sh [-n KEYS] [-r RUNS] [-p PAUSE_US]
#     -n  keys per run (default 30000000: the table grows through resizes to 64M slots)
#     -r  runs (default 2)
#     -p  pause between batches in µs (default 20)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"
KEYS=30000000 RUNS=2 PAUSE=20
while getopts "n:r:p:h" opt; do
  case "$opt" in
    n) KEYS=$OPTARG ;; r) RUNS=$OPTARG ;; p) PAUSE=$OPTARG ;;
    *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
cd "$ROOT/benchmarks/pipeline"
echo "building IndexBench in benchmarks/pipeline (release)..."
swift build -c release --product IndexBench 2>&1 | tail -1
BIN="$(swift build -c release --show-bin-path)/IndexBench"
for run in $(seq "$RUNS"); do
  echo "== run $run/$RUNS"
  "$BIN" --keys "$KEYS" --pause-us "$PAUSE"
done
