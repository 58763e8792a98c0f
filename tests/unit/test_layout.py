"""The layout stage: one test per rule, on small texts cut and adapted from real pdftotext output."""

from __future__ import annotations

from poa_kg.ingest.layout import Line, analyse_layout, join_lines

PAGE_1 = (
    "United Nations\n\nA/RES/63/72\n\nGeneral Assembly\n\nDistr.: General\n12 January 2009\n\n"
    "The General Assembly,\n"
    "Emphasizing the importance of the continued and full implementation of the\n"
    "Programme of Action to Prevent, Combat and Eradicate the Illicit Trade in Small\n"
    "Arms and Light Weapons in All Its Aspects, 1\n0F\n\n"
    "Recalling its resolution 60/81 of 8 December 2005 and Goal 16 of the Sustainable\n"
    "Development Goals, and the Instrument2 adopted in this regard,\n"
    "_______________\n1\n"
    "See Report of the United Nations Conference on the Illicit Trade in Small Arms and Light\n"
    "Weapons in All Its Aspects (A/CONF.192/15), chap. IV, para. 24.\n2\n"
    "A/60/88 and Corr.2, annex.\n\n08-47511\n\n*0846751*\n\nPlease rec cle\n\n♲\n"
)
PAGE_2 = (
    "\fA/RES/63/72\n\nThe illicit trade in small arms and light weapons in all its aspects\n\n"
    "Taking note of the report of the Secretary-General on the implementation of\n"
    "resolution 62/47,\n"
    "Encourages all initiatives, including those of the United Nations, other\n"
    "1.\ninternational organizations, to implement the Programme of Action;\n"
    "2.\nDecides to convene the next meeting of States in 2010, and requests the\n"
    "_______________\n4\n3\n2/3\n\nSee A/63/261.\nSee A/62/163 and Corr.1.\n141217\n"
)
PAGE_3 = (
    "\fThe illicit trade in small arms and light weapons in all its aspects\n\nA/RES/63/72\n\n"
    "Secretary-General to report on it; 3 and calls upon States to act; 4\n"
    "3. Decides to remain seized of the matter.\n\n3/3\n\n19-21859 (E)\n"
)
TEXT = PAGE_1 + PAGE_2 + PAGE_3


def _body(text: str) -> str:
    return "\n".join(line.text for line in analyse_layout(text).lines)


def test_offsets_point_into_the_source_exactly() -> None:
    layout = analyse_layout(TEXT)
    for line in layout.lines:
        assert len(line.text) == len(line.offsets)
        for char, offset in zip(line.text, line.offsets, strict=True):
            assert char == " " or TEXT[offset] == char
    for note in layout.footnotes:
        assert TEXT[note.start : note.end].split()[0] == note.text.split()[0]


def test_page_furniture_is_set_aside_by_kind() -> None:
    layout = analyse_layout(TEXT)
    body = _body(TEXT)
    for furniture in ("A/RES/63/72", "08-47511", "*0846751*", "Please rec cle", "♲", "0F"):
        assert furniture not in body.split("\n")
    assert "141217" not in body and "2/3" not in body and "3/3" not in body
    assert "19-21859 (E)" not in body
    assert "The illicit trade in small arms and light weapons in all its aspects" not in body
    counts = layout.counts
    assert counts["running symbol"] == 3
    assert counts["running title"] == 2
    assert counts["page number"] == 2
    assert counts["job number"] == 2
    assert counts["date stamp"] == 1
    assert counts["barcode"] == 1
    assert counts["recycling mark"] == 2
    assert counts["anchor debris"] == 1


def test_footnotes_become_data_with_numbers_out_of_order() -> None:
    notes = analyse_layout(TEXT).footnotes
    assert [(n.number, n.page) for n in notes] == [("1", 1), ("2", 1), ("3", 2), ("4", 2)]
    assert notes[0].text.startswith("See Report of the United Nations Conference")
    assert notes[0].text.endswith("chap. IV, para. 24.")
    assert notes[2].text == "See A/63/261."
    assert notes[3].text == "See A/62/163 and Corr.1."


