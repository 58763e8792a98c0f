"""Extraction rules (docs/decisions.md §7): mentions, statements and strength, one fixture per rule."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from poa_kg.config import ROOT
from poa_kg.ingest.extract import Extraction, Extractor
from poa_kg.ingest.model import Document, Mention, Statement
from poa_kg.ingest.vocab import load_vocabulary

Parse = Callable[..., Document]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor(load_vocabulary(ROOT / "ontology" / "vocab"))


@pytest.fixture
def extract(parse_text: Parse, extractor: Extractor) -> Callable[..., Extraction]:
    def run(text: str, kind: str = "outcome") -> Extraction:
        return extractor.extract(parse_text(text, kind=kind))

    return run


def entities(x: Extraction, eid: str = "para_1") -> list[tuple[str, str, str]]:
    return [
        (m.kind, m.entity, m.matched) for m in x.mentions if m.unit.eid == eid and m.kind != "theme"
    ]


def statement(x: Extraction, eid: str = "para_1") -> Statement:
    return next(s for s in x.statements if s.unit.eid == eid)


def mention(x: Extraction, matched: str) -> Mention:
    return next(m for m in x.mentions if m.matched == matched)


# ---------------------------------------------------------------- mentions


def test_longest_match_wins(extract: Callable[..., Extraction]) -> None:
    x = extract("1. To cooperate with the United Nations Office on Drugs and Crime.\n")
    assert entities(x) == [("actor", "unodc", "United Nations Office on Drugs and Crime")]


def test_acronyms_match_exact_case_only(extract: Callable[..., Extraction]) -> None:
    x = extract("1. To cooperate with INTERPOL, not with interpol written in lower case.\n")
    assert [m.matched for m in x.mentions if m.entity == "interpol"] == ["INTERPOL"]


def test_state_names_with_and_are_never_split(extract: Callable[..., Extraction]) -> None:
    x = extract("1. In favour: Antigua And Barbuda, Trinidad and Tobago, Bosnia and Herzegovina.\n")
    assert [e[1] for e in entities(x)] == ["ATG", "TTO", "BIH"]


def test_prefix_collisions_between_states(extract: Callable[..., Extraction]) -> None:
    x = extract(
        "1. Voting: Niger, Nigeria, Guinea, Guinea-Bissau, Equatorial Guinea, Sudan, South Sudan, "
        "Dominica, Dominican Republic, Congo, Democratic Republic of the Congo, Republic of Korea, "
        "Democratic People’s Republic of Korea, Lao People's Democratic Republic.\n"
    )
    assert [e[1] for e in entities(x)] == [
        "NER", "NGA", "GIN", "GNB", "GNQ", "SDN", "SSD", "DMA", "DOM", "COG", "COD", "KOR",
        "PRK", "LAO",
    ]  # fmt: skip


def test_former_names_resolve_to_the_current_state(extract: Callable[..., Extraction]) -> None:
    x = extract("1. Georgia, The former Yugoslav Republic of Macedonia, Turkey and Swaziland.\n")
    assert [e[1] for e in entities(x)] == ["GEO", "MKD", "TUR", "SWZ"]


def test_glued_word_still_matches_and_is_reported(extract: Callable[..., Extraction]) -> None:
    x = extract("1. To strengthen cooperation with industry and the private sectorfor the aim.\n")
    glued = mention(x, "industry and the private sector")
    assert glued.method == "glued"
    assert any(i.type == "repaired-glued-word" for i in x.issues)


def test_typo_in_a_long_name_is_a_flagged_fuzzy_match(extract: Callable[..., Extraction]) -> None:
    x = extract(
        "1. To implement the Interntational Tracing Instrument and the Programe of Action.\n"
    )
    found = {(m.entity, m.method) for m in x.mentions if m.kind == "instrument"}
    assert found == {("iti", "fuzzy"), ("poa", "fuzzy")}
    assert sum(1 for i in x.issues if i.type == "fuzzy-match") == 2


def test_common_words_are_never_fuzzy_matched(extract: Callable[..., Extraction]) -> None:
    x = extract("1. To regulate the manufacture of small arms and light weapons.\n")
    assert [m for m in x.mentions if m.method == "fuzzy"] == []


def test_resolutions_are_minted_from_their_numbers(extract: Callable[..., Extraction]) -> None:
    x = extract(
        "1. Drawing on General Assembly resolutions 65/69 and 99/123 and Security Council "
        "resolution 2370 (2017).\n"
    )
    assert [e[1] for e in entities(x) if e[0] == "instrument"] == [
        "A-RES-65-69",
        "A-RES-99-123",
        "S-RES-2370",
    ]


def test_meeting_named_by_type_and_year(extract: Callable[..., Extraction]) -> None:
    x = extract(
        "1. Decide to hold a one-week biennial meeting of States in 2020 to consider issues.\n"
        "2. 2023 — open-ended meeting of governmental experts — topic to be determined;\n"
    )
    assert ("meeting", "bms7") in [(k, e) for k, e, _ in entities(x)]
    assert [e for k, e, _ in entities(x, "para_2") if k == "meeting"] == [
        "proposed-2023-expert-meeting"
    ]


def test_conference_officer_is_not_the_un_secretary_general(
    extract: Callable[..., Extraction],
) -> None:
    x = extract(
        "1. Mr. X served as the Secretary-General of the Conference, and the Secretary-General of "
        "the United Nations delivered a statement at United Nations Headquarters.\n"
    )
    assert [e[1] for e in entities(x)] == ["secretary-general"]


def test_owner_named_inside_a_body_is_mentioned(extract: Callable[..., Extraction]) -> None:
    x = extract(
        "1. The Credentials Committee of the General Assembly and the INTERPOL Firearms Reference "
        "Table were used.\n"
    )
    keys = {e[1] for e in entities(x)}
    assert {"general-assembly", "interpol"} <= keys


def test_states_in_a_list_are_marked_as_list_entries(extract: Callable[..., Extraction]) -> None:
    x = extract(
        "1. Canada spoke. The voting was as follows:\n\nIn favour:\n\nChile, Peru.\n\n2. Next.\n"
    )
    flags = {m.entity: m.in_list for m in x.mentions if m.kind == "state"}
    assert flags == {"CAN": False, "CHL": True, "PER": True}


def test_theme_cue_inside_a_name_is_not_a_theme(extract: Callable[..., Extraction]) -> None:
    x = extract("1. To apply the International Tracing Instrument to marking and tracing.\n")
    themes = [(m.entity, m.matched) for m in x.mentions if m.kind == "theme"]
    assert ("tracing", "tracing") in themes
    assert all(matched != "Tracing" for _e, matched in themes)


def test_a_url_is_not_a_mention(extract: Callable[..., Extraction]) -> None:
    x = extract("1. The documents are at www.un.org/disarmament/revcon3.\n")
    assert entities(x) == []


# ---------------------------------------------------------------- statements and strength


@pytest.mark.parametrize(
    ("text", "cls", "lead", "level"),
    [
        ("To establish or strengthen national laws.", "Commitment", "establish", "effort"),
        (
            "To continue to ensure that weapons are marked.",
            "Commitment",
            "ensure",
            "firm-undertaking",
        ),
        ("To significantly reduce illicit flows.", "Commitment", "reduce", "effort"),
        ("To apply measures to prevent conversion.", "Commitment", "apply", "firm-undertaking"),
        (
            "In accordance with the Programme of Action, to redouble national efforts.",
            "Commitment",
            "redouble",
            "effort",
        ),
        (
            "To consider, as appropriate, adopting national measures.",
            "Commitment",
            "consider",
            "consideration",
        ),
        (
            "To recognize that eradicating the illicit trade matters.",
            "Declaration",
            "recognize",
            None,
        ),
        (
            "Welcome the initiative of the Secretary-General and to encourage States to contribute.",
            "Commitment",
            "welcome",
            "encouragement",
        ),
        ("Decide to hold a review conference in 2024.", "ProceduralDecision", "decide", "decide"),
        (
            "Request the Secretariat to report on support.",
            "ProceduralDecision",
            "request",
            "exhortation",
        ),
        ("States reaffirmed their commitment to the Programme.", "Declaration", "reaffirm", None),
    ],
)
def test_class_lead_verb_and_level(
    extract: Callable[..., Extraction], text: str, cls: str, lead: str, level: str | None
) -> None:
    s = statement(extract(f"1. {text}\n"))
    assert (s.cls, s.lead_verb, s.level) == (cls, lead, level)


def test_glued_verb_is_repaired_and_reported(extract: Callable[..., Extraction]) -> None:
    x = extract("1. To considerthe development of national frameworks.\n")
    s = statement(x)
    assert (s.lead_verb, s.level) == ("consider", "consideration")
    assert any(i.type == "repaired-glued-word" for i in x.issues)


@pytest.mark.parametrize(
    ("text", "addressee"),
    [
        ("To establish national points of contact.", "states"),
        ("To encourage the United Nations to strengthen its support.", "others"),
        ("To urge States in a position to do so to provide assistance.", "states-in-a-position"),
        (
            "To encourage States, relevant United Nations offices and INTERPOL to enhance coordination.",
            "states-and-others",
        ),
    ],
)
def test_addressee(extract: Callable[..., Extraction], text: str, addressee: str) -> None:
    assert statement(extract(f"1. {text}\n")).addressee == addressee


def test_qualifiers_are_a_facet_of_their_own(extract: Callable[..., Extraction]) -> None:
    s = statement(
        extract(
            "1. To share information, as appropriate and in accordance with national legal "
            "frameworks, on a voluntary basis.\n"
        )
    )
    assert {"as-appropriate", "in-line-with-national-law", "voluntary"} <= set(s.qualifiers)
    assert s.level == "effort"


def test_position_decides_before_verbs(extract: Callable[..., Extraction]) -> None:
    x = extract("I. 2018 Declaration\n\n1. We call for the further strengthening of cooperation.\n")
    assert statement(x, "sec_I__para_1").cls == "Declaration"


def test_proceedings_in_an_outcome_document(extract: Callable[..., Extraction]) -> None:
    x = extract(
        "1. During the discussion of agenda item 9, some States indicated views. The issues "
        "included:\n(a) The application of provisions to ammunition.\n"
    )
    assert statement(x).cls == "ProceedingsRecord"
    assert statement(x, "para_1__point_a").cls == "ProceedingsRecord"


def test_unit_without_verb_is_unclassified_and_reported(extract: Callable[..., Extraction]) -> None:
    x = extract("1. To act now.\n2. Exchange of views on RevCon4.\n")
    assert statement(x, "para_2").cls is None
    assert [i.about for i in x.issues if i.type == "unclassified-unit"] == ["main/para_2"]


def test_outline_items_are_proposed_elements_and_questions(
    extract: Callable[..., Extraction],
) -> None:
    x = extract(
        "I. Elements\n\nA. Marking\n\n(i) Strengthening national laws;\n(ii) Good practices.\n\n"
        "Annex\n\n1. What can be done to strengthen tracing?\n",
        kind="outline",
    )
    classes = [(s.unit.eid, s.cls) for s in x.statements]
    assert classes == [
        ("sec_I__subsec_A__para_i", "ProposedElement"),
        ("sec_I__subsec_A__para_ii", "ProposedElement"),
        ("para_1", "DiscussionQuestion"),
    ]
    assert statement(x, "sec_I__subsec_A__para_i").lead_verb == "strengthen"


def test_a_heading_that_only_names_an_instrument_passes_no_theme(
    extract: Callable[..., Extraction],
) -> None:
    x = extract(
        "IV. Cooperation for the International Tracing Instrument\n\n"
        "1. To strengthen cooperation with INTERPOL.\n\n"
        "V. Marking\n\n1. To share best practices.\n"
    )
    inherited = {u: [t.theme for t in ts] for (_p, u), ts in x.inherited_themes.items()}
    assert inherited.get("sec_IV__para_1") is None
    marking = x.inherited_themes[("main", "sec_V__para_1")]
    assert [(t.theme, t.section, t.matched) for t in marking] == [("marking", "sec_V", "Marking")]


def test_women_named_as_a_group_concern_gender(extract: Callable[..., Extraction]) -> None:
    x = extract("1. To take account of the impacts on women, men, girls and boys.\n")
    themes = {m.entity: m for m in x.mentions if m.kind == "theme"}
    assert themes["gender"].matched == "women, men, girls and boys"
    assert (themes["gender"].rule, themes["gender"].cue) == (
        "theme-cue",
        "women, men, girls and boys",
    )


def test_a_cue_inside_a_name_the_vocabularies_lack_is_not_a_theme(
    extract: Callable[..., Extraction],
) -> None:
    x = extract(
        "1. To use the INTERPOL Illicit Arms Records and Tracing Management System, and "
        "resolutions on women, disarmament, non-proliferation and arms control.\n"
    )
    assert [m.entity for m in x.mentions if m.kind == "theme"] == []


def test_an_instrument_whose_subject_is_a_theme_gives_it(
    extract: Callable[..., Extraction],
) -> None:
    x = extract("1. To contribute to target 16.4 of the 2030 Agenda for Sustainable Development.\n")
    sdgs = [m for m in x.mentions if m.kind == "theme" and m.entity == "sdgs"]
    assert sdgs and {m.rule for m in sdgs} == {"theme-of-instrument"}


def test_every_tag_records_how_it_was_obtained(extract: Callable[..., Extraction]) -> None:
    x = extract(
        "1. To consider or strengthen marking with the Interntational Tracing Instrument.\n"
    )
    fuzzy = next(m for m in x.mentions if m.kind == "instrument")
    assert (fuzzy.rule, fuzzy.distance) == ("fuzzy-label", 1)
    assert fuzzy.cue == "international tracing instrument"
    s = statement(x)
    assert (s.class_rule, s.class_evidence) == ("class-operative-verb", "consider")
    assert (s.level_rule, s.level_evidence) == (
        "level-weaker-alternative",
        "consider or strengthen",
    )
