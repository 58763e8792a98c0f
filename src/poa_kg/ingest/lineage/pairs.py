"""Pairs: the statements of one series → every candidate pair (a later statement, an earlier one
of another document) with its alignment and the features the classifier weighs.

Per pair of documents (later, earlier): the retrieval's candidates (``candidates``), each aligned
(``align``); then the features that look at the neighbourhood: whether the pair is its row's and
its column's best, by how much, how far apart the two stand in their documents, and whether the
statements next to them are each other's best matches too. Questions put to a meeting
(``DiscussionQuestion``: the outline's annex says they "are not meant to form part of an outcome
document") are never earlier versions. An outline element is read with the heading it stands
under: it is a topic ("National legislation and administrative procedures") of that heading
("Marking").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from poa_kg.ingest.lineage.align import Aligner, Alignment, prefix_weights
from poa_kg.ingest.lineage.candidates import Index, candidates, index
from poa_kg.ingest.lineage.classify import kind_of
from poa_kg.ingest.lineage.normalise import tokens
from poa_kg.ingest.lineage.records import LineageStatement

PER_DOCUMENT = {"realise": 1000, "revise": 1000, "resolution": 4}
"""Candidates per later statement and earlier document, by kind of pair: every pair (that shares
a telling word) between the meetings' few long documents, where one paragraph's successor may
share little of its wording; the best few between resolutions, which carry most paragraphs
forward nearly word for word."""
FLOOR = {"realise": 0.0, "revise": 0.02, "resolution": 0.08}
"""Least TF-IDF cosine of a candidate, by kind: an outline element may share one word with the
paragraph that realises it."""
_NEVER_EARLIER = frozenset({"DiscussionQuestion"})


@dataclass
class Candidate:
    later: LineageStatement
    earlier: LineageStatement
    kind: str
    alignment: Alignment
    features: dict[str, float] = field(default_factory=dict)
    probability: float = 0.0


def _tokens(statement: LineageStatement) -> tuple[str, ...]:
    if statement.document_kind == "outline" and statement.heading:
        return tokens(f"{statement.heading} {statement.text}")
    return tokens(statement.text)


@dataclass
class Series:
    """One series' documents (time order) and its retrieval index."""

    documents: list[list[LineageStatement]]
    texts: list[tuple[str, ...]]
    index: Index
    rows: list[list[int]]
    sums: list[list[float]] = field(default_factory=list)
    """Each text's ``align.prefix_weights``."""

    @classmethod
    def of(cls, documents: list[list[LineageStatement]]) -> Series:
        flat = [s for d in documents for s in d]
        texts = [_tokens(s) for s in flat]
        rows: list[list[int]] = []
        start = 0
        for document in documents:
            rows.append(list(range(start, start + len(document))))
            start += len(document)
        found = index(texts)
        sums = [prefix_weights(t, found.weight) for t in texts]
        return cls(documents, texts, found, rows, sums)

    def statement(self, row: int) -> LineageStatement:
        for document, rows in zip(self.documents, self.rows, strict=True):
            if rows and rows[0] <= row <= rows[-1]:
                return document[row - rows[0]]
        raise IndexError(row)


