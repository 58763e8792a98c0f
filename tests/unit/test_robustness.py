"""Bad input never gets a traceback: any text, any bytes, a truncated document, a huge paragraph,
deep or broken numbering either parses, extracts and becomes RDF, or fails with a ``PoaKgError``
whose message names the file. Property-based (hypothesis); the long run is
``make fuzz`` (``POA_KG_FUZZ_EXAMPLES``, default here 200 per property)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from poa_kg import cli
from poa_kg.config import ROOT
from poa_kg.errors import PoaKgError
from poa_kg.ingest.extract import Extractor
from poa_kg.ingest.parse import parse_document
from poa_kg.ingest.rdf import document_graph
from poa_kg.ingest.sources import read_source
from poa_kg.ingest.vocab import load_vocabulary
from tests.conftest import write_source

EXAMPLES = int(os.environ.get("POA_KG_FUZZ_EXAMPLES", "200"))
VOCABULARY = load_vocabulary(ROOT / "ontology" / "vocab")
EXTRACTOR = Extractor(VOCABULARY)
CORPUS_TEXT = (ROOT / "data" / "sources" / "revcon3-2018.txt").read_text(encoding="utf-8")
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def run_pipeline(text: str | bytes, kind: str = "outcome") -> None:
    """Source → parse → extract → RDF; a PoaKgError must name the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_source(Path(folder), "fuzz", text, kind)
        try:
            document = parse_document(read_source(path))
            extraction = EXTRACTOR.extract(document)
            graph = document_graph(extraction, VOCABULARY)
        except PoaKgError as err:
            assert "fuzz" in str(err), f"the message does not name the file: {err}"
            return
        assert len(graph) > 0


NUMBERING = st.sampled_from(
    ["1.", "2.", "3.", "10.", "(a)", "(b)", "(i)", "(ii)", "(iv)", "a)", "I.", "II.", "IV.", "A.",
     "B.", "1)", "99.", "0.", "(z)", "(xl)", "§", "*", "-", "•", "1.1", "2.3.4", ""]
)  # fmt: skip
WORDS = st.sampled_from(
    ["To establish", "To encourage States", "INTERPOL", "the Programme of Action", "Annex",
     "Section", "We reaffirm", "decide to", "and", "paragraph 16", "the International Tracing",
     "Instrument", "A/CONF.192/2018/RC/3", "In favour:", "Against:", "Abstaining:", "Chile, Peru.",
     "18-10734", "\f", "page 3", "—", "by a recorded vote of 2 to 1"]
)  # fmt: skip
LINE = st.builds(
    lambda number, words: f"{number} {' '.join(words)}".strip(),
    NUMBERING,
    st.lists(WORDS, max_size=12),
)


@FUZZ
@given(st.text(max_size=4000))
def test_any_text(text: str) -> None:
    run_pipeline(text)


@FUZZ
@given(st.binary(max_size=4000))
def test_any_bytes(data: bytes) -> None:
    run_pipeline(data)


@FUZZ
@given(
    st.lists(LINE, max_size=80),
    st.sampled_from(["\n", "\n\n", "\r\n", "\n \n"]),
    st.sampled_from(["outcome", "report", "outline", "draft-outcome"]),
)
def test_documents_with_broken_numbering(lines: list[str], separator: str, kind: str) -> None:
    run_pipeline(separator.join(lines), kind)


@settings(FUZZ, max_examples=max(10, EXAMPLES // 4))  # each example parses the whole report
@given(
    st.integers(min_value=0, max_value=len(CORPUS_TEXT)), st.integers(min_value=0, max_value=400)
)
def test_truncated_or_cut_corpus(end: int, drop: int) -> None:
    """The real report cut anywhere, and with a stretch removed in the middle."""
    cut = CORPUS_TEXT[:end]
    middle = len(cut) // 2
    run_pipeline(cut[:middle] + cut[middle + drop :], "report")


def test_a_huge_paragraph() -> None:
    """About 100 KB in one paragraph (a normal one is under 1 KB): linear time, measured."""
    run_pipeline("1. To establish " + "national laws with INTERPOL and " * 3_000 + "end.\n")


def test_deep_numbering() -> None:
    markers = ["1.", "(a)", "(i)", "A.", "a)", "1)"] * 40
    run_pipeline("\n".join(f"{m} To act at depth {i}." for i, m in enumerate(markers)))


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        b"\xff\xfe\x00bad encoding\x00\n",
        "1. To establish laws.\n1. To establish laws again.\n(a)\n(b)\nII.\n",
        "\f\f\f",
    ],
)
def test_cli_build_exits_with_a_code_never_a_traceback(
    text: str | bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POA_KG_TURTLE_DIR", str(tmp_path / "turtle"))
    monkeypatch.setenv("POA_KG_LOG_DIR", str(tmp_path / "logs"))
    write_source(tmp_path / "sources", "fuzz", text)
    code = cli.main(["build", "--sources", str(tmp_path / "sources"), "--quiet"])
    assert code in (cli.EXIT_OK, cli.EXIT_INVALID, cli.EXIT_BAD_INPUT)
    assert not (tmp_path / "logs").exists()  # no internal error was logged
