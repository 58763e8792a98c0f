"""The resolution genre: one test per rule, on small synthetic resolutions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from poa_kg.config import Settings
from poa_kg.errors import ParseError, SourceError
from poa_kg.ingest.build import build
from poa_kg.ingest.model import Document
from tests.conftest import write_source

RESOLUTION = (
    "United Nations\n\nA/RES/99/12\n\nGeneral Assembly\n\nDistr.: General\n3 January 2045\n\n"
    "Ninety-ninth session\nAgenda item 98 (q)\n\n"
    "Resolution adopted by the General Assembly on 12 December 2044\n"
    "[on the report of the First Committee (A/99/400)]\n\n"
    "99/12. The illicit trade in small arms and light weapons\nin all its aspects\n"
    "The General Assembly,\n"
    "Recalling its resolution 98/7 of 5 December 2043, as well as all previous\n"
    "resolutions on the illicit trade in small arms and light weapons,\n"
    "Emphasizing also the importance of the Programme of Action to Prevent,\n"
    "Combat and Eradicate the Illicit Trade in Small Arms and Light Weapons in All Its\n"
    "Aspects, 1\n"
    "Mindful of the implementation of the outcomes,\n"
    "Taking note with appreciation of the report of the Secretary-General,2\n"
    "1.\nDecides to convene a meeting of States in 2046, in accordance with paragraph\n"
    "16. of the outcome, and to consider:\n"
    "(a) Marking;\n(b) Record-keeping;\n(c) Tracing, as referred to in\n"
    "3. of the report;\n"
    "Calls upon all States to implement the International Tracing Instrument by\n"
    "2.\nmarking their weapons; 2\n"
    "3. Renews its decision to include the item in the provisional agenda of its\n"
    "hundredth session.\n"
    "61st plenary meeting\n12 December 2044\n"
    "_______________\n1\nSee A/CONF.192/15.\n2\nA/99/150.\n"
)


@pytest.fixture
def resolution(parse_text: Callable[..., Document]) -> Document:
    return parse_text(RESOLUTION, kind="resolution", key="ga-res-99-12")


def _texts(document: Document) -> dict[str, str]:
    return {unit.eid: unit.text for unit in document.units}


def test_preambular_paragraphs_are_units_with_their_lead_phrase(resolution: Document) -> None:
    recitals = [u for u in resolution.units if u.kind == "recital"]
    assert [u.eid for u in recitals] == [f"recital_{n}" for n in range(1, 5)]
    assert [u.lead_phrase for u in recitals] == [
        "Recalling",
        "Emphasizing also",
        "Mindful of",
        "Taking note with appreciation",
    ]
    assert all(u.number is None for u in recitals)


def test_a_capitalised_line_after_a_comma_inside_a_name_is_not_a_new_paragraph(
    resolution: Document,
) -> None:
    assert _texts(resolution)["recital_2"] == (
        "Emphasizing also the importance of the Programme of Action to Prevent, Combat and "
        "Eradicate the Illicit Trade in Small Arms and Light Weapons in All Its Aspects,"
    )


def test_operative_paragraphs_are_numbered_one_to_n(resolution: Document) -> None:
    operative = [u for u in resolution.units if u.kind == "paragraph"]
    assert [u.number for u in operative] == ["1", "2", "3"]
    assert [u.lead_phrase for u in operative] == ["Decides", "Calls upon", "Renews its decision"]


def test_a_number_after_a_lettered_item_or_inside_a_sentence_is_text(
    resolution: Document,
) -> None:
    text = _texts(resolution)["para_1"]
    assert "paragraph 16. of the outcome" in text
    assert text.endswith("(c) Tracing, as referred to in 3. of the report;")


def test_a_number_printed_after_the_first_line_is_the_paragraphs(resolution: Document) -> None:
    assert _texts(resolution)["para_2"] == (
        "Calls upon all States to implement the International Tracing Instrument by marking "
        "their weapons;"
    )


def test_footnotes_are_attached_to_the_paragraph_and_position_of_their_marker(
    resolution: Document,
) -> None:
    notes = {n.number: n for n in resolution.footnotes}
    assert notes["1"].unit == "main/recital_2"
    assert notes["1"].text == "See A/CONF.192/15."
    recital = resolution.unit("recital_2", "main")
    assert notes["1"].at == len(recital.text)  # the marker stood after "Aspects,"
    assert notes["2"].unit == "main/recital_4"
    assert resolution.unit("para_2", "main").footnotes == ["2"]  # a reference to it


def test_offsets_map_every_unit_back_to_the_source(resolution: Document) -> None:
    source = resolution.source.text
    for unit in resolution.units:
        for char, offset in zip(unit.text, unit.offsets, strict=True):
            assert char == " " or source[offset] == char


def test_the_text_states_symbol_session_adoption_and_report(resolution: Document) -> None:
    assert resolution.stated == {
        "symbol": "A/RES/99/12",
        "session": "99",
        "agenda_item": "98 (q)",
        "committee": "First Committee",
        "committee_report": "A/99/400",
        "date": "2044-12-12",
        "plenary_meeting": "61",
    }
    assert resolution.titles["main"] == [
        "The illicit trade in small arms and light weapons in all its aspects"
    ]


def test_the_layout_report_counts_what_was_done(resolution: Document) -> None:
    report = resolution.layout
    assert report is not None
    assert report.paragraphs_found == report.paragraphs_expected == 7
    assert report.footnotes == report.footnotes_attached == 2
    assert report.moved_numbers == 1
    assert report.removed["footnote marker"] == 3


def test_a_paragraph_without_terminal_punctuation_is_reported(
    parse_text: Callable[..., Document],
) -> None:
    text = RESOLUTION.replace("hundredth session.", "hundredth session")
    document = parse_text(text, kind="resolution", key="ga-res-99-13")
    assert document.unit("para_3", "main").truncated
    assert "truncated" in {issue.type for issue in document.issues}


def test_a_resolution_without_operative_paragraphs_is_refused(
    parse_text: Callable[..., Document],
) -> None:
    with pytest.raises(ParseError, match="no numbered operative paragraph"):
        parse_text("The General Assembly,\nRecalling its work,\n", kind="resolution", key="x")


def _resolution_source(root: Path, extra: str) -> Path:
    write_source(root, "ga-res-99-12", RESOLUTION, kind="resolution")
    toml = root / "ga-res-99-12.toml"
    toml.write_text(
        'id = "ga-res-99-12"\ntitle = "The illicit trade"\nkind = "resolution"\n'
        'date = "2044-12-12"\nlanguage = "en"\n' + extra,
        encoding="utf-8",
    )
    return toml


def test_a_metadata_key_naming_no_vocabulary_entry_is_bad_input(tmp_path: Path) -> None:
    toml = _resolution_source(tmp_path / "sources", 'committee = "fourth-committee"\n')
    with pytest.raises(SourceError) as caught:
        build(Settings(), sources_dir=tmp_path / "sources", out_dir=tmp_path / "turtle")
    assert caught.value.path == toml
    assert caught.value.line == 6
    assert "'committee'" in str(caught.value)
    assert not (tmp_path / "turtle").exists()


def test_a_resolution_belongs_to_no_meeting_and_builds(tmp_path: Path) -> None:
    _resolution_source(
        tmp_path / "sources",
        'symbol = "A/RES/99/12"\nsymbol_source = "stated in the text"\nsession = 99\n'
        'plenary_meeting = 61\nagenda_item = "98 (q)"\ncommittee = "first-committee"\n'
        'committee_report = "A/99/400"\nadopted_by = "general-assembly"\n',
    )
    summary = build(Settings(), sources_dir=tmp_path / "sources", out_dir=tmp_path / "turtle")
    assert summary.documents == 1
    turtle = (tmp_path / "turtle" / "ga-res-99-12.ttl").read_text(encoding="utf-8")
    assert "poa:ofMeeting" not in turtle
    assert "eli:passed_by" in turtle and "poa:adoptedAt" in turtle
    assert "poa:Footnote" in turtle and "poa:leadPhrase" in turtle


def test_lead_adjectives_open_a_paragraph_and_names_in_ing_do_not(
    parse_text: Callable[..., Document],
) -> None:
    text = RESOLUTION.replace(
        "Mindful of the implementation of the outcomes,\n",
        "Mindful of the conferences held in Nairobi,\nBeijing, and New York,\n"
        "Committed to the implementation of the outcomes,\n",
    )
    document = parse_text(text, kind="resolution", key="ga-res-99-14")
    assert document.unit("recital_3", "main").text == (
        "Mindful of the conferences held in Nairobi, Beijing, and New York,"
    )
    assert document.unit("recital_4", "main").lead_phrase == "Committed"


def test_text_after_the_adoption_line_is_reported(parse_text: Callable[..., Document]) -> None:
    text = RESOLUTION.replace(
        "61st plenary meeting\n12 December 2044\n",
        "61st plenary meeting\n12 December 2044\nAnnex\nTerms of reference\n",
    )
    document = parse_text(text, kind="resolution", key="ga-res-99-15")
    issue = next(i for i in document.issues if i.type == "unparsed-text")
    assert "2 line(s)" in issue.message and "'Annex'" in issue.message
    assert document.source.text[issue.start : issue.start + 5] == "Annex"


def test_a_third_person_lead_is_coordinated_only_with_third_person_verbs(
    parse_text: Callable[..., Document],
) -> None:
    from poa_kg.config import Settings
    from poa_kg.ingest.extract import extract_document
    from poa_kg.ingest.vocab import load_vocabulary

    text = RESOLUTION.replace(
        "3. Renews its decision to include the item in the provisional agenda of its\n"
        "hundredth session.\n",
        "3. Underlines the fact that the illicit trade requires concerted efforts to prevent,\n"
        "combat and eradicate it;\n"
        "4. Encourages all initiatives for the implementation of the Programme of Action, and\n"
        "calls upon all Member States to contribute to it.\n",
    )
    document = parse_text(text, kind="resolution", key="ga-res-99-16")
    vocabulary = load_vocabulary(Settings().ontology_dir / "vocab")
    statements = {s.unit.eid: s for s in extract_document(document, vocabulary).statements}
    assert statements["para_3"].cls == "Declaration"
    assert statements["para_3"].verbs == ["underline"]
    assert statements["para_4"].cls == "Commitment"
    assert statements["para_4"].verbs == ["encourage", "call upon"]
    assert statements["recital_4"].cls == "Preambular"
    assert statements["recital_4"].lead_phrase == "Taking note with appreciation"


def test_every_resolution_of_a_cited_list_is_a_mention(
    parse_text: Callable[..., Document],
) -> None:
    from poa_kg.config import Settings
    from poa_kg.ingest.extract import extract_document
    from poa_kg.ingest.vocab import load_vocabulary

    text = RESOLUTION.replace(
        "Recalling its resolution 98/7 of 5 December 2043, as well as all previous\n",
        "Recalling its resolutions 56/24 V of 24 December 2001, 57/72 of 22 November\n"
        "2002 and 58/241 of 23 December 2003, as well as all previous\n",
    )
    document = parse_text(text, kind="resolution", key="ga-res-99-17")
    vocabulary = load_vocabulary(Settings().ontology_dir / "vocab")
    cited = [
        (m.entity, m.matched)
        for m in extract_document(document, vocabulary).mentions
        if m.unit.eid == "recital_1" and m.kind == "instrument"
    ]
    assert cited == [("A-RES-56-24", "56/24"), ("A-RES-57-72", "57/72"), ("A-RES-58-241", "58/241")]


def test_names_broken_by_the_conversion_are_found_on_the_normalised_text(
    parse_text: Callable[..., Document],
) -> None:
    from poa_kg.config import Settings
    from poa_kg.ingest.extract import extract_document
    from poa_kg.ingest.vocab import load_vocabulary

    text = RESOLUTION.replace(
        "Mindful of the implementation of the outcomes,\n",
        "Mindful of the work of the United Natio ns Office on Drugs and Crime and of\n"
        "nongovernmental organizations in devel oping countries,\n",
    )
    document = parse_text(text, kind="resolution", key="ga-res-99-18")
    vocabulary = load_vocabulary(Settings().ontology_dir / "vocab")
    found = {
        (m.entity, m.matched, m.method)
        for m in extract_document(document, vocabulary).mentions
        if m.unit.eid == "recital_3" and m.kind == "actor"
    }
    assert ("unodc", "United Natio ns Office on Drugs and Crime", "normalised") in found
    assert ("developing-countries", "devel oping countries", "normalised") in found
    assert ("civil-society", "nongovernmental organizations", "exact") in found
    source = document.source.text
    for mention in extract_document(document, vocabulary).mentions:
        start, end = mention.unit.source_span(mention.start, mention.end)
        assert source[start:end].replace("\n", " ") == mention.matched


def test_a_resolution_of_the_corpus_cited_by_number_is_linked_to_its_document(
    tmp_path: Path,
) -> None:
    sources = tmp_path / "sources"
    for key, number, cited in (("ga-res-99-12", "99/12", "98/7"), ("ga-res-98-7", "98/7", "97/1")):
        text = RESOLUTION.replace("A/RES/99/12", f"A/RES/{number}").replace("98/7", cited)
        text = text.replace("99/12.", f"{number}.")
        write_source(sources, key, text, kind="resolution")
        (sources / f"{key}.toml").write_text(
            f'id = "{key}"\ntitle = "The illicit trade"\nkind = "resolution"\n'
            f'date = "2044-12-12"\nlanguage = "en"\nsymbol = "A/RES/{number}"\n'
            'symbol_source = "stated in the text"\n',
            encoding="utf-8",
        )
    build(Settings(), sources_dir=sources, out_dir=tmp_path / "turtle")
    turtle = (tmp_path / "turtle" / "ga-res-99-12.ttl").read_text(encoding="utf-8")
    assert "eli:cites <https://w3id.org/poa-kg/id/document/ga-res-98-7>" in turtle
    assert "eli:realizes <https://w3id.org/poa-kg/id/instrument/A-RES-99-12>" in turtle
