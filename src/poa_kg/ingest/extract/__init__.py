"""Extract: ``Document`` (parse.py) → ``Extraction``: statements, mentions and recorded votes.

One module per kind: ``mentions`` (States, actors, instruments, meetings), ``themes`` (themes of
a unit's own words and those inherited from its headings), ``statements`` (class, verbs,
strength), ``votes`` (recorded votes). Every tag records the rule that gave it and what the rule
read (``ontology/vocab/rules.csv``). Everything not understood is reported as a ``QualityIssue``,
never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from poa_kg.ingest.extract.labels import ENTITY_KINDS
from poa_kg.ingest.extract.mentions import MentionMatcher
from poa_kg.ingest.extract.statements import StatementClassifier
from poa_kg.ingest.extract.themes import ThemeFinder
from poa_kg.ingest.extract.votes import extract_votes
from poa_kg.ingest.model import (
    Document,
    InheritedTheme,
    Mention,
    QualityIssue,
    RecordedVote,
    Statement,
    Unit,
)
from poa_kg.ingest.vocab import Vocabulary

# Capitalised names with an organisational head noun, e.g. "Regional Centre on Small Arms …".
_ORGANISATION_NAME = re.compile(
    r"\b(?:[A-Z][\w'’-]+\s+(?:(?:of|for|on|and|the|in|to)\s+)*)*"
    r"(?:Organization|Organisation|Union|Community|Centre|Center|Committee|Association|Network"
    r"|Forum|League|Agency|Bureau|Institute|Fund|Bank|Movement|Council|Office|Programme)"
    r"(?:\s+(?:(?:of|for|on|and|the|in)\s+)+(?:[A-Z][\w'’-]+\s*)+)*"
)


@dataclass
class Extraction:
    """What extraction found in one document."""

    document: Document
    statements: list[Statement] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    votes: list[RecordedVote] = field(default_factory=list)
    issues: list[QualityIssue] = field(default_factory=list)
    inherited_themes: dict[tuple[str, str], list[InheritedTheme]] = field(default_factory=dict)
    """Themes a unit inherits from the nearest heading above it that names any (and does not
    name itself), keyed by (part, eId)."""


class Extractor:
    """Runs every extractor over a document. Build once per vocabulary."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.matcher = MentionMatcher(vocabulary)
        self.classifier = StatementClassifier(vocabulary)
        self.themes = ThemeFinder(vocabulary)

    def extract(self, document: Document) -> Extraction:
        result = Extraction(document)
        by_unit: dict[tuple[str, str], Statement] = {}
        for unit in document.units:
            entities = self.matcher.find(unit, result.issues)
            mentions = sorted(
                entities + self.themes.find(unit, entities),
                key=lambda m: (m.start, m.end, m.kind, m.entity),
            )
            result.mentions += mentions
            self._report_unmatched(unit, mentions, result.issues)
            if unit.kind == "chapeau":
                continue
            parent = by_unit.get((unit.part, unit.parent_unit or ""))
            # a theme pattern spans a clause ("decides that … session"): not a name to skip
            named = [m for m in mentions if m.rule != "theme-pattern"]
            statement = self.classifier.classify(document, unit, named, parent, result.issues)
            by_unit[(unit.part, unit.eid)] = statement
            result.statements.append(statement)
        result.votes = extract_votes(document.units, result.mentions, result.issues)
        self._inherit_themes(result)
        self._report_verbs(result)
        return result

    def _report_unmatched(
        self, unit: Unit, mentions: list[Mention], issues: list[QualityIssue]
    ) -> None:
        """Organisation-like names that no vocabulary entry covers."""
        entities = [m for m in mentions if m.kind in ENTITY_KINDS]
        for match in _ORGANISATION_NAME.finditer(unit.text):
            name = match.group().strip()
            if len(name.split()) < 2 or any(
                m.start < match.end() and match.start() < m.end for m in entities
            ):
                continue
            start, end = unit.source_span(match.start(), match.start() + len(name))
            issues.append(
                QualityIssue(
                    "unmatched-name",
                    "info",
                    f"{name!r} looks like an organisation but matches no vocabulary entry",
                    about=f"{unit.part}/{unit.eid}",
                    start=start,
                    end=end,
                )
            )

    def _inherit_themes(self, result: Extraction) -> None:
        headings = self.themes.heading_themes(
            result.document, lambda unit: self.matcher.find(unit, [])
        )
        own: dict[tuple[str, str], set[str]] = {}
        for mention in result.mentions:
            if mention.kind == "theme":
                own.setdefault((mention.unit.part, mention.unit.eid), set()).add(mention.entity)
        result.inherited_themes = self.themes.inherit(result.document, headings, own)

    def _report_verbs(self, result: Extraction) -> None:
        for statement in result.statements:
            unit = statement.unit
            if statement.lead_verb is None or statement.level is not None:
                continue
            verb = self.vocabulary.get("verb", statement.lead_verb)
            if verb is not None and verb.get("declaratory").lower() == "true":
                continue
            result.issues.append(
                QualityIssue(
                    "verb-without-level",
                    "info",
                    f"lead verb {statement.lead_verb!r} has no strength level in verbs.csv",
                    about=f"{unit.part}/{unit.eid}",
                    start=unit.start,
                    end=unit.end,
                )
            )


def extract_document(document: Document, vocabulary: Vocabulary) -> Extraction:
    """Statements, mentions and votes of one document (builds a fresh ``Extractor``)."""
    return Extractor(vocabulary).extract(document)


__all__ = ["Extraction", "Extractor", "extract_document"]
