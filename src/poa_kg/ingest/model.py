"""The objects the pipeline passes between stages: plain dataclasses, no RDF.

sources → ``SourceText``; parse → ``Document`` (``Section``, ``Unit``); extract → ``Statement``,
``Mention``, ``RecordedVote``; every stage may add ``QualityIssue``s. Offsets are Unicode code
points into the source text as stored, zero-based, end-exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Style = Literal["roman", "capital", "arabic", "letter", "roman-lower", "unnumbered"]
UnitKind = Literal["paragraph", "subitem", "chapeau", "recital", "unnumbered"]
Severity = Literal["info", "warning", "error"]


@dataclass(frozen=True)
class DocumentMetadata:
    """What ``{id}.toml`` says of a document."""

    id: str
    title: str
    kind: str
    date: str
    language: str
    meeting: str | None = None
    """Key of the PoA meeting the document belongs to (None: it belongs to none)."""
    symbol: str | None = None
    symbol_source: str | None = None
    encoding: str = "utf-8"
    session: int | None = None
    """General Assembly session (a resolution)."""
    plenary_meeting: int | None = None
    """Number of the plenary meeting that adopted it (a resolution)."""
    agenda_item: str | None = None
    committee: str | None = None
    """Key of the committee on whose report it was adopted (actor vocabulary)."""
    committee_report: str | None = None
    """Symbol(s) of that report, as printed."""
    adopted_by: str | None = None
    """Key of the organ that adopted it (actor vocabulary)."""


@dataclass(frozen=True)
class SourceText:
    """A source document as stored: its text, exactly as decoded, and its metadata."""

    path: Path
    text: str
    metadata: DocumentMetadata
    sha256: str


@dataclass
class QualityIssue:
    """Something the build noticed and could not (or should not silently) repair."""

    type: str
    severity: Severity
    message: str
    about: str | None = None
    """Key of the unit, section or entity concerned (an IRI path after ``id/``), if any."""
    start: int | None = None
    end: int | None = None


@dataclass
class Section:
    """A heading and what follows it until a heading of the same or a higher level."""

    eid: str
    part: str
    style: Style
    number: str | None
    heading: str
    parent: str | None
    start: int
    end: int
    order: int


@dataclass
class Unit:
    """A text unit: a paragraph (numbered or not), a sub-item, a recital or a chapeau.

    ``text`` is the cleaned full text without its number; ``offsets[i]`` is the source offset
    of ``text[i]``, so any span of the text maps back to the source.
    """

    eid: str
    part: str
    kind: UnitKind
    style: Style
    number: str | None
    text: str
    offsets: list[int]
    start: int
    end: int
    section: str | None
    order: int
    parent_unit: str | None = None
    chapeau: str | None = None
    heading_path: list[str] = field(default_factory=list)
    truncated: bool = False
    list_start: int | None = None
    """Index in ``text`` where the list this unit owns begins (officers, States voting)."""
    lead_phrase: str | None = None
    """The opening phrase of a preambular clause ("Emphasizing also", "Mindful of")."""
    footnotes: list[str] = field(default_factory=list)
    """Numbers of the footnotes whose markers stand in this unit, in order (references too)."""

    def source_span(self, begin: int, finish: int) -> tuple[int, int]:
        """Source offsets of ``text[begin:finish]``."""
        return self.offsets[begin], self.offsets[finish - 1] + 1


@dataclass
class Footnote:
    """A footnote: its printed number and text, its span in the source, and where it is cited."""

    number: str
    text: str
    start: int
    end: int
    page: int
    unit: str | None = None
    """``{part}/{eid}`` of the unit holding its first marker (None: outside any unit)."""
    marker: int | None = None
    """Source offset of its first marker."""
    at: int | None = None
    """Index in the unit's text where that marker stood (it is not part of the text)."""


@dataclass
class LayoutReport:
    """What the layout stage did to a document, for the quality table."""

    pages: int
    removed: dict[str, int]
    """Set-aside elements by kind (page numbers, job numbers, footnotes, markers, …)."""
    footnotes: int
    footnotes_attached: int
    joined_lines: int
    moved_numbers: int
    paragraphs_expected: int
    """Paragraphs the numbering implies (numbered ones up to the highest number, plus the
    unnumbered ones found)."""
    paragraphs_found: int


@dataclass
class Document:
    """A parsed document: its parts' title lines, sections and units in document order."""

    source: SourceText
    titles: dict[str, list[str]]
    sections: list[Section]
    units: list[Unit]
    issues: list[QualityIssue]
    footnotes: list[Footnote] = field(default_factory=list)
    layout: LayoutReport | None = None
    stated: dict[str, str] = field(default_factory=dict)
    """Facts the text states of itself: symbol, session, agenda item, committee report,
    plenary meeting, adoption date (keys as in the metadata)."""

    @property
    def id(self) -> str:
        return self.source.metadata.id

    def unit(self, eid: str, part: str) -> Unit:
        for unit in self.units:
            if unit.eid == eid and unit.part == part:
                return unit
        raise KeyError(f"{self.id}/{part}/{eid}")


@dataclass
class Mention:
    """A span of a unit naming a vocabulary entry (actor, State, instrument, meeting, theme)."""

    unit: Unit
    kind: str
    """``actor``, ``state``, ``instrument``, ``meeting`` or ``theme``."""
    entity: str
    """Key of the entity within its kind (slug or ISO3)."""
    start: int
    end: int
    matched: str
    method: str
    in_list: bool = False
    rule: str = "label"
    """How it was obtained: key of a rule in ``ontology/vocab/rules.csv`` (``label``, ``acronym``,
    ``fuzzy-label``, ``theme-cue``, ``theme-of-instrument``…)."""
    cue: str | None = None
    """The vocabulary label, acronym or cue phrase that fired (for a rule: what it read)."""
    distance: int | None = None
    """Edit distance of a fuzzy match."""


@dataclass(frozen=True)
class InheritedTheme:
    """A theme a unit takes from a heading above it whose own words are about that theme."""

    theme: str
    section: str
    """eId of the section whose heading names the theme."""
    heading: str
    cue: str
    """The cue phrase of the heading that fired."""
    matched: str
    """The words of the heading as printed."""


@dataclass
class Statement:
    """What a unit says: its class, verbs and normative strength."""

    unit: Unit
    cls: str | None
    """Local name of the ontology class, or None when the unit could not be classified."""
    verbs: list[str] = field(default_factory=list)
    lead_verb: str | None = None
    level: str | None = None
    qualifiers: list[str] = field(default_factory=list)
    addressee: str | None = None
    addressee_text: str | None = None
    lead_phrase: str | None = None
    class_rule: str | None = None
    """Key of the rule (``ontology/vocab/rules.csv``) that gave the class."""
    class_evidence: str | None = None
    """What that rule read: the verb, heading or phrase."""
    level_rule: str | None = None
    """Key of the rule that gave the strength level."""
    level_evidence: str | None = None
    """The verb (or verbs) whose level it is."""


@dataclass
class VotePosition:
    state: str
    option: Literal["yes", "no", "abstain"]
    start: int
    end: int


@dataclass
class RecordedVote:
    """A recorded vote as a report paragraph states it."""

    unit: Unit
    stated: dict[str, int]
    positions: list[VotePosition]
    motion_document: str | None
    """Symbol of the draft voted on, as named in the text."""
    motion_section: str | None
    """Roman number of the section of the paragraph voted on (None: the whole draft)."""
    motion_paragraph: str | None
