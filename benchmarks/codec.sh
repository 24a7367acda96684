#!/usr/bin/env bash
# Codec throughput: encode and decode of an IngestRequest with 100 realistic activities,
# FanHeat's codec (Shared/Protobuf + generated Shared/Contracts) against swift-protobuf
# 1.39.0 (protoc-gen-swift code for the same contract), in one process, release build.
# Prints messages/s, activities/s and MB/s (medians of interleaved repetitions) and the
# FanHeat / swift-protobuf ratios.
#
#   benchmarks/codec.sh [-r REPETITIONS] [-t MILLISECONDS] [-a ACTIVITIES] [-i]
#     -r  repetitions of every case (default 7)
#     -t  target duration of one repetition of one case, ms (default 300)
#     -a  activities per request (default 100)
#     -i  also count instructions per message with valgrind (cachegrind): slow (~1 min) but
#         independent of machine load, for comparing changes on a shared machine
# Times are thread CPU time (not wall time), so other processes on a shared machine
# distort them less; the per-repetition ratio pairs cases measured back to back.
# The benchmark package (benchmarks/codec) is separate from the product package so the
# product keeps no dependencies; its first release build compiles swift-protobuf (minutes).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"
REPS=7 MS=300 ACTIVITIES=100 COUNT_INSTRUCTIONS=0
while getopts "r:t:a:ih" opt; do
  case "$opt" in
    r) REPS=$OPTARG ;; t) MS=$OPTARG ;; a) ACTIVITIES=$OPTARG ;; i) COUNT_INSTRUCTIONS=1 ;;
    *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
cd "$ROOT/benchmarks/codec"
mkdir -p "$ROOT/.build"
echo "building benchmarks/codec (release; the first build compiles swift-protobuf)..."
t0=$(date +%s)
if ! swift build -c release --product CodecBench >"$ROOT/.build/codec-bench-build.log" 2>&1; then
  grep -E "error" "$ROOT/.build/codec-bench-build.log" >&2 || tail -30 "$ROOT/.build/codec-bench-build.log" >&2
  exit 1
fi
echo "built in $(( $(date +%s) - t0 ))s"
echo "machine: $(nproc) cores, load average $(uptime | sed "s/.*load average: //")"
BIN="$(swift build -c release --show-bin-path)/CodecBench"
"$BIN" --repetitions "$REPS" --milliseconds "$MS" --activities "$ACTIVITIES"
echo "load average after: $(uptime | sed "s/.*load average: //")"

if [ "$COUNT_INSTRUCTIONS" = 1 ]; then
  command -v valgrind >/dev/null || { echo "-i needs valgrind (Debian: valgrind)" >&2; exit 2; }
  # Instructions of N messages = I(warm-up + 300) - I(warm-up + 100), over 200.
  count() {
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$BIN" --only "$1" \
      --repetitions 1 --iterations "$2" --activities "$ACTIVITIES" 2>&1 | grep 'I *refs' | sed 's/.*refs: *//; s/,//g'
  }
  echo
  echo "| case | instructions/message (cachegrind) |"
  echo "| --- | ---: |"
  declare -A per
  for c in "encode FanHeat" "encode swift-protobuf" "decode FanHeat" "decode swift-protobuf"; do
    a=$(count "$c" 100); b=$(count "$c" 300)
    per[$c]=$(( (b - a) / 200 ))
    echo "| $c | ${per[$c]} |"
  done
  awk -v e1="${per[encode swift-protobuf]}" -v e0="${per[encode FanHeat]}" \
      -v d1="${per[decode swift-protobuf]}" -v d0="${per[decode FanHeat]}" \
      'BEGIN { printf "\ninstruction ratio swift-protobuf / FanHeat: encode %.2fx, decode %.2fx\n", e1 / e0, d1 / d0 }'
fi
