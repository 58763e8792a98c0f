"""Backends: where a ``QueryJob`` runs — the embedded store or an external SPARQL server.

Both sit behind one small interface (``Backend``), as Prez does with its repositories:

- ``EmbeddedBackend``: the published on-disk store, through the ``Engine``'s killable worker
  processes. Answers are cached per store version, and carry an ETag derived from the store's
  content hash and the request, so a repeated query costs a dictionary lookup and a client can
  revalidate with ``If-None-Match``.
- ``RemoteBackend`` (``poa_kg.serve.remote``): any SPARQL 1.1 server (Oxigraph, Fuseki,
  Virtuoso, GraphDB) reached over the protocol, tested against Oxigraph's server and Virtuoso
  7.2.

Both keep answers in one ``AnswerCache`` policy, keyed by the data version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from poa_kg.config import BackendKind, Settings
from poa_kg.errors import StoreError
from poa_kg.serve.answer_cache import AnswerCache, etag
from poa_kg.serve.answers import Answer
from poa_kg.serve.engine import Engine
from poa_kg.serve.remote import UNPUBLISHED, RemoteBackend
from poa_kg.serve.sparql import QueryJob
from poa_kg.serve.store import current_version, publish_store

__all__ = ["UNPUBLISHED", "Backend", "EmbeddedBackend", "RemoteBackend", "make_backend"]


class Backend(Protocol):
    """Runs query jobs; ``version`` names the data so answers can be cached and revalidated."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    def version(self) -> str: ...

    def etag(self, job: QueryJob) -> str | None: ...

    async def health(self) -> dict[str, str]:
        """``{"status": "ok", …}`` when queries can be answered, else ``"unavailable"`` and why."""
        ...

    async def run(self, job: QueryJob, deadline: float) -> Answer: ...


class EmbeddedBackend:
    """The published store, queried in worker processes."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine = Engine(
            settings.store_dir,
            settings.workers,
            settings.queue_size,
            settings.memory_quads,
            long_queries=settings.long_queries,
            long_after=settings.long_after,
            query_memory=settings.query_memory,
            spares=settings.spare_workers,
            inline_lookups=settings.subject_lookups_in_process,
        )
        self._cache = AnswerCache(settings)

    async def start(self) -> None:
        try:
            current_version(self.settings.store_dir)
        except StoreError:
            # Nothing published yet: load what the last build wrote.
            publish_store(
                self.settings.turtle_dir,
                self.settings.store_dir,
                self.settings.ontology_dir / "poa.ttl",
            )
        await self.engine.start()

    async def close(self) -> None:
        self.engine.close()

    def version(self) -> str:
        return self.engine.version().content_hash

    def etag(self, job: QueryJob) -> str | None:
        return etag(self.version(), job)

    async def health(self) -> dict[str, str]:
        try:
            return {"status": "ok", "backend": "embedded", "data": self.version()}
        except (OSError, StoreError) as err:
            return {"status": "unavailable", "backend": "embedded", "reason": str(err)}

    async def run(self, job: QueryJob, deadline: float) -> Answer:
        version = self.version()
        cached = self._cache.get(version, job)
        if cached is not None:
            return cached
        pinned = QueryJob(**{**job.__dict__, "store_hash": version})
        answer = await self.engine.run(pinned, deadline)
        self._cache.keep(version, job, answer)
        return answer


BACKENDS: dict[BackendKind, Callable[[Settings], Backend]] = {
    BackendKind.embedded: EmbeddedBackend,
    BackendKind.remote: RemoteBackend,
}


def make_backend(settings: Settings) -> Backend:
    return BACKENDS[settings.backend](settings)
