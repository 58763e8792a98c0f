"""The examples in ``examples/`` run against a live server and answer their README question."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from poa_kg.config import ROOT

pytestmark = [pytest.mark.live]
EXAMPLES = ROOT / "examples"


def _run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603 - our own scripts
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_python_interpol_wco(live_url: str) -> None:
    out = _run([sys.executable, str(EXAMPLES / "interpol_wco.py"), live_url])
    assert "A/CONF.192/2018/RC/3, annex, sect. II, para. 13" in out
    assert "World Customs Organization" in out
    assert "INTERPOL" in out or "International Criminal Police" in out


def test_curl_interpol_wco(live_url: str) -> None:
    sh = shutil.which("sh")
    assert sh and shutil.which("curl"), "curl and sh are on every machine the tests run on"
    out = _run([sh, str(EXAMPLES / "interpol_wco.sh"), live_url])
    assert out.startswith("actorLabel,paragraph,document,meetingLabel,text")
    assert "revcon3-2018/annex/sec_II__para_13" in out


@pytest.mark.parametrize("script", ["votes_against.py", "votes_against.sh"])
def test_votes_against(live_url: str, script: str) -> None:
    runner = sys.executable if script.endswith(".py") else str(shutil.which("sh"))
    out = _run([runner, str(EXAMPLES / script), live_url])
    assert "Israel" in out and "United States of America" in out
