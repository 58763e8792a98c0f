"""Themes: a unit's text and its entity mentions (``mentions.py``) → theme ``Mention``s read in the
unit's own words, and the themes a unit inherits from the headings above it (``InheritedTheme``).

Rules, each recorded with what it found (keys of ``ontology/vocab/rules.csv``):

- ``theme-cue``: a cue phrase of ``themes.csv`` in the unit's own words, longest first. A cue inside
  the *name* of an instrument, organisation or meeting is not a theme ("Tracing" in "International
  Tracing Instrument", "Customs" in "World Customs Organization", "Crime" in "United Nations Office
  on Drugs and Crime"), though a cue may hold a name ("meetings on the Programme of Action", "law
  enforcement cooperation"), nor one inside a name the entity vocabularies lack (``themes.csv``
  column ``names``: "resolutions on women, disarmament, non-proliferation and arms control",
  INTERPOL's "Illicit Arms Records and Tracing Management System"). A group named as a category is a
  name too (customs authorities, licensing authorities: agencies listed as participants), except the
  groups that *are* a theme's topic (column ``groups``: women → gender, youth, unauthorized
  recipients → diversion, donors → cooperation, States emerging from conflict).
- ``theme-pattern``: a theme's ``cue_patterns`` regular expression (meetings: an action on a
  meeting, "decides to convene … conference", "welcoming the report of … meeting").
- ``theme-of-instrument``: citing an instrument whose subject is a theme (``themes.csv`` column
  ``instruments``: the 2030 Agenda and the SDG targets → SDGs; resolutions 72/55 and 76/233 on
  conventional ammunition → ammunition).
- ``heading-theme``: a unit inherits the themes of the nearest heading above it whose own words,
  read by the rules above, name a theme, less those its own words name. A heading that only
  names an instrument ("Implementation of the International Instrument to Enable States to Identify
  and Trace …") passes no theme down.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from poa_kg.ingest.extract.labels import Target, alternation, longest_first, normalise
from poa_kg.ingest.model import Document, InheritedTheme, Mention, Unit
from poa_kg.ingest.vocab import Vocabulary, split_list

HeadingReader = Callable[[Unit], list[Mention]]
"""A heading read as a unit → its entity mentions."""


class ThemeFinder:
    """Finds themes in units and headings. Build once per vocabulary."""

    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.cues: dict[str, set[Target]] = {}
        self.by_instrument: dict[str, list[str]] = {}
        self.groups: set[str] = set()
        self.patterns: list[tuple[str, re.Pattern[str]]] = []
        names: dict[str, set[Target]] = {}
        for entry in vocabulary.of("theme").values():
            for label in (entry.pref_label, *entry.hidden_labels):
                self.cues.setdefault(normalise(label), set()).add(Target("theme", entry.key))
            for instrument in split_list(entry.get("instruments")):
                self.by_instrument.setdefault(instrument, []).append(entry.key)
            self.groups |= set(split_list(entry.get("groups")))
            for name in split_list(entry.get("names")):
                names.setdefault(normalise(name), set()).add(Target("theme", entry.key))
            if entry.get("cue_patterns"):
                self.patterns.append(
                    (entry.key, re.compile(entry.get("cue_patterns"), re.IGNORECASE))
                )
        self._pattern = alternation(self.cues, re.IGNORECASE)
        self._names = alternation(names, re.IGNORECASE)

    def find(self, unit: Unit, entities: list[Mention]) -> list[Mention]:
        """The themes of the unit's own words, given its entity mentions."""
        names = [
            (m.start, m.end)
            for m in entities
            if not (m.kind == "actor" and m.entity in self.groups)
        ]
        if self._names is not None:
            names += [(n.start("label"), n.end("label")) for n in self._names.finditer(unit.text)]
        found: list[Mention] = []
        if self._pattern is not None:
            for match in self._pattern.finditer(unit.text):
                start, end = match.start("label"), match.end("label")
                if any(
                    first < end and start < last and not (start <= first and last <= end)
                    for first, last in names
                ):
                    continue  # a cue inside a name is not a theme (one holding a name is)
                matched = match.group("label")
                glued = end < len(unit.text) and unit.text[end].isalpha()
                for target in sorted(self.cues.get(normalise(matched), set()), key=_key):
                    found.append(
                        Mention(
                            unit,
                            "theme",
                            target.key,
                            start,
                            end,
                            matched,
                            "glued" if glued else "exact",
                            rule="theme-cue",
                            cue=normalise(matched),
                        )
                    )
        spans = {(m.start, m.end) for m in longest_first(found)}
        found = [m for m in found if (m.start, m.end) in spans]  # a cue may serve two themes
        for theme, pattern in self.patterns:
            for match in pattern.finditer(unit.text):
                found.append(
                    Mention(
                        unit,
                        "theme",
                        theme,
                        match.start(),
                        match.end(),
                        match.group(),
                        "rule",
                        rule="theme-pattern",
                        cue=pattern.pattern,
                    )
                )
        for mention in entities:
            if mention.kind != "instrument":
                continue
            for theme in self.by_instrument.get(mention.entity, []):
                found.append(
                    Mention(
                        unit,
                        "theme",
                        theme,
                        mention.start,
                        mention.end,
                        mention.matched,
                        "instrument",
                        rule="theme-of-instrument",
                        cue=mention.entity,
                    )
                )
        return found

    def heading_themes(
        self, document: Document, entities_of: HeadingReader
    ) -> dict[tuple[str, str], list[Mention]]:
        """The themes named by the own words of each heading, keyed by (part, section eId)."""
        found: dict[tuple[str, str], list[Mention]] = {}
        for section in document.sections:
            unit = Unit(
                eid=section.eid,
                part=section.part,
                kind="unnumbered",
                style="unnumbered",
                number=section.number,
                text=section.heading,
                offsets=list(range(section.start, section.start + len(section.heading))),
                start=section.start,
                end=section.start + len(section.heading),
                section=section.parent,
                order=section.order,
            )
            themes = self.find(unit, entities_of(unit))
            if themes:
                found[(section.part, section.eid)] = themes
        return found

    @staticmethod
    def inherit(
        document: Document,
        headings: dict[tuple[str, str], list[Mention]],
        own: dict[tuple[str, str], set[str]],
    ) -> dict[tuple[str, str], list[InheritedTheme]]:
        """For each unit, the themes of the nearest heading above it that names any, less its
        own."""
        inherited: dict[tuple[str, str], list[InheritedTheme]] = {}
        for unit in document.units:
            key = (unit.part, unit.eid)
            for section in reversed(unit.heading_path):
                themes = headings.get((unit.part, section))
                if not themes:
                    continue
                taken: dict[str, InheritedTheme] = {}
                for mention in themes:
                    if mention.entity in own.get(key, set()) or mention.entity in taken:
                        continue
                    taken[mention.entity] = InheritedTheme(
                        mention.entity,
                        section,
                        mention.unit.text,
                        mention.cue or mention.matched,
                        mention.matched,
                    )
                if taken:
                    inherited[key] = [taken[theme] for theme in sorted(taken)]
                break
        return inherited


def _key(target: Target) -> tuple[str, str]:
    return target.kind, target.key
