"""Statements: a unit → ``Statement``: its class, its verbs and the three facets of its strength.

Position decides first (decisions.md §7): report proceedings are ``ProceedingsRecord``; outline
items ``ProposedElement``; questions ``DiscussionQuestion``; preambular clauses ``Preambular``;
a declaration section, or a unit spoken by its subject ("We reaffirm", "States reaffirmed"), is a
``Declaration``. Within operative text the verbs decide: all declaratory → ``Declaration``;
"decide"/"request" → ``ProceduralDecision``; otherwise ``Commitment``.

Strength: the **level** of the lead verb (skip leading clauses and adverbs; "continue to X" takes
X's level; "X or Y" takes the weaker), the **qualifiers** (hedges found anywhere in the unit) and
the **addressees** (the States themselves, or others named as the object of an exhortation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from poa_kg.model import Document, Mention, QualityIssue, Statement, Unit
from poa_kg.vocab import Vocabulary

_ADVERB = r"(?:\w+ly|also|further|again|jointly)"
_PROCEEDINGS = re.compile(
    r"\bagenda item\b|\bsome States (?:indicated|expressed|noted|said|stated|called)"
    r"|\bother States expressed\b|\bthe (?:Meeting|Conference) (?:heard|held|considered|adopted)\b",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"\b(?P<subject>We|States|Member States)\b,?\s+")
_CHAIN = re.compile(
    r"(?:;\s*(?:and\s+)?|,?\s+and\s+)(?:also\s+)?to\s+(?:\w+ly\s+)?(?P<verb>[\w-]+)"
)
_EXHORTATIONS = frozenset({"encourage", "urge", "invite", "request", "call upon", "recommend"})
_IN_A_POSITION = re.compile(r"\bin a position to do so\b", re.IGNORECASE)
_GLUE = ("the", "a", "an", "of", "to", "for", "and", "in", "on")


@dataclass(frozen=True)
class _Verb:
    lemma: str
    level: str | None
    notation: int | None
    declaratory: bool


class StatementClassifier:
    """Classifies units and reads their verbs. Build once per vocabulary."""

    def __init__(self, vocabulary: Vocabulary):
        self.forms: dict[str, _Verb] = {}
        notations = {
            key: int(entry.get("notation")) for key, entry in vocabulary.of("level").items()
        }
        for entry in vocabulary.of("verb").values():
            level = entry.get("level") or None
            verb = _Verb(
                entry.key.lower(),
                level,
                notations.get(level) if level else None,
                entry.get("declaratory").lower() == "true",
            )
            for form in {entry.key.lower(), *(f.lower() for f in entry.hidden_labels)}:
                self.forms.setdefault(form, verb)
        self.longest_form = max((len(f.split()) for f in self.forms), default=1)
        self.qualifiers = [
            (key, re.compile(rf"(?<!\w){_phrase(cue)}(?!\w)", re.IGNORECASE))
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
        statement = Statement(unit, None)
        verbs, connector = self._verbs(unit, statement, issues)
        statement.cls = self._class(document, unit, statement, parent)
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
        if verbs:
            levels = [v for v in verbs if v.notation is not None]
            if connector == "or" and levels:
                weakest = min(levels, key=lambda v: v.notation or 0)
                statement.level = weakest.level
            else:
                statement.level = verbs[0].level
        statement.qualifiers = sorted(
            {key for key, pattern in self.qualifiers if pattern.search(unit.text)}
        )
        if statement.cls in ("Commitment", "ProceduralDecision", "ProposedElement"):
            self._addressees(unit, statement, mentions)
        return statement

    # ------------------------------------------------------------------ class
    def _class(
        self, document: Document, unit: Unit, statement: Statement, parent: Statement | None
    ) -> str | None:
        kind = document.source.metadata.kind
        text = unit.text.strip()
        if unit.kind == "subitem" and parent is not None and parent.cls == "ProceedingsRecord":
            return "ProceedingsRecord"
        if kind == "report" and unit.part == "main":
            return "ProceedingsRecord"
        if text.rstrip("\"'”’ ").endswith("?"):
            return "DiscussionQuestion"
        if kind == "outline":
            return "ProposedElement"
        if unit.kind == "recital":
            return "Preambular"
        if _PROCEEDINGS.search(text):
            return "ProceedingsRecord"
        declaration_section = any(
            "declaration" in h.lower() for h in self._headings(document, unit)
        )
        if declaration_section or (statement.lead_verb is not None and self._spoken(text)):
            return "Declaration"
        verbs = [self.forms[v] for v in statement.verbs if v in self.forms]
        if not verbs:
            return None
        if all(v.declaratory for v in verbs):
            return "Declaration"
        if statement.lead_verb in ("decide", "request"):
            return "ProceduralDecision"
        return "Commitment"

    @staticmethod
    def _headings(document: Document, unit: Unit) -> list[str]:
        wanted = set(unit.heading_path)
        return [s.heading for s in document.sections if s.part == unit.part and s.eid in wanted]

    @staticmethod
    def _spoken(text: str) -> bool:
        """True when the unit has a subject ("We …", "States reaffirmed …") rather than "To …"."""
        return not re.match(rf"(?:{_ADVERB}\s+)*to\s", text, re.IGNORECASE) and bool(
            _SUBJECT.search(text[:400])
        )

    # ------------------------------------------------------------------ verbs
    def _verbs(
        self, unit: Unit, statement: Statement, issues: list[QualityIssue]
    ) -> tuple[list[_Verb], str | None]:
        text = unit.text
        position = self._lead_position(text)
        if position is None:
            return [], None
        group, connector, end = self._coordinated(text, position, unit, issues)
        if not group:
            return [], None
        if group[0].lemma == "continue":
            following = re.match(r"\s+(?:to\s+)?(?:\w+ly\s+)?", text[end:])
            if following is not None:
                inner, inner_connector, end = self._coordinated(
                    text, end + following.end(), unit, issues
                )
                if inner:
                    group = [*inner, group[0]]
                    connector = inner_connector
        lemmas = [v.lemma for v in group]
        for match in _CHAIN.finditer(text, end):
            verb = self._verb_at(match.group("verb").lower())
            if verb is not None and verb.lemma not in lemmas:
                lemmas.append(verb.lemma)
                group.append(verb)
        statement.lead_verb = group[0].lemma
        statement.verbs = lemmas
        return group, connector

    def _lead_position(self, text: str) -> int | None:
        """Index where the lead verb starts, skipping leading clauses, adverbs and the subject."""
        start = re.match(rf"(?:{_ADVERB}\s+)*to\s+(?:{_ADVERB}\s+)*", text, re.IGNORECASE)
        if start is not None:
            return start.end()
        clause = re.search(rf",\s+to\s+(?:{_ADVERB}\s+)*", text[:600])
        if clause is not None and self._word_verb(text, clause.end()):
            return clause.end()
        imperative = re.match(rf"(?:(?:{_ADVERB})\s+)*", text, re.IGNORECASE)
        position = imperative.end() if imperative else 0
        if self._word_verb(text, position) and not re.match(r"[\w-]+\s+of\b", text[position:]):
            return position
        for subject in _SUBJECT.finditer(text[:600]):
            finite = self._finite_after(text, subject.end())
            if finite is not None:
                return finite
        return None

    def _finite_after(self, text: str, start: int) -> int | None:
        """First finite verb form after a subject, not governed by 'to'."""
        for word in re.finditer(r"[\w-]+", text[start : start + 500]):
            token = word.group().lower()
            verb = self.forms.get(token)
            before = text[max(0, start + word.start() - 3) : start + word.start()].lower()
            if verb is not None and not token.endswith("ing") and before != "to ":
                return start + word.start()
        return None

    def _word_verb(self, text: str, position: int) -> bool:
        word = re.match(r"[\w-]+", text[position:])
        return word is not None and self._verb_at(word.group().lower()) is not None

    def _coordinated(
        self, text: str, position: int, unit: Unit, issues: list[QualityIssue]
    ) -> tuple[list[_Verb], str | None, int]:
        """The lead verb and those coordinated with it ("establish or strengthen")."""
        group: list[_Verb] = []
        connector: str | None = None
        while True:
            found = self._phrase_at(text, position, unit, issues)
            if found is None:
                break
            verb, end = found
            group.append(verb)
            link = re.match(
                r"\s*,?\s*(?:(?P<conj>and|or)\s+)?(?:,?\s*(?:as appropriate|where appropriate|"
                r"as needed|as necessary|as relevant|inter alia),?\s*)?(?:\w+ly\s+)?",
                text[end:],
            )
            if link is None or (not link.group("conj") and not text[end:].lstrip().startswith(",")):
                position = end
                break
            if link.group("conj"):
                connector = connector or link.group("conj")
            if self._phrase_at(text, end + link.end(), unit, issues) is None:
                position = end
                break
            position = end + link.end()
        return group, connector, position

    def _phrase_at(
        self, text: str, position: int, unit: Unit, issues: list[QualityIssue]
    ) -> tuple[_Verb, int] | None:
        """The verb (possibly several words: "put in place") starting at ``position``."""
        words = list(re.finditer(r"[\w-]+", text[position : position + 80]))
        if not words or words[0].start() != 0:
            return None
        for count in range(min(self.longest_form, len(words)), 0, -1):
            phrase = " ".join(w.group().lower() for w in words[:count])
            if phrase in self.forms:
                return self.forms[phrase], position + words[count - 1].end()
        token = words[0].group().lower()
        repaired = self._glued(token)
        if repaired is not None:
            start, end = unit.source_span(position, position + len(token))
            issues.append(
                QualityIssue(
                    "repaired-glued-word",
                    "info",
                    f"{token!r} read as {repaired.lemma!r} followed by another word",
                    about=f"{unit.part}/{unit.eid}",
                    start=start,
                    end=end,
                )
            )
            return repaired, position + len(token)
        return None

    def _verb_at(self, token: str) -> _Verb | None:
        return self.forms.get(token) or self._glued(token)

    def _glued(self, token: str) -> _Verb | None:
        """A verb glued to the next word ("considerthe"), by prefix match against the forms."""
        for glue in _GLUE:
            if token.endswith(glue) and token[: -len(glue)] in self.forms:
                return self.forms[token[: -len(glue)]]
        return None

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
        others = [
            m for m in named if not (m.kind == "actor" and m.entity == "states-in-a-position")
        ]
        statement.addressee = "others" if others or not names_states else "states"
        if others and names_states:
            statement.addressee = "states-and-others"
        statement.addressee_text = unit.text[begin:finish].strip(" ,")


def _phrase(cue: str) -> str:
    return re.escape(cue.strip()).replace(r"\ ", r"\s+").replace("'", "['’]")
