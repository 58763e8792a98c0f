"""Vocabularies: the CSV files in ``ontology/vocab`` → ``Vocabulary`` (entries with their labels).

Extraction matches the labels; the RDF stage turns the entries into SKOS concepts that are also
instances of their ontology class. A malformed file raises ``VocabularyError`` naming file and line.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from poa_kg.errors import VocabularyError
from poa_kg.namespaces import VOCABULARY_KEY

# What each vocabulary file is, and which columns it must have.
FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "states": (
        "state",
        (
            "iso3",
            "m49",
            "pref_label",
            "alt_labels",
            "status",
            "un_group",
            "m49_region",
            "m49_subregion",
        ),
    ),
    "actors": (
        "actor",
        ("key", "class", "pref_label", "alt_labels", "acronyms", "parent", "wikidata"),
    ),
    "instruments": (
        "instrument",
        ("key", "class", "pref_label", "alt_labels", "acronyms", "symbol", "adopted_year"),
    ),
    "meetings": (
        "meeting",
        ("key", "class", "pref_label", "alt_labels", "ordinal", "status", "planned_year"),
    ),
    "themes": ("theme", ("key", "pref_label", "broader", "cue_phrases")),
    "verbs": ("verb", ("lemma", "forms", "level", "declaratory")),
    "levels": ("level", ("key", "notation", "pref_label")),
    "qualifiers": ("qualifier", ("key", "pref_label", "cue_phrases")),
    "addressees": ("addressee", ("key", "pref_label")),
    "issue-types": ("issue-type", ("key", "pref_label", "severity")),
    "rules": ("rule", ("key", "pref_label", "applies_to")),
}

ACTOR_CLASSES = frozenset(
    {
        "UNEntity",
        "InternationalOrganization",
        "RegionalOrganization",
        "NonGovernmentalOrganization",
        "NegotiatingGroup",
        "StakeholderGroup",
    }
)
INSTRUMENT_CLASSES = frozenset(
    {
        "Treaty",
        "PoliticallyBindingInstrument",
        "GeneralAssemblyResolution",
        "SecurityCouncilResolution",
        "SDGGoal",
        "SDGTarget",
        "SDGIndicator",
        "Agenda",
    }
)
MEETING_CLASSES = frozenset(
    {
        "UNConference",
        "ReviewConference",
        "BiennialMeeting",
        "PreparatoryCommittee",
        "ExpertMeeting",
        "WorkingGroup",
    }
)


@dataclass(frozen=True)
class Entry:
    """One row of a vocabulary: an entity (or concept) with the labels that name it."""

    kind: str
    key: str
    pref_label: str
    cls: str | None = None
    alt_labels: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()

    def get(self, name: str) -> str:
        """Value of another column ('' when absent or empty)."""
        return dict(self.fields).get(name, "")


@dataclass
class Vocabulary:
    """Every vocabulary, by kind and key."""

    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)

    def of(self, kind: str) -> dict[str, Entry]:
        return self.entries.get(kind, {})

    def get(self, kind: str, key: str) -> Entry | None:
        return self.entries.get(kind, {}).get(key)


def split_list(cell: str) -> tuple[str, ...]:
    """Items of a ``|``-separated cell, stripped, empty ones dropped."""
    return tuple(item.strip() for item in cell.split("|") if item.strip())


def load_vocabulary(directory: Path) -> Vocabulary:
    """Read every vocabulary CSV of ``directory``.

    Raises:
        VocabularyError: a file is missing, lacks a column, repeats a key or misstates a class.
    """
    vocabulary = Vocabulary()
    for name, (kind, columns) in FILES.items():
        path = directory / f"{name}.csv"
        vocabulary.files[kind] = path
        vocabulary.entries[kind] = _read(path, kind, columns)
    return vocabulary


def _read(path: Path, kind: str, columns: tuple[str, ...]) -> dict[str, Entry]:
    if not path.is_file():
        raise VocabularyError(path, 0, "vocabulary file missing")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            raise VocabularyError(path, 1, f"missing column(s): {', '.join(missing)}")
        entries: dict[str, Entry] = {}
        for row in reader:
            line = reader.line_num
            entry = _entry(path, line, kind, row)
            if entry.key in entries:
                raise VocabularyError(path, line, f"key {entry.key!r} repeated")
            entries[entry.key] = entry
    return entries


def _entry(path: Path, line: int, kind: str, row: dict[str, str]) -> Entry:
    values = {k: (v or "").strip() for k, v in row.items() if k is not None}
    key = values.get("iso3") or values.get("key") or values.get("lemma") or ""
    if kind == "state":
        if not re.fullmatch(r"[A-Z]{3}", key):
            raise VocabularyError(path, line, f"iso3 {key!r} is not three capital letters")
    elif kind == "verb":
        if not key:
            raise VocabularyError(path, line, "empty lemma")
    elif not VOCABULARY_KEY.fullmatch(key):
        raise VocabularyError(path, line, f"key {key!r} is not a slug (a-z, 0-9, '-')")
    pref = values.get("pref_label") or key
    cls = values.get("class") or None
    allowed = {"actor": ACTOR_CLASSES, "instrument": INSTRUMENT_CLASSES, "meeting": MEETING_CLASSES}
    if kind in allowed and cls not in allowed[kind]:
        raise VocabularyError(path, line, f"class {cls!r} is not one of {sorted(allowed[kind])}")
    return Entry(
        kind=kind,
        key=key,
        pref_label=pref,
        cls=cls,
        alt_labels=split_list(values.get("alt_labels", "")),
        acronyms=split_list(values.get("acronyms", "")),
        hidden_labels=split_list(values.get("cue_phrases", "") or values.get("forms", "")),
        fields=tuple(sorted(values.items())),
    )
