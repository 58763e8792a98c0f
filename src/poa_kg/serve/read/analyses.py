"""The named analyses (``analysis-*.rq``): what each answers and takes, and its rows as values or
as the SPARQL CSV table the engine writes."""

from __future__ import annotations

from pydantic import BaseModel

from poa_kg.serve import queries
from poa_kg.serve.answers import Answer
from poa_kg.serve.formats import CSV
from poa_kg.serve.read.reader import Bindings, Reader, Rows


class AnalysisOut(BaseModel):
    name: str
    summary: str
    parameters: dict[str, str]
    href: str


def names() -> list[str]:
    """The analyses by name (the query file without its ``analysis-`` prefix)."""
    return [n.removeprefix("analysis-") for n in queries.names() if n.startswith("analysis-")]


def parameters(name: str) -> dict[str, str]:
    """What analysis ``name`` may be given, by variable, with what each means."""
    return queries.header(f"analysis-{name}").binds


def summary(name: str) -> str:
    """What analysis ``name`` answers (its query file's leading comment)."""
    return queries.header(f"analysis-{name}").summary


def catalogue(base_url: str) -> list[AnalysisOut]:
    """Every analysis with its summary, parameters and address on the service at ``base_url``."""
    return [
        AnalysisOut(
            name=name,
            summary=queries.header(f"analysis-{name}").summary,
            parameters=parameters(name),
            href=f"{base_url}/analyses/{name}",
        )
        for name in names()
    ]


async def analysis_rows(reader: Reader, name: str, bindings: Bindings | None = None) -> Rows:
    return await reader.rows(f"analysis-{name}", bindings)


async def analysis_csv(reader: Reader, name: str, bindings: Bindings | None = None) -> Answer:
    """The analysis as the SPARQL 1.1 CSV results table (``rows``, ``truncated`` with it)."""
    return await reader.answer(f"analysis-{name}", CSV, bindings)
