"""The search query language: what a user types → the FTS5 query (each term quoted, so no user
text becomes FTS5 syntax), and what is refused."""

from __future__ import annotations

import doctest

import pytest

from poa_kg import citation
from poa_kg.serve import search
from poa_kg.serve.search import SearchSyntaxError, fts_query


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("record keeping", '"record" "keeping"'),
        ("record-keeping", '"record keeping"'),
        ('"record  keeping"', '"record keeping"'),
        ("mark*", '"mark"*'),
        ("arms OR weapons", '"arms" OR "weapons"'),
        ("tracing NOT marking", '"tracing" NOT "marking"'),
        ("OR tracing OR", '"tracing"'),
        ("x'); DROP TABLE units; --", '"x" "DROP" "TABLE" "units"'),
        ('end-user "certificates', None),
        ("-- ; *", None),
    ],
)
def test_typed_query_becomes_quoted_terms(typed: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(SearchSyntaxError):
            fts_query(typed)
    else:
        assert fts_query(typed) == expected


@pytest.mark.parametrize("module", [search, citation])
def test_docstring_examples(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]
