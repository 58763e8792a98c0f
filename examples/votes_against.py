"""Which States voted against each recorded vote?

    uv run python examples/votes_against.py [BASE]     # BASE: http://127.0.0.1:8000

Runs the named query ``example-states-voting-against.rq`` with SPARQLWrapper and lists, with
pandas, each vote and the States that voted no.
"""

from __future__ import annotations

import sys

from interpol_wco import QUERIES, select


def main(base: str) -> None:
    query = (QUERIES / "example-states-voting-against.rq").read_text("utf-8")
    found = select(f"{base.rstrip('/')}/sparql", query)
    for label, group in found.groupby("voteLabel", sort=True):
        print(f"{label}: {', '.join(sorted(group['stateName']))}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
