#!/usr/bin/env bash
# Runs the whole test suite: every stage in scripts/test.d/ in name order.
# Each stage prints a header; the first failing stage fails the run.
#   scripts/test.sh              all stages
#   scripts/test.sh 20 30        only stages whose file name starts with these prefixes
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="/opt/swift/usr/bin:$PATH"
export FANHEAT_ROOT="$ROOT" PYTHON="$ROOT/.venv/bin/python"
start=$(date +%s)
for stage in scripts/test.d/*.sh; do
  name="$(basename "$stage" .sh)"
  if [ $# -gt 0 ]; then
    keep=0; for p in "$@"; do case "$name" in "$p"*) keep=1 ;; esac; done
    [ "$keep" = 1 ] || continue
  fi
  t0=$(date +%s)
  echo "==> [$name] $(date +%H:%M:%S)"
  if ! bash "$stage"; then
    echo "==> [$name] FAILED after $(( $(date +%s) - t0 ))s" >&2
    exit 1
  fi
  echo "==> [$name] passed in $(( $(date +%s) - t0 ))s"
done
echo "==> all stages passed in $(( $(date +%s) - start ))s"
