"""Statements: a unit → ``Statement``: its class, its verbs and the three facets of its strength.

Position decides first: report proceedings are ``ProceedingsRecord``; outline
items ``ProposedElement``; questions ``DiscussionQuestion``; preambular clauses ``Preambular``;
a declaration section, or a unit spoken by its subject ("We reaffirm", "States reaffirmed"), is a
``Declaration``. Within operative text the verbs decide: all declaratory → ``Declaration``;
"decide"/"request" → ``ProceduralDecision``; otherwise ``Commitment``.

Strength: the **level** of the lead verb (skip leading clauses and adverbs; "continue to X" takes
X's level; "X or Y" takes the weaker), the **qualifiers** (hedges found anywhere in the unit) and
the **addressees** (the States themselves, or others named as the object of an exhortation).

Each reading records the rule that gave it and what the rule read (``Statement.class_rule`` and
``class_evidence``, ``level_rule`` and ``level_evidence``; rule keys in
``ontology/vocab/rules.csv``).
"""

from __future__ import annotations

import re

from poa_kg.ingest.extract.labels import phrase_pattern
from poa_kg.ingest.extract.verbs import VerbReader, VerbReading
from poa_kg.ingest.model import Document, Mention, QualityIssue, Statement, Unit
from poa_kg.ingest.vocab import Vocabulary

_PROCEEDINGS = re.compile(
    r"\bagenda item\b|\bsome States (?:indicated|expressed|noted|said|stated|called)"
    r"|\bother States expressed\b|\bthe (?:Meeting|Conference) (?:heard|held|considered|adopted)\b",
    re.IGNORECASE,
)
_EXHORTATIONS = frozenset({"encourage", "urge", "invite", "request", "call upon", "recommend"})
_IN_A_POSITION = re.compile(r"\bin a position to do so\b", re.IGNORECASE)


