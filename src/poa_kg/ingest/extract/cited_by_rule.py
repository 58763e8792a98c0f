"""Mentions found by rule rather than by label: resolutions cited by number, and meetings named
by their type and year.

Takes a unit (and, for meetings, the index ``meetings_by_year`` builds from the vocabulary);
gives ``Mention``s with the method ``rule``. Resolution keys are minted from the number
(``A-RES-72-55``, ``S-RES-1325``); a meeting is found only when exactly one of that type is
planned or held that year, else it is left to the unmatched-name report.
"""

from __future__ import annotations

import re
from collections import defaultdict

from poa_kg.ingest.extract.labels import normalise
from poa_kg.ingest.model import Mention, Unit
from poa_kg.ingest.vocab import Entry, Vocabulary

# "resolutions 56/24 V of 24 December 2001, 57/72 of 22 November 2002 and 58/241": every number
# of the list, past a section letter and an adoption date
_GA_ITEM = r"\d{2,3}/\d{1,3}(?:\s+[A-Z]{1,2}\b)?(?:\s+of\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4})?"
_GA_RESOLUTIONS = re.compile(
    rf"resolutions?\s+(?P<list>{_GA_ITEM}(?:(?:,\s*|,?\s+(?:and|as well as)\s+){_GA_ITEM})*)"
)
_GA_NUMBER = re.compile(r"(?<![\d/])(?P<session>\d{2,3})/(?P<number>\d{1,3})(?![\d/])")
# The span starts at "resolution": "Security Council" before it is a mention of the Council itself.
_SC_RESOLUTIONS = re.compile(
    r"Security\s+Council\s+(?P<span>resolutions?\s+(?P<number>\d{1,4})(?:\s*\((?P<year>\d{4})\))?)"
)
_MEETING_TYPES = {
    "biennial meeting of states": "BiennialMeeting",
    "review conference": "ReviewConference",
    "meeting of governmental experts": "ExpertMeeting",
    "working group": "WorkingGroup",
    "preparatory committee": "PreparatoryCommittee",
}
_TYPE = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in _MEETING_TYPES)
_MEETING_BY_YEAR = re.compile(
    rf"(?P<type>{_TYPE})[^.;—–]{{0,40}}?\b(?:in|for)\s+(?:early\s+|late\s+|mid-)?(?P<year>(?:19|20)\d{{2}})\b"
    rf"|(?P<year2>(?:19|20)\d{{2}})\s*[—–-]+\s*(?:[\w-]+\s+){{0,3}}?(?P<type2>{_TYPE})",
    re.IGNORECASE,
)

MeetingsByYear = dict[tuple[str, int], list[Entry]]
"""Meetings of the vocabulary by (class, year planned or held)."""


def meetings_by_year(vocabulary: Vocabulary) -> MeetingsByYear:
    index: MeetingsByYear = defaultdict(list)
    for entry in vocabulary.of("meeting").values():
        years = {entry.get(c) for c in ("planned_year", "held_year") if entry.get(c).isdigit()}
        for year in sorted(years):
            if entry.cls:
                index[(entry.cls, int(year))].append(entry)
    return index


def resolution_mentions(unit: Unit) -> list[Mention]:
    """Resolutions cited by number: every number of a General Assembly list, and Security
    Council resolutions from the word "resolution" on."""
    found: list[Mention] = []
    for match in _GA_RESOLUTIONS.finditer(unit.text):
        base = match.start("list")
        for number in _GA_NUMBER.finditer(match.group("list")):
            key = f"A-RES-{number.group('session')}-{number.group('number')}"
            start, end = base + number.start(), base + number.end()
            found.append(
                Mention(
                    unit,
                    "instrument",
                    key,
                    start,
                    end,
                    number.group(),
                    "rule",
                    rule="resolution-number",
                    cue=match.group(),
                )
            )
    for match in _SC_RESOLUTIONS.finditer(unit.text):
        key = f"S-RES-{match.group('number')}"
        found.append(
            Mention(
                unit,
                "instrument",
                key,
                match.start("span"),
                match.end("span"),
                match.group("span"),
                "rule",
                rule="resolution-number",
                cue=match.group(),
            )
        )
    return found


def meeting_mentions(unit: Unit, meetings: MeetingsByYear) -> list[Mention]:
    """Meetings named by type and year ("a biennial meeting of States in 2020")."""
    found: list[Mention] = []
    for match in _MEETING_BY_YEAR.finditer(unit.text):
        kind_text = match.group("type") or match.group("type2") or ""
        year = int(match.group("year") or match.group("year2") or 0)
        cls = _MEETING_TYPES[normalise(kind_text)]
        candidates = meetings.get((cls, year), [])
        if len(candidates) != 1:
            continue  # unknown or ambiguous: left to the unmatched-name report
        found.append(
            Mention(
                unit,
                "meeting",
                candidates[0].key,
                match.start(),
                match.end(),
                match.group(),
                "rule",
                rule="meeting-by-type-and-year",
                cue=match.group(),
            )
        )
    return found
