"""Parse the resolution genre: ``SourceText`` → ``Document``, through the layout stage.

A resolution of the General Assembly reads: a heading block (symbol, session, agenda item,
"Resolution adopted by the General Assembly on …", "[on the report of the First Committee
(A/63/389)]"), its number and title ("63/72. The illicit trade …"), "The General Assembly,",
then **preambular paragraphs** (unnumbered; each opens with a participle or adjective phrase:
"Recalling", "Emphasizing also", "Mindful of"; and ends with a comma), then **operative
paragraphs** (numbered 1…N, each opening with a verb in the third person and ending with a
semicolon, the last with a full stop), then the adoption line ("61st plenary meeting" and the date).

Rules, none of them per file:

- ``layout.analyse_layout`` sets aside furniture and footnotes and removes footnote markers first;
  this module never sees a page.
- A line starting "N." continues the operative numbering only when N is the next number (a number
  inside a sentence, or after a lettered item "(c)", is text of the current paragraph). A lettered
  item "(a) …" stays inside its paragraph's text.
- Before the first operative number, a new preambular paragraph starts on a line that opens with a
  capitalised lead word after a line ending with a comma; any other line continues the paragraph
  (wrapped lines are joined, never read as headings).
- Each footnote is attached to the paragraph and character position of its first marker.

Gives units ``recital_{n}`` (preambular, with their lead phrase) and ``para_{n}`` (operative) in
part ``main``; the facts the text states of itself (``Document.stated``); and a
``LayoutReport``. Raises ``ParseError`` when there is no "The General Assembly," line or no
operative paragraph.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from poa_kg.errors import ParseError
from poa_kg.ingest.layout import Layout, Line, analyse_layout, join_lines
from poa_kg.ingest.model import Document, Footnote, LayoutReport, QualityIssue, SourceText, Unit

_GA = re.compile(r"The General Assembly\s*,")
_NUMBERED = re.compile(r"(?P<n>\d{1,3})\.(?:\s+|$)")
_ADOPTION = re.compile(
    r"(?P<meeting>\d{1,3})(?:st|nd|rd|th)\s+plenary\s+meeting"
    r"(?:\s+(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+\d{4}))?"
)
_TITLE = re.compile(r"(?P<session>\d{2,3})/(?P<number>\d{1,4})\s*\.\s*")
_SYMBOL = re.compile(r"A/RES/\d{2,3}/\d{1,4}")
_AGENDA = re.compile(r"Agenda item (?P<item>\d{1,3}(?:\s*\([a-z]{1,3}\))?)")
_REPORT = re.compile(
    r"\[on the report of the (?P<committee>[A-Z][\w ]+?) \((?P<symbols>[^)\]]+)\)\]"
)
_ADOPTED = re.compile(
    r"adopted by the General Assembly\s+on\s+(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+\d{4})"
)
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_TERMINAL = ".;:,?!"
_CLOSERS = "\"')]’”"
# Lead words of preambular clauses that are not participles in -ing.
_ADJECTIVES = frozenset(
    {"mindful", "aware", "conscious", "cognizant", "convinced", "concerned", "determined"}
    | {"alarmed", "deeply", "gravely", "seriously", "encouraged", "guided", "persuaded"}
    | {"desirous", "fully", "keenly", "firmly", "further", "also", "reaffirming", "bearing"}
    | {"recalling", "noting", "taking", "having", "expressing", "stressing", "emphasizing"}
    | {"disturbed", "troubled", "pleased", "satisfied", "confident", "appreciative"}
    | {"committed", "resolved", "grateful", "cognisant", "affirming", "sharing", "acting"}
)
# Capitalised words in -ing that are names, not participles ("… adopted in\nBeijing,").
_NOT_PARTICIPLES = frozenset({"beijing", "nanjing", "kunming", "chongqing", "wyoming"})
_DATE_LINE = re.compile(r"\d{1,2}\s+[A-Z][a-z]+\s+\d{4}")
_LEAD = re.compile(
    r"(?P<word>[A-Z][a-z-]+)"
    r"(?P<adverb>\s+(?:also|further|again|once again|moreover))?"
    r"(?P<object>\s+(?:in mind|into account|into consideration|note))?"
    r"(?P<manner>\s+with\s+(?:deep\s+|great\s+|grave\s+|serious\s+|particular\s+)?"
    r"(?:satisfaction|appreciation|concern|interest|regret))?"
    r"(?P<of>\s+of)?\b"
)
_OPERATIVE_LEAD = re.compile(
    r"(?:(?:Also|Further|Again|Once again|Strongly|Firmly)\s+)?[A-Z]?[a-z-]+"
    r"(?:\s+(?:upon|note|its decision|to encourage|to urge|to request))?\b"
)


@dataclass
class _Block:
    kind: str  # "recital" or "paragraph"
    number: int | None
    lines: list[Line] = field(default_factory=list)


def is_resolution(source: SourceText) -> bool:
    """True when the metadata says so, or the text has the line "The General Assembly,"."""
    if source.metadata.kind == "resolution":
        return True
    return any(_GA.fullmatch(line.strip()) for line in source.text.splitlines()[:200])


def parse_resolution(source: SourceText) -> Document:
    """Parse a General Assembly resolution into preambular and operative units.

    Raises:
        ParseError: no "The General Assembly," line, or no numbered operative paragraph.
    """
    layout = analyse_layout(source.text)
    lines = layout.lines
    opening = next((i for i, line in enumerate(lines) if _GA.fullmatch(line.text)), None)
    if opening is None:
        raise ParseError(source.path, "no line 'The General Assembly,': not a resolution")
    closing = next(
        (i for i in range(opening + 1, len(lines)) if _ADOPTION.match(lines[i].text)), len(lines)
    )
    issues: list[QualityIssue] = []
    blocks = _blocks(lines[opening + 1 : closing], issues)
    if not any(b.kind == "paragraph" for b in blocks):
        raise ParseError(source.path, "no numbered operative paragraph after the preamble")
    units = _units(blocks, issues)
    footnotes = _attach_footnotes(layout, units, issues)
    stated, title = _stated(layout, lines[:opening], lines[closing : closing + 2])
    after = closing + (
        2 if closing + 1 < len(lines) and _DATE_LINE.fullmatch(lines[closing + 1].text) else 1
    )
    if after < len(lines):  # an annex, say: kept out of the units, never dropped silently
        rest = lines[after:]
        issues.append(
            QualityIssue(
                "unparsed-text",
                "warning",
                f"{len(rest)} line(s) after the adoption line not read as paragraphs, from "
                f"{rest[0].text[:60]!r}",
                start=rest[0].offsets[0],
                end=rest[-1].offsets[-1] + 1,
            )
        )
    numbers = [int(u.number) for u in units if u.number]
    expected = max(numbers) + sum(1 for u in units if u.kind == "recital")
    for gap in sorted(set(range(1, max(numbers) + 1)) - set(numbers)):
        issues.append(QualityIssue("numbering-gap", "warning", f"paragraph {gap} not found"))
    issues += _layout_issues(layout)
    report = LayoutReport(
        pages=layout.pages,
        removed=dict(sorted(layout.counts.items())),
        footnotes=len(footnotes),
        footnotes_attached=sum(1 for f in footnotes if f.unit is not None),
        joined_lines=sum(max(0, len(b.lines) - 1) for b in blocks),
        moved_numbers=len(layout.moved_numbers),
        paragraphs_expected=expected,
        paragraphs_found=len(units),
    )
    return Document(
        source, {"main": [title] if title else []}, [], units, issues, footnotes, report, stated
    )


# ---------------------------------------------------------------------- paragraphs
def _blocks(lines: list[Line], issues: list[QualityIssue]) -> list[_Block]:
    blocks: list[_Block] = []
    expected = 1
    for line in lines:
        numbered = _NUMBERED.match(line.text)
        if numbered is not None and int(numbered.group("n")) == expected:
            block = _Block("paragraph", expected)
            rest = line.text[numbered.end() :]
            if rest:
                block.lines.append(Line(rest, line.offsets[numbered.end() :], line.page))
            blocks.append(block)
            expected += 1
            continue
        current = blocks[-1] if blocks else None
        if current is None or (current.kind == "recital" and _opens_recital(current, line)):
            blocks.append(_Block("recital", None, [line]))
        else:
            current.lines.append(line)
    return blocks


def _opens_recital(current: _Block, line: Line) -> bool:
    """A new preambular paragraph: the last one ended with a comma, and this one opens with a
    capitalised participle or one of the usual adjectives."""
    if not current.lines:
        return True
    ended = current.lines[-1].text.rstrip(_CLOSERS + " ")[-1:] in ",;"
    word = re.match(r"[A-Z][a-z-]+", line.text)
    if not ended or word is None:
        return False
    lower = word.group().lower()
    if lower in _NOT_PARTICIPLES:
        return False
    return lower.endswith("ing") or lower in _ADJECTIVES


def _units(blocks: list[_Block], issues: list[QualityIssue]) -> list[Unit]:
    units: list[Unit] = []
    recitals = 0
    for order, block in enumerate(blocks, start=1):
        text, offsets = join_lines(block.lines)
        if not text:
            issues.append(
                QualityIssue("truncated", "warning", f"paragraph {block.number} has no text")
            )
            continue
        if block.kind == "recital":
            recitals += 1
            eid, number, style = f"recital_{recitals}", None, "unnumbered"
            lead = _LEAD.match(text)
            phrase = _lead_phrase(lead) if lead else None
        else:
            eid, number, style = f"para_{block.number}", str(block.number), "arabic"
            operative = _OPERATIVE_LEAD.match(text)
            phrase = operative.group() if operative else None
        unit = Unit(
            eid=eid,
            part="main",
            kind="recital" if block.kind == "recital" else "paragraph",
            style=style,  # type: ignore[arg-type]
            number=number,
            text=text,
            offsets=offsets,
            start=offsets[0],
            end=offsets[-1] + 1,
            section=None,
            order=order,
            lead_phrase=phrase,
        )
        units.append(unit)
        stripped = text.rstrip(_CLOSERS + " ")
        if stripped[-1:] not in _TERMINAL:
            unit.truncated = True
            issues.append(
                QualityIssue(
                    "truncated",
                    "warning",
                    f"text ends without terminal punctuation: …{stripped[-40:]!r}",
                    about=f"main/{eid}",
                    start=unit.start,
                    end=unit.end,
                )
            )
    return units


def _lead_phrase(match: re.Match[str]) -> str:
    word = match.group("word")
    phrase = word + (match.group("adverb") or "") + (match.group("object") or "")
    phrase += match.group("manner") or ""
    if match.group("of") and not word.lower().endswith("ing"):
        phrase += match.group("of")
    return " ".join(phrase.split())


# ---------------------------------------------------------------------- footnotes
def _attach_footnotes(
    layout: Layout, units: list[Unit], issues: list[QualityIssue]
) -> list[Footnote]:
    starts = [u.start for u in units]
    by_number = {f.number: f for f in layout.footnotes}
    for marker in layout.markers:
        index = bisect.bisect_right(starts, marker.start) - 1
        note = by_number.get(marker.number)
        if index < 0 or note is None:
            continue
        unit = units[index]
        if marker.number not in unit.footnotes:
            unit.footnotes.append(marker.number)
        if note.unit is None:
            note.unit = f"{unit.part}/{unit.eid}"
            note.marker = marker.start
            note.at = bisect.bisect_left(unit.offsets, marker.start)
    for note in layout.footnotes:
        if note.unit is None:
            issues.append(
                QualityIssue(
                    "unattached-footnote",
                    "warning",
                    f"footnote {note.number} has no marker in any paragraph",
                    start=note.start,
                    end=note.end,
                )
            )
    return layout.footnotes


# ---------------------------------------------------------------------- stated facts
def _stated(layout: Layout, front: list[Line], adoption: list[Line]) -> tuple[dict[str, str], str]:
    """What the heading block and the adoption line state, and the title."""
    stated: dict[str, str] = {}
    head, _ = join_lines(front)
    symbol = next((s.text for s in layout.set_aside if _SYMBOL.fullmatch(s.text)), None)
    symbol = symbol or (m.group() if (m := _SYMBOL.search(head)) else None)
    if symbol:
        stated["symbol"] = symbol
        stated["session"] = symbol.split("/")[2]
    if (agenda := _AGENDA.search(head)) is not None:
        stated["agenda_item"] = " ".join(agenda.group("item").split())
    if (report := _REPORT.search(head)) is not None:
        stated["committee"] = report.group("committee")
        stated["committee_report"] = " ".join(report.group("symbols").split())
    if (adopted := _ADOPTED.search(head)) is not None:
        stated["date"] = _iso(adopted.group("date"))
    closing, _ = join_lines(adoption)
    if (meeting := _ADOPTION.match(closing)) is not None:
        stated["plenary_meeting"] = meeting.group("meeting")
        if meeting.group("date"):
            stated.setdefault("date", _iso(meeting.group("date")))
    title = ""
    for i, line in enumerate(front):
        number = _TITLE.match(line.text)
        if number is not None:
            title_lines = [Line(line.text[number.end() :], [], line.page), *front[i + 1 :]]
            title = " ".join(" ".join(t.text for t in title_lines).split())
            break
    return stated, title


def _iso(date: str) -> str:
    day, month, year = date.split()
    return f"{year}-{_MONTHS.index(month) + 1:02d}-{int(day):02d}"


# ---------------------------------------------------------------------- report
_FURNITURE_KINDS = frozenset(
    {"running symbol", "running title", "page number", "job number", "barcode", "date stamp"}
    | {"recycling mark", "anchor debris", "footnote rule"}
)


def _layout_issues(layout: Layout) -> list[QualityIssue]:
    issues = [
        QualityIssue(
            "removed-page-furniture",
            "info",
            f"page {item.page}: {item.kind} set aside: {item.text[:80]!r}",
            start=item.start,
            end=item.end,
        )
        for item in layout.set_aside
        if item.kind in _FURNITURE_KINDS
    ]
    issues += [
        QualityIssue(
            "layout-doubt",
            "warning",
            f"page {item.page}: {item.kind}: {item.text[:80]!r}",
            start=item.start,
            end=item.end,
        )
        for item in layout.doubts
    ]
    return issues
