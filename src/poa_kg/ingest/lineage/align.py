"""Align: two statements' normalised tokens → how much of each the other carries, word by word.

The alignment is the longest common subsequence of the two token sequences (rapidfuzz's
``Indel.opcodes``, the optimal order-preserving word alignment): a word only counts as shared
where it sits in the same order as in the other text, so two paragraphs that share a topic's
vocabulary in a different sentence count less than one that carries the other's clauses. Each
matched token weighs its idf (``candidates.Index``): stock phrases ("small arms and light
weapons", "in accordance with") weigh little, the words that say what a provision is about weigh
much. From the matched weight:

- ``dice``: twice the matched weight over both texts' weight (both texts are one provision);
- ``covers_earlier``: the share of the earlier text found in the later (an outline element taken
  up by a longer paragraph; one of the paragraphs a later one merges);
- ``covers_later``: the share of the later text found in the earlier (one of the paragraphs an
  earlier one was split into);
- ``identity``: the unweighted ratio of the token sequences (restated ≈ 1).

The classifier (``classify``) turns them, with the structural features of ``pairs``, into one
confidence (0–1). ``word_changes`` and ``diff_segments`` say, on the printed words, what changed
from one version to the next.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from poa_kg.wording import diff_segments, word_changes


@dataclass(frozen=True)
class Alignment:
    dice: float
    covers_earlier: float
    covers_later: float
    identity: float
    earlier_weight: float
    later_weight: float
    later_spans: tuple[tuple[int, int], ...] = ()
    """The token spans of the later text that the earlier one matches."""


def prefix_weights(tokens: Sequence[str], weight: Callable[[str], float]) -> list[float]:
    """Running sums of the tokens' weights (``[0, w0, w0 + w1, …]``): a span's weight in O(1)."""
    sums = [0.0]
    for token in tokens:
        sums.append(sums[-1] + weight(token))
    return sums


class Aligner:
    """Aligns one later text with many earlier ones."""

    def __init__(self, later: Sequence[str], later_sums: Sequence[float]) -> None:
        self._later = later
        self._later_sums = later_sums

    def against(self, earlier: Sequence[str], earlier_sums: Sequence[float]) -> Alignment:
        """The alignment of an earlier text (tokens and ``prefix_weights``) with the later one."""
        matched = 0.0
        count = 0
        spans: list[tuple[int, int]] = []
        for tag, a1, a2, b1, b2 in Indel.opcodes(earlier, self._later).as_list():
            if tag == "equal":
                a1, a2 = int(a1), int(a2)
                count += a2 - a1
                matched += earlier_sums[a2] - earlier_sums[a1]
                spans.append((int(b1), int(b2)))
        left = earlier_sums[-1] or 1.0
        right = self._later_sums[-1] or 1.0
        total = len(earlier) + len(self._later)
        return Alignment(
            dice=2 * matched / (left + right),
            covers_earlier=matched / left,
            covers_later=matched / right,
            identity=2 * count / total if total else 1.0,
            earlier_weight=left,
            later_weight=right,
            later_spans=tuple(spans),
        )

    def complement(self, found: Alignment, best: Alignment) -> float:
        """The share of the later text's weight ``found`` matches and ``best`` does not: what a
        second source adds to a merged paragraph."""
        covered: set[int] = set()
        for b1, b2 in best.later_spans:
            covered.update(range(b1, b2))
        extra = 0.0
        for b1, b2 in found.later_spans:
            for k in range(b1, b2):
                if k not in covered:
                    extra += self._later_sums[k + 1] - self._later_sums[k]
        return extra / (self._later_sums[-1] or 1.0)


def align(
    earlier: Sequence[str], later: Sequence[str], weight: Callable[[str], float]
) -> Alignment:
    """The alignment of two token sequences (``normalise.tokens``), tokens weighed by ``weight``."""
    aligner = Aligner(later, prefix_weights(later, weight))
    return aligner.against(earlier, prefix_weights(earlier, weight))


__all__ = [
    "Aligner",
    "Alignment",
    "align",
    "diff_segments",
    "prefix_weights",
    "word_changes",
]
