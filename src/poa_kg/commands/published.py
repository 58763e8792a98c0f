"""The commands that read the published store: ``serve`` (SPARQL and REST), ``query`` (one
SPARQL query), ``export`` (a projection as GEXF or GraphML) and ``dump`` (the downloads).

Each takes the parsed arguments and the ``Settings``, publishes data/turtle as the store if it is
not published yet, and gives an exit code; errors are raised for ``cli.main`` to report.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pyoxigraph import NamedNode

from poa_kg.commands import EXIT_OK, publish
from poa_kg.config import Settings
from poa_kg.errors import QueryError, SetupError, SourceError
from poa_kg.namespaces import entity_iri
from poa_kg.serve.formats import GRAPH_TYPES, SOLUTION_TYPES
from poa_kg.serve.sparql import (
    QueryJob,
    inspect_query,
    negotiate,
    readable_syntax_error,
    with_query_prefixes,
)
from poa_kg.serve.store import open_store
from poa_kg.serve.worker import execute


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
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
    version = publish(settings)
    from poa_kg.serve.dump import dump, read_manifest

    if read_manifest(settings.downloads_dir / version.content_hash[:16]) is None:
        print(f"writing the downloads to {settings.downloads_dir}", file=sys.stderr)
        dump(version.path, version.content_hash, settings.downloads_dir, settings.base_url)
    print(f"serving store {version.content_hash[:12]} on {settings.base_url}", file=sys.stderr)
    uvicorn.Server(server_config(create_app(settings), settings)).run()
    return EXIT_OK


def run_query(args: argparse.Namespace, settings: Settings) -> int:
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
    version = publish(settings)
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


def run_export(args: argparse.Namespace, settings: Settings) -> int:
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
    version = publish(settings)
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


def run_dump(args: argparse.Namespace, settings: Settings) -> int:
    import time

    from poa_kg.serve.dump import dump

    out: Path = args.out or settings.downloads_dir
    if out.exists() and not out.is_dir():
        raise SourceError(out, "not a folder")
    version = publish(settings)
    start = time.perf_counter()
    result = dump(version.path, version.content_hash, out, settings.base_url)
    for file in result.files:
        print(f"{file.bytes:>12,} bytes  {file.records:>8} {file.record_kind:<7}  {file.name}")
    print(
        f"dataset {result.version} → {result.folder} in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )
    return EXIT_OK
