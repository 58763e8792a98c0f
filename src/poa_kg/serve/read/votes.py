"""Recorded votes: ``votes.rq`` → ``VoteOut`` records, one vote with every State's position
(``vote-positions.rq``), one State's record (``state-votes.rq``), and the States that voted
with their UN regional group and M49 region (``vote-agreement-states.rq``)."""

from __future__ import annotations

from pyoxigraph import NamedNode

from poa_kg.namespaces import key_of
from poa_kg.serve.read.reader import Reader, Row, Rows
from poa_kg.serve.read.records import (
    Listing,
    PositionOut,
    Ref,
    StateVoteOut,
    VoteOut,
    maybe_ref,
    ref,
    text,
)


def _vote(row: Row) -> VoteOut:
    stated = {
        k: int(row[f"stated{k.capitalize()}"] or 0)
        for k in ("yes", "no", "abstain")
        if row.get(f"stated{k.capitalize()}") is not None
    }
    adopted = row.get("adopted")
    return VoteOut(
        id=key_of(row["vote"], "vote"),
        iri=str(row["vote"]),
        label=str(row["label"]),
        paragraph=Ref(iri=str(row["paragraph"]), id=key_of(row["paragraph"], "unit")),
        motion=maybe_ref(row.get("motion"), row.get("motionLabel"), "unit"),
        adopted_paragraph=Ref(iri=str(adopted), id=key_of(adopted, "unit")) if adopted else None,
        stated=stated,
        counted={k: int(row[k] or 0) for k in ("yes", "no", "abstain")},
    )


async def votes(reader: Reader) -> Listing[VoteOut]:
    """Every recorded vote with its stated and counted totals."""
    rows = await reader.rows("votes")
    return Listing((_vote(r) for r in rows), truncated=rows.truncated)


async def vote(reader: Reader, iri: NamedNode) -> VoteOut | None:
    """One recorded vote with every State's position, counted by UN regional group, or None."""
    found = next((v for v in await votes(reader) if v.iri == iri.value), None)
    if found is None:
        return None
    positions = await reader.rows("vote-positions", {"vote": iri})
    found.positions = [
        PositionOut(
            state=Ref(iri=str(p["state"]), id=str(p["iso3"]), label=str(p["name"])),
            option=str(p["option"]),
            un_group=text(p.get("group")),
            m49_region=text(p.get("region")),
        )
        for p in positions
    ]
    for position in found.positions:
        groups = found.by_group.setdefault(position.option, {})
        group = position.un_group or "no group"
        groups[group] = groups.get(group, 0) + 1
    return found


async def state_votes(reader: Reader, state: NamedNode) -> Listing[StateVoteOut]:
    """A State's positions across the recorded votes."""
    rows = await reader.rows("state-votes", {"state": state})
    return Listing(
        (
            StateVoteOut(
                vote=ref(r["vote"], r["label"], "vote"),
                option=str(r["option"]),
                citation=text(r.get("citation")),
                voted_on=text(r.get("adoptedCitation")),
            )
            for r in rows
        ),
        truncated=rows.truncated,
    )


async def voting_states(reader: Reader) -> Rows:
    """The States that took part in a recorded vote: ``iso3``, ``name``, ``group``, ``region``."""
    return await reader.rows("vote-agreement-states")


async def agreement_pairs(reader: Reader) -> Rows:
    """One row per pair of States that shared a vote: ``firstIso3``, ``secondIso3``,
    ``votesCompared``, ``votesAlike``, ``agreement`` (every pair: the caller ranks and pages)."""
    return await reader.rows("analysis-vote-agreement", cap=1_000_000)
