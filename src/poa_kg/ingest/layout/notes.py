"""Footnotes of a paged text: the blocks after a line of underscores → ``Footnote``s, and the
markers in the body lines → ``Marker``s (removed from the text, kept by position).

Footnote numbers may stand on their own lines, out of order, beside the page number; they are
given to the footnote texts in the order of the texts, the texts split or merged to the numbers
printed. A marker is a number glued to a word or closing punctuation ("Aspects1", "regard,2") or
spaced after one ("Aspects, 1"), that names a footnote of the text, is not governed by a word that
takes a number ("resolution 60/81", "Goal 16", "2 December") and, when it is a new footnote's,
comes next in sequence.
"""

from __future__ import annotations

import re

from poa_kg.ingest.layout.elements import (
    _BARE_NUMBER,
    _CLOSERS,
    Line,
    Marker,
    SetAside,
    _aside,
    _Raw,
)
from poa_kg.ingest.model import Footnote

_INLINE_NOTE = re.compile(r"(?P<n>\d{1,3})\s+(?=\S)")
# A number glued to a word or closing punctuation ("Aspects1", "regard,2", "Instrument)2"), or
# spaced after one ("Aspects, 1", "Instrument) 2"), followed by a space, punctuation or line end.
_MARKER = re.compile(
    r"(?P<space> ?)(?<![\d/.\-])(?P<n>\d{1,2})(?=$|[\s,;:.)](?!\d))",
)
# Words after which a number is part of the sentence, not a footnote marker.
_NUMBER_WORDS = frozenset(
    {"resolution", "resolutions", "paragraph", "paragraphs", "para", "paras", "item", "items"}
    | {"goal", "goals", "target", "targets", "chapter", "chap", "section", "sect", "annex"}
    | {"annexes", "article", "articles", "no", "nos", "decision", "of", "from", "to", "and", "in"}
    | {"on", "by", "the", "until", "between", "supplement", "corr", "rev", "add", "part", "vol"}
    | {"rule", "rules", "principle", "table", "figure", "page", "pages", "p", "pp", "or", "than"}
    | {"indicator", "at", "under", "over", "about", "some", "all", "with", "per"}
)
_MONTHS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september"}
    | {"october", "november", "december", "per", "percent", "%", "years", "days", "weeks"}
    | {"months", "hours", "states", "members", "countries", "times"}
)


# ---------------------------------------------------------------------- footnotes
def _footnotes(
    zone: list[_Raw],
    page: int,
    first: int,
    set_aside: list[SetAside],
    doubts: list[SetAside],
) -> list[Footnote]:
    """The footnotes of one page: texts in order, given the numbers printed around them."""
    numbers: list[tuple[int, _Raw]] = []
    entries: list[list[tuple[str, int]]] = []
    for raw in zone:
        stripped = raw.text.strip()
        start = raw.start + raw.text.index(stripped[0])
        if _BARE_NUMBER.fullmatch(stripped):
            numbers.append((int(stripped), raw))
            continue
        inline = _INLINE_NOTE.match(stripped)
        if inline is not None and int(inline.group("n")) == first + len(entries):
            numbers.append((int(inline.group("n")), raw))
            stripped, start = stripped[inline.end() :], start + inline.end()
            entries.append([(stripped, start)])
            continue
        if entries and entries[-1][-1][0].rstrip(_CLOSERS)[-1:] != ".":
            entries[-1].append((stripped, start))
        else:
            entries.append([(stripped, start)])
    pool = [n for n, _raw in numbers]
    run = 0
    while first + run in pool:
        run += 1
    entries = _reconcile(entries, run)
    expected = list(range(first, first + len(entries)))
    if all(pool.count(n) >= expected.count(n) for n in set(expected)):
        assigned = expected
    else:  # numbers that do not continue the sequence: give them in ascending order
        assigned = sorted(pool)[: len(entries)]
    for n in assigned:
        pool.remove(n)
    for n, raw in numbers:
        if n in pool:
            pool.remove(n)
            item = _aside("page number", raw)
            if n != page:
                item.kind = "unexplained number in footnotes"
                doubts.append(item)
            set_aside.append(item)
    notes = []
    for number, entry in zip(assigned, entries, strict=False):
        text = " ".join(" ".join(t.split()) for t, _ in entry)
        start, last = entry[0][1], entry[-1]
        notes.append(Footnote(str(number), text, start, last[1] + len(last[0]), page))
        for t, s in entry:
            set_aside.append(SetAside("footnote", t, s, s + len(t), page))
    for entry in entries[len(assigned) :]:  # a footnote text no printed number goes with
        for t, s in entry:
            item = SetAside("footnote text without a number", t, s, s + len(t), page)
            set_aside.append(item)
            doubts.append(item)
    return notes


