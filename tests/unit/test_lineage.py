"""Lineage: measured on hand-labelled pairs it was not tuned on, the relations on small cases, the
normalisation of editorial noise, and the published graph (PROV links, first appearances, the
DQV measurements next to them).

The labels (tests/data/lineage/{ga,seed}/, each with its labeller's README) were made from the
texts alone; the classifier was fitted on their ``tune`` half (``python -m
poa_kg.ingest.lineage.tune``) and the floors below are the figures measured on the ``test`` half when
the method was frozen, minus a small margin.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF

from poa_kg.config import ROOT, Settings
from poa_kg.ingest.build import read_lineage_statements
from poa_kg.ingest.lineage import (
    Lineage,
    LineageStatement,
    classify,
    diff_segments,
    link,
    tokens,
    word_changes,
)
from poa_kg.ingest.lineage.evaluate import NEGATIVE, Scores, evaluate, read_pairs, read_sampled
from poa_kg.ingest.lineage.series import prepare
from poa_kg.ingest.lineage.tune import candidates_of, training
from poa_kg.namespaces import DQV, POA

LABELS = ROOT / "tests" / "data" / "lineage"
TURTLE = ROOT / "data" / "turtle"
STATEMENT = "https://w3id.org/poa-kg/id/statement/"
LABEL_VALUES = {"restated", "revised", "realised", "merged", "split", NEGATIVE}


@pytest.fixture(scope="module")
def statements() -> list[LineageStatement]:
    return read_lineage_statements(Settings())


@pytest.fixture(scope="module")
def lineage(statements: list[LineageStatement]) -> Lineage:
    return link(statements)


@pytest.fixture(scope="module")
def held_out(lineage: Lineage) -> dict[str, Scores]:
    pairs = read_pairs(LABELS)
    return evaluate(lineage.links, pairs, read_sampled(LABELS, pairs), "test")


# ---------------------------------------------------------------------- the labels


def test_label_sets_are_complete_and_documented(statements: list[LineageStatement]) -> None:
    ids = {s.id for s in statements}
    pairs = read_pairs(LABELS)
    per_set: dict[str, int] = {}
    for pair in pairs:
        per_set[pair.set] = per_set.get(pair.set, 0) + 1
        assert pair.label in LABEL_VALUES, pair
        assert pair.half in ("tune", "test"), pair
        assert pair.later in ids, pair
        # the labellers allowed section chapeaux ("…/sec_IV__intro") as predecessors; they are
        # not statements, so those few positives can never be found
        assert pair.earlier in ids or pair.earlier.endswith("__intro"), pair
    assert per_set["ga-successive"] >= 100
    assert per_set["bms8-revcon3"] >= 100 and per_set["outline-revcon3"] >= 100
    for folder in ("ga", "seed"):
        assert (LABELS / folder / "README.md").is_file()
        with (LABELS / folder / "sampled.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert rows and {r["half"] for r in rows} == {"tune", "test"}


def test_tuning_reads_only_the_tune_half(statements: list[LineageStatement]) -> None:
    pairs = read_pairs(LABELS)
    sampled = read_sampled(LABELS, pairs)
    test_later = {p.later for p in pairs if p.half == "test"}
    tune_later = {p.later for p in pairs if p.half == "tune"}
    assert test_later and not test_later & tune_later  # halves are split by later statement
    candidates = candidates_of(prepare(statements))
    rows = training(candidates, pairs, sampled, "tune")
    assert sum(len(r) for r in rows.values()) > 300
    used = {
        c.later.id
        for c in candidates
        if any(c.features is f for kind in rows.values() for f, _y in kind)
    }
    assert used and used <= tune_later


# ---------------------------------------------------------------------- measured


def test_successive_resolutions_held_out(held_out: dict[str, Scores]) -> None:
    """Measured 0.979 / 0.922, 1 of 71 hard negatives linked, relation accuracy 0.915 (test
    half, 122 pairs)."""
    ga = held_out["ga-successive"]
    assert ga.positives >= 50
    assert ga.precision >= 0.95
    assert ga.recall >= 0.89
    assert ga.hard_negatives <= 1
    assert ga.relation_accuracy >= 0.89


def test_seed_documents_held_out(held_out: dict[str, Scores]) -> None:
    """Measured: BMS8 → RevCon3 0.909 / 0.500; outline → RevCon3 0.818 / 0.167; both 0.864 /
    0.257 with 2 of 87 hard negatives linked. Far below the 0.90 / 0.90 target: an outline
    element is a topic label that the paragraphs realising it share few words with."""
    bms8, outline, seed = (held_out[s] for s in ("bms8-revcon3", "outline-revcon3", "seed"))
    assert bms8.precision >= 0.88 and bms8.recall >= 0.47
    assert outline.precision >= 0.79 and outline.recall >= 0.14
    assert seed.precision >= 0.84 and seed.recall >= 0.23
    assert seed.hard_negatives <= 2


# ---------------------------------------------------------------------- small cases


def _statement(
    document: str, key: str, text: str, level: int | None = 3, cls: str = "Commitment"
) -> LineageStatement:
    kind = "outline" if document == "outline" else "resolution"
    return LineageStatement(document, kind, f"20{document[-2:]}-12-01", key, text, level, cls)


TRACING = (
    "Encourages States to strengthen international cooperation in tracing illicit small arms "
    "and light weapons, including through INTERPOL and the International Tracing Instrument."
)
RECORDS = (
    "Calls upon States to keep accurate records of small arms and light weapons manufactured, "
    "held and transferred under their national jurisdiction for not less than twenty years."
)
BROKERING = (
    "Encourages States to develop national legislation on illicit brokering in small arms and "
    "light weapons, and to exchange information on brokers convicted of violations."
)
STOCKPILES = (
    "Urges States to secure their national stockpiles of ammunition against theft and to "
    "destroy surplus stocks in an environmentally sound manner."
)


def test_relations_first_appearance_and_dropped() -> None:
    earlier = [
        _statement("res-02", "main/para_1", TRACING),
        _statement("res-02", "main/para_2", RECORDS),
        _statement("res-02", "main/para_3", BROKERING),
        _statement("res-02", "main/para_4", STOCKPILES),
    ]
    later = [
        _statement("res-03", "main/para_1", TRACING.replace("Encourages", "Also encourages")),
        _statement(
            "res-03",
            "main/para_2",
            RECORDS.replace("twenty", "thirty").replace(".", ", and to share them on request."),
        ),
        _statement("res-03", "main/para_3", BROKERING),
        _statement(
            "res-03",
            "main/para_4",
            "Decides to convene a meeting of governmental experts on additive manufacturing of "
            "firearms and polymer frames in 2025.",
            5,
        ),
    ]
    result = link(earlier + later)
    by_later = {x.later.id: x for x in result.links}
    assert by_later["res-03/main/para_1"].relation == "restated"  # "Also" is editorial
    assert by_later["res-03/main/para_1"].earlier.id == "res-02/main/para_1"
    revised = by_later["res-03/main/para_2"]
    assert revised.relation == "revised" and revised.strength_change == 0
    assert revised.added == ("thirty", "and to share them on request")
    assert revised.removed == ("twenty",)
    assert "res-03/main/para_4" not in by_later  # new: no link at all
    assert {s.id for s in result.new()} == {"res-03/main/para_4"}
    assert result.first["res-03/main/para_1"].id == "res-02/main/para_1"
    assert result.first["res-03/main/para_4"].id == "res-03/main/para_4"
    assert result.dropped == {"res-02/main/para_4": "res-03"}
    assert all(0.0 <= x.score <= 1.0 and x.rank >= 1 for x in result.links)


def test_a_rows_best_candidate_may_pass_a_lower_threshold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A later statement's best candidate in a document needs ``top``, the others ``threshold``;
    the within-row shares are 1 for the row's best and below 1 for the others."""
    earlier = [
        _statement("res-02", "main/para_1", TRACING),
        _statement("res-02", "main/para_2", RECORDS),
    ]
    merged = _statement("res-03", "main/para_1", f"{TRACING} {RECORDS}")
    ((block,),) = prepare([*earlier, merged])[0]
    shares = sorted(c.features["cosine_share"] for c in block)
    assert len(shares) == 2 and shares[-1] == 1.0 and 0.0 < shares[0] < 1.0
    assert sorted(c.features["contains_share"] for c in block)[-1] == 1.0
    # the best scores 1 / (1 + e^-0.5) ≈ 0.62, the other less
    weights = {"resolution": {"bias": -0.5, "cosine_share": 1.0, "threshold": 0.9, "top": 0.6}}
    monkeypatch.setattr(classify, "load", lambda path=None: weights)
    (only,) = link([*earlier, merged]).links
    assert only.earlier.id == max(block, key=lambda c: c.features["cosine_share"]).earlier.id
    weights["resolution"]["threshold"] = 0.1
    assert len(link([*earlier, merged]).links) == 2
    weights["resolution"]["top"] = weights["resolution"]["threshold"] = 0.9
    assert not link([*earlier, merged]).links


