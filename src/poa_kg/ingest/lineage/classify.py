"""Classify: the features of a candidate pair → the probability that the later statement is a
version of the earlier one (the link's confidence).

A logistic model per kind of pair — ``realise`` (an outline element and an outcome paragraph),
``revise`` (two outcome paragraphs) and ``resolution`` (two paragraphs of General Assembly
resolutions) — over the word alignment's measures
and a few structural priors (``FEATURES``). Its weights are data, ``weights.csv`` beside this
module, fitted by ``python -m poa_kg.ingest.lineage.tune`` on the ``tune`` half of the labelled
pairs only (L2-regularised maximum likelihood, ``fit``).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

FEATURES: tuple[str, ...] = (
    "bias",
    "dice",
    "covers_earlier",
    "covers_later",
    "identity",
    "cosine",
    "row_best",
    "column_best",
    "row_margin",
    "column_margin",
    "position",
    "neighbours",
    "same_class",
    "resolution",
    "section_share",
    "complement",
    "heading",
    "heading_best",
    "heading_near",
    "group_best",
    "group_single",
    "contains",
    "years",
    "cosine_share",
    "contains_share",
)
"""What the model weighs:

- ``dice``, ``covers_earlier``, ``covers_later``, ``identity``: the word alignment (``align``);
- ``cosine``: the retrieval's TF-IDF cosine;
- ``row_best`` / ``column_best``: the earlier statement is the later one's best match in its
  document / the later one is the earlier one's best match in the later document (1 or 0);
- ``row_margin`` / ``column_margin``: how far the pair's dice is above the next best of its row /
  column (negative when below);
- ``position``: how far apart the two stand in their documents (relative place, 0–1);
- ``neighbours``: the statements before or after the two are each other's best matches too (a
  run of paragraphs carried over in order);
- ``same_class``: both are declarations, or both commitments …;
- ``resolution``: both are General Assembly resolutions;
- ``section_share``: how many of the confident matches of the later statement's section fall in
  the earlier statement's section (documents keep their order of topics);
- ``complement``: the share of the later text this earlier one matches and the later one's best
  match does not (the second source of a merged paragraph);
- ``heading`` / ``heading_best``: how well the deepest heading of the later statement that the
  earlier document carries matches the earlier statement's headings (or, for an outline topic,
  its text), and whether no other earlier statement matches it better (an outcome keeps its
  outline's headings: "Marking", "2018 declaration");
- ``heading_near``: the share of the later statement's own heading found in the earlier one's
  heading or text;
- ``group_best``: the pair's dice is the best of the later statement's among the statements of
  the earlier one's innermost section (which of a sub-section's topics a paragraph takes up);
- ``group_single``: 1 / the number of statements in the earlier one's innermost section (a topic
  alone under its heading is realised by everything under the matching heading);
- ``contains``: the share of the earlier text's words found anywhere in the later one, in any
  order;
- ``years``: both texts name years and share one (1), or share none (-1), else 0;
- ``cosine_share`` / ``contains_share``: the pair's ``cosine`` / ``contains`` over the best of
  the later statement's candidates in the earlier document (1 for its best match): how it ranks
  within its row, whatever the row's absolute level (a short outline topic shares few words even
  with the paragraph that realises it).
"""
KINDS = ("realise", "revise", "resolution")
WEIGHTS = Path(str(files(__package__).joinpath("weights.csv")))


def kind_of(earlier_kind: str) -> str:
    """The model a pair is scored by, from its earlier document's kind."""
    return {"outline": "realise", "resolution": "resolution"}.get(earlier_kind, "revise")


@cache
def load(path: Path = WEIGHTS) -> dict[str, dict[str, float]]:
    """The fitted weights: kind → feature → weight (a missing file or feature weighs 0)."""
    weights: dict[str, dict[str, float]] = {k: {} for k in KINDS}
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                weights.setdefault(row["kind"], {})[row["feature"]] = float(row["weight"])
    return weights


def threshold(kind: str) -> float:
    """The least probability of a link for a kind of pair, as tuned (0.5 when not tuned)."""
    return load().get(kind, {}).get("threshold", 0.5)


def top_threshold(kind: str) -> float:
    """The least probability of a link for the best candidate of a later statement in an earlier
    document, as tuned (``threshold`` when not tuned): a statement's best match needs less
    evidence than its second or third."""
    tuned = load().get(kind, {})
    return tuned.get("top", tuned.get("threshold", 0.5))


def probability(weights: Mapping[str, float], features: Mapping[str, float]) -> float:
    """The logistic model's probability for one pair."""
    z = sum(weights.get(name, 0.0) * features.get(name, 0.0) for name in FEATURES)
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def fit(
    rows: Sequence[tuple[Mapping[str, float], int]],
    l2: float = 1.0,
    left_out: Collection[str] = (),
) -> dict[str, float]:
    """Weights maximising the L2-penalised likelihood of ``rows`` (features, 1 link / 0 not);
    the features ``left_out`` weigh 0."""
    used = [name for name in FEATURES if name not in left_out]
    x = np.array([[f.get(name, 0.0) for name in used] for f, _y in rows], dtype=float)
    y = np.array([label for _f, label in rows], dtype=float)
    penalty = np.ones(len(used))
    penalty[0] = 0.0  # the bias is not penalised

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        eps = 1e-12
        value = -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
        value += 0.5 * l2 * np.sum(penalty * w * w)
        gradient = x.T @ (p - y) + l2 * penalty * w
        return float(value), gradient

    found = minimize(loss, np.zeros(len(used)), jac=True, method="L-BFGS-B")
    fitted = dict.fromkeys(FEATURES, 0.0)
    fitted.update({name: round(float(w), 4) for name, w in zip(used, found.x, strict=True)})
    return fitted


def save(weights: Mapping[str, Mapping[str, float]], path: Path = WEIGHTS) -> None:
    """Write ``weights`` (and each kind's ``threshold`` and ``top``) as ``kind,feature,weight``
    rows."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["kind", "feature", "weight"])
        for kind in KINDS:
            for name in (*FEATURES, "threshold", "top"):
                writer.writerow([kind, name, weights.get(kind, {}).get(name, 0.0)])
    load.cache_clear()


__all__ = [
    "FEATURES",
    "KINDS",
    "WEIGHTS",
    "fit",
    "kind_of",
    "load",
    "probability",
    "save",
    "threshold",
    "top_threshold",
]
