#!/bin/sh
# Which States voted against each recorded vote?
#   sh examples/votes_against.sh [BASE]      (BASE: http://127.0.0.1:8000)
set -eu
BASE="${1:-http://127.0.0.1:8000}"
HERE="$(cd "$(dirname "$0")" && pwd)"
curl -sS --fail -X POST "$BASE/sparql" \
  -H 'Content-Type: application/sparql-query' -H 'Accept: text/csv' \
  --data-binary "@$HERE/../src/poa_kg/serve/queries/example-states-voting-against.rq"
