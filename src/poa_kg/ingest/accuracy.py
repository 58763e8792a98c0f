"""Accuracy: extractions (extract/) + the hand-labelled samples (``tests/data``) → ``Measurement``s,
and those as W3C Data Quality Vocabulary measurements (https://www.w3.org/TR/vocab-dqv/).

The build and the tests share this module: the tests assert floors on what it measures, the build
writes what it measures into the graph (``graph/accuracy``), one ``dqv:QualityMeasurement`` per
metric and document kind, with the sample's size, date and file. What is measured:

- ``units``: resolution paragraphs with their exact clean text and kind (``ga-gold/``);
- ``classes``: the class of every seed-document statement (``gold/statements.csv``);
- ``lead-verbs``, ``strength-levels``: of 80 operative units (``gold/strength.csv``);
- ``mentions-{state,actor,instrument,meeting}``: precision, recall, F1 per kind, and ``mentions``
  of every kind together (``gold/mentions.csv``);
- ``themes``: themes of a paragraph's own words, precision, recall, F1 (``themes/paragraphs.csv``),
  on the half never used to tune the rules (``test``) and on the tuning half;
- ``heading-themes``: the themes headings pass down (``themes/headings.csv``);
- ``lineage``: precision and recall of the links on the hand-aligned sets (``lineage/ga`` and
  ``lineage/seed``: ``half=tune`` fitted the method, ``half=test`` is held out), per set.

Samples (file, date, what) are listed in ``tests/data/samples.csv``. A sample whose documents are
not in the build is skipped. Nothing here imports pytest.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from poa_kg.ingest.extract import Extraction, Extractor
from poa_kg.ingest.lineage import Lineage
from poa_kg.ingest.lineage.evaluate import evaluate, read_pairs, read_sampled
from poa_kg.ingest.model import Document
from poa_kg.ingest.rdf import new_graph
from poa_kg.namespaces import BASE, DQV, ID, POA

COMMAND = "uv run poa-kg accuracy"
DATASET = URIRef(f"{BASE}dataset")
DIMENSION = URIRef(f"{ID}dimension/extraction-accuracy")
TUNING_RESOLUTIONS = ("ga-res-63-72-2008", "ga-res-74-60-2019")


@dataclass(frozen=True)
class Measurement:
    """One figure: a metric of one aspect, over the sample items of one document kind."""

    aspect: str
    metric: str
    """``precision``, ``recall``, ``f1`` or ``accuracy``."""
    kind: str
    """Document kind (``outcome``, ``report``, ``resolution``…) or ``all``."""
    value: float
    size: int
    """Items measured: paragraphs, statements or gold mentions."""
    sample: str
    """Key of the sample in ``samples.csv``."""
    half: str = "all"
    """``test`` (never used to tune), ``tune`` or ``all``."""


@dataclass(frozen=True)
class Sample:
    key: str
    files: tuple[str, ...]
    date: str
    description: str


def load_samples(gold_dir: Path) -> dict[str, Sample]:
    """The samples listed in ``samples.csv`` (empty when the folder or the list is missing)."""
    path = gold_dir / "samples.csv"
    if not path.is_file():
        return {}
    return {
        row["sample"]: Sample(
            row["sample"], tuple(row["files"].split("|")), row["date"], row["what"]
        )
        for row in _rows(path)
    }


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def scores(gold: Counter[tuple[str, ...]], found: Counter[tuple[str, ...]]) -> tuple[float, ...]:
    """(precision, recall, F1) of found against gold, counted with multiplicity."""
    hits = sum((gold & found).values())
    precision = hits / sum(found.values()) if found else 1.0
    recall = hits / sum(gold.values()) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def measure(
    extractions: Mapping[str, Extraction],
    gold_dir: Path,
    extractor: Extractor | None = None,
    lineage: Lineage | None = None,
) -> list[Measurement]:
    """Every figure the samples allow on these extractions (keyed by document id) and lineage
    links (none given: lineage is not measured)."""
    samples = load_samples(gold_dir)
    kinds = {key: x.document.source.metadata.kind for key, x in extractions.items()}
    found: list[Measurement] = []
    for key, function in _MEASURES.items():
        if key in samples:
            found += function(extractions, gold_dir, kinds, extractor)
    if "lineage" in samples and lineage is not None:
        found += _lineage(lineage, gold_dir)
    return found


def _lineage(lineage: Lineage, gold_dir: Path) -> list[Measurement]:
    """Precision and recall of the links on each hand-aligned set (``lineage/ga``,
    ``lineage/seed``), per half, as ``poa_kg.ingest.lineage.evaluate`` scores them."""
    folder = gold_dir / "lineage"
    pairs = read_pairs(folder)
    sampled = read_sampled(folder, pairs)
    out: list[Measurement] = []
    for half in ("test", "tune"):
        for name, scores in sorted(evaluate(lineage.links, pairs, sampled, half).items()):
            for metric, value in (("precision", scores.precision), ("recall", scores.recall)):
                out.append(
                    Measurement("lineage", metric, name, value, scores.pairs, "lineage", half)
                )
    return out


def _by_kind(
    items: Iterable[tuple[str, bool]], aspect: str, sample: str, half: str = "all"
) -> list[Measurement]:
    """Accuracy per document kind and overall from (kind, right) pairs."""
    groups: dict[str, list[bool]] = defaultdict(list)
    for kind, right in items:
        groups[kind].append(right)
        groups["all"].append(right)
    return [
        Measurement(aspect, "accuracy", kind, sum(v) / len(v), len(v), sample, half)
        for kind, v in sorted(groups.items())
    ]


def _prf(
    pairs: Mapping[str, tuple[Counter[tuple[str, ...]], Counter[tuple[str, ...]], int]],
    aspect: str,
    sample: str,
    half: str = "all",
) -> list[Measurement]:
    """Precision, recall and F1 per document kind from {kind: (gold, found, items)}."""
    out: list[Measurement] = []
    for kind, (gold, found, size) in sorted(pairs.items()):
        if not size:
            continue
        for metric, value in zip(("precision", "recall", "f1"), scores(gold, found), strict=True):
            out.append(Measurement(aspect, metric, kind, value, size, sample, half))
    return out


def _units(
    x: Mapping[str, Extraction], gold_dir: Path, kinds: dict[str, str], _e: Extractor | None
) -> list[Measurement]:
    items: dict[str, list[tuple[str, bool]]] = {"tune": [], "test": []}
    for path in sorted((gold_dir / "ga-gold").glob("*.paragraphs.csv")):
        stem = path.name.removesuffix(".paragraphs.csv")
        if stem not in x:
            continue
        got = unit_texts(x[stem].document)
        half = "tune" if stem in TUNING_RESOLUTIONS else "test"
        for row in _rows(path):
            right = got.get(row["number"]) == (row["kind"], row["text"])
            items[half].append((kinds[stem], right))
    return [
        m
        for half, pairs in items.items()
        if pairs
        for m in _by_kind(pairs, "units", "ga-gold", half)
    ]


def unit_texts(document: Document) -> dict[str, tuple[str, str]]:
    """Gold key of each unit of a resolution (p1, p2… preambular, the number operative) → (kind,
    clean text)."""
    recitals = [u for u in document.units if u.kind == "recital"]
    got = {f"p{i}": ("preambular", u.text) for i, u in enumerate(recitals, start=1)}
    got |= {u.number or "": ("operative", u.text) for u in document.units if u.kind == "paragraph"}
    return got


def _classes(
    x: Mapping[str, Extraction], gold_dir: Path, kinds: dict[str, str], _e: Extractor | None
) -> list[Measurement]:
    statements = {(k, s.unit.part, s.unit.eid): s for k, e in x.items() for s in e.statements}
    pairs = [
        (kinds[r["document"]], statements[key].cls == (r["class"] or None))
        for r in _rows(gold_dir / "gold" / "statements.csv")
        if (key := (r["document"], r["part"], r["eid"])) in statements
    ]
    return _by_kind(pairs, "classes", "classes")


def _strength(
    x: Mapping[str, Extraction], gold_dir: Path, kinds: dict[str, str], _e: Extractor | None
) -> list[Measurement]:
    statements = {(k, s.unit.part, s.unit.eid): s for k, e in x.items() for s in e.statements}
    rows = [
        (r, statements[key])
        for r in _rows(gold_dir / "gold" / "strength.csv")
        if (key := (r["document"], r["part"], r["eid"])) in statements
    ]
    verbs = [(kinds[r["document"]], s.lead_verb == r["lead_verb"]) for r, s in rows]
    levels = [(kinds[r["document"]], (s.level or "") == r["level"]) for r, s in rows]
    return _by_kind(verbs, "lead-verbs", "strength") + _by_kind(
        levels, "strength-levels", "strength"
    )


def _mentions(
    x: Mapping[str, Extraction], gold_dir: Path, kinds: dict[str, str], _e: Extractor | None
) -> list[Measurement]:
    rows = [r for r in _rows(gold_dir / "gold" / "mentions.csv") if r["document"] in x]
    units = {(r["document"], r["part"], r["eid"]) for r in rows}
    out: list[Measurement] = []
    for entity_kind in ("state", "actor", "instrument", "meeting", "any"):
        wanted = (
            ("state", "actor", "instrument", "meeting") if entity_kind == "any" else (entity_kind,)
        )
        pairs: dict[str, tuple[Counter[tuple[str, ...]], Counter[tuple[str, ...]], int]] = {}
        for doc_kind in sorted({kinds[u[0]] for u in units} | {"all"}):
            mine = {u for u in units if doc_kind in ("all", kinds[u[0]])}
            gold: Counter[tuple[str, ...]] = Counter(
                (r["document"], r["part"], r["eid"], r["kind"], r["key"])
                for r in rows
                if r["kind"] in wanted and (r["document"], r["part"], r["eid"]) in mine
            )
            found: Counter[tuple[str, ...]] = Counter(
                (key, m.unit.part, m.unit.eid, m.kind, m.entity)
                for key, e in x.items()
                for m in e.mentions
                if m.kind in wanted and (key, m.unit.part, m.unit.eid) in mine
            )
            pairs[doc_kind] = (gold, found, sum(gold.values()))
        aspect = "mentions" if entity_kind == "any" else f"mentions-{entity_kind}"
        out += _prf(pairs, aspect, "mentions")
    return out


def own_themes(extraction: Extraction) -> dict[tuple[str, str], set[str]]:
    """(part, eId) → the themes of the unit's own words."""
    themes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for mention in extraction.mentions:
        if mention.kind == "theme":
            themes[(mention.unit.part, mention.unit.eid)].add(mention.entity)
    return themes


