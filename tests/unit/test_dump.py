"""``poa-kg dump``: the files of the whole dataset named with its version, and bad input."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest

from poa_kg import cli


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("POA_KG_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("POA_KG_DOWNLOADS_DIR", str(tmp_path / "downloads"))
    monkeypatch.setenv("POA_KG_LOG_DIR", str(tmp_path / "logs"))
    return tmp_path


def test_dump_writes_every_file_named_with_the_version(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["dump"]) == 0
    (folder,) = (env / "downloads").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    stem = f"poa-kg-{manifest['version']}"
    assert manifest["version"].endswith(manifest["content_hash"][:12])
    names = {f["name"] for f in manifest["files"]}
    for suffix in (".nq.gz", ".trig.gz", ".jsonld.gz", ".statements.csv"):
        assert f"{stem}{suffix}" in names
    assert (folder / f"{stem}.void.ttl").is_file()
    lines = gzip.decompress((folder / f"{stem}.nq.gz").read_bytes()).splitlines()
    quads = next(f for f in manifest["files"] if f["name"].endswith(".nq.gz"))["records"]
    assert len(lines) == quads
    with (folder / f"{stem}.statements.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["class"] for row in rows} >= {"Commitment", "Preambular", "Declaration"}
    assert stem in capsys.readouterr().out


def test_dump_into_a_file_exits_2_naming_it(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = env / "a-file"
    target.write_text("x", encoding="utf-8")
    assert cli.main(["dump", "--out", str(target)]) == 2
    assert str(target) in capsys.readouterr().err
