#!/usr/bin/env bash
# activity-ingest under load, with fsync on and real authentication, next to the
# reference peers (/work/shared/peers, or $PEERS_DIR) measured in the same run.
#
#   benchmarks/ingest.sh [-d SECONDS] [-n REQUESTS] [-c CONNS] [-m STREAMS] [-L "B:C ..."]
#                        [-k LOAD_CONNS] [-M MEMBERS] [-r RUNS] [-P "PEERS"] [-T SECONDS]
#     -d  duration of each fanheat-load run (default 10)
#     -L  fanheat-load runs as batch:calls-in-flight (default "1:64 1:256 1:512 100:16 100:128")
#     -n  h2load requests per run, ours and the peers' (default 100000)
#     -c  h2load connections (default 8)        -m  h2load streams per connection (default 16)
#     -k  fanheat-load HTTP/2 connections (default 2)
#     -M  members prepared in the benchmark club (default 10000)
#     -r  h2load runs per peer and batch in bench-peers.sh (default 1; medians)
#     -P  peers for bench-peers.sh (default "swift py-sync py-aio nghttpd"; "" = none)
#     -T  time limit of one h2load or fanheat-load run (default 120)
#     -X  extra activity-ingest flags, e.g. "--log-commit-interval auto" (default none)
# Environment: PYTHON (grpcio, grpcio-tools, protobuf; default .venv/bin/python),
#   PEERS_DIR (default /work/shared/peers), FANHEAT_BUILD (default release).
#
# What runs: a release build of identity, activity-ingest and fanheat-load; identity and
# activity-ingest on 127.0.0.1 with fresh data directories (the log fsyncs every group
# commit: nothing is ever acknowledged before fdatasync); fanheat-load prepares one club,
# its API key and MEMBERS members through identity; then
#   1. fanheat-load (closed loop, fresh event ids: every activity is new and stored), the
#      -L runs (batch 1 and 100, each at a low and a high number of calls in flight);
#   2. h2load with one pre-encoded body per batch size (-H 'authorization: Bearer KEY'):
#      h2load repeats the same body, so the first call stores it and every later call is
#      validated, membership-checked and answered as duplicates (no append);
#   3. bench-peers.sh on the peers, which decode and count but store nothing (the
#      grpc-swift-2 peer both before and after our runs; the table shows the median).
# After each of our runs the log's end offset (/metrics) must have grown by exactly the
# number of activities acknowledged as accepted, and every call must have been gRPC OK;
# at the end the newest 20000 records are read back with Subscribe (dense offsets,
# distinct event ids).
# Prints progress, then one markdown table. Stops only the processes it started.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PEERS_DIR="${PEERS_DIR:-/work/shared/peers}"
BUILD="${FANHEAT_BUILD:-release}"
DUR=10 N=100000 C=8 M=16 LOADS="1:64 1:256 1:512 100:16 100:128" LCONN=2 MEMBERS=10000 RUNS=1 TMO=120
PEERS="swift py-sync py-aio nghttpd" EXTRA=""
while getopts "d:n:c:m:L:k:M:r:P:T:X:h" opt; do
  case "$opt" in
    d) DUR=$OPTARG ;; n) N=$OPTARG ;; c) C=$OPTARG ;; m) M=$OPTARG ;; L) LOADS=$OPTARG ;; k) LCONN=$OPTARG ;;
    M) MEMBERS=$OPTARG ;; r) RUNS=$OPTARG ;; P) PEERS=$OPTARG ;; T) TMO=$OPTARG ;; X) EXTRA=$OPTARG ;;
    *) sed -n "2,34p" "$SCRIPT_PATH" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
command -v h2load >/dev/null || { echo "h2load not found (Debian: nghttp2-client)" >&2; exit 2; }
"$PYTHON" -c 'import grpc, grpc_tools, google.protobuf' 2>/dev/null || { echo "PYTHON=$PYTHON lacks grpcio/grpcio-tools/protobuf" >&2; exit 2; }

say() { echo "# $(date -u +%H:%M:%S) $*"; }

say "building identity, activity-ingest, fanheat-load ($BUILD)"
for product in identity activity-ingest fanheat-load; do
  swift build -c "$BUILD" --product "$product" 2>&1 | grep -E "error:|warning: unre|Compiling|Build complete" | tail -n 3 || true
done
BIN="$(swift build -c "$BUILD" --show-bin-path)"
for product in identity activity-ingest fanheat-load; do
  [ -x "$BIN/$product" ] || { echo "missing $BIN/$product after the build" >&2; exit 1; }
done

WORK="$(mktemp -d /tmp/ingest-bench.XXXXXX)"
ID_PID="" IN_PID=""
PEER_TARGETS=() PEER_RESULTS=()
for peer in $PEERS; do
  if [ "$peer" = swift ] && [ ! -x "$PEERS_DIR/swift-grpc2/.build/release/IngestPeer" ]; then
    say "SKIPPING the grpc-swift-2 peer: $PEERS_DIR/swift-grpc2/.build/release/IngestPeer is not built"
    continue
  fi
  PEER_TARGETS+=("$peer")