def test_a_change_of_class_is_not_a_change_of_strength() -> None:
    text = "States recognized the importance of tracing illicit small arms and light weapons."
    declaration = _statement("res-02", "main/para_1", text, 4, "Declaration")
    commitment = _statement("res-03", "main/para_1", text, 2, "Commitment")
    (found,) = link([declaration, commitment]).links
    assert found.class_change == ("Declaration", "Commitment")
    assert found.strength_change is None and found.relation == "revised"


def test_normalisation_removes_editorial_noise() -> None:
    assert tokens("We recognize the role of civil society.") == tokens(
        "States recognized the role of civil society."
    )
    assert tokens("The General Assembly continues to encourage the programme.") == tokens(
        "Encourages also the program."
    )
    assert tokens("to take account of the report") == tokens("to take into account the report")
    assert tokens("Recalling its resolution 73/69 of 5 December 2018,") == tokens(
        "Recalling its resolution 74/60 of 12 December 2019,"
    )
    assert tokens("the organisation of the centre") == tokens("the organization of the center")
    assert tokens("marking") != tokens("tracing")


def test_word_changes_and_segments_name_the_words() -> None:
    before = "To consider establishing national points of contact."
    after = "To ensure that national points of contact are established."
    added, removed = word_changes(before, after)
    assert "consider establishing" in removed
    assert any("ensure" in phrase for phrase in added)
    segments = diff_segments(before, after)
    assert ("removed", "consider establishing") in segments
    assert " ".join(t for k, t in segments if k != "removed") == " ".join(after.rstrip(".").split())


