"""The build-side commands: ``build`` (parse, extract, validate, write data/turtle and publish
the store), ``validate`` (SHACL on a folder of Turtle), ``accuracy`` (extraction measured
against the hand-labelled samples) and ``publish`` (a build into a remote SPARQL engine).

Each takes the parsed arguments and the ``Settings`` and gives an exit code, printing its report;
errors are raised for ``cli.main`` to report. The stages are imported inside each command: the
service's query workers import ``cli`` and must not carry pyshacl, scipy or networkx.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from poa_kg.commands import EXIT_INVALID, EXIT_OK, publish
from poa_kg.config import Settings
from poa_kg.errors import SetupError, SourceError

if TYPE_CHECKING:
    from poa_kg.ingest.build import BuildSummary


def run_build(args: argparse.Namespace, settings: Settings) -> int:
    from poa_kg.ingest import freshness
    from poa_kg.ingest.build import build

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"  {message}", file=sys.stderr, flush=True)

    out_dir = args.out or settings.turtle_dir
    inputs = freshness.inputs_digest(settings, args.sources)
    if args.if_changed and freshness.up_to_date(settings, out_dir, inputs):
        print(
            f"{out_dir} is up to date: sources, ontology, shapes and code unchanged since the "
            f"last build (inputs {inputs[:12]}); nothing built"
        )
        return EXIT_OK
    summary = build(settings, args.sources, args.out, progress)
    freshness.record(settings, out_dir, inputs)
    if args.out is None or args.out.resolve() == settings.turtle_dir.resolve():
        progress(f"store    {settings.store_dir}")
        publish(settings)
    print(summary_text(summary))
    return EXIT_OK


def summary_text(summary: BuildSummary) -> str:
    lines = [
        f"documents    {summary.documents}",
        f"paragraphs   {summary.paragraphs}",
        f"commitments  {summary.commitments}",
        f"mentions     {summary.mentions}",
        f"votes        {summary.votes}",
        f"triples      {summary.triples}",
        f"warnings     {sum(summary.issues.values())}",
        "",
        "quality report (kept in graph/quality):",
        f"  {'type':<24} {'count':>5}",
    ]
    for kind, count in sorted(summary.issues.items()):
        lines.append(f"  {kind:<24} {count:>5}")
    if summary.layouts:
        lines += ["", "layout stage, per paged document (set aside, repaired, left):"]
        lines.append(
            f"  {'document':<22} {'pages':>5} {'furniture':>9} {'footnotes':>9} {'markers':>7} "
            f"{'joined':>6} {'moved':>5} {'paragraphs':>10} {'unrepaired':>10}"
        )
        for key, report in sorted(summary.layouts.items()):
            removed = dict(report.removed)
            markers = removed.pop("footnote marker", 0)
            removed.pop("moved paragraph number", None)
            reordered = removed.pop("reordered line fragment", 0)
            notes = removed.pop("footnote", 0)
            furniture = sum(removed.values())
            attached = f"{report.footnotes_attached}/{report.footnotes}"
            found = f"{report.paragraphs_found}/{report.paragraphs_expected}"
            lines.append(
                f"  {key:<22} {report.pages:>5} {furniture:>9} {attached:>9} {markers:>7} "
                f"{report.joined_lines:>6} {report.moved_numbers:>5} {found:>10} "
                f"{summary.unrepaired[key]:>10}"
            )
            kinds = ", ".join(f"{kind} {count}" for kind, count in removed.items())
            lines.append(
                f"  {'':<22} furniture: {kinds}; footnote text lines: {notes}; "
                f"scattered words put back: {reordered}"
            )
    shown = [
        (owner, issue)
        for owner, issue in summary.issue_rows
        if issue.severity in ("warning", "error")
    ]
    if shown:
        lines.append("")
        lines.append(f"  {'document':<22} {'type':<18} {'about':<34} message")
        for owner, issue in shown:
            about = issue.about or ""
            lines.append(f"  {owner:<22} {issue.type:<18} {about:<34} {issue.message}")
    return "\n".join(lines)


def run_validate(args: argparse.Namespace, settings: Settings) -> int:
    directory: Path = args.directory or settings.turtle_dir
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise SourceError(directory, "no Turtle files to validate")
    from rdflib import Graph

    from poa_kg.ingest.validate_units import validate_published

    graphs, written = {}, {}
    for path in files:
        written[path.stem] = path.read_bytes()
        try:
            graphs[path.stem] = Graph().parse(data=written[path.stem], format="turtle")
        except Exception as err:  # rdflib raises several unrelated types for bad Turtle
            raise SourceError(path, f"not valid Turtle: {err}") from err
    ontology = Graph().parse(settings.ontology_dir / "poa.ttl", format="turtle")
    report = validate_published(graphs, ontology, settings, written)
    if not report.conforms:
        print(report.text())
        print(f"{len(report.violations)} violation(s) in {directory}")
        return EXIT_INVALID
    triples = sum(len(graph) for graph in graphs.values())
    print(f"{directory}: conforms ({len(files)} files, {triples} triples)")
    return EXIT_OK


def run_accuracy(args: argparse.Namespace, settings: Settings) -> int:
    """Parse and extract every source, measure, print the figures the build writes as DQV."""
    import json
    from dataclasses import asdict

    from poa_kg.ingest.accuracy import measure
    from poa_kg.ingest.build import lineage_statements_of
    from poa_kg.ingest.extract import Extractor
    from poa_kg.ingest.lineage import link
    from poa_kg.ingest.parse import parse_document
    from poa_kg.ingest.sources import find_sources, read_source
    from poa_kg.ingest.vocab import load_vocabulary

    extractor = Extractor(load_vocabulary(settings.ontology_dir / "vocab"))
    extractions = {}
    for path in find_sources(settings.sources_dir):
        document = parse_document(read_source(path))
        extractions[document.id] = extractor.extract(document)
    lineage = link(lineage_statements_of(list(extractions.values()), extractor.vocabulary))
    found = [
        m
        for m in measure(extractions, settings.gold_dir, extractor, lineage)
        if args.aspect in (None, m.aspect)
    ]
    if args.format == "json":
        print(json.dumps([asdict(m) for m in found], indent=1))
        return EXIT_OK
    print(f"{'aspect':20} {'metric':10} {'kind':14} {'half':5} {'value':>6} {'n':>5}")
    for m in found:
        print(f"{m.aspect:20} {m.metric:10} {m.kind:14} {m.half:5} {m.value:6.3f} {m.size:5d}")
    return EXIT_OK


def run_publish(args: argparse.Namespace, settings: Settings) -> int:
    """Publish the build into the engine at ``--to``; print what was published."""
    import time

    from poa_kg.ingest.publish_remote import Engine, Target, publish_remote

    try:
        engine = Engine(args.engine)
    except ValueError as err:
        raise SetupError(f"--engine {args.engine}: give auto, oxigraph or virtuoso") from err
    password = None
    if args.password_file is not None:
        try:
            password = args.password_file.read_text(encoding="utf-8").strip()
        except OSError as err:
            raise SetupError(f"--password-file {args.password_file}: {err.strerror}") from err
    target = Target(args.to, password=password, stage=args.stage)
    started = time.monotonic()
    turtle = args.turtle or settings.turtle_dir
    publication = publish_remote(turtle, settings.ontology_dir / "poa.ttl", target, engine)
    quads = sum(len(quads) for quads in publication.graphs.values())
    print(
        f"published {publication.content_hash[:16]} ({len(publication.graphs)} graphs, "
        f"{quads} triples) into {args.to} in {time.monotonic() - started:.1f} s"
    )
    return EXIT_OK
