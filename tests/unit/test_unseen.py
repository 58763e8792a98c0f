"""A document of the same kind the parser was not written against (tests/data/synthetic): at least
95 % of its numbered units found, with no code change, and its imperfections reported."""

from __future__ import annotations

from poa_kg.config import ROOT
from poa_kg.ingest.extract import Extractor
from poa_kg.ingest.parse import parse_document
from poa_kg.ingest.sources import read_source
from poa_kg.ingest.vocab import load_vocabulary

SYNTHETIC = ROOT / "tests" / "data" / "synthetic" / "eleventh-bms-2030-synthetic.txt"
EXPECTED = [
    "para_1",
    "para_2",
    "para_3",
    "para_4",
    "para_5",
    "para_6",
    "para_7",
    "para_9",
    "para_10",
    "para_11",
    "para_11__point_a",
    "para_11__point_b",
]


def test_unseen_document_parses_with_its_numbered_units() -> None:
    document = parse_document(read_source(SYNTHETIC))
    found = [u.eid for u in document.units if u.kind in ("paragraph", "subitem")]
    recall = len(set(found) & set(EXPECTED)) / len(EXPECTED)
    assert recall >= 0.95
    assert found == EXPECTED  # and nothing spurious


def test_unseen_document_imperfections_are_handled_and_reported() -> None:
    document = parse_document(read_source(SYNTHETIC))
    units = {u.eid: u for u in document.units}
    assert units["para_5"].text.endswith("regional centres for peace and disarmament.")
    assert units["para_10"].text.endswith("in accordance with national legal frameworks.")
    assert units["para_10"].section == "subsec_B"  # the heading fell inside its sentence
    kinds = [i.type for i in document.issues]
    assert kinds.count("removed-page-furniture") == 4
    assert [i.about for i in document.issues if i.type == "truncated"] == ["main/para_6"]
    assert [i.message for i in document.issues if i.type == "numbering-gap"] == [
        "8 missing between 7 and 9"
    ]


def test_unseen_document_extraction() -> None:
    extraction = Extractor(load_vocabulary(ROOT / "ontology" / "vocab")).extract(
        parse_document(read_source(SYNTHETIC))
    )
    named = {(m.kind, m.entity) for m in extraction.mentions}
    assert {("actor", "interpol"), ("actor", "wco"), ("state", "CIV"), ("state", "GNB")} <= named
    assert {("state", "NER"), ("instrument", "att"), ("instrument", "firearms-protocol")} <= named
    assert ("instrument", "poa") in named  # "Programme of Acion", read fuzzily
    classes = {s.unit.eid: (s.cls, s.lead_verb, s.level) for s in extraction.statements}
    assert classes["para_4"] == ("Commitment", "establish", "effort")
    assert classes["para_6"] == ("Commitment", "consider", "consideration")
    assert classes["para_9"] == ("ProceduralDecision", "request", "exhortation")
    assert classes["para_1"][0] == "Declaration"
