"""Publish a build into a remote SPARQL engine: ``data/turtle`` (one named graph per file, the
ontology in ``graph/ontology``) plus the publication manifest (``poa_kg.serve.publication``), as
``serve.store.publish_store`` lays out the embedded store, replacing the previous publication
all or nothing: a failure at any step leaves the previous one served.

Every file is parsed here first (a file that does not parse stops the publication before the
engine is touched); then one module per engine does the switch, each in the way measured to be
as close to atomic for readers as the engine allows (``tests/live/test_publish_remote.py``,
docs/deployment.md):

- ``oxigraph``: one SPARQL 1.1 Update request (the old graphs dropped, the new ones inserted),
  which Oxigraph's server runs as one transaction on a snapshot-isolated store;
- ``virtuoso``: the new graphs loaded under staging names readers may not see, then moved into
  place by one SQL transaction. All or nothing for the data; but Virtuoso's readers (read
  committed) may see a mix during the commit itself, a few milliseconds (see ``virtuoso.py``).

A publication that fails raises ``PublishError`` and leaves the previous one served.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from poa_kg.errors import PublishError
from poa_kg.ingest.publish_remote import oxigraph, virtuoso
from poa_kg.namespaces import GRAPH, ONTOLOGY_GRAPH
from poa_kg.serve.publication import PUBLICATION, content_hash, manifest


class Engine(StrEnum):
    auto = "auto"
    oxigraph = "oxigraph"
    virtuoso = "virtuoso"


@dataclass(frozen=True)
class Publication:
    """What a publication loads: the triples of each graph (manifest last) and its data version."""

    graphs: dict[str, list[Quad]]
    content_hash: str


@dataclass(frozen=True)
class Target:
    """Where to publish: the engine's address, and for Virtuoso its DBA password and a folder
    the server may read (``DirsAllowed``)."""

    url: str
    password: str | None = None
    stage: Path | None = None
    isql: str | None = None


PUBLISHERS: dict[Engine, Callable[[Target, Publication], None]] = {
    Engine.oxigraph: lambda target, pub: oxigraph.publish(target.url, pub.graphs),
    Engine.virtuoso: lambda target, pub: virtuoso.publish(
        target.url, pub.graphs, target.password, target.stage, target.isql
    ),
}


def read_publication(turtle_dir: Path, ontology: Path | None) -> Publication:
    """The graphs of ``turtle_dir`` (and the ontology) with their manifest.

    Raises:
        PublishError: no Turtle files, or a file that does not parse (named).
    """
    files = sorted(turtle_dir.glob("*.ttl"))
    if not files:
        raise PublishError(f"{turtle_dir}: no Turtle files to publish (run `poa-kg build` first)")
    pairs: list[tuple[Path, str | None]] = [(path, f"{GRAPH}{path.stem}") for path in files]
    if ontology is not None:
        pairs.append((ontology, ONTOLOGY_GRAPH))
    graphs: dict[str, list[Quad]] = {}
    for path, graph in pairs:
        name = NamedNode(str(graph))
        try:
            graphs[str(graph)] = [
                Quad(q.subject, q.predicate, q.object, name)
                for q in parse(path=str(path), format=RdfFormat.TURTLE)
            ]
        except (SyntaxError, OSError) as err:
            raise PublishError(f"{path}: does not parse, nothing was published: {err}") from err
    graphs[PUBLICATION] = manifest(pairs)  # last: an engine holds a manifest once its data does
    return Publication(graphs, content_hash([path for path, _graph in pairs]))


def engine_of(url: str, engine: Engine = Engine.auto) -> Engine:
    """The engine behind ``url``: ``virtuoso://`` (or ``isql://``) is Virtuoso's SQL port,
    ``http(s)://`` Oxigraph's server, unless ``engine`` says.

    Raises:
        PublishError: a scheme neither engine speaks.
    """
    if engine is not Engine.auto:
        return engine
    scheme = urlsplit(url).scheme
    if scheme in ("virtuoso", "isql"):
        return Engine.virtuoso
    if scheme in ("http", "https"):
        return Engine.oxigraph
    raise PublishError(
        f"{url}: give http://HOST:PORT (Oxigraph's server) or virtuoso://HOST:SQLPORT"
    )


def publish_remote(
    turtle_dir: Path, ontology: Path | None, target: Target, engine: Engine = Engine.auto
) -> Publication:
    """Publish ``turtle_dir`` into the engine at ``target``; what was published.

    Raises:
        PublishError: the files or the engine refused; the engine serves the previous build.
    """
    publication = read_publication(turtle_dir, ontology)
    PUBLISHERS[engine_of(target.url, engine)](target, publication)
    return publication
