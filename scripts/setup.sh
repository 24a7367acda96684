#!/usr/bin/env bash
# Installs what FanHeat needs on a fresh Debian 12 machine: system libraries and
# tools (apt, when run as root and something is missing) and the Python venv
# (.venv) used by tests, code generation and benchmarks. Idempotent and quiet
# when everything is already there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APT_PACKAGES=(pkg-config libnghttp2-dev libsqlite3-dev libssl-dev zlib1g-dev nghttp2-client nghttp2-server time python3-venv)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
command -v swift >/dev/null || { echo "setup: swift not found (expected under /opt/swift)" >&2; exit 1; }

VENV="$ROOT/.venv"
REQ="$ROOT/Tests/python/requirements.txt"
STAMP="$VENV/.requirements.sha"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  echo "setup: creating Python venv in .venv (grpcio, grpcio-tools, protobuf, h2, pytest)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQ"
  echo "$want" > "$STAMP"
fi
