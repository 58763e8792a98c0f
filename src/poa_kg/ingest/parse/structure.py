"""Structure: the blocks and containers the numbered parser gathers, and how they become a
``Document``: eIds in the Akoma Ntoso naming style (the smallest container in which printed numbers
restart), chapeaux, heading paths, and the check for units left without terminal punctuation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from poa_kg.ingest.model import Document, QualityIssue, Section, Style, Unit, UnitKind
from poa_kg.ingest.parse.lines import _CLOSERS, _TERMINAL

if TYPE_CHECKING:
    from poa_kg.ingest.parse.numbered import _Parser


@dataclass
class _Block:
    """Text being gathered into a unit or a chapeau."""

    text: str
    offsets: list[int]
    kind: UnitKind
    style: Style
    label: str | None
    ordinal: int
    containers: list[_Container]
    order: int
    part: str
    seq: int | None = None
    parent: _Block | None = None
    owns_list: bool = False
    list_start: int | None = None
    eid: str = ""

    def extend(self, text: str, offsets: list[int]) -> None:
        if not text:
            return
        if self.text:
            self.offsets.append(self.offsets[-1] + 1)
            self.text += " "
        self.text += text
        self.offsets.extend(offsets)

    @property
    def open(self) -> bool:
        """True while the text lacks terminal punctuation (so it continues in the next block)."""
        stripped = self.text.rstrip(_CLOSERS + " ")
        return not stripped or stripped[-1] not in _TERMINAL


@dataclass
class _Container:
    """A heading on the stack (or the root of a part) and what it has gathered."""

    style: Style | None
    label: str | None
    ordinal: int
    heading: str
    parent: _Container | None
    part: str
    start: int
    end: int
    order: int
    has_units: bool = False
    prose: list[_Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    children_unnumbered: int = 0
    eid: str = ""
    intro: _Block | None = None

    @property
    def numbered(self) -> bool:
        return self.style is not None and self.style != "unnumbered"

    def path(self) -> list[_Container]:
        chain: list[_Container] = []
        node: _Container | None = self
        while node is not None and node.style is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


@dataclass
class _Owner:
    """A unit ending in ':' and the list it owns."""

    block: _Block
    child_style: Style | None = None
    last: int = 0


def assemble(p: _Parser) -> Document:
    """The parsed document: eIds assigned, units built, truncation checked."""
    _assign_section_eids(p)
    _assign_unit_eids(p)
    sections = [
        Section(
            c.eid,
            c.part,
            c.style or "unnumbered",
            c.label,
            c.heading,
            c.parent.eid if c.parent is not None and c.parent.style is not None else None,
            c.start,
            c.end,
            c.order,
        )
        for c in p.sections
    ]
    units = [_unit(p, b) for b in sorted(p.blocks, key=lambda b: b.order)]
    _check_truncation(p, units)
    return Document(p.source, p.titles, sections, units, p.issues)


def _assign_section_eids(p: _Parser) -> None:
    for container in p.sections:  # in document order, so parents come first
        parent = container.parent
        prefix = f"{parent.eid}__" if parent is not None and parent.style is not None else ""
        if container.style == "unnumbered":
            owner = parent if parent is not None else p.root
            owner.children_unnumbered += 1
            container.eid = f"{prefix}hcontainer_{owner.children_unnumbered}"
        elif container.style == "roman":
            container.eid = f"{prefix}sec_{container.label}"
        else:
            container.eid = f"{prefix}subsec_{container.label}"


def _assign_unit_eids(p: _Parser) -> None:
    by_seq: dict[int, list[_Block]] = {}
    for block in p.blocks:
        if block.seq is not None:
            by_seq.setdefault(block.seq, []).append(block)
    seen: dict[tuple[str, str], int] = {}
    counters: dict[tuple[str, str, str], int] = {}
    for block in sorted(p.blocks, key=lambda b: b.order):
        if block.kind == "paragraph" and block.seq is not None:
            container = _common_container(by_seq[block.seq])
            base = f"{container}__" if container else ""
            eid = f"{base}para_{block.label}"
        elif block.kind == "subitem" and block.parent is not None:
            segment = "item" if block.style == "arabic" else "point"
            eid = f"{block.parent.eid}__{segment}_{block.label}"
        else:
            holder = _holder(p, block)
            base = f"{holder}__" if holder else ""
            if block.kind == "chapeau":
                eid = f"{base}intro"
            else:
                name = "recital" if block.kind == "recital" else "unnumbered"
                key = (block.part, holder, name)
                counters[key] = counters.get(key, 0) + 1
                eid = f"{base}{name}_{counters[key]}"
        count = seen.get((block.part, eid), 0)
        seen[(block.part, eid)] = count + 1
        if count:
            p.issues.append(
                QualityIssue(
                    "duplicate-number",
                    "warning",
                    f"{block.part}/{eid} occurs more than once; "
                    f"the later one is keyed {eid}-{count + 1}",
                    start=block.offsets[0] if block.offsets else None,
                )
            )
            eid = f"{eid}-{count + 1}"
        block.eid = eid


def _holder(p: _Parser, block: _Block) -> str:
    """eId of the container a chapeau, recital or unnumbered unit belongs to."""
    for container in reversed(block.containers):
        if block.kind == "chapeau" and container.intro is block:
            return container.eid
        if block in container.prose or block.kind != "chapeau":
            return container.eid
    return ""


def _common_container(members: list[_Block]) -> str:
    """eId of the smallest numbered container holding every member of a sequence."""
    paths = [[c for c in m.containers if c.numbered] for m in members]
    common: list[_Container] = []
    for level in zip(*paths, strict=False):
        if all(c is level[0] for c in level):
            common.append(level[0])
        else:
            break
    return common[-1].eid if common else ""


def _unit(p: _Parser, block: _Block) -> Unit:
    key = p.source.metadata.id
    containers = block.containers
    section = containers[-1].eid if containers else None
    chapeau = None
    for container in reversed(containers):
        if container.intro is not None and container.intro is not block:
            chapeau = container.intro.eid
            break
    if chapeau is None and _root_intro(p, block) is not None:
        chapeau = _root_intro(p, block)
    if block.kind == "chapeau":
        chapeau = None
    del key
    return Unit(
        eid=block.eid,
        part=block.part,
        kind=block.kind,
        style=block.style,
        number=block.label,
        text=block.text,
        offsets=block.offsets,
        start=block.offsets[0] if block.offsets else 0,
        end=block.offsets[-1] + 1 if block.offsets else 0,
        section=section,
        order=block.order,
        parent_unit=block.parent.eid if block.parent is not None else None,
        chapeau=chapeau,
        heading_path=[c.eid for c in containers],
        list_start=block.list_start,
    )


def _root_intro(p: _Parser, block: _Block) -> str | None:
    for candidate in p.blocks:
        if (
            candidate.kind == "chapeau"
            and candidate.part == block.part
            and candidate.eid == "intro"
            and candidate is not block
        ):
            return candidate.eid
    return None


def _check_truncation(p: _Parser, units: list[Unit]) -> None:
    owners = {(b.part, b.eid) for b in p.blocks if b.owns_list}
    for unit in units:
        if unit.kind == "chapeau" or (unit.part, unit.eid) in owners:
            continue
        stripped = unit.text.rstrip(_CLOSERS + " ")
        if stripped and stripped[-1] not in _TERMINAL + ",":
            unit.truncated = True
            p.issues.append(
                QualityIssue(
                    "truncated",
                    "warning",
                    f"text ends without terminal punctuation: …{stripped[-40:]!r}",
                    about=f"{unit.part}/{unit.eid}",
                    start=unit.start,
                    end=unit.end,
                )
            )
