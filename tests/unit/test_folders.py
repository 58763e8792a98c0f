"""Folders published whole: the exchange keeps the target present at every instant, a run killed
between the fallback's two renames is undone, and only dead runs' staging folders are removed."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from poa_kg import folders


def _folder(path: Path, text: str) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "file.ttl").write_text(text, encoding="utf-8")
    return path


def test_replacing_keeps_the_target_present_throughout(tmp_path: Path) -> None:
    target = _folder(tmp_path / "turtle", "old")
    seen_missing = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if not (target / "file.ttl").exists():
                seen_missing.append(True)

    watcher = threading.Thread(target=watch)
    watcher.start()
    for round_number in range(50):
        staging = _folder(folders.staging_folder(target, "new"), f"new {round_number}")
        folders.replace_folder(staging, target)
    stop.set()
    watcher.join()
    assert (target / "file.ttl").read_text(encoding="utf-8") == "new 49"
    assert not seen_missing
    assert [p.name for p in tmp_path.iterdir()] == ["turtle"]


def test_recover_puts_the_old_folder_back(tmp_path: Path) -> None:
    target = tmp_path / "turtle"
    _folder(tmp_path / ".turtle.old-1-abc", "old")  # a run died between the two renames
    folders.recover(target)
    assert (target / "file.ttl").read_text(encoding="utf-8") == "old"


def test_only_staging_folders_of_dead_runs_are_removed(tmp_path: Path) -> None:
    target = _folder(tmp_path / "turtle", "current")
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = _folder(tmp_path / f".turtle.new-{finished.stdout.strip()}-abcd", "half")
    alive = folders.staging_folder(target, "new")
    assert folders.clean_leftovers(target) == [dead]
    assert alive.is_dir() and target.is_dir()
