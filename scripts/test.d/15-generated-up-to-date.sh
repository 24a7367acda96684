# Generated Swift contract code must match the .proto files (scripts/generate.sh --check).
set -euo pipefail
scripts/generate.sh --check
