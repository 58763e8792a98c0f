"""The States vocabulary (ontology/vocab/states.csv): shape, uniqueness, corpus coverage."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
STATES_CSV = REPO_ROOT / "ontology" / "vocab" / "states.csv"
REVCON3_TEXT = REPO_ROOT / "data" / "sources" / "revcon3-2018.txt"
COLUMNS = [
    "iso3",
    "m49",
    "pref_label",
    "alt_labels",
    "status",
    "un_group",
    "m49_region",
    "m49_subregion",
]

# Every State name printed in the report part of revcon3-2018.txt, exactly as printed: the
# Vice-Presidents and the President's State (para. 7), the Credentials Committee (para. 9), the
# speakers and the States aligning with the European Union (para. 11), and the four recorded votes
# (paras. 15, 17, 18, 19). Each name once, in order of first appearance.
REVCON3_STATE_NAMES: list[str] = [
    "Austria",
    "Croatia",
    "Egypt",
    "Estonia",
    "Greece",
    "Iran (Islamic Republic of)",
    "Japan",
    "Kenya",
    "Nepal",
    "Russian Federation",
    "Sierra Leone",
    "France",
    "Cabo Verde",
    "China",
    "Dominica",
    "Indonesia",
    "Ireland",
    "Uganda",
    "United States of America",
    "Uruguay",
    "Algeria",
    "Antigua And Barbuda",
    "Nigeria",
    "Paraguay",
    "Madagascar",
    "Switzerland",
    "Belarus",
    "Israel",
    "Finland",
    "Germany",
    "Canada",
    "Hungary",
    "Cambodia",
    "Philippines",
    "Romania",
    "Democratic Republic of the Congo",
    "Thailand",
    "Namibia",
    "Liberia",
    "Republic of Korea",
    "Cuba",
    "South Africa",
    "Ukraine",
    "Argentina",
    "Netherlands",
    "Mexico",
    "Brazil",
    "Colombia",
    "Peru",
    "Chile",
    "Ghana",
    "Australia",
    "Slovenia",
    "Pakistan",
    "Guatemala",
    "Sudan",
    "Jamaica",
    "Mauritania",
    "Venezuela (Bolivarian Republic of)",
    "Bulgaria",
    "Sri Lanka",
    "Spain",
    "United Kingdom of Great Britain and Northern Ireland",
    "Lao People's Democratic Republic",
    "Syrian Arab Republic",
    "Portugal",
    "Iraq",
    "El Salvador",
    "Kuwait",
    "New Zealand",
    "Poland",
    "Côte d'Ivoire",
    "Malaysia",
    "Honduras",
    "Trinidad and Tobago",
    "Costa Rica",
    "Ecuador",
    "Viet Nam",
    "Togo",
    "Belgium",
    "Bangladesh",
    "Sweden",
    "Ethiopia",
    "Libya",
    "Dominican Republic",
    "Liechtenstein",
    "Mali",
    "Lesotho",
    "Armenia",
    "Senegal",
    "Qatar",
    "Haiti",
    "India",
    "Cameroon",
    "Morocco",
    "Zambia",
    "United Republic of Tanzania",
    "Saudi Arabia",
    "Malawi",
    "Djibouti",
    "Albania",
    "Bosnia and Herzegovina",
    "Georgia",
    "Republic of Moldova",
    "Serbia",
    "The former Yugoslav Republic of Macedonia",
    "Turkey",
    "Angola",
    "Antigua and Barbuda",
    "Burkina Faso",
    "Cyprus",
    "Czechia",
    "Italy",
    "Latvia",
    "Lithuania",
    "Myanmar",
    "Papua New Guinea",
    "Bahrain",
    "Brunei Darussalam",
    "Jordan",
    "Lebanon",
    "Nicaragua",
    "Oman",
    "Slovakia",
    "United Arab Emirates",
    "Yemen",
    "Malta",
    "Singapore",
]

# Names whose resolution is easy to get wrong: the State each must resolve to.
TRICKY_NAMES: dict[str, str] = {
    "Antigua And Barbuda": "ATG",
    "Turkey": "TUR",
    "Türkiye": "TUR",
    "The former Yugoslav Republic of Macedonia": "MKD",
    "Netherlands": "NLD",
    "Congo": "COG",
    "Democratic Republic of the Congo": "COD",
    "Republic of Korea": "KOR",
    "Democratic People's Republic of Korea": "PRK",
    "Democratic People\u2019s Republic of Korea": "PRK",
    "Côte d'Ivoire": "CIV",
    "Côte d\u2019Ivoire": "CIV",
    "Cote d'Ivoire": "CIV",
    "Lao People\u2019s Democratic Republic": "LAO",
    "Sudan": "SDN",
    "South Sudan": "SSD",
    "Guinea": "GIN",
    "Niger": "NER",
    "Dominica": "DMA",
    "Swaziland": "SWZ",
    "Czech Republic": "CZE",
    "Cape Verde": "CPV",
    "Holy See": "VAT",
    "State of Palestine": "PSE",
}


def _rows() -> list[dict[str, str]]:
    with STATES_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _labels(row: dict[str, str]) -> list[str]:
    return [row["pref_label"], *(alt for alt in row["alt_labels"].split("|") if alt)]


def _label_index() -> dict[str, list[str]]:
    """Case-folded label -> the iso3 of every row carrying it."""
    index: dict[str, list[str]] = {}
    for row in _rows():
        for label in _labels(row):
            index.setdefault(label.casefold(), []).append(row["iso3"])
    return index


def test_header() -> None:
    with STATES_CSV.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == COLUMNS


def test_counts() -> None:
    rows = _rows()
    assert len(rows) == 195
    assert Counter(row["status"] for row in rows) == {"member": 193, "observer": 2}
    observers = {row["iso3"]: row["pref_label"] for row in rows if row["status"] == "observer"}
    assert observers == {"VAT": "Holy See", "PSE": "State of Palestine"}


def test_regional_groups_as_the_un_lists_them() -> None:
    """54 African, 54 Asia-Pacific (Kiribati included) and the State of Palestine, 23 Eastern
    European, 33 Latin American and Caribbean, 28 WEOG and the United States; the Holy See in
    none; every African State in M49's Africa and every GRULAC State in the Americas."""
    rows = _rows()
    members = Counter(row["un_group"] for row in rows if row["status"] == "member")
    assert members == {
        "African": 54,
        "Asia-Pacific": 54,
        "Eastern European": 23,
        "Latin American and Caribbean": 33,
        "Western European and Others": 29,
    }
    group = {row["iso3"]: row["un_group"] for row in rows}
    assert (group["PSE"], group["VAT"], group["USA"]) == (
        "Asia-Pacific",
        "",
        "Western European and Others",
    )
    for row in rows:
        if row["un_group"] == "African":
            assert row["m49_region"] == "Africa", row
        if row["un_group"] == "Latin American and Caribbean":
            assert row["m49_region"] == "Americas", row
    regions = Counter(row["m49_region"] for row in rows)
    assert set(regions) == {"Africa", "Americas", "Asia", "Europe", "Oceania"}
    assert all(row["m49_subregion"] for row in rows)


