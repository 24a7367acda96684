#!/usr/bin/env bash
# Fuzzes the protobuf decoder with libFuzzer (AddressSanitizer on).
#   scripts/fuzz.sh [SECONDS]     build .build/fuzz/codec-fuzz if its sources changed, then
#                                 fuzz for SECONDS (default 60) and print progress every 10 s.
# The harness (Tests/Fuzz/CodecFuzzTarget.swift) decodes each input as a dozen message types
# and checks that whatever decodes re-encodes, decodes again and re-encodes to the same bytes
# (Tests/ProtobufTests/CodecRoundTripCheck.swift). Seeds: the codec goldens, Tests/Fuzz/Seeds
# and earlier findings (Tests/ProtobufTests/FuzzRegressions). A crash, a broken round trip, a
# leak, a timeout or an out-of-memory exits 1 and leaves the input in .build/fuzz/artifacts/.
# SwiftPM cannot build a libFuzzer target (its main clashes with libFuzzer's), so swiftc builds
# FanHeatProtobuf, FanHeatRPC and FanHeatContracts as modules here, instrumented.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="/opt/swift/usr/bin:$PATH"
SECONDS_TO_RUN="${1:-60}"
OUT=.build/fuzz
BIN="$OUT/codec-fuzz"
mkdir -p "$OUT/modules" "$OUT/artifacts" "$OUT/corpus"

FLAGS=(-swift-version 6 -parse-as-library -O -g -sanitize=fuzzer,address -I "$OUT/modules")
RPC_SOURCES=(); mapfile -t RPC_SOURCES < <(find Shared/RPC -name '*.swift' | LC_ALL=C sort)
HARNESS_SOURCES=(Tests/Fuzz/*.swift Tests/ProtobufTests/CodecRoundTripCheck.swift
                 Tests/ProtobufTests/Generated/*.swift Shared/ProtoGen/Descriptor/*.swift)
# stamp_of FILES...: what a build step's output depends on.
stamp_of() { (swiftc --version 2>&1; echo "${FLAGS[*]}"; cat "$@") | sha256sum | cut -d' ' -f1; }

# build_module NAME "IMPORTED MODULES" SOURCES...: one instrumented object and its
# .swiftmodule, rebuilt when its sources or a module it imports changed.
build_module() {
  local name="$1" imports="$2"; shift 2
  local stamps=(); for m in $imports; do stamps+=("$OUT/modules/$m.stamp"); done
  local stamp; stamp="$(stamp_of "$@" "${stamps[@]}")"
  [ -f "$OUT/modules/$name.o" ] && [ "$(cat "$OUT/modules/$name.stamp" 2>/dev/null)" = "$stamp" ] && return 0
  echo "fuzz: compiling $name ($# files)"
  rm -f "$OUT/modules/$name.stamp" "$OUT/stamp"
  swiftc "${FLAGS[@]}" -wmo -module-name "$name" -emit-module \
    -emit-module-path "$OUT/modules/$name.swiftmodule" -c "$@" -o "$OUT/modules/$name.o"
  echo "$stamp" > "$OUT/modules/$name.stamp"
}

t0=$(date +%s)
build_module FanHeatProtobuf "" Shared/Protobuf/*.swift
build_module FanHeatRPC "FanHeatProtobuf" "${RPC_SOURCES[@]}"
build_module FanHeatContracts "FanHeatProtobuf FanHeatRPC" Shared/Contracts/*.swift
stamp="$(stamp_of "${HARNESS_SOURCES[@]}" "$OUT"/modules/{FanHeatProtobuf,FanHeatRPC,FanHeatContracts}.stamp)"
if [ ! -x "$BIN" ] || [ "$(cat "$OUT/stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "fuzz: linking codec-fuzz"
  # ld.gold warns "Cannot export local symbol" for libFuzzer's internals: harmless.
  swiftc "${FLAGS[@]}" -module-name CodecFuzz "${HARNESS_SOURCES[@]}" "$OUT/modules/"*.o -o "$BIN" \
    2> >(grep -v 'Cannot export local symbol' >&2)
  echo "$stamp" > "$OUT/stamp"
  echo "fuzz: built $BIN in $(( $(date +%s) - t0 ))s"
fi

SEEDS=(Tests/ProtobufTests/Golden Tests/Fuzz/Seeds)
[ -d Tests/ProtobufTests/FuzzRegressions ] && SEEDS+=(Tests/ProtobufTests/FuzzRegressions)
LOG="$OUT/fuzz.log"
rm -f "$OUT/artifacts/"*
echo "fuzz: running for ${SECONDS_TO_RUN}s (log: $LOG; seeds: ${SEEDS[*]})"
# The first corpus directory receives new interesting inputs; it persists between runs.
set +e
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=1" "$BIN" -max_total_time="$SECONDS_TO_RUN" -max_len=8192 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$OUT/artifacts/" \
  "$OUT/corpus" "${SEEDS[@]}" >"$LOG" 2>&1 &
pid=$!
set -e
while kill -0 "$pid" 2>/dev/null; do
  sleep 10
  kill -0 "$pid" 2>/dev/null || break
  line="$(grep -E '^#[0-9]+' "$LOG" | tail -1 || true)"
  echo "fuzz: ${line:-starting...}"
done
set +e
wait "$pid"
status=$?
set -e
if [ "$status" -ne 0 ] || compgen -G "$OUT/artifacts/*" >/dev/null; then
  echo "fuzz: FAILED (libFuzzer exit $status); the end of the log:" >&2
  tail -60 "$LOG" >&2
  ls -l "$OUT/artifacts/" >&2
  exit 1
fi
grep -E '^#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added' "$LOG" || true
echo "fuzz: no crash in ${SECONDS_TO_RUN}s; corpus: $(ls "$OUT/corpus" | wc -l) inputs in $OUT/corpus"
