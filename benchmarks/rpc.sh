#!/usr/bin/env bash
# rpc.sh: small unary calls per second of the FanHeat RPC runtime against the reference
# peers of /work/shared/peers, in the same run, with h2load on loopback. Never run by CI.
#
#   benchmarks/rpc.sh [options]
#
# Targets (all serve fanheat.ingest.v1.ActivityIngest/Ingest with the same request body:
# the peers' batch-1 IngestRequest, one gRPC frame, and answer IngestResponse{accepted:1}):
#   fanheat   rpc-bench-server (release build of this repo): the runtime through ServiceHost,
#             Ingest as an event-loop callback (registerUnaryCallback), metrics + logging on
#   nghttpd   nghttpd --no-tls answering the POST with a static 7-byte file: the C ceiling (not gRPC)
#   swift     grpc-swift-2 IngestPeer (shared/peers/swift-grpc2/.build/release/IngestPeer)
#   py-aio    grpcio aio (shared/peers/python/server.py --mode aio); py-sync with -p py-sync
#
# Options:
#   -n N      requests per run for fanheat and nghttpd (default 100000)
#   -s N      requests per run for the slower peers swift and py-* (default 20000)
#   -c C      h2load clients (default 8)       -m M   streams per client (default 16)
#   -r R      measured runs per target, interleaved (default 3); medians are reported
#   -w N      warm-up requests per target, not reported (default 2000)
#   -p LIST   targets, comma separated (default fanheat,nghttpd,swift,py-aio)
#   -T SECS   time limit of one h2load run (default 60)
#   -o DIR    keep bodies, h2load outputs and results.jsonl here (default: temp dir, removed)
# Environment: PYTHON (default .venv/bin/python), PEERS (default /work/shared/peers),
#   FANHEAT_BIN (default: the release rpc-bench-server, built incrementally first).
# Checks: one real grpcio call per target before the load (ingest_tool.py check), every
# run must get N x 2xx with N x the 7-byte response frame in DATA, and afterwards our server's
# /metrics must count exactly the calls sent, all OK.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PEERS="${PEERS:-/work/shared/peers}"
TOOL="$PEERS/python/ingest_tool.py"
HELPER="$ROOT/benchmarks/rpc_bench.py"
N=100000 SLOW_N=20000 C=8 M=16 RUNS=3 WARM=2000 TARGETS=fanheat,nghttpd,swift,py-aio TMO=60 OUTDIR=""
RPC_PATH=/fanheat.ingest.v1.ActivityIngest/Ingest
while getopts "n:s:c:m:r:w:p:T:o:h" opt; do
  case "$opt" in
    n) N=$OPTARG ;; s) SLOW_N=$OPTARG ;; c) C=$OPTARG ;; m) M=$OPTARG ;; r) RUNS=$OPTARG ;;
    w) WARM=$OPTARG ;; p) TARGETS=$OPTARG ;; T) TMO=$OPTARG ;; o) OUTDIR=$OPTARG ;;
    *) sed -n '2,28p' "$SCRIPT_PATH" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
command -v h2load >/dev/null || { echo "h2load not found (Debian: nghttp2-client)" >&2; exit 2; }
[ -f "$TOOL" ] || { echo "no $TOOL (set PEERS)" >&2; exit 2; }

KEEP=1
if [ -z "$OUTDIR" ]; then OUTDIR="$(mktemp -d /tmp/rpc-bench.XXXXXX)"; KEEP=0; fi
mkdir -p "$OUTDIR"
RESULTS="$OUTDIR/results.jsonl"
: > "$RESULTS"
declare -A PID ADDR
NG_ROOT=""
cleanup() {
  for name in "${!PID[@]}"; do
    kill "${PID[$name]}" 2>/dev/null || true
    wait "${PID[$name]}" 2>/dev/null || true
  done
  [ -z "$NG_ROOT" ] || rm -rf "$NG_ROOT"
  [ "$KEEP" = 1 ] || rm -rf "$OUTDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CLK_TCK="$(getconf CLK_TCK)"
cpu_secs() { awk -v t="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / t }' "/proc/$1/stat"; }

# --- our server (release) -----------------------------------------------------------
IFS=, read -r -a LIST <<< "$TARGETS"
if [[ ",$TARGETS," == *",fanheat,"* ]]; then
  if [ -z "${FANHEAT_BIN:-}" ]; then
    echo "# building rpc-bench-server (release; incremental)..."
    swift build -c release --product rpc-bench-server 2>&1 | grep -E "error|warning: unre|Compiling rpc|Build" || true
    FANHEAT_BIN="$(swift build -c release --show-bin-path)/rpc-bench-server"
  fi
  [ -x "$FANHEAT_BIN" ] || { echo "no $FANHEAT_BIN" >&2; exit 2; }
fi

"$PYTHON" "$TOOL" bodies --out "$OUTDIR" --sizes 1 >/dev/null
BODY="$OUTDIR/ingest-1.bin"
echo "# $(date -u '+%F %T') UTC, $(nproc) cores, load:$(uptime | sed 's/.*load average://')"
echo "# h2load -c $C -m $M -t 1, body $(stat -c %s "$BODY") bytes (batch-1 IngestRequest), runs=$RUNS" \
  "(interleaved), n=$N (fanheat, nghttpd) / $SLOW_N (swift, py), warm-up=$WARM, out=$OUTDIR"

start() { # name -> starts the server, sets PID and ADDR
  local name=$1 port
  port="$(free_port)"
  case "$name" in
    fanheat)
      MPORT="$(free_port)"
      "$FANHEAT_BIN" --listen "127.0.0.1:$port" \
        --metrics-listen "127.0.0.1:$MPORT" --log-level warning > "$OUTDIR/server-fanheat.log" 2>&1 &
      PID[$name]=$! ;;
    nghttpd)
      NG_ROOT="$(mktemp -d /tmp/rpc-bench-docroot.XXXXXX)"
      mkdir -p "$NG_ROOT/fanheat.ingest.v1.ActivityIngest"
      printf '\x00\x00\x00\x00\x02\x08\x01' > "$NG_ROOT/fanheat.ingest.v1.ActivityIngest/Ingest"
      nghttpd --no-tls -a 127.0.0.1 -n 1 -d "$NG_ROOT" "$port" > "$OUTDIR/server-nghttpd.log" 2>&1 &
      PID[$name]=$! ;;
    swift)
      local bin="$PEERS/swift-grpc2/.build/release/IngestPeer"
      [ -x "$bin" ] || { echo "no $bin (cd $PEERS/swift-grpc2 && swift build -c release); skipping swift" >&2; return 1; }
      "$bin" "$port" > "$OUTDIR/server-swift.log" 2>&1 &
      PID[$name]=$! ;;
    py-aio|py-sync)
      "$PYTHON" "$PEERS/python/server.py" --port "$port" --mode "${name#py-}" > "$OUTDIR/server-$name.log" 2>&1 &
      PID[$name]=$! ;;
    *) echo "unknown target $name" >&2; return 1 ;;
  esac
  ADDR[$name]="127.0.0.1:$port"
  "$PYTHON" "$TOOL" wait --target "${ADDR[$name]}" --timeout 30
  sleep 0.3
  kill -0 "${PID[$name]}" 2>/dev/null || { echo "$name exited; see $OUTDIR/server-$name.log" >&2; return 1; }
  if [ "$name" != nghttpd ]; then
    "$PYTHON" "$TOOL" check --target "${ADDR[$name]}" --sizes 1,100 | sed "s/^/# $name: /"
  fi
}

