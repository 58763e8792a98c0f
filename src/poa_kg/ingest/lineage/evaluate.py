"""Evaluate: lineage links + hand-labelled pairs → precision, recall and relation accuracy per label
set and per relation.

The labels (``tests/data/lineage/``) are made from the texts alone, without the method:

- ``pairs.csv``: ``pair,set,later,earlier,label,sure,half,note``; ``label`` is ``restated``,
  ``revised``, ``realised``, ``merged``, ``split`` or ``different`` (a near miss: same topic, not
  the same provision); ``half`` is ``tune`` or ``test``.
- ``sampled.csv``: later statements whose predecessors in one earlier document
  (``earlier_document``) were listed exhaustively in ``pairs.csv``: any link the method makes
  from such a statement into that document that is not labelled positive is a false positive.

A link is any positive label. Precision = labelled-positive links made / all links made among the
pairs and sampled statements of the half; recall = labelled-positive links made / labelled-positive
pairs; ``hard negatives`` = pairs labelled ``different`` that were linked; relation accuracy = the
share of the found links whose relation is the labelled one. A file without ``set`` or ``half``
columns is split by the documents of each pair and the parity of its number (odd: tune).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from poa_kg.ingest.lineage.records import RELATIONS, Link

NEGATIVE = "different"


@dataclass(frozen=True)
class Pair:
    later: str
    earlier: str
    label: str
    set: str
    half: str
    sure: bool = True


@dataclass(frozen=True)
class Sampled:
    later: str
    earlier_document: str
    set: str
    half: str


@dataclass
class Scores:
    """What the links score on one label set and half."""

    set: str
    half: str
    pairs: int = 0
    positives: int = 0
    found: int = 0
    false_positives: int = 0
    hard_negatives: int = 0
    negatives: int = 0
    relation_right: int = 0
    per_relation: dict[str, list[int]] = field(default_factory=dict)
    """relation → [labelled, found, predicted, predicted and positive]."""

    @property
    def precision(self) -> float:
        made = self.found + self.false_positives
        return self.found / made if made else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.positives if self.positives else 1.0

    @property
    def relation_accuracy(self) -> float:
        return self.relation_right / self.found if self.found else 1.0

    def relation_recall(self, relation: str) -> float | None:
        labelled, found, _p, _pp = self.per_relation.get(relation, [0, 0, 0, 0])
        return found / labelled if labelled else None

    def relation_precision(self, relation: str) -> float | None:
        _l, _f, predicted, right = self.per_relation.get(relation, [0, 0, 0, 0])
        return right / predicted if predicted else None


def _set_of(later: str, earlier: str) -> str:
    """The set of a pair whose file names none: its two documents' ids."""
    return f"{later.split('/', 1)[0]}-{earlier.split('/', 1)[0]}"


