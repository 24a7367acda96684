# Abuse of the gRPC server with raw sockets and h2: garbage, invalid frames, header
# floods, resets mid-message, a client that never reads, 1,000 concurrent streams,
# 200 connections. The server must stay up with bounded memory and keep serving.
# Then the protocol limits with grpcio and h2: message size, unsupported compression,
# header list size, ping policing, deadlines, a taken port.
set -euo pipefail
timeout 300 "$PYTHON" -m pytest -q -p no:cacheprovider Tests/python/test_rpc_abuse.py Tests/python/test_rpc_limits.py