ACTIVE=()
for name in "${LIST[@]}"; do
  if start "$name"; then ACTIVE+=("$name"); else
    [ -z "${PID[$name]:-}" ] || { kill "${PID[$name]}" 2>/dev/null; wait "${PID[$name]}" 2>/dev/null || true; unset "PID[$name]"; }
  fi
done
[ "${#ACTIVE[@]}" -gt 0 ] || { echo "no target started" >&2; exit 1; }

SENT=0 # calls sent to our server (checks, warm-up and runs), compared with /metrics at the end
[[ " ${ACTIVE[*]} " == *" fanheat "* ]] && SENT=3   # ingest_tool check: Ingest of 1 and 100 activities + the rejection case
run() { # name n label -> one h2load run, parsed into results.jsonl unless label=warm
  local name=$1 n=$2 label=$3 out="$OUTDIR/h2load-$1-$3.txt" log="$OUTDIR/h2load-$1-$3.log" c0 c1 t0 t1 rc
  c0=$(cpu_secs "${PID[$name]}")
  t0=$(date +%s.%N)
  set +e
  /usr/bin/time -f '%U %S' -o "$OUTDIR/time.txt" timeout -k 5 "$TMO" h2load -n "$n" -c "$C" -m "$M" -t 1 \
    -d "$BODY" -H 'content-type: application/grpc' -H 'te: trailers' --log-file="$log" \
    "http://${ADDR[$name]}$RPC_PATH" > "$out" 2>&1
  rc=$?
  set -e
  t1=$(date +%s.%N)
  c1=$(cpu_secs "${PID[$name]}")
  [ "$name" != fanheat ] || SENT=$((SENT + n))
  if [ "$label" = warm ]; then rm -f "$log"; return 0; fi
  local wall extra=()
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  extra+=(--srv-cpu "$(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')")
  extra+=(--load-cpu "$(awk 'NF == 2 { printf "%.3f", $1 + $2 }' "$OUTDIR/time.txt")")
  "$PYTHON" "$TOOL" parse --h2load "$out" --log "$log" --peer "$name" --batch 1 --run "${label#run}" \
    --n "$n" --c "$C" --m "$M" --rc "$rc" --wall "$wall" --results "$RESULTS" "${extra[@]}" \
    | sed 's/ act\/s= *[0-9.]*//' || STATUS=1
  rm -f "$log"
}

STATUS=0
count_for() { case "$1" in fanheat|nghttpd) echo "$N" ;; *) echo "$SLOW_N" ;; esac; }
if [ "$WARM" -gt 0 ]; then
  for name in "${ACTIVE[@]}"; do echo "# warm-up $name ($WARM requests)"; run "$name" "$WARM" warm; done
fi
for r in $(seq 1 "$RUNS"); do
  for name in "${ACTIVE[@]}"; do run "$name" "$(count_for "$name")" "run$r"; done
done

if [[ " ${ACTIVE[*]} " == *" fanheat "* ]]; then
  "$PYTHON" "$HELPER" metrics --metrics "127.0.0.1:$MPORT" --method "$RPC_PATH" --expect "$SENT" || STATUS=1
fi
echo
echo "# load after the runs:$(uptime | sed 's/.*load average://')"
"$PYTHON" "$HELPER" table --results "$RESULTS"
exit "$STATUS"
