#!/usr/bin/env bash
# Set up everything storyline needs on a fresh machine (Python 3.11 + the package registries).
# Idempotent and fast when nothing changed: it re-installs only when pyproject.toml or this file changed.
#   1. a virtual environment in .venv
#   2. torch==2.13.0 (CPU) BEFORE anything that depends on torch, so no CUDA build is pulled in
#   3. storyline itself (editable) with its dev extras
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PY=$candidate; break; fi
  done
fi
[ -n "$PY" ] || { echo "setup: Python 3.11 is needed (python3.11 or python3 on PATH)" >&2; exit 1; }

[ -x .venv/bin/python ] || "$PY" -m venv .venv
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
stamp=.venv/.setup-stamp
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  export PIP_DISABLE_PIP_VERSION_CHECK=1
  echo "setup: installing torch==2.13.0 (CPU) first" >&2
  .venv/bin/pip install --quiet "torch==2.13.0"
  echo "setup: installing storyline and its dependencies" >&2
  .venv/bin/pip install --quiet -e ".[dev]"
  echo "$want" > "$stamp"
fi

# System packages the browser tests and the Spark engine need (Debian; skipped when present).
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing ${need[*]} with apt-get" >&2
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
