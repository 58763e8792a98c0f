"""Parse: ``SourceText`` (sources.py) → ``Document`` (model.py): parts, sections, units, each
unit with its cleaned full text and, character by character, its offset in the source.

Two genres, chosen by the text:

- ``resolution.py``: a resolution of the General Assembly (the metadata says ``resolution``, or
  the text has the line "The General Assembly,"), read through the layout stage (``layout/``)
  into preambular and operative paragraphs and footnotes;
- ``numbered.py``: every other document, read by its numbering (``lines.py`` cleans the lines,
  ``numbering.py`` reads the open number sequences, ``structure.py`` turns what the parser
  gathered into keyed units).

A text with no recognisable structure raises ``ParseError``.
"""

from __future__ import annotations

from poa_kg.ingest.model import Document, SourceText
from poa_kg.ingest.parse.lines import clean_line, roman_value
from poa_kg.ingest.parse.numbered import _Parser
from poa_kg.ingest.parse.resolution import is_resolution, parse_resolution


def parse_document(source: SourceText) -> Document:
    """Parse a source text into sections and units, each with its span in the source.

    A resolution of the General Assembly has a genre of its own; every other document is read by
    its numbering.

    Raises:
        ParseError: the text has no numbered unit, so no structure was recognised.
    """
    if is_resolution(source):
        return parse_resolution(source)
    return _Parser(source).run()


__all__ = ["clean_line", "parse_document", "roman_value"]
