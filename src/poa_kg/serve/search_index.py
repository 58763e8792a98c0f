"""Search index: a published pyoxigraph store → ``search.sqlite`` beside its data, an SQLite FTS5
index of every unit of every document, built once per store version.

Each unit is a row of ``units`` (text, citation, document, year, kind of statement, strength
level) and of the FTS5 table ``units_fts`` over its text and citation, tokenised by ``porter
unicode61``: Porter stemming ("marking" finds "marked"), case and diacritics folded, and a hyphen
is a separator, so "record-keeping" is indexed as the two words "record keeping". ``tags`` holds
the actors, States, instruments, meetings and themes each unit's statement names (what filters
look up), and ``units.tags`` the same packed as ``kind:key`` separated by tabs (what facets
count: reading one column of the hits is ten times faster than joining ``tags`` again). The
rows come from the named queries ``search-units.rq`` and ``search-tags.rq``; ``search.py`` reads
the file.

The file is written beside the target and renamed into place, so a reader never opens half an
index; it lives in the store's own folder and goes when the store is pruned.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import Literal, NamedNode, QuerySolutions, Store

from poa_kg.namespaces import ID, POA

INDEX = "search.sqlite"
SCHEMA_VERSION = "3"
TAG_KINDS = ("actor", "state", "instrument", "meeting", "theme")
TOKENIZER = "porter unicode61 remove_diacritics 2"

_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL,
    statement TEXT,
    document TEXT NOT NULL,
    title TEXT NOT NULL,
    short TEXT NOT NULL,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    strength TEXT,
    citation TEXT NOT NULL,
    text TEXT NOT NULL,
    tags TEXT NOT NULL
);
CREATE VIRTUAL TABLE units_fts USING fts5(
    text, citation, content='units', content_rowid='id', tokenize='{TOKENIZER}'
);
CREATE TABLE tags (unit INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, label TEXT);
"""
_INDEXES = """
CREATE INDEX tags_by_key ON tags (kind, key, unit);
CREATE INDEX tags_by_unit ON tags (unit, kind);
CREATE INDEX units_by_document ON units (document);
INSERT INTO units_fts (units_fts) VALUES ('optimize');
"""


def index_path(store_path: Path) -> Path:
    """Where the index of the store at ``store_path`` lives."""
    return store_path / INDEX


def build_index(store: Store, target: Path, version: str) -> int:
    """Write the index of ``store`` to ``target`` (atomically); return the number of units."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        count = _write(store, partial, version)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return count


def ensure_index(store_path: Path, version: str) -> Path:
    """The index of a published store, built from the store when it has none or one of another
    schema (a store published by an older poa-kg)."""
    target = index_path(store_path)
    if _schema(target) != SCHEMA_VERSION:
        build_index(Store.read_only(str(store_path)), target, version)
    return target


def _schema(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return None
    return None if row is None else str(row[0])


def _write(store: Store, path: Path, version: str) -> int:
    connection = sqlite3.connect(path)
    try:
        connection.executescript(_SCHEMA)
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("version", version), ("schema", SCHEMA_VERSION), ("tokenizer", TOKENIZER)],
        )
        tags: dict[str, list[tuple[str, str, str | None]]] = {}
        for unit, tag in _tags(store):
            tags.setdefault(unit, []).append(tag)
        ids: dict[str, int] = {}
        rows = []
        for row in _units(store):
            if row[0] in ids:
                continue  # a unit with two classed statements: the first (sorted) kind wins
            ids[row[0]] = len(ids) + 1
            packed = "\t".join(sorted(f"{kind}:{key}" for kind, key, _ in tags.get(row[0], [])))
            rows.append((ids[row[0]], *row, packed))
        connection.executemany(
            "INSERT INTO units (id, unit, statement, document, title, short, year, kind, "
            "strength, citation, text, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        connection.execute(
            "INSERT INTO units_fts (rowid, text, citation) SELECT id, text, citation FROM units"
        )
        connection.executemany(
            "INSERT INTO tags VALUES (?, ?, ?, ?)",
            [(ids[unit], *tag) for unit, found in tags.items() if unit in ids for tag in found],
        )
        connection.executescript(_INDEXES)
        connection.commit()
    finally:
        connection.close()
    return len(ids)


def _solutions(store: Store, name: str) -> QuerySolutions:
    from poa_kg.serve import queries  # here: the store imports this module

    result = store.query(queries.load(name), use_default_graph_as_union=True)
    if not isinstance(result, QuerySolutions):
        raise TypeError(f"{name}.rq is not a SELECT query")
    return result


def _value(term: object) -> str | None:
    if isinstance(term, NamedNode | Literal):
        return term.value
    return None


def _key(iri: str, kind: str) -> str:
    return iri.removeprefix(f"{ID}{kind}/")


def _units(
    store: Store,
) -> Iterator[tuple[str, str | None, str, str, str, int, str, str | None, str, str]]:
    found = []
    for s in _solutions(store, "search-units"):
        unit = _value(s["unit"]) or ""
        cls = _value(s["class"])
        level = _value(s["level"])
        document = _key(_value(s["document"]) or "", "document")
        found.append(
            (
                unit,
                _value(s["statement"]),
                document,
                _value(s["title"]) or "",
                _value(s["symbol"]) or document,  # what a facet shows: the symbol, or the key
                int((_value(s["date"]) or "0")[:4]),
                cls.removeprefix(str(POA)) if cls else "Unit",
                _key(level, "level") if level else None,
                _value(s["citation"]) or "",
                _value(s["text"]) or "",
            )
        )
    found.sort(key=lambda r: (r[2], r[0], r[6]))
    yield from found


def _tags(store: Store) -> Iterator[tuple[str, tuple[str, str, str | None]]]:
    for s in _solutions(store, "search-tags"):
        entity = _value(s["entity"]) or ""
        kind = entity.removeprefix(str(ID)).split("/", 1)[0]
        if kind in TAG_KINDS:
            yield (_value(s["unit"]) or "", (kind, _key(entity, kind), _value(s["label"])))
