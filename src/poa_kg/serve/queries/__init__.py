"""Named SPARQL queries (package data): load a ``.rq`` file, read its header, bind its variables.

>>> header("commitments").binds["actor"]
'IRI of an actor or State the commitment engages (optional)'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from pyoxigraph import BlankNode, Literal, NamedNode

from poa_kg.serve.sparql import QueryJob

Term = NamedNode | Literal | BlankNode
_BIND = re.compile(r"#\s*bind\s+\?(\w+):\s*(.*)")
_BLOCK = re.compile(
    r"^[ \t]*# if \?(\w+)[ \t]*\n(.*?)^[ \t]*# end[ \t]*\n", re.MULTILINE | re.DOTALL
)


@dataclass(frozen=True)
class QueryHeader:
    """What a query file's leading comments say: what it answers, what may be bound."""

    name: str
    summary: str
    binds: dict[str, str]


def names() -> list[str]:
    """Every query in the package, by file stem."""
    return sorted(
        p.name.removesuffix(".rq") for p in files(__package__).iterdir() if p.name.endswith(".rq")
    )


@cache
def load(name: str) -> str:
    """The text of ``{name}.rq``.

    Raises:
        FileNotFoundError: no such query.
    """
    return files(__package__).joinpath(f"{name}.rq").read_text(encoding="utf-8")


@cache
def header(name: str) -> QueryHeader:
    lines = load(name).splitlines()
    comments = [line for line in lines if line.startswith("#")]
    binds = {m.group(1): m.group(2).strip() for line in comments if (m := _BIND.match(line))}
    summary = " ".join(line.lstrip("# ").strip() for line in comments if not _BIND.match(line))
    return QueryHeader(name, summary, binds)


def with_blocks(text: str, bound: set[str]) -> str:
    """The query with each ``# if ?var … # end`` block kept only when ``?var`` is bound: an
    optional filter then costs nothing when it is not asked for, and is a selective pattern
    when it is."""
    return _BLOCK.sub(lambda m: m.group(2) if m.group(1) in bound else "", text)


def job(
    name: str,
    media_type: str,
    cap: int,
    base_iri: str,
    bindings: Mapping[str, Term] | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> QueryJob:
    """A job running query ``name`` with its variables bound to RDF terms.

    ``limit`` and ``offset`` are integers the caller has bounded; they are the only text ever
    appended to a query.

    Raises:
        ValueError: a binding names a variable the query does not declare.
    """
    bindings = bindings or {}
    declared = header(name).binds
    unknown = sorted(set(bindings) - set(declared))
    if unknown:
        raise ValueError(f"query {name} does not bind {', '.join(unknown)}")
    text = with_blocks(load(name), set(bindings))
    if limit is not None:
        text += f"\nLIMIT {int(limit)}"
    if offset:
        text += f" OFFSET {int(offset)}"
    substitutions = tuple(sorted((k, str(v)) for k, v in bindings.items()))
    return QueryJob(text, media_type, cap, base_iri, substitutions=substitutions, named=True)
