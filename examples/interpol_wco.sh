#!/bin/sh
# Which commitments name INTERPOL or the World Customs Organization, and where?
#   sh examples/interpol_wco.sh [BASE]      (BASE: http://127.0.0.1:8000)
# Posts the named query to the SPARQL endpoint and asks for CSV; then the same through REST.
set -eu
BASE="${1:-http://127.0.0.1:8000}"
HERE="$(cd "$(dirname "$0")" && pwd)"
curl -sS --fail -X POST "$BASE/sparql" \
  -H 'Content-Type: application/sparql-query' -H 'Accept: text/csv' \
  --data-binary "@$HERE/../src/poa_kg/serve/queries/example-commitments-naming-interpol-or-wco.rq"
echo
echo "# the same commitments of INTERPOL through REST, with their ids:"
curl -sS --fail "$BASE/commitments?actor=interpol&per_page=50" -H 'Accept: text/csv'
