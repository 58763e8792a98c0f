"""Layout elements: the lines a paged text is made of and what the layout stage sets aside.

``Line`` is a body line (text and the source offset of every character); ``SetAside`` an element
that is not body text (furniture, a footnote's text, a doubt); ``Marker`` a footnote marker taken
out of a body line. ``_Raw`` is a physical line with its place on its page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BARE_NUMBER = re.compile(r"\d{1,3}")
_TERMINAL = ".;:,?!"
_CLOSERS = "\"')]’”"


@dataclass
class Line:
    """A body line: its text (whitespace collapsed, markers removed) and each character's offset."""

    text: str
    offsets: list[int]
    page: int
    isolated: bool = False
    """Printed between two blank lines (a scattered fragment of a justified line, maybe)."""


@dataclass
class SetAside:
    """A line (or part of one) that is not body text, with its kind and source span."""

    kind: str
    text: str
    start: int
    end: int
    page: int


@dataclass
class Marker:
    """A footnote marker found in a body line and removed from it."""

    number: str
    start: int
    end: int


@dataclass
class _Raw:
    text: str
    start: int
    page: int
    index: int  # position among the page's non-blank lines
    last: int  # number of non-blank lines on the page
    isolated: bool = False  # a blank line before and after it


def _aside(kind: str, raw: _Raw) -> SetAside:
    stripped = raw.text.strip()
    start = raw.start + raw.text.index(stripped[0])
    return SetAside(kind, stripped, start, start + len(stripped), raw.page)
