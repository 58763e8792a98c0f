"""The ``poa-kg`` command: build | validate | serve | query | export | accuracy | dump.

Exit codes: 0 ok, 1 validation failed, 2 bad input, 3 internal error (one line on stderr, plus
the path of a log file holding the traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import NamedNode

from poa_kg.config import Settings
from poa_kg.errors import (
    PoaKgError,
    QueryError,
    SetupError,
    SourceError,
    ValidationFailed,
    VocabularyError,
)
from poa_kg.namespaces import entity_iri
from poa_kg.serve.engine import execute
from poa_kg.serve.formats import GRAPH_TYPES, SOLUTION_TYPES
from poa_kg.serve.sparql import (
    QueryJob,
    inspect_query,
    negotiate,
    readable_syntax_error,
    with_query_prefixes,
)
from poa_kg.serve.store import open_store, publish_store

if TYPE_CHECKING:
    from poa_kg.ingest.build import BuildSummary

# The stages are imported by the commands that use them, not here: the service's query workers
# re-import the command's module when they start, and must not carry pyshacl, scipy or networkx
# (measured: ~50 MiB more per worker).
PROJECTIONS = ("actor-instrument", "commitment-theme", "entities", "lineage", "timeline", "votes")

EXIT_OK, EXIT_INVALID, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings()
    try:
        code: int = args.run(args, settings)
        return code
    except ValidationFailed as err:
        print(err.report_text, file=sys.stderr)
        print(f"error: {err}", file=sys.stderr)
        return EXIT_INVALID
    except (SourceError, VocabularyError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PoaKgError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # the reader of our output went away (`poa-kg query … | head`): not a failure of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted; nothing was published", file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as err:  # the one place that turns any failure into a user-facing line
        log = _log_traceback(settings)
        print(f"internal error: {type(err).__name__}: {err} (traceback in {log})", file=sys.stderr)
        return EXIT_INTERNAL


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="poa-kg", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="parse, extract, validate and write data/turtle")
    build_cmd.add_argument("--sources", type=Path, help="source documents (default data/sources)")
    build_cmd.add_argument("--out", type=Path, help="output folder (default data/turtle)")
    build_cmd.add_argument("--quiet", action="store_true", help="no progress, summary only")
    build_cmd.add_argument(
        "--if-changed",
        action="store_true",
        help="skip the build when sources, ontology, shapes and code are unchanged since the "
        "last build and the output is as it wrote it",
    )
    build_cmd.set_defaults(run=_build)

    validate_cmd = commands.add_parser("validate", help="SHACL-validate a folder of Turtle files")
    validate_cmd.add_argument("directory", nargs="?", type=Path, help="default data/turtle")
    validate_cmd.set_defaults(run=_validate)

    serve_cmd = commands.add_parser("serve", help="serve the published graph (SPARQL and REST)")
    serve_cmd.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve_cmd.set_defaults(run=_serve)

    query_cmd = commands.add_parser("query", help="run a SPARQL query on the published store")
    query_cmd.add_argument("query", help="the SPARQL query, or @FILE to read it from a file")
    query_cmd.add_argument(
        "--format", default=None, help="json, xml, csv, tsv (default) or ttl, nt, rdf, jsonld"
    )
    query_cmd.set_defaults(run=_query)

    export_cmd = commands.add_parser("export", help="write a projection as GEXF or GraphML")
    export_cmd.add_argument("--projection", required=True, help=f"one of: {', '.join(PROJECTIONS)}")
    export_cmd.add_argument("--format", default="gexf", help="gexf (default) or graphml")
    export_cmd.add_argument("-o", "--output", type=Path, help="file to write (default stdout)")
    export_cmd.add_argument("--meeting", help="only commitments of this meeting (key or IRI)")
    export_cmd.add_argument("--document", help="only commitments of this document (key or IRI)")
    export_cmd.add_argument("--theme", help="only commitments concerning this theme (key or IRI)")
    export_cmd.set_defaults(run=_export)

    accuracy_cmd = commands.add_parser(
        "accuracy", help="measure extraction against the hand-labelled samples (tests/data)"
    )
    accuracy_cmd.add_argument("--format", default="table", help="table (default) or json")
    accuracy_cmd.add_argument("--aspect", help="only this aspect (themes, classes, units…)")
    accuracy_cmd.set_defaults(run=_accuracy)
    dump_cmd = commands.add_parser(
        "dump", help="write the downloads: N-Quads, TriG, JSON-LD, CSV + CSVW, VoID/DCAT"
    )
    dump_cmd.add_argument("--out", type=Path, help="folder (default build/downloads)")
    dump_cmd.set_defaults(run=_dump)
    _add_publish(commands)
    return parser


def _accuracy(args: argparse.Namespace, settings: Settings) -> int:
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


def _dump(args: argparse.Namespace, settings: Settings) -> int:
    import time

    from poa_kg.serve.dump import dump

    out: Path = args.out or settings.downloads_dir
    if out.exists() and not out.is_dir():
        raise SourceError(out, "not a folder")
    version = publish_store(
        settings.turtle_dir, settings.store_dir, settings.ontology_dir / "poa.ttl"
    )
    start = time.perf_counter()
    result = dump(version.path, version.content_hash, out, settings.base_url)
    for file in result.files:
        print(f"{file.bytes:>12,} bytes  {file.records:>8} {file.record_kind:<7}  {file.name}")
    print(
        f"dataset {result.version} → {result.folder} in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )
    return EXIT_OK


def _build(args: argparse.Namespace, settings: Settings) -> int:
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
        publish_store(settings.turtle_dir, settings.store_dir, settings.ontology_dir / "poa.ttl")
    print(_summary_text(summary))
    return EXIT_OK


def _summary_text(summary: BuildSummary) -> str:
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


def _validate(args: argparse.Namespace, settings: Settings) -> int:
    directory: Path = args.directory or settings.turtle_dir
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise SourceError(directory, "no Turtle files to validate")
    from rdflib import Graph

    from poa_kg.ingest.validate import load_shapes, validate_graph

    data = Graph()
    for path in files:
        try:
            data.parse(path, format="turtle")
        except Exception as err:  # rdflib raises several unrelated types for bad Turtle
            raise SourceError(path, f"not valid Turtle: {err}") from err
    ontology = Graph().parse(settings.ontology_dir / "poa.ttl", format="turtle")
    report = validate_graph(data + ontology, load_shapes(settings.shapes_dir), ontology)
    if not report.conforms:
        print(report.text())
        print(f"{len(report.violations)} violation(s) in {directory}")
        return EXIT_INVALID
    print(f"{directory}: conforms ({len(files)} files, {len(data)} triples)")
    return EXIT_OK


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    try:
        from api.app import create_app
        from api.server import server_config
    except ModuleNotFoundError as err:
        if err.name != "api":
            raise
        raise SetupError(
            "the HTTP service (api/) is not part of the installed package: serve from a "
            "checkout of poa-kg with `make serve`"
        ) from err

    updates = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = settings.model_copy(update=updates)
    version = publish_store(
        settings.turtle_dir, settings.store_dir, settings.ontology_dir / "poa.ttl"
    )
    from poa_kg.serve.dump import dump, read_manifest

    if read_manifest(settings.downloads_dir / version.content_hash[:16]) is None:
        print(f"writing the downloads to {settings.downloads_dir}", file=sys.stderr)
        dump(version.path, version.content_hash, settings.downloads_dir, settings.base_url)
    print(f"serving store {version.content_hash[:12]} on {settings.base_url}", file=sys.stderr)
    uvicorn.Server(server_config(create_app(settings), settings)).run()
    return EXIT_OK


def _query(args: argparse.Namespace, settings: Settings) -> int:
    text: str = args.query
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError as err:
            raise SourceError(path, "no such query file") from err
        except (OSError, UnicodeDecodeError) as err:
            raise SourceError(path, f"cannot be read as UTF-8 text: {err}") from err
    text = with_query_prefixes(text)
    info = inspect_query(text, settings.max_depth, settings.max_operators)
    graph_form = info.form in ("construct", "describe")
    offers = list(GRAPH_TYPES) if graph_form else list(SOLUTION_TYPES)
    default = "ttl" if graph_form else "tsv"
    media_type = negotiate(None, offers, args.format or default)
    if media_type is None:
        raise QueryError(
            f"--format {args.format}: not one of the formats for a {info.form.upper()} query"
        )
    version = publish_store(
        settings.turtle_dir, settings.store_dir, settings.ontology_dir / "poa.ttl"
    )
    job = QueryJob(text, media_type, settings.row_cap, f"{settings.base_url}/sparql")
    try:
        answer = execute(open_store(version), job)
    except SyntaxError as err:
        raise QueryError(readable_syntax_error(str(err), text, preamble_lines=1)) from err
    sys.stdout.buffer.write(answer.body)
    if answer.truncated:
        print(f"(cut at {settings.row_cap} rows)", file=sys.stderr)
    return EXIT_OK


_EXPORT_FILTERS = (
    ("meeting", "forMeeting", "meeting"),
    ("document", "forDocument", "document"),
    ("theme", "theme", "theme"),
)


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from poa_kg import export

    fmt = export.export_format(args.format)
    if args.output is not None and not args.output.parent.is_dir():
        raise SourceError(args.output, f"no folder {args.output.parent} to write the export into")
    filters: dict[str, NamedNode] = {}
    for option, variable, kind in _EXPORT_FILTERS:
        value = getattr(args, option)
        if value is not None:
            try:
                filters[variable] = NamedNode(entity_iri(value, kind))
            except ValueError as err:
                raise QueryError(f"--{option}: {err}") from err
    version = publish_store(
        settings.turtle_dir, settings.store_dir, settings.ontology_dir / "poa.ttl"
    )
    store = open_store(version, settings.memory_quads)
    for option, variable, _kind in _EXPORT_FILTERS:
        if variable in filters and not export.names_something(store, filters[variable]):
            raise QueryError(
                f"--{option}: nothing in the graph is {filters[variable].value}; "
                f"the {option}s are listed by the REST route /{option}s"
            )
    rows = export.rows_in_process(store, args.projection, filters, f"{settings.base_url}/sparql")
    graph = export.build(args.projection, rows)
    from poa_kg.serve.dump import published_version

    graph.graph["data_version"] = published_version(version.path, version.content_hash)
    chunks = fmt.write(graph)
    if args.output is None:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
    else:
        # written beside the target and renamed: a failed export leaves no half-written file
        partial = args.output.with_name(f".{args.output.name}.partial")
        try:
            with partial.open("wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            partial.replace(args.output)
        finally:
            partial.unlink(missing_ok=True)
        print(
            f"{args.projection}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} "
            f"edges → {args.output}",
            file=sys.stderr,
        )
    return EXIT_OK


def _log_traceback(settings: Settings) -> Path:
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    log = settings.log_dir / "poa-kg-error.log"
    log.write_text(traceback.format_exc(), encoding="utf-8")
    return log


def _add_publish(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    publish_cmd = commands.add_parser(
        "publish", help="publish data/turtle into a remote SPARQL engine, switched atomically"
    )
    publish_cmd.add_argument(
        "--to", required=True, help="http://HOST:PORT (Oxigraph) or virtuoso://HOST:SQLPORT"
    )
    publish_cmd.add_argument("--engine", default="auto", help="auto (default), oxigraph, virtuoso")
    publish_cmd.add_argument("--turtle", type=Path, help="folder to publish (default data/turtle)")
    publish_cmd.add_argument(
        "--password-file", type=Path, help="Virtuoso: a file holding the DBA password"
    )
    publish_cmd.add_argument(
        "--stage", type=Path, help="Virtuoso: a folder on its host in its DirsAllowed"
    )
    publish_cmd.set_defaults(run=_publish)


def _publish(args: argparse.Namespace, settings: Settings) -> int:
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


if __name__ == "__main__":
    sys.exit(main())
