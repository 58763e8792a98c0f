"""Mentions: a unit's text → ``Mention``s of States, actors, instruments and meetings (themes are
found on top of them by ``themes.py``).

Rules:
- longest match first, case-insensitive on word boundaries; acronyms match exact case;
- a label glued to a following short word ("private sectorfor") still matches, and is reported;
- labels of 15 characters or more also match with up to two edits (typos such as "Interntational"),
  reported as fuzzy matches;
- names broken by the conversion ("Weapo ns", "Natio ns", "nongovernmental", "decision making")
  match on a normalised form of the text, letters and digits only, mapped back to the unit's
  offsets; such a match starts and ends on a word boundary of the printed text and is recorded
  with the method ``normalised``;
- resolutions cited by number are minted by rule (``A-RES-72-55``, ``S-RES-1325``), and a
  meeting named by type and year ("a biennial meeting of States in 2020") is the meeting of that
  type planned or held that year (both in ``cited_by_rule.py``);
- an office followed by "of the Conference" is a conference officer, not the UN's office;
- every mention records the rule that found it (``ontology/vocab/rules.csv``), the label it
  matched and, for a fuzzy match, the edit distance.

Labels are compared in the forms of ``labels.py``. Offsets are indices into ``unit.text``;
``Unit.source_span`` maps them to the source.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable
from itertools import accumulate

from rapidfuzz.distance import Levenshtein

from poa_kg.ingest.extract.cited_by_rule import (
    meeting_mentions,
    meetings_by_year,
    resolution_mentions,
)
from poa_kg.ingest.extract.labels import (
    ENTITY_KINDS,
    Target,
    alternation,
    longest_first,
    normalise,
    phrase_pattern,
    punctuation,
    squeeze,
)
from poa_kg.ingest.model import Mention, QualityIssue, Unit
from poa_kg.ingest.vocab import Vocabulary

_RULES = {
    "exact": "label",
    "acronym": "acronym",
    "glued": "glued-label",
    "normalised": "normalised-label",
    "fuzzy": "fuzzy-label",
}
_FUZZY_MIN_LENGTH = 15
_FUZZY_MAX_DISTANCE = 2
# "Secretary-General of the Conference" is a conference officer; "United Nations Headquarters"
# is a place: neither names the organization.
_NOT_THE_ORGANIZATION = re.compile(r"\s+of\s+the\s+(?:Conference|Meeting)\b|\s+Headquarters\b")

_SQUEEZED_MIN_LENGTH = 8


class MentionMatcher:
    """Finds vocabulary labels in unit texts. Build once per vocabulary, reuse for every unit."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.labels: dict[str, set[Target]] = defaultdict(set)
        # Only proper names are matched fuzzily: "manufacture of small arms" must not become
        # "manufacturers of small arms".
        self._proper_names: set[str] = set()
        self.acronyms: dict[str, set[Target]] = defaultdict(set)
        for kind in ENTITY_KINDS:
            for entry in vocabulary.of(kind).values():
                target = Target(kind, entry.key)
                for label in (entry.pref_label, *entry.alt_labels, *entry.hidden_labels):
                    self.labels[normalise(label)].add(target)
                    if label[:1].isupper():
                        self._proper_names.add(normalise(label))
                for acronym in entry.acronyms:
                    self.acronyms[acronym].add(target)
        self._entity_pattern = alternation(self.labels, re.IGNORECASE)
        actor_labels = {k: v for k, v in self.labels.items() if any(t.kind == "actor" for t in v)}
        self._actor_pattern = alternation(actor_labels, re.IGNORECASE)
        self._acronym_pattern = alternation(self.acronyms, 0)
        self._fuzzy: dict[tuple[str, int], list[tuple[str, Target]]] = defaultdict(list)
        for label, targets in self.labels.items():
            if len(label) >= _FUZZY_MIN_LENGTH and len(targets) == 1 and self._proper(label):
                self._fuzzy[(label[0], len(label.split()))].append((label, next(iter(targets))))
        self.meetings_by_year = meetings_by_year(vocabulary)
        self.squeezed: dict[str, set[Target]] = defaultdict(set)
        self._marks: dict[str, set[str]] = defaultdict(set)
        for label, targets in self.labels.items():
            if len(squeeze(label)) >= _SQUEEZED_MIN_LENGTH:
                self.squeezed[squeeze(label)] |= targets
                self._marks[squeeze(label)].add(punctuation(label))
        squeezed = sorted(self.squeezed, key=lambda label: (-len(label), label))
        self._squeezed_pattern = (
            re.compile("|".join(re.escape(label) for label in squeezed)) if squeezed else None
        )

    def _proper(self, label: str) -> bool:
        """True when a label is printed as a proper name somewhere in the vocabulary (capitals)."""
        return label in self._proper_names

    # ------------------------------------------------------------------ public
    def find(self, unit: Unit, issues: list[QualityIssue]) -> list[Mention]:
        """Every entity mention in the unit (no overlaps among them), in text order."""
        text = unit.text
        candidates: list[Mention] = []
        candidates += self._exact(unit, self._entity_pattern, self.labels, normalise, "exact")
        candidates += self._exact(unit, self._acronym_pattern, self.acronyms, _same, "acronym")
        candidates += resolution_mentions(unit)
        candidates += meeting_mentions(unit, self.meetings_by_year)
        candidates += self._normalised(unit)
        chosen = longest_first(candidates)
        chosen = [m for m in chosen if not self._officer(text, m)]
        chosen += self._owners(unit, chosen)
        chosen += self._fuzzy_matches(unit, chosen, issues)
        for mention in chosen:
            if mention.method == "glued":
                issues.append(_issue(unit, mention, "repaired-glued-word", "info", "glued word"))
        if unit.list_start is not None:
            for mention in chosen:
                mention.in_list = mention.kind == "state" and mention.start >= unit.list_start
        return sorted(chosen, key=lambda m: (m.start, m.end, m.kind))

    # ------------------------------------------------------------------ strategies
    def _exact(
        self,
        unit: Unit,
        pattern: re.Pattern[str] | None,
        table: dict[str, set[Target]],
        normaliser: Callable[[str], str],
        method: str,
    ) -> list[Mention]:
        if pattern is None:
            return []
        found: list[Mention] = []
        for match in pattern.finditer(unit.text):
            matched = match.group("label")
            targets = table.get(normaliser(matched), set())
            glued = match.end("label") < len(unit.text) and unit.text[match.end("label")].isalpha()
            how = "glued" if glued else method
            for target in sorted(targets, key=lambda t: (t.kind, t.key)):
                found.append(
                    Mention(
                        unit,
                        target.kind,
                        target.key,
                        match.start("label"),
                        match.end("label"),
                        matched,
                        how,
                        rule=_RULES.get(how, how),
                        cue=normaliser(matched),
                    )
                )
        return found

    def _normalised(self, unit: Unit) -> list[Mention]:
        """Labels found in the text once spaces, hyphens and punctuation are taken out."""
        if self._squeezed_pattern is None:
            return []
        text = unit.text
        index = [i for i, char in enumerate(text) if char.isalnum()]
        squeezed = "".join(text[i] for i in index).lower()
        found: list[Mention] = []
        position = 0
        while (match := self._squeezed_pattern.search(squeezed, position)) is not None:
            start, end = index[match.start()], index[match.end() - 1] + 1
            position = match.start() + 1
            if (start and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
                continue  # inside a longer word
            matched = text[start:end]
            if normalise(matched) in self.labels:
                continue  # printed as the label: the exact strategies decide on it
            if punctuation(matched) not in self._marks[match.group()]:
                continue  # a sentence's punctuation in between: not a broken name
            for target in sorted(self.squeezed[match.group()], key=lambda t: (t.kind, t.key)):
                found.append(
                    Mention(
                        unit,
                        target.kind,
                        target.key,
                        start,
                        end,
                        matched,
                        "normalised",
                        rule="normalised-label",
                        cue=match.group(),
                    )
                )
            position = match.end()
        return found

    def _fuzzy_matches(
        self, unit: Unit, chosen: list[Mention], issues: list[QualityIssue]
    ) -> list[Mention]:
        taken = sorted((m.start, m.end) for m in chosen)
        taken_starts = [start for start, _end in taken]
        reach = list(accumulate((end for _start, end in taken), max))  # furthest end so far
        words = [(w.start(), w.end()) for w in re.finditer(r"[\w'’-]+", unit.text)]
        found: list[Mention] = []
        for i, (start, _) in enumerate(words):
            if not unit.text[start].isupper():
                continue  # proper names start with a capital
            first = unit.text[start].lower()
            for (initial, count), labels in self._fuzzy.items():
                if initial != first or i + count > len(words):
                    continue
                end = words[i + count - 1][1]
                before = bisect.bisect_left(taken_starts, end)
                if before and reach[before - 1] > start:
                    continue  # overlaps a mention already found
                window = normalise(unit.text[start:end])
                best = min(
                    (
                        (
                            Levenshtein.distance(window, label, score_cutoff=_FUZZY_MAX_DISTANCE),
                            t,
                            label,
                        )
                        for label, t in labels
                        if abs(len(label) - len(window)) <= _FUZZY_MAX_DISTANCE
                    ),
                    default=None,
                    key=lambda pair: pair[0],
                )
                if best is None or not 0 < best[0] <= _FUZZY_MAX_DISTANCE:
                    continue
                target = best[1]
                label = best[2]
                mention = Mention(
                    unit,
                    target.kind,
                    target.key,
                    start,
                    end,
                    unit.text[start:end],
                    "fuzzy",
                    rule="fuzzy-label",
                    cue=label,
                    distance=best[0],
                )
                found.append(mention)
                taken.append((start, end))
                entry = self.vocabulary.get(target.kind, target.key)
                name = entry.pref_label if entry else target.key
                issues.append(_issue(unit, mention, "fuzzy-match", "warning", f"read as {name!r}"))
        return found

    @staticmethod
    def _officer(text: str, mention: Mention) -> bool:
        """An office "of the Conference" is a conference officer; "… Headquarters" is a place."""
        if mention.kind != "actor":
            return False
        context = _NOT_THE_ORGANIZATION.match(text, mention.end)
        if context is None:
            return False
        return "Headquarters" in context.group() or " " not in mention.matched.strip()

    def _owners(self, unit: Unit, chosen: list[Mention]) -> list[Mention]:
        """The organization named inside the name of what it owns: "Credentials Committee of
        the General Assembly" (a body whose parent is the Assembly), "Security Council resolution
        2370 (2017)" (a name that starts with its issuer's)."""
        found: list[Mention] = []
        for mention in chosen:
            if mention.kind == "instrument":
                span = unit.text[mention.start : mention.end]
                lead = self._actor_pattern.match(span) if self._actor_pattern else None
                targets = self.labels.get(normalise(lead.group("label")), set()) if lead else set()
                actors = sorted(t.key for t in targets if t.kind == "actor")
                if lead is not None and actors and lead.end("label") < len(span):
                    end = mention.start + lead.end("label")
                    found.append(
                        Mention(
                            unit,
                            "actor",
                            actors[0],
                            mention.start,
                            end,
                            lead.group("label"),
                            "exact",
                            rule="owner-in-name",
                            cue=normalise(lead.group("label")),
                        )
                    )
                continue
            entry = self.vocabulary.get(mention.kind, mention.entity)
            parent = self.vocabulary.get("actor", entry.get("parent")) if entry else None
            if parent is None:
                continue
            span = unit.text[mention.start : mention.end]
            for label in sorted({parent.pref_label, *parent.alt_labels}, key=len, reverse=True):
                match = re.search(rf"(?<!\w){phrase_pattern(label)}(?!\w)", span, re.IGNORECASE)
                if match is not None and match.end() - match.start() < len(span):
                    start = mention.start + match.start()
                    end = mention.start + match.end()
                    found.append(
                        Mention(
                            unit,
                            "actor",
                            parent.key,
                            start,
                            end,
                            match.group(),
                            "exact",
                            rule="owner-in-name",
                            cue=normalise(label),
                        )
                    )
                    break
        return found


def _same(text: str) -> str:
    return text


def _issue(unit: Unit, mention: Mention, kind: str, severity: str, note: str) -> QualityIssue:
    start, end = unit.source_span(mention.start, mention.end)
    return QualityIssue(
        kind,
        "warning" if severity == "warning" else "info",
        f"{mention.matched!r}: {note}",
        about=f"{unit.part}/{unit.eid}",
        start=start,
        end=end,
    )
