"""The answer cache the backends share: a query job's answer per data version, so a repeated
query costs a dictionary lookup and a reload makes every old answer unreachable.

It is one of two caches, each bounded by half of ``POA_KG_CACHE_BYTES`` (the other holds whole
HTTP responses, ``api.response_cache``), and by ``POA_KG_CACHE_ENTRIES`` entries; an answer over
``ANSWER_LIMIT`` bytes is not kept.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from poa_kg.config import Settings
from poa_kg.serve.answers import Answer
from poa_kg.serve.sparql import QueryJob

ANSWER_LIMIT = 4 * 1_048_576
"""Bytes: bigger answers are not kept. A quarter of the default half of ``cache_bytes``: big
enough for the pairs behind ``/analyses/vote-agreement`` (2.0 MB of SPARQL JSON, about 1 s to
compute again), small enough that one answer cannot empty the cache."""


def job_key(job: QueryJob) -> str:
    """A digest of everything that decides a job's answer but the data."""
    parts = [
        job.query,
        job.media_type,
        str(job.cap),
        job.base_iri,
        repr(job.default_graphs),
        repr(job.named_graphs),
        repr(job.substitutions),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def etag(version: str, job: QueryJob) -> str:
    """The entity tag of a job's answer on data ``version``."""
    return hashlib.sha256(f"{version}:{job_key(job)}".encode()).hexdigest()[:32]


class AnswerCache:
    """Answers by (data version, job), least recently used first out."""

    def __init__(self, settings: Settings):
        self.max_entries = settings.cache_entries
        self.max_bytes = settings.cache_bytes // 2  # the other half: the response cache
        self._answers: OrderedDict[tuple[str, str], Answer] = OrderedDict()
        self._bytes = 0

    def get(self, version: str, job: QueryJob) -> Answer | None:
        key = (version, job_key(job))
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def keep(self, version: str, job: QueryJob, answer: Answer) -> None:
        if len(answer.body) > ANSWER_LIMIT:
            return
        key = (version, job_key(job))
        if key in self._answers:
            self._bytes -= len(self._answers.pop(key).body)
        self._answers[key] = answer
        self._bytes += len(answer.body)
        while len(self._answers) > self.max_entries or self._bytes > self.max_bytes:
            _key, old = self._answers.popitem(last=False)
            self._bytes -= len(old.body)

    def clear(self) -> None:
        self._answers.clear()
        self._bytes = 0
