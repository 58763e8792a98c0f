"""The refusal scan: a SPARQL query's terminals, read by the grammar's own rules, before any engine
sees the query.

Takes the text of a query; gives its form (``QueryInfo``) or refuses it:

- updates and ``LOAD`` (``UpdateRefused``, HTTP 403): the service is read-only;
- ``SERVICE`` (``QueryRefused``, 403): the service makes no request on a user's behalf (the query
  workers cannot open a socket either: see ``sandbox``; this scan is the first of two walls);
- nesting deeper than ``max_depth`` brackets and braces, and more than ``max_operators``
  operators and ``UNION``/``MINUS``/``OPTIONAL`` (403): the engine evaluates expressions and
  patterns recursively, and ten thousand of them overflow its stack.

It also tells a *subject lookup* (``QueryInfo.subject_lookup``): a SELECT or ASK of one triple
pattern whose subject is an IRI, with nothing else but prefixes, DISTINCT and LIMIT/OFFSET. Such a
query reads one range of one index, as long as the subject has triples, so the engine may answer
it without a worker (no deadline can be at stake). Anything the shape check does not recognise is
not a lookup: it fails towards the worker, where deadlines hold.

The tokenizer follows the terminals of the SPARQL 1.1 grammar (§19.8): IRIs, prefixed names with
their ``\\``-escapes and percent-escapes (``e:\\#x`` is a name, not a comment), variables (no dot:
``?o.SERVICE`` is a variable, a dot and a keyword), blank node labels, language tags, numbers
(``1.SERVICE`` is an integer and a dot), the four string forms, comments. ``<`` is ambiguous in
SPARQL: inside an expression, after an operand, it is the less-than operator, elsewhere it opens
an IRI; the scan tells them apart by the same rule, so a fake IRI cannot hide a keyword. Where the
scan cannot be sure, it refuses (it fails closed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from poa_kg.errors import QueryError

_UPDATE_KEYWORDS = frozenset(
    {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}
)
_FORMS = ("select", "ask", "construct", "describe")
_PATTERN_OPERATORS = frozenset({"union", "minus", "optional"})
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS_U = f"{_BASE}_"
_CHARS = f"{_CHARS_U}\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_LOCAL = f"(?:[{_CHARS_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_VARNAME = f"[{_CHARS_U}0-9][{_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_EXPONENT = r"[eE][+-]?[0-9]+"
_STRING = (
    r"""'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*\""""
)
_TOKEN = re.compile(
    rf"""\s*(?:(?P<comment>\#[^\n\r]*)
    |(?P<string>{_STRING})
    |(?P<iri><[^<>"{{}}|^`\\\x00-\x20]*+>)
    |(?P<bnode>_:[{_CHARS_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?)
    |(?P<pname>(?=[{_BASE}][{_CHARS}.]*+:|:)(?:{_PREFIX})?:(?:{_LOCAL})?)
    |(?P<var>[?$]{_VARNAME})
    |(?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
    |(?P<number>[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT}
        |[0-9]*\.[0-9]+|[0-9]+)
    |(?P<word>[A-Za-z][A-Za-z0-9_]*+)
    |(?P<open>[({{\[])|(?P<close>[)}}\]])
    |(?P<operator>&&|\|\||!=|<=|>=|\^\^|[-+*/!=<>|^])
    |(?P<other>.)|(?P<end>$))
    """,
    re.VERBOSE | re.DOTALL,
)
_LESS = re.compile(r"\s*(<=?)")
# after these, an expression's "<" compares; before an operand it opens an IRI
_OPERANDS = frozenset({"var", "iri", "pname", "number", "string", "lang", "bnode", "close"})
_NO_OPERAND_WORDS = frozenset({"true", "false"})


@dataclass(frozen=True)
class QueryInfo:
    """What the scan learned of a query: its form (``select``, ``ask``, ``construct``,
    ``describe``), and whether it is a subject lookup (see the module's docstring)."""

    form: str
    subject_lookup: bool = False


class QueryRefused(QueryError):
    """A query the service will not run, whatever it would return (HTTP 403)."""


class UpdateRefused(QueryRefused):
    """An update request: the service is read-only."""


