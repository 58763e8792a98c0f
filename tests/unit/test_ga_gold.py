"""The resolutions against the hand-labelled gold (tests/data/ga-gold, labelled from the sources
alone): every paragraph's exact clean text, kind, number, lead and footnotes; every footnote's text
and paragraph. 63/72 (2008) and 74/60 (2019) were used for tuning; the other four are held out.
The same figures are asserted on the texts with their form feeds removed (pages found by the
repeated symbol)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from poa_kg.ingest.model import Document, SourceText
from poa_kg.ingest.parse import parse_document
from poa_kg.ingest.sources import read_source
from tests.conftest import SOURCES

GOLD = Path(__file__).parents[1] / "data" / "ga-gold"
TUNING = ("ga-res-63-72-2008", "ga-res-74-60-2019")
HELD_OUT = ("ga-res-58-241-2003", "ga-res-61-66-2006", "ga-res-68-48-2013", "ga-res-72-57-2017")


def _rows(name: str) -> list[dict[str, str]]:
    with (GOLD / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _parsed(stem: str, flat: bool) -> Document:
    source = read_source(SOURCES / f"{stem}.txt")
    if flat:
        source = SourceText(source.path, source.text.replace("\f", ""), source.metadata, "")
    return parse_document(source)


def _keys(document: Document) -> dict[str, str]:
    """Gold key of each unit: p1, p2… for preambular paragraphs, the number for operative ones."""
    recitals = [u for u in document.units if u.kind == "recital"]
    keys = {f"main/{u.eid}": f"p{i}" for i, u in enumerate(recitals, start=1)}
    keys |= {f"main/{u.eid}": u.number or "" for u in document.units if u.kind == "paragraph"}
    return keys


def _score(stem: str, flat: bool = False) -> tuple[int, int, int, int]:
    """(paragraphs exact, paragraphs, footnotes right, footnotes) for one resolution."""
    document = _parsed(stem, flat)
    keys = _keys(document)
    got = {
        keys[f"main/{u.eid}"]: (
            "preambular" if u.kind == "recital" else "operative",
            u.text,
            u.lead_phrase or "",
            ",".join(u.footnotes),
        )
        for u in document.units
    }
    gold = _rows(f"{stem}.paragraphs.csv")
    # the measure of the issue: exact clean text, kind and number (the key); leads and the
    # footnotes column are labelled too and reported by test_leads_and_footnote_columns
    exact = sum(1 for row in gold if got.get(row["number"], ())[:2] == (row["kind"], row["text"]))
    assert len(got) == len(gold), "a paragraph too many or too few"
    notes = {n.number: n for n in document.footnotes}
    footnotes = _rows(f"{stem}.footnotes.csv")
    right = sum(
        1
        for row in footnotes
        if (note := notes.get(row["number"])) is not None
        and note.text == row["text"]
        and keys.get(note.unit or "") == row["paragraph"]
    )
    return exact, len(gold), right, len(footnotes)


@pytest.mark.parametrize("flat", [False, True], ids=["pages", "no-form-feeds"])
@pytest.mark.parametrize("stems", [TUNING, HELD_OUT], ids=["tuning", "held-out"])
def test_every_paragraph_and_footnote_as_the_gold_has_it(
    stems: tuple[str, ...], flat: bool
) -> None:
    scores = [_score(stem, flat) for stem in stems]
    exact, paragraphs, right, footnotes = (sum(column) for column in zip(*scores, strict=True))
    assert exact / paragraphs >= 0.99, scores
    assert right == footnotes, scores


def test_leads_and_footnote_columns_of_the_tuning_resolutions() -> None:
    for stem in TUNING:
        document = _parsed(stem, flat=False)
        keys = _keys(document)
        got = {keys[f"main/{u.eid}"]: u for u in document.units}
        for row in _rows(f"{stem}.paragraphs.csv"):
            unit = got[row["number"]]
            assert (unit.lead_phrase, ",".join(unit.footnotes)) == (row["lead"], row["footnotes"])
