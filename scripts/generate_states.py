"""Generate ``ontology/vocab/states.csv``: the 193 UN Member States and the 2 observer States.

Run once (``cd /work/main && uv run python scripts/generate_states.py``); the output is checked by
hand against the UN list and committed. The build never runs this script and never fetches
anything: it reads the committed CSV.

Sources of each column:

- ``iso3`` and ``m49``: pycountry (ISO 3166-1 alpha-3 and numeric; for countries the ISO numeric
  code equals the UN M49 code).
- ``pref_label``: pycountry's short name, replaced by the current UN official short name wherever
  the two differ (``UN_NAME_OVERRIDES``, each entry checked by hand).
- ``alt_labels``: former and variant names as printed in UN documents (``ALT_LABELS``), plus, for
  every label containing an apostrophe, the same label with the typographic apostrophe U+2019.
- ``status``: ``member`` or ``observer``.
- ``un_group``: the State's United Nations regional group, as the UN's Department for General
  Assembly and Conference Management lists the "United Nations Regional Groups of Member States":
  ``African``, ``Asia-Pacific``, ``Eastern European``, ``Latin American and Caribbean``,
  ``Western European and Others``. The United States attends the Western European and Others
  Group as an observer and is counted in it for elections, so it is listed there; Türkiye takes
  part in both WEOG and Asia-Pacific and is listed in WEOG, where it stands for elections; the
  State of Palestine is in the Asia-Pacific Group; the Holy See belongs to none (empty).
- ``m49_region`` and ``m49_subregion``: the UN Statistics Division's "Standard country or area
  codes for statistical use" (M49): region (Africa, Americas, Asia, Europe, Oceania) and
  sub-region, or intermediate region where M49 has one (Eastern Africa, Caribbean, South
  America…), transcribed once from the UNSD table (as the country_converter package carries it,
  column ``UNregion``) and kept from the committed CSV on every later run; the M49 codes were
  checked against the ``m49`` column.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry

REPO_ROOT = Path(__file__).resolve().parents[1]
OUTPUT = REPO_ROOT / "ontology" / "vocab" / "states.csv"
COLUMNS = (
    "iso3",
    "m49",
    "pref_label",
    "alt_labels",
    "status",
    "un_group",
    "m49_region",
    "m49_subregion",
)
KEPT = ("un_group", "m49_region", "m49_subregion")
"""Columns carried over from the committed CSV (see the module docstring)."""

# The 193 Member States of the United Nations, by ISO 3166-1 alpha-3 code.
MEMBER_STATES: tuple[str, ...] = (
    "AFG", "AGO", "ALB", "AND", "ARE", "ARG", "ARM", "ATG", "AUS", "AUT",
    "AZE", "BDI", "BEL", "BEN", "BFA", "BGD", "BGR", "BHR", "BHS", "BIH",
    "BLR", "BLZ", "BOL", "BRA", "BRB", "BRN", "BTN", "BWA", "CAF", "CAN",
    "CHE", "CHL", "CHN", "CIV", "CMR", "COD", "COG", "COL", "COM", "CPV",
    "CRI", "CUB", "CYP", "CZE", "DEU", "DJI", "DMA", "DNK", "DOM", "DZA",
    "ECU", "EGY", "ERI", "ESP", "EST", "ETH", "FIN", "FJI", "FRA", "FSM",
    "GAB", "GBR", "GEO", "GHA", "GIN", "GMB", "GNB", "GNQ", "GRC", "GRD",
    "GTM", "GUY", "HND", "HRV", "HTI", "HUN", "IDN", "IND", "IRL", "IRN",
    "IRQ", "ISL", "ISR", "ITA", "JAM", "JOR", "JPN", "KAZ", "KEN", "KGZ",
    "KHM", "KIR", "KNA", "KOR", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA",
    "LIE", "LKA", "LSO", "LTU", "LUX", "LVA", "MAR", "MCO", "MDA", "MDG",
    "MDV", "MEX", "MHL", "MKD", "MLI", "MLT", "MMR", "MNE", "MNG", "MOZ",
    "MRT", "MUS", "MWI", "MYS", "NAM", "NER", "NGA", "NIC", "NLD", "NOR",
    "NPL", "NRU", "NZL", "OMN", "PAK", "PAN", "PER", "PHL", "PLW", "PNG",
    "POL", "PRK", "PRT", "PRY", "QAT", "ROU", "RUS", "RWA", "SAU", "SDN",
    "SEN", "SGP", "SLB", "SLE", "SLV", "SMR", "SOM", "SRB", "SSD", "STP",
    "SUR", "SVK", "SVN", "SWE", "SWZ", "SYC", "SYR", "TCD", "TGO", "THA",
    "TJK", "TKM", "TLS", "TON", "TTO", "TUN", "TUR", "TUV", "TZA", "UGA",
    "UKR", "URY", "USA", "UZB", "VCT", "VEN", "VNM", "VUT", "WSM", "YEM",
    "ZAF", "ZMB", "ZWE",
)  # fmt: skip

# The two non-member observer States.
OBSERVER_STATES: tuple[str, ...] = ("PSE", "VAT")

# Current UN official short name, where pycountry's ``name`` differs from it.
UN_NAME_OVERRIDES: dict[str, str] = {
    "BOL": "Bolivia (Plurinational State of)",  # pycountry: "Bolivia, Plurinational State of"
    "COD": "Democratic Republic of the Congo",  # "Congo, The Democratic Republic of the"
    "FSM": "Micronesia (Federated States of)",  # "Micronesia, Federated States of"
    "GBR": "United Kingdom of Great Britain and Northern Ireland",  # "United Kingdom"
    "IRN": "Iran (Islamic Republic of)",  # "Iran, Islamic Republic of"
    "KOR": "Republic of Korea",  # "Korea, Republic of"
    "MDA": "Republic of Moldova",  # "Moldova, Republic of"
    "NLD": "Netherlands (Kingdom of the)",  # "Netherlands"
    "PRK": "Democratic People's Republic of Korea",  # "Korea, Democratic People's Republic of"
    "PSE": "State of Palestine",  # "Palestine, State of"
    "TZA": "United Republic of Tanzania",  # "Tanzania, United Republic of"
    "USA": "United States of America",  # "United States"
    "VAT": "Holy See",  # "Holy See (Vatican City State)"
    "VEN": "Venezuela (Bolivarian Republic of)",  # "Venezuela, Bolivarian Republic of"
}

# Former and variant names as printed in UN documents. Never a short form that is, or is part of,
# the name of another State ("Congo", "Korea", "Guinea", "Sudan", "Niger", "Dominica").
ALT_LABELS: dict[str, tuple[str, ...]] = {
    "BOL": ("Bolivia",),  # UN short name until 2009
    "CIV": ("Cote d'Ivoire",),  # printed without the circumflex
    "CPV": ("Cape Verde",),  # UN short name until 2013
    "CZE": ("Czech Republic",),  # UN short name until 2016
    "LBY": ("Libyan Arab Jamahiriya",),  # UN short name until 2011
    "MKD": ("The former Yugoslav Republic of Macedonia",),  # until 2019; matched case-insensitively
    "MMR": ("Burma",),  # name before 1989
    "NLD": ("Netherlands",),  # UN short name until 2024
    "PSE": ("Palestine",),  # observer entity, before its 2012 status as observer State
    "SWZ": ("Swaziland",),  # UN short name until 2018
    "TUR": ("Turkey",),  # UN short name until 2022
    "VEN": ("Venezuela",),  # UN short name before "Venezuela (Bolivarian Republic of)"
}

STRAIGHT_APOSTROPHE = "'"
CURLY_APOSTROPHE = "\u2019"


def with_curly_variants(labels: list[str]) -> list[str]:
    """Add, after each label containing a straight apostrophe, its U+2019 form."""
    out: list[str] = []
    for label in labels:
        for form in (label, label.replace(STRAIGHT_APOSTROPHE, CURLY_APOSTROPHE)):
            if form not in out:
                out.append(form)
    return out


def state_row(iso3: str, status: str) -> dict[str, str]:
    """Build the CSV row of one State from pycountry and the tables above."""
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise SystemExit(f"pycountry has no country {iso3}")
    name: str = country.name
    m49: str = country.numeric
    pref_label = UN_NAME_OVERRIDES.get(iso3, name)
    labels = with_curly_variants([pref_label, *ALT_LABELS.get(iso3, ())])
    return {
        "iso3": iso3,
        "m49": m49.zfill(3),
        "pref_label": pref_label,
        "alt_labels": "|".join(labels[1:]),
        "status": status,
    }


def build_rows() -> list[dict[str, str]]:
    """All 195 rows, sorted by iso3, after consistency checks."""
    if len(MEMBER_STATES) != 193 or len(set(MEMBER_STATES)) != 193:
        raise SystemExit("MEMBER_STATES must list 193 distinct codes")
    if set(MEMBER_STATES) & set(OBSERVER_STATES):
        raise SystemExit("a State cannot be both member and observer")
    known = set(MEMBER_STATES) | set(OBSERVER_STATES)
    for table in (UN_NAME_OVERRIDES, ALT_LABELS):
        stray = set(table) - known
        if stray:
            raise SystemExit(f"codes that are not UN States: {sorted(stray)}")
    rows = [state_row(code, "member") for code in MEMBER_STATES]
    rows += [state_row(code, "observer") for code in OBSERVER_STATES]
    rows.sort(key=lambda row: row["iso3"])
    seen: dict[str, str] = {}
    for row in rows:
        for label in [row["pref_label"], *filter(None, row["alt_labels"].split("|"))]:
            key = label.casefold()
            if key in seen and seen[key] != row["iso3"]:
                raise SystemExit(f"label {label!r} used by {seen[key]} and {row['iso3']}")
            seen[key] = row["iso3"]
    return rows


def main() -> None:
    with OUTPUT.open(encoding="utf-8", newline="") as handle:
        kept = {row["iso3"]: row for row in csv.DictReader(handle)}
    rows = build_rows()
    for row in rows:
        row.update({column: kept.get(row["iso3"], {}).get(column, "") for column in KEPT})
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUTPUT.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