def theme_rows(gold_dir: Path, extractions: Mapping[str, Extraction]) -> list[dict[str, str]]:
    """The labelled paragraphs of ``themes/paragraphs.csv`` whose document is built."""
    return [
        r for r in _rows(gold_dir / "themes" / "paragraphs.csv") if r["document"] in extractions
    ]


def _themes(
    x: Mapping[str, Extraction], gold_dir: Path, kinds: dict[str, str], _e: Extractor | None
) -> list[Measurement]:
    own = {key: own_themes(e) for key, e in x.items()}
    out: list[Measurement] = []
    for half in ("test", "tune"):
        pairs: dict[str, tuple[Counter[tuple[str, ...]], Counter[tuple[str, ...]], int]] = {}
        rows = [r for r in theme_rows(gold_dir, x) if r["half"] == half]
        for doc_kind in sorted({kinds[r["document"]] for r in rows} | {"all"}):
            gold: Counter[tuple[str, ...]] = Counter()
            found: Counter[tuple[str, ...]] = Counter()
            size = 0
            for row in rows:
                if doc_kind not in ("all", kinds[row["document"]]):
                    continue
                size += 1
                _document, part, eid = row["id"].split("/", 2)
                gold.update((row["id"], t) for t in filter(None, row["themes"].split("|")))
                found.update((row["id"], t) for t in own[row["document"]].get((part, eid), ()))
            pairs[doc_kind] = (gold, found, size)
        out += _prf(pairs, "themes", "themes", half)
    return out


