#!/usr/bin/env bash
# Idempotent set-up shared by `make serve` and `make test`: a virtualenv with the locked Python
# packages (uv, from uv.lock). With "tests" as argument it also installs what only the tests need.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v uv >/dev/null 2>&1; then
    python3 -m pip install --quiet "uv==0.13.9"
fi
uv sync --frozen --quiet

if [ "${1:-}" = "tests" ]; then
    # the tests read exports back with graphology-gexf (npm) under node
    if ! command -v npm >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
        else
            echo "bootstrap: node and npm are needed for the tests (apt-get install nodejs npm)" >&2
            exit 1
        fi
    fi
    # npm ci again only when the lock changed since the last install
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        npm ci --silent --no-audit --no-fund
    fi
fi
