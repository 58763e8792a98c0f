"""Which commitments name INTERPOL or the World Customs Organization, and where?

    uv run python examples/interpol_wco.py [BASE]     # BASE: http://127.0.0.1:8000

Runs the named query ``example-commitments-naming-interpol-or-wco.rq`` over the SPARQL 1.1
Protocol with SPARQLWrapper, and tabulates the answer with pandas: one line per actor and
paragraph (cited as the UN cites it), then the count per actor and document.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from SPARQLWrapper import JSON, SPARQLWrapper

QUERIES = Path(__file__).resolve().parents[1] / "src" / "poa_kg" / "serve" / "queries"
CITATION = """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?paragraph ?citation WHERE { ?paragraph dcterms:bibliographicCitation ?citation }
"""


def select(endpoint: str, query: str) -> pd.DataFrame:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    client.setMethod("POST")
    answer = client.queryAndConvert()
    rows = [{k: v["value"] for k, v in b.items()} for b in answer["results"]["bindings"]]
    return pd.DataFrame(rows)


def main(base: str) -> None:
    endpoint = f"{base.rstrip('/')}/sparql"
    query = (QUERIES / "example-commitments-naming-interpol-or-wco.rq").read_text("utf-8")
    found = select(endpoint, query)
    cited = select(endpoint, CITATION)
    table = found.merge(cited, on="paragraph", how="left")
    table["document"] = table["document"].str.rsplit("/", n=1).str[-1]
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 60)
    print(table[["actorLabel", "citation", "meetingLabel"]].to_string(index=False))
    print()
    print(table.groupby(["actorLabel", "document"]).size().rename("commitments").to_string())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
