"""Full-text search: a user's query and filters → ranked units with highlighted snippets and
facets, read from the SQLite FTS5 index of the store (``search_index.py``).

The query language is small and forgiving:

- words are all required (``record keeping``); ``OR`` between two terms takes either, ``NOT``
  before a term excludes it;
- ``"…"`` is a phrase; a word ending in ``*`` is a prefix (``mark*``);
- a word joined by hyphens or slashes (``record-keeping``) is the phrase of its parts, so
  "record-keeping", "record keeping" and ``"record keeping"`` find the same paragraphs;
- stemming (Porter) and case folding apply everywhere.

Each term becomes an FTS5 string in double quotes, so a user's text never becomes FTS5 syntax of
its own; the whole query and every filter value reach SQLite as parameters, never as SQL text.
A query FTS5 still refuses (``NOT`` with nothing before it) raises ``SearchSyntaxError``. Results
are ranked by BM25 (the citation column weighs twice the text).

>>> fts_query('record-keeping "tracing   weapons" mark* OR brokering')
'"record keeping" "tracing weapons" "mark"* OR "brokering"'
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from itertools import chain
from pathlib import Path
from typing import Any

from poa_kg.errors import PoaKgError
from poa_kg.serve.search_index import TAG_KINDS

_TERM = re.compile(r'"[^"]*"|[^\s"]+|"')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_OPERATORS = ("OR", "AND", "NOT")
_OPEN, _CLOSE = "\x02", "\x03"
FILTERS = ("document", "year", "kind", "strength", *TAG_KINDS)
"""The filters, each a parameter of ``/search`` and a facet of its answer."""
_COLUMN = {"document": "u.document", "year": "u.year", "kind": "u.kind", "strength": "u.strength"}
FACET_SIZE = 25


class SearchSyntaxError(PoaKgError):
    """The search query does not parse; the message says why."""


class UnknownFilterValue(PoaKgError):
    """A filter names a value the index does not hold."""

    def __init__(self, name: str, value: str, known: list[str]) -> None:
        shown = ", ".join(known[:30]) + (" …" if len(known) > 30 else "")
        super().__init__(f"{name}: no {name} {value!r} in the index; known: {shown}")
        self.name = name


@dataclass(frozen=True)
class Hit:
    """One unit found: where it is, how to cite it, and its text with the matches marked."""

    unit: str
    statement: str | None
    document: str
    title: str
    year: int
    kind: str
    strength: str | None
    citation: str
    snippet: str
    """HTML: the text escaped, matched words in ``<mark>``, cuts marked "…"."""
    score: float


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, str | None, int]]] = field(default_factory=dict)
    """Per filter: (value, label, units) over every match, most first."""


def fts_query(text: str) -> str:
    """The FTS5 query for a user's query (see the module docstring).

    Raises:
        SearchSyntaxError: an unclosed quote, or no word to search for.
    """
    terms: list[str] = []
    for token in _TERM.findall(text):
        if token == '"':  # noqa: S105 - a lone quote, not a password
            raise SearchSyntaxError('an opening double quote (") is never closed')
        if token in _OPERATORS:
            terms.append(token)
            continue
        prefix = token.endswith("*") and not token.startswith('"')
        words = _WORD.findall(token.strip('"').rstrip("*"))
        if not words:
            continue
        terms.append('"' + " ".join(words) + '"' + ("*" if prefix else ""))
    while terms and terms[-1] in _OPERATORS:
        terms.pop()
    while terms and terms[0] in ("OR", "AND"):
        terms.pop(0)
    if not any(t not in _OPERATORS for t in terms):
        raise SearchSyntaxError("no word to search for")
    return " ".join(terms)


class SearchIndex:
    """A read-only connection to one store version's index."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
        self.connection.execute("PRAGMA query_only = ON")
        self._values: dict[str, list[str]] = {}
        self._labels: dict[tuple[str, str], str | None] | None = None

    def close(self) -> None:
        self.connection.close()

    def values(self, name: str) -> list[str]:
        """The values a filter may take (for an error that lists them)."""
        if name not in self._values:
            if name in _COLUMN:
                column = _COLUMN[name].removeprefix("u.")  # a constant: the filter's own column
                sql = f"SELECT DISTINCT {column} FROM units ORDER BY 1"  # noqa: S608
                rows = self.connection.execute(sql).fetchall()
            else:
                sql = "SELECT DISTINCT key FROM tags WHERE kind = ? ORDER BY 1"
                rows = self.connection.execute(sql, (name,)).fetchall()
            self._values[name] = [str(r[0]) for r in rows if r[0] is not None]
        return self._values[name]

    def search(
        self,
        text: str,
        filters: dict[str, str],
        limit: int = 20,
        offset: int = 0,
        facets: bool = True,
    ) -> SearchResult:
        """Units matching ``text`` and every filter, best first.

        Raises:
            SearchSyntaxError: the query does not parse.
            UnknownFilterValue: a filter value the index does not hold.
        """
        match = fts_query(text)
        where, parameters = self._filters(filters)
        # CROSS JOIN keeps SQLite's order: the FTS5 match first, then each hit's row
        source = " FROM units_fts f CROSS JOIN units u ON u.id = f.rowid WHERE units_fts MATCH ?"
        try:
            rows = self.connection.execute(
                "SELECT u.id, f.rank, u.document, u.year, u.kind, u.strength, u.short, u.tags"
                f"{source} AND f.rank MATCH 'bm25(1.0, 2.0)'{where}",
                [match, *parameters],
            ).fetchall()
            rows.sort(key=lambda row: (row[1], row[0]))
            ids = [row[0] for row in rows[offset : offset + limit]]
            page = self.connection.execute(
                "SELECT u.id, u.unit, u.statement, u.document, u.title, u.year, u.kind, "
                "u.strength, u.citation, snippet(units_fts, 0, ?, ?, '…', 32)"
                f"{source} AND f.rowid IN ({', '.join('?' * len(ids))})",
                [_OPEN, _CLOSE, match, *ids],
            ).fetchall()
        except sqlite3.OperationalError as err:
            if "fts5" in str(err) or "syntax" in str(err):
                raise SearchSyntaxError(f"{err} (searched for {match})") from err
            raise
        score = {row[0]: row[1] for row in rows}
        order = {unit: n for n, unit in enumerate(ids)}
        hits = [_hit((*row[1:], score[row[0]])) for row in sorted(page, key=lambda r: order[r[0]])]
        found = SearchResult(len(rows), hits)
        if facets and rows:
            found.facets = _facets(rows, self.labels())
        return found

    def labels(self) -> dict[tuple[str, str], str | None]:
        """The label of every tag (``(kind, key)``), read once."""
        if self._labels is None:
            rows = self.connection.execute("SELECT DISTINCT kind, key, label FROM tags")
            self._labels = {(str(k), str(key)): label for k, key, label in rows}
        return self._labels

    def _filters(self, filters: dict[str, str]) -> tuple[str, list[object]]:
        clauses: list[str] = []
        parameters: list[object] = []
        for name, value in filters.items():
            if value not in self.values(name):
                raise UnknownFilterValue(name, value, self.values(name))
            if name in _COLUMN:
                clauses.append(f" AND {_COLUMN[name]} = ?")
                parameters.append(int(value) if name == "year" else value)
            else:
                clauses.append(
                    " AND EXISTS (SELECT 1 FROM tags t WHERE t.unit = u.id AND t.kind = ? "
                    "AND t.key = ?)"
                )
                parameters += [name, value]
        return "".join(clauses), parameters


