"""Lineage: the statements of every document → for each, its earlier versions in the documents
before it (ranked, scored links with a relation, word diffs and strength changes), its first
appearance, and the statements each document dropped.

One module per step: ``normalise`` (text → comparable tokens), ``candidates`` (TF-IDF retrieval
from every earlier document), ``align`` (idf-weighted word alignment, the confidence),
``series`` (which links to keep, their relations, first appearances, dropped statements),
``evaluate`` (precision and recall against hand-labelled pairs).
"""

from poa_kg.ingest.lineage.normalise import tokens
from poa_kg.ingest.lineage.records import RELATIONS, Lineage, LineageStatement, Link, Relation
from poa_kg.ingest.lineage.series import POLICY, Policy, link
from poa_kg.wording import diff_segments, word_changes, words

__all__ = [
    "POLICY",
    "RELATIONS",
    "Lineage",
    "LineageStatement",
    "Link",
    "Policy",
    "Relation",
    "diff_segments",
    "link",
    "tokens",
    "word_changes",
    "words",
]