def test_sorted_by_iso3() -> None:
    codes = [row["iso3"] for row in _rows()]
    assert codes == sorted(codes)


def test_iso3_unique_and_well_formed() -> None:
    codes = [row["iso3"] for row in _rows()]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in codes)


def test_m49_unique_and_well_formed() -> None:
    codes = [row["m49"] for row in _rows()]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[0-9]{3}", code) for code in codes)


def test_no_empty_or_padded_labels() -> None:
    for row in _rows():
        for label in _labels(row):
            assert label == label.strip() and label, row["iso3"]


def test_no_label_shared_by_two_states() -> None:
    shared = {label: codes for label, codes in _label_index().items() if len(set(codes)) > 1}
    assert shared == {}


def test_apostrophes_have_curly_variant() -> None:
    for row in _rows():
        labels = _labels(row)
        for label in labels:
            if "'" in label:
                assert label.replace("'", "\u2019") in labels, label


@pytest.mark.parametrize("name", REVCON3_STATE_NAMES)
def test_corpus_name_is_printed_in_revcon3(name: str) -> None:
    assert name in REVCON3_TEXT.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", REVCON3_STATE_NAMES)
def test_corpus_name_resolves_to_exactly_one_state(name: str) -> None:
    assert len(set(_label_index().get(name.casefold(), []))) == 1, name


@pytest.mark.parametrize(("name", "iso3"), sorted(TRICKY_NAMES.items()))
def test_tricky_name_resolves_to_the_right_state(name: str, iso3: str) -> None:
    assert _label_index().get(name.casefold()) == [iso3]
