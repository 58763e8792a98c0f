"""SPARQL requests: inspect a query before any engine sees it, negotiate the answer's media type,
describe the job a worker runs, and explain a syntax error (serialising the answer is
``poa_kg.serve.answers``).

- ``inspect_query`` (from ``query_scan``, re-exported): the refusal scan over the query's
  terminals; names the query form, refuses updates, ``LOAD``, ``SERVICE`` and over-deep queries.
- ``negotiate``: ``Accept`` with q-values and wildcards, ``format=`` as a fallback
  (SPARQL 1.1 Protocol §2.1, RFC 9110 §12.5.1).
- ``QueryJob``: everything a worker needs to answer one query.
- ``readable_syntax_error``, ``with_query_prefixes``: the engine's parse error as one sentence,
  and the prefixes the editor presets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from poa_kg.namespaces import PREFIXES
from poa_kg.serve.formats import FORMAT_ALIASES
from poa_kg.serve.query_scan import (  # re-exported: the scan belongs to the request's checks
    QueryInfo,
    QueryRefused,
    UpdateRefused,
    inspect_query,
    unescape,
)

__all__ = ["QueryInfo", "QueryRefused", "UpdateRefused", "inspect_query", "unescape"]

# ---------------------------------------------------------------------- negotiation


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def _ranges(accept: str) -> list[_Range]:
    ranges = []
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            if media == "*":
                media = "*/*"
            else:
                continue
        q = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        kind, _, sub = media.partition("/")
        ranges.append(_Range(kind, sub, q, order))
    return ranges


def negotiate(
    accept: str | None, offered: list[str], format_parameter: str | None = None
) -> str | None:
    """The offered media type the client prefers, or None when nothing acceptable is offered.

    ``format=`` (an alias such as ``json``/``ttl`` or a media type) wins over ``Accept``; no
    ``Accept`` (or ``*/*``) gets the first offered type.
    """
    if format_parameter:
        wanted = FORMAT_ALIASES.get(format_parameter.lower(), format_parameter.lower())
        return wanted if wanted in offered else None
    if not accept or not accept.strip():
        return offered[0]
    ranges = _ranges(accept)
    if not ranges:
        return offered[0]
    best: tuple[float, int, int, int] | None = None
    choice = None
    for position, media_type in enumerate(offered):
        matching = [r for r in ranges if r.matches(media_type)]
        if not matching:
            continue
        # the most specific range that matches decides the quality (RFC 9110 §12.5.1)
        decisive = max(matching, key=lambda r: (r.specificity, -r.order))
        if decisive.q <= 0:
            continue
        key = (decisive.q, decisive.specificity, -decisive.order, -position)
        if best is None or key > best:
            best, choice = key, media_type
    return choice


@dataclass(frozen=True)
class QueryJob:
    """Everything a worker needs to answer one query."""

    query: str
    media_type: str
    cap: int
    base_iri: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    substitutions: tuple[tuple[str, str], ...] = ()
    """(variable name, term in N-Triples syntax) pairs, bound with ``substitutions=``."""
    store_hash: str = ""
    byte_cap: int = 16 * 1024 * 1024
    """Most bytes an answer carries (about: it is cut at the row that passes it)."""
    named: bool = False
    """One of the project's named queries (bounded by design): never stopped for being long."""
    subject_lookup: bool = False
    """One triple pattern about one IRI (``QueryInfo.subject_lookup``): the engine may answer it
    without a worker."""


_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_CHARACTER_CLASS = re.compile(r"\[[^\[\]]*\.\.=[^\[\]]*\]|\['[^']*'\]")
_PREFIXED_NAME = re.compile(r"(?:^|[\s(^/|,;{}])([A-Za-z][\w.-]*)?:[\w.%-]*$")


def readable_syntax_error(message: str, query: str, preamble_lines: int = 0) -> str:
    """The parser's message as one sentence a person can act on: where (line and column), what
    was found there, and what was expected, with an undeclared prefix named and its IRI offered
    when it is one of the project's prefixes (instead of a wall of Unicode ranges).
    ``preamble_lines`` lines were put before the user's query (``with_query_prefixes``)."""
    found = _POSITION.match(message.strip())
    if found is None:
        return message
    line, column, rest = int(found[1]), int(found[2]), found[3]
    lines = query.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    before = text[: max(column - 1, 0)]
    where = f"line {max(line - preamble_lines, 1)}, column {column}"
    if "Prefix not found" in rest:
        name_match = _PREFIXED_NAME.search(before)
        name = (name_match[1] or "") if name_match else ""
        known = PREFIXES.get(name)
        hint = f": add PREFIX {name}: <{known}>" if known is not None else ""
        return f"{where}: the prefix {name}: is not declared{hint}"
    expected = rest.removeprefix("expected one of ").removeprefix("expected ")
    words = [w.strip() for w in _CHARACTER_CLASS.sub("", expected).split(",")]
    words = [w for w in words if w and w != "[_]"]
    if len(words) > 8:
        words = [*words[:8], "…"]
    near = before[-30:].strip()
    at = f" near “{near}”" if near else ""
    wanted = ", ".join(words) if words else "a name or a term"
    return f"{where}{at}: the query does not parse; expected {wanted}"


QUERY_PREFIXES = ("poa", "skos", "prov", "dcterms", "rdfs", "opengov", "oa")
"""The prefixes the SPARQL editor and the CLI declare for a query that does not."""
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def with_query_prefixes(query: str) -> str:
    """``query`` with the editor's prefixes declared where it does not declare them itself (the
    CLI's counterpart of the editor's presets; a query's own declarations win), on one line of
    their own before it: ``readable_syntax_error(…, preamble_lines=1)`` keeps the user's line
    numbers."""
    declared = {m[1] or "" for m in _DECLARED.finditer(query)}
    missing = [p for p in QUERY_PREFIXES if p not in declared]
    preamble = " ".join(f"PREFIX {p}: <{PREFIXES[p]}>" for p in missing)
    return f"{preamble}\n{query}"