# ---------------------------------------------------------------------- the published graph


@pytest.fixture(scope="module")
def published() -> Graph:
    graph = Graph()
    for name in ("lineage", "lineage-quality"):
        graph.parse(TURTLE / f"{name}.ttl", format="turtle")
    return graph


def _id(node: object) -> str:
    return str(node).removeprefix(STATEMENT)


def test_published_links_are_prov_revisions_and_derivations(
    published: Graph, lineage: Lineage
) -> None:
    expected = {(x.later.id, x.earlier.id, x.relation) for x in lineage.links}
    found = set()
    for statement, node in published.subject_objects(PROV.qualifiedInfluence):
        earlier = published.value(node, PROV.entity)
        relation = str(published.value(node, POA.lineageRelation)).rsplit("#", 1)[-1]
        found.add((_id(statement), _id(earlier), relation))
        if relation == "realised":
            assert (node, RDF.type, PROV.Derivation) in published
            assert (statement, PROV.qualifiedDerivation, node) in published
            assert (statement, PROV.wasDerivedFrom, earlier) in published
        else:
            assert (node, RDF.type, PROV.Revision) in published
            assert (statement, PROV.qualifiedRevision, node) in published
            assert (statement, PROV.wasRevisionOf, earlier) in published
    assert found == expected and len(found) > 400


def test_new_statements_have_no_link_node_but_a_first_appearance(
    published: Graph, lineage: Lineage
) -> None:
    new = lineage.new()
    assert len(new) > 50
    for statement in new:
        node = URIRef(STATEMENT + statement.id)
        assert published.value(node, PROV.qualifiedInfluence) is None
        first = published.value(node, POA.firstAppearance)
        assert str(first).endswith(f"/document/{statement.document}")
    firsts = set(published.subjects(POA.firstAppearance, None))
    assert len(firsts) == len(lineage.statements)


def test_published_quality_is_what_the_labels_measure(
    published: Graph, held_out: dict[str, Scores]
) -> None:
    measured = {}
    for node in published.subjects(RDF.type, DQV.QualityMeasurement):
        metric = str(published.value(node, DQV.isMeasurementOf)).rsplit("#", 1)[-1]
        label_set = str(published.value(node, POA.labelSet))
        if published.value(node, POA.forRelation) is None:
            value = published.value(node, DQV.value)
            assert value is not None
            measured[label_set, metric] = (
                value.toPython(),
                int(published.value(node, POA.sampleSize).toPython()),  # type: ignore[union-attr]
            )
    for name, scores in held_out.items():
        precision, made = measured[name, "linkPrecision"]
        recall, positives = measured[name, "linkRecall"]
        assert Decimal(precision) == Decimal(f"{scores.precision:.4f}")
        assert Decimal(recall) == Decimal(f"{scores.recall:.4f}")
        assert made == scores.found + scores.false_positives and positives == scores.positives
        assert measured[name, "hardNegativesLinked"][0] == scores.hard_negatives
