"""The dump's table: one row per statement (``dump-statements.rq``, with the entities each names
from ``dump-statement-names.rq``) as CSV, and its CSVW description (W3C "Model for Tabular Data
and Metadata"): every column's name, datatype and meaning."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, QuerySolutions, Store

from poa_kg.citation import DATA_LICENCE
from poa_kg.namespaces import ID

COLUMNS: list[tuple[str, str, str, str]] = [
    ("statement", "anyURI", "statement", "IRI of the statement (dereferenceable)"),
    ("id", "string", "statement", "short id: the IRI after /id/statement/"),
    ("class", "string", "class", "kind of statement (poa class: Commitment, Declaration, …)"),
    ("document", "string", "document", "key of the document (/documents/{key})"),
    ("document_title", "string", "documentTitle", "title of the document"),
    ("date", "string", "date", "date of the document, YYYY-MM-DD or YYYY"),
    ("symbol", "string", "symbol", "UN document symbol, where known"),
    ("unit", "anyURI", "unit", "IRI of the paragraph the statement is derived from"),
    ("eid", "string", "eid", "the paragraph's identifier within its document part"),
    ("number", "string", "number", "the paragraph's number as printed"),
    ("preambular", "boolean", "preambular", "true for a preambular paragraph"),
    ("citation", "string", "citation", "how to cite the paragraph, in the UN's style"),
    ("official", "anyURI", "official", "the official text by symbol (undocs.org)"),
    ("text", "string", "text", "the full text of the paragraph"),
    ("lead_verb", "string", "leadVerb", "the operative verb that opens it"),
    ("lead_phrase", "string", "leadPhrase", "the opening phrase of a preambular paragraph"),
    ("strength", "string", "strength", "normative strength level (key of the levels)"),
    ("strength_notation", "integer", "notation", "strength level 0 (weakest) to 5"),
    ("actors", "string", "actor", "actors it engages, keys separated by |"),
    ("states", "string", "state", "States it names, ISO3 separated by |"),
    ("instruments", "string", "instrument", "instruments it cites, keys separated by |"),
    ("meetings", "string", "meeting", "meetings it refers to, keys separated by |"),
    ("themes", "string", "theme", "themes it concerns, keys separated by |"),
]


def csvw(url: str) -> dict[str, Any]:
    """The CSVW description (data dictionary) of the statements CSV."""
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": url,
        "dc:title": "poa-kg: one row per statement",
        "dc:license": {"@id": DATA_LICENCE},
        "tableSchema": {
            "columns": [
                {"name": name, "titles": name, "datatype": kind, "dc:description": meaning}
                | (
                    {"separator": "|"}
                    if source in ("actor", "state", "instrument", "meeting", "theme")
                    else {}
                )
                for name, kind, source, meaning in COLUMNS
            ],
            "primaryKey": "statement",
            "aboutUrl": "{+statement}",
        },
    }


def write_statements_csv(store: Store, path: Path) -> int:
    """One row per statement of ``store`` into ``path``, in ``COLUMNS`` order; the row count."""
    names: dict[str, list[str]] = {}
    for solution in _select(store, "dump-statement-names"):
        names.setdefault(_plain(solution["statement"]), []).append(_plain(solution["named"]))
    result = _select(store, "dump-statements")
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([name for name, *_ in COLUMNS])
        for solution in result:
            values = {
                v: _plain(solution[v])
                for v in (
                    "statement",
                    "class",
                    "document",
                    "documentTitle",
                    "date",
                    "symbol",
                    "unit",
                    "eid",
                    "number",
                    "preambular",
                    "citation",
                    "official",
                    "text",
                    "leadVerb",
                    "leadPhrase",
                    "strength",
                    "notation",
                )
            }
            named: dict[str, list[str]] = {
                k: [] for k in ("actor", "state", "instrument", "meeting", "theme")
            }
            for iri in sorted(names.get(values["statement"], [])):
                kind, _, key = iri.removeprefix(str(ID)).partition("/")
                if kind in named:
                    named[kind].append(key)
            row = {
                "statement": values["statement"],
                "id": values["statement"].removeprefix(f"{ID}statement/"),
                "class": values["class"].rsplit("#", 1)[-1],
                "document": values["document"].removeprefix(f"{ID}document/"),
                "strength": values["strength"].removeprefix(f"{ID}level/"),
            }
            line = []
            for name, _kind, source, _meaning in COLUMNS:
                if name in row:
                    line.append(row[name])
                elif source in named:
                    line.append("|".join(named[source]))
                else:
                    line.append(values[source])
            writer.writerow(line)
            count += 1
    return count


def _select(store: Store, name: str) -> QuerySolutions:
    from poa_kg.serve import queries  # here, as search_index does

    result = store.query(queries.load(name), use_default_graph_as_union=True)
    if not isinstance(result, QuerySolutions):
        raise TypeError(f"{name}.rq is not a SELECT query")
    return result


def _plain(term: object) -> str:
    if isinstance(term, NamedNode | Literal):
        return term.value
    return ""