def unescape(query: str) -> str:
    """Apply SPARQL's ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes, as the grammar does before parsing."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)


_HEAD = 32
"""Significant tokens kept for the lookup shape check; a one-pattern lookup has fewer."""


@dataclass
class _Scan:
    words: list[str]
    depth: int = 0
    deepest: int = 0
    operators: int = 0
    head: list[tuple[str, str]] = field(default_factory=list)
    """The first ``_HEAD`` significant tokens as (kind, text; words in lower case)."""
    length: int = 0
    """Significant tokens in all."""

    def keep(self, kind: str, text: str) -> None:
        self.length += 1
        if self.length <= _HEAD:
            self.head.append((kind, text))


def _tokens(code: str) -> _Scan:
    """Walk the terminals of ``code``: keywords met, deepest nesting, operators counted."""
    scan = _Scan(words=[])
    # for each open bracket: is it an expression's "(" (where "<" after an operand compares)?
    expression: list[bool] = []
    previous = ""  # kind of the last significant token ("word:filter" for words)
    position, end = 0, len(code)
    match_token, match_less = _TOKEN.match, _LESS.match
    while position < end:
        if expression and expression[-1] and _is_operand(previous):
            less = match_less(code, position)
            if less is not None:  # "<" after an operand inside an expression: less-than
                scan.operators += 1
                scan.keep("operator", less.group(1))
                position, previous = less.end(), "operator"
                continue
        token = match_token(code, position)
        assert token is not None  # noqa: S101 - "other" matches any character, "end" the end
        kind = token.lastgroup or "end"
        position = token.end()
        if kind == "comment":
            continue
        if kind == "word":
            word = token.group(kind).lower()
            scan.words.append(word)
            scan.keep(kind, word)
            if word in _PATTERN_OPERATORS:
                scan.operators += 1
            previous = f"word:{word}"
            continue
        if kind != "end":
            scan.keep(kind, token.group(kind))
        if kind == "open":
            is_expression = token.group(kind) == "(" and _opens_expression(previous, expression)
            expression.append(is_expression)
            scan.depth += 1
            scan.deepest = max(scan.deepest, scan.depth)
        elif kind == "close":
            if expression:
                expression.pop()
            scan.depth -= 1
        elif kind == "operator":
            scan.operators += 1
        elif kind == "end":
            break
        previous = kind
    return scan


def _is_operand(previous: str) -> bool:
    if previous.startswith("word:"):
        return previous[5:] in _NO_OPERAND_WORDS
    return previous in _OPERANDS


def _opens_expression(previous: str, expression: list[bool]) -> bool:
    """Whether a "(" opens an expression (a call, a bracketed expression, SELECT's ``(… AS ?x)``)
    rather than an RDF collection or a group of a property path."""
    if previous.startswith("word:"):
        return previous[5:] not in ("values", "a")
    if previous in ("operator", "open") and expression and expression[-1]:
        return True
    if previous == "operator":
        # "&& (" or "= (": expressions; "/ (" or "| (" in a path: groups of the path
        return not expression or expression[-1]
    if previous in ("iri", "pname"):
        return bool(expression and expression[-1])  # a function call inside an expression
    return False


def inspect_query(query: str, max_depth: int = 128, max_operators: int = 4096) -> QueryInfo:
    """Scan a query's terminals; name its form or refuse it.

    Raises:
        UpdateRefused: an update operation or LOAD.
        QueryRefused: SERVICE, nesting deeper than ``max_depth`` or more than ``max_operators``
            operators.
        QueryError: no query form could be found (the engine would reject it too).
    """
    scan = _tokens(unescape(query))
    words = scan.words
    refused = _UPDATE_KEYWORDS.intersection(words)
    if refused:
        first = next(word for word in words if word in refused)
        raise UpdateRefused(
            f"update operations ({first.upper()}) are refused: this endpoint is read-only"
        )
    if "service" in words:
        raise QueryRefused(
            "SERVICE (federated query) is refused: the service makes no outbound requests"
        )
    if scan.deepest > max_depth:
        raise QueryRefused(f"query nested deeper than {max_depth} brackets and braces")
    if scan.operators > max_operators:
        raise QueryRefused(
            f"query has {scan.operators} operators and UNION/MINUS/OPTIONAL; at most "
            f"{max_operators} are accepted"
        )
    form = next((word for word in words if word in _FORMS), None)
    if form is None:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return QueryInfo(form, subject_lookup=_is_subject_lookup(scan))


_CONSTANT = ("iri", "pname")


def _is_subject_lookup(scan: _Scan) -> bool:
    """``PREFIX…/BASE…`` then ``SELECT [DISTINCT|REDUCED] (?v…|*)`` or ``ASK``, ``[WHERE] { S P O
    [.] }`` with S an IRI, P an IRI, ``a`` or a variable, O an IRI or a variable, then ``LIMIT`` /
    ``OFFSET`` numbers: nothing else."""
    if scan.length > _HEAD:
        return False
    tokens = [*scan.head, ("end", "")]
    i = 0
    while True:
        if tokens[i] == ("word", "prefix") and tokens[i + 1][0] == "pname":
            if tokens[i + 2][0] != "iri":
                return False
            i += 3
        elif tokens[i] == ("word", "base") and tokens[i + 1][0] == "iri":
            i += 2
        else:
            break
    if tokens[i] == ("word", "select"):
        i += 1
        if tokens[i] in (("word", "distinct"), ("word", "reduced")):
            i += 1
        if tokens[i] == ("operator", "*"):
            i += 1
        else:
            variables = i
            while tokens[i][0] == "var":
                i += 1
            if i == variables:
                return False
    elif tokens[i] == ("word", "ask"):
        i += 1
    else:
        return False
    if tokens[i] == ("word", "where"):
        i += 1
    if tokens[i] != ("open", "{") or i + 4 >= len(tokens):
        return False
    subject, predicate, value = tokens[i + 1 : i + 4]
    if subject[0] not in _CONSTANT:
        return False
    if predicate[0] not in (*_CONSTANT, "var") and predicate != ("word", "a"):
        return False
    if value[0] not in (*_CONSTANT, "var"):
        return False
    i += 4
    if tokens[i] == ("other", "."):
        i += 1
    if tokens[i] != ("close", "}"):
        return False
    i += 1
    while tokens[i] in (("word", "limit"), ("word", "offset")) and tokens[i + 1][0] == "number":
        i += 2
    return tokens[i][0] == "end"
