"""Lines: a source text → its cleaned physical lines, each with its source offsets.

Markdown and conversion debris is dropped (``#`` marks, ``**``, ``[bookmark: …]``, link syntax,
list marks, stray rules); a number printed alone on its line labels the next line; lines that are
only page furniture (a page number, a job number, a symbol) or a footnote are set aside and
reported as ``removed-page-furniture``. Also the numbering helpers the parser shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from poa_kg.ingest.model import QualityIssue, SourceText, Style

_RANK: dict[Style, int] = {"roman": 0, "capital": 1, "arabic": 2, "letter": 3, "roman-lower": 4}
_TERMINAL = ".;:?!"
_CLOSERS = "\"')]’”*"
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}

_DEBRIS = re.compile(
    r"\[bookmark:[^\]]*\]"  # Word bookmark markers
    r"|\[(?P<link>(?:[^\]\\]|\\.)*)\]\((?:[^()\\]|\\.)*\)"  # [text](target) → text
    r"|\\(?P<escaped>[\\()\[\]*_#.\-+!])"  # markdown escapes
    r"|\*+|(?<!\w)__+|__+(?!\w)"  # emphasis marks, balanced or not
)
_LEADING_MARKUP = re.compile(r"\s*(?:#{1,6}\s*|[-–•*]\s+|>\s*)+")
_RULE_ONLY = re.compile(r"[-_*=~–—\s]*")
_NUMBERED = re.compile(
    r"(?:(?P<upper>[IVXLC]+|[A-Z])\.\s+"
    r"|(?P<arabic>\d{1,3})\.(?!\d)\s*"
    r"|\((?P<paren>[a-z]{1,5})\)\s*"
    r"|(?P<bare>[a-z])\)\s+)"
)
_ANNEX = re.compile(r"annex(?:\s+(?P<n>[IVX]+|\d+))?\.?", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\[[^\]]*\]")
_FURNITURE = (
    re.compile(r"(?:page\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?", re.IGNORECASE),  # page numbers
    re.compile(r"-\s*\d{1,4}\s*-"),  # "- 3 -"
    re.compile(r"\d{2}-\d{4,6}(?:\s*\([A-Z]\))?(?:\s+\S+)?"),  # UN job numbers, "18-11278 (E)"
    re.compile(r"GE\.\d{2}-\d{3,6}.*"),  # Geneva job numbers
    re.compile(r"[A-Z]{1,2}/(?:CONF\.|RES/|AC\.)?[A-Z0-9][A-Za-z0-9./()\-]*/[A-Za-z0-9./()\-]+"),
)
_FOOTNOTE = re.compile(
    r"\[\^\d+\]:"  # markdown footnote definitions
    r"|\d{1,2}\s+(?:See |Ibid|[A-Z]{1,2}/\S|Official Records|Available at|United Nations, Treaty"
    r"|General Assembly resolution|Security Council resolution|Resolution )"
)
# Words that open a preambular clause besides participles ("Reaffirming", "Noting").
_PREAMBULAR_WORDS = frozenset(
    {"bearing", "deeply", "gravely", "convinced", "mindful", "aware", "concerned", "determined"}
    | {"conscious", "guided", "alarmed", "having", "taking", "further", "also"}
)


@dataclass
class _Line:
    """A physical line after cleaning, with the number label split off if it has one."""

    index: int
    text: str
    offsets: list[int]
    label: str | None = None
    label_kind: str | None = None  # "upper", "arabic", "paren"
    body: str = ""
    body_offsets: list[int] = field(default_factory=list)


def read_lines(source: SourceText, issues: list[QualityIssue]) -> list[_Line]:
    """The cleaned lines of a source text; furniture and footnotes set aside and reported."""
    text = source.text
    lines: list[_Line] = []
    pending_label: _Line | None = None
    for match in re.finditer(r"[^\n\r\f]*", text):
        raw = match.group()
        if not raw.strip():
            continue
        stripped = raw.strip()
        if _is_furniture(source, issues, stripped, match.start()):
            continue
        cleaned, offsets = clean_line(raw, match.start())
        if not cleaned:
            continue
        line = _Line(len(lines), cleaned, offsets)
        _split_label(line)
        if pending_label is not None:
            # A number printed alone on its line labels the text of the next line.
            pending_label.body, pending_label.body_offsets = line.text, line.offsets
            pending_label = None
            continue
        if line.label is not None and not line.body:
            pending_label = line
        lines.append(line)
    return lines


def _is_furniture(
    source: SourceText, issues: list[QualityIssue], stripped: str, start: int
) -> bool:
    kind = None
    if any(pattern.fullmatch(stripped) for pattern in _FURNITURE):
        kind = "page header or footer"
    elif _FOOTNOTE.match(stripped) and not _NUMBERED.match(stripped):
        kind = "footnote"
    if kind is None:
        return False
    line = source.text.count("\n", 0, start) + 1
    issues.append(
        QualityIssue(
            "removed-page-furniture",
            "info",
            f"line {line}: {kind} set aside: {stripped[:80]!r}",
            start=start,
            end=start + len(stripped),
        )
    )
    return True


def _split_label(line: _Line) -> None:
    match = _NUMBERED.match(line.text)
    if match is None:
        return
    kind = match.lastgroup or "arabic"
    label = match.group(kind)
    if kind == "bare":
        kind = "paren"
    line.label, line.label_kind = label, kind
    line.body = line.text[match.end() :]
    line.body_offsets = line.offsets[match.end() :]


def clean_line(raw: str, base: int = 0) -> tuple[str, list[int]]:
    """Remove markdown and conversion debris from one line; collapse whitespace.

    Returns the cleaned text and, for each of its characters, its offset in the source
    (``base`` is the offset of ``raw[0]``).
    """
    chars: list[str] = []
    offsets: list[int] = []
    _strip_debris(raw, base, chars, offsets)
    text = "".join(chars)
    lead = _LEADING_MARKUP.match(text)
    skip = lead.end() if lead else 0
    out_chars: list[str] = []
    out_offsets: list[int] = []
    for char, offset in zip(text[skip:], offsets[skip:], strict=True):
        if char.isspace():
            if out_chars and out_chars[-1] != " ":
                out_chars.append(" ")
                out_offsets.append(offset)
            continue
        out_chars.append(char)
        out_offsets.append(offset)
    while out_chars and out_chars[-1] == " ":
        out_chars.pop()
        out_offsets.pop()
    cleaned = "".join(out_chars)
    if _RULE_ONLY.fullmatch(cleaned):
        return "", []
    return cleaned, out_offsets


def _strip_debris(raw: str, base: int, chars: list[str], offsets: list[int]) -> None:
    position = 0
    for match in _DEBRIS.finditer(raw):
        for i in range(position, match.start()):
            chars.append(raw[i])
            offsets.append(base + i)
        if match.group("link") is not None:
            _strip_debris(match.group("link"), base + match.start("link"), chars, offsets)
        elif match.group("escaped") is not None:
            chars.append(match.group("escaped"))
            offsets.append(base + match.start("escaped"))
        position = match.end()
    for i in range(position, len(raw)):
        chars.append(raw[i])
        offsets.append(base + i)


def roman_value(label: str) -> int:
    """Value of a roman numeral (case-insensitive); 0 when it is not one."""
    total, previous = 0, 0
    for char in reversed(label.lower()):
        value = _ROMAN_VALUES.get(char)
        if value is None:
            return 0
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


def _letter_value(label: str) -> int:
    return ord(label) - ord("a") + 1 if len(label) == 1 and label.isalpha() else 0
