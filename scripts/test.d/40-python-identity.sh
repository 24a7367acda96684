# Identity service end to end: a real `identity` process on loopback, grpcio client,
# kill -9 durability, and the `fanheat` CLI (debug binaries from stage 10).
set -euo pipefail
cd "$FANHEAT_ROOT"
export FANHEAT_BIN_DIR="${FANHEAT_BIN_DIR:-$(swift build --show-bin-path)}"
"$PYTHON" -m pytest -q -p no:cacheprovider Tests/python/test_identity.py
