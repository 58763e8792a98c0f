"""Engine: runs SPARQL queries on the published store in sandboxed worker processes that can be
killed.

Takes ``QueryJob``s; gives ``Answer``s, or raises one of the errors below (each an HTTP status).

pyoxigraph cannot cancel a running query, so every query runs in a worker process that opens the
current store read-only and serialises the answer itself; a worker past its deadline is killed
(SIGKILL) and replaced while the others keep answering. Each worker:

- cannot open a socket (``sandbox.deny_network``, a seccomp filter installed before it reads a
  job): no query text can make it reach another host;
- evaluates queries on a thread with a large stack (``QUERY_STACK``): the engine recurses over
  expressions and patterns, and the refusal scan bounds how many there are;
- may grow its heap by at most ``query_memory`` bytes over what the open store takes
  (``RLIMIT_DATA``): past that an allocation fails and the request is answered 503 naming the
  limit; a worker that kept much memory after a job is replaced.

User queries that compute for longer than ``long_after`` seconds of CPU time are *long*: at
most ``long_queries`` of them run at once, so the remaining workers keep answering cheap queries;
one more is stopped at once (503). The project's named queries are bounded by design and never
stopped for being long. A worker is given jobs once it has opened its store; ``spares`` warm
workers wait aside to replace a retired worker at once (a new one needs a second or more to open
its store). A bounded number of requests may wait for a worker; beyond it ``Busy`` is raised
(HTTP 429). Each job names the store version it wants; a worker reopens the store between jobs
when ``current`` has moved, so a query in flight finishes on the store it started on.

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
import threading
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
from poa_kg.serve.answers import (
    Answer,
    serialize_boolean,
    serialize_solutions,
    serialize_solutions_natively,
    serialize_triples,
)
from poa_kg.serve.formats import GRAPH_TYPES
from poa_kg.serve.sandbox import deny_network, lift_memory_limit, limit_memory, resident_size
from poa_kg.serve.sparql import QueryJob, readable_syntax_error
from poa_kg.serve.store import StoreVersion, current_version, open_store


class Busy(PoaKgError):
    """Every worker is busy and the waiting line is full (HTTP 429)."""


class DeadlinePassed(PoaKgError):
    """The query ran past its deadline and was stopped (HTTP 503)."""


class Overloaded(PoaKgError):
    """The query could not be answered now, through no fault of its text (HTTP 503, retry):
    too many long queries at once, or its worker stopped."""


class MemoryLimit(Overloaded):
    """The query needed more memory than a query may take (HTTP 503)."""


_TICKS = os.sysconf("SC_CLK_TCK")
QUERY_STACK = 256 * 1024 * 1024
"""Stack of the thread that evaluates queries: ten thousand nested operators fit (measured with
pyoxigraph 0.5; the main thread's 8 MiB overflows between three and ten thousand), and the
refusal scan accepts at most 4,096. Only the pages touched become resident."""
WARM_UP = 120.0
"""Seconds a new worker may take to open its store before it is given jobs anyway."""
RECYCLE_MARGIN = 64 * 1024 * 1024
"""A worker holding this much more resident memory after a job than after opening its store is
replaced (glibc keeps freed memory; a new worker starts small)."""


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
        return serialize_triples(result, job.media_type, job.cap, job.byte_cap)
    assert isinstance(result, QuerySolutions)  # noqa: S101 - the three result kinds
    answer = serialize_solutions_natively(result, job.media_type, job.cap, job.byte_cap)
    if answer is not None:
        return answer
    result = store.query(job.query, **options)  # big answer: again, stopping at the caps
    assert isinstance(result, QuerySolutions)  # noqa: S101 - same query, same kind
    variables = [v.value for v in result.variables]
    return serialize_solutions(variables, result, job.media_type, job.cap, job.byte_cap)


def _term(text: str) -> Any:
    """A term from its N-Triples form (the only way jobs carry terms across processes)."""
    quads = list(
        parse(f"<urn:x> <urn:y> {text} .".encode(), format=GRAPH_TYPES["application/n-triples"])
    )
    return quads[0].object


def _worker_main(
    connection: Connection, store_dir: str, memory_quads: int, query_memory: int
) -> None:
    """Serve jobs from ``connection`` until it closes, sandboxed, on a thread with a large stack."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent owns shutdown
    deny_network()  # before the first job: no query ever runs with network access
    threading.stack_size(QUERY_STACK)
    thread = threading.Thread(
        target=_serve_jobs, args=(connection, Path(store_dir), memory_quads, query_memory)
    )
    thread.start()
    thread.join()


def _serve_jobs(connection: Connection, store_dir: Path, memory_quads: int, budget: int) -> None:
    version: StoreVersion | None = None
    store: Store | None = None
    baseline = 0

    def reopen() -> None:
        nonlocal version, store, baseline
        version = current_version(store_dir)
        store = None  # free the old copy before making the new one
        _return_freed_memory()
        lift_memory_limit()
        store = open_store(version, memory_quads)
        if budget > 0:
            limit_memory(budget)
        baseline = resident_size()

    with contextlib.suppress(PoaKgError):  # open (or copy) before the first job, not during it
        reopen()
    connection.send(("ready", None, False))  # only a warm worker is given jobs
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            if store is None or version is None or job.store_hash != version.content_hash:
                connection.send(("opening", None, False))  # the time it takes is not the query's
                reopen()
                connection.send(("opened", None, False))
            assert store is not None  # noqa: S101 - reopen() sets it or raises
            answer = execute(store, job)
            heavy = resident_size() > baseline + RECYCLE_MARGIN
            connection.send(("ok", answer, False))
            if heavy:  # after the answer, not before: glibc may just be keeping freed memory
                del answer
                _return_freed_memory()
                if resident_size() > baseline + RECYCLE_MARGIN:
                    return  # this worker ends; the engine sees it closed and starts another
        except SyntaxError as err:
            connection.send(("syntax", str(err), False))
        except MemoryError:
            connection.send(("memory", "", True))
        except Exception as err:  # any engine error is the query's failure, not the worker's
            connection.send(("error", f"{type(err).__name__}: {err}", False))


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

    def cpu_seconds(self) -> float:
        """CPU time the process has used, all threads (0 once it is gone)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return 0.0
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


class Engine:
    """A pool of sandboxed worker processes over the published store in ``store_dir``."""

    def __init__(
        self,
        store_dir: Path,
        workers: int,
        queue_size: int,
        memory_quads: int = 0,
        *,
        long_queries: int = 1,
        long_after: float = 0.5,
        query_memory: int = 0,
        spares: int = 0,
    ):
        if workers < 1:
            raise ValueError(f"the engine needs at least one worker, not {workers}")
        self.store_dir = store_dir
        self.memory_quads = memory_quads
        self.size = workers
        self.queue_size = queue_size
        # one worker stays free for cheap queries whenever there are two or more
        self.long_queries = max(0, min(long_queries, max(1, workers - 1)))
        self.long_after = long_after
        self.query_memory = query_memory
        self.spares = spares
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["poa_kg.serve.engine"])
        self._idle: asyncio.Queue[_Worker] | None = None
        self._waiting = 0
        self._long = 0
        self._all: list[_Worker] = []
        self._version: StoreVersion | None = None
        self._replacing: set[asyncio.Task[None]] = set()
        self._spares: list[_Worker] = []  # warm, given jobs only when a worker is retired

    # -- lifecycle
    async def start(self) -> None:
        self._idle = asyncio.Queue()
        loop = asyncio.get_running_loop()
        started = await asyncio.gather(
            *(loop.run_in_executor(None, self._spawn) for _ in range(self.size + self.spares))
        )
        for worker in started[: self.size]:
            self._idle.put_nowait(worker)
        self._spares = list(started[self.size :])

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main,
            # the budget is for all worker processes together: each gets its share
            args=(
                child,
                str(self.store_dir),
                self.memory_quads // (self.size + self.spares),
                self.query_memory,
            ),
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._all.append(worker)
        # wait until it has opened (or copied) the store: a cold worker would make its first
        # query look long
        with contextlib.suppress(EOFError, OSError):
            if parent.poll(WARM_UP):
                parent.recv()
        return worker

    def close(self) -> None:
        for task in self._replacing:
            task.cancel()
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
            Overloaded: too many long queries run already, or the query's worker stopped.
            MemoryLimit: the query needed more memory than ``query_memory``.
            QueryError: the query does not parse (message with line and column), or the engine
                reported an error while evaluating it.
        """
        if self._idle is None:
            raise RuntimeError("Engine.start() was not awaited")
        if self._idle.empty() and self._waiting >= self.queue_size:
            raise Busy(f"all {self.size} workers are busy and {self._waiting} requests wait")
        started = time.monotonic()
        worker = await self._acquire(deadline)
        remaining = max(0.001, deadline - (time.monotonic() - started))
        try:
            status, payload, retire = await self._ask(worker, job, remaining, deadline)
        except (TimeoutError, PoaKgError):
            self._retire(worker)
            raise
        except (EOFError, OSError) as err:
            lost = self._lost(worker)
            self._retire(worker)
            raise lost from err
        except asyncio.CancelledError:
            self._retire(worker)
            raise
        if retire:
            self._retire(worker)
        else:
            self._idle.put_nowait(worker)
        if status == "ok":
            assert isinstance(payload, Answer)  # noqa: S101 - protocol of _serve_jobs
            return payload
        if status == "syntax":
            raise QueryError(readable_syntax_error(str(payload), job.query))
        if status == "memory":
            raise MemoryLimit(self._memory_message())
        raise QueryError(f"the query failed: {payload}")

    async def _acquire(self, deadline: float) -> _Worker:
        """An idle, living worker (one that died while idle is replaced, not used)."""
        assert self._idle is not None  # noqa: S101 - checked by run()
        started = time.monotonic()
        while True:
            if not self._idle.empty():
                worker = self._idle.get_nowait()  # the common case: no task, no timer
            else:
                remaining = deadline - (time.monotonic() - started)
                self._waiting += 1
                try:
                    worker = await asyncio.wait_for(self._idle.get(), timeout=remaining)
                except TimeoutError as err:
                    raise DeadlinePassed(f"no worker became free within {deadline:g} s") from err
                finally:
                    self._waiting -= 1
            # an idle worker has nothing to say: a readable connection is a closed one
            if worker.process.exitcode is None and not worker.connection.poll():
                return worker
            self._retire(worker)

    async def _ask(
        self, worker: _Worker, job: QueryJob, timeout: float, deadline: float
    ) -> tuple[str, object, bool]:
        """Send a job and wait for its reply. A user query that has computed for ``long_after``
        seconds of its worker's CPU time (opening a new store does not count; waiting for a CPU
        does not either) takes one of the ``long_queries`` places, or is stopped when none is
        free."""
        loop = asyncio.get_running_loop()
        fd = worker.connection.fileno()
        arrived: list[asyncio.Future[None]] = [loop.create_future()]

        def readable() -> None:
            if not arrived[0].done():
                arrived[0].set_result(None)

        started_cpu = worker.cpu_seconds()
        worker.connection.send(job)
        loop.add_reader(fd, readable)
        end = loop.time() + timeout
        long_at = loop.time() + self.long_after
        counted = opening = False
        try:
            while True:
                until = end if counted or job.named else min(end, long_at)
                done, _ = await asyncio.wait((arrived[0],), timeout=max(0.0, until - loop.time()))
                if done:
                    # uvloop leaves the descriptor non-blocking; an answer may take several reads
                    os.set_blocking(fd, True)
                    status, payload, retire = worker.connection.recv()
                    if status not in ("opening", "opened"):
                        return status, payload, retire
                    opening = status == "opening"
                    started_cpu = worker.cpu_seconds()  # the query starts after the opening
                    long_at = loop.time() + self.long_after
                    arrived[0] = loop.create_future()
                    if worker.connection.poll():
                        arrived[0].set_result(None)
                    continue
                if loop.time() >= end:
                    raise DeadlinePassed(f"query stopped after {deadline:g} s (its deadline)")
                computed = worker.cpu_seconds() - started_cpu
                if opening or computed < self.long_after:  # waiting for a CPU is not running
                    long_at = loop.time() + self.long_after - (0 if opening else computed)
                    continue
                if self._long >= self.long_queries:
                    raise Overloaded(
                        f"this query computed {computed:.1f} s, and {self._long} queries already "
                        f"run longer than {self.long_after:g} s, the most that run at once; retry "
                        "later or narrow the query"
                    )
                self._long += 1
                counted = True
        finally:
            if counted:
                self._long -= 1
            loop.remove_reader(fd)
            os.set_blocking(fd, True)

    def _lost(self, worker: _Worker) -> Overloaded:
        """The error for a worker that stopped while answering (joined by ``_retire``)."""
        worker.process.join(timeout=1)
        code = worker.process.exitcode
        if code == -signal.SIGABRT:  # the engine aborts when an allocation fails
            return MemoryLimit(self._memory_message())
        return Overloaded(f"the query stopped its worker (exit status {code}); retry later")

    def _memory_message(self) -> str:
        limit = self.query_memory // (1024 * 1024)
        return f"the query needed more than the {limit} MiB of memory a query may use"

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker (SIGKILL: a stuck query ignores anything else) and start another in
        the background; requests wait in the line meanwhile."""
        if worker.process.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.process.pid, signal.SIGKILL)
        promoted = bool(self._spares)
        if promoted:  # a warm spare takes its place at once; the new worker becomes the spare
            assert self._idle is not None  # noqa: S101 - set by start()
            self._idle.put_nowait(self._spares.pop())
        task = asyncio.get_running_loop().create_task(self._replace(worker, promoted))
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    async def _replace(self, worker: _Worker, as_spare: bool) -> None:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, worker.process.join, 5)
        except RuntimeError:  # the executor is shut down: the service is stopping
            return
        worker.connection.close()
        if worker in self._all:
            self._all.remove(worker)
        try:
            fresh = await loop.run_in_executor(None, self._spawn)
        except RuntimeError:
            return
        assert self._idle is not None  # noqa: S101 - set by start()
        if as_spare:
            self._spares.append(fresh)
        else:
            self._idle.put_nowait(fresh)
