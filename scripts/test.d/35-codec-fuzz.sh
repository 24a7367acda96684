# Fuzzes the protobuf decoder with libFuzzer + AddressSanitizer for FANHEAT_FUZZ_SECONDS
# (default 60) via scripts/fuzz.sh. Any crash, sanitizer report or broken round trip fails
# the stage; the failing inputs are copied to Tests/ProtobufTests/FuzzRegressions/, where
# FuzzRegressionTests replays them once committed (fix the bug, keep the input).
set -euo pipefail
if ! scripts/fuzz.sh "${FANHEAT_FUZZ_SECONDS:-60}"; then
  for artifact in .build/fuzz/artifacts/*; do
    [ -f "$artifact" ] || continue
    cp "$artifact" "Tests/ProtobufTests/FuzzRegressions/fuzz-$(basename "$artifact").bin"
    echo "35-codec-fuzz: kept $artifact as Tests/ProtobufTests/FuzzRegressions/fuzz-$(basename "$artifact").bin" >&2
  done
  exit 1
fi