def read_pairs(folder: Path) -> list[Pair]:
    """Every ``pairs.csv`` row of ``folder`` (and its sub-folders)."""
    found: list[Pair] = []
    for path in sorted(folder.rglob("pairs.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                number = int("".join(c for c in row["pair"] if c.isdigit()) or 0)
                found.append(
                    Pair(
                        later=row["later"].strip(),
                        earlier=row["earlier"].strip(),
                        label=row["label"].strip(),
                        set=(row.get("set") or _set_of(row["later"], row["earlier"])).strip(),
                        half=(row.get("half") or ("tune" if number % 2 else "test")).strip(),
                        sure=(row.get("sure") or "yes").strip().lower()
                        in ("yes", "true", "1", "y"),
                    )
                )
    return found


def read_sampled(folder: Path, pairs: list[Pair]) -> list[Sampled]:
    """Every ``sampled.csv`` row of ``folder`` (and its sub-folders); a row without a set takes
    the set of its later statement's pairs."""
    sets = {(p.later, p.earlier.split("/", 1)[0]): p.set for p in pairs}
    found: list[Sampled] = []
    for path in sorted(folder.rglob("sampled.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                later, earlier = row["later"].strip(), row["earlier_document"].strip()
                if (row.get("exhaustive") or "yes").strip().lower() not in ("yes", "true", "1"):
                    continue
                named = row.get("set") or sets.get((later, earlier)) or _set_of(later, earlier)
                found.append(
                    Sampled(later, earlier, named.strip(), (row.get("half") or "test").strip())
                )
    return found


def evaluate(
    links: Iterable[Link], pairs: list[Pair], sampled: list[Sampled], half: str
) -> dict[str, Scores]:
    """Scores per label set on one half (``tune`` or ``test``)."""
    made: dict[tuple[str, str], str] = {(x.later.id, x.earlier.id): x.relation for x in links}
    by_later: dict[tuple[str, str], set[str]] = defaultdict(set)
    for later, earlier in made:
        by_later[later, earlier.split("/", 1)[0]].add(earlier)
    positive = {(p.later, p.earlier) for p in pairs if p.label != NEGATIVE}
    results: dict[str, Scores] = {}
    counted: set[tuple[str, str]] = set()
    for pair in (p for p in pairs if p.half == half):
        scores = results.setdefault(pair.set, Scores(pair.set, half))
        key = (pair.later, pair.earlier)
        if key in counted:
            continue
        counted.add(key)
        scores.pairs += 1
        relation = made.get(key)
        if pair.label == NEGATIVE:
            scores.negatives += 1
            if relation is not None:
                scores.false_positives += 1
                scores.hard_negatives += 1
                scores.per_relation.setdefault(relation, [0, 0, 0, 0])[2] += 1
            continue
        scores.positives += 1
        row = scores.per_relation.setdefault(pair.label, [0, 0, 0, 0])
        row[0] += 1
        if relation is not None:
            scores.found += 1
            row[1] += 1
            scores.relation_right += relation == pair.label
            predicted = scores.per_relation.setdefault(relation, [0, 0, 0, 0])
            predicted[2] += 1
            predicted[3] += 1
    for unit in (s for s in sampled if s.half == half):
        scores = results.setdefault(unit.set, Scores(unit.set, half))
        for earlier in sorted(by_later.get((unit.later, unit.earlier_document), ())):
            key = (unit.later, earlier)
            if key in counted or key in positive:
                continue
            counted.add(key)
            scores.false_positives += 1
            scores.per_relation.setdefault(made[key], [0, 0, 0, 0])[2] += 1
    return _with_combined(results, half)


COMBINED = {"seed": ("bms8-revcon3", "outline-revcon3")}
"""Sets also scored together: the seed documents' links (the meetings' series)."""


def _with_combined(results: dict[str, Scores], half: str) -> dict[str, Scores]:
    for name, members in COMBINED.items():
        parts = [results[m] for m in members if m in results]
        if len(parts) < 2:
            continue
        total = Scores(name, half)
        for part in parts:
            for counter in (
                "pairs",
                "positives",
                "found",
                "false_positives",
                "hard_negatives",
                "negatives",
                "relation_right",
            ):
                setattr(total, counter, getattr(total, counter) + getattr(part, counter))
            for relation, row in part.per_relation.items():
                into = total.per_relation.setdefault(relation, [0, 0, 0, 0])
                for i, value in enumerate(row):
                    into[i] += value
        results[name] = total
    return results


def table(results: dict[str, Scores]) -> str:
    """The scores as a Markdown table (one row per set, then one per set and relation)."""
    lines = [
        "| set | half | pairs | positives | precision | recall | relation accuracy "
        "| hard negatives linked |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in results.values():
        lines.append(
            f"| {s.set} | {s.half} | {s.pairs} | {s.positives} | {s.precision:.3f} "
            f"| {s.recall:.3f} | {s.relation_accuracy:.3f} | {s.hard_negatives}/{s.negatives} |"
        )
    lines += [
        "",
        "| set | relation | labelled | recall | predicted | precision |",
        "|---|---|---|---|---|---|",
    ]
    for s in results.values():
        for relation in RELATIONS:
            labelled, _found, predicted, _right = s.per_relation.get(relation, [0, 0, 0, 0])
            if not labelled and not predicted:
                continue
            recall, precision = s.relation_recall(relation), s.relation_precision(relation)
            lines.append(
                f"| {s.set} | {relation} | {labelled} | "
                f"{'—' if recall is None else f'{recall:.3f}'} | {predicted} | "
                f"{'—' if precision is None else f'{precision:.3f}'} |"
            )
    return "\n".join(lines)


__all__ = ["Pair", "Sampled", "Scores", "evaluate", "read_pairs", "read_sampled", "table"]
