"""Normalise: a statement's text → the word tokens lineage compares, with editorial noise removed.

Two versions of one provision differ in ways that say nothing about the provision: who speaks
("We recognize" in an outcome, "States recognized" in a report, "The General Assembly …
Recognizes" in a resolution), tense and number of the verb, "continue to", "also" and "further"
in a resolution's operative verb, articles, "take account of" / "take into account", British and
American spelling, and the numbers, years and session ordinals that a resolution renews every year
("resolution 73/69 of 5 December 2018", "its seventy-fourth session"). ``tokens`` drops or folds
all of these so that the alignment sees only the words that carry the provision; ``words`` keeps
the text's own words (what a person reads in a word diff).

Folding is applied identically to both sides of a comparison, so an imperfect fold (``exercise``
→ ``exercize``) costs nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from poa_kg.wording import words

_NUMBER = re.compile(r"^\d+(?:[/.-]\d+)*(?:st|nd|rd|th)?$")
_ORDINAL = re.compile(
    r"^(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)?"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth)$"
)
_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_NOISE = frozenset(
    {
        # articles and the subject of the sentence
        "a",
        "an",
        "the",
        "we",
        "states",
        "state",
        "member",
        "general",
        "assembly",
        "its",
        "their",
        "our",
        # editorial adverbs of a renewed resolution paragraph ("Encourages also", "further")
        "also",
        "further",
        "again",
        "continue",
        "continues",
        "continued",
        "continuing",
        "to",
        "of",
        "into",
    }
)
"""Words that never decide whether two paragraphs are one provision (they are compared as
nothing). "to" and "of" go too: "continue to", "take account of" / "take into account"."""
_SPELLING = (
    (re.compile(r"isation"), "ization"),
    (re.compile(r"is(e|ed|es|ing)$"), r"iz\1"),
    (re.compile(r"yse(s|d)?$"), r"yze\1"),
    (re.compile(r"programme"), "program"),
    (re.compile(r"centre"), "center"),
    (re.compile(r"([^aeiou])our$"), r"\1or"),
    (re.compile(r"lled$"), "led"),
    (re.compile(r"lling$"), "ling"),
)
"""British → American spellings (-ise/-isation, programme, centre, -our, -lled)."""


@lru_cache(maxsize=65536)
def fold(word: str) -> str | None:
    """One word → its comparable form, or None when it is noise."""
    w = word.lower().replace("’", "'")
    if w in _NOISE:
        return None
    if _NUMBER.match(w) or _ORDINAL.match(w):
        return "#"
    if w in _MONTHS:
        return "#"
    for pattern, replacement in _SPELLING:
        w = pattern.sub(replacement, w)
    return _stem(w)


STEM = 6
"""Length a word is cut to: the first letters of an English word carry its stem
("deactivation" / "deactivated", "manufacturing" / "manufacture", "criminalizing" / "criminal"),
whatever the suffix."""


def _stem(w: str) -> str:
    """A light suffix stripper (tense and number: "recognized", "recognizes" → "recogniz"), then
    the word cut to ``STEM`` letters."""
    if len(w) > 4:
        for suffix in ("ing", "ed", "es", "s", "e"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 4 and not w.endswith("ss"):
                w = w[: -len(suffix)]
                break
    return w[:STEM]


def tokens(text: str) -> tuple[str, ...]:
    """The comparable tokens of a text, in order (noise dropped, numbers as ``#``)."""
    return tuple(t for t in (fold(w) for w in words(text)) if t is not None and t != "#")


__all__ = ["fold", "tokens", "words"]
