"""Parse: ``SourceText`` (sources.py) → ``Document`` (model.py): parts, sections, units.

Each unit carries its cleaned full text and, character by character, the offset of that text in
the source, so every later span maps back to the file. General rules only (decisions.md §6):

- Markdown and conversion debris is dropped (``#`` marks, ``**``, ``[bookmark: …]``, link syntax,
  list marks, stray rules); heading levels come from the numbering style, roman > capital letter >
  arabic > (a) > (i), never from ``#`` levels.
- Whether a numbered line is a heading or a paragraph is decided by number-sequence continuity:
  paragraphs continue their own sequence, headings theirs, and a line that has numbered children
  before its next sibling is a heading (so is every sibling of a heading).
- A unit ending in ``:`` owns the list that follows (agenda items, officers, States voting).
- A unit without terminal punctuation continues into the next text block, across blank lines, page
  breaks and — when the text resumes in lower case — a heading printed between its two halves.
- Unnumbered prose opening a container that holds units is its chapeau; in a container without
  units it is a unit itself; a preambular clause ("Reaffirming …,") is a recital.
- Page headers and footers, footnotes and editorial placeholders are set aside and reported.

Numbering gaps, duplicate numbers and truncated units are reported as quality issues, never
repaired by renumbering. A text with no numbered unit raises ``ParseError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from poa_kg.errors import ParseError
from poa_kg.model import Document, QualityIssue, Section, SourceText, Style, Unit, UnitKind

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


@dataclass
class _Block:
    """Text being gathered into a unit or a chapeau."""

    text: str
    offsets: list[int]
    kind: UnitKind
    style: Style
    label: str | None
    ordinal: int
    containers: list[_Container]
    order: int
    part: str
    seq: int | None = None
    parent: _Block | None = None
    owns_list: bool = False
    list_start: int | None = None
    eid: str = ""

    def extend(self, text: str, offsets: list[int]) -> None:
        if not text:
            return
        if self.text:
            self.offsets.append(self.offsets[-1] + 1)
            self.text += " "
        self.text += text
        self.offsets.extend(offsets)

    @property
    def open(self) -> bool:
        """True while the text lacks terminal punctuation (so it continues in the next block)."""
        stripped = self.text.rstrip(_CLOSERS + " ")
        return not stripped or stripped[-1] not in _TERMINAL


@dataclass
class _Container:
    """A heading on the stack (or the root of a part) and what it has gathered."""

    style: Style | None
    label: str | None
    ordinal: int
    heading: str
    parent: _Container | None
    part: str
    start: int
    end: int
    order: int
    has_units: bool = False
    prose: list[_Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    children_unnumbered: int = 0
    eid: str = ""
    intro: _Block | None = None

    @property
    def numbered(self) -> bool:
        return self.style is not None and self.style != "unnumbered"

    def path(self) -> list[_Container]:
        chain: list[_Container] = []
        node: _Container | None = self
        while node is not None and node.style is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


@dataclass
class _Owner:
    """A unit ending in ':' and the list it owns."""

    block: _Block
    child_style: Style | None = None
    last: int = 0


def parse_document(source: SourceText) -> Document:
    """Parse a source text into sections and units, each with its span in the source.

    Raises:
        ParseError: the text has no numbered unit, so no structure was recognised.
    """
    return _Parser(source).run()


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


class _Parser:
    def __init__(self, source: SourceText):
        self.source = source
        self.issues: list[QualityIssue] = []
        self.lines = self._read_lines()
        self.sections: list[_Container] = []
        self.blocks: list[_Block] = []
        self.titles: dict[str, list[str]] = {}
        self.order = 0
        self.seq_counter = 0
        self._start_part("main", 0)

    # ---------------------------------------------------------------- lines
    def _read_lines(self) -> list[_Line]:
        text = self.source.text
        lines: list[_Line] = []
        pending_label: _Line | None = None
        for match in re.finditer(r"[^\n\r\f]*", text):
            raw = match.group()
            if not raw.strip():
                continue
            stripped = raw.strip()
            if self._is_furniture(stripped, match.start()):
                continue
            cleaned, offsets = clean_line(raw, match.start())
            if not cleaned:
                continue
            line = _Line(len(lines), cleaned, offsets)
            self._split_label(line)
            if pending_label is not None:
                # A number printed alone on its line labels the text of the next line.
                pending_label.body, pending_label.body_offsets = line.text, line.offsets
                pending_label = None
                continue
            if line.label is not None and not line.body:
                pending_label = line
            lines.append(line)
        return lines

    def _is_furniture(self, stripped: str, start: int) -> bool:
        kind = None
        if any(pattern.fullmatch(stripped) for pattern in _FURNITURE):
            kind = "page header or footer"
        elif _FOOTNOTE.match(stripped) and not _NUMBERED.match(stripped):
            kind = "footnote"
        if kind is None:
            return False
        line = self.source.text.count("\n", 0, start) + 1
        self.issues.append(
            QualityIssue(
                "removed-page-furniture",
                "info",
                f"line {line}: {kind} set aside: {stripped[:80]!r}",
                start=start,
                end=start + len(stripped),
            )
        )
        return True

    @staticmethod
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

    # ---------------------------------------------------------------- styles
    def _style(self, line: _Line) -> tuple[Style, int] | None:
        """Numbering style and ordinal of a line, resolving (i)/(v)/(x) and I/V/X by context."""
        if line.label is None or line.label_kind is None:
            return None
        label = line.label
        if line.label_kind == "arabic":
            return "arabic", int(label)
        if line.label_kind == "upper":
            if len(label) > 1:
                value = roman_value(label)
                return ("roman", value) if value else None
            if label in "IVX" and not self._expects("capital", ord(label) - ord("A") + 1):
                return "roman", roman_value(label)
            return "capital", ord(label) - ord("A") + 1
        if len(label) > 1:
            value = roman_value(label)
            return ("roman-lower", value) if value else None
        letter = _letter_value(label)
        if label in "ivx" and not self._expects("letter", letter):
            return "roman-lower", roman_value(label)
        return "letter", letter

    def _expects(self, style: Style, ordinal: int) -> bool:
        """True when an open sequence of ``style`` would continue with ``ordinal``."""
        if any(c.style == style and c.ordinal + 1 == ordinal for c in self._stack()):
            return True
        if self.leaf is not None and self.leaf[0] == style and self.leaf[1] + 1 == ordinal:
            return True
        return any(o.child_style == style and o.last + 1 == ordinal for o in self.owners)

    # ---------------------------------------------------------------- state
    def _start_part(self, name: str, start: int) -> None:
        self.part = name
        self.root = _Container(None, None, 0, "", None, name, start, start, self.order)
        self.top: _Container = self.root
        self.started = False
        self.leaf: tuple[Style, int, int] | None = None  # style, last ordinal, sequence id
        self.owners: list[_Owner] = []
        self.current: _Block | None = None  # the block the next text may continue
        self.last: str = "none"  # "heading", "unit", "prose", "list"
        self.titles.setdefault(name, [])

    def _stack(self) -> list[_Container]:
        chain: list[_Container] = []
        node: _Container | None = self.top
        while node is not None and node.style is not None:
            chain.append(node)
            node = node.parent
        return chain

    def _next_order(self) -> int:
        self.order += 1
        return self.order

    # ---------------------------------------------------------------- main loop
    def run(self) -> Document:
        index = 0
        while index < len(self.lines):
            self._process(index)
            index += 1
        self._close_part()
        if not any(b.kind in ("paragraph", "subitem") for b in self.blocks):
            raise ParseError(
                self.source.path, "no numbered paragraph found: not a document of a known kind"
            )
        return self._finish()

    def _process(self, index: int) -> None:
        line = self.lines[index]
        if line.label is None and _ANNEX.fullmatch(line.text):
            self._close_part()
            number = _ANNEX.fullmatch(line.text)
            suffix = number.group("n") if number and number.group("n") else None
            name = f"annex_{suffix}" if suffix else "annex"
            if name in self.titles:
                name = f"annex_{len(self.titles)}"
            self._start_part(name, line.offsets[0])
            return
        style = self._style(line)
        if style is None:
            self._unnumbered(index, line)
            return
        if self.owners and self._owned_item(line, style):
            return
        self.owners.clear()
        kind, ordinal = style
        if kind in ("roman", "capital"):
            self._heading(line, kind, ordinal, sibling=None)
            return
        self._numbered(index, line, kind, ordinal)

    def _numbered(self, index: int, line: _Line, style: Style, ordinal: int) -> None:
        leaf_next = self.leaf is not None and self.leaf[0] == style and self.leaf[1] + 1 == ordinal
        sibling = next(
            (c for c in self._stack() if c.style == style and c.ordinal + 1 == ordinal), None
        )
        if leaf_next and sibling is not None:
            if self._has_children(index, style, ordinal):
                self._heading(line, style, ordinal, sibling)
            else:
                self._leaf(line, style, ordinal)
        elif sibling is not None:
            self._heading(line, style, ordinal, sibling)
        elif leaf_next:
            self._leaf(line, style, ordinal)
        elif ordinal == 1:
            if self._run_has_children(index, style):
                self._heading(line, style, ordinal, None)
            else:
                self._leaf(line, style, ordinal, restart=True)
        else:
            self._leaf(line, style, ordinal, irregular=True)

    # ---------------------------------------------------------------- lookahead
    def _has_children(self, index: int, style: Style, ordinal: int) -> bool:
        """True when numbered lines sit under this one before its next sibling.

        A line ending in ':' owns a list, so it is a unit, not a heading; a later number of the
        same style continues either this run (a gap) or the paragraph sequence (a child).
        """
        if self.lines[index].body.rstrip(_CLOSERS + " ").endswith(":"):
            return False
        stack = self._stack()
        leaf_next = self.leaf[1] + 1 if self.leaf is not None and self.leaf[0] == style else None
        for line in self.lines[index + 1 :]:
            if line.label is None:
                if _ANNEX.fullmatch(line.text):
                    return False
                continue
            other = self._style(line)
            if other is None:
                continue
            kind, number = other
            if kind in ("roman", "capital"):
                return False
            if kind == style and number == ordinal + 1:
                return False
            if any(c.style == kind and c.ordinal + 1 == number for c in stack):
                return False
            if kind == style and number != 1:
                return number == leaf_next
            return True
        return False

    def _run_has_children(self, index: int, style: Style) -> bool:
        """True when this line or any of its following siblings has numbered children."""
        ordinal = 1
        stack = self._stack()
        while True:
            if self._has_children(index, style, ordinal):
                return True
            following = None
            for line in self.lines[index + 1 :]:
                other = self._style(line) if line.label is not None else None
                if other is None:
                    continue
                kind, number = other
                if kind in ("roman", "capital") or any(
                    c.style == kind and c.ordinal + 1 == number for c in stack
                ):
                    break
                if kind == style and number == ordinal + 1:
                    following = line.index
                    break
                if kind == style:
                    break
            if following is None:
                return False
            index, ordinal = following, ordinal + 1

    # ---------------------------------------------------------------- headings
    def _heading(self, line: _Line, style: Style, ordinal: int, sibling: _Container | None) -> None:
        if sibling is not None:
            while self.top is not sibling:
                self._close(self.top)
            self._close(sibling)
        else:
            rank = _RANK[style]
            while self.top.style is not None and (
                self.top.style == "unnumbered" or _RANK[self.top.style] >= rank
            ):
                if style not in ("roman", "capital") and self.top.style != "unnumbered":
                    break
                self._close(self.top)
        self._push(line, style, line.label, ordinal, line.body, line.body_offsets)
        self.started = True

    def _unnumbered_heading(self, line: _Line) -> None:
        if not self.started:
            self.titles[self.part].append(line.text)
            self.last = "title"
            return
        if self.last != "heading" and self.top.style == "unnumbered":
            self._close(self.top)
        self._push(line, "unnumbered", None, 0, line.text, line.offsets)

    def _push(
        self,
        line: _Line,
        style: Style,
        label: str | None,
        ordinal: int,
        heading: str,
        offsets: list[int],
    ) -> None:
        container = _Container(
            style,
            label,
            ordinal,
            heading,
            self.top,
            self.part,
            line.offsets[0],
            offsets[-1] + 1 if offsets else line.offsets[-1] + 1,
            self._next_order(),
        )
        self.sections.append(container)
        self.top = container
        self.last = "heading"
        if self.current is not None and not self.current.open:
            self.current = None

    def _close(self, container: _Container) -> None:
        """Pop a container; its gathered prose becomes its chapeau or its units."""
        self._settle_prose(container)
        if container.parent is not None:
            if container.has_units:
                container.parent.has_units = True
            self.top = container.parent

    def _settle_prose(self, container: _Container) -> None:
        if not container.prose:
            return
        if container.has_units:
            intro = container.prose[0]
            for block in container.prose[1:]:
                intro.extend(block.text, block.offsets)
            intro.kind = "chapeau"
            container.intro = intro
            self.blocks.append(intro)
        else:
            for block in container.prose:
                block.kind = "unnumbered"
                self.blocks.append(block)
            container.has_units = True
        container.prose = []

    def _close_part(self) -> None:
        while self.top.style is not None:
            self._close(self.top)
        self._settle_prose(self.root)

    # ---------------------------------------------------------------- units
    def _leaf(
        self,
        line: _Line,
        style: Style,
        ordinal: int,
        restart: bool = False,
        irregular: bool = False,
    ) -> None:
        if irregular:
            self._report_irregular(line, style, ordinal)
        if restart or self.leaf is None or self.leaf[0] != style or (irregular and ordinal == 1):
            self.seq_counter += 1
            seq = self.seq_counter
        else:
            seq = self.leaf[2]
        if irregular and (self.leaf is None or self.leaf[0] != style):
            self.seq_counter += 1
            seq = self.seq_counter
        self.leaf = (style, ordinal, seq)
        block = self._block(line, "paragraph", style, ordinal)
        block.seq = seq
        self.started = True

    def _report_irregular(self, line: _Line, style: Style, ordinal: int) -> None:
        previous = self.leaf[1] if self.leaf is not None and self.leaf[0] == style else None
        if previous is not None and ordinal <= previous:
            kind, message = "duplicate-number", f"number {line.label} repeats or goes back"
        elif previous is not None:
            missing = ", ".join(self._label(style, n) for n in range(previous + 1, ordinal))
            kind = "numbering-gap"
            message = f"{missing} missing between {self._label(style, previous)} and {line.label}"
        else:
            kind, message = "numbering-gap", f"sequence starts at {line.label}, not at 1"
        self.issues.append(
            QualityIssue(kind, "warning", message, start=line.offsets[0], end=line.offsets[-1] + 1)
        )

    @staticmethod
    def _label(style: Style, ordinal: int) -> str:
        if style == "letter":
            return f"({chr(ord('a') + ordinal - 1)})"
        if style == "roman-lower":
            numerals = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
            return f"({numerals[ordinal]})" if ordinal < len(numerals) else str(ordinal)
        return str(ordinal)

    def _block(self, line: _Line, kind: UnitKind, style: Style, ordinal: int) -> _Block:
        numbered = line.label is not None and kind != "recital"
        block = _Block(
            "",
            [],
            kind,
            style,
            line.label,
            ordinal,
            self._containers(),
            self._next_order(),
            self.part,
        )
        if numbered:
            block.extend(line.body, line.body_offsets)
        else:
            block.label = None
            block.extend(line.text, line.offsets)
        self.blocks.append(block)
        for container in [*self._stack(), self.root]:
            container.has_units = True
        self.current = block
        self.last = "unit"
        if block.text.rstrip(_CLOSERS + " ").endswith(":"):
            block.owns_list = True
            self.owners.append(_Owner(block))
        return block

    def _containers(self) -> list[_Container]:
        return [*reversed(self._stack())]

    def _owned_item(self, line: _Line, style: tuple[Style, int]) -> bool:
        """Place a numbered line in an open list, if it belongs to one."""
        kind, ordinal = style
        if kind in ("roman", "capital"):
            return False
        while self.owners:
            owner = self.owners[-1]
            fits = (owner.child_style == kind and owner.last + 1 == ordinal) or (
                owner.child_style is None and ordinal == 1
            )
            if fits:
                owner.child_style, owner.last = kind, ordinal
                self.owners.pop()
                item = self._block(line, "subitem", kind, ordinal)
                item.parent = owner.block
                item.containers = owner.block.containers
                for container in item.containers:
                    container.has_units = True
                # _block pushed the item if it ends in ':'; keep its parent list open beneath it.
                if self.owners and self.owners[-1].block is item:
                    self.owners.insert(len(self.owners) - 1, owner)
                else:
                    self.owners.append(owner)
                return True
            self.owners.pop()
        return False

    # ---------------------------------------------------------------- unnumbered lines
    def _unnumbered(self, index: int, line: _Line) -> None:
        if _PLACEHOLDER.fullmatch(line.text):
            self.top.notes.append(line.text)
            return
        if self.owners:
            owner = self.owners[-1].block
            if owner.list_start is None:
                owner.list_start = len(owner.text) + 1
            owner.extend(line.text, line.offsets)
            self.last = "list"
            return
        heading_like = self._heading_like(line.text)
        current = self.current
        if current is not None and current.open:
            resumes_lower = line.text[0].islower()
            after_comma = current.text.rstrip(_CLOSERS + " ").endswith(",")
            if self.last != "heading" or resumes_lower:
                if (
                    heading_like
                    and not resumes_lower
                    and (after_comma or self._next_starts_lower(index))
                ):
                    self._unnumbered_heading(line)  # a heading printed inside a sentence
                    return
                if not (after_comma and self._preambular(line.text)):
                    current.extend(line.text, line.offsets)
                    return
        if heading_like and self._next_starts_lower(index) and self.started:
            heading_like = False  # a sentence broken by a page break, not a heading
        if heading_like:
            self._unnumbered_heading(line)
            return
        if self._preambular(line.text):
            self._block(line, "recital", "unnumbered", 0)
            self.started = True
            return
        if self.last == "unit" and current is not None:
            current.extend(line.text, line.offsets)  # a paragraph printed in several blocks
            return
        block = _Block(
            line.text,
            list(line.offsets),
            "unnumbered",
            "unnumbered",
            None,
            0,
            self._containers(),
            self._next_order(),
            self.part,
        )
        self.top.prose.append(block)
        self.current = block
        self.last = "prose"

    def _next_starts_lower(self, index: int) -> bool:
        following = self.lines[index + 1] if index + 1 < len(self.lines) else None
        return following is not None and following.label is None and following.text[0].islower()

    @staticmethod
    def _heading_like(text: str) -> bool:
        """Short lines that do not read as sentences: no terminal punctuation, not lower case."""
        stripped = text.rstrip(_CLOSERS + " ")
        if not stripped or stripped[-1] in _TERMINAL + ",":
            return False
        return len(stripped.split()) <= 60 and not stripped[0].islower()

    @staticmethod
    def _preambular(text: str) -> bool:
        """A preambular clause: opens with a participle or adjective and ends with a comma."""
        first = text.split(" ", 1)[0].lower()
        ends = text.rstrip(_CLOSERS + " ").endswith(",")
        return ends and text[0].isupper() and (first.endswith("ing") or first in _PREAMBULAR_WORDS)

    # ---------------------------------------------------------------- output
    def _finish(self) -> Document:
        self._assign_section_eids()
        self._assign_unit_eids()
        sections = [
            Section(
                c.eid,
                c.part,
                c.style or "unnumbered",
                c.label,
                c.heading,
                c.parent.eid if c.parent is not None and c.parent.style is not None else None,
                c.start,
                c.end,
                c.order,
            )
            for c in self.sections
        ]
        units = [self._unit(b) for b in sorted(self.blocks, key=lambda b: b.order)]
        self._check_truncation(units)
        return Document(self.source, self.titles, sections, units, self.issues)

    def _assign_section_eids(self) -> None:
        for container in self.sections:  # in document order, so parents come first
            parent = container.parent
            prefix = f"{parent.eid}__" if parent is not None and parent.style is not None else ""
            if container.style == "unnumbered":
                owner = parent if parent is not None else self.root
                owner.children_unnumbered += 1
                container.eid = f"{prefix}hcontainer_{owner.children_unnumbered}"
            elif container.style == "roman":
                container.eid = f"{prefix}sec_{container.label}"
            else:
                container.eid = f"{prefix}subsec_{container.label}"

    def _assign_unit_eids(self) -> None:
        by_seq: dict[int, list[_Block]] = {}
        for block in self.blocks:
            if block.seq is not None:
                by_seq.setdefault(block.seq, []).append(block)
        seen: dict[tuple[str, str], int] = {}
        counters: dict[tuple[str, str, str], int] = {}
        for block in sorted(self.blocks, key=lambda b: b.order):
            if block.kind == "paragraph" and block.seq is not None:
                container = self._common_container(by_seq[block.seq])
                base = f"{container}__" if container else ""
                eid = f"{base}para_{block.label}"
            elif block.kind == "subitem" and block.parent is not None:
                segment = "item" if block.style == "arabic" else "point"
                eid = f"{block.parent.eid}__{segment}_{block.label}"
            else:
                holder = self._holder(block)
                base = f"{holder}__" if holder else ""
                if block.kind == "chapeau":
                    eid = f"{base}intro"
                else:
                    name = "recital" if block.kind == "recital" else "unnumbered"
                    key = (block.part, holder, name)
                    counters[key] = counters.get(key, 0) + 1
                    eid = f"{base}{name}_{counters[key]}"
            count = seen.get((block.part, eid), 0)
            seen[(block.part, eid)] = count + 1
            if count:
                self.issues.append(
                    QualityIssue(
                        "duplicate-number",
                        "warning",
                        f"{block.part}/{eid} occurs more than once; "
                        f"the later one is keyed {eid}-{count + 1}",
                        start=block.offsets[0] if block.offsets else None,
                    )
                )
                eid = f"{eid}-{count + 1}"
            block.eid = eid

    def _holder(self, block: _Block) -> str:
        """eId of the container a chapeau, recital or unnumbered unit belongs to."""
        for container in reversed(block.containers):
            if block.kind == "chapeau" and container.intro is block:
                return container.eid
            if block in container.prose or block.kind != "chapeau":
                return container.eid
        return ""

    @staticmethod
    def _common_container(members: list[_Block]) -> str:
        """eId of the smallest numbered container holding every member of a sequence."""
        paths = [[c for c in m.containers if c.numbered] for m in members]
        common: list[_Container] = []
        for level in zip(*paths, strict=False):
            if all(c is level[0] for c in level):
                common.append(level[0])
            else:
                break
        return common[-1].eid if common else ""

    def _unit(self, block: _Block) -> Unit:
        key = self.source.metadata.id
        containers = block.containers
        section = containers[-1].eid if containers else None
        chapeau = None
        for container in reversed(containers):
            if container.intro is not None and container.intro is not block:
                chapeau = container.intro.eid
                break
        if chapeau is None and self._root_intro(block) is not None:
            chapeau = self._root_intro(block)
        if block.kind == "chapeau":
            chapeau = None
        del key
        return Unit(
            eid=block.eid,
            part=block.part,
            kind=block.kind,
            style=block.style,
            number=block.label,
            text=block.text,
            offsets=block.offsets,
            start=block.offsets[0] if block.offsets else 0,
            end=block.offsets[-1] + 1 if block.offsets else 0,
            section=section,
            order=block.order,
            parent_unit=block.parent.eid if block.parent is not None else None,
            chapeau=chapeau,
            heading_path=[c.eid for c in containers],
            list_start=block.list_start,
        )

    def _root_intro(self, block: _Block) -> str | None:
        for candidate in self.blocks:
            if (
                candidate.kind == "chapeau"
                and candidate.part == block.part
                and candidate.eid == "intro"
                and candidate is not block
            ):
                return candidate.eid
        return None

    def _check_truncation(self, units: list[Unit]) -> None:
        owners = {(b.part, b.eid) for b in self.blocks if b.owns_list}
        for unit in units:
            if unit.kind == "chapeau" or (unit.part, unit.eid) in owners:
                continue
            stripped = unit.text.rstrip(_CLOSERS + " ")
            if stripped and stripped[-1] not in _TERMINAL + ",":
                unit.truncated = True
                self.issues.append(
                    QualityIssue(
                        "truncated",
                        "warning",
                        f"text ends without terminal punctuation: …{stripped[-40:]!r}",
                        about=f"{unit.part}/{unit.eid}",
                        start=unit.start,
                        end=unit.end,
                    )
                )
