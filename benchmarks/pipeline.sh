#!/usr/bin/env bash
# The ingest hot path in one process, without the network: IngestPipeline.ingest
# (validation, membership, fingerprint, dedup, append) on T threads against a real log
# with group commit and fdatasync in a scratch directory under .build. Prints progress
# and, per configuration, the thread CPU per activity inside ingest, the process CPU per
# activity (adds the writer and background preparation) and wall throughput.
# CPU time per activity is steadier than throughput on a shared machine; configurations
# are interleaved (A B A B ...) so drift hits both alike.
#
#   benchmarks/pipeline.sh [-n ACTIVITIES] [-b BATCH] [-t THREADS] [-r ROUNDS] [-c "CONFIGS"]
#     -n  activities per run (default 6000000)
#     -b  activities per request (default 100)
#     -t  ingesting threads (default 2)
#     -r  rounds (default 2)
#     -c  configurations, each a set of PipelineBench flags separated by ";"
#         (default "--preallocate on;--preallocate off")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"
ACTIVITIES=6000000 BATCH=100 THREADS=2 ROUNDS=2 CONFIGS="--preallocate on;--preallocate off"
while getopts "n:b:t:r:c:h" opt; do
  case "$opt" in
    n) ACTIVITIES=$OPTARG ;; b) BATCH=$OPTARG ;; t) THREADS=$OPTARG ;; r) ROUNDS=$OPTARG ;; c) CONFIGS=$OPTARG ;;
    *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
cd "$ROOT/benchmarks/pipeline"
echo "building benchmarks/pipeline (release)..."
swift build -c release 2>&1 | tail -1
BIN="$(swift build -c release --show-bin-path)/PipelineBench"
IFS=';' read -r -a configurations <<< "$CONFIGS"
for round in $(seq "$ROUNDS"); do
  for configuration in "${configurations[@]}"; do
    echo "== round $round/$ROUNDS: $configuration"
    # shellcheck disable=SC2086
    "$BIN" --activities "$ACTIVITIES" --batch "$BATCH" --threads "$THREADS" --dir "$ROOT/.build/pipeline-bench" $configuration
  done
done
