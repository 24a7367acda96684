# XCTest suites (unit tests and in-process integration tests).
set -euo pipefail
swift test --skip-build --parallel --num-workers 2