class StatementClassifier:
    """Classifies units and grades their strength from their verbs (``verbs.py``). Build once
    per vocabulary."""

    def __init__(self, vocabulary: Vocabulary):
        self.verbs = VerbReader(vocabulary)
        self.qualifiers = [
            (key, re.compile(rf"(?<!\w){phrase_pattern(cue.strip())}(?!\w)", re.IGNORECASE))
            for key, entry in sorted(vocabulary.of("qualifier").items())
            for cue in (entry.pref_label, *entry.hidden_labels)
        ]

    # ------------------------------------------------------------------ public
    def classify(
        self,
        document: Document,
        unit: Unit,
        mentions: list[Mention],
        parent: Statement | None,
        issues: list[QualityIssue],
    ) -> Statement:
        statement = Statement(unit, None, lead_phrase=unit.lead_phrase)
        reading = self.verbs.read(unit, issues, mentions)
        if reading.lead:
            statement.lead_verb = reading.lead[0].lemma
            statement.verbs = reading.lemmas
        statement.cls, statement.class_rule, statement.class_evidence = self._class(
            document, unit, statement, parent, reading.mode
        )
        if statement.cls is None:
            issues.append(
                QualityIssue(
                    "unclassified-unit",
                    "warning",
                    f"no operative or declaratory verb found: {unit.text[:60]!r}",
                    about=f"{unit.part}/{unit.eid}",
                    start=unit.start,
                    end=unit.end,
                )
            )
        self._level(statement, reading)
        statement.qualifiers = sorted(
            {key for key, pattern in self.qualifiers if pattern.search(unit.text)}
        )
        if statement.cls in ("Commitment", "ProceduralDecision", "ProposedElement"):
            self._addressees(unit, statement, mentions)
        return statement

    @staticmethod
    def _level(statement: Statement, reading: VerbReading) -> None:
        lead = [v for v in reading.lead if v.notation is not None]
        continued = any(v.lemma == "continue" for v in reading.lead)
        if reading.connector == "or" and len(lead) > 1:
            weakest = min(lead, key=lambda v: v.notation or 0)
            statement.level = weakest.level
            statement.level_rule = "level-weaker-alternative"
            statement.level_evidence = " or ".join(v.lemma for v in lead)
        elif lead:
            statement.level = lead[0].level
            statement.level_rule = "level-continued-verb" if continued else "level-lead-verb"
            statement.level_evidence = lead[0].lemma
        else:  # "Welcome … and to encourage": the first operative verb of the chain decides
            verb = next((v for v in reading.chain if v.level is not None), None)
            if verb is not None:
                statement.level = verb.level
                statement.level_rule = "level-chain-verb"
                statement.level_evidence = verb.lemma

    # ------------------------------------------------------------------ class
    def _class(
        self,
        document: Document,
        unit: Unit,
        statement: Statement,
        parent: Statement | None,
        mode: str | None,
    ) -> tuple[str | None, str | None, str | None]:
        """(class, rule key, what the rule read)."""
        kind = document.source.metadata.kind
        text = unit.text.strip()
        if unit.kind == "subitem" and parent is not None and parent.cls == "ProceedingsRecord":
            return "ProceedingsRecord", "class-part-of-proceedings", parent.unit.eid
        if kind == "report" and unit.part == "main":
            return "ProceedingsRecord", "class-report-body", kind
        if text.rstrip("\"'”’ ").endswith("?"):
            return "DiscussionQuestion", "class-question", "?"
        if kind == "outline":
            return "ProposedElement", "class-outline-item", kind
        if unit.kind == "recital":
            return "Preambular", "class-preambular-clause", unit.lead_phrase
        proceedings = _PROCEEDINGS.search(text)
        if proceedings is not None:
            return "ProceedingsRecord", "class-proceedings-phrase", proceedings.group()
        declaration = next(
            (h for h in self._headings(document, unit) if "declaration" in h.lower()), None
        )
        if declaration is not None:
            return "Declaration", "class-declaration-section", declaration
        if mode == "subject":
            return "Declaration", "class-spoken-by-subject", statement.lead_verb
        forms = self.verbs.forms
        verbs = [forms[v] for v in statement.verbs if v in forms]
        if not verbs:
            return None, None, None
        if all(v.declaratory for v in verbs):
            return "Declaration", "class-declaratory-verbs", ", ".join(v.lemma for v in verbs)
        # the first operative verb, the lead's or the chain's ("Stress …, and therefore decide")
        operative = next((v for v in verbs if not v.declaratory), None)
        if operative is not None and operative.lemma in ("decide", "request"):
            return "ProceduralDecision", "class-decision-verb", operative.lemma
        return "Commitment", "class-operative-verb", operative.lemma if operative else None

    @staticmethod
    def _headings(document: Document, unit: Unit) -> list[str]:
        wanted = set(unit.heading_path)
        return [s.heading for s in document.sections if s.part == unit.part and s.eid in wanted]

    # ------------------------------------------------------------------ addressees
    def _addressees(self, unit: Unit, statement: Statement, mentions: list[Mention]) -> None:
        if statement.lead_verb not in _EXHORTATIONS:
            statement.addressee = "states"
            return
        text = _IN_A_POSITION.sub(lambda m: " " * len(m.group()), unit.text)
        lead = re.search(rf"\b{re.escape(statement.lead_verb)}\w*\b,?\s*", text, re.IGNORECASE)
        if lead is None:
            statement.addressee = "states"
            return
        rest = text[lead.end() :]
        target = re.match(r"(?P<object>.*?)\s+to\s+(?:\w+ly\s+)?[a-z]", rest)
        if target is None:
            statement.addressee = "states"
            return
        phrase = target.group("object").strip(" ,")
        begin, finish = lead.end(), lead.end() + target.end("object")
        named = [m for m in mentions if m.kind in ("actor", "state") and begin <= m.start < finish]
        names_states = re.search(r"\bStates\b", phrase) is not None
        if not named and not names_states:
            statement.addressee = "states"
            return
        in_position = (
            _IN_A_POSITION.search(unit.text[begin : lead.end() + target.end()]) is not None
        )
        others = [m for m in named if m.kind == "actor" and m.entity != "states-in-a-position"]
        if others and names_states:
            statement.addressee = "states-and-others"
        elif others or not names_states:
            statement.addressee = "others"
        else:
            statement.addressee = "states-in-a-position" if in_position else "states"
        statement.addressee_text = unit.text[begin:finish].strip(" ,")
