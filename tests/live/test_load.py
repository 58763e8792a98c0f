"""A short run of the load test (``bench/load.py``; ``make load`` runs the documented 60 s): 8
clients mixing lookups, lists and exports while the data is reloaded half way: no failed request,
both data versions seen by every client, memory bounded."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from poa_kg.config import ROOT

pytestmark = [pytest.mark.live, pytest.mark.slow]


def test_load_with_a_reload_loses_no_request() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.load", "--seconds", "10"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads((ROOT / "build" / "bench" / "load.json").read_text(encoding="utf-8"))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert report["errors"] == 0
    assert len(report["data_versions_seen"]) == 2
    assert report["clients_that_saw_the_reload"] == report["clients"]
    assert all(report["latency_ms"][kind]["count"] > 0 for kind in ("lookup", "list", "export"))
    assert report["pss_mib"]["max"] < 500
