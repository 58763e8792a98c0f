"""Layout: a paged plain text (``pdftotext`` output of a printed document) → ``Layout``.

Takes the source text exactly as stored and separates *where a line sits on the page* from *what
it says*. It gives the body lines in reading order (every character with its source offset) and
sets aside, each with its source span and kind, everything that is not body text:

- page furniture: the running symbol (``A/RES/63/72``) and running title, page numbers (``2``,
  ``3/5``), job numbers (``08-47511``, ``19-21859 (E)``), date stamps (``141217``), barcodes
  (``*1721743*``), "Please recycle" and ``♲``, and the Word anchor debris on lines of their own
  (``0F``, ``1H``);
- footnotes: the block after a line of underscores at a page end. Its numbers may stand on their
  own lines and out of order; they are given to the footnote texts in the order of the texts.
  Each becomes a ``Footnote`` with its number and text;
- footnote markers in the body ("Aspects1 in", "this regard,2", "Aspects, 1"): dropped from the
  body lines, their positions kept so the parser can attach each footnote to its paragraph;
- a paragraph number printed after the first line of its paragraph ("Calls upon …\\n4.\\n…") is
  put back before that line.

Pages are delimited by form feeds (U+000C); without form feeds the text is one page. A line is
body text unless a rule above claims it: nothing is dropped silently — every set-aside line is in
``Layout.set_aside`` and counted in ``Layout.counts``. Lines are not joined here: which line
break ends a paragraph depends on the genre, so the parser joins them (``join_lines``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from poa_kg.ingest.layout.elements import (
    _BARE_NUMBER,
    _CLOSERS,
    _TERMINAL,
    Line,
    Marker,
    SetAside,
    _aside,
    _Raw,
)
from poa_kg.ingest.layout.notes import _body_lines, _footnotes
from poa_kg.ingest.model import Footnote

_RULE = re.compile(r"_{5,}")
_SYMBOL = re.compile(r"[A-Z]{1,2}/(?:RES/|CONF\.|AC\.)?[A-Z0-9][A-Za-z0-9./()\-]*")
_JOB = re.compile(r"\d{2}[- ]\d{5}(?:\s*\([A-Z]\))?")
_STAMP = re.compile(r"\d{6}")
_BARCODE = re.compile(r"\*\d{6,}\*")
_RECYCLE = re.compile(r"Please\s*rec\s*y?\s*cle|♲")
_ANCHOR = re.compile(r"\d{1,2}[FH]")
_PAGE_OF = re.compile(r"(?P<page>\d{1,3})\s*/\s*(?P<of>\d{1,3})")
_NUMBER_ALONE = re.compile(r"\d{1,3}\.")
_HEAD_LINES, _TAIL_LINES = 3, 6
_HEADING_LINES = 25  # the heading block of a first page: symbol, session, agenda item, title


@dataclass
class Layout:
    """What the layout stage gives the parser: body lines, footnotes, and what it set aside."""

    lines: list[Line]
    footnotes: list[Footnote]
    markers: list[Marker]
    set_aside: list[SetAside]
    pages: int
    moved_numbers: list[int] = field(default_factory=list)
    """Source offsets of paragraph numbers put back before the first line of their paragraph."""
    doubts: list[SetAside] = field(default_factory=list)
    """Lines the stage could not explain (kept out of the body, reported as warnings)."""
    reordered: list[int] = field(default_factory=list)
    """Source offsets of scattered fragments of a justified line put back where they belong."""

    @property
    def counts(self) -> Counter[str]:
        """Set-aside elements by kind, markers and moved numbers included."""
        counts = Counter(item.kind for item in self.set_aside)
        counts["footnote marker"] = len(self.markers)
        counts["moved paragraph number"] = len(self.moved_numbers)
        counts["reordered line fragment"] = len(self.reordered)
        return +counts


def analyse_layout(text: str) -> Layout:
    """Separate the body of a paged text from its furniture and footnotes."""
    pages = _pages(text)
    running = _running_lines(pages)
    body: list[_Raw] = []
    set_aside: list[SetAside] = []
    doubts: list[SetAside] = []
    zones: list[tuple[int, list[_Raw]]] = []
    for number, page in enumerate(pages, start=1):
        in_notes = False
        zone: list[_Raw] = []
        for raw in page:
            stripped = raw.text.strip()
            if _RULE.fullmatch(stripped):
                in_notes = True
                zone = []
                zones.append((number, zone))
                set_aside.append(_aside("footnote rule", raw))
                continue
            kind = _furniture(stripped, raw, running, len(pages), in_notes)
            if kind is not None:
                set_aside.append(_aside(kind, raw))
            elif in_notes:
                zone.append(raw)
            else:
                body.append(raw)
    footnotes: list[Footnote] = []
    for page_number, zone in zones:
        footnotes += _footnotes(zone, page_number, len(footnotes) + 1, set_aside, doubts)
    numbers = {f.number for f in footnotes}
    lines, markers = _body_lines(body, numbers)
    moved = _restore_numbers(lines)
    reordered = _restore_scattered(lines)
    return Layout(lines, footnotes, markers, set_aside, len(pages), moved, doubts, reordered)


def join_lines(lines: list[Line]) -> tuple[str, list[int]]:
    """Join wrapped lines with one space; a line-end hyphen is kept and joined without one."""
    text = ""
    offsets: list[int] = []
    for line in lines:
        if not line.text:
            continue
        if text and not text.endswith("-"):
            text += " "
            offsets.append(offsets[-1] + 1)
        text += line.text
        offsets.extend(line.offsets)
    return text, offsets


# ---------------------------------------------------------------------- pages
def _pages(text: str) -> list[list[_Raw]]:
    pages: list[list[_Raw]] = []
    position = 0
    for number, chunk in enumerate(text.split("\f"), start=1):
        raws: list[_Raw] = []
        offset = position
        pieces = chunk.split("\n")
        for i, piece in enumerate(pieces):
            if piece.strip():
                isolated = 0 < i < len(pieces) - 1
                isolated = isolated and not pieces[i - 1].strip() and not pieces[i + 1].strip()
                raws.append(_Raw(piece.rstrip("\r"), offset, number, len(raws), 0, isolated))
            offset += len(piece) + 1
        pages.append(raws)
        position += len(chunk) + 1
    if len(pages) == 1:
        pages = _split_at_running_symbol(pages[0])
    for number, page in enumerate(pages, start=1):
        for index, raw in enumerate(page):
            raw.page, raw.index, raw.last = number, index, len(page)
    return pages


def _split_at_running_symbol(lines: list[_Raw]) -> list[list[_Raw]]:
    """Pages of a text without form feeds: a new page starts at each repetition of the symbol
    printed at the head of every page."""
    symbols = Counter(
        raw.text.strip()
        for raw in lines
        if _SYMBOL.fullmatch(raw.text.strip()) and raw.text.strip()[-1] != "."
    )
    if not symbols:
        return [lines]
    symbol, count = symbols.most_common(1)[0]
    if count < 2:
        return [lines]
    pages: list[list[_Raw]] = [[]]
    seen = False
    for raw in lines:
        if raw.text.strip() == symbol:
            if seen:
                pages.append([])
            seen = True
        pages[-1].append(raw)
    return pages


def _running_lines(pages: list[list[_Raw]]) -> set[str]:
    """Lines printed at the head or foot of several pages (the running title), or anywhere
    on them when the line is also in the heading block of the first page (pages found without
    form feeds put the running title where the next page's symbol cut them)."""
    heading = {r.text.strip() for r in pages[0][:_HEADING_LINES]} if pages else set()
    seen: Counter[str] = Counter()
    for page in pages[1:]:
        zone = [  # every occurrence: without form feeds a page may carry two
            r.text.strip()
            for r in page
            if r.index < _HEAD_LINES or r.last - r.index <= 2 or r.text.strip() in heading
        ]
        seen.update(z for z in zone if len(z) >= 15 and z[-1] not in _TERMINAL)
    least = max(2, (len(pages) - 1) // 2 + 1)
    return {line for line, count in seen.items() if count >= least}


def _furniture(
    stripped: str, raw: _Raw, running: set[str], pages: int, in_notes: bool
) -> str | None:
    at_edge = raw.index < _HEAD_LINES or raw.last - raw.index <= _TAIL_LINES
    symbol = _SYMBOL.fullmatch(stripped) is not None and stripped[-1] != "."
    if symbol and not in_notes and (raw.page > 1 or at_edge):
        return "running symbol"
    if stripped in running and raw.page > 1:
        return "running title"
    page_of = _PAGE_OF.fullmatch(stripped)
    if page_of and int(page_of.group("page")) == raw.page and int(page_of.group("of")) == pages:
        return "page number"
    if _JOB.fullmatch(stripped):
        return "job number"
    if _BARCODE.fullmatch(stripped):
        return "barcode"
    if _STAMP.fullmatch(stripped):
        return "date stamp"
    if _RECYCLE.fullmatch(stripped):
        return "recycling mark"
    if _ANCHOR.fullmatch(stripped):
        return "anchor debris"
    if (
        not in_notes
        and _BARE_NUMBER.fullmatch(stripped)
        and int(stripped) == raw.page
        and raw.last - raw.index <= 2
        and raw.page > 1
    ):
        return "page number"
    return None


def _restore_numbers(lines: list[Line]) -> list[int]:
    """Put a paragraph number printed after its paragraph's first line back before that line."""
    moved: list[int] = []
    for i in range(1, len(lines)):
        line = lines[i]
        if not _NUMBER_ALONE.fullmatch(line.text):
            continue
        previous = lines[i - 1]
        before = lines[i - 2] if i >= 2 else None
        opens = previous.text[:1].isupper() and not _NUMBER_ALONE.fullmatch(previous.text)
        unfinished = previous.text.rstrip(_CLOSERS)[-1:] not in _TERMINAL
        after_end = before is None or before.text.rstrip(_CLOSERS)[-1:] in _TERMINAL
        if opens and unfinished and after_end:
            lines[i - 1], lines[i] = line, previous
            moved.append(line.offsets[0])
    return moved


def _restore_scattered(lines: list[Line]) -> list[int]:
    """Put back the words of a justified line that the conversion printed one per line, each
    between blank lines, after the next line ("the importance\nimplementation of …,\n\nof
    regional\n\napproaches\n\nto\n\nthe"): they belong between the line they were cut from
    (which does not end a sentence) and the line that continues it in lower case."""
    moved: list[int] = []
    i = 2
    while i < len(lines):
        run = i
        while (
            run < len(lines)
            and lines[run].isolated
            and len(lines[run].text.split()) <= 3
            and lines[run].text.rstrip(_CLOSERS)[-1:] not in _TERMINAL
        ):
            run += 1
        first, second = lines[i - 2], lines[i - 1]
        if (
            run - i >= 2
            and first.text.rstrip(_CLOSERS)[-1:] not in _TERMINAL
            and second.text[:1].islower()
            and second.text.rstrip(_CLOSERS)[-1:] in _TERMINAL
        ):
            fragments = lines[i:run]
            lines[i - 1 : run] = [*fragments, second]
            moved += [f.offsets[0] for f in fragments]
            i = run
        i += 1
    return moved


__all__ = ["Layout", "Line", "Marker", "SetAside", "analyse_layout", "join_lines"]
