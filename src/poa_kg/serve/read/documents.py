"""Documents and the dataset's figures: ``documents.rq`` and ``stats.rq`` → ``DocumentOut`` and
``Stats`` records."""

from __future__ import annotations

from poa_kg.namespaces import key_of
from poa_kg.serve.read.reader import Reader, Row
from poa_kg.serve.read.records import DocumentOut, Listing, Stats, maybe_ref, text


def _document(row: Row) -> DocumentOut:
    return DocumentOut(
        id=key_of(row["document"], "document"),
        iri=str(row["document"]),
        title=str(row["title"]),
        date=str(row["date"]),
        kind=str(row["kind"]),
        symbol=text(row.get("symbol")),
        meeting=maybe_ref(row.get("meeting"), row.get("meetingLabel"), "meeting"),
        statements=int(row["statements"] or 0),
        citation=text(row.get("citation")),
        official=text(row.get("official")),
    )


async def documents(reader: Reader) -> Listing[DocumentOut]:
    """Every document of the corpus, oldest first."""
    rows = await reader.rows("documents")
    return Listing((_document(r) for r in rows), truncated=rows.truncated)


async def document(reader: Reader, key: str) -> DocumentOut | None:
    """The document with short id ``key``, or None."""
    return next((d for d in await documents(reader) if d.id == key), None)


async def stats(reader: Reader) -> Stats:
    """The dataset's figures by name, and the data version they are of."""
    rows = await reader.rows("stats", cap=100)
    # by name: the query's row order is the engine's, and moves when the store does
    figures = {str(r["figure"]): int(r["value"] or 0) for r in rows}
    return Stats(figures=dict(sorted(figures.items())), data_version=reader.version())