def _facets(
    rows: list[tuple[Any, ...]], tag_labels: dict[tuple[str, str], str | None]
) -> dict[str, list[tuple[str, str | None, int]]]:
    """Counts of units per value of each filter, most first (at most ``FACET_SIZE``).

    ``Counter`` counts an iterable in C: each column of the hits is counted whole, and only the
    distinct values meet Python code (a value at a time was half the time of a search)."""
    _ids, _ranks, documents, years, kinds, strengths, shorts, tags = zip(*rows, strict=True)
    counts: dict[str, Counter[str]] = {name: Counter() for name in FILTERS}
    counts["document"] = Counter(documents)
    counts["year"] = Counter(map(str, years))
    counts["kind"] = Counter(kinds)
    counts["strength"] = Counter(s for s in strengths if s is not None)
    for tag, n in Counter(chain.from_iterable(set(t.split("\t")) for t in tags if t)).items():
        name, _, key = tag.partition(":")
        counts[name][key] += n
    short = dict(zip(documents, shorts, strict=True))
    return {
        name: [
            (value, short.get(value) if name == "document" else tag_labels.get((name, value)), n)
            for value, n in sorted(counter.items(), key=lambda item: (-item[1], item[0]))[
                :FACET_SIZE
            ]
        ]
        for name, counter in counts.items()
    }


def _hit(row: tuple[object, ...]) -> Hit:
    unit, statement, document, title, year, kind, strength, citation, snip, score = row
    marked = escape(str(snip)).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
    return Hit(
        unit=str(unit),
        statement=None if statement is None else str(statement),
        document=str(document),
        title=str(title),
        year=int(str(year)),
        kind=str(kind),
        strength=None if strength is None else str(strength),
        citation=str(citation),
        snippet=marked,
        score=round(float(str(score)), 4),
    )
