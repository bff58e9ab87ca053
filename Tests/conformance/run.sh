#!/usr/bin/env bash
# Conformance suite: the official Alibaba Cloud Python SDKs (pinned in requirements.txt) judge `certhook emulator`.
# Creates its own virtual environment (CONFORMANCE_VENV, default .build/conformance-venv), installs the SDKs from
# PyPI, and runs conformance.py against the debug binary. Last line: `conformance: N passed, N failed`.
# Usage: Tests/conformance/run.sh [path/to/certhook]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${1:-$root/.build/debug/certhook}"
venv="${CONFORMANCE_VENV:-$root/.build/conformance-venv}"
if [ ! -x "$binary" ]; then
  echo "conformance: $binary not found; build first (swift build)" >&2
  echo "conformance: 0 passed, 1 failed"
  exit 1
fi
# The venv is rebuilt when the pins change (requirements or constraints).
stamp="$(cat "$here/requirements.txt" "$here/constraints.txt")"
if [ ! -x "$venv/bin/python" ] || [ "$stamp" != "$(cat "$venv/.constraints" 2>/dev/null)" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" -c "$here/constraints.txt"
  printf '%s\n' "$stamp" > "$venv/.constraints"
fi
exec "$venv/bin/python" "$here/conformance.py" "$binary"
