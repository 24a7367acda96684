#!/usr/bin/env bash
# Codec throughput: encode and decode of an IngestRequest with 100 realistic activities,
# FanHeat's codec (Shared/Protobuf + generated Shared/Contracts) against swift-protobuf
# 1.39.0 (protoc-gen-swift code for the same contract), in one process, release build.
# Prints messages/s, activities/s and MB/s (medians of interleaved repetitions) and the
# FanHeat / swift-protobuf ratios.
#
#   benchmarks/codec.sh [-r REPETITIONS] [-t MILLISECONDS] [-a ACTIVITIES]
#     -r  repetitions of every case (default 7)
#     -t  target duration of one repetition of one case, ms (default 300)
#     -a  activities per request (default 100)
# The benchmark package (benchmarks/codec) is separate from the product package so the
# product keeps no dependencies; its first release build compiles swift-protobuf (minutes).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"
REPS=7 MS=300 ACTIVITIES=100
while getopts "r:t:a:h" opt; do
  case "$opt" in
    r) REPS=$OPTARG ;; t) MS=$OPTARG ;; a) ACTIVITIES=$OPTARG ;;
    *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
cd "$ROOT/benchmarks/codec"
echo "building benchmarks/codec (release; the first build compiles swift-protobuf)..."
t0=$(date +%s)
if ! swift build -c release --product CodecBench >"$ROOT/.build/codec-bench-build.log" 2>&1; then
  grep -E "error" "$ROOT/.build/codec-bench-build.log" >&2 || tail -30 "$ROOT/.build/codec-bench-build.log" >&2
  exit 1
fi
echo "built in $(( $(date +%s) - t0 ))s"
echo "machine: $(nproc) cores, load average $(uptime | sed "s/.*load average: //")"
"$(swift build -c release --show-bin-path)/CodecBench" --repetitions "$REPS" --milliseconds "$MS" --activities "$ACTIVITIES"
echo "load average after: $(uptime | sed "s/.*load average: //")"
