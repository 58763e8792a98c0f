"""Pairs: the statements of one series → every candidate pair (a later statement, an earlier one
of another document) with its alignment and the features the classifier weighs.

Per pair of documents (later, earlier): the retrieval's candidates (``candidates``), each aligned
(``align``); then the features that look at the neighbourhood: whether the pair is its row's and
its column's best, by how much, its retrieval cosine and word containment as shares of its
row's best, how far apart the two stand in their documents, and whether the
statements next to them are each other's best matches too. Questions put to a meeting
(``DiscussionQuestion``: the outline's annex says they "are not meant to form part of an outcome
document") are never earlier versions. An outline element is read with the heading it stands
under: it is a topic ("National legislation and administrative procedures") of that heading
("Marking"). The headings themselves are compared too: an outcome keeps much of its outline's
headings, so the heading path of a later statement says which part of the earlier document it
takes up, and the innermost section of an earlier statement which of its neighbours compete.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

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
    bags: list[dict[str, float]] = field(default_factory=list)
    """Each text's distinct tokens and their weights."""
    _bags_of_text: dict[str, dict[str, float]] = field(default_factory=dict)

    def bag(self, text: str) -> dict[str, float]:
        """A text's (a heading's) distinct tokens and their weights."""
        found = self._bags_of_text.get(text)
        if found is None:
            found = self._bags_of_text[text] = {w: self.index.weight(w) for w in tokens(text)}
        return found

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
        bags = [{w: found.weight(w) for w in set(t)} for t in texts]
        return cls(documents, texts, found, rows, sums, bags)

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
    headings = _heading_matches(series, later_doc, earlier_doc)
    near = _near_headings(series, later_doc, earlier_doc)
    best_of_group = _best_of_groups(found, earlier_doc)
    group_sizes: dict[str, int] = defaultdict(int)
    for statement in earlier_doc:
        group_sizes[_group(statement)] += 1
    contained = {
        (i, j): _contains(series, series.rows[later][i], series.rows[earlier][j]) for i, j in found
    }
    best_cosine: dict[int, float] = defaultdict(float)
    best_contains: dict[int, float] = defaultdict(float)
    for (i, j), (_alignment, cosine) in found.items():
        best_cosine[i] = max(best_cosine[i], cosine)
        best_contains[i] = max(best_contains[i], contained[i, j])
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
            "heading": headings[later_statement.headings, j][0],
            "heading_best": headings[later_statement.headings, j][1],
            "heading_near": near[later_statement.heading, j],
            "group_best": float(dice >= best_of_group[i, _group(earlier_statement)] - 1e-9),
            "group_single": 1.0 / group_sizes[_group(earlier_statement)],
            "contains": contained[i, j],
            "cosine_share": cosine / best_cosine[i] if best_cosine[i] else 0.0,
            "contains_share": contained[i, j] / best_contains[i] if best_contains[i] else 0.0,
            "years": _years(later_statement.text, earlier_statement.text),
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


def _group(statement: LineageStatement) -> str:
    """The innermost section a statement stands in (its eId without its last step)."""
    return statement.key.rsplit("__", 1)[0]


def _best_of_groups(
    found: dict[tuple[int, int], tuple[Alignment, float]], earlier_doc: list[LineageStatement]
) -> dict[tuple[int, str], float]:
    """For each later statement and innermost earlier section: its best dice there (the element
    of an outline's sub-section a paragraph realises is its best match among that sub-section's
    elements, not necessarily in the whole outline)."""
    best: dict[tuple[int, str], float] = defaultdict(float)
    for (i, j), (alignment, _cosine) in found.items():
        key = (i, _group(earlier_doc[j]))
        best[key] = max(best[key], alignment.dice)
    return best


def _bag_similarity(left: dict[str, float], right: dict[str, float]) -> float:
    """The weighted share of ``left``'s distinct words (``Series.bag``) found in ``right``."""
    total = sum(left.values())
    return sum(w for t, w in left.items() if t in right) / total if total else 0.0


def _bag_dice(left: dict[str, float], right: dict[str, float]) -> float:
    """The weighted dice of two texts' distinct words (``Series.bag``), order ignored."""
    total = sum(left.values()) + sum(right.values())
    return 2 * sum(w for t, w in left.items() if t in right) / total if total else 0.0


HEADING_MATCH = 0.5
"""Least word dice at which a later heading counts as found in the earlier document."""


def _heading_matches(
    series: Series, later_doc: list[LineageStatement], earlier_doc: list[LineageStatement]
) -> dict[tuple[tuple[str, ...], int], tuple[float, float]]:
    """For each later heading path and earlier statement: how well the deepest later heading that
    the earlier document carries matches the statement's headings (or, for a topic standing
    alone, its text), and whether no other earlier statement matches it better. An outcome keeps
    much of its outline's headings: "Marking", "Best practices to ensure irreversible deactivation
    (or destruction)", "2018 declaration"."""
    labels = [[series.bag(h) for h in s.headings] + [series.bag(s.text)] for s in earlier_doc]
    result: dict[tuple[tuple[str, ...], int], tuple[float, float]] = {}
    for path in {s.headings for s in later_doc}:
        scores = [0.0] * len(earlier_doc)
        for heading in reversed(path):
            wanted = series.bag(heading)
            scores = [max(_bag_dice(wanted, x) for x in label) for label in labels]
            if max(scores, default=0.0) >= HEADING_MATCH:
                break
        top = max(scores, default=0.0)
        for j, score in enumerate(scores):
            result[path, j] = (score, float(top >= HEADING_MATCH and score >= top - 1e-9))
    return result


def _near_headings(
    series: Series, later_doc: list[LineageStatement], earlier_doc: list[LineageStatement]
) -> dict[tuple[str, int], float]:
    """For each later statement's own heading and earlier statement: the share of the heading's
    words the earlier statement's own heading or text carries."""
    result: dict[tuple[str, int], float] = {}
    for heading in {s.heading for s in later_doc}:
        wanted = series.bag(heading)
        for j, s in enumerate(earlier_doc):
            result[heading, j] = max(
                _bag_similarity(wanted, series.bag(s.heading)),
                _bag_similarity(wanted, series.bag(s.text)),
            )
    return result


def _contains(series: Series, later: int, earlier: int) -> float:
    """The idf-weighted share of the earlier text's words found anywhere in the later one, in any
    order (a short topic taken up by a paragraph that reorders or splits its words)."""
    return _bag_similarity(series.bags[earlier], series.bags[later])


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@lru_cache(maxsize=8192)
def _years_in(text: str) -> frozenset[str]:
    return frozenset(_YEAR.findall(text))


def _years(later: str, earlier: str) -> float:
    """1 when both texts name years and share one, -1 when they share none, else 0 (a schedule
    item is told from its neighbours by its year alone)."""
    left, right = _years_in(later), _years_in(earlier)
    if not left or not right:
        return 0.0
    return 1.0 if left & right else -1.0


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