_NOTE_OPENER = re.compile(
    r"(?:See |Ibid|Official Records|Resolution |Report |United Nations|General Assembly|Security "
    r"Council|Available|Adopted|[A-Z]{1,2}/)"
)


def _reconcile(entries: list[list[tuple[str, int]]], wanted: int) -> list[list[tuple[str, int]]]:
    """Footnote texts split or merged to the number of footnote numbers printed: a text that
    does not end with a full stop is split where a line opens like a footnote ("See …",
    "A/60/88 …"); a text cut after a full stop is merged with a piece that opens in lower case."""
    entries = [list(entry) for entry in entries]
    while 0 < len(entries) < wanted:
        cut = next(
            (
                (i, j)
                for i, entry in enumerate(entries)
                for j in range(1, len(entry))
                if _NOTE_OPENER.match(entry[j][0])
            ),
            None,
        )
        if cut is None:
            break
        i, j = cut
        entries[i : i + 1] = [entries[i][:j], entries[i][j:]]
    while len(entries) > max(wanted, 1):
        join = next((i for i in range(1, len(entries)) if entries[i][0][0][:1].islower()), None)
        if join is None:
            break
        entries[join - 1 : join + 1] = [entries[join - 1] + entries[join]]
    return entries


# ---------------------------------------------------------------------- body
def _body_lines(body: list[_Raw], numbers: set[str]) -> tuple[list[Line], list[Marker]]:
    """Body lines with whitespace collapsed and footnote markers removed."""
    lines: list[Line] = []
    markers: list[Marker] = []
    defined: set[str] = set()
    for raw in body:
        chars: list[str] = []
        offsets: list[int] = []
        for i, char in enumerate(raw.text):
            if char.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    offsets.append(raw.start + i)
                continue
            chars.append(char)
            offsets.append(raw.start + i)
        while chars and chars[-1] == " ":
            chars.pop()
            offsets.pop()
        text = "".join(chars)
        found = [
            m
            for m in _MARKER.finditer(text)
            if m.group("n") in numbers and _is_marker(text, m, m.group("n"), defined)
        ]
        for match in reversed(found):
            n = match.group("n")
            begin = match.start() if match.group("space") else match.start("n")
            markers.append(Marker(n, offsets[match.start("n")], offsets[match.end("n") - 1] + 1))
            text = text[:begin] + text[match.end() :]
            offsets = offsets[:begin] + offsets[match.end() :]
        if text:
            lines.append(Line(text, offsets, raw.page, raw.isolated))
    markers.sort(key=lambda m: m.start)
    return lines, markers


def _is_marker(text: str, match: re.Match[str], n: str, defined: set[str]) -> bool:
    before = text[: match.start()].rstrip()
    if not before or before[-1].isdigit():
        return False
    word = re.search(r"([\w%]+)\W*$", before)
    spaced = bool(match.group("space"))
    if before[-1].isalnum() and word is not None and word.group(1).lower() in _NUMBER_WORDS:
        return False
    if spaced and before[-1].isalpha() and word is not None and word.group(1)[0].islower():
        after = text[match.end() :].lstrip(" ")
        # "in all its aspects 1" is rare; "weapons; 4" and "Aspects, 1" are the common forms
        if after[:1].isalpha() and after[:1].islower():
            return False
    following = re.match(r"\s*([\w%]+)", text[match.end() :])
    if following is not None and following.group(1).lower() in _MONTHS:
        return False
    if n not in defined:
        # a new footnote's marker comes after the previous one
        if defined and int(n) != max(int(d) for d in defined) + 1:
            return False
        if not defined and n != "1":
            return False
        defined.add(n)
    return True
