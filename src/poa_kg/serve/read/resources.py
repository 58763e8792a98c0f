"""One resource of the graph, as pages and linked data read it: its description as an RDF
document (``resource.rq``), a named graph (``graph.rq``), and the rows a page about it shows
(its facts, statements, mentions, lineage, history, votes), each query bound to the resource."""

from __future__ import annotations

from pyoxigraph import NamedNode

from poa_kg.serve.answers import Answer
from poa_kg.serve.read.reader import Reader, Rows

ABOUT = {
    "entity": "entity",
    "entity-statements": "entity",
    "statement": "statement",
    "statement-mentions": "statement",
    "statement-inherited-themes": "statement",
    "lineage": "statement",
    "statement-history": "statement",
    "vote-positions": "vote",
    "vote-text": "vote",
    "state-votes": "state",
}
"""The queries a page may ask about one resource → the variable the resource binds."""


async def about(reader: Reader, name: str, resource: NamedNode, cap: int = 1000) -> Rows:
    """The rows of query ``name`` (one of ``ABOUT``) about ``resource``."""
    return await reader.rows(name, {ABOUT[name]: resource}, cap=cap)


async def description(reader: Reader, resource: NamedNode, media_type: str) -> Answer:
    """``resource``'s own description with its hash sub-resources, in an RDF ``media_type``
    (``rows`` is 0 when nothing is known of it)."""
    return await reader.answer("resource", media_type, {"resource": resource})


async def named_graph(reader: Reader, graph: NamedNode, media_type: str, cap: int) -> Answer:
    """Every triple of named graph ``graph``, at most ``cap``, in an RDF ``media_type``."""
    return await reader.answer("graph", media_type, {"graph": graph}, cap=cap)
