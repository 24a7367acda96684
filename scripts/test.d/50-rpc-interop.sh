# gRPC interop against Python grpcio, both directions (14 cases of gRPC's
# interop-test-descriptions each way), plus health, reflection, metrics and lifecycle
# checks of the service host. Uses the debug build from stage 10.
set -euo pipefail
timeout 300 "$PYTHON" -m pytest -q -p no:cacheprovider Tests/python/test_rpc_interop.py Tests/python/test_rpc_host.py
