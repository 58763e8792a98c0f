"""Lineage: the similarity method and threshold measured on hand-labelled paragraph pairs
(tests/data/lineage/pairs.csv: 101 candidate pairs from outline → RevCon3 and RevCon3 → BMS8,
labelled restated / revised / realised / different by a reviewer who never saw the method), the
relations on small cases, and the published graph.

The pairs are split by id: odd ids tuned the method and threshold, even ids are held out.
"""

from __future__ import annotations

import csv

import pytest
from pyoxigraph import Store

from poa_kg import lineage
from poa_kg.config import ROOT
from poa_kg.lineage import LineageStatement, link, word_changes
from poa_kg.store import open_store, publish_store

PAIRS = ROOT / "tests" / "data" / "lineage" / "pairs.csv"
STATEMENT = "https://w3id.org/poa-kg/id/statement/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    version = publish_store(
        ROOT / "data" / "turtle",
        tmp_path_factory.mktemp("lineage") / "store",
        ROOT / "ontology" / "poa.ttl",
    )
    return open_store(version, memory_quads=10**9)


@pytest.fixture(scope="module")
def statements(store: Store) -> list[LineageStatement]:
    query = """PREFIX poa: <https://w3id.org/poa-kg/ont#> PREFIX prov: <http://www.w3.org/ns/prov#>
      PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
      SELECT ?s ?kind ?date ?text ?n WHERE {
        ?s poa:inDocument ?d ; prov:wasDerivedFrom ?u . ?u poa:text ?text .
        ?d poa:documentKind ?kind ; dcterms:date ?date .
        OPTIONAL { ?s poa:strengthLevel/skos:notation ?n } }"""
    found = []
    for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
        document, key = row["s"].value.removeprefix(STATEMENT).split("/", 1)
        found.append(
            LineageStatement(
                document,
                row["kind"].value,
                row["date"].value,
                key,
                row["text"].value,
                int(row["n"].value) if row["n"] is not None else None,
            )
        )
    return found


def _pairs(half: int) -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if int(r["pair"][1:]) % 2 == half]


def _scores(
    statements: list[LineageStatement], pairs: list[dict[str, str]], method: str, threshold: float
) -> tuple[float, float, float]:
    links = {
        f"{x.statement.document}/{x.statement.key}": x for x in link(statements, method, threshold)
    }
    tp = fp = fn = 0
    for pair in pairs:
        found = links[pair["later"]].predecessor
        predicted = found is not None and f"{found.document}/{found.key}" == pair["earlier"]
        same = pair["label"] != "different"
        tp += predicted and same
        fp += predicted and not same
        fn += same and not predicted
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def test_pair_set_is_labelled_with_matches_and_near_misses() -> None:
    rows = _pairs(0) + _pairs(1)
    labels = {r["label"] for r in rows}
    assert len(rows) >= 100
    assert labels <= {"restated", "revised", "realised", "different"}
    same = sum(r["label"] != "different" for r in rows)
    assert 20 <= same <= len(rows) - 40  # both matches and near-misses
    assert all(r["earlier"].startswith("prepcom") for r in rows if r["label"] == "realised")


def test_held_out_precision_and_recall(statements: list[LineageStatement]) -> None:
    """Measured 0.88 / 0.64 on the held-out half when the threshold was chosen."""
    precision, recall, _f1 = _scores(statements, _pairs(0), lineage.METHOD, lineage.LINK_THRESHOLD)
    assert precision >= 0.8
    assert recall >= 0.6


def test_chosen_method_is_the_best_on_the_tuning_half(statements: list[LineageStatement]) -> None:
    tuning = _pairs(1)
    chosen = _scores(statements, tuning, lineage.METHOD, lineage.LINK_THRESHOLD)[2]
    assert chosen >= 0.9
    for method in lineage.METHODS:
        for threshold in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            assert _scores(statements, tuning, method, threshold)[2] <= chosen, (method, threshold)


def _statement(
    document: str, kind: str, date: str, key: str, text: str, level: int
) -> LineageStatement:
    return LineageStatement(document, kind, date, key, text, level)


