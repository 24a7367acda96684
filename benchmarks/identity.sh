#!/usr/bin/env bash
# Identity under concurrent load: member token verifications, membership lookups and
# API key verifications per second, driven by h2load (C, nghttp2) against a real
# `identity` process on loopback. Bounded in count (-n) and time (-T).
#
#   benchmarks/identity.sh [-n REQUESTS] [-m MEMBERS] [-T SECONDS] [-l "C:M C:M ..."]
#     -n  requests per run (default 20000)
#     -m  members in the benchmark club (default 2000)
#     -T  time limit of one h2load run (default 60)
#     -l  load levels as clients:streams-per-client (default "1:1 4:8 8:32")
# Environment: FANHEAT_BUILD=release|debug (default release; built if missing), PYTHON.
# Every request is checked afterwards: the server's /metrics must count only OK calls.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
BUILD="${FANHEAT_BUILD:-release}"
N=20000 MEMBERS=2000 TMO=60 LEVELS="1:1 4:8 8:32"
while getopts "n:m:T:l:h" opt; do
  case "$opt" in
    n) N=$OPTARG ;; m) MEMBERS=$OPTARG ;; T) TMO=$OPTARG ;; l) LEVELS=$OPTARG ;;
    *) sed -n '2,13p' "$SCRIPT_PATH" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
command -v h2load >/dev/null || { echo "h2load not found (Debian: nghttp2-client)" >&2; exit 2; }

BIN="$(swift build -c "$BUILD" --show-bin-path)"
if [ ! -x "$BIN/identity" ]; then
  echo "building identity ($BUILD)..."
  swift build -c "$BUILD" --product identity 2>&1 | grep -E "error|Compiling identity|Build" || true
fi

WORK="$(mktemp -d /tmp/identity-bench.XXXXXX)"
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT="$(free_port)"
METRICS_PORT="$(free_port)"
ADMIN_KEY="bench-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
FANHEAT_ADMIN_KEY="$ADMIN_KEY" "$BIN/identity" --listen "127.0.0.1:$PORT" --metrics-listen "127.0.0.1:$METRICS_PORT" \
  --data-dir "$WORK/data" --log-level warning > "$WORK/identity.log" 2>&1 &
PID=$!
"$PYTHON" "$ROOT/scripts/wait_healthy.py" "127.0.0.1:$PORT" --timeout 30
"$PYTHON" "$ROOT/benchmarks/identity_bench.py" setup --target "127.0.0.1:$PORT" --admin-key "$ADMIN_KEY" \
  --members "$MEMBERS" --out "$WORK"
KEY="$(cat "$WORK/club.key")"

run() { # method body clients streams -> prints one table row
  local method=$1 body=$2 clients=$3 streams=$4 out="$WORK/h2load.out" before after
  before=$("$PYTHON" "$ROOT/benchmarks/identity_bench.py" calls --metrics "127.0.0.1:$METRICS_PORT" --method "$method")
  if ! timeout "$TMO" h2load -n "$N" -c "$clients" -m "$streams" -t 1 \
      -H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $KEY" \
      -d "$WORK/$body" "http://127.0.0.1:$PORT/fanheat.identity.v1.IdentityService/$method" > "$out" 2>&1; then
    printf '| %-17s | %7s | %7s | %8s | %10s | %9s | %9s | %s\n' "$method" "$clients" "$streams" "$N" "timeout" "-" "-" "failed"
    return
  fi
  after=$("$PYTHON" "$ROOT/benchmarks/identity_bench.py" calls --metrics "127.0.0.1:$METRICS_PORT" --method "$method")
  local ok=$(( ${after% *} - ${before% *} )) failed=$(( ${after#* } - ${before#* } ))
  local rps mean max
  rps=$(awk '/^finished in/ { gsub(",", "", $4); print $4 }' "$out")
  mean=$(awk '/^time for request:/ { print $6 }' "$out")
  max=$(awk '/^time for request:/ { print $5 }' "$out")
  printf '| %-17s | %7s | %7s | %8s | %10s | %9s | %9s | %s\n' "$method" "$clients" "$streams" "$N" "$rps" "$mean" "$max" "$ok ok, $failed failed"
}

echo
echo "identity ($BUILD) on 127.0.0.1:$PORT, $MEMBERS members, $(nproc) cores shared by server and h2load"
echo "| method            | clients | streams | requests |      req/s | mean lat. |  max lat. | gRPC status"
echo "|-------------------|---------|---------|----------|------------|-----------|-----------|------------"
for level in $LEVELS; do
  clients=${level%:*} streams=${level#*:}
  run VerifyMemberToken verify_token.bin "$clients" "$streams"
  run GetMember get_member.bin "$clients" "$streams"
  run VerifyApiKey verify_key.bin "$clients" "$streams"
done
