"""Save the service's answers to a fixed list of requests, to compare two versions of the code.

Usage: uv run python scripts/snapshot_answers.py OUT_FOLDER
Publishes data/turtle into a temporary store, serves it in-process and writes one file per
request (status line, content type, body) into OUT_FOLDER. ``diff -r`` two such folders.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from poa_kg.config import ROOT, Settings
from poa_kg.serve.store import publish_store

REQUESTS = [
    "/health",
    "/stats",
    "/documents",
    "/documents/revcon3-2018",
    "/documents/ga-res-74-60-2019",
    "/commitments",
    "/commitments?actor=interpol&theme=tracing",
    "/commitments?state=FRA",
    "/commitments?sort=strength&per_page=20",
    "/commitments?q=record-keeping",
    "/commitments/revcon3-2018/annex/sec_II__para_13",
    "/commitments/revcon3-2018/annex/sec_II__para_13/lineage",
    "/actors",
    "/actors/interpol",
    "/states",
    "/states/FRA",
    "/instruments",
    "/meetings",
    "/meetings/bms8",
    "/themes",
    "/themes/tracing",
    "/votes",
    "/analyses",
    "/analyses/strength-by-meeting",
    "/analyses/themes-by-meeting",
    "/analyses/instruments",
    "/analyses/actor-engagement?actor=interpol",
    "/analyses/vote-agreement",
    "/exports",
    "/exports/votes.gexf",
    "/exports/lineage.graphml",
    "/void",
    "/page/statement/revcon3-2018/annex/sec_II__para_13",
    "/page/actor/interpol",
    "/page/meeting/bms8",
    "/",
    "/data/actor/interpol.ttl",
    "/votes/revcon3-2018/main/para_15",
    "/states/FRA/votes",
    "/page/vote/revcon3-2018/main/para_15",
    "/page/state/FRA",
    "/page/document/revcon3-2018",
    "/accuracy?format=json",
    "/commitments?format=csv&per_page=5",
    "/statements?kind=preambular&per_page=5",
    "/statements?theme=ammunition&theme_inherited=true&per_page=5",
    "/statements/ga-res-74-60-2019/main/recital_2",
    "/statements/ga-res-74-60-2019/main/recital_2/history",
    "/documents/bms8-2022-draft/compare/revcon3-2018",
    "/documents/ga-res-73-69-2018/compare/ga-res-74-60-2019",
    "/analyses/vote-agreement?state=FRA&sort=agreement&per_page=5",
    "/analyses/dropped-per-year",
    "/analyses/new-language-per-year",
    "/cite/statement/revcon3-2018/annex/sec_II__para_13",
    "/search?q=record%20keeping",
    "/downloads",
    "/ont",
    "/graph/lineage",
    "/.well-known/void",
    "/themes/ammunition",
    "/meetings/revcon3",
    "/states/USA",
    "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
]


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        store = Path(scratch) / "store"
        publish_store(ROOT / "data" / "turtle", store, ROOT / "ontology" / "poa.ttl")
        settings = Settings(store_dir=store, workers=1, public_url="http://testserver")
        with TestClient(create_app(settings)) as client:
            for path in REQUESTS:
                answer = client.get(path)
                name = re.sub(r"[^A-Za-z0-9._-]+", "_", path.strip("/")) or "home"
                head = f"{answer.status_code} {answer.headers.get('content-type', '')}\n"
                (out / name).write_bytes(head.encode() + answer.content)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
