"""Errors a user can act on. Each message says what went wrong and where.

The CLI maps them to exit codes: ``SourceError`` and ``ParseError`` are bad input (2),
``ValidationFailed`` is a failed SHACL gate (1); anything else is an internal error (3).
"""

from __future__ import annotations

from pathlib import Path


class PoaKgError(Exception):
    """A problem the user can fix; the message says what and where."""


class SourceError(PoaKgError):
    """A source document or its metadata cannot be read as a document."""

    def __init__(
        self, path: Path, problem: str, line: int | None = None, column: int | None = None
    ):
        where = str(path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {problem}")
        self.path, self.line, self.column, self.problem = path, line, column, problem


class ParseError(SourceError):
    """A source text has no structure the parser can recognise."""


class VocabularyError(PoaKgError):
    """A vocabulary file under ontology/vocab is malformed."""

    def __init__(self, path: Path, line: int, problem: str):
        super().__init__(f"{path}:{line}: {problem}")
        self.path, self.line = path, line


class ValidationFailed(PoaKgError):
    """The graph violates the SHACL shapes; nothing was published."""

    def __init__(self, report_text: str, violations: int):
        super().__init__(
            f"SHACL validation failed with {violations} violation(s); nothing was published"
        )
        self.report_text, self.violations = report_text, violations


class StoreError(PoaKgError):
    """The store cannot be built, opened or switched."""


class QueryError(PoaKgError):
    """A query is malformed or refused by policy."""


class SetupError(PoaKgError):
    """Something the service needs at start-up is missing; the message says how to install it."""


class PublishError(PoaKgError):
    """A build could not be published into a remote engine; the engine still serves the previous
    one. The message names the engine's address and the file or step that failed."""
