"""The ``poa-kg`` command: build | validate | serve | query | export | accuracy | dump | publish.

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

from poa_kg.commands import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INVALID, EXIT_OK
from poa_kg.commands.ingest import run_accuracy, run_build, run_publish, run_validate
from poa_kg.commands.published import run_dump, run_export, run_query, run_serve
from poa_kg.config import Settings
from poa_kg.errors import PoaKgError, SourceError, ValidationFailed, VocabularyError

# The stages are imported inside the commands (commands/) that use them: the service's query workers
# re-import the command's module when they start, and must not carry pyshacl, scipy or networkx
# (measured: ~50 MiB more per worker).
PROJECTIONS = ("actor-instrument", "commitment-theme", "entities", "lineage", "timeline", "votes")

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_INVALID", "EXIT_OK", "PROJECTIONS", "main"]


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
    build_cmd.set_defaults(run=run_build)

    validate_cmd = commands.add_parser("validate", help="SHACL-validate a folder of Turtle files")
    validate_cmd.add_argument("directory", nargs="?", type=Path, help="default data/turtle")
    validate_cmd.set_defaults(run=run_validate)

    serve_cmd = commands.add_parser("serve", help="serve the published graph (SPARQL and REST)")
    serve_cmd.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve_cmd.set_defaults(run=run_serve)

    query_cmd = commands.add_parser("query", help="run a SPARQL query on the published store")
    query_cmd.add_argument("query", help="the SPARQL query, or @FILE to read it from a file")
    query_cmd.add_argument(
        "--format", default=None, help="json, xml, csv, tsv (default) or ttl, nt, rdf, jsonld"
    )
    query_cmd.set_defaults(run=run_query)

    export_cmd = commands.add_parser("export", help="write a projection as GEXF or GraphML")
    export_cmd.add_argument("--projection", required=True, help=f"one of: {', '.join(PROJECTIONS)}")
    export_cmd.add_argument("--format", default="gexf", help="gexf (default) or graphml")
    export_cmd.add_argument("-o", "--output", type=Path, help="file to write (default stdout)")
    export_cmd.add_argument("--meeting", help="only commitments of this meeting (key or IRI)")
    export_cmd.add_argument("--document", help="only commitments of this document (key or IRI)")
    export_cmd.add_argument("--theme", help="only commitments concerning this theme (key or IRI)")
    export_cmd.set_defaults(run=run_export)

    accuracy_cmd = commands.add_parser(
        "accuracy", help="measure extraction against the hand-labelled samples (tests/data)"
    )
    accuracy_cmd.add_argument("--format", default="table", help="table (default) or json")
    accuracy_cmd.add_argument("--aspect", help="only this aspect (themes, classes, units…)")
    accuracy_cmd.set_defaults(run=run_accuracy)
    dump_cmd = commands.add_parser(
        "dump", help="write the downloads: N-Quads, TriG, JSON-LD, CSV + CSVW, VoID/DCAT"
    )
    dump_cmd.add_argument("--out", type=Path, help="folder (default build/downloads)")
    dump_cmd.set_defaults(run=run_dump)

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
    publish_cmd.set_defaults(run=run_publish)
    return parser


def _log_traceback(settings: Settings) -> Path:
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    log = settings.log_dir / "poa-kg-error.log"
    log.write_text(traceback.format_exc(), encoding="utf-8")
    return log


if __name__ == "__main__":
    sys.exit(main())
