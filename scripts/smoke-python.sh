#!/usr/bin/env bash
# Smoke test on a second supported Python (default 3.13; CI runs the whole suite on 3.11): the
# locked packages installed into build/python-VERSION/ (its own virtualenv, never the project's
# .venv), then the parser, layout, engine, SPARQL and named-query tests and the REST API's.
#
# The interpreter is found on PATH (pythonX.Y), in pyenv's versions, or by uv; where none is
# installed the smoke test says so and is skipped (uv cannot download one without network).
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-3.13}"

interpreter=""
if command -v "python${version}" >/dev/null 2>&1 && "python${version}" -c "" 2>/dev/null; then
    interpreter="$(command -v "python${version}")"
fi
if [ -z "$interpreter" ]; then
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"${version}".*/bin/"python${version}"; do
        if [ -x "$candidate" ]; then
            interpreter="$candidate"
        fi
    done
fi
if [ -z "$interpreter" ]; then
    interpreter="$(uv python find "$version" 2>/dev/null || true)"
fi
if [ -z "$interpreter" ]; then
    echo "smoke-python: no Python ${version} on this machine: smoke test skipped" >&2
    exit 0
fi

export UV_PROJECT_ENVIRONMENT="build/python-${version}"
echo "smoke-python: $("$interpreter" --version) at ${interpreter}"
uv sync --frozen --quiet --python "$interpreter"
uv run --frozen --python "$interpreter" pytest -q -p no:cacheprovider \
    tests/unit/test_parse.py tests/unit/test_layout.py tests/unit/test_sparql.py \
    tests/unit/test_queries.py tests/unit/test_engine_limits.py tests/api/test_commitments.py
