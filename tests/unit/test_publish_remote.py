"""The engine-independent part of ``poa-kg publish``: which engine a URL means, the graphs and
manifest read from a build, and the SPARQL Update sent to Oxigraph (applied here to an in-memory
pyoxigraph store, the same engine)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store

from poa_kg.errors import PublishError
from poa_kg.ingest.publish_remote import Engine, engine_of, read_publication
from poa_kg.ingest.publish_remote.oxigraph import update_text
from poa_kg.namespaces import GRAPH
from poa_kg.serve.publication import PUBLICATION, SHA256, content_hash


def _turtle(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.ttl").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("http://127.0.0.1:7878", Engine.oxigraph),
        ("https://engine.example/query", Engine.oxigraph),
        ("virtuoso://127.0.0.1:1111", Engine.virtuoso),
        ("isql://db:1111", Engine.virtuoso),
    ],
)
def test_the_scheme_names_the_engine(url: str, engine: Engine) -> None:
    assert engine_of(url) is engine


def test_a_given_engine_wins_and_an_unknown_scheme_is_refused() -> None:
    assert engine_of("http://127.0.0.1:1111", Engine.virtuoso) is Engine.virtuoso
    with pytest.raises(PublishError, match="ftp://x: give http"):
        engine_of("ftp://x")


def test_a_file_that_does_not_parse_is_named(tmp_path: Path) -> None:
    turtle = _turtle(tmp_path / "t", {"a": "<urn:a> <urn:b> <urn:c> .", "b": "<urn:a> <urn:b> ."})
    with pytest.raises(PublishError, match=r"b\.ttl: does not parse, nothing was published"):
        read_publication(turtle, None)
    with pytest.raises(PublishError, match="no Turtle files"):
        read_publication(_turtle(tmp_path / "empty", {}), None)


def test_graphs_one_per_file_and_the_manifest_last(tmp_path: Path) -> None:
    turtle = _turtle(tmp_path / "t", {"a": "<urn:a> <urn:b> <urn:c> .", "b": "<urn:a> <urn:b> 1 ."})
    publication = read_publication(turtle, None)
    assert list(publication.graphs) == [f"{GRAPH}a", f"{GRAPH}b", PUBLICATION]
    assert publication.content_hash == content_hash(sorted(turtle.glob("*.ttl")))
    digest = Quad(NamedNode(PUBLICATION), NamedNode(SHA256), Literal(publication.content_hash))
    assert digest.triple in [q.triple for q in publication.graphs[PUBLICATION]]


def test_the_update_replaces_old_and_new_graphs_and_leaves_others(tmp_path: Path) -> None:
    old = read_publication(
        _turtle(tmp_path / "old", {"a": "<urn:a> <urn:b> 'old' .", "gone": "<urn:g> <urn:b> 1 ."}),
        None,
    )
    new = read_publication(
        _turtle(tmp_path / "new", {"a": '<urn:a> <urn:b> "n\\u00e9w\\n" .', "c": "[] <urn:b> 2 ."}),
        None,
    )
    store = Store()
    store.extend(q for quads in old.graphs.values() for q in quads)
    other = Quad(NamedNode("urn:s"), NamedNode("urn:p"), NamedNode("urn:o"), NamedNode("urn:g"))
    store.add(other)
    store.update(update_text(sorted(set(old.graphs) | set(new.graphs)), new.graphs).decode())
    held = set(store)
    assert other in held  # a graph no manifest names is left alone
    assert not [q for q in held if q.graph_name == NamedNode(f"{GRAPH}gone")]
    named = {q for quads in new.graphs.values() for q in quads if isinstance(q.subject, NamedNode)}
    assert named <= held  # escapes and literals as written
    blank = [q for q in held if isinstance(q.subject, BlankNode)]
    assert [(q.predicate, q.object, q.graph_name) for q in blank] == [
        (NamedNode("urn:b"), Literal(2), NamedNode(f"{GRAPH}c"))
    ]
    assert len(held) == 1 + sum(len(quads) for quads in new.graphs.values())