def _heading_themes(
    x: Mapping[str, Extraction], gold_dir: Path, kinds: dict[str, str], e: Extractor | None
) -> list[Measurement]:
    if e is None:
        return []
    rows = [r for r in _rows(gold_dir / "themes" / "headings.csv") if r["document"] in x]
    named = {
        key: e.themes.heading_themes(x[key].document, lambda unit: e.matcher.find(unit, []))
        for key in {r["document"] for r in rows}
    }
    pairs: dict[str, tuple[Counter[tuple[str, ...]], Counter[tuple[str, ...]], int]] = {}
    for doc_kind in sorted({kinds[r["document"]] for r in rows} | {"all"}):
        mine = [r for r in rows if doc_kind in ("all", kinds[r["document"]])]
        gold: Counter[tuple[str, ...]] = Counter(
            (r["document"], r["part"], r["section"], t)
            for r in mine
            for t in filter(None, r["themes"].split("|"))
        )
        found: Counter[tuple[str, ...]] = Counter(
            (r["document"], r["part"], r["section"], t)
            for r in mine
            for t in {m.entity for m in named[r["document"]].get((r["part"], r["section"]), [])}
        )
        pairs[doc_kind] = (gold, found, len(mine))
    return _prf(pairs, "heading-themes", "headings")


