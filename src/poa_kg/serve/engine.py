"""Engine: runs SPARQL queries on the published store in sandboxed worker processes that can be
killed.

Takes ``QueryJob``s; gives ``Answer``s, or raises one of the errors below (each an HTTP status).

pyoxigraph cannot cancel a running query, so every query runs in a worker process that opens the
current store read-only and serialises the answer itself (``worker.py``); a worker past its
deadline is killed (SIGKILL) and replaced while the others keep answering. Each worker:

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

A *subject lookup* (one triple pattern about one IRI, told by the refusal scan) is the exception:
it reads at most its subject's triples (198 at most in the corpus's graph, and as many in its
synthetic copies), so it cannot run long and has no deadline to keep. With ``inline_lookups`` the
engine answers it in the server's own process, on a read-only handle of the current store, and
saves the trip to a worker and back, which is most of a lookup's time.

Only ``Store.query`` is ever called: no update reaches the engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from pyoxigraph import Store

from poa_kg.errors import PoaKgError, QueryError
from poa_kg.serve.answers import (
    Answer,
)
from poa_kg.serve.sparql import QueryJob, readable_syntax_error
from poa_kg.serve.store import CURRENT, StoreVersion, current_version, open_store
from poa_kg.serve.worker import execute, worker_main


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
WARM_UP = 120.0
"""Seconds a new worker may take to open its store before it is given jobs anyway."""


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
        inline_lookups: bool = False,
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
        self.inline_lookups = inline_lookups
        self._lookup_store: tuple[str, Store] | None = None  # (content hash, read-only handle)
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["poa_kg.serve.engine", "poa_kg.serve.worker"])
        self._idle: asyncio.Queue[_Worker] | None = None
        self._waiting = 0
        self._long = 0
        self._all: list[_Worker] = []
        self._version: StoreVersion | None = None
        self._current_link = os.fspath(self.store_dir / CURRENT)
        self._version_link = ""
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
            target=worker_main,
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
        self._lookup_store = None
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
        # os.readlink on a prepared str, compared as read: pathlib's readlink and name cost
        # 0.1 ms, and this runs several times per request (profiled under eight lookup clients)
        target = os.readlink(self._current_link)  # noqa: PTH115 - see above
        if self._version is None or target != self._version_link:
            self._version = current_version(self.store_dir)
            self._version_link = target
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
        if job.subject_lookup and self.inline_lookups:
            return await self._look_up(job)
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

    async def _look_up(self, job: QueryJob) -> Answer:
        """A subject lookup answered in this process, with the errors a worker would report."""
        version = self.version()
        if self._lookup_store is None or self._lookup_store[0] != version.content_hash:
            loop = asyncio.get_running_loop()
            # on disk, never copied: the server keeps no second copy of the data in memory
            store = await loop.run_in_executor(None, open_store, version, 0)
            self._lookup_store = (version.content_hash, store)
        try:
            return execute(self._lookup_store[1], job)
        except SyntaxError as err:
            raise QueryError(readable_syntax_error(str(err), job.query)) from err
        except MemoryError as err:
            raise MemoryLimit(self._memory_message()) from err
        except Exception as err:  # any engine error is the query's failure, as in a worker
            raise QueryError(f"the query failed: {type(err).__name__}: {err}") from err

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
