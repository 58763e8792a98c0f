"""Sources: find documents in ``data/sources`` and read them → ``SourceText``.

A document is ``{id}.txt`` plus ``{id}.toml``. Text is decoded strictly (UTF-8 unless the metadata
names another encoding); invalid bytes, binary or empty files and bad metadata raise
``SourceError`` naming the file, line and column.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

from poa_kg.errors import SourceError
from poa_kg.ingest.model import DocumentMetadata, SourceText
from poa_kg.namespaces import DOCUMENT_KEY

KINDS = ("report", "outline", "draft-outcome", "outcome", "resolution")
_DATE = re.compile(r"\d{4}(-\d{2}-\d{2})?")
_LANGUAGE = re.compile(r"[a-z]{2}")
"""ISO 639-1: the graph names the language by the Library of Congress's IRI for the code."""
_REQUIRED = ("id", "title", "kind", "date", "language")
# Optional fields and their TOML types. ``meeting``, ``committee`` and ``adopted_by`` are keys of
# vocabulary entries; the build checks that they name one (``check_references``).
_OPTIONAL: dict[str, type] = {
    "meeting": str,
    "symbol": str,
    "symbol_source": str,
    "encoding": str,
    "session": int,
    "plenary_meeting": int,
    "agenda_item": str,
    "committee": str,
    "committee_report": str,
    "adopted_by": str,
}
REFERENCES = {"meeting": "meeting", "committee": "actor", "adopted_by": "actor"}
"""Metadata fields whose value is the key of a vocabulary entry, and the entry's kind."""


def find_sources(directory: Path) -> list[Path]:
    """The ``.txt`` files of a sources directory, sorted by name.

    Raises:
        SourceError: the directory does not exist or holds no ``.txt`` file.
    """
    if not directory.is_dir():
        raise SourceError(directory, "not a directory of source documents")
    texts = sorted(directory.glob("*.txt"))
    if not texts:
        raise SourceError(directory, "no source documents (*.txt) found")
    return texts


def read_metadata(path: Path) -> DocumentMetadata:
    """Read and check the ``.toml`` metadata of a document.

    Raises:
        SourceError: the file is missing, is not TOML, or lacks or misstates a field.
    """
    if not path.is_file():
        raise SourceError(path, "metadata file missing (every {id}.txt needs an {id}.toml)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        raise SourceError(path, f"not UTF-8: {err.reason}") from err
    except tomllib.TOMLDecodeError as err:
        raise SourceError(path, f"not valid TOML: {err}") from err
    text = path.read_text(encoding="utf-8")
    missing = [name for name in _REQUIRED if not isinstance(data.get(name), str) or not data[name]]
    if missing:
        raise SourceError(path, f"missing or empty field(s): {', '.join(missing)}")
    for name, kind in _OPTIONAL.items():
        if name in data and (not isinstance(data[name], kind) or isinstance(data[name], bool)):
            raise SourceError(
                path,
                f"field {name!r} must be {'an integer' if kind is int else 'a string'}",
                field_line(text, name),
            )
    if data["id"] != path.stem:
        raise SourceError(path, f"id {data['id']!r} differs from the file name {path.stem!r}")
    if not DOCUMENT_KEY.fullmatch(data["id"]):
        raise SourceError(path, f"id {data['id']!r} must be lower-case letters, digits and '-'")
    if data["kind"] not in KINDS:
        raise SourceError(path, f"kind {data['kind']!r} is not one of {', '.join(KINDS)}")
    if not _LANGUAGE.fullmatch(data["language"]):
        raise SourceError(
            path,
            f'language {data["language"]!r} must be a two-letter ISO 639-1 code such as "en"',
            field_line(text, "language"),
        )
    if not _DATE.fullmatch(data["date"]):
        raise SourceError(path, f"date {data['date']!r} must be YYYY or YYYY-MM-DD")
    if "symbol" in data and "symbol_source" not in data:
        raise SourceError(path, "symbol given without symbol_source (where is it stated?)")
    unknown = sorted(set(data) - {*_REQUIRED, *_OPTIONAL})
    if unknown:
        raise SourceError(
            path, f"unknown field(s): {', '.join(unknown)}", field_line(text, unknown[0])
        )
    return DocumentMetadata(**data)


def field_line(text: str, name: str) -> int | None:
    """1-based line of ``name = …`` in a TOML text, if it is there."""
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(name)}\s*=", line):
            return number
    return None


def check_references(metadata: DocumentMetadata, path: Path, known: dict[str, set[str]]) -> None:
    """Every metadata field that names a vocabulary entry names one that exists.

    ``known`` maps an entry kind (``meeting``, ``actor``) to its keys.

    Raises:
        SourceError: naming the ``.toml`` file, the line and the field.
    """
    for name, kind in REFERENCES.items():
        value = getattr(metadata, name)
        if value is not None and value not in known.get(kind, set()):
            raise SourceError(
                path,
                f"field {name!r}: {value!r} names no {kind} in ontology/vocab/{kind}s.csv",
                field_line(path.read_text(encoding="utf-8"), name),
            )


def read_source(path: Path) -> SourceText:
    """Read a source text and its metadata.

    Raises:
        SourceError: unreadable, empty, binary or wrongly encoded text, or bad metadata.
    """
    metadata = read_metadata(path.with_suffix(".toml"))
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise SourceError(path, f"cannot read: {err.strerror}") from err
    if not raw.strip():
        raise SourceError(path, "empty file")
    if b"\x00" in raw:
        line, column = _position(raw, raw.index(b"\x00"))
        raise SourceError(path, "binary file (NUL byte), not text", line, column)
    try:
        text = raw.decode(metadata.encoding)
    except UnicodeDecodeError as err:
        line, column = _position(raw, err.start)
        raise SourceError(
            path, f"invalid {metadata.encoding} byte 0x{raw[err.start]:02x}", line, column
        ) from err
    except LookupError as err:
        raise SourceError(path, f"unknown encoding {metadata.encoding!r} in metadata") from err
    return SourceText(path, text, metadata, hashlib.sha256(raw).hexdigest())


def _position(raw: bytes, index: int) -> tuple[int, int]:
    """1-based line and column (in characters of the valid prefix) of a byte offset."""
    before = raw[:index]
    line = before.count(b"\n") + 1
    last_line = before[before.rfind(b"\n") + 1 :]
    return line, len(last_line.decode("utf-8", errors="replace")) + 1
