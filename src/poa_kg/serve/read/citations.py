"""How to cite a document, a unit or a statement: ``citation.rq`` → a ``CitationOut`` with the
citation string in the UN's own style, the official text by symbol, BibTeX and CSL-JSON."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pyoxigraph import NamedNode

from poa_kg.citation import DATA_LICENCE, bibtex, csl_json
from poa_kg.namespaces import ID
from poa_kg.serve.read.reader import Reader


class CitationOut(BaseModel):
    iri: str
    page: str
    citation: str
    official: str | None
    document: str
    title: str
    date: str
    symbol: str | None
    licence: str
    bibtex: str
    csl: dict[str, Any]


async def cite(reader: Reader, path: str) -> CitationOut | None:
    """The citation of ``/id/{path}``, or None when the resource has none.

    Raises:
        ValueError: ``path`` does not make an IRI.
    """
    resource = NamedNode(f"{ID}{path}")
    rows = await reader.rows("citation", {"resource": resource}, cap=1)
    if not rows:
        return None
    row = rows[0]
    citation, title, date = str(row["citation"]), str(row["title"]), str(row["date"])
    symbol = None if row.get("symbol") is None else str(row["symbol"])
    official = None if row.get("official") is None else str(row["official"])
    page = f"{reader.base_url}/page/{path}"
    named = symbol or f"{title} ("
    locator = citation.split(", ", 1)[1] if symbol and citation.startswith(f"{named}, ") else ""
    if not symbol and "), " in citation:
        locator = citation.rsplit("), ", 1)[1]
    if str(row["cited"]) == str(row["document"]):
        locator = ""
    return CitationOut(
        iri=resource.value,
        page=page,
        citation=citation,
        official=official,
        document=str(row["document"]),
        title=title,
        date=date,
        symbol=symbol,
        licence=DATA_LICENCE,
        bibtex=bibtex(path, citation, title, date, official, page),
        csl=csl_json(path, citation, title, date, symbol, official, page, locator),
    )