_Measure = Callable[
    [Mapping[str, Extraction], Path, dict[str, str], Extractor | None], list[Measurement]
]
_MEASURES: dict[str, _Measure] = {
    "ga-gold": _units,
    "classes": _classes,
    "strength": _strength,
    "mentions": _mentions,
    "themes": _themes,
    "headings": _heading_themes,
}


# ---------------------------------------------------------------------------------- DQV
def metric_iri(aspect: str, metric: str) -> URIRef:
    return URIRef(f"{ID}metric/{aspect}-{metric}")


def measurement_iri(m: Measurement) -> URIRef:
    return URIRef(f"{ID}measurement/{m.aspect}/{m.metric}/{m.kind}/{m.half}")


def accuracy_graph(measurements: Iterable[Measurement], samples: Mapping[str, Sample]) -> Graph:
    """The measurements as ``dqv:QualityMeasurement``s of ``dqv:Metric``s in one dimension."""
    g = new_graph()
    g.add((DIMENSION, RDF.type, DQV.Dimension))
    g.add((DIMENSION, RDFS.label, Literal("extraction accuracy", lang="en")))
    for m in measurements:
        metric = metric_iri(m.aspect, m.metric)
        g.add((metric, RDF.type, DQV.Metric))
        g.add((metric, DQV.inDimension, DIMENSION))
        g.add((metric, RDFS.label, Literal(f"{m.metric} of {m.aspect}", lang="en")))
        node = measurement_iri(m)
        sample = samples[m.sample]
        g.add((node, RDF.type, DQV.QualityMeasurement))
        g.add((node, DQV.isMeasurementOf, metric))
        g.add((node, DQV.computedOn, DATASET))
        g.add((node, DQV.value, Literal(Decimal(f"{m.value:.4f}"))))
        g.add((node, POA.forDocumentKind, Literal(m.kind)))
        g.add((node, POA.sampleSize, Literal(m.size)))
        g.add((node, POA.sampleDate, Literal(sample.date, datatype=XSD.date)))
        g.add((node, POA.sampleHalf, Literal(m.half)))
        for file in sample.files:
            g.add((node, POA.sampleFile, Literal(f"tests/data/{file}")))
        g.add((node, POA.reproducedBy, Literal(COMMAND)))
        g.add((node, RDFS.comment, Literal(sample.description, lang="en")))
    return g