def test_markers_are_removed_and_numbers_of_the_sentence_kept() -> None:
    layout = analyse_layout(TEXT)
    body = _body(TEXT)
    assert "All Its Aspects,\n" in body  # "Aspects, 1" spaced after a comma
    assert "the Instrument adopted" in body  # "Instrument2" glued
    assert "report on it; and calls upon States to act;" in body
    assert "resolution 60/81 of 8 December 2005 and Goal 16 of" in body
    assert [m.number for m in layout.markers] == ["1", "2", "3", "4"]


def test_a_number_printed_after_the_first_line_is_put_back() -> None:
    layout = analyse_layout(TEXT)
    texts = [line.text for line in layout.lines]
    first = texts.index("1.")
    assert texts[first + 1].startswith("Encourages all initiatives")
    assert texts[first + 2] == "international organizations, to implement the Programme of Action;"
    assert texts[texts.index("2.") + 1].startswith("Decides to convene")  # already in place
    assert len(layout.moved_numbers) == 1


def test_a_paragraph_cut_by_a_page_break_continues_after_the_furniture() -> None:
    texts = [line.text for line in analyse_layout(TEXT).lines]
    cut = texts.index("Decides to convene the next meeting of States in 2010, and requests the")
    assert texts[cut + 1].startswith("Secretary-General to report on it;")


def test_scattered_words_of_a_justified_line_are_put_back() -> None:
    text = (
        "The General Assembly,\nTaking into account the importance\n"
        "implementation of the Programme of Action,\n\nof regional\n\napproaches\n\nto\n\nthe\n\n"
        "Noting with satisfaction regional efforts,\n"
    )
    layout = analyse_layout(text)
    joined, _ = join_lines(layout.lines[1:7])
    assert joined == (
        "Taking into account the importance of regional approaches to the "
        "implementation of the Programme of Action,"
    )
    assert len(layout.reordered) == 4


def test_one_word_per_line_without_blank_lines_stays_in_place() -> None:
    text = "Encourages all initiatives of other\ninternational\norganizations,\nregional\nand\n"
    assert _body(text) == text.strip()


def test_join_lines_keeps_a_line_end_hyphen_and_joins_without_a_space() -> None:
    lines = [
        Line("humanitarian and socio-", [0] * 23, 1),
        Line("economic consequences", [0] * 21, 1),
    ]
    text, offsets = join_lines(lines)
    assert text == "humanitarian and socio-economic consequences"
    assert len(offsets) == len(text)
    spaced = [Line("a one -", [0] * 7, 1), Line("week meeting", [0] * 12, 1)]
    assert join_lines(spaced)[0] == "a one -week meeting"


def test_a_footnote_text_without_a_full_stop_is_split_where_the_next_one_opens() -> None:
    text = (
        "The General Assembly,\nRecalling the report,1 and the decision,2\n"
        "_______________\n1\n2\nA/CONF.192/2022/BMS/1\nSee decision 60/519.\n"
    )
    notes = analyse_layout(text).footnotes
    assert [(n.number, n.text) for n in notes] == [
        ("1", "A/CONF.192/2022/BMS/1"),
        ("2", "See decision 60/519."),
    ]


def test_a_footnote_text_with_no_number_is_reported_not_dropped() -> None:
    text = "The General Assembly,\nRecalling the report,\n_______________\nSee A/63/261.\n"
    layout = analyse_layout(text)
    assert layout.footnotes == []
    assert [d.kind for d in layout.doubts] == ["footnote text without a number"]
    assert "See A/63/261." in [s.text for s in layout.set_aside]


def test_without_form_feeds_the_repeated_symbol_starts_each_page() -> None:
    paged, flat = analyse_layout(TEXT), analyse_layout(TEXT.replace("\f", ""))
    assert flat.pages == paged.pages == 3
    assert [line.text for line in flat.lines] == [line.text for line in paged.lines]
    assert [(n.number, n.text) for n in flat.footnotes] == [
        (n.number, n.text) for n in paged.footnotes
    ]
