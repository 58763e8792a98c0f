"""Two documents written by a reviewer who never read the parser (tests/data/unseen, see its
README): every numbered unit found with the right first and last words, nothing spurious, the
imperfections reported — with no code change."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from poa_kg.config import ROOT
from poa_kg.ingest.model import Document
from poa_kg.ingest.parse import parse_document
from poa_kg.ingest.sources import read_source

UNSEEN = ROOT / "tests" / "data" / "unseen"
NUMBERED = ("paragraph", "subitem", "recital")


def parse(stem: str, tmp_path: Path) -> Document:
    shutil.copy(UNSEEN / f"{stem}.txt", tmp_path / f"{stem}.txt")
    shutil.copy(UNSEEN / f"{stem}.metadata.toml", tmp_path / f"{stem}.toml")
    return parse_document(read_source(tmp_path / f"{stem}.txt"))


@pytest.mark.parametrize("stem", ["bms9-2026-synthetic", "revcon5-2030-synthetic"])
def test_independent_unseen_document(stem: str, tmp_path: Path) -> None:
    document = parse(stem, tmp_path)
    with (UNSEEN / f"{stem}.expected.csv").open(encoding="utf-8", newline="") as handle:
        expected = [r for r in csv.DictReader(handle) if r["kind"] in NUMBERED]
    units = {(u.part, u.eid): u for u in document.units}
    found = [r for r in expected if (r["part"], r["eid"]) in units]
    assert len(found) / len(expected) >= 0.95
    for row in found:
        text = units[(row["part"], row["eid"])].text
        assert text.startswith(row["first_words"]) and text.endswith(row["last_words"]), row["eid"]
    wanted = {(r["part"], r["eid"]) for r in expected}
    spurious = [key for key, u in units.items() if u.kind in NUMBERED and key not in wanted]
    assert spurious == []


def test_independent_unseen_imperfections_are_reported(tmp_path: Path) -> None:
    document = parse("bms9-2026-synthetic", tmp_path)
    messages = {(i.type, i.about) for i in document.issues}
    assert ("truncated", "main/para_45") in messages
    assert [i.message for i in document.issues if i.type == "numbering-gap"] == [
        "55 missing between 54 and 56"
    ]
    assert sum(1 for i in document.issues if i.type == "removed-page-furniture") >= 17
