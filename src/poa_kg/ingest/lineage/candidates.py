"""Candidates: the statements of one series → for each statement of a later document, the few
statements of each earlier document worth aligning with it.

Retrieval is TF-IDF cosine over the normalised tokens (``normalise.tokens``) and their bigrams,
with inverse document frequencies taken over every statement of the series (a sparse matrix
product, so all 21 documents take well under a second). It only proposes: the decision is the
word alignment's (``align``). ``PER_DOCUMENT`` candidates per earlier document and a low floor
keep the many-to-one cases (an outline element realised by several paragraphs, a paragraph merging
two) within reach.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy.sparse import csr_matrix

PER_DOCUMENT = 4
"""Candidates kept per (later statement, earlier document)."""
FLOOR = 0.08
"""Least TF-IDF cosine for a candidate: below it two texts share no telling word."""


def features(tokens: Sequence[str]) -> list[str]:
    """Unigrams and bigrams of the normalised tokens."""
    return list(tokens) + [f"{a} {b}" for a, b in pairwise(tokens)]


@dataclass
class Index:
    """TF-IDF vectors of a series' statements (rows in the order given) and the token weights the
    alignment uses (idf of unigrams)."""

    matrix: csr_matrix
    idf: dict[str, float]
    unseen: float = 1.0
    """The weight of a token the index has not seen (the rarest's)."""

    def weight(self, token: str) -> float:
        """How telling a token is: its idf (an unseen token counts as the rarest)."""
        found = self.idf.get(token)
        return self.unseen if found is None else found


def index(texts: Sequence[Sequence[str]]) -> Index:
    """The index of the statements whose normalised tokens are ``texts``."""
    bags = [Counter(features(t)) for t in texts]
    frequency: Counter[str] = Counter(f for bag in bags for f in bag)
    total = len(bags) or 1
    idf = {f: math.log((1 + total) / (1 + n)) + 1.0 for f, n in frequency.items()}
    columns = {f: i for i, f in enumerate(sorted(frequency))}
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for row, bag in enumerate(bags):
        weights = {f: (1.0 + math.log(n)) * idf[f] for f, n in bag.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        for f, w in weights.items():
            rows.append(row)
            cols.append(columns[f])
            values.append(w / norm)
    matrix = csr_matrix((values, (rows, cols)), shape=(len(bags), len(columns)))
    unigram_idf = {f: w for f, w in idf.items() if " " not in f}
    return Index(matrix, unigram_idf, max(unigram_idf.values(), default=1.0))


def candidates(
    found: Index,
    later: Sequence[int],
    earlier: Sequence[int],
    per_document: int = PER_DOCUMENT,
    floor: float = FLOOR,
) -> dict[int, list[tuple[int, float]]]:
    """For each later row, up to ``per_document`` earlier rows by falling cosine (≥ ``floor``,
    and above 0)."""
    if not later or not earlier:
        return {}
    left = found.matrix[list(later)]
    right = found.matrix[list(earlier)]
    scores = np.asarray((left @ right.T).todense())
    chosen: dict[int, list[tuple[int, float]]] = {}
    for i, row in enumerate(later):
        order = np.argsort(-scores[i])[:per_document]
        chosen[row] = [
            (earlier[int(j)], float(scores[i, j]))
            for j in order
            if scores[i, j] >= floor and scores[i, j] > 0
        ]
    return chosen


__all__ = ["FLOOR", "PER_DOCUMENT", "Index", "candidates", "features", "index"]
