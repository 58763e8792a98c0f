"""Numbering: the sequences open at a line of a numbered document, and what they make of it.

Takes the cleaned lines (``lines.py``) and the parser's open sequences: the stack of headings
(``structure._Container``), the running paragraph sequence and the lists opened by a unit ending
in ``:``. Gives the numbering style and ordinal of a label, resolving (i)/(v)/(x) and I/V/X by the
sequence they would continue; whether a numbered line has numbered children before its next
sibling (so is a heading); and a ``numbering-gap`` or ``duplicate-number`` issue for a number
that breaks its sequence. ``numbered.py`` builds the document from these answers.
"""

from __future__ import annotations

from poa_kg.ingest.model import QualityIssue, Style
from poa_kg.ingest.parse.lines import _ANNEX, _CLOSERS, _letter_value, _Line, roman_value
from poa_kg.ingest.parse.structure import _Container, _Owner


class OpenSequences:
    """The numbering sequences open at the current line, and the questions asked of them.

    The parser (``numbered._Parser``) moves through the lines and keeps this state current.
    """

    lines: list[_Line]
    issues: list[QualityIssue]
    top: _Container
    leaf: tuple[Style, int, int] | None  # style, last ordinal, sequence id
    owners: list[_Owner]

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

    def _stack(self) -> list[_Container]:
        chain: list[_Container] = []
        node: _Container | None = self.top
        while node is not None and node.style is not None:
            chain.append(node)
            node = node.parent
        return chain

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
