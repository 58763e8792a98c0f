"""The answer cache both backends share: keyed by data version, bounded by half the byte budget
and by entries, big answers not kept."""

from __future__ import annotations

from poa_kg.config import Settings
from poa_kg.serve.answer_cache import ANSWER_LIMIT, AnswerCache, etag
from poa_kg.serve.answers import Answer
from poa_kg.serve.sparql import QueryJob


def _job(n: int) -> QueryJob:
    return QueryJob(f"SELECT * {{ ?s ?p {n} }}", "text/csv", 10, "x:")


def test_an_answer_is_found_only_for_its_data_version() -> None:
    cache = AnswerCache(Settings(cache_bytes=1_000_000))
    cache.keep("v1", _job(1), Answer(b"a", "text/csv"))
    assert cache.get("v1", _job(1)) is not None
    assert cache.get("v2", _job(1)) is None
    assert etag("v1", _job(1)) != etag("v2", _job(1))


def test_the_bound_is_half_the_byte_budget_oldest_out_first() -> None:
    cache = AnswerCache(Settings(cache_bytes=4_000))
    for n in range(5):
        cache.keep("v", _job(n), Answer(b"x" * 600, "text/csv"))
    kept = [n for n in range(5) if cache.get("v", _job(n)) is not None]
    assert kept == [2, 3, 4]  # 3 × 600 ≤ 2,000 < 4 × 600


def test_the_entry_bound_holds_and_big_answers_are_not_kept() -> None:
    cache = AnswerCache(Settings(cache_entries=2, cache_bytes=100 * ANSWER_LIMIT))
    for n in range(3):
        cache.keep("v", _job(n), Answer(b"x", "text/csv"))
    assert cache.get("v", _job(0)) is None and cache.get("v", _job(2)) is not None
    cache.keep("v", _job(9), Answer(b"x" * (ANSWER_LIMIT + 1), "text/csv"))
    assert cache.get("v", _job(9)) is None
