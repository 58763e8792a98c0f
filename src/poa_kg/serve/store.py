"""Store: ``data/turtle/`` → a pyoxigraph on-disk store per content hash, behind ``current``.

``publish_store`` loads every Turtle file of the published folder into its named graph
(``graph/{file stem}``; the ontology into ``graph/ontology``) in a fresh directory named after the
content hash, then switches the ``current`` symbolic link to it with an atomic rename. Readers
open ``current`` read-only (``open_store``), copying a small store into memory, where pyoxigraph
answers three to eight times faster than from disk; a reader that holds an older store keeps
reading it until it reopens, so nobody ever sees a half-loaded graph. Publishing the same content
twice reuses the existing store. The two most recent stores are kept; older ones are removed.
Each store folder also holds the full-text search index of its data (``search_index.py``).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store

from poa_kg import folders
from poa_kg.errors import StoreError
from poa_kg.namespaces import GRAPH, ONTOLOGY_GRAPH
from poa_kg.serve.publication import content_hash, manifest
from poa_kg.serve.search_index import build_index, ensure_index, index_path

CURRENT = "current"
READY = "READY"
KEEP = 2


@dataclass(frozen=True)
class StoreVersion:
    """A published store: where it is, the content hash it was built from, its number of quads."""

    path: Path
    content_hash: str
    quads: int | None = None
    """None for a store published before the count was recorded."""


def _inputs(
    turtle_dir: Path, ontology: Path | None, quads: tuple[Path, ...]
) -> list[tuple[Path, str | None]]:
    """(file, graph IRI) pairs to load; N-Quads files keep their own graphs (None)."""
    files = sorted(turtle_dir.glob("*.ttl"))
    if not files:
        raise StoreError(f"{turtle_dir}: no Turtle files to load (run `poa-kg build` first)")
    pairs: list[tuple[Path, str | None]] = [(path, f"{GRAPH}{path.stem}") for path in files]
    if ontology is not None:
        pairs.append((ontology, ONTOLOGY_GRAPH))
    pairs += [(path, None) for path in quads]
    return pairs


def publish_store(
    turtle_dir: Path,
    store_dir: Path,
    ontology: Path | None = None,
    quads: tuple[Path, ...] = (),
) -> StoreVersion:
    """Build (or reuse) the store of ``turtle_dir`` (plus N-Quads files) and make it ``current``.

    Raises:
        StoreError: nothing to load, or a file does not parse (the current store is untouched).
    """
    pairs = _inputs(turtle_dir, ontology, quads)
    digest = content_hash([path for path, _graph in pairs])
    store_dir.mkdir(parents=True, exist_ok=True)
    target = store_dir / digest[:16]
    if not (target / READY).is_file():
        folders.clean_leftovers(store_dir / "*")  # the loads of killed runs, of any store
        staging = folders.staging_folder(target, "loading")
        shutil.rmtree(staging)  # the store creates it
        try:
            store = Store(str(staging))
            for path, graph in pairs:
                try:
                    if graph is None:
                        store.bulk_load(path=str(path), format=RdfFormat.N_QUADS)
                    else:
                        store.bulk_load(
                            path=str(path), format=RdfFormat.TURTLE, to_graph=NamedNode(graph)
                        )
                except SyntaxError as err:
                    raise StoreError(f"{path}: does not parse: {err}") from err
            store.extend(manifest(pairs))  # the data version, as a remote engine holds it too
            store.flush()
            store.optimize()
            count = len(store)
            build_index(store, index_path(staging), digest)
            del store
            (staging / READY).write_text(f"{digest}\n{count}\n", encoding="utf-8")
            shutil.rmtree(target, ignore_errors=True)
            staging.rename(target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    else:
        ensure_index(target, digest)
    _switch(store_dir, target.name)
    _prune(store_dir, keep=target.name)
    return _read_version(target)


def _switch(store_dir: Path, name: str) -> None:
    """Point ``current`` at ``name`` atomically (a new link renamed over the old one)."""
    link = store_dir / CURRENT
    staging = store_dir / f".{CURRENT}.{os.getpid()}"
    staging.unlink(missing_ok=True)
    staging.symlink_to(name)
    staging.replace(link)


def _prune(store_dir: Path, keep: str) -> None:
    """Remove stores beyond the ``KEEP`` most recent (readers may still hold the previous one)."""
    stores = [
        p
        for p in store_dir.iterdir()
        if p.is_dir() and (p / READY).is_file() and not p.is_symlink()
    ]
    stores.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in stores[KEEP:]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def current_version(store_dir: Path) -> StoreVersion:
    """The store ``current`` points at.

    Raises:
        StoreError: no store has been published in ``store_dir``.
    """
    link = store_dir / CURRENT
    try:
        target = store_dir / link.readlink()
    except OSError as err:
        raise StoreError(f"{store_dir}: no published store (run `poa-kg build` first)") from err
    if not (target / READY).is_file():
        raise StoreError(f"{target}: store is incomplete")
    return _read_version(target)


def _read_version(target: Path) -> StoreVersion:
    """The version recorded in a store's READY file: its content hash, then its quad count."""
    lines = (target / READY).read_text(encoding="utf-8").split()
    quads = int(lines[1]) if len(lines) > 1 and lines[1].isdigit() else None
    return StoreVersion(target, lines[0], quads)


def open_store(version: StoreVersion, memory_quads: int = 0) -> Store:
    """Open a published store read-only; one under ``memory_quads`` quads is copied into memory.

    The copy holds the same quads in the same graphs, so every query answers the same; it costs
    about 0.6 KiB per quad in each process that makes one (measured: ``bench/memory_vs_disk.py``).

    Raises:
        StoreError: the store cannot be opened.
    """
    try:
        on_disk = Store.read_only(str(version.path))
    except OSError as err:
        raise StoreError(f"{version.path}: cannot open store: {err}") from err
    if version.quads is None or version.quads >= memory_quads:
        return on_disk
    in_memory = Store()
    in_memory.bulk_extend(on_disk.quads_for_pattern(None, None, None, None))
    return in_memory
