# activity-ingest end to end: real identity and activity-ingest processes on loopback,
# grpcio client; validation, auth and scoping, membership feed, dedup across restart,
# Subscribe tail/retention/OUT_OF_RANGE, and the kill -9 crash test (debug binaries from
# stage 10). Bounded: every call has a deadline and the whole stage a timeout.
set -euo pipefail
cd "$FANHEAT_ROOT"
export FANHEAT_BIN_DIR="${FANHEAT_BIN_DIR:-$(swift build --show-bin-path)}"
timeout 600 "$PYTHON" -m pytest -q -p no:cacheprovider Tests/python/test_ingest.py
