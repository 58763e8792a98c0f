"""Recorded votes of the RevCon3 report, State by State, with totals checked against the lists."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from poa_kg.config import ROOT
from poa_kg.ingest.extract import Extraction, Extractor
from poa_kg.ingest.model import Document, RecordedVote
from poa_kg.ingest.vocab import load_vocabulary

Parse = Callable[..., Document]


@pytest.fixture(scope="module")
def votes(corpus: dict[str, Document]) -> dict[str, RecordedVote]:
    extraction = Extractor(load_vocabulary(ROOT / "ontology" / "vocab")).extract(
        corpus["revcon3-2018"]
    )
    return {vote.unit.eid: vote for vote in extraction.votes}


def positions(vote: RecordedVote, option: str) -> set[str]:
    return {p.state for p in vote.positions if p.option == option}


def test_the_four_recorded_votes_are_found(votes: dict[str, RecordedVote]) -> None:
    assert sorted(votes) == ["para_15", "para_17", "para_18", "para_19"]


@pytest.mark.parametrize(
    ("eid", "yes", "no", "abstain"),
    [("para_15", 63, 2, 28), ("para_17", 62, 2, 29), ("para_18", 65, 0, 25), ("para_19", 98, 0, 0)],
)
def test_counted_ballots_equal_the_stated_totals(
    votes: dict[str, RecordedVote], eid: str, yes: int, no: int, abstain: int
) -> None:
    vote = votes[eid]
    counted = Counter(p.option for p in vote.positions)
    assert (counted["yes"], counted["no"], counted["abstain"]) == (yes, no, abstain)
    assert vote.stated["yes"] == yes and vote.stated["no"] == no
    assert vote.stated.get("abstain", abstain) == abstain
    assert len({p.state for p in vote.positions}) == len(vote.positions)  # nobody twice


def test_final_vote_states_no_abstentions(votes: dict[str, RecordedVote]) -> None:
    assert "abstain" not in votes["para_19"].stated  # "98 to none": abstentions not stated
    assert positions(votes["para_19"], "abstain") == set()


def test_named_positions(votes: dict[str, RecordedVote]) -> None:
    assert positions(votes["para_15"], "no") == {"ISR", "USA"}
    assert positions(votes["para_17"], "no") == {"ISR", "USA"}
    assert "USA" in positions(votes["para_18"], "abstain")
    assert {"ISR", "IND", "DEU"} <= positions(votes["para_18"], "yes")
    assert {"CIV"} & positions(votes["para_19"], "yes") == set()  # Côte d'Ivoire did not vote
    assert {"BHR", "BGD"} <= positions(votes["para_19"], "yes")  # split by a page break


def test_twenty_three_states_abstained_on_all_three_paragraph_votes(
    votes: dict[str, RecordedVote],
) -> None:
    always = (
        positions(votes["para_15"], "abstain")
        & positions(votes["para_17"], "abstain")
        & positions(votes["para_18"], "abstain")
    )
    assert len(always) == 23
    assert {"CHN", "RUS", "IRN", "EGY", "CUB"} <= always


def test_what_was_voted_on(votes: dict[str, RecordedVote]) -> None:
    draft = "A/CONF.192/2018/RC/CRP.1/Rev.3"
    motions = {
        eid: (v.motion_document, v.motion_section, v.motion_paragraph) for eid, v in votes.items()
    }
    assert motions == {
        "para_15": (draft, "I", "16"),
        "para_17": (draft, "II", "18"),
        "para_18": (draft, "I", "13"),
        "para_19": (draft, None, None),
    }


def test_mismatch_between_stated_and_listed_is_reported(parse_text: Parse) -> None:
    document = parse_text(
        "1. The Conference decided by a recorded vote of 3 to 1, with 1 abstention. "
        "The voting was as follows:\n\nIn favour:\n\nChile, Peru.\n\nAgainst:\n\nCuba.\n\n"
        "Abstaining:\n\nNepal, Atlantis.\n\n2. Next.\n",
        kind="report",
    )
    extraction: Extraction = Extractor(load_vocabulary(ROOT / "ontology" / "vocab")).extract(
        document
    )
    messages = [i.message for i in extraction.issues if i.type == "vote-mismatch"]
    assert messages == ["yes: the text states 3, the list names 2"]
    unmatched = [i.message for i in extraction.issues if i.type == "unmatched-name"]
    assert unmatched == ["'Atlantis' in a vote list matches no State"]
