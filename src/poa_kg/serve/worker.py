"""The worker side of the engine: one process that answers query jobs on the published store.

Takes ``QueryJob``s from a pipe; gives back ``("ok", Answer, retire)`` or the kind of failure.
``worker_main`` installs the sandbox (no socket), evaluates on a thread with a large stack and
caps the heap at the open store plus ``query_memory``; it reopens the store between jobs when
a job names a newer version, and ends itself when a job left it holding much memory.
``execute`` runs one job on an open store (also used in-process by the CLI and the exports).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import signal
import threading
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

from poa_kg.errors import PoaKgError
from poa_kg.serve.answers import (
    Answer,
    serialize_boolean,
    serialize_solutions,
    serialize_solutions_natively,
    serialize_triples,
)
from poa_kg.serve.formats import GRAPH_TYPES
from poa_kg.serve.sandbox import deny_network, lift_memory_limit, limit_memory, resident_size
from poa_kg.serve.sparql import QueryJob
from poa_kg.serve.store import StoreVersion, current_version, open_store

QUERY_STACK = 256 * 1024 * 1024
"""Stack of the thread that evaluates queries: ten thousand nested operators fit (measured with
pyoxigraph 0.5; the main thread's 8 MiB overflows between three and ten thousand), and the
refusal scan accepts at most 4,096. Only the pages touched become resident."""
RECYCLE_MARGIN = 64 * 1024 * 1024
"""A worker holding this much more resident memory after a job than after opening its store is
replaced (glibc keeps freed memory; a new worker starts small)."""


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


def worker_main(
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
