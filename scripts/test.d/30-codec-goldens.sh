# Codec goldens in both directions against the real protobuf library (PyPI protobuf):
# 1. the committed goldens still match what Python writes;
# 2. Swift decodes every golden, compares it with the same message built in Swift, and
#    writes its re-encodings and its own encodings;
# 3. Python parses those and compares them with its messages.
set -euo pipefail
"$PYTHON" Tests/python/golden/make_goldens.py --check
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
if ! FANHEAT_CODEC_OUT="$OUT" swift test --skip-build --filter 'ProtobufTests.GoldenTests' >"$OUT/swift-test.log" 2>&1; then
  cat "$OUT/swift-test.log"
  exit 1
fi
grep -E "Executed [0-9]+ tests" "$OUT/swift-test.log" | tail -1
FANHEAT_CODEC_OUT="$OUT" "$PYTHON" -m pytest -q Tests/python/test_codec_goldens.py
