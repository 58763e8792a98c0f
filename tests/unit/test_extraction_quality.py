"""Extraction measured against the hand-checked samples (tests/data/gold, ga-gold, themes):
statement class, lead verb and strength level, mentions, resolution paragraphs and themes, by the
measuring code the build uses (poa_kg.ingest.accuracy), with floors just under the measured figures."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from poa_kg.config import ROOT
from poa_kg.ingest.accuracy import Measurement, measure
from poa_kg.ingest.extract import Extraction, Extractor
from poa_kg.ingest.model import Document
from poa_kg.ingest.parse import parse_document
from poa_kg.ingest.sources import find_sources, read_source
from poa_kg.ingest.vocab import load_vocabulary

GOLD = ROOT / "tests" / "data" / "gold"


@pytest.fixture(scope="module")
def extractions(corpus: dict[str, Document]) -> dict[str, Extraction]:
    extractor = Extractor(load_vocabulary(ROOT / "ontology" / "vocab"))
    return {key: extractor.extract(document) for key, document in corpus.items()}


def rows(name: str) -> list[dict[str, str]]:
    with (GOLD / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def f1(gold: Counter[tuple[str, ...]], found: Counter[tuple[str, ...]]) -> float:
    hits = sum((gold & found).values())
    precision = hits / max(1, sum(found.values()))
    recall = hits / max(1, sum(gold.values()))
    return 2 * precision * recall / (precision + recall) if hits else 0.0


def test_statement_class_lead_verb_and_level(extractions: dict[str, Extraction]) -> None:
    statements = {
        (key, s.unit.part, s.unit.eid): s for key, x in extractions.items() for s in x.statements
    }
    gold = rows("statements-sample.csv")
    wrong = []
    for row in gold:
        statement = statements[(row["document"], row["part"], row["eid"])]
        expected = (row["class"] or None, row["lead_verb"] or None, row["level"] or None)
        got = (
            statement.cls,
            statement.lead_verb if row["lead_verb"] else None,
            statement.level if row["level"] else None,
        )
        if got != expected:
            wrong.append((row["eid"], expected, got))
    accuracy = 1 - len(wrong) / len(gold)
    assert accuracy >= 0.97, wrong


def test_mentions_f1(extractions: dict[str, Extraction]) -> None:
    gold_rows = rows("mentions-sample.csv")
    units = {(r["document"], r["part"], r["eid"]) for r in gold_rows}
    gold = Counter(
        (r["document"], r["part"], r["eid"], r["kind"], r["key"], r["text"]) for r in gold_rows
    )
    found = Counter(
        (key, m.unit.part, m.unit.eid, m.kind, m.entity, m.matched)
        for key, x in extractions.items()
        for m in x.mentions
        if (key, m.unit.part, m.unit.eid) in units and m.kind != "theme"
    )
    score = f1(gold, found)
    assert score >= 0.97, (
        score,
        sorted((gold - found).elements()),
        sorted((found - gold).elements()),
    )


# ---------------------------------------------------------------- the independent gold set
# statements.csv, strength.csv and mentions.csv were labelled by a reviewer who read only the texts,
# the extraction rules (now docs/decisions.md §7) and the vocabularies — never the extractor or its output; themes/ by another who
# read only the unit texts and the theme definitions. The figures are those the build writes into
# graph/accuracy (poa_kg.ingest.accuracy measures both); the floors sit just under what was measured.


@pytest.fixture(scope="module")
def measured() -> dict[tuple[str, str, str, str], Measurement]:
    """Every measurement on the whole corpus, by (aspect, metric, document kind, half)."""
    extractor = Extractor(load_vocabulary(ROOT / "ontology" / "vocab"))
    extractions = {}
    for path in find_sources(ROOT / "data" / "sources"):
        document = parse_document(read_source(path))
        extractions[document.id] = extractor.extract(document)
    return {
        (m.aspect, m.metric, m.kind, m.half): m
        for m in measure(extractions, ROOT / "tests" / "data", extractor)
    }


def test_independent_gold_statement_classes(measured: dict[tuple[str, ...], Measurement]) -> None:
    classes = measured[("classes", "accuracy", "all", "all")]
    assert classes.size == 421
    assert classes.value >= 0.99


def test_independent_gold_lead_verb_and_level(measured: dict[tuple[str, ...], Measurement]) -> None:
    for aspect in ("lead-verbs", "strength-levels"):
        figure = measured[(aspect, "accuracy", "all", "all")]
        assert figure.size == 80 and figure.value >= 0.99, figure


def test_independent_gold_mentions(measured: dict[tuple[str, ...], Measurement]) -> None:
    assert measured[("mentions", "f1", "all", "all")].value >= 0.97
    floors = {"state": 0.99, "actor": 0.97, "instrument": 0.98, "meeting": 0.95}
    for kind, floor in floors.items():
        figure = measured[(f"mentions-{kind}", "f1", "all", "all")]
        assert figure.value >= floor, figure


def test_resolution_paragraphs_held_out(measured: dict[tuple[str, ...], Measurement]) -> None:
    figure = measured[("units", "accuracy", "resolution", "test")]
    assert figure.size == 129 and figure.value >= 0.99


def test_themes_of_own_words_on_the_held_out_half(
    measured: dict[tuple[str, ...], Measurement],
) -> None:
    """100 paragraphs never used to tune the rules. Target 0.90 / 0.90: precision meets it,
    recall does not yet (measured 0.937 / 0.874 after tuning on the other half)."""
    precision = measured[("themes", "precision", "all", "test")]
    recall = measured[("themes", "recall", "all", "test")]
    assert precision.size == 100
    assert precision.value >= 0.92, precision
    assert recall.value >= 0.86, recall


def test_themes_headings_pass_down(measured: dict[tuple[str, ...], Measurement]) -> None:
    """The themes a heading passes down, against 77 hand-labelled headings: an instrument's name
    (the International Tracing Instrument) passes no theme."""
    assert measured[("heading-themes", "precision", "all", "all")].value >= 0.95
    assert measured[("heading-themes", "recall", "all", "all")].value >= 0.94
