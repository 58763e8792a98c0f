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


def iter_graphml(graph: nx.Graph) -> Iterator[bytes]:
    """The GraphML document of ``graph``, line by line (None values left out)."""
    clean = graph.__class__()
    clean.graph.update(
        {k: v for k, v in graph.graph.items() if isinstance(v, str | int | float | bool)}
    )
    clean.add_nodes_from(
        (n, {k: v for k, v in d.items() if v is not None}) for n, d in graph.nodes(data=True)
    )
    if graph.is_multigraph():
        clean.add_edges_from(
            (u, v, key, {k: x for k, x in d.items() if x is not None})
            for u, v, key, d in graph.edges(keys=True, data=True)
        )
    else:
        clean.add_edges_from(
            (u, v, {k: x for k, x in d.items() if x is not None})
            for u, v, d in graph.edges(data=True)
        )
    yield b'<?xml version="1.0" encoding="UTF-8"?>\n'  # networkx's generator leaves it out
    for line in nx.generate_graphml(clean, encoding="utf-8", named_key_ids=True):
        yield (line + "\n").encode("utf-8")
