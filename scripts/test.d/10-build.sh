# Debug build of every target, tests included.
set -euo pipefail
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Wrapping|Write|Linking|Applying)' || true
test "${PIPESTATUS[0]}" = 0
