"""Lineage: the statements of every document → each one's closest predecessor in earlier ones.

Documents are taken in time order (their date, then key) within their series: the documents of the
meetings (outline (PrepCom, 2018) → RevCon3 (2018) → BMS8 (2022) → any later one) and, apart from
them, the General Assembly's resolutions (2002 → 2003 → …), whose statements are compared with the
resolutions of earlier years only: a resolution's preamble is not an earlier draft of a meeting's
outcome, and mixing the two series drowned the meeting-to-meeting links. For each later document,
the statements of each earlier document are candidates, declarations included. Within one pair of
documents the statements are matched one to one (``scipy.optimize.linear_sum_assignment`` on the
similarity matrix), so one earlier paragraph is never the predecessor of two later ones. A
statement's predecessor is its match in the most recent earlier document where the match reaches
``LINK_THRESHOLD``, else in the next older one; the best match overall is kept as well.

The relation says what happened: ``restated`` (near-identical text at the same strength,
``RESTATED_THRESHOLD``), ``revised`` (same commitment, changed words or strength), ``realised``
(an outline element taken up by an outcome paragraph), ``new`` (no predecessor). A link records
its score, the words added and removed (difflib, on the original words), and the change of
normative strength (the level facet's notation, later minus earlier). An earlier statement no
later one took up is ``dropped`` in a document comparison (the ``compare-documents`` query).

The similarity (``similarity``) and both thresholds were chosen on the hand-labelled pairs in
``tests/data/lineage/pairs.csv``; ``tests/unit/test_lineage.py`` measures them on the held-out
half.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist
from scipy.optimize import linear_sum_assignment

Relation = Literal["restated", "revised", "realised", "new"]

LINK_THRESHOLD = 0.25
"""Least similarity at which two statements are the same commitment (chosen on the pair set)."""
RESTATED_THRESHOLD = 0.95
"""Least similarity at which the later text restates the earlier one (near-identical)."""
_OUTLINE_KINDS = frozenset({"outline"})
_SERIES_KINDS = frozenset({"resolution"})
"""Document kinds that form a series of their own (linked only among themselves)."""
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


@dataclass(frozen=True)
class LineageStatement:
    """A statement as lineage sees it."""

    document: str
    document_kind: str
    date: str
    key: str
    """``{part}/{eId}``: with the document, the statement's IRI."""
    text: str
    level: int | None = None
    """Notation of its strength level (0 consider … 5 decide), when it has one."""


@dataclass(frozen=True)
class LineageLink:
    """What lineage found for one statement of a document that has predecessors."""

    statement: LineageStatement
    relation: Relation
    predecessor: LineageStatement | None = None
    score: float = 0.0
    best: LineageStatement | None = None
    best_score: float = 0.0
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    strength_change: int | None = None


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _normal(text: str) -> list[str]:
    return [w.lower() for w in words(text)]


