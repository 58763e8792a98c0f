"""Engine: runs SPARQL queries on the published store in worker processes that can be killed.

pyoxigraph cannot cancel a running query (decisions.md §9), so every query runs in a worker
process that opens the current store read-only and serialises the answer itself; a worker past its
deadline is killed (SIGKILL) and replaced while the others keep answering. A bounded number of
requests may wait for a worker; beyond it ``Busy`` is raised (HTTP 429). Each job names the store
version it wants; a worker reopens the store between jobs when ``current`` has moved, so a query
in flight finishes on the store it started on.

Only ``Store.query`` is ever called: no update reaches the engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Store,
    Variable,
    parse,
)

from poa_kg.errors import PoaKgError, QueryError
from poa_kg.sparql import (
    GRAPH_TYPES,
    Answer,
    serialize_boolean,
    serialize_solutions,
    serialize_solutions_natively,
    serialize_triples,
)
from poa_kg.store import StoreVersion, current_version, open_store


class Busy(PoaKgError):
    """Every worker is busy and the waiting line is full (HTTP 429)."""


class DeadlinePassed(PoaKgError):
    """The query ran past its deadline and was stopped (HTTP 503)."""


@dataclass(frozen=True)
class QueryJob:
    """Everything a worker needs to answer one query."""

    query: str
    media_type: str
    cap: int
    base_iri: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    substitutions: tuple[tuple[str, str], ...] = ()
    """(variable name, term in N-Triples syntax) pairs, bound with ``substitutions=``."""
    store_hash: str = ""


# ---------------------------------------------------------------------- the worker side


def execute(store: Store, job: QueryJob) -> Answer:
    """Run one job on an open store and serialise the answer (used in workers and in-process).

    Raises:
        SyntaxError: the query does not parse.
        OSError: the store cannot be read.
    """
    options: dict[str, Any] = {"base_iri": job.base_iri}
    if job.default_graphs is not None:
        options["default_graph"] = [
            NamedNode(g) if g else DefaultGraph() for g in job.default_graphs
        ]
    else:
        options["use_default_graph_as_union"] = True
    if job.named_graphs is not None:
        options["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
    if job.substitutions:
        options["substitutions"] = {Variable(name): _term(text) for name, text in job.substitutions}
    result = store.query(job.query, **options)
    if isinstance(result, QueryBoolean):
        return serialize_boolean(result, job.media_type)
    if isinstance(result, QueryTriples):
        return serialize_triples(result, job.media_type, job.cap)
    assert isinstance(result, QuerySolutions)  # noqa: S101 - the three result kinds
    answer = serialize_solutions_natively(result, job.media_type, job.cap)
    if answer is not None:
        return answer
    result = store.query(job.query, **options)  # big answer: again, stopping at the cap
    assert isinstance(result, QuerySolutions)  # noqa: S101 - same query, same kind
    variables = [v.value for v in result.variables]
    return serialize_solutions(variables, result, job.media_type, job.cap)


def _term(text: str) -> Any:
    """A term from its N-Triples form (the only way jobs carry terms across processes)."""
    quads = list(
        parse(f"<urn:x> <urn:y> {text} .".encode(), format=GRAPH_TYPES["application/n-triples"])
    )
    return quads[0].object


def _worker_main(connection: Connection, store_dir: str, memory_quads: int) -> None:
    """Serve jobs from ``connection`` until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent owns shutdown
    version: StoreVersion | None = None
    store: Store | None = None
    with contextlib.suppress(PoaKgError):  # open (or copy) before the first job, not during it
        version = current_version(Path(store_dir))
        store = open_store(version, memory_quads)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            if store is None or version is None or job.store_hash != version.content_hash:
                version = current_version(Path(store_dir))
                store = None  # free the old copy before making the new one
                _return_freed_memory()
                store = open_store(version, memory_quads)
            connection.send(("ok", execute(store, job)))
        except SyntaxError as err:
            connection.send(("syntax", str(err)))
        except (OSError, ValueError, PoaKgError) as err:
            connection.send(("error", f"{type(err).__name__}: {err}"))


