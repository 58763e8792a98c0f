"""GraphML: a projection graph → the bytes of a GraphML file with typed keys, streamed.

networkx writes GraphML well (one ``<key>`` per attribute with ``attr.type``), which Gephi, yEd,
Cytoscape and igraph read; keys are named after the attributes (``named_key_ids``) so the file
reads the same as the GEXF one. GraphML has no reserved names: ``label`` and ``weight`` stay
ordinary keys (Gephi maps them onto its label and weight columns).
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

MEDIA_TYPE = "application/graphml+xml"
_CHUNK = 1 << 16


def iter_graphml(graph: nx.Graph) -> Iterator[bytes]:
    """The GraphML document of ``graph``, in chunks of about 64 KiB (None values left out)."""
    clean = graph.__class__()
    clean.graph.update(
        {k: v for k, v in graph.graph.items() if isinstance(v, str | int | float | bool)}
    )
    clean.add_nodes_from(
        (n, {k: v for k, v in d.items() if v is not None}) for n, d in graph.nodes(data=True)
    )
    # every edge gets a unique id (e0, e1, …), as in the GEXF file; a multigraph's keys (the
    # relation, repeated and with spaces) would otherwise become the ids
    if graph.is_multigraph():
        clean.add_edges_from(
            (u, v, f"e{n}", {"id": f"e{n}", **{k: x for k, x in d.items() if x is not None}})
            for n, (u, v, d) in enumerate(graph.edges(data=True))
        )
    else:
        clean.add_edges_from(
            (u, v, {"id": f"e{n}", **{k: x for k, x in d.items() if x is not None}})
            for n, (u, v, d) in enumerate(graph.edges(data=True))
        )
    # networkx's generator leaves the declaration out; lines are sent in ~64 KiB chunks (a web
    # server hands each chunk of a synchronous stream to a thread: one per line was slow)
    chunk = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    size = 0
    lines = nx.generate_graphml(
        clean, encoding="utf-8", named_key_ids=True, edge_id_from_attribute="id"
    )
    for line in lines:
        chunk.append(line + "\n")
        size += len(line) + 1
        if size >= _CHUNK:
            yield "".join(chunk).encode("utf-8")
            chunk.clear()
            size = 0
    if chunk:
        yield "".join(chunk).encode("utf-8")
