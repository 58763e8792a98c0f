"""Exports as a Gephi user opens them, from the live server: every edge id unique (GraphML and
GEXF), every node label unique, a commitment node carrying its paragraph's text and citation,
and the data version in the file's metadata."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest
from lxml import etree

pytestmark = [pytest.mark.live]
GRAPHML = {"g": "http://graphml.graphdrawing.org/xmlns"}
GEXF = {"g": "http://gexf.net/1.3"}


@pytest.mark.parametrize("projection", ["entities", "lineage", "votes"])
def test_graphml_edge_ids_and_labels_are_unique(live_url: str, projection: str) -> None:
    root = etree.fromstring(httpx.get(f"{live_url}/exports/{projection}.graphml").content)
    ids = [e.get("id") for e in root.iterfind(".//g:edge", GRAPHML)]
    assert ids and None not in ids and len(set(ids)) == len(ids)
    assert all(" " not in i for i in ids)
    labels = [d.text for d in root.iterfind(".//g:node/g:data[@key='label']", GRAPHML)]
    assert len(set(labels)) == len(labels), Counter(labels).most_common(3)
    version = root.find(".//g:graph/g:data[@key='data_version']", GRAPHML)
    assert version is not None and version.text


@pytest.mark.parametrize("projection", ["entities", "lineage", "votes"])
def test_gexf_edge_ids_labels_and_version(live_url: str, projection: str) -> None:
    root = etree.fromstring(httpx.get(f"{live_url}/exports/{projection}.gexf").content)
    ids = [e.get("id") for e in root.iterfind(".//g:edge", GEXF)]
    assert len(set(ids)) == len(ids)
    labels = [n.get("label") for n in root.iterfind(".//g:node", GEXF)]
    assert len(set(labels)) == len(labels), Counter(labels).most_common(3)
    meta = root.find("g:meta", GEXF)
    assert meta is not None and meta.get("lastmodifieddate")
    assert "data version" in (meta.findtext("g:description", namespaces=GEXF) or "")


def test_commitment_nodes_carry_text_and_citation(live_url: str) -> None:
    root = etree.fromstring(httpx.get(f"{live_url}/exports/entities.gexf").content)
    node = root.find(".//g:node[@id='statement/revcon3-2018/annex/sec_II__para_13']", GEXF)
    assert node is not None
    values = {a.get("for"): a.get("value") for a in node.iterfind(".//g:attvalue", GEXF)}
    assert values["citation"] == "A/CONF.192/2018/RC/3, annex, sect. II, para. 13"
    assert "INTERPOL" in values["text"] or "International Criminal Police" in values["text"]
