"""The numbered genres (reports, outcomes, drafts, outlines): cleaned lines → ``Document``.

Each unit carries its cleaned full text and, character by character, the offset of that text in
the source, so every later span maps back to the file. General rules only:

- Lines come cleaned from ``lines.py``; heading levels come from the numbering style, roman >
  capital letter > arabic > (a) > (i), never from ``#`` levels.
- Whether a numbered line is a heading or a paragraph is decided by number-sequence continuity
  (``numbering.py``): paragraphs continue their own sequence, headings theirs, and a line that
  has numbered children before its next sibling is a heading (so is every sibling of a heading).
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

from poa_kg.errors import ParseError
from poa_kg.ingest.model import Document, QualityIssue, SourceText, Style, UnitKind
from poa_kg.ingest.parse.lines import (
    _ANNEX,
    _CLOSERS,
    _PLACEHOLDER,
    _PREAMBULAR_WORDS,
    _RANK,
    _TERMINAL,
    _Line,
    read_lines,
)
from poa_kg.ingest.parse.numbering import OpenSequences
from poa_kg.ingest.parse.structure import _Block, _Container, _Owner, assemble


class _Parser(OpenSequences):
    def __init__(self, source: SourceText):
        self.source = source
        self.issues: list[QualityIssue] = []
        self.lines = read_lines(source, self.issues)
        self.sections: list[_Container] = []
        self.blocks: list[_Block] = []
        self.titles: dict[str, list[str]] = {}
        self.order = 0
        self.seq_counter = 0
        self._start_part("main", 0)

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
        return assemble(self)

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
