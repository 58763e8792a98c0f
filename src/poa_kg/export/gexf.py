"""GEXF 1.3: a projection graph → the bytes of a GEXF file, streamed, valid against the grammar.

networkx's ``write_gexf`` writes invalid 1.3 files (wrong namespaces, no edge kinds, no time
zone) and builds the whole document in memory; this writer streams one element at a time. What
Gephi does with a file sets the rules (docs/decisions.md §10): IRIs are ``string`` attributes
(Gephi drops ``anyURI``); every edge has a ``kind``, since Gephi merges parallel edges of one kind;
attribute ids avoid Gephi's reserved columns; all of a class's attributes are declared in one
block (graphology-gexf keeps only the last); no ``xsi:schemaLocation`` (the RELAX NG grammar
rejects it); a dynamic graph says ``timeformat="date"`` and ``timezone="UTC"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from poa_kg.export.colours import node_colour

GEXF_NS = "http://gexf.net/1.3"
VIZ_NS = "http://gexf.net/1.3/viz"
MEDIA_TYPE = "application/gexf+xml"

RESERVED = frozenset({"id", "label", "weight", "timeset", "start", "end"})
"""Gephi's own columns: never attribute ids (the values go in the element's own attributes)."""
_NODE_OWN = RESERVED | {"size"}
_EDGE_OWN = RESERVED | {"kind"}
_CHUNK = 1 << 16


def _gexf_type(values: Iterable[Any]) -> str:
    """The narrowest GEXF type that holds every value (bool ⊂ integer ⊂ double ⊂ string)."""
    kinds = {type(v) for v in values}
    if kinds <= {bool}:
        return "boolean"
    if kinds <= {int}:
        return "integer"
    if kinds <= {int, float}:
        return "double"
    return "string"


def _text(value: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    return str(value)


def _declarations(items: Iterable[dict[str, Any]], own: frozenset[str]) -> dict[str, str]:
    """Attribute id → GEXF type, for every key any item carries (sorted: a stable file)."""
    seen: dict[str, list[Any]] = {}
    for data in items:
        for key, value in data.items():
            if key not in own and value is not None:
                seen.setdefault(key, []).append(value)
    return {key: _gexf_type(values) for key, values in sorted(seen.items())}


def iter_gexf(graph: nx.Graph) -> Iterator[bytes]:
    """The GEXF 1.3 document of ``graph``, in chunks of about 64 KiB.

    Nodes need ``label`` and ``node_type`` (it picks the colour; for a State, its ``un_group``
    does) and may carry ``size``; edges need ``kind`` and may carry ``weight``; ``start`` and
    ``end`` on nodes and edges are dates when the graph is dynamic (``graph.graph["mode"] ==
    "dynamic"``). Every other value becomes a typed attribute.
    """
    dynamic = graph.graph.get("mode") == "dynamic"
    directed = graph.is_directed()
    node_attributes = _declarations((d for _n, d in graph.nodes(data=True)), _NODE_OWN)
    edge_attributes = _declarations((d for *_e, d in graph.edges(data=True)), _EDGE_OWN)
    buffer: list[str] = []
    size = 0

    def emit(text: str) -> Iterator[bytes]:
        nonlocal size
        buffer.append(text)
        size += len(text)
        if size >= _CHUNK:
            yield "".join(buffer).encode("utf-8")
            buffer.clear()
            size = 0

    yield from emit(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{VIZ_NS}" version="1.3">\n'
        f"  <meta{_modified(graph)}>\n    <creator>poa-kg</creator>\n"
        f"    <description>{escape(_description(graph))}</description>\n  </meta>\n"
    )
    mode = (
        ' mode="dynamic" timeformat="date" timezone="UTC" timerepresentation="interval"'
        if dynamic
        else ' mode="static"'
    )
    edge_type = "directed" if directed else "undirected"
    yield from emit(f'  <graph defaultedgetype="{edge_type}" idtype="string"{mode}>\n')
    for cls, declared in (("node", node_attributes), ("edge", edge_attributes)):
        if declared:
            yield from emit(f'    <attributes class="{cls}" mode="static">\n')
            for key, kind in declared.items():
                yield from emit(
                    f'      <attribute id={quoteattr(key)} title={quoteattr(key)} type="{kind}"/>\n'
                )
            yield from emit("    </attributes>\n")
    yield from emit("    <nodes>\n")
    for node, data in graph.nodes(data=True):
        start = _interval(data) if dynamic else ""
        yield from emit(
            f"      <node id={quoteattr(str(node))} "
            f"label={quoteattr(str(data.get('label', node)))}{start}>\n"
        )
        yield from emit(_attvalues(data, node_attributes))
        r, g, b = node_colour(data)
        yield from emit(f'        <viz:color r="{r}" g="{g}" b="{b}"/>\n')
        if "size" in data:
            yield from emit(f'        <viz:size value="{float(data["size"])!r}"/>\n')
        yield from emit("      </node>\n")
    yield from emit("    </nodes>\n    <edges>\n")
    for number, (source, target, data) in enumerate(graph.edges(data=True)):
        kind = str(data["kind"])
        extra = ""
        if "weight" in data:
            extra += f' weight="{float(data["weight"])!r}"'
        if dynamic:
            extra += _interval(data)
        yield from emit(
            f'      <edge id="e{number}" source={quoteattr(str(source))} '
            f"target={quoteattr(str(target))} kind={quoteattr(kind)} "
            f"label={quoteattr(kind)}{extra}>\n"
        )
        yield from emit(_attvalues(data, edge_attributes))
        yield from emit("      </edge>\n")
    yield from emit("    </edges>\n  </graph>\n</gexf>\n")
    if buffer:
        yield "".join(buffer).encode("utf-8")


def _interval(data: dict[str, Any]) -> str:
    """`` start="…" end="…"`` of a node or edge of a dynamic graph (each where known)."""
    return "".join(
        f" {bound}={quoteattr(str(data[bound]))}" for bound in ("start", "end") if bound in data
    )


def _attvalues(data: dict[str, Any], declared: dict[str, str]) -> str:
    values = [
        f"          <attvalue for={quoteattr(key)} value={quoteattr(_text(data[key], kind))}/>\n"
        for key, kind in declared.items()
        if data.get(key) is not None
    ]
    if not values:
        return ""
    return "        <attvalues>\n" + "".join(values) + "        </attvalues>\n"


def _modified(graph: nx.Graph) -> str:
    """``lastmodifieddate``: the day the data version was published, where known."""
    version = str(graph.graph.get("data_version", ""))
    day = version[:10]
    return f' lastmodifieddate="{day}"' if len(day) == 10 and day[4] == "-" else ""


def _description(graph: nx.Graph) -> str:
    name, about = graph.graph.get("projection", ""), graph.graph.get("description", "")
    text = f"poa-kg projection {name}: {about}"
    if graph.graph.get("data_version"):
        text += f"; data version {graph.graph['data_version']}, licence CC BY 4.0"
    notes = [f"{k} = {v}" for k, v in sorted(graph.graph.items()) if k.startswith("vote_")]
    return text + (" (" + "; ".join(notes) + ")" if notes else "")
