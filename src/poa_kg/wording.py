"""Word diffs between two versions of a paragraph: its printed words, the phrases added and
removed, and the later text cut into same / added / removed runs.

Shared by lineage (which stores the phrases on each link at build time) and a statement's
history (which highlights the runs when it is read), so both sides cut words the same way.
"""

from __future__ import annotations

import difflib
import re

_WORD = re.compile(r"[^\W_]+(?:[-'’/][^\W_]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """The text's words as printed (hyphenated words, "73/69" and "don't" kept whole)."""
    return _WORD.findall(text)


def word_changes(earlier: str, later: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(phrases added, phrases removed) from the earlier text to the later, on the printed words
    (case aside)."""
    before, after = words(earlier), words(later)
    matcher = difflib.SequenceMatcher(
        a=[w.lower() for w in before], b=[w.lower() for w in after], autojunk=False
    )
    added: list[str] = []
    removed: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed.append(" ".join(before[i1:i2]))
        if tag in ("replace", "insert"):
            added.append(" ".join(after[j1:j2]))
    return tuple(added), tuple(removed)


def diff_segments(earlier: str, later: str) -> list[tuple[str, str]]:
    """The later text as (``same`` | ``added`` | ``removed``, words) segments in reading order, the
    removed words placed where they stood: what a timeline highlights."""
    before, after = words(earlier), words(later)
    matcher = difflib.SequenceMatcher(
        a=[w.lower() for w in before], b=[w.lower() for w in after], autojunk=False
    )
    segments: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(("same", " ".join(after[j1:j2])))
            continue
        if i2 > i1:
            segments.append(("removed", " ".join(before[i1:i2])))
        if j2 > j1:
            segments.append(("added", " ".join(after[j1:j2])))
    return segments