done
stop_pid() { # pid: SIGTERM, wait
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  stop_pid "$IN_PID"; IN_PID=""
  stop_pid "$ID_PID"; ID_PID=""
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CLK_TCK="$(getconf CLK_TCK)"
cpu_secs() { awk -v t="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / t }' "/proc/$1/stat"; }
now() { date +%s.%N; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }

ID_PORT="$(free_port)" IN_PORT="$(free_port)" IN_METRICS="$(free_port)"
export FANHEAT_ADMIN_KEY="bench-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
say "starting identity on 127.0.0.1:$ID_PORT and activity-ingest on 127.0.0.1:$IN_PORT (data in $WORK)"
"$BIN/identity" --listen "127.0.0.1:$ID_PORT" --metrics-listen off --data-dir "$WORK/identity" \
  --log-level warning > "$WORK/identity.log" 2>&1 &
ID_PID=$!
"$PYTHON" scripts/wait_healthy.py "127.0.0.1:$ID_PORT" --timeout 30
"$BIN/activity-ingest" --listen "127.0.0.1:$IN_PORT" --metrics-listen "127.0.0.1:$IN_METRICS" \
  --data-dir "$WORK/ingest" --identity-addr "127.0.0.1:$ID_PORT" --auth-mode identity \
  --log-level warning $EXTRA > "$WORK/ingest.log" 2>&1 &
IN_PID=$!
"$PYTHON" scripts/wait_healthy.py "127.0.0.1:$IN_PORT" --timeout 30

say "preparing one club with $MEMBERS members through identity (fanheat-load --prepare-only)"
"$BIN/fanheat-load" --identity-addr "127.0.0.1:$ID_PORT" --members "$MEMBERS" --prepare-only --json > "$WORK/prepared.json"
CLUB="$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["clubs"][0]["club"])' "$WORK/prepared.json")"
KEY="$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["clubs"][0]["api_key"])' "$WORK/prepared.json")"
for b in 1 100; do
  "$PYTHON" benchmarks/ingest_bench.py bodies --club "$CLUB" --members "$MEMBERS" --batch "$b" --tag "h2load-b$b" --out "$WORK/ingest-$b.bin"
done
"$PYTHON" benchmarks/ingest_bench.py bodies --club "$CLUB" --members "$MEMBERS" --batch 1 --tag ready --out "$WORK/ready.bin" >/dev/null

metrics() { "$PYTHON" benchmarks/ingest_bench.py metrics --metrics "127.0.0.1:$IN_METRICS"; }
ready_call() { # one Ingest call with the club key
  timeout -k 5 10 h2load -n 1 -c 1 -m 1 -t 1 -d "$WORK/ready.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $KEY" \
    "http://127.0.0.1:$IN_PORT/fanheat.ingest.v1.ActivityIngest/Ingest"
}

say "waiting until activity-ingest has the membership snapshot (a call answers OK)"
for attempt in $(seq 1 50); do
  read -r _ ok0 _ _ _ _ <<< "$(metrics)"
  ready_call > /dev/null 2>&1 || true
  read -r _ ok1 _ _ _ _ <<< "$(metrics)"
  [ "$ok1" -gt "$ok0" ] && break
  [ "$attempt" = 50 ] && { echo "activity-ingest never answered OK; log:" >&2; tail -n 20 "$WORK/ingest.log" >&2; exit 1; }
  sleep 0.2
done

RESULTS="$WORK/results.jsonl"
: > "$RESULTS"
STATUS=0
UPTIME_START="$(uptime)"
# The grpc-swift-2 peer is measured before and after our runs (the table uses the median of
# both), so a change in the machine's load during the run shows instead of skewing ratios.
case " ${PEER_TARGETS[*]:-} " in *" swift "*)
  say "grpc-swift-2 peer before our runs (no durable write): bench-peers.sh -n $N -c $C -m $M -r $RUNS swift"
  PYTHON="$PYTHON" "$PEERS_DIR/bench-peers.sh" -n "$N" -c "$C" -m "$M" -r "$RUNS" -T "$TMO" -o "$WORK/peers-before" swift \
    | sed 's/^/  /' || STATUS=1
  PEER_RESULTS+=("$WORK/peers-before/results.jsonl") ;;
esac

load_run() { # batch calls-in-flight
  local b=$1 conc=$2 next0 next1 gc0 gc1 s0 s1 t0 t1 wall lc
  read -r next0 _ _ _ _ gc0 <<< "$(metrics)"
  s0=$(cpu_secs "$IN_PID"); t0=$(now)
  say "fanheat-load batch $b, ${DUR}s, $conc calls in flight over $LCONN connections"
  if ! /usr/bin/time -f '%U %S' -o "$WORK/time.txt" timeout -k 5 "$TMO" "$BIN/fanheat-load" \
      --ingest-addr "127.0.0.1:$IN_PORT" --club "$CLUB" --api-key "$KEY" --members "$MEMBERS" \
      --batch "$b" --concurrency "$conc" --connections "$LCONN" --duration "${DUR}s" --json > "$WORK/load-$b-$conc.json"; then
    echo "fanheat-load batch $b failed" >&2; STATUS=1; return
  fi
  t1=$(now); s1=$(cpu_secs "$IN_PID"); wall=$(minus "$t1" "$t0")
  lc=$(awk 'NF == 2 { print $1 + $2 }' "$WORK/time.txt")
  sleep 0.2
  read -r next1 _ _ _ _ gc1 <<< "$(metrics)"
  "$PYTHON" benchmarks/ingest_bench.py loadrow --commits $((gc1 - gc0)) --json "$WORK/load-$b-$conc.json" --label "fanheat-load" \
    --srv-cpu "$(minus "$s1" "$s0")" --load-cpu "$lc" --wall "$wall" --stored $((next1 - next0)) --results "$RESULTS" || STATUS=1
}

h2_run() { # batch
  local b=$1 next0 next1 ok0 ok1 gc0 gc1 s0 s1 t0 t1 wall lc rc
  read -r next0 ok0 _ _ _ gc0 <<< "$(metrics)"
  s0=$(cpu_secs "$IN_PID"); t0=$(now)
  say "h2load batch $b: -n $N -c $C -m $M (same body each call: the first stores, the rest are duplicates)"
  set +e
  /usr/bin/time -f '%U %S' -o "$WORK/time.txt" timeout -k 5 "$TMO" h2load -n "$N" -c "$C" -m "$M" -t 1 -d "$WORK/ingest-$b.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $KEY" --log-file="$WORK/h2load-$b.log" \
    "http://127.0.0.1:$IN_PORT/fanheat.ingest.v1.ActivityIngest/Ingest" > "$WORK/h2load-$b.out" 2>&1
  rc=$?
  set -e
  t1=$(now); s1=$(cpu_secs "$IN_PID"); wall=$(minus "$t1" "$t0")
  lc=$(awk 'NF == 2 && $1 ~ /^[0-9.]+$/ { print $1 + $2 }' "$WORK/time.txt")
  sleep 0.2
  read -r next1 ok1 _ _ _ gc1 <<< "$(metrics)"
  "$PYTHON" benchmarks/ingest_bench.py h2row --commits $((gc1 - gc0)) --h2load "$WORK/h2load-$b.out" --log "$WORK/h2load-$b.log" --label "h2load" \
    --batch "$b" --n "$N" --c "$C" --m "$M" --rc "$rc" --ok-calls $((ok1 - ok0)) --srv-cpu "$(minus "$s1" "$s0")" \
    --load-cpu "${lc:-0}" --wall "$wall" --stored $((next1 - next0)) --results "$RESULTS" || STATUS=1
}

say "machine: $(nproc) cores, $UPTIME_START"
for load in $LOADS; do load_run "${load%:*}" "${load#*:}"; done
h2_run 1
h2_run 100
read -r next _ _ keys keybytes _ <<< "$(metrics)"
say "log end offset $next; remembered keys $keys in $keybytes bytes ($(awk -v a="$keybytes" -v b="$keys" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }') bytes per key)"
say "reading the newest records back with Subscribe"
"$PYTHON" benchmarks/ingest_bench.py tail --target "127.0.0.1:$IN_PORT" --key "$KEY" --end "$next" --count 20000 || STATUS=1
RSS_KB=$(awk '/^VmRSS/ { print $2 }' "/proc/$IN_PID/status")
say "activity-ingest RSS ${RSS_KB} kB"
stop_pid "$IN_PID"; IN_PID=""
stop_pid "$ID_PID"; ID_PID=""

if [ ${#PEER_TARGETS[@]} -gt 0 ]; then
  say "peers (no durable write): ${PEER_TARGETS[*]} via bench-peers.sh -n $N -c $C -m $M -r $RUNS"
  PYTHON="$PYTHON" "$PEERS_DIR/bench-peers.sh" -n "$N" -c "$C" -m "$M" -r "$RUNS" -T "$TMO" -o "$WORK/peers" "${PEER_TARGETS[@]}" \
    | sed 's/^/  /' || STATUS=1
  PEER_RESULTS+=("$WORK/peers/results.jsonl")
fi
UPTIME_END="$(uptime)"

echo
echo "activity-ingest ($BUILD, fsync on, auth-mode identity, 1 club / $MEMBERS members${EXTRA:+, $EXTRA}) vs peers, $(nproc) cores shared by servers and load tools"
echo "load at start: $UPTIME_START"
echo "load at end:   $UPTIME_END"
echo
"$PYTHON" benchmarks/ingest_bench.py table --results "$RESULTS" ${PEER_RESULTS[@]:+--peers "${PEER_RESULTS[@]}"}
exit "$STATUS"
