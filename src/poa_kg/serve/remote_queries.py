"""Query text for a remote engine: refused when it would reach an engine extension, made
portable (bound terms written where they are used, ASCII escapes, the service's ``BASE``).

Takes the query text and its bindings as N-Triples terms; gives query text, or raises
``QueryRefused``.
"""

from __future__ import annotations

import re

from poa_kg.serve.sparql import QueryRefused, unescape

XSD_NS = "http://www.w3.org/2001/XMLSchema#"
ALLOWED_FUNCTION_NAMESPACES = (XSD_NS,)
"""Namespaces whose IRIs a query may call as functions: the XSD casts (SPARQL 1.1 §17.5). Every
other standard function is a keyword of the language (``STR``, ``REGEX``, ``COUNT`` …)."""
ENGINE_NAMESPACES = (
    "http://www.openlinksw.com/",  # Virtuoso: bif:, sql:, virtrdf: …
    "http://jena.apache.org/",  # Jena ARQ functions and property functions
    "http://jena.hpl.hp.com/",
    "java:",
    "http://www.ontotext.com/",  # GraphDB
    "http://www.bigdata.com/",  # Blazegraph
    "http://franz.com/",  # AllegroGraph
    "tag:stardog:",
)
"""Namespaces of engines' private functions, property functions and settings: refused anywhere in
a query, called or not (``?s bif:contains "x"`` is a function in a predicate's place)."""
ENGINE_PREFIXES = frozenset({"bif", "sql", "virtrdf", "xsql"})
"""Prefixes Virtuoso declares itself: a query may use them without a PREFIX line."""
_PREFIX_DECL = re.compile(r"(?i)\bprefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>")
_TOKENS = re.compile(
    r"(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|"(?:[^"\\\n\r]|\\.)*")'
    r"|(?P<comment>\#[^\n\r]*)"
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<variable>[?$]\w+)"
    r"|(?P<pname>(?:[A-Za-z][\w.-]*)?:[\w.%-]*)"
    r"|(?P<word>[A-Za-z_]\w*)"
    r"|(?P<paren>\()"
    r"|(?P<other>\S)"
)


def refuse_engine_extensions(query: str) -> None:
    """Refuse a query that calls anything but a standard SPARQL function, names an engine's
    private namespace, or carries an engine pragma (``DEFINE``) — before it leaves poa-kg.

    Virtuoso's ``bif:sys_stat`` reveals its version and host name, its ``bif:sequence_set``
    changes stored state: the read-only promise holds only if no such call reaches the engine.
    The scan reads the tokens outside strings and comments, after SPARQL's ``\\u`` escapes; an
    IRI or prefixed name followed by ``(`` is a call, allowed only in
    ``ALLOWED_FUNCTION_NAMESPACES``.

    Raises:
        QueryRefused: the query would reach an engine extension (HTTP 403).
    """
    text = unescape(query)
    prefixes = {m.group(1) or "": m.group(2) for m in _PREFIX_DECL.finditer(text)}
    called: str | None = None  # the IRI of the token before, when it could be a function name
    # An IRI followed by "(" is a call inside an expression: within brackets, right after FILTER,
    # or in the solution modifiers; elsewhere it is a predicate before a collection.
    expression = False  # the IRI before "(" sits where an expression may
    parens = 0
    modifiers = after_filter = False
    for match in _TOKENS.finditer(text):
        kind, lexeme = match.lastgroup, match.group()
        if kind in ("string", "comment"):
            called, after_filter = None, False
            continue
        if kind == "word":
            word = lexeme.lower()
            if word == "define":
                raise QueryRefused("engine pragmas (DEFINE) are refused")
            modifiers = modifiers or word in ("group", "order", "having")
            after_filter = word == "filter"
            called = None
            continue
        if kind == "paren":
            if (
                called is not None
                and expression
                and not called.startswith(ALLOWED_FUNCTION_NAMESPACES)
            ):
                raise QueryRefused(
                    f"function <{called}> is refused: only standard SPARQL functions reach "
                    "the SPARQL server"
                )
            parens += 1
            called, after_filter = None, False
            continue
        if kind == "iri":
            iri = lexeme[1:-1]
        elif kind == "pname":
            prefix, _, local = lexeme.partition(":")
            if prefix not in prefixes and prefix.lower() in ENGINE_PREFIXES:
                raise QueryRefused(f"{prefix}: is an engine's private namespace: refused")
            iri = prefixes.get(prefix, f"{prefix}:") + local
        else:
            if lexeme == ")":
                parens = max(0, parens - 1)
            elif lexeme == "}" and parens == 0:
                modifiers = False  # a sub-select's modifiers end with its group
            called, after_filter = None, False
            continue
        if iri.startswith(ENGINE_NAMESPACES):
            raise QueryRefused(f"<{iri}> is in an engine's private namespace: refused")
        expression = parens > 0 or modifiers or after_filter
        called, after_filter = iri, False