def block(series: Series, later: int, earlier: int) -> list[Candidate]:
    """The candidate pairs from document ``later`` into document ``earlier`` (positions in the
    series), with their features."""
    later_doc, earlier_doc = series.documents[later], series.documents[earlier]
    kind = kind_of(earlier_doc[0].document_kind)
    rows = zip(series.rows[earlier], earlier_doc, strict=True)
    allowed = [r for r, s in rows if s.cls not in _NEVER_EARLIER]
    proposed = candidates(
        series.index, series.rows[later], allowed, PER_DOCUMENT[kind], FLOOR[kind]
    )
    first_later, first_earlier = series.rows[later][0], series.rows[earlier][0]
    found: dict[tuple[int, int], tuple[Alignment, float]] = {}
    aligners: dict[int, Aligner] = {}
    for row, pairs in proposed.items():
        aligner = aligners[row - first_later] = Aligner(series.texts[row], series.sums[row])
        for other, cosine in pairs:
            alignment = aligner.against(series.texts[other], series.sums[other])
            found[row - first_later, other - first_earlier] = (alignment, cosine)
    row_scores: dict[int, list[float]] = defaultdict(list)
    column_scores: dict[int, list[float]] = defaultdict(list)
    best_of_row: dict[int, int] = {}
    for (i, j), (alignment, _cosine) in found.items():
        row_scores[i].append(alignment.dice)
        column_scores[j].append(alignment.dice)
        if i not in best_of_row or alignment.dice > found[i, best_of_row[i]][0].dice:
            best_of_row[i] = j
    for scores in (*row_scores.values(), *column_scores.values()):
        scores.sort(reverse=True)
    sections = _section_shares(found, later_doc, earlier_doc, best_of_row)
    result: list[Candidate] = []
    for (i, j), (alignment, cosine) in found.items():
        later_statement, earlier_statement = later_doc[i], earlier_doc[j]
        across, down = row_scores[i], column_scores[j]
        dice = alignment.dice
        features = {
            "bias": 1.0,
            "dice": dice,
            "covers_earlier": alignment.covers_earlier,
            "covers_later": alignment.covers_later,
            "identity": alignment.identity,
            "cosine": cosine,
            "row_best": float(dice >= across[0] - 1e-9),
            "column_best": float(dice >= down[0] - 1e-9),
            "row_margin": dice - _runner_up(across, dice),
            "column_margin": dice - _runner_up(down, dice),
            "position": abs(i / max(1, len(later_doc)) - j / max(1, len(earlier_doc))),
            "neighbours": float(best_of_row.get(i - 1) == j - 1 or best_of_row.get(i + 1) == j + 1),
            "same_class": float(later_statement.cls == earlier_statement.cls),
            "complement": aligners[i].complement(alignment, found[i, best_of_row[i]][0])
            if best_of_row[i] != j
            else alignment.covers_later,
            "section_share": sections.get(
                (_section(later_statement), _section(earlier_statement)), 0.0
            ),
            "resolution": float(later_statement.document_kind == "resolution"),
        }
        result.append(Candidate(later_statement, earlier_statement, kind, alignment, features))
    return result


def _runner_up(scores: list[float], dice: float) -> float:
    """The best other score of a row or column (sorted, falling) than ``dice``."""
    if dice >= scores[0] - 1e-9:
        return scores[1] if len(scores) > 1 else 0.0
    return scores[0]


def _section(statement: LineageStatement) -> str:
    """The part and the two outer sections of a statement's eId (``annex/sec_II``)."""
    part, eid = statement.key.split("/", 1)
    return "/".join([part, *eid.split("__")[:-1][:2]])


def _section_shares(
    found: dict[tuple[int, int], tuple[Alignment, float]],
    later_doc: list[LineageStatement],
    earlier_doc: list[LineageStatement],
    best_of_row: dict[int, int],
) -> dict[tuple[str, str], float]:
    """For each (later section, earlier section): the share of the later section's confident
    best matches (dice ≥ ``CONFIDENT``) that fall in the earlier section. Documents keep their
    order of topics: a section's paragraphs come mostly from one section of the earlier one."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for i, j in best_of_row.items():
        if found[i, j][0].dice >= CONFIDENT:
            later_section = _section(later_doc[i])
            counts[later_section, _section(earlier_doc[j])] += 1
            totals[later_section] += 1
    return {key: count / totals[key[0]] for key, count in counts.items()}


CONFIDENT = 0.4
"""Dice at which a best match counts towards the sections' correspondence."""


def blocks(documents: Sequence[list[LineageStatement]]) -> list[list[list[Candidate]]]:
    """For each document of a series after the first, the candidate pairs into each earlier one
    (``result[later - 1][earlier]``)."""
    series = Series.of(list(documents))
    return [
        [block(series, later, earlier) for earlier in range(later)]
        for later in range(1, len(documents))
    ]


__all__ = ["PER_DOCUMENT", "Candidate", "Series", "block", "blocks"]