@dataclass
class Similarity:
    """TF-IDF cosine over word unigrams and bigrams, idf from every statement given.

    Chosen on the pair set against rapidfuzz's ratio, token-set and token-sort ratios: it weighs
    the rare words that name what a commitment is about over the boilerplate every paragraph
    shares ("To encourage States to …")."""

    texts: Iterable[str]
    idf: dict[str, float] = field(init=False)

    def __post_init__(self) -> None:
        documents = [set(_features(t)) for t in self.texts]
        frequency: Counter[str] = Counter(f for d in documents for f in d)
        total = len(documents) or 1
        self.idf = {f: math.log((1 + total) / (1 + n)) + 1.0 for f, n in frequency.items()}

    def vector(self, text: str) -> dict[str, float]:
        counts = Counter(_features(text))
        default = math.log(2.0 + len(self.idf)) + 1.0
        weights = {f: (1.0 + math.log(n)) * self.idf.get(f, default) for f, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {f: w / norm for f, w in weights.items()}

    def __call__(self, first: str, second: str) -> float:
        return cosine(self.vector(first), self.vector(second))


def _features(text: str) -> list[str]:
    tokens = _normal(text)
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


def cosine(first: dict[str, float], second: dict[str, float]) -> float:
    if len(first) > len(second):
        first, second = second, first
    return sum(w * second.get(f, 0.0) for f, w in first.items())


def near_identity(first: str, second: str) -> float:
    """Character-level similarity of the normalised texts (0–1): what "restated" is measured by."""
    return fuzz.ratio(" ".join(_normal(first)), " ".join(_normal(second))) / 100.0


def word_changes(earlier: str, later: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(phrases added, phrases removed) from the earlier text to the later, word by word."""
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


def _ordered(statements: Iterable[LineageStatement]) -> list[list[LineageStatement]]:
    """Statements grouped by document, documents in time order (date, then key)."""
    by_document: dict[str, list[LineageStatement]] = {}
    for statement in statements:
        by_document.setdefault(statement.document, []).append(statement)
    return [by_document[d] for d in sorted(by_document, key=lambda d: (by_document[d][0].date, d))]


def _assign(scores: np.ndarray) -> dict[int, tuple[int, float]]:
    """One-to-one matching of later rows to earlier columns maximising the summed similarity."""
    if scores.size == 0:
        return {}
    rows, columns = linear_sum_assignment(scores, maximize=True)
    return {int(r): (int(c), float(scores[r, c])) for r, c in zip(rows, columns, strict=True)}


def _tfidf_scores(
    later: list[LineageStatement], earlier: list[LineageStatement], similarity: Similarity
) -> np.ndarray:
    left = [similarity.vector(s.text) for s in later]
    right = [similarity.vector(e.text) for e in earlier]
    return np.array([[cosine(a, b) for b in right] for a in left]).reshape(len(left), len(right))


def _token_set_scores(
    later: list[LineageStatement], earlier: list[LineageStatement], _similarity: Similarity
) -> np.ndarray:
    scores = cdist(
        [" ".join(_normal(s.text)) for s in later],
        [" ".join(_normal(e.text)) for e in earlier],
        scorer=fuzz.token_set_ratio,
    )
    return np.asarray(scores, dtype=float) / 100.0


METHODS = {"tfidf": _tfidf_scores, "token-set": _token_set_scores}
"""Similarity matrices lineage can use; ``METHOD`` is the one chosen on the pair set."""
METHOD = "tfidf"


def link(
    statements: Sequence[LineageStatement],
    method: str = METHOD,
    threshold: float | None = None,
) -> list[LineageLink]:
    """A link for every statement of every document but the first of its series (in time
    order)."""
    series: dict[bool, list[LineageStatement]] = {}
    for statement in statements:
        series.setdefault(statement.document_kind in _SERIES_KINDS, []).append(statement)
    links: list[LineageLink] = []
    for members in series.values():
        links += _link_series(members, method, threshold)
    return links


def _link_series(
    statements: Sequence[LineageStatement], method: str, threshold: float | None
) -> list[LineageLink]:
    documents = _ordered(statements)
    similarity = Similarity([s.text for s in statements])
    scores_of = METHODS[method]
    threshold = LINK_THRESHOLD if threshold is None else threshold
    links: list[LineageLink] = []
    for index, later in enumerate(documents):
        if index == 0:
            continue
        matches: list[dict[int, tuple[int, float]]] = []
        best: list[tuple[LineageStatement | None, float]] = [(None, 0.0)] * len(later)
        for earlier in documents[:index]:
            scores = scores_of(later, earlier, similarity)
            matches.append(_assign(scores))
            for row in range(len(later)):
                column = int(scores[row].argmax())
                if scores[row, column] > best[row][1]:
                    best[row] = (earlier[column], float(scores[row, column]))
        for row, statement in enumerate(later):
            links.append(
                _link_one(statement, row, documents[:index], matches, best[row], threshold)
            )
    return links


def _link_one(
    statement: LineageStatement,
    row: int,
    earlier_documents: list[list[LineageStatement]],
    matches: list[dict[int, tuple[int, float]]],
    best: tuple[LineageStatement | None, float],
    threshold: float,
) -> LineageLink:
    # most recent earlier document first
    for earlier, matched in zip(reversed(earlier_documents), reversed(matches), strict=True):
        if row in matched and matched[row][1] >= threshold:
            predecessor = earlier[matched[row][0]]
            score = matched[row][1]
            change = (
                statement.level - predecessor.level
                if statement.level is not None and predecessor.level is not None
                else None
            )
            if predecessor.document_kind in _OUTLINE_KINDS:
                relation: Relation = "realised"
            elif (
                near_identity(predecessor.text, statement.text) >= RESTATED_THRESHOLD and not change
            ):
                relation = "restated"  # near-identical words at the same strength
            else:
                relation = "revised"
            added, removed = word_changes(predecessor.text, statement.text)
            return LineageLink(
                statement,
                relation,
                predecessor,
                round(score, 4),
                best[0],
                round(best[1], 4),
                added,
                removed,
                change,
            )
    return LineageLink(statement, "new", best=best[0], best_score=round(best[1], 4))
