"""Colours of the projections' nodes: a State by its UN regional group, any other node by its type.

Takes a node's attributes (``node_type``, ``un_group``); gives an RGB triple, read from the
package's ``node-types.csv`` and ``regional-groups.csv`` (grey for a type neither lists). Used by
the GEXF writer (``gexf.py``), whose ``viz:color`` Gephi shows.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any


@dataclass(frozen=True)
class NodeType:
    name: str
    rgb: tuple[int, int, int]
    description: str


@cache
def node_types() -> dict[str, NodeType]:
    """Node types and their colours (``node-types.csv``)."""
    text = files(__package__).joinpath("node-types.csv").read_text(encoding="utf-8")
    return {
        row["node_type"]: NodeType(
            row["node_type"], (int(row["r"]), int(row["g"]), int(row["b"])), row["description"]
        )
        for row in csv.DictReader(text.splitlines())
    }


def colour(node_type: str) -> tuple[int, int, int]:
    found = node_types().get(node_type)
    return found.rgb if found else (160, 160, 160)


@cache
def group_colours() -> dict[str, tuple[int, int, int]]:
    """A colour per UN regional group (``regional-groups.csv``): States are coloured by group."""
    text = files(__package__).joinpath("regional-groups.csv").read_text(encoding="utf-8")
    return {
        row["un_group"]: (int(row["r"]), int(row["g"]), int(row["b"]))
        for row in csv.DictReader(text.splitlines())
    }


def node_colour(data: Mapping[str, Any]) -> tuple[int, int, int]:
    """A State by its UN regional group; any other node by its type."""
    group = group_colours().get(str(data.get("un_group", "")))
    return group if group is not None else colour(str(data.get("node_type", "")))
