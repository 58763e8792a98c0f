"""Labels as the extractors compare them: normal forms, one regex for a whole table of labels,
and the choice among overlapping matches.

Takes vocabulary labels and unit texts; gives normalised strings (``normalise``, ``squeeze``), a
compiled alternation of labels (longest first, on word boundaries, a glued short word allowed on
the right), and ``longest_first``, which keeps the longest of overlapping ``Mention``s. Shared by
entity mentions (``mentions.py``), themes (``themes.py``) and qualifier cues (``statements.py``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from poa_kg.ingest.model import Mention

ENTITY_KINDS = ("state", "actor", "instrument", "meeting")
_GLUE_WORDS = "for|the|of|and|to|in|on|with|as|by|at|from|or|a|an"


@dataclass(frozen=True)
class Target:
    """What a label names: a vocabulary kind and key."""

    kind: str
    key: str


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, single spaces: the form labels are compared in."""
    return re.sub(r"\s+", " ", text.replace("’", "'").replace("‘", "'")).strip().lower()


def squeeze(text: str) -> str:
    """Letters and digits only, lower case: the form in which broken names are compared."""
    return "".join(char for char in text if char.isalnum()).lower()


def punctuation(text: str) -> str:
    """The punctuation of a text other than hyphens and apostrophes (which conversions lose)."""
    return "".join(c for c in text if not (c.isalnum() or c.isspace() or c in "-‐'’"))


def phrase_pattern(label: str) -> str:
    """A label as a regex: any run of white space between words, either apostrophe."""
    return re.escape(label).replace(r"\ ", r"\s+").replace("'", "['’]")


def alternation(table: dict[str, set[Target]], flags: int) -> re.Pattern[str] | None:
    """One regex matching any label, longest first, on word boundaries (right glue allowed)."""
    if not table:
        return None
    labels = sorted(table, key=lambda label: (-len(label), label))
    parts = []
    for label in labels:
        parts.append(phrase_pattern(label))
    body = "|".join(parts)
    return re.compile(
        rf"(?<![\w/.])(?P<label>{body})(?:(?![\w/])|(?=(?:{_GLUE_WORDS})(?![\w])))", flags
    )


def longest_first(candidates: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping candidates (ties: earliest, then kind order)."""
    order = {kind: i for i, kind in enumerate((*ENTITY_KINDS, "theme"))}
    ranked = sorted(
        candidates, key=lambda m: (-(m.end - m.start), m.start, order.get(m.kind, 9), m.entity)
    )
    chosen: list[Mention] = []
    # the chosen spans never overlap one another: sorted by start, a new span can only overlap
    # its neighbours, found by bisection (a linear scan made a 600 KB paragraph take minutes)
    starts: list[int] = []
    ends: list[int] = []
    for mention in ranked:
        at = bisect.bisect_left(starts, mention.end)
        if at > 0 and ends[at - 1] > mention.start:
            continue  # overlaps a longer (or earlier) mention already chosen
        chosen.append(mention)
        starts.insert(at, mention.start)
        ends.insert(at, mention.end)
    return sorted(chosen, key=lambda m: m.start)
