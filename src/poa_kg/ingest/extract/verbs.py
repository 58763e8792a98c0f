"""Verbs: a unit's text → its ``VerbReading``: the lead verb group, the verbs coordinated after
it, and how the unit is worded (infinitive, imperative, gerund, or spoken by its subject).

Takes the verb vocabulary (``verbs.csv``: forms, level, declaratory) and a unit with the mentions
found in it; gives the verbs read, each with its level and notation. A verb glued to the next word
("considerthe") is read and reported as a repaired glued word. ``statements.py`` classifies the
unit and grades its strength from the reading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from poa_kg.ingest.model import Mention, QualityIssue, Unit
from poa_kg.ingest.vocab import Vocabulary

_ADVERBS = frozenset({"also", "further", "again", "jointly"})
# Words after which a verb form is a noun or an infinitive ("the use", "to review").
_NOT_BEFORE_VERB = frozenset(
    {"the", "a", "an", "of", "by", "in", "for", "to", "with", "its", "their", "our", "this"}
    | {"that", "these", "those", "on", "at", "from"}
)
_SUBJECT = re.compile(r"\b(?P<subject>We|States|Member States)\b,?\s+")
# "…; to X", "… and to X", and "… and X" (X an operative verb in its base form, not "X of")
_CHAIN = re.compile(
    r"(?P<joint>;\s*(?:and\s+)?|,?\s+and\s+)"
    r"(?:(?:also|therefore|thus|hence|further|furthermore|accordingly)\s+)?"
    r"(?P<to>to\s+)?(?:\w+ly\s+)?(?P<verb>[\w-]+)(?!\s+of\b)"
)
# A clause that makes what follows it depend on it ("so that States can prepare …, consider … and
# ensure …"): verbs coordinated after it are not coordinated with the lead verb.
_SUBORDINATE = re.compile(r"\b(?:so that|in order that|in order to|so as to|such that)\b", re.I)
_GLUE = ("the", "a", "an", "of", "to", "for", "and", "in", "on")


@dataclass(frozen=True)
class Verb:
    lemma: str
    level: str | None
    notation: int | None
    declaratory: bool


@dataclass(frozen=True)
class VerbReading:
    """The verbs of a unit: the lead group ("establish or strengthen") and the chain after it."""

    lead: list[Verb]
    chain: list[Verb]
    connector: str | None
    mode: str | None
    lemmas: list[str]
    """Every verb read, lead group first, each once."""


class VerbReader:
    """Reads the verbs of units. Build once per vocabulary."""

    def __init__(self, vocabulary: Vocabulary):
        self.forms: dict[str, Verb] = {}
        notations = {
            key: int(entry.get("notation")) for key, entry in vocabulary.of("level").items()
        }
        for entry in vocabulary.of("verb").values():
            level = entry.get("level") or None
            verb = Verb(
                entry.key.lower(),
                level,
                notations.get(level) if level else None,
                entry.get("declaratory").lower() == "true",
            )
            for form in {entry.key.lower(), *(f.lower() for f in entry.hidden_labels)}:
                self.forms.setdefault(form, verb)
        self.longest_form = max((len(f.split()) for f in self.forms), default=1)

    def read(
        self, unit: Unit, issues: list[QualityIssue], mentions: Sequence[Mention] = ()
    ) -> VerbReading:
        """The verbs of ``unit``; none when no lead verb is found."""
        text = unit.text
        found = self._lead_position(text)
        if found is None:
            return VerbReading([], [], None, None, [])
        position, mode = found
        group, connector, end = self._coordinated(text, position, unit, issues)
        if not group:
            return VerbReading([], [], None, None, [])
        if group[0].level is None and not group[0].declaratory:
            # "continue to X" / "continue strengthening" / "continue awareness raising": X decides
            for word in list(re.finditer(r"[\w-]+", text[end : end + 60]))[:4]:
                if word.group().lower() == "to":
                    continue
                inner, inner_connector, inner_end = self._coordinated(
                    text, end + word.start(), unit, issues
                )
                if inner and (inner[0].level is not None or inner[0].declaratory):
                    group, connector, end = [*inner, group[0]], inner_connector, inner_end
                    break
        lemmas = [v.lemma for v in group]
        lead, chain = list(group), []
        # "Underlines …, and calls upon": a lead in the third person ("Decides", "Calls upon")
        # is coordinated only with verbs in the third person; "and eradicate" after it belongs
        # to an infinitive clause ("efforts … to prevent, combat and eradicate").
        first = re.match(r"[\w-]+", text[position:])
        third = (
            mode == "imperative"
            and first is not None
            and first.group().lower() not in (group[0].lemma, *group[0].lemma.split()[:1])
            and first.group().lower().endswith("s")
        )
        subordinate = _SUBORDINATE.search(text, end)
        for match in _CHAIN.finditer(text, end):
            if (
                subordinate is not None
                and subordinate.start() < match.start()
                and ";" not in text[subordinate.end() : match.start()]
            ):
                continue  # coordinated inside the subordinate clause
            if match.group("verb")[:1].isupper():
                continue  # a capital mid-sentence: a name or title ("Combat and Eradicate")
            token = match.group("verb").lower()
            verb = self._verb_at(token)
            if third and verb is None:  # "and calls upon"
                verb = self._phrase_verb(text, match.start("verb"))
            if third and (
                verb is None or match.group("to") or token == verb.lemma or not token.endswith("s")
            ):
                continue  # after "Decides", only a third-person verb ("and requests")
            if (
                not third
                and verb is not None
                and not match.group("to")
                and (verb.declaratory or token != verb.lemma)
            ):
                continue  # without "to", only an operative verb in its base form ("and encourage")
            if any(m.start <= match.start("verb") < m.end for m in mentions):
                continue  # part of a name the mentions found ("and review conferences")
            if verb is not None and verb.lemma not in lemmas:
                lemmas.append(verb.lemma)
                chain.append(verb)
        return VerbReading(lead, chain, connector, mode, lemmas)

    def _lead_position(self, text: str) -> tuple[int, str] | None:
        """Where the lead verb starts and how the unit is worded: "infinitive" ("To …",
        "In accordance with …, to …"), "imperative" ("Decide …"), "gerund" ("Strengthening …")
        or "subject" ("We reaffirm", "States reaffirmed")."""
        position = self._skip_adverbs(text, 0)
        infinitive = re.match(r"to\s+", text[position:], re.IGNORECASE)
        if infinitive is not None:
            return self._skip_adverbs(text, position + infinitive.end()), "infinitive"
        first = re.match(r"[\w-]+", text[position:])
        gerund = first is not None and first.group().lower().endswith("ing")
        nominal = re.match(r"[\w-]+\s+of\b", text[position:]) is not None  # "Exchange of views"
        # a verb of several words ("Calls upon", "Takes note") opens an operative paragraph too
        opens = self._word_verb(text, position) or self._phrase_verb(text, position) is not None
        if opens and not gerund and not nominal:
            return position, "imperative"
        subject = _SUBJECT.match(text, position)
        if subject is not None:  # "We reaffirm", "We, the States …, reaffirm", "States noted"
            finite = self._finite_after(text, subject.end(), subject.group("subject"))
            if finite is not None:
                return finite, "subject"
        clause = re.search(r",\s+to\s+", text[:600])
        if clause is not None:
            after = self._skip_adverbs(text, clause.end())
            if self._word_verb(text, after):
                return after, "infinitive"
        if self._word_verb(text, position) and gerund:
            return position, "gerund"
        for subject in _SUBJECT.finditer(text[:600]):
            finite = self._finite_after(text, subject.end(), subject.group("subject"))
            if finite is not None:
                return finite, "subject"
        return None

    def _skip_adverbs(self, text: str, position: int) -> int:
        """Skip adverbs ("significantly", "also", "further") that are not verb forms ("apply")."""
        while True:
            word = re.match(r"([\w-]+)\s+", text[position:])
            if word is None:
                return position
            token = word.group(1).lower()
            adverb = token in _ADVERBS or (token.endswith("ly") and token not in self.forms)
            if not adverb:
                return position
            position += word.end()

    def _finite_after(self, text: str, start: int, subject: str) -> int | None:
        """First finite verb after a subject: lower case, not governed by 'to' or a determiner,
        and for "We" in the base form. An apposition ("We, the States …, reaffirm") is skipped
        to the first base-form verb that follows a comma."""
        window = text[start : start + 800]
        if text[start - 2 : start].strip() == "," or window.startswith(","):
            for match in re.finditer(r",\s+(?:also\s+|further\s+)?(?=[a-z])", window):
                verb = self._phrase_verb(window, match.end())
                word = re.match(r"[\w-]+", window[match.end() :])
                if verb is not None and word is not None and word.group() == verb.lemma.split()[0]:
                    return start + match.end()
        words = list(re.finditer(r"[\w-]+", window))
        for i, word in enumerate(words):
            token = word.group()
            verb = self._phrase_verb(window, word.start())
            if verb is None or not token[0].islower() or token.endswith("ing"):
                continue
            previous = words[i - 1].group().lower() if i else ""
            if previous in _NOT_BEFORE_VERB:
                continue
            if subject == "We" and token != verb.lemma.split()[0]:
                continue
            return start + word.start()
        return None

    def _phrase_verb(self, text: str, position: int) -> Verb | None:
        """The verb whose form (one to several words) starts at ``position``, if any."""
        words = [w.group().lower() for w in re.finditer(r"[\w-]+", text[position : position + 60])]
        for count in range(min(self.longest_form, len(words)), 0, -1):
            verb = self.forms.get(" ".join(words[:count]))
            if verb is not None:
                return verb
        return None

    def _word_verb(self, text: str, position: int) -> bool:
        word = re.match(r"[\w-]+", text[position:])
        return word is not None and self._verb_at(word.group().lower()) is not None

    def _coordinated(
        self, text: str, position: int, unit: Unit, issues: list[QualityIssue]
    ) -> tuple[list[Verb], str | None, int]:
        """The lead verb and those coordinated with it ("establish or strengthen")."""
        group: list[Verb] = []
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
    ) -> tuple[Verb, int] | None:
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

    def _verb_at(self, token: str) -> Verb | None:
        return self.forms.get(token) or self._glued(token)

    def _glued(self, token: str) -> Verb | None:
        """A verb glued to the next word ("considerthe"), by prefix match against the forms."""
        for glue in _GLUE:
            if token.endswith(glue) and token[: -len(glue)] in self.forms:
                return self.forms[token[: -len(glue)]]
        return None
