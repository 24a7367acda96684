# Abuse of the gRPC server with raw sockets and h2: garbage, invalid frames, header
# floods, resets mid-message, a client that never reads, 1,000 concurrent streams,
# 200 connections. The server must stay up with bounded memory and keep serving.
set -euo pipefail
timeout 300 "$PYTHON" -m pytest -q -p no:cacheprovider Tests/python/test_rpc_abuse.py