def bind_in_place(query: str, bindings: tuple[tuple[str, str], ...]) -> str:
    """The query with each bound variable replaced by its term where it is used — what
    pyoxigraph's ``substitutions=`` does, so a named query means the same on every engine.

    A top-level ``VALUES`` block would not: it is joined with the whole pattern, where an
    OPTIONAL or a branch of a UNION left the variable unbound (Virtuoso then drops the row, and
    Oxigraph's server evaluates the branches unbound first: 30 s instead of 50 ms for
    compare-documents). In a projection the variable stays a column (``(<term> AS ?v)``); in
    GROUP BY and ORDER BY the term is bracketed (``(<term>)``); terms are N-Triples syntax of
    typed RDF terms, never raw input.
    """
    if not bindings:
        return query
    terms = dict(bindings)
    out: list[str] = []
    position = 0
    clause = "where"  # "projection" from SELECT to WHERE or "{", "modifier" after GROUP/ORDER BY
    braces = parens = 0
    for match in _TOKENS.finditer(query):
        kind, lexeme = match.lastgroup, match.group()
        if kind == "word":
            word = lexeme.lower()
            if word == "select":
                clause = "projection"
            elif word == "where" and clause == "projection":
                clause = "where"
            elif word in ("group", "order", "having"):
                clause = "modifier"  # until the group around a sub-select closes
        elif kind == "paren":
            parens += 1
        elif lexeme == ")":
            parens -= 1
        elif lexeme == "{":
            braces += 1
            if clause == "projection":
                clause = "where"
        elif lexeme == "}":
            braces -= 1
            clause = "where"
        elif kind == "variable" and lexeme[1:] in terms:
            term = terms[lexeme[1:]]
            previous = query[: match.start()].rstrip()
            if previous.lower().endswith(" as") or previous.lower().endswith("(as"):
                continue  # a variable being assigned keeps its name
            if clause == "projection" and parens == 0:
                term = f"({term} AS {lexeme})"
            elif clause == "modifier" and parens == 0:
                term = f"({term})"
            out.append(query[position : match.start()] + term)
            position = match.end()
    out.append(query[position:])
    return "".join(out)


def uses_from(query: str) -> bool:
    """Does the query name its dataset itself (FROM or FROM NAMED, outside strings and IRIs)?"""
    return any(
        m.lastgroup == "word" and m.group().lower() == "from"
        for m in _TOKENS.finditer(unescape(query))
    )


def with_base(query: str, base_iri: str) -> str:
    """The query with the service's base IRI first, so relative IRIs in it resolve as embedded
    (a BASE of the query's own, later in its prologue, still wins for what follows it)."""
    if not base_iri:
        return query
    return f"BASE <{base_iri}>\n{query}"


def ascii_terms(bindings: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """Terms with every character above U+007F written as a SPARQL ``\\u`` escape: an engine that
    reads a query's literals as Latin-1 (Virtuoso) still gets the right characters."""
    return tuple((name, "".join(_ascii(char) for char in term)) for name, term in bindings)


def _ascii(char: str) -> str:
    code = ord(char)
    if code < 0x80:
        return char
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"
