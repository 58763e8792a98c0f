"""Build: the stages in order — sources → parse → extract → RDF → validate → publish.

``build()`` reads every document of the sources directory, turns each into a named graph, adds the
vocabularies and the quality report, validates them against the SHACL shapes (graph by graph,
``validate_units``) and only then publishes ``data/turtle/``: written into a temporary folder
beside the target and swapped in by rename, so a failed or interrupted build leaves the previous
output untouched.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID

from poa_kg import folders
from poa_kg.config import ROOT, Settings
from poa_kg.ingest.accuracy import Measurement, accuracy_graph, load_samples, measure
from poa_kg.ingest.extract import Extraction, Extractor
from poa_kg.ingest.lineage import LineageStatement, link
from poa_kg.ingest.lineage.evaluate import evaluate, read_pairs, read_sampled
from poa_kg.ingest.lineage.graph import lineage_graph
from poa_kg.ingest.lineage.graph import quality_graph as lineage_quality_graph
from poa_kg.ingest.model import Document, LayoutReport, QualityIssue
from poa_kg.ingest.parse import parse_document
from poa_kg.ingest.rdf import (
    SCHEMES,
    document_graph,
    draft_key,
    minted_graph,
    new_graph,
    quality_graph,
    resolution_entries,
    vocabulary_graph,
)
from poa_kg.ingest.sources import REFERENCES, check_references, find_sources, read_source
from poa_kg.ingest.validate import ValidationReport
from poa_kg.ingest.validate_units import validate_published
from poa_kg.ingest.vocab import Vocabulary, load_vocabulary
from poa_kg.namespaces import DATASET as DATASET_IRI
from poa_kg.namespaces import GRAPH, POA

DATASET = URIRef(DATASET_IRI)
_LINKED_KINDS = ("actor", "instrument", "meeting")

Progress = Callable[[str], None]


@dataclass
class BuildSummary:
    """Counts a user checks after a build."""

    documents: int = 0
    paragraphs: int = 0
    commitments: int = 0
    mentions: int = 0
    votes: int = 0
    triples: int = 0
    graphs: dict[str, int] = field(default_factory=dict)
    issues: Counter[str] = field(default_factory=Counter)
    issue_rows: list[tuple[str, QualityIssue]] = field(default_factory=list)
    report: ValidationReport | None = None
    layouts: dict[str, LayoutReport] = field(default_factory=dict)
    """What the layout stage did, per paged document."""
    unrepaired: Counter[str] = field(default_factory=Counter)
    """Per document: units still without terminal punctuation, layout doubts, lone footnotes."""
    measurements: list[Measurement] = field(default_factory=list)
    """Accuracy measured on the hand-labelled samples (``graph/accuracy``)."""


def build(
    settings: Settings,
    sources_dir: Path | None = None,
    out_dir: Path | None = None,
    progress: Progress = lambda _message: None,
) -> BuildSummary:
    """Build, validate and publish the graph.

    Raises:
        SourceError, ParseError, VocabularyError: bad input; nothing is written.
        ValidationFailed: the graph violates the shapes; nothing is written.
    """
    sources_dir = sources_dir or settings.sources_dir
    out_dir = out_dir or settings.turtle_dir
    summary = BuildSummary()
    vocabulary = load_vocabulary(settings.ontology_dir / "vocab")
    ontology = Graph().parse(settings.ontology_dir / "poa.ttl", format="turtle")
    extractor = Extractor(vocabulary)
    graphs: dict[str, Graph] = {}
    extractions: list[Extraction] = []
    known = {kind: set(vocabulary.of(kind)) for kind in set(REFERENCES.values())}
    sources = [read_source(path) for path in find_sources(sources_dir)]
    for source in sources:
        check_references(source.metadata, source.path.with_suffix(".toml"), known)
    corpus = {
        draft_key(s.metadata.symbol): s.metadata.id
        for s in sources
        if s.metadata.symbol and s.metadata.kind == "resolution"
    }
    for source in sources:
        progress(f"parse    {source.path.name}")
        document = parse_document(source)
        extraction = extractor.extract(document)
        extractions.append(extraction)
        graphs[document.id] = document_graph(extraction, vocabulary, corpus)
        summary.issue_rows += [(document.id, i) for i in document.issues + extraction.issues]
        summary.issue_rows += _metadata_issues(document)
        if document.layout is not None:
            summary.layouts[document.id] = document.layout
            summary.issue_rows.append((document.id, _layout_issue(document.layout)))
            summary.unrepaired[document.id] = sum(
                1
                for i in document.issues
                if i.type in ("truncated", "layout-doubt", "unattached-footnote")
            )
        _count(summary, extraction)
    progress("lineage  statements across documents")
    lineage = link(lineage_statements_of(extractions, vocabulary))
    graphs["lineage"] = lineage_graph(lineage)
    labels = settings.lineage_labels_dir
    if labels.is_dir():
        pairs = read_pairs(labels)
        sampled = read_sampled(labels, pairs)
        if pairs:
            measured = evaluate(lineage.links, pairs, sampled, "test")
            name = labels.relative_to(ROOT) if labels.is_relative_to(ROOT) else labels.name
            graphs["lineage-quality"] = lineage_quality_graph(measured, str(name))
    progress("rdf      vocabularies and quality report")
    for kind, (name, _title, _cls) in SCHEMES.items():
        graphs[f"vocab-{name}"] = vocabulary_graph(vocabulary, kind)
    realised = [
        (s.metadata.symbol, s.metadata.date)
        for s in sources
        if s.metadata.symbol and s.metadata.id in corpus.values()
    ]
    minted = resolution_entries((m for x in extractions for m in x.mentions), vocabulary, realised)
    graphs["vocab-resolutions"] = minted_graph(minted)
    summary.issue_rows += _vocabulary_issues(vocabulary, extractions)
    texts = {x.document.id: x.document.source.text for x in extractions}
    graphs["quality"] = quality_graph(summary.issue_rows, texts)
    progress("measure  accuracy on the hand-labelled samples")
    summary.measurements = measure(
        {x.document.id: x for x in extractions}, settings.gold_dir, extractor, lineage
    )
    graphs["accuracy"] = accuracy_graph(summary.measurements, load_samples(settings.gold_dir))
    summary.issues = Counter(issue.type for _owner, issue in summary.issue_rows)

    written = {name: _turtle(graph) for name, graph in graphs.items()}
    progress(f"validate SHACL shapes ({settings.shacl_engine}, graph by graph)")
    summary.report = validate_published(graphs, ontology, settings, written)
    summary.report.raise_for_violations()

    progress(f"publish  {out_dir}")
    summary.graphs = {name: len(graph) for name, graph in sorted(graphs.items())}
    summary.triples = sum(summary.graphs.values())
    publish(graphs, out_dir, written)
    return summary


def _turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def read_lineage_statements(settings: Settings) -> list[LineageStatement]:
    """The statements lineage compares, read from the sources as the build reads them."""
    vocabulary = load_vocabulary(settings.ontology_dir / "vocab")
    extractor = Extractor(vocabulary)
    extractions = [
        extractor.extract(parse_document(read_source(path)))
        for path in find_sources(settings.sources_dir)
    ]
    return lineage_statements_of(extractions, vocabulary)


def lineage_statements_of(
    extractions: list[Extraction], vocabulary: Vocabulary
) -> list[LineageStatement]:
    """Every statement (unclassified ones too), with its document's date and kind, its level's
    notation, its class and the heading of its section."""
    statements = []
    for extraction in extractions:
        meta = extraction.document.source.metadata
        headings = {(s.part, s.eid): s.heading for s in extraction.document.sections}
        parents = {(s.part, s.eid): s.parent for s in extraction.document.sections}
        for statement in extraction.statements:
            level = vocabulary.get("level", statement.level) if statement.level else None
            statements.append(
                LineageStatement(
                    document=meta.id,
                    document_kind=meta.kind,
                    date=meta.date,
                    key=f"{statement.unit.part}/{statement.unit.eid}",
                    text=statement.unit.text,
                    level=int(level.get("notation")) if level and level.get("notation") else None,
                    cls=statement.cls,
                    heading=headings.get((statement.unit.part, statement.unit.section or ""), ""),
                    headings=_heading_chain(
                        statement.unit.part, statement.unit.section, headings, parents
                    ),
                )
            )
    return statements


def _heading_chain(
    part: str,
    section: str | None,
    headings: dict[tuple[str, str], str],
    parents: dict[tuple[str, str], str | None],
) -> tuple[str, ...]:
    """The headings of the sections a unit stands in, outermost first."""
    chain: list[str] = []
    while section is not None and (part, section) in headings:
        chain.append(headings[part, section])
        section = parents[part, section]
    return tuple(h for h in reversed(chain) if h)


def _layout_issue(report: LayoutReport) -> QualityIssue:
    removed = ", ".join(f"{kind} {count}" for kind, count in report.removed.items())
    return QualityIssue(
        "layout-report",
        "info",
        f"{report.pages} pages; set aside: {removed}; footnotes attached "
        f"{report.footnotes_attached}/{report.footnotes}; lines joined {report.joined_lines}; "
        f"paragraph numbers moved {report.moved_numbers}; paragraphs found "
        f"{report.paragraphs_found} of {report.paragraphs_expected} expected",
    )


_CHECKED = ("symbol", "date", "session", "plenary_meeting", "agenda_item", "committee_report")


def _metadata_issues(document: Document) -> list[tuple[str, QualityIssue]]:
    """Facts of the metadata file that differ from what the text states of itself."""
    meta = document.source.metadata
    rows = []
    for name in _CHECKED:
        given, stated = getattr(meta, name), document.stated.get(name)
        if given is not None and stated is not None and str(given) != stated:
            message = f"{meta.id}.toml gives {name} {given!r}; the text states {stated!r}"
            rows.append((meta.id, QualityIssue("metadata-mismatch", "warning", message)))
    return rows


def _count(summary: BuildSummary, extraction: Extraction) -> None:
    summary.documents += 1
    summary.paragraphs += sum(1 for u in extraction.document.units if u.kind != "chapeau")
    summary.commitments += sum(
        1 for s in extraction.statements if s.cls in ("Commitment", "ProceduralDecision")
    )
    summary.mentions += len(extraction.mentions)
    summary.votes += len(extraction.votes)


def _vocabulary_issues(
    vocabulary: Vocabulary, extractions: list[Extraction]
) -> list[tuple[str, QualityIssue]]:
    """Vocabulary entries without a verified external link; documents dated by year only."""
    rows: list[tuple[str, QualityIssue]] = []
    for kind in _LINKED_KINDS:
        for entry in vocabulary.of(kind).values():
            if not (entry.get("wikidata") or entry.get("exact_match")):
                rows.append(
                    (
                        "vocab",
                        QualityIssue(
                            "no-external-link",
                            "info",
                            f"{entry.pref_label}: no verified external link",
                            about=f"{kind}/{entry.key}",
                        ),
                    )
                )
    for extraction in extractions:
        meta = extraction.document.source.metadata
        if len(meta.date) == 4:
            rows.append(
                (
                    meta.id,
                    QualityIssue("year-only-date", "info", f"dated {meta.date} (year only)"),
                )
            )
    return rows


def void_graph(graphs: dict[str, int]) -> Graph:
    """The VoID manifest: each named graph, its file and its triple count."""
    g = new_graph()
    g.add((DATASET, RDF.type, VOID.Dataset))
    g.add((DATASET, DCTERMS.title, Literal("poa-kg: the UN Programme of Action knowledge graph")))
    g.add((DATASET, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    g.add((DATASET, VOID.triples, Literal(sum(graphs.values()))))
    for name, triples in graphs.items():
        subset = GRAPH[name]
        g.add((DATASET, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, Literal(triples)))
        g.add((subset, POA.file, Literal(f"{name}.ttl")))
    return g


def publish(
    graphs: dict[str, Graph], out_dir: Path, written: dict[str, bytes] | None = None
) -> None:
    """Write one Turtle file per graph (``written``: its bytes, when already serialised) plus
    ``void.ttl`` beside ``out_dir``, then switch the folder in with one atomic exchange (a killed
    build leaves the previous output whole; its staging folder is removed by the next build)."""
    out_dir = out_dir.resolve()
    folders.recover(out_dir)
    folders.clean_leftovers(out_dir)
    staging = folders.staging_folder(out_dir, "new")
    try:
        counts = {}
        for name, graph in sorted(graphs.items()):
            text = written[name] if written and name in written else _turtle(graph)
            (staging / f"{name}.ttl").write_bytes(text)
            counts[name] = len(graph)
        void = void_graph(counts)
        (staging / "void.ttl").write_bytes(void.serialize(format="turtle", encoding="utf-8"))
        (staging / "README.md").write_text(_README, encoding="utf-8")
        folders.replace_folder(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


_README = """# data/turtle

Generated by `poa-kg build` from `data/sources/`, the vocabularies in `ontology/vocab/` and the
shapes in `shapes/`; never edited by hand. One Turtle file per named graph
(`https://w3id.org/poa-kg/graph/{file stem}`): one per document, one per vocabulary, `quality`
for the data-quality report, `accuracy` for the accuracy measured on the hand-labelled samples
(W3C DQV); `void.ttl` names each graph, its file and its triple count.
A test rebuilds this folder and compares it byte for byte.

Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); cite as in `CITATION.cff`.
"""
