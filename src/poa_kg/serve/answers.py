"""Answers: SPARQL results (JSON, XML, CSV, TSV) and RDF graphs serialised with a row cap and a
byte cap, and ``Answer``, the serialised body with its row count and whether a cap cut it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, cast
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolution,
    QuerySolutions,
    RdfFormat,
    Triple,
    serialize,
)

from poa_kg.namespaces import ID, PREFIXES
from poa_kg.serve.formats import GRAPH_TYPES, SOLUTION_TYPES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# Prefixes written in Turtle and RDF/XML answers (readability only; the triples are the same).
ANSWER_PREFIXES = {
    prefix: str(ID) if prefix == "id" else str(PREFIXES[prefix])
    for prefix in ("poa", "id", "skos", "dcterms", "prov", "oa", "org", "opengov", "rdfs", "xsd")
}
_BOOLEAN_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}


@dataclass
class Answer:
    """A serialised answer: body, media type, and whether the row cap cut it."""

    body: bytes
    media_type: str
    rows: int = 0
    truncated: bool = False


def serialize_boolean(result: QueryBoolean, media_type: str) -> Answer:
    """An ASK answer; in CSV and TSV it is the bare ``true``/``false`` Oxigraph writes."""
    kind = SOLUTION_TYPES[media_type]
    body = result.serialize(format=_BOOLEAN_FORMATS[kind])
    assert body is not None  # noqa: S101 - serialize() returns bytes when no output is given
    return Answer(body, _charset(media_type), rows=1)


DEFAULT_BYTE_CAP = 16 * 1024 * 1024


def serialize_triples(
    triples: Iterable[Triple], media_type: str, cap: int, byte_cap: int = DEFAULT_BYTE_CAP
) -> Answer:
    """Triples in an RDF format, cut after ``cap`` triples or about ``byte_cap`` bytes."""
    kept: list[Triple] = []
    truncated = False
    size = 0
    for triple in triples:
        if len(kept) == cap or size > byte_cap:
            truncated = True
            break
        kept.append(triple)
        size += _term_size(triple)
    rdf_format = GRAPH_TYPES[media_type]
    prefixes = ANSWER_PREFIXES if rdf_format in (RdfFormat.TURTLE, RdfFormat.RDF_XML) else None
    body = serialize(kept, format=rdf_format, prefixes=prefixes)
    assert body is not None  # noqa: S101 - serialize() returns bytes when no output is given
    return Answer(body, _charset(media_type), rows=len(kept), truncated=truncated)


class _Bounded(io.RawIOBase):
    """A byte sink that refuses to grow past ``limit`` (pyoxigraph writes into it in chunks)."""

    def __init__(self, limit: int):
        super().__init__()
        self.data = bytearray()
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        self.data += chunk
        if len(self.data) > self.limit:
            raise OverflowError("answer larger than the native fast path takes")
        return len(chunk)


# Answers up to this size are written by pyoxigraph (fast) and their rows counted; bigger ones go
# row by row through Python, stopping at the row cap, so a huge answer never sits in memory whole.
NATIVE_ANSWER_BYTES = 16 * 1024 * 1024


def serialize_solutions_natively(
    solutions: QuerySolutions, media_type: str, cap: int, byte_cap: int = DEFAULT_BYTE_CAP
) -> Answer | None:
    """The answer written by pyoxigraph's own serialiser, when it holds at most ``cap`` rows and
    ``NATIVE_ANSWER_BYTES`` (and ``byte_cap``). None otherwise: the caller then re-runs the query
    through ``serialize_solutions``, which stops at the caps."""
    kind = SOLUTION_TYPES[media_type]
    sink = _Bounded(min(NATIVE_ANSWER_BYTES, byte_cap))
    try:
        solutions.serialize(cast(IO[bytes], sink), format=_BOOLEAN_FORMATS[kind])
    except OverflowError:
        return None
    body = bytes(sink.data)
    rows = count_rows(body, kind)
    if rows > cap:
        return None
    return Answer(body, _charset(media_type), rows=rows)


# A quoted JSON string (escapes included) and a quoted CSV field ("" inside): removing them leaves
# only the punctuation that delimits rows.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_CSV_QUOTED = re.compile(rb'"[^"]*(?:""[^"]*)*"')


PARSED_JSON_BYTES = 1024 * 1024
"""A JSON answer up to this size is counted by parsing it (exact, and 2–3× faster than removing
its strings: 0.03 against 0.05 ms for a 3.6 kB lookup, the most frequent request); a bigger one
by its skeleton, so that counting never holds a parsed copy of a large answer in memory."""


def count_rows(body: bytes, kind: str, parsed_json_bytes: int = PARSED_JSON_BYTES) -> int:
    """Rows in an answer pyoxigraph wrote (its exact layout: no whitespace in JSON, one line per row
    in TSV and CSV), counted without parsing it, except JSON up to ``parsed_json_bytes``.

    In a larger JSON answer, once the strings are gone, ``},{`` only separates the items of an
    array of objects, and ``bindings`` is the only such array (a binding is ``"var":{...}``, never
    a bare object).
    """
    if kind == "tsv":
        return max(0, body.count(b"\n") - 1)
    if kind == "csv":
        return max(0, _CSV_QUOTED.sub(b"", body).count(b"\n") - 1)
    if kind == "xml":
        return body.count(b"<result>")
    if len(body) <= parsed_json_bytes:
        return len(json.loads(body)["results"]["bindings"])
    skeleton = _JSON_STRING.sub(b"", body)
    return skeleton.count(b"[{") + skeleton.count(b"},{")


def serialize_solutions(
    variables: list[str],
    solutions: Iterator[QuerySolution],
    media_type: str,
    cap: int,
    byte_cap: int = DEFAULT_BYTE_CAP,
) -> Answer:
    """Solutions in a SPARQL results format, cut after ``cap`` rows or about ``byte_cap`` bytes
    (the row that passes it is the last one)."""
    rows: list[list[NamedNode | BlankNode | Literal | Triple | None]] = []
    truncated = False
    size = 0
    for solution in solutions:
        if len(rows) == cap or size > byte_cap:
            truncated = True
            break
        row = [solution[v] for v in variables]
        rows.append(row)
        size += sum(_term_size(term) for term in row if term is not None)
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[SOLUTION_TYPES[media_type]]
    return Answer(writer(variables, rows), _charset(media_type), len(rows), truncated)


def _term_size(term: NamedNode | BlankNode | Literal | Triple) -> int:
    """About how many bytes a term takes in an answer (its characters, with a margin for
    markup); a bound, not an exact count."""
    if isinstance(term, Triple):
        return _term_size(term.subject) + _term_size(term.predicate) + _term_size(term.object)
    if isinstance(term, Literal):
        return len(term.value) + len(term.datatype.value) + 32
    return len(term.value) + 32


def _charset(media_type: str) -> str:
    if media_type.startswith("text/") or media_type.endswith(("json", "xml")):
        return f"{media_type}; charset=utf-8"
    return media_type


Term = NamedNode | BlankNode | Literal | Triple


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _json(variables: list[str], rows: list[list[Term | None]]) -> bytes:
    bindings = [
        {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
        for row in rows
    ]
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (
                f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            )
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>"
        f"{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}</object></triple>"
    )


def _xml(variables: list[str], rows: list[list[Term | None]]) -> bytes:
    out = io.StringIO()
    out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    out.write("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head>")
    out.write("<results>")
    for row in rows:
        out.write("<result>")
        for variable, term in zip(variables, row, strict=True):
            if term is not None:
                out.write(f"<binding name={quoteattr(variable)}>{_xml_term(term)}</binding>")
        out.write("</result>")
    out.write("</results></sparql>\n")
    return out.getvalue().encode("utf-8")


def _csv(variables: list[str], rows: list[list[Term | None]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if t is None else _plain(t) for t in row])
    return out.getvalue().encode("utf-8")


def _plain(term: Term) -> str:
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, NamedNode | Literal):
        return term.value
    return str(term)


def _tsv(variables: list[str], rows: list[list[Term | None]]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        lines.append("\t".join("" if t is None else _ntriples(t) for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


_XSD = "http://www.w3.org/2001/XMLSchema#"
_SHORT_NUMBERS = {
    f"{_XSD}integer": re.compile(r"[+-]?\d+"),
    f"{_XSD}decimal": re.compile(r"[+-]?\d*\.\d+"),
    f"{_XSD}double": re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+"),
}


def _ntriples(term: Term) -> str:
    """A TSV cell: the term in Turtle syntax, numbers in their short form (SPARQL 1.1 TSV §3.1)."""
    if isinstance(term, Literal):
        pattern = _SHORT_NUMBERS.get(term.datatype.value)
        if pattern is not None and pattern.fullmatch(term.value):
            return term.value
    return str(term)
