"""The one way from a caller to the engine: a named query with bound terms → rows of Python
values, marked when the row cap cut them.

``Reader.rows`` is what the REST routes, pages, exports and the CLI use; ``Reader.answer`` gives
a named query's answer as the engine serialised it (a CONSTRUCT as Turtle, a table as SPARQL
CSV), for the routes that publish exactly that. ``/sparql`` alone runs free query text, through
the backend itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from poa_kg.config import Settings
from poa_kg.serve import queries
from poa_kg.serve.answers import Answer
from poa_kg.serve.backends import Backend
from poa_kg.serve.formats import SOLUTIONS_JSON

Value = str | int | float | bool | None
Row = dict[str, Value]
Bindings = Mapping[str, queries.Term]


class Rows(list[Row]):
    """A SELECT answer's rows, and whether the row cap cut the answer (``truncated``): a list
    built from them must say it is incomplete instead of passing for the whole."""

    truncated: bool = False


@dataclass(frozen=True)
class Reader:
    """Runs the project's named queries on one backend, within the service's limits."""

    backend: Backend
    base_url: str
    row_cap: int
    deadline: float

    @classmethod
    def of(cls, backend: Backend, settings: Settings) -> Reader:
        return cls(backend, settings.base_url, settings.row_cap, settings.deadline)

    @property
    def base_iri(self) -> str:
        """The base against which relative IRIs in query text resolve: the endpoint's address."""
        return f"{self.base_url}/sparql"

    def version(self) -> str:
        """The data version the backend serves (the published content hash)."""
        return self.backend.version()

    async def rows(
        self,
        name: str,
        bindings: Bindings | None = None,
        *,
        cap: int | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> Rows:
        """The rows of SELECT query ``name``: integers and decimals as numbers, booleans as
        booleans, the rest as text, unbound as None; ``cap`` rows at most (the row cap by
        default), ``truncated`` when it cut them."""
        job = queries.job(
            name,
            SOLUTIONS_JSON,
            self.row_cap if cap is None else cap,
            self.base_iri,
            bindings,
            limit=limit,
            offset=offset,
        )
        answer = await self.backend.run(job, self.deadline)
        rows = Rows(json_rows(answer.body))
        rows.truncated = answer.truncated
        return rows

    async def answer(
        self, name: str, media_type: str, bindings: Bindings | None = None, cap: int | None = None
    ) -> Answer:
        """Query ``name``'s answer serialised by the engine in ``media_type``."""
        job = queries.job(
            name, media_type, self.row_cap if cap is None else cap, self.base_iri, bindings
        )
        return await self.backend.run(job, self.deadline)


def json_rows(body: bytes) -> list[Row]:
    """SPARQL JSON results → plain rows (integers and decimals as numbers, the rest as text)."""
    document = json.loads(body)
    variables: list[str] = document["head"]["vars"]
    rows: list[Row] = []
    for binding in document["results"]["bindings"]:
        row: Row = {}
        for variable in variables:
            term = binding.get(variable)
            row[variable] = None if term is None else _value(term)
        rows.append(row)
    return rows


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = {
    f"{_XSD}{t}"
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_DECIMAL = {f"{_XSD}{t}" for t in ("decimal", "double", "float")}
_BOOLEAN = f"{_XSD}boolean"


def _value(term: dict[str, str]) -> str | int | float | bool:
    value = term["value"]
    datatype = term.get("datatype", "")
    if datatype in _INTEGER:
        return int(value)
    if datatype in _DECIMAL:
        return float(value)
    if datatype == _BOOLEAN:
        return value.strip() in ("true", "1")  # xsd:boolean's lexical space has both
    return value
