"""Whether ``data/turtle`` is what a build would write now: a stamp of the build's inputs.

Takes the settings; gives ``inputs_digest`` (sources, ontology and vocabularies, shapes, the
hand-labelled samples, and the package's own code, queries and data files), ``outputs_digest`` (the
published folder) and the stamp kept beside the store (``{store_dir}/../turtle.stamp``, outside the
repository's tracked files). ``up_to_date`` is True only when both digests match the stamp of the
last build: a changed source, vocabulary, shape or line of code, or a published folder edited or
checked out since, all mean building again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from poa_kg.config import Settings

_PACKAGE = Path(__file__).resolve().parents[1]
_CODE_SUFFIXES = (".py", ".rq", ".csv", ".ttl", ".toml")
_SAMPLE_FOLDERS = ("gold", "ga-gold", "themes")
"""Folders of the hand-labelled samples the build measures its accuracy on."""


def _digest(folders: list[Path], suffixes: tuple[str, ...] | None = None) -> str:
    """SHA-256 over every file below ``folders``: its path relative to its folder and bytes."""
    digest = hashlib.sha256()
    for folder in folders:
        if not folder.is_dir():
            digest.update(f"missing:{folder.name}".encode())
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts or (suffixes and path.suffix not in suffixes):
                continue
            digest.update(str(path.relative_to(folder)).encode() + b"\x00")
            digest.update(path.read_bytes() + b"\x00")
    return digest.hexdigest()


def inputs_digest(settings: Settings, sources_dir: Path | None = None) -> str:
    data = _digest(
        [sources_dir or settings.sources_dir, settings.ontology_dir, settings.shapes_dir]
    )
    samples = _digest([settings.gold_dir / d for d in _SAMPLE_FOLDERS], (".csv",))
    listed = settings.gold_dir / "samples.csv"
    if listed.is_file():
        samples += hashlib.sha256(listed.read_bytes()).hexdigest()
    code = _digest([_PACKAGE], _CODE_SUFFIXES)
    return hashlib.sha256(f"{data}:{samples}:{code}".encode()).hexdigest()


def outputs_digest(out_dir: Path) -> str:
    return _digest([out_dir])


def stamp_path(settings: Settings) -> Path:
    return settings.store_dir.parent / "turtle.stamp"


def up_to_date(settings: Settings, out_dir: Path, inputs: str) -> bool:
    stamp = stamp_path(settings)
    if not stamp.is_file() or not out_dir.is_dir():
        return False
    try:
        kept = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(
        kept.get("inputs") == inputs
        and kept.get("out_dir") == str(out_dir.resolve())
        and kept.get("outputs") == outputs_digest(out_dir)
    )


def record(settings: Settings, out_dir: Path, inputs: str) -> None:
    """Note what the build that just published ``out_dir`` was made from."""
    stamp = stamp_path(settings)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    kept = {"inputs": inputs, "out_dir": str(out_dir.resolve()), "outputs": outputs_digest(out_dir)}
    partial = stamp.with_suffix(".partial")
    partial.write_text(json.dumps(kept), encoding="utf-8")
    partial.replace(stamp)
