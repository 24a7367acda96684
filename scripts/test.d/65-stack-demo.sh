# The run command and the demo end to end: scripts/run-stack.sh (every service, embedded
# storage in a temp dir, free loopback ports), scripts/demo.sh (club, key, members,
# activities via the fanheat CLI, a short fanheat-load run, Subscribe read-back), the
# `fanheat activity` CLI with --json, and a graceful SIGTERM stop. Debug binaries from stage 10.
set -euo pipefail
cd "$FANHEAT_ROOT"
export FANHEAT_BIN_DIR="${FANHEAT_BIN_DIR:-$(swift build --show-bin-path)}"
timeout 300 "$PYTHON" -m pytest -q -p no:cacheprovider Tests/python/test_stack_demo.py
