"""Citation: a document's metadata and a unit's place in it → the string a reader cites and the
link to the official text.

The strings follow the way United Nations documents cite each other: the document symbol, then
the part, section and paragraph, abbreviated as the UN Editorial Manual abbreviates them
("A/CONF.192/2018/RC/3, annex, sect. II, para. 13"; "A/RES/73/69, para. 12"; a sub-item in
brackets: "A/CONF.192/2018/RC/3, para. 6 (9) (a)"). A preambular paragraph is unnumbered in the
printed text; the UN cites it by its ordinal ("resolution 73/69, third preambular paragraph"), so
poa-kg writes "A/RES/73/69, third preambular paragraph". A document without a known symbol (the
draft outcome of BMS8, the President-designate's outline) is cited by its title and date.

The official text of a document with a symbol is at ``https://undocs.org/{symbol}`` (the UN's
symbol resolver); without a symbol there is no link.

>>> locator("annex", "sec_II__para_13")
'annex, sect. II, para. 13'
>>> locator("main", "recital_3")
'third preambular paragraph'
>>> locator("main", "para_6__item_9__point_a")
'para. 6 (9) (a)'
>>> locator("main", "sec_II__subsec_A__subsec_2__para_iii")
'sect. II.A.2, para. (iii)'
"""

from __future__ import annotations

from datetime import date as Date

UNDOCS = "https://undocs.org/"
_ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
_TENS = {20: "twenty", 30: "thirty", 40: "forty"}
_TENTHS = {20: "twentieth", 30: "thirtieth", 40: "fortieth"}


def ordinal(n: int) -> str:
    """The ordinal in words, as the UN writes preambular paragraph numbers (1 to 49).

    >>> ordinal(23)
    'twenty-third'
    """
    if 1 <= n <= 20:
        return _ORDINALS[n - 1]
    tens, ones = divmod(n, 10)
    if tens * 10 in _TENS:
        return _TENTHS[tens * 10] if ones == 0 else f"{_TENS[tens * 10]}-{_ORDINALS[ones - 1]}"
    return f"{n}th"


def official_url(symbol: str | None) -> str | None:
    """The UN's link to a document by its symbol, or None without one."""
    return f"{UNDOCS}{symbol}" if symbol else None


def long_date(value: str) -> str:
    """``2018-12-05`` → ``5 December 2018``; a year stays a year."""
    if len(value) != 10:
        return value
    day = Date.fromisoformat(value)
    return f"{day.day} {day:%B} {day.year}"


def document_name(title: str, date: str, symbol: str | None) -> str:
    """How a citation names the document: its symbol, or its title and date."""
    return symbol if symbol else f"{title} ({long_date(date)})"


def document_citation(title: str, date: str, symbol: str | None) -> str:
    """The document as a whole: "Title, A/RES/73/69 (5 December 2018)"."""
    if symbol:
        return f"{title}, {symbol} ({long_date(date)})"
    return f"{title} ({long_date(date)})"


def locator(part: str, eid: str) -> str:
    """Where a unit stands in its document, from its part and eId (``ontology/README.md``)."""
    pieces: list[str] = []
    if part != "main":
        pieces.append(part.replace("_", " "))
    section: list[str] = []
    paragraph: list[str] = []
    for step in eid.split("__"):
        kind, _, value = step.partition("_")
        if kind == "sec":
            section = [value]
        elif kind == "subsec":
            section.append(value)
        elif kind == "recital" and value.isdigit():
            paragraph = [f"{ordinal(int(value))} preambular paragraph"]
        elif kind == "para":
            paragraph = [f"para. {value}" if value.isdigit() else f"para. ({value})"]
        elif kind == "unnumbered":
            paragraph = [f"unnumbered para. {value}"]
        elif kind in ("item", "point", "list"):
            paragraph.append(f"({value})")
        elif kind == "intro":
            paragraph = ["introductory text"]
        else:
            paragraph.append(step.replace("_", " "))
    if section:
        pieces.append(f"sect. {'.'.join(section)}")
    if paragraph:
        pieces.append(" ".join(paragraph))
    return ", ".join(pieces)


def unit_citation(name: str, part: str, eid: str) -> str:
    """The full citation of a unit: "A/RES/73/69, para. 12"."""
    where = locator(part, eid)
    return f"{name}, {where}" if where else name


CODE_LICENCE = "MIT"
DATA_LICENCE = "https://creativecommons.org/licenses/by/4.0/"
"""The licence of the data (graph, downloads, exports): CC BY 4.0; the code is MIT (LICENSE)."""


def bibtex(key: str, citation: str, title: str, date: str, url: str | None, page: str) -> str:
    """A BibTeX ``@misc`` entry: the United Nations as author, the citation string as ``note``."""
    fields = [
        ("author", "{United Nations}"),
        ("title", "{" + _bibtex_escape(title) + "}"),
        ("year", date[:4]),
        ("note", "{" + _bibtex_escape(citation) + "}"),
        ("url", "{" + (url or page) + "}"),
    ]
    if url:
        fields.append(("howpublished", "{\\url{" + page + "}}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{_bibtex_key(key)},\n{body}\n}}"


def csl_json(
    key: str,
    citation: str,
    title: str,
    date: str,
    symbol: str | None,
    url: str | None,
    page: str,
    locator_text: str,
) -> dict[str, object]:
    """A CSL-JSON item (the input format of Zotero and citeproc)."""
    parts = [int(p) for p in date.split("-")]
    item: dict[str, object] = {
        "id": key,
        "type": "document",
        "title": title,
        "author": [{"literal": "United Nations"}],
        "issued": {"date-parts": [parts]},
        "URL": url or page,
        "note": citation,
    }
    if symbol:
        item["number"] = symbol
    if locator_text:
        item["locator"] = locator_text
    return item


def _bibtex_key(key: str) -> str:
    return "poa-kg:" + "".join(c if c.isalnum() or c in "-_:." else "_" for c in key)


def _bibtex_escape(text: str) -> str:
    return "".join("\\" + c if c in "&%$#_{}" else c for c in text)
