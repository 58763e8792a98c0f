"""The parser: one fixture per rule of docs/decisions.md §6, the corpus inventory, offsets, bad input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from poa_kg.errors import ParseError, SourceError
from poa_kg.ingest.model import Document, Unit
from poa_kg.ingest.parse import clean_line, parse_document
from poa_kg.ingest.sources import read_source
from tests.conftest import write_source

Parse = Callable[..., Document]


def eids(document: Document, kind: str | None = None, part: str = "main") -> list[str]:
    return [u.eid for u in document.units if u.part == part and (kind is None or u.kind == kind)]


def unit(document: Document, eid: str, part: str = "main") -> Unit:
    return document.unit(eid, part)


def issue_types(document: Document) -> list[str]:
    return [i.type for i in document.issues]


# ---------------------------------------------------------------- cleaning


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("#### **I. Introduction**", "I. Introduction"),
        ("43. [bookmark: _Hlk106711593]To establish", "43. To establish"),
        ("resolution [72/57](#), in which", "resolution 72/57, in which"),
        ("resolution [2370 \\(2017\\)](#), relevant", "resolution 2370 (2017), relevant"),
        ("- (c) Conflict situations**", "(c) Conflict situations"),
        ("  - (a) Appointment;", "(a) Appointment;"),
        ("Austria  ", "Austria"),
        ("---", ""),
        ("-", ""),
        ("\t", ""),
        ("as part of  efforts", "as part of efforts"),
    ],
)
def test_clean_line_drops_debris(raw: str, clean: str) -> None:
    assert clean_line(raw)[0] == clean


def test_clean_line_maps_every_character_to_its_source_offset() -> None:
    raw = "#### **[72/57](#) and \\(a\\)**"
    text, offsets = clean_line(raw, base=100)
    assert text == "72/57 and (a)"
    for char, offset in zip(text, offsets, strict=True):
        if char != " ":
            assert raw[offset - 100] == char


# ---------------------------------------------------------------- structure rules


def test_heading_levels_come_from_numbering_not_hashes(parse_text: Parse) -> None:
    doc = parse_text(
        "##### I. First section\n\n# A. A lettered heading.\n\n1. To do one thing.\n"
        "2. To do another.\n\n### II. Second section\n\n1. To restart numbering.\n"
    )
    assert [s.eid for s in doc.sections] == ["sec_I", "sec_I__subsec_A", "sec_II"]
    # keyed by the smallest container holding the whole sequence
    assert eids(doc) == ["sec_I__subsec_A__para_1", "sec_I__subsec_A__para_2", "sec_II__para_1"]
    assert unit(doc, "sec_I__subsec_A__para_1").section == "sec_I__subsec_A"


def test_arabic_headings_and_paragraphs_told_apart_by_sequence(parse_text: Parse) -> None:
    # The RevCon3 annex pattern: headings number their own sequence, paragraphs continue theirs,
    # and arabic paragraphs sit under a lettered heading.
    doc = parse_text(
        "I. Section\n\nA. Part\n\n1. Coordination and implementation at all levels\n\n"
        "(a) At the national level\n\n1. To establish laws.\n2. To strengthen approaches\n\n"
        "(b) At the regional level\n\n3. To encourage adoption.\n\n"
        "2. Preventing diversion, a heading that runs on and on without any final stop at all "
        "because length and punctuation do not decide\n\n(a) Stockpiles\n\n"
        "4. To secure stockpiles.\n\nB. Other part\n\n1. Sustainable development\n\n"
        "5. To take advantage of synergies.\n"
    )
    assert [s.eid for s in doc.sections] == [
        "sec_I",
        "sec_I__subsec_A",
        "sec_I__subsec_A__subsec_1",
        "sec_I__subsec_A__subsec_1__subsec_a",
        "sec_I__subsec_A__subsec_1__subsec_b",
        "sec_I__subsec_A__subsec_2",
        "sec_I__subsec_A__subsec_2__subsec_a",
        "sec_I__subsec_B",
        "sec_I__subsec_B__subsec_1",
    ]
    assert eids(doc) == [f"sec_I__para_{n}" for n in range(1, 6)]
    assert unit(doc, "sec_I__para_4").section == "sec_I__subsec_A__subsec_2__subsec_a"


def test_leaves_restarting_under_each_heading_are_keyed_by_that_heading(parse_text: Parse) -> None:
    doc = parse_text(
        "A. Marking\n\n(i) National legislation;\n(ii) Good practices.\n\n"
        "B. Tracing\n\n(i) Inter-agency coordination;\n(ii) Exchange of information.\n"
    )
    assert eids(doc) == [
        "subsec_A__para_i",
        "subsec_A__para_ii",
        "subsec_B__para_i",
        "subsec_B__para_ii",
    ]


def test_unnumbered_short_lines_are_headings_sentences_are_not(parse_text: Parse) -> None:
    doc = parse_text(
        "A. Measures\n\nBearing in mind the situations of States, States resolve to undertake:\n\n"
        "At the national level\n\n1. To put in place laws.\n\nAt the regional level\n\n"
        "2. To reinforce coordination.\n"
    )
    headings = [s.heading for s in doc.sections]
    assert headings == ["Measures", "At the national level", "At the regional level"]
    assert unit(doc, "subsec_A__intro").kind == "chapeau"
    assert unit(doc, "subsec_A__para_2").chapeau == "subsec_A__intro"


def test_a_unit_ending_in_colon_owns_the_list_that_follows(parse_text: Parse) -> None:
    doc = parse_text(
        "5. The Conference adopted the agenda as follows:\n\n1. Opening.\n"
        "2. Credentials:\n  - (a) Appointment;\n  - (b) Report.\n3. Closing.\n\n"
        "6. The composition of the Bureau was as follows:\n\n### *President*\n\nJean-Claude Brunet (France)\n\n"
        "### *Vice-Presidents*\n\nAustria  \nCroatia\n\n7. The voting was as follows:\n\n"
        "#### *In favour:*\n\nAngola, Argentina.\n\n*Against:*\n\nNone.\n\n8. Next paragraph.\n"
    )
    assert eids(doc) == [
        "para_5",
        "para_5__item_1",
        "para_5__item_2",
        "para_5__item_2__point_a",
        "para_5__item_2__point_b",
        "para_5__item_3",
        "para_6",
        "para_7",
        "para_8",
    ]
    assert unit(doc, "para_6").text.endswith("Vice-Presidents Austria Croatia")
    assert unit(doc, "para_7").text.endswith("In favour: Angola, Argentina. Against: None.")
    assert unit(doc, "para_5__item_2__point_a").parent_unit == "para_5__item_2"
    vice = unit(doc, "para_6")
    assert vice.list_start is not None and vice.text[vice.list_start :].startswith("President")


def test_page_break_split_continues_whatever_the_case(parse_text: Parse) -> None:
    doc = parse_text(
        "1. The Conference was opened\n\n\n\non 18 June by the High Representative.\n\n"
        "2. To welcome the initiative and to encourage\n\nStates in a position to do so to contribute.\n\n"
        "3. A statement was made on behalf of Albania, Bosnia and Herzegovina,\n\n"
        "Georgia and Ukraine).\n"
    )
    assert (
        unit(doc, "para_1").text
        == "The Conference was opened on 18 June by the High Representative."
    )
    assert unit(doc, "para_2").text.endswith(
        "to encourage States in a position to do so to contribute."
    )
    assert unit(doc, "para_3").text.endswith("Herzegovina, Georgia and Ukraine).")
    assert "truncated" not in issue_types(doc)


def test_heading_printed_inside_a_sentence_is_skipped_by_the_sentence(parse_text: Parse) -> None:
    doc = parse_text(
        "A. Marking\n\n1. To mark small arms and light weapons at the time of\n\nB. Record-keeping\n\n"
        "manufacture, in line with the Instrument.\n\n2. To keep records.\n"
    )
    assert unit(doc, "para_1").text == (
        "To mark small arms and light weapons at the time of manufacture, in line with the Instrument."
    )
    assert unit(doc, "para_2").section == "subsec_B"


def test_truncated_unit_is_reported_not_hidden(parse_text: Parse) -> None:
    doc = parse_text("1. To establish national laws and\n2. To strengthen coordination.\n")
    truncated = [i for i in doc.issues if i.type == "truncated"]
    assert [i.about for i in truncated] == ["main/para_1"]
    assert unit(doc, "para_1").truncated


def test_numbering_gap_is_reported_and_never_renumbered(parse_text: Parse) -> None:
    doc = parse_text(
        "12. States noted one thing.\n13. States noted another.\n15. States noted a third.\n"
    )
    assert eids(doc) == ["para_12", "para_13", "para_15"]
    gaps = [i.message for i in doc.issues if i.type == "numbering-gap"]
    assert gaps == ["sequence starts at 12, not at 1", "14 missing between 13 and 15"]


def test_duplicate_numbers_are_kept_apart_and_reported(parse_text: Parse) -> None:
    doc = parse_text("1. To act.\n2. To act again.\n2. To act a third time.\n")
    assert eids(doc) == ["para_1", "para_2", "para_2-2"]
    assert "duplicate-number" in issue_types(doc)


def test_page_furniture_footnotes_and_form_feeds_are_set_aside(parse_text: Parse) -> None:
    doc = parse_text(
        "1. To establish laws in accordance with the\n\n18-11278\n\n3/25\n\n\x0cA/CONF.192/2018/RC/3\n\n"
        "Programme of Action.\n\n1 See A/CONF.192/15, chap. IV.\n\n2. To strengthen cooperation.\n"
    )
    assert (
        unit(doc, "para_1").text == "To establish laws in accordance with the Programme of Action."
    )
    removed = [i.message for i in doc.issues if i.type == "removed-page-furniture"]
    assert len(removed) == 4
    assert any("footnote" in message for message in removed)


def test_preambular_clauses_are_recitals_under_a_chapeau(parse_text: Parse) -> None:
    doc = parse_text(
        "V. Follow-up\n\nStates,\n\nReaffirming the importance of coherence,\n\nNoting the convening "
        "of meetings,\n\nProgramme of activities\n\n1. Decide to hold a meeting.\n"
    )
    assert eids(doc) == ["sec_V__intro", "sec_V__recital_1", "sec_V__recital_2", "sec_V__para_1"]
    assert unit(doc, "sec_V__para_1").chapeau == "sec_V__intro"
    assert unit(doc, "sec_V__para_1").section == "sec_V__hcontainer_1"


def test_outline_items_and_unnumbered_elements(parse_text: Parse) -> None:
    doc = parse_text(
        "Working paper\n\nThe present document was prepared by the President-designate.\n\n"
        "I. 2018 declaration\n\nA political declaration reaffirming commitment.\n\n"
        "II. Implementation plan\n\nThe following is a list of potential elements.\n\n"
        "A. Coordination\n\n1. Synergies\n\n(a) National level\n\n- (i) Strengthening laws;\n"
        "- (ii) Reinforcing mechanisms;\n\n(b) Global instruments\n\nEncouraging synergies with "
        "other instruments.\n\n2. Diversion\n\n(i) Pursuing efforts;\n",
        kind="outline",
    )
    assert eids(doc, "unnumbered") == [
        "sec_I__unnumbered_1",
        "sec_II__subsec_A__subsec_1__subsec_b__unnumbered_1",
    ]
    assert eids(doc, "paragraph") == [
        "sec_II__subsec_A__subsec_1__subsec_a__para_i",
        "sec_II__subsec_A__subsec_1__subsec_a__para_ii",
        "sec_II__subsec_A__subsec_2__para_i",
    ]
    assert eids(doc, "chapeau") == ["intro", "sec_II__intro"]
    assert doc.titles["main"] == ["Working paper"]


def test_annex_starts_a_new_part(parse_text: Parse) -> None:
    doc = parse_text(
        "1. The Conference met.\n\n## Annex\n\n### Outcome\n\nI. Declaration\n\n1. We reaffirm.\n"
    )
    assert [(u.part, u.eid) for u in doc.units] == [("main", "para_1"), ("annex", "sec_I__para_1")]
    assert doc.titles["annex"] == ["Outcome"]


def test_letter_i_after_h_is_a_letter_not_a_roman_numeral(parse_text: Parse) -> None:
    letters = "abcdefghi"
    text = "1. The issues included:\n" + "".join(f"({c}) Issue {c};\n" for c in letters)
    doc = parse_text(text)
    assert eids(doc)[-1] == "para_1__point_i"
    assert len(eids(doc, "subitem")) == 9


# ---------------------------------------------------------------- offsets


def test_every_unit_character_maps_back_to_the_source(corpus: dict[str, Document]) -> None:
    for document in corpus.values():
        source = document.source.text
        for item in document.units:
            assert len(item.offsets) == len(item.text)
            assert item.offsets == sorted(item.offsets)
            for char, offset in zip(item.text, item.offsets, strict=True):
                if char != " ":
                    assert source[offset] == char, (document.id, item.eid)
            assert item.start == item.offsets[0] and item.end == item.offsets[-1] + 1


# ---------------------------------------------------------------- the corpus inventory


def test_revcon3_inventory(corpus: dict[str, Document]) -> None:
    doc = corpus["revcon3-2018"]
    main = eids(doc, "paragraph")
    assert main == [f"para_{n}" for n in range(1, 21)]
    agenda = eids(doc, "subitem")
    assert agenda == [f"para_6__item_{n}" for n in range(1, 10)] + [
        "para_6__item_9__point_a",
        "para_6__item_9__point_b",
    ] + [f"para_6__item_{n}" for n in range(10, 15)]
    annex = eids(doc, "paragraph", part="annex")
    expected = [
        f"sec_{sec}__para_{n}"
        for sec, count in (("I", 23), ("II", 80), ("III", 26), ("IV", 28), ("V", 17))
        for n in range(1, count + 1)
    ]
    assert annex == expected
    assert eids(doc, "recital", part="annex") == [f"sec_V__recital_{n}" for n in range(1, 5)]
    assert [s.eid for s in doc.sections if s.part == "main" and "__" not in s.eid] == [
        "sec_I",
        "sec_II",
        "sec_III",
        "sec_IV",
        "sec_V",
    ]


def test_revcon3_lists_belong_to_their_paragraph(corpus: dict[str, Document]) -> None:
    doc = corpus["revcon3-2018"]
    assert unit(doc, "para_7").text.endswith("Nepal Russian Federation Sierra Leone")
    nineteen = unit(doc, "para_19").text
    assert "Bahrain, Bangladesh" in nineteen  # joined across a page break inside the list
    assert nineteen.endswith("Against: None. Abstaining: None.")
    assert unit(doc, "para_4").text.endswith("A/CONF.192/2018/RC/INF/3.")
    assert "The Conference was opened on 18 June" in unit(doc, "para_4").text


def test_revcon3_page_break_splits_are_joined_with_one_space(corpus: dict[str, Document]) -> None:
    doc = corpus["revcon3-2018"]
    assert (
        "impeding the provision of humanitarian assistance to victims"
        in unit(doc, "sec_I__para_6", "annex").text
    )
    assert "such as national small arms commissions" in unit(doc, "sec_II__para_74", "annex").text
    two = unit(doc, "sec_V__para_2", "annex").text
    assert "programming focused" in two and two.endswith("through voluntary contributions.")
    chapeau = unit(doc, "sec_II__intro", "annex").text
    assert "bearing in mind the different situations" in chapeau


def test_outline_inventory(corpus: dict[str, Document]) -> None:
    doc = corpus["prepcom-2018-outline"]
    items = eids(doc, "paragraph")
    assert len(items) == 88
    assert sum(1 for e in items if e.startswith("sec_IV__")) == 6
    assert len(eids(doc, "unnumbered")) == 5
    assert eids(doc, "paragraph", part="annex") == [f"para_{n}" for n in range(1, 13)]
    assert unit(doc, "sec_I__unnumbered_1").text.startswith("A political declaration")


def test_bms8_inventory_keeps_the_gap(corpus: dict[str, Document]) -> None:
    doc = corpus["bms8-2022-draft"]
    expected = [f"para_{n}" for n in range(1, 103) if n != 14]
    assert eids(doc, "paragraph") == expected
    assert eids(doc, "subitem") == ["para_100__point_a"]
    gaps = [i.message for i in doc.issues if i.type == "numbering-gap"]
    assert gaps == ["14 missing between 13 and 15"]
    assert unit(doc, "para_43").text.startswith("To establish, in accordance")  # bookmark gone
    assert unit(doc, "para_24").chapeau == "subsec_A__intro"


def test_corpus_has_no_truncated_unit(corpus: dict[str, Document]) -> None:
    for document in corpus.values():
        assert [i.about for i in document.issues if i.type == "truncated"] == []


def test_spelling_is_kept_as_printed(corpus: dict[str, Document]) -> None:
    doc = corpus["bms8-2022-draft"]
    assert "Programme of Acion" in unit(doc, "para_83").text
    assert unit(doc, "para_84").text.startswith("To considerthe development")
    assert "private sectorfor" in unit(doc, "para_34").text


# ---------------------------------------------------------------- bad input


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = write_source(tmp_path, "empty", "  \n\n")
    with pytest.raises(SourceError, match=r"empty\.txt: empty file"):
        read_source(path)


def test_binary_file_is_refused_with_position(tmp_path: Path) -> None:
    path = write_source(tmp_path, "binary", b"1. To act.\n\x00\x01\x02")
    with pytest.raises(SourceError, match=r"binary\.txt:2:1: binary file"):
        read_source(path)


def test_invalid_utf8_names_line_and_column(tmp_path: Path) -> None:
    path = write_source(tmp_path, "latin", "1. To act.\n2. Côte".encode("latin-1"))
    with pytest.raises(SourceError, match=r"latin\.txt:2:5: invalid utf-8 byte 0xf4"):
        read_source(path)


def test_text_without_numbered_units_is_refused(tmp_path: Path) -> None:
    path = write_source(tmp_path, "prose", "Just some prose.\n\nAnd more prose.\n")
    with pytest.raises(ParseError, match="no numbered paragraph"):
        parse_document(read_source(path))


def test_metadata_errors_name_the_file(tmp_path: Path) -> None:
    path = write_source(tmp_path, "meta", "1. To act.\n")
    (tmp_path / "meta.toml").write_text('id = "meta"\ntitle = "x"\n', encoding="utf-8")
    with pytest.raises(SourceError, match=r"meta\.toml: missing or empty field\(s\): kind"):
        read_source(path)


def test_a_language_that_is_not_an_iso_639_1_code_names_the_file_and_line(tmp_path: Path) -> None:
    path = write_source(tmp_path, "lang", "1. To act.\n")
    toml = tmp_path / "lang.toml"
    toml.write_text(toml.read_text().replace('language = "en"', 'language = "English"'))
    with pytest.raises(SourceError, match=r"lang\.toml:6: language 'English' must be a two-letter"):
        read_source(path)
