"""Votes: a report paragraph recording a vote → ``RecordedVote`` with every State's position.

The paragraph states the totals ("by a recorded vote of 63 to 2, with 28 abstentions") and owns
the lists ("In favour: …", "Against: …", "Abstaining: …"). Positions come from the State mentions
inside each list; every listed name that matches no State is reported, the stated totals are kept
apart from the counted ballots and a mismatch is reported. Absences are never inferred.

What was voted on: "paragraph 16 of section I of the draft outcome document (A/CONF.…)" or the
whole draft ("adopted the draft outcome document"); a draft named once stays the draft for the
later paragraphs of the same document.
"""

from __future__ import annotations

import re
from typing import Literal

from poa_kg.ingest.model import Mention, QualityIssue, RecordedVote, Unit, VotePosition

Option = Literal["yes", "no", "abstain"]

_NUMBERS = {
    "none": 0,
    "no": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_STATED = re.compile(
    r"recorded vote of (?P<yes>\w+) to (?P<no>\w+)(?:,? with (?P<abstain>\w+) abstentions?)?",
    re.IGNORECASE,
)
_LIST_HEADS: dict[str, Option] = {"in favour": "yes", "in favor": "yes", "against": "no"}
_LIST_HEADS.update({"abstaining": "abstain", "abstentions": "abstain", "abstain": "abstain"})
_HEAD = re.compile(r"\b(?P<head>In favou?r|Against|Abstaining|Abstentions|Abstain)\s*:", re.I)
_MOTION = re.compile(
    r"paragraph (?P<para>\d+) of section (?P<section>[IVXLC]+)"
    r"(?: of the draft outcome document)?(?:\s*\((?P<symbol>[A-Z]/[^)\s]+)\))?",
)
_WHOLE_DRAFT = re.compile(
    r"adopted the draft (?:outcome )?document(?:\s*\((?P<symbol>[A-Z]/[^)\s]+)\))?"
)
_SYMBOL = re.compile(r"\b[A-Z]/CONF\.[\w./-]*(?:CRP|L)\.[\w./-]*\w")


def _number(word: str | None) -> int | None:
    if word is None:
        return None
    word = word.lower()
    return int(word) if word.isdigit() else _NUMBERS.get(word)


def extract_votes(
    units: list[Unit], mentions: list[Mention], issues: list[QualityIssue]
) -> list[RecordedVote]:
    """Recorded votes of a document, in document order."""
    votes: list[RecordedVote] = []
    draft: str | None = None
    for unit in units:
        symbol = _SYMBOL.search(unit.text)
        if symbol is not None and "draft" in unit.text:
            draft = symbol.group()
        stated = _STATED.search(unit.text)
        if stated is None or unit.list_start is None:
            continue
        vote = RecordedVote(unit, {}, [], draft, None, None)
        for option in ("yes", "no", "abstain"):
            value = _number(stated.group(option))
            if value is not None:
                vote.stated[option] = value
        motion = _MOTION.search(unit.text)
        if motion is not None and motion.start() < stated.start():
            vote.motion_section, vote.motion_paragraph = (
                motion.group("section"),
                motion.group("para"),
            )
            vote.motion_document = motion.group("symbol") or draft
        vote.positions = _positions(unit, mentions, issues)
        _check(vote, issues)
        votes.append(vote)
    return votes


def _positions(
    unit: Unit, mentions: list[Mention], issues: list[QualityIssue]
) -> list[VotePosition]:
    assert unit.list_start is not None  # noqa: S101 - extract_votes only passes list owners
    heads = [h for h in _HEAD.finditer(unit.text) if h.start() >= unit.list_start]
    positions: list[VotePosition] = []
    for i, head in enumerate(heads):
        option = _LIST_HEADS[head.group("head").lower()]
        end = heads[i + 1].start() if i + 1 < len(heads) else len(unit.text)
        segment = unit.text[head.end() : end]
        listed = [m for m in mentions if m.unit is unit and m.kind == "state"]
        states = [m for m in listed if head.end() <= m.start < end]
        for mention in states:
            start, stop = unit.source_span(mention.start, mention.end)
            positions.append(VotePosition(mention.entity, option, start, stop))
        _report_unmatched(unit, head.end(), segment, states, issues)
    return positions


def _report_unmatched(
    unit: Unit, base: int, segment: str, states: list[Mention], issues: list[QualityIssue]
) -> None:
    """Every comma-separated name in a list that no State mention covers is reported."""
    for item in re.finditer(r"[^,.;]+(?:\([^)]*\))?[^,.;]*", segment):
        name = item.group().strip()
        name = re.sub(r"^and\s+", "", name)
        if not name or name.lower() == "none":
            continue
        start, end = base + item.start(), base + item.end()
        if any(start <= m.start < end for m in states):
            continue
        source_start, source_end = unit.source_span(start, end)
        issues.append(
            QualityIssue(
                "unmatched-name",
                "warning",
                f"{name!r} in a vote list matches no State",
                about=f"{unit.part}/{unit.eid}",
                start=source_start,
                end=source_end,
            )
        )


def _check(vote: RecordedVote, issues: list[QualityIssue]) -> None:
    counted = {option: 0 for option in ("yes", "no", "abstain")}
    for position in vote.positions:
        counted[position.option] += 1
    seen: dict[str, str] = {}
    for position in vote.positions:
        if position.state in seen:
            issues.append(
                QualityIssue(
                    "vote-mismatch",
                    "error",
                    f"{position.state} listed twice ({seen[position.state]}, {position.option})",
                    about=f"{vote.unit.part}/{vote.unit.eid}",
                )
            )
        seen[position.state] = position.option
    for option, stated in vote.stated.items():
        if counted[option] != stated:
            issues.append(
                QualityIssue(
                    "vote-mismatch",
                    "error",
                    f"{option}: the text states {stated}, the list names {counted[option]}",
                    about=f"{vote.unit.part}/{vote.unit.eid}",
                    start=vote.unit.start,
                    end=vote.unit.end,
                )
            )
