#!/usr/bin/env bash
# Runs every FanHeat service that exists on localhost with embedded storage under
# ./var (override with FANHEAT_DATA_DIR), in the foreground. Ctrl-C (or SIGTERM)
# stops them gracefully. Logs go to var/logs/<service>.log.
#
#   scripts/run-stack.sh            start (release binaries; `make up` builds them)
#   FANHEAT_BUILD=debug scripts/run-stack.sh
#
# The admin key comes from FANHEAT_ADMIN_KEY; if unset, one is generated once and kept
# in var/admin.key (mode 600). With the stack up, `scripts/demo.sh` creates a demo club,
# an API key and members, and pushes sample activities.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${FANHEAT_BUILD:-release}"
BIN="$ROOT/.build/$BUILD"
DATA="${FANHEAT_DATA_DIR:-$ROOT/var}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
mkdir -p "$DATA/logs"

if [ -z "${FANHEAT_ADMIN_KEY:-}" ]; then
  if [ ! -s "$DATA/admin.key" ]; then
    (umask 077; head -c 32 /dev/urandom | base64 | tr -d '/+=\n' > "$DATA/admin.key")
  fi
  FANHEAT_ADMIN_KEY="$(cat "$DATA/admin.key")"
fi
export FANHEAT_ADMIN_KEY
export FANHEAT_IDENTITY_ADDR="${FANHEAT_IDENTITY_ADDR:-127.0.0.1:7001}"
export FANHEAT_INGEST_ADDR="${FANHEAT_INGEST_ADDR:-127.0.0.1:7002}"

PIDS=()
stop() {
  trap - INT TERM EXIT
  echo "run-stack: stopping ${PIDS[*]:-}"
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
}
trap stop INT TERM EXIT

start() { # name address args...
  local name=$1 addr=$2; shift 2
  [ -x "$BIN/$name" ] || { echo "run-stack: $BIN/$name missing: run 'make release' (or make up)" >&2; exit 1; }
  "$BIN/$name" --listen "$addr" --data-dir "$DATA/$name" "$@" >>"$DATA/logs/$name.log" 2>&1 &
  PIDS+=($!)
  if ! "$PYTHON" "$ROOT/scripts/wait_healthy.py" "$addr" --timeout 30; then
    echo "run-stack: $name did not become healthy; last log lines:" >&2
    tail -n 20 "$DATA/logs/$name.log" >&2
    exit 1
  fi
  echo "run-stack: $name serving on $addr (pid ${PIDS[-1]}, log $DATA/logs/$name.log)"
}

start identity "$FANHEAT_IDENTITY_ADDR"
start activity-ingest "$FANHEAT_INGEST_ADDR" --identity-addr "$FANHEAT_IDENTITY_ADDR"

cat <<MSG
run-stack: all services up. In another shell:
  export FANHEAT_ADMIN_KEY=\$(cat $DATA/admin.key)   # unless you set your own
  scripts/demo.sh                                    # demo club, key, members, sample activities
  grpcurl -plaintext $FANHEAT_IDENTITY_ADDR list     # reflection
Press Ctrl-C to stop.
MSG
wait -n "${PIDS[@]}" || true
echo "run-stack: a service exited; stopping the rest" >&2
