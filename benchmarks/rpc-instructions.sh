#!/usr/bin/env bash
# rpc-instructions.sh: user-space CPU instructions per small unary call, counted with
# valgrind's callgrind, for the runtime (rpc-bench-server) and the peers. Unlike req/s on a
# shared 2-core machine, the count barely depends on the machine's load, so it is the
# figure to compare builds with. Never run by CI. Needs valgrind (Debian: valgrind).
#
#   benchmarks/rpc-instructions.sh [-n CALLS] [-p LIST]
#     -n  measured calls per target (default 5000; 1000 warm-up calls are not counted)
#     -p  targets, comma separated: fanheat, nghttpd (default fanheat,nghttpd); the
#         grpc-swift-2 peer cannot be counted (valgrind 3.19 rejects its debug info)
# Environment: FANHEAT_BIN (default: the release rpc-bench-server, built incrementally),
#   PEERS (default /work/shared/peers), PYTHON.
# Same load as benchmarks/rpc.sh (h2load -c 8 -m 16 -t 1, the batch-1 IngestRequest body),
# counted from after the warm-up (callgrind_control -z) to after the last call; kernel
# work (syscalls, TCP) is not counted. Runs under valgrind are ~50x slower.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
PEERS="${PEERS:-/work/shared/peers}"
N=5000 TARGETS=fanheat,nghttpd
while getopts "n:p:h" opt; do
  case "$opt" in
    n) N=$OPTARG ;; p) TARGETS=$OPTARG ;;
    *) sed -n '2,15p' "$SCRIPT_PATH" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
for tool in valgrind callgrind_control h2load; do
  command -v "$tool" >/dev/null || { echo "$tool not found (Debian: valgrind, nghttp2-client)" >&2; exit 2; }
done
if [[ ",$TARGETS," == *",fanheat,"* ]] && [ -z "${FANHEAT_BIN:-}" ]; then
  swift build -c release --product rpc-bench-server 2>&1 | grep -E "error|Build" || true
  FANHEAT_BIN="$(swift build -c release --show-bin-path)/rpc-bench-server"
fi
WORK="$(mktemp -d /tmp/rpc-instructions.XXXXXX)"
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
"$PYTHON" "$PEERS/python/ingest_tool.py" bodies --out "$WORK" --sizes 1 >/dev/null
mkdir -p "$WORK/docroot/fanheat.ingest.v1.ActivityIngest"
printf '\x00\x00\x00\x00\x02\x08\x01' > "$WORK/docroot/fanheat.ingest.v1.ActivityIngest/Ingest"
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load() { # n port -> h2load summary line
  h2load -n "$1" -c 8 -m 16 -t 1 -d "$WORK/ingest-1.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
    "http://127.0.0.1:$2/fanheat.ingest.v1.ActivityIngest/Ingest" | grep -E "^requests:" || true
}

declare -A IR
IFS=, read -r -a LIST <<< "$TARGETS"
for name in "${LIST[@]}"; do
  port="$(free_port)"
  case "$name" in
    fanheat) cmd=("$FANHEAT_BIN" --listen "127.0.0.1:$port" --metrics-listen off --log-level warning) ;;
    nghttpd) cmd=(nghttpd --no-tls -a 127.0.0.1 -n 1 -d "$WORK/docroot" "$port") ;;
    *) echo "unknown target $name" >&2; exit 2 ;;
  esac
  rm -f "$WORK"/cg.out.*
  valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out.%p" "${cmd[@]}" > "$WORK/$name.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
  echo "# $name: warm-up $(load 1000 "$port")"
  callgrind_control -z "$PID" > /dev/null 2>&1
  echo "# $name: measured $(load "$N" "$port")"
  callgrind_control -d "$PID" > /dev/null 2>&1
  sleep 1
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  total=0
  for file in "$WORK"/cg.out.*.1; do total=$((total + $(awk '/^summary:/ { print $2 }' "$file"))); done
  IR[$name]=$((total / N))
done
echo
echo "| target | instructions per call (user space) | vs nghttpd |"
echo "| --- | ---: | ---: |"
for name in "${LIST[@]}"; do
  ratio="-"
  [ -n "${IR[nghttpd]:-}" ] && ratio=$(awk -v a="${IR[$name]}" -v b="${IR[nghttpd]}" 'BEGIN { printf "%.2fx", a / b }')
  echo "| $name | ${IR[$name]} | $ratio |"
done
