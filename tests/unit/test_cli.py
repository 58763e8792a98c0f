"""The poa-kg command: exit codes 0 / 1 / 2 / 3, messages that name the file, nothing lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from poa_kg import cli
from poa_kg.config import ROOT, Settings
from poa_kg.errors import SetupError
from tests.conftest import write_source


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the command's settings at a temporary output, store and log folder (the checkout's
    own are never written by a test)."""
    monkeypatch.setenv("POA_KG_TURTLE_DIR", str(tmp_path / "turtle"))
    monkeypatch.setenv("POA_KG_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("POA_KG_LOG_DIR", str(tmp_path / "logs"))
    return tmp_path


def test_build_prints_the_summary_and_quality_table(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = env / "sources"
    write_source(sources, "tiny", "1. To establish laws with INTERPOL.\n3. To act.\n")
    assert cli.main(["build", "--sources", str(sources)]) == cli.EXIT_OK
    out, err = capsys.readouterr()
    assert "documents    1" in out and "paragraphs   2" in out
    assert "numbering-gap" in out and "2 missing between 1 and 3" in out
    assert "parse    tiny.txt" in err  # progress
    assert (env / "turtle" / "tiny.ttl").is_file()


def test_build_if_changed_skips_only_when_inputs_and_output_are_as_built(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = env / "sources"
    write_source(sources, "tiny", "1. To establish laws with INTERPOL.\n2. To act.\n")
    build = ["build", "--sources", str(sources), "--quiet", "--if-changed"]
    assert cli.main(build) == cli.EXIT_OK
    assert "documents    1" in capsys.readouterr().out
    assert cli.main(build) == cli.EXIT_OK
    assert "up to date" in capsys.readouterr().out  # nothing changed: skipped
    (env / "turtle" / "tiny.ttl").write_text("# edited by hand\n", encoding="utf-8")
    assert cli.main(build) == cli.EXIT_OK
    assert "documents    1" in capsys.readouterr().out  # the output was not what it wrote
    write_source(sources, "tiny", "1. To establish laws with INTERPOL.\n2. To act now.\n")
    assert cli.main(build) == cli.EXIT_OK
    assert "documents    1" in capsys.readouterr().out  # a source changed
    assert cli.main(build) == cli.EXIT_OK
    assert "up to date" in capsys.readouterr().out


def test_bad_input_exits_2_naming_the_file(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources = env / "sources"
    write_source(sources, "broken", b"1. To act.\n\xff\xfe")
    assert cli.main(["build", "--sources", str(sources), "--quiet"]) == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "broken.txt:2:1: invalid utf-8 byte 0xff" in err
    assert not (env / "turtle").exists()


def test_validate_conforming_folder_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(ROOT / "data" / "turtle")]) == cli.EXIT_OK
    assert "conforms" in capsys.readouterr().out


def test_validate_violation_exits_1_with_readable_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ttl"
    folder.mkdir()
    for path in (ROOT / "data" / "turtle").glob("vocab-*.ttl"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "bad.ttl").write_text(
        "@prefix poa: <https://w3id.org/poa-kg/ont#> .\n"
        "<https://w3id.org/poa-kg/id/unit/x/main/para_1> a poa:Paragraph .\n",
        encoding="utf-8",
    )
    assert cli.main(["validate", str(folder)]) == cli.EXIT_INVALID
    out = capsys.readouterr().out
    assert "focus node: https://w3id.org/poa-kg/id/unit/x/main/para_1" in out
    assert "Every unit keeps its full text." in out


def test_validate_bad_turtle_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad.ttl").write_text("this is not turtle", encoding="utf-8")
    assert cli.main(["validate", str(tmp_path)]) == cli.EXIT_BAD_INPUT
    assert "bad.ttl: not valid Turtle" in capsys.readouterr().err


def test_internal_error_exits_3_with_a_log(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("poa_kg.ingest.build.build", explode)
    assert cli.main(["build", "--quiet"]) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err.strip()
    assert err.startswith("internal error: RuntimeError: boom (traceback in ")
    assert len(err.splitlines()) == 1
    assert "RuntimeError: boom" in (env / "logs" / "poa-kg-error.log").read_text(encoding="utf-8")


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The published data/turtle, with the store in a temporary folder."""
    monkeypatch.setenv("POA_KG_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("POA_KG_LOG_DIR", str(tmp_path / "logs"))
    return tmp_path


def test_export_writes_the_file_and_says_what_is_in_it(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = published / "votes.graphml"
    args = ["export", "--projection", "votes", "--format", "graphml", "-o", str(target)]
    assert cli.main(args) == cli.EXIT_OK
    assert "votes: 101 nodes" in capsys.readouterr().err
    assert target.read_bytes().startswith(b"<?xml") and not list(published.glob(".*partial"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--projection", "everything"], "no projection 'everything'"),
        (["--projection", "votes", "--format", "svg"], "no export format 'svg'"),
        (["--projection", "votes", "--theme", "tracing"], "cannot be narrowed by theme"),
        (["--projection", "entities", "--meeting", "Not a key"], "--meeting: 'Not a key'"),
        (["--projection", "entities", "--meeting", "bms99"], "--meeting: nothing in the graph"),
    ],
)
def test_export_refuses_bad_options_with_exit_2(
    published: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    target = published / "out.gexf"
    assert cli.main(["export", *args, "-o", str(target)]) == cli.EXIT_BAD_INPUT
    assert message in capsys.readouterr().err
    assert not target.exists()


def test_export_help_lists_every_projection() -> None:
    from poa_kg import export

    assert sorted(cli.PROJECTIONS) == sorted(export.QUERIES)


def test_serving_does_not_load_the_build_stages() -> None:
    """The query workers re-import the command's module: it must stay light."""
    import subprocess
    import sys

    code = (
        "import sys, poa_kg.cli; "
        "print(sorted(m for m in ('pyshacl', 'scipy', 'networkx') if m in sys.modules))"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_a_reader_that_goes_away_is_not_an_error(published: Path) -> None:
    """`poa-kg query … | head -1`: the closed pipe ends the command quietly, exit 0."""
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "poa_kg.cli", "query", "SELECT * WHERE { ?s ?p ?o }"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith("?")
    process.stdout.close()
    error = process.stderr.read()
    assert process.wait(timeout=60) == 0, error
    assert "internal error" not in error


def test_tests_never_write_into_the_checkout() -> None:
    settings = Settings()
    assert not settings.store_dir.is_relative_to(ROOT)
    assert not settings.log_dir.is_relative_to(ROOT)


def test_a_missing_front_end_is_a_start_up_error_saying_how_to_install_it(tmp_path: Path) -> None:
    from api.app import _front_end

    with pytest.raises(SetupError, match="npm ci"):
        _front_end(tmp_path / "yasgui" / "build")


def test_export_into_a_missing_folder_exits_2_naming_it(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = published / "no-such-folder" / "votes.gexf"
    assert cli.main(["export", "--projection", "votes", "-o", str(target)]) == cli.EXIT_BAD_INPUT
    assert "no-such-folder" in capsys.readouterr().err
    assert not (published / "logs").exists()  # bad input, not an internal error


def test_a_missing_query_file_exits_2_naming_it(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = published / "missing.rq"
    assert cli.main(["query", f"@{missing}"]) == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "missing.rq: no such query file" in err and "Traceback" not in err


def test_query_presets_the_editor_s_prefixes_and_reads_its_errors_out(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a poa:Commitment ; skos:note ?x }"
    assert cli.main(["query", query, "--format", "csv"]) == cli.EXIT_OK
    assert capsys.readouterr().out.splitlines()[0] == "n"
    broken = "SELECT * WHERE {\n  ?s a foo:Bar }"
    assert cli.main(["query", broken]) == cli.EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "line 2, column" in err and "the prefix foo: is not declared" in err
    assert "u{" not in err  # no wall of Unicode ranges
