"""Series: statements of many documents → scored links from each statement to its earlier versions,
each statement's first appearance, and the statements each document dropped.

Documents form two series, each in time order (date, then key): the meetings' documents (outline
(PrepCom, 2018) → RevCon3 (2018) → BMS8 (2022) → …) and, apart from them, the General Assembly's
resolutions (2002 → 2003 → … → 2019). A resolution's preamble is not an earlier draft of a meeting's
outcome: compared across the two, the preambles drowned the meeting-to-meeting links.

For each statement of a later document:

1. **Candidates** from every earlier document of its series, aligned word by word, with their
   features (``pairs``).
2. **Confidence**: the classifier's probability that the pair is a link (``classify``).
3. **The earlier document**: the most recent one holding a candidate at or above the threshold
   (a paragraph left out one year and restored later links to the year it last stood in). The
   statement's best candidate in a document needs its kind's ``top_threshold``, the others its
   ``threshold`` (both tuned; the first may be lower: a best match needs less evidence).
4. **Links**: every candidate in that document at or above the threshold, best first — several
   when the statement merges paragraphs, realises several outline elements, or is one of the
   parts an earlier paragraph was split into.

The relation of each link: ``realised`` from an outline element; ``split`` when the earlier
statement has several successors in the document, ``merged`` when the later one has several
predecessors there; else ``restated`` (near-identical normalised words, same class and strength)
or ``revised``. A declaration and a commitment are not compared for strength: a change of class is
recorded as such (``Link.class_change``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from poa_kg.ingest.lineage import classify
from poa_kg.ingest.lineage.align import word_changes
from poa_kg.ingest.lineage.pairs import Candidate, blocks
from poa_kg.ingest.lineage.records import Lineage, LineageStatement, Link, Relation

_OUTLINE_KINDS = frozenset({"outline"})
_SERIES_KINDS = frozenset({"resolution"})
"""Document kinds that form a series of their own (linked only among themselves)."""


@dataclass(frozen=True)
class Policy:
    """The knobs of linking, chosen on the tuning half of the labelled pairs
    (``tests/data/lineage/``)."""

    link: float | None = None
    """Least confidence (classifier probability) of a link; None: each kind's threshold as tuned
    (``classify.threshold``)."""
    restated: float = 0.95
    """Least identity of the normalised tokens for ``restated``."""


POLICY = Policy()


def series_of(statements: Sequence[LineageStatement]) -> list[list[LineageStatement]]:
    """The statements split into series (meetings' documents; resolutions)."""
    grouped: dict[bool, list[LineageStatement]] = {}
    for statement in statements:
        grouped.setdefault(statement.document_kind in _SERIES_KINDS, []).append(statement)
    return [grouped[k] for k in sorted(grouped)]


def ordered(statements: Sequence[LineageStatement]) -> list[list[LineageStatement]]:
    """Statements grouped by document, documents in time order (date, then key)."""
    by_document: dict[str, list[LineageStatement]] = {}
    for statement in statements:
        by_document.setdefault(statement.document, []).append(statement)
    return [by_document[d] for d in sorted(by_document, key=lambda d: (by_document[d][0].date, d))]


Prepared = list[list[list[list[Candidate]]]]
"""Per series, per later document, per earlier document: the candidate pairs with features."""


def prepare(statements: Sequence[LineageStatement]) -> Prepared:
    """The candidate pairs of every series (``pairs.blocks``): the costly part of ``link``."""
    return [blocks(ordered(members)) for members in series_of(statements)]


def link(
    statements: Sequence[LineageStatement],
    policy: Policy = POLICY,
    prepared: Prepared | None = None,
) -> Lineage:
    """Lineage over ``statements`` (of any number of documents); ``prepared`` may give their
    candidate pairs (``prepare``) when linking the same statements again."""
    result = Lineage(list(statements), [], [])
    for members in series_of(statements):
        result.series.append([d[0].document for d in ordered(members)])
    weights = classify.load()
    for series in prepared if prepared is not None else prepare(statements):
        for per_later in series:
            for candidates in per_later:
                for candidate in candidates:
                    candidate.probability = classify.probability(
                        weights.get(candidate.kind, {}), candidate.features
                    )
            result.links += _choose(per_later, policy)
    _first_and_dropped(result)
    return result


def _choose(per_later: list[list[Candidate]], policy: Policy) -> list[Link]:
    """The links of one later document: into the most recent earlier document where it has any."""
    chosen: list[Candidate] = []
    by_later: dict[str, list[list[Candidate]]] = defaultdict(list)
    for candidates in per_later:  # oldest earlier document first
        best: dict[str, float] = defaultdict(float)
        for candidate in candidates:
            best[candidate.later.id] = max(best[candidate.later.id], candidate.probability)
        grouped: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            if candidate.probability >= _least(candidate, best[candidate.later.id], policy):
                grouped[candidate.later.id].append(candidate)
        for later, passing in grouped.items():
            by_later[later].append(passing)
    for per_document in by_later.values():
        chosen += per_document[-1]
    return _relations(chosen, policy)


def _least(candidate: Candidate, best: float, policy: Policy) -> float:
    """The confidence a candidate needs: its kind's ``top_threshold`` when it is its later
    statement's best in that earlier document, else its kind's ``threshold``."""
    if policy.link is not None:
        return policy.link
    if candidate.probability >= best:
        return classify.top_threshold(candidate.kind)
    return classify.threshold(candidate.kind)


def _relations(chosen: list[Candidate], policy: Policy) -> list[Link]:
    successors: dict[str, int] = defaultdict(int)
    predecessors: dict[str, int] = defaultdict(int)
    for c in chosen:
        successors[c.earlier.id] += 1
        predecessors[c.later.id] += 1
    ranks: dict[str, int] = defaultdict(int)
    links: list[Link] = []
    for c in sorted(chosen, key=lambda c: (c.later.id, -c.probability, c.earlier.id)):
        ranks[c.later.id] += 1
        later, earlier = c.later, c.earlier
        same_class = later.cls == earlier.cls
        change = (
            later.level - earlier.level
            if same_class and later.level is not None and earlier.level is not None
            else None
        )
        relation: Relation
        if earlier.document_kind in _OUTLINE_KINDS:
            relation = "realised"
        elif successors[earlier.id] > 1:
            relation = "split"
        elif predecessors[later.id] > 1:
            relation = "merged"
        elif c.alignment.identity >= policy.restated and same_class and not change:
            relation = "restated"
        else:
            relation = "revised"
        added, removed = word_changes(earlier.text, later.text)
        links.append(
            Link(
                later,
                earlier,
                relation,
                round(c.probability, 4),
                ranks[later.id],
                added,
                removed,
                change,
                None if same_class else (earlier.cls or "Statement", later.cls or "Statement"),
            )
        )
    return links


def _first_and_dropped(result: Lineage) -> None:
    """Each statement's earliest version (following its best links back) and the statements the
    next document of their series takes none of."""
    best = {x.later.id: x.earlier for x in result.links if x.rank == 1}
    for statement in sorted(result.statements, key=lambda s: (s.date, s.document)):
        earlier = best.get(statement.id)
        result.first[statement.id] = (
            result.first.get(earlier.id, earlier) if earlier is not None else statement
        )
    taken = {(x.earlier.id, x.later.document) for x in result.links}
    following = {d: n for documents in result.series for d, n in pairwise(documents)}
    for statement in result.statements:
        successor = following.get(statement.document)
        if successor is not None and (statement.id, successor) not in taken:
            result.dropped[statement.id] = successor


__all__ = ["POLICY", "Policy", "link", "ordered", "series_of"]
