#!/usr/bin/env bash
# Idempotent set-up shared by `make serve` and `make test`: a virtualenv with the locked Python
# packages (uv, from uv.lock) and the locked npm packages (YASGUI, served by the service; the GEXF
# reader the tests use). With "tests" as argument it also installs Debian's Chromium for the
# browser tests and Debian's Virtuoso (virtuoso-opensource 7.2.5) for the remote-backend tests,
# which start their own throw-away instance (scripts/virtuoso.py).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root_apt() {
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        echo "bootstrap: please install $* (Debian: apt-get install $*)" >&2
        exit 1
    fi
}

if ! command -v uv >/dev/null 2>&1; then
    python3 -m pip install --quiet "uv==0.13.9"
fi
uv sync --frozen --quiet

if ! command -v npm >/dev/null 2>&1; then
    as_root_apt nodejs npm
fi
# npm ci again only when the lock changed since the last install
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --silent --no-audit --no-fund
fi

if [ "${1:-}" = "tests" ]; then
    # the browser tests drive Debian's Chromium with Playwright (which cannot download its own)
    if ! command -v chromium >/dev/null 2>&1; then
        as_root_apt chromium chromium-driver
    fi
    # the remote-backend tests start a throw-away Virtuoso of their own (scripts/virtuoso.py);
    # the package's system service is not wanted: stopped and disabled where systemd runs it
    if ! command -v virtuoso-t >/dev/null 2>&1; then
        as_root_apt virtuoso-opensource
        if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
            systemctl disable --now virtuoso-opensource-7 >/dev/null 2>&1 || true
        fi
    fi
fi
