"""The attack suite (``bench/attack.py``, one round) against a real ``poa-kg serve``: every request
gets its documented status, the loopback listener sees no connection, the service (server and
workers, PSS) stays within 1 GiB, cheap queries keep p99 ≤ 100 ms while two deadline-length
queries run, and memory comes back near idle afterwards."""

from __future__ import annotations

from typing import Any

import pytest

from bench.attack import attack, server

pytestmark = pytest.mark.live

DEADLINE = 4.0
BACK_MIB = 160.0
"""How near idle the memory must come back within 30 s (the quiet ends as soon as it is)."""


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    with server(deadline=str(DEADLINE), request_timeout="3") as (url, pid):
        return attack(url, pid, rounds=1, deadline=DEADLINE, settle=30.0, back_mib=BACK_MIB)


def test_every_attack_gets_its_documented_status(report: dict[str, Any]) -> None:
    wrong = [o for o in report["outcomes"] if not o["ok"]]
    assert not wrong, wrong


def test_no_request_reaches_the_listener(report: dict[str, Any]) -> None:
    assert report["connections_at_listener"] == 0


def test_memory_stays_within_one_gibibyte_and_comes_back(report: dict[str, Any]) -> None:
    assert report["pss_peak_mib"] <= 1024, report["memory_samples"]
    assert report["pss_after_mib"] <= report["pss_idle_mib"] + BACK_MIB, report["memory_samples"]


def test_cheap_queries_keep_answering_while_two_slow_ones_run(report: dict[str, Any]) -> None:
    cheap = report["cheap_while_two_slow"]
    assert cheap["failed"] == 0
    assert cheap["requests"] > 20
    assert cheap["p99_ms"] <= 100, cheap
    assert cheap["slow_statuses"] == [503, 503]  # both ran to their deadline
