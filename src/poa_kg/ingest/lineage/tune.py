"""Tune: the ``tune`` half of the labelled pairs → the classifier's weights and thresholds
(``weights.csv``), and the measured figures on either half.

``python -m poa_kg.ingest.lineage.tune`` fits one logistic model per kind of pair on the candidate
pairs whose later statement is labelled in the ``tune`` half (a positive label: 1; ``different``, or
any other candidate into a document whose predecessors were listed exhaustively: 0), chooses
each kind's threshold on that half (``PRECISION``), writes ``weights.csv`` and prints the tuning
half's figures. It never reads the ``test`` half. With ``--row`` it also fits the features that
rank a pair within its row (``ROW_FEATURES``) and chooses two thresholds per kind: one for a later
statement's best candidate in an earlier document, one (at least as high) for the others.

``python -m poa_kg.ingest.lineage.tune --report`` (no fitting) prints the figures of the links as
they are on the ``test`` half: what the README quotes.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from poa_kg.config import Settings
from poa_kg.ingest.build import read_lineage_statements
from poa_kg.ingest.lineage import classify
from poa_kg.ingest.lineage.evaluate import (
    NEGATIVE,
    Pair,
    Sampled,
    evaluate,
    read_pairs,
    read_sampled,
    table,
)
from poa_kg.ingest.lineage.pairs import Candidate
from poa_kg.ingest.lineage.records import LineageStatement
from poa_kg.ingest.lineage.series import POLICY, Policy, Prepared, link, prepare

_GRID = tuple(round(0.05 * i, 2) for i in range(2, 19))
"""Thresholds tried per kind (0.10 … 0.90)."""


def candidates_of(prepared: Prepared) -> list[Candidate]:
    """Every candidate pair of every series."""
    return [c for series in prepared for per_later in series for block in per_later for c in block]


def training(
    candidates: Sequence[Candidate], pairs: Sequence[Pair], sampled: Sequence[Sampled], half: str
) -> dict[str, list[tuple[Mapping[str, float], int]]]:
    """Per kind of pair, the labelled candidates of one half: (features, 1 link / 0 not)."""
    labels = {(p.later, p.earlier): p.label for p in pairs if p.half == half}
    exhaustive = {(s.later, s.earlier_document) for s in sampled if s.half == half}
    rows: dict[str, list[tuple[Mapping[str, float], int]]] = defaultdict(list)
    for c in candidates:
        label = labels.get((c.later.id, c.earlier.id))
        if label is None and (c.later.id, c.earlier.document) not in exhaustive:
            continue
        rows[c.kind].append((c.features, int(label is not None and label != NEGATIVE)))
    return rows


PRECISION = 0.9
"""Least precision a kind's thresholds must keep on the tuning half: the highest recall at that
precision with no hard negative linked is chosen, else at that precision; where none reaches it,
the best F0.5 (precision counted twice as much as recall): a wrong link misleads more than a
missing one."""


def _fbeta(precision: float, recall: float, beta: float = 0.5) -> float:
    b2 = beta * beta
    denominator = b2 * precision + recall
    return (1 + b2) * precision * recall / denominator if denominator else 0.0


ROW_FEATURES = ("cosine_share", "contains_share")
"""The features that rank a pair within its row, fitted only with ``--row``."""


def fit_all(
    statements: Sequence[LineageStatement], folder: Path, l2: float = 1.0, row: bool = False
) -> dict[str, dict[str, float]]:
    """Fit and save the weights on the tune half; choose each kind's threshold on it, and with
    ``row`` the features ``ROW_FEATURES`` and a lower threshold for a row's best candidate."""
    pairs = read_pairs(folder)
    sampled = read_sampled(folder, pairs)
    prepared = prepare(statements)
    rows = training(candidates_of(prepared), pairs, sampled, "tune")
    left_out = () if row else ROW_FEATURES
    weights = {
        kind: classify.fit(rows[kind], l2, left_out) for kind in classify.KINDS if rows[kind]
    }
    for kind in weights:
        weights[kind]["threshold"] = weights[kind]["top"] = 0.5
    classify.save(weights)
    sets = {
        "realise": ("outline-revcon3",),
        "revise": ("bms8-revcon3",),
        "resolution": ("ga-successive",),
    }
    for kind in weights:
        best = (-1.0, -1.0, -1.0, 0.5, 0.5)
        for least in _GRID:
            for top in (t for t in _GRID if t <= least) if row else (least,):
                weights[kind]["threshold"], weights[kind]["top"] = least, top
                classify.save(weights)
                lineage = link(statements, POLICY, prepared)
                scores = [
                    s
                    for name, s in evaluate(lineage.links, pairs, sampled, "tune").items()
                    if name in sets[kind]
                ]
                precise = float(all(s.precision >= PRECISION for s in scores))
                clean = precise * float(all(s.hard_negatives == 0 for s in scores))
                found = sum(s.recall if precise else _fbeta(s.precision, s.recall) for s in scores)
                best = max(best, (clean, precise, found, least, top))
        weights[kind]["threshold"], weights[kind]["top"] = best[-2], best[-1]
        classify.save(weights)
    return weights


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m poa_kg.ingest.lineage.tune", description=__doc__
    )
    parser.add_argument("--labels", type=Path, default=None, help="folder of the labels")
    parser.add_argument("--report", action="store_true", help="print the test half, fit nothing")
    parser.add_argument("--l2", type=float, default=1.0, help="L2 penalty of the fit")
    parser.add_argument(
        "--row",
        action="store_true",
        help="fit the within-row features too, and a lower threshold for a row's best candidate",
    )
    arguments = parser.parse_args(argv)
    settings = Settings()
    folder = arguments.labels or settings.lineage_labels_dir
    statements = read_lineage_statements(settings)
    half = "test" if arguments.report else "tune"
    if not arguments.report:
        fitted = fit_all(statements, folder, arguments.l2, arguments.row)
        for kind, weights in fitted.items():
            print(
                f"{kind}: threshold {weights['threshold']}, best of a row {weights['top']}",
                file=sys.stderr,
            )
    pairs = read_pairs(folder)
    lineage = link(statements, Policy())
    print(table(evaluate(lineage.links, pairs, read_sampled(folder, pairs), half)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
