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
    if [ -f package-lock.json ] && [ ! -d node_modules ]; then
        npm ci --silent --no-audit --no-fund
    fi
fi