def _return_freed_memory() -> None:
    """Hand memory freed by a dropped store back to the system (glibc keeps it otherwise, and a
    worker that reloaded would hold two copies' worth)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


# ---------------------------------------------------------------------- the server side


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    started: float = field(default_factory=time.monotonic)


class Engine:
    """A pool of worker processes over the published store in ``store_dir``."""

    def __init__(self, store_dir: Path, workers: int, queue_size: int, memory_quads: int = 0):
        self.store_dir = store_dir
        self.memory_quads = memory_quads
        self.size = workers
        self.queue_size = queue_size
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["poa_kg.engine"])
        self._idle: asyncio.Queue[_Worker] | None = None
        self._waiting = 0
        self._all: list[_Worker] = []
        self._version: StoreVersion | None = None

    # -- lifecycle
    async def start(self) -> None:
        self._idle = asyncio.Queue()
        loop = asyncio.get_running_loop()
        started = await asyncio.gather(
            *(loop.run_in_executor(None, self._spawn) for _ in range(self.size))
        )
        for worker in started:
            self._idle.put_nowait(worker)

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main,
            args=(child, str(self.store_dir), self.memory_quads),
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._all.append(worker)
        return worker

    def close(self) -> None:
        for worker in self._all:
            with contextlib.suppress(OSError):
                worker.connection.close()
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join(timeout=2)
        self._all.clear()

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._all if w.process.pid is not None]

    def version(self) -> StoreVersion:
        """The current store; its READY file is read again only when ``current`` has moved."""
        target = (self.store_dir / "current").readlink()
        if self._version is None or self._version.path.name != target.name:
            self._version = current_version(self.store_dir)
        return self._version

    # -- running queries
    async def run(self, job: QueryJob, deadline: float) -> Answer:
        """Answer a job within ``deadline`` seconds.

        Raises:
            Busy: no worker and no room in the waiting line.
            DeadlinePassed: the query was stopped at its deadline.
            QueryError: the query does not parse (message with line and column).
        """
        if self._idle is None:
            raise RuntimeError("Engine.start() was not awaited")
        if self._idle.empty() and self._waiting >= self.queue_size:
            raise Busy(f"all {self.size} workers are busy and {self._waiting} requests wait")
        started = time.monotonic()
        if not self._idle.empty():
            worker = self._idle.get_nowait()  # the common case: no task, no timer
        else:
            self._waiting += 1
            try:
                worker = await asyncio.wait_for(self._idle.get(), timeout=deadline)
            except TimeoutError as err:
                raise DeadlinePassed(f"no worker became free within {deadline:g} s") from err
            finally:
                self._waiting -= 1
        remaining = max(0.001, deadline - (time.monotonic() - started))
        try:
            status, payload = await self._ask(worker, job, remaining)
        except TimeoutError as err:
            await self._replace(worker)
            raise DeadlinePassed(f"query stopped after {deadline:g} s (its deadline)") from err
        except (EOFError, OSError, asyncio.CancelledError):
            await self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        if status == "ok":
            assert isinstance(payload, Answer)  # noqa: S101 - protocol of _worker_main
            return payload
        if status == "syntax":
            raise QueryError(str(payload))
        raise QueryError(f"the query failed: {payload}")

    async def _ask(self, worker: _Worker, job: QueryJob, timeout: float) -> tuple[str, object]:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fd = worker.connection.fileno()

        def readable() -> None:
            if not ready.done():
                ready.set_result(None)

        worker.connection.send(job)
        loop.add_reader(fd, readable)
        try:
            async with asyncio.timeout(timeout):
                await ready
        finally:
            loop.remove_reader(fd)
            # uvloop leaves the descriptor non-blocking; a long answer arrives in several reads
            os.set_blocking(fd, True)
        reply: tuple[str, object] = worker.connection.recv()
        return reply

    async def _replace(self, worker: _Worker) -> None:
        """Kill a worker (a stuck query ignores SIGINT; SIGKILL ends it) and start another."""
        if worker.process.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join(timeout=5)
        worker.connection.close()
        if worker in self._all:
            self._all.remove(worker)
        loop = asyncio.get_running_loop()
        fresh = await loop.run_in_executor(None, self._spawn)
        assert self._idle is not None  # noqa: S101 - set by start()
        self._idle.put_nowait(fresh)