TRACING = "To strengthen international cooperation in tracing illicit small arms and light weapons, including through INTERPOL."
RECORDS = "To keep accurate records of small arms and light weapons manufactured, held and transferred under national jurisdiction."
DESTRUCTION = "To destroy surplus stockpiles of ammunition in an environmentally sound manner."


def test_relations_on_small_documents() -> None:
    outline = [
        _statement(
            "outline",
            "outline",
            "2018-01-01",
            "main/item_1",
            "Strengthen international cooperation in tracing illicit weapons, including through INTERPOL.",
            3,
        ),
    ]
    outcome = [
        _statement("outcome", "report", "2018-06-01", "annex/para_1", TRACING, 3),
        _statement(
            "outcome",
            "report",
            "2018-06-01",
            "annex/para_2",
            "To consider keeping records of small arms and light weapons manufactured, held and transferred.",
            0,
        ),
        _statement("outcome", "report", "2018-06-01", "annex/para_3", DESTRUCTION, 4),
    ]
    later = [
        _statement("later", "draft-outcome", "2022", "main/para_1", TRACING, 3),
        _statement("later", "draft-outcome", "2022", "main/para_2", RECORDS, 4),
        _statement(
            "later",
            "draft-outcome",
            "2022",
            "main/para_3",
            "To convene a meeting of experts on additive manufacturing in 2025.",
            5,
        ),
    ]
    links = {
        f"{x.statement.document}/{x.statement.key}": x for x in link(outline + outcome + later)
    }
    assert "outline/main/item_1" not in links  # the first document has no predecessor
    assert links["outcome/annex/para_1"].relation == "realised"
    restated = links["later/main/para_1"]
    assert restated.relation == "restated" and restated.predecessor is not None
    assert restated.predecessor.key == "annex/para_1" and restated.strength_change == 0
    revised = links["later/main/para_2"]
    assert revised.relation == "revised" and revised.strength_change == 4  # consider → keep
    assert "accurate" in " ".join(revised.added) and "consider" in " ".join(revised.removed)
    new = links["later/main/para_3"]
    assert new.relation == "new" and new.predecessor is None and new.best is not None


def test_an_earlier_paragraph_is_the_predecessor_of_one_later_paragraph_only() -> None:
    earlier = [_statement("a", "report", "2018-06-01", "main/para_1", TRACING, 3)]
    later = [
        _statement("b", "report", "2022-06-01", "main/para_1", TRACING, 3),
        _statement(
            "b", "report", "2022-06-01", "main/para_2", TRACING.replace("including", "notably"), 3
        ),
    ]
    links = link(earlier + later)
    assert sum(x.predecessor is not None for x in links) == 1
    assert next(x for x in links if x.predecessor).statement.key == "main/para_1"


def test_word_changes_name_the_phrases() -> None:
    added, removed = word_changes(
        "To consider establishing national points of contact.",
        "To ensure that national points of contact are established.",
    )
    assert "consider establishing" in removed
    assert any("ensure" in phrase for phrase in added)


def test_published_graph_links_every_later_statement_once(store: Store) -> None:
    query = """PREFIX poa: <https://w3id.org/poa-kg/ont#> PREFIX prov: <http://www.w3.org/ns/prov#>
      SELECT ?doc (COUNT(DISTINCT ?s) AS ?statements) (COUNT(?link) AS ?links) WHERE {
        ?s poa:inDocument ?doc ; prov:wasDerivedFrom ?u .
        OPTIONAL { ?s prov:qualifiedInfluence ?link } } GROUP BY ?doc"""
    counts = {
        row["doc"].value.rsplit("/", 1)[-1]: (int(row["statements"].value), int(row["links"].value))
        for row in store.query(query, use_default_graph_as_union=True)  # type: ignore[union-attr]
    }
    assert counts["prepcom-2018-outline"][1] == 0  # the earliest document
    for document in ("revcon3-2018", "bms8-2022-draft"):
        statements, links = counts[document]
        assert links == statements > 0
