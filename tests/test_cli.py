"""The command line: exit codes, stdout/stderr discipline, import/validate/list/show/export."""

from __future__ import annotations

import argparse
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from archcite.cli import main
from archcite.errors import ArchciteError

from conftest import ROOT, SEED


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_twice_changes_nothing(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "import", str(SEED), "--records", str(records))
    assert (code, err) == (0, "")
    assert out == f"wcda-114978\t{records / 'wcda-114978.yaml'}\n"
    before = (records / "wcda-114978.yaml").read_text()
    code, out, _ = run(capsys, "import", str(SEED), "--records", str(records))
    assert code == 0 and out.endswith("(unchanged)\n")
    assert (records / "wcda-114978.yaml").read_text() == before


def test_validate_list_show(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(SEED), "--records", str(records))
    code, out, err = run(capsys, "validate", "--records", str(records))
    assert code == 0 and out == "" and "1 record valid" in err
    code, out, _ = run(capsys, "list", "--records", str(records), "--json")
    listing = json.loads(out)
    assert listing[0]["id"] == "wcda-114978"
    assert listing[0]["excerpts"] == ["p19-20", "p21-22", "p25", "p26", "p27-28", "p31"]
    code, out, _ = run(capsys, "list", "--records", str(records))
    assert out.startswith("wcda-114978\t1960-06-17\tExcerpts from")
    code, out, _ = run(capsys, "show", "wcda-114978:p21-22", "--records", str(records))
    assert code == 0
    assert "title: Conversation between N. S. Khrushchev and Kim Gwang-hyeop" in out
    assert 'date: "1961-03"' in out


def test_list_shows_the_good_records_when_one_is_broken(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(SEED), "--records", str(records))
    broken = records / "wcda-1.yaml"
    broken.write_text("id: wcda-1\ntitle: Broken\nsumary: a typo\n", encoding="utf-8")
    code, out, err = run(capsys, "list", "--records", str(records))
    assert code == 1
    assert out.startswith("wcda-114978\t1960-06-17\tExcerpts from") and "wcda-1\t" not in out
    assert err == (
        f"archcite: {broken}:3: unknown field 'sumary'; see `archcite schema` for the fields a record has "
        "(not listed; `archcite validate` shows every problem)\n"
    )
    code, out, _ = run(capsys, "list", "--records", str(records), "--json")
    assert code == 1 and [row["id"] for row in json.loads(out)] == ["wcda-114978"]


def test_records_default_from_environment(records: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHCITE_RECORDS", str(records))
    run(capsys, "import", str(SEED))
    assert (records / "wcda-114978.yaml").exists()


def test_bad_input_is_one_line_on_stderr_exit_1(records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (records / "wcda-5.yaml").write_text("id: wcda-5\ntitle: T\ncolour: blue\n")
    code, out, err = run(capsys, "validate", "--records", str(records))
    assert (code, out) == (1, "")
    assert err == f"{records / 'wcda-5.yaml'}:3: unknown field 'colour'; see `archcite schema` for the fields a record has\n"
    code, out, err = run(capsys, "show", "wcda-1:p2", "--records", str(records))
    assert code == 1 and err.startswith("archcite: no record 'wcda-1'")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("June 17, 1960\n\nCaf\xe9 talks\n".encode("latin-1"))
    code, out, err = run(capsys, "import", str(latin1), "--records", str(records))
    assert code == 1 and f"{latin1}:3: not UTF-8" in err
    code, out, err = run(capsys, "import", str(tmp_path / "missing.txt"), "--records", str(records))
    assert code == 1 and "no such file" in err


def test_failed_import_writes_nothing(records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text("June 17, 1960\n\nTitle\n\nCitation:\n\nx\n\nCitation:\n\ny\n")
    code, _, err = run(capsys, "import", str(SEED), str(broken), "--records", str(records))
    assert code == 1 and "section appears twice" in err
    assert list(records.iterdir()) == []
    code, out, err = run(capsys, "import", str(SEED), str(broken), "--records", str(records), "--keep-going")
    assert code == 1 and "(skipped)" in err and out.startswith("wcda-114978\t")


def test_export_yaml_to_file(records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(SEED), "--records", str(records))
    target = tmp_path / "out.yaml"
    code, out, _ = run(capsys, "export", "--format", "yaml", "--records", str(records), "--output", str(target))
    assert code == 0 and out == ""
    assert target.read_text() == (records / "wcda-114978.yaml").read_text()


def test_export_yaml_of_an_excerpt_writes_its_record_and_says_so(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(SEED), "--records", str(records))
    whole = (records / "wcda-114978.yaml").read_text()
    code, out, err = run(capsys, "export", "--format", "yaml", "--records", str(records), "wcda-114978:p19-20")
    assert code == 0 and out == whole
    assert err == (
        "archcite: wcda-114978:p19-20: yaml writes whole records; written as its record wcda-114978, with all its excerpts\n"
    )
    # The document asked for as well, or by --excerpts: nothing to say.
    for extra in (["wcda-114978", "wcda-114978:p19-20"], ["wcda-114978", "--excerpts"]):
        code, out, err = run(capsys, "export", "--format", "yaml", "--records", str(records), *extra)
        assert code == 0 and out == whole and err == ""


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--format", "yaml", "--no-such-option"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_an_unknown_option_gets_its_commands_usage_and_where_it_belongs(capsys: pytest.CaptureFixture[str]) -> None:
    # argparse reports a command's unknown words with the top level's usage ("COMMAND ...").
    with pytest.raises(SystemExit) as exit_info:
        main(["cite", "wcda-114978", "-o", "notes.txt"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert err.startswith("usage: archcite cite ")
    assert err.endswith("archcite cite: error: unrecognized arguments: -o notes.txt; -o is an option of export, not of cite\n")
    # An option no command has, given as --name=value, gets the command's usage and no hint.
    with pytest.raises(SystemExit):
        main(["list", "--json", "--colour=never"])
    err = capsys.readouterr().err
    assert err.startswith("usage: archcite list ") and err.endswith("archcite list: error: unrecognized arguments: --colour=never\n")
    # Before any command: the top level's usage, as before.
    with pytest.raises(SystemExit):
        main(["--colour"])
    assert capsys.readouterr().err.startswith("usage: archcite [-h] [--version] COMMAND")


def test_unknown_format_or_form_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "--format", "no-such-format")
    assert (code, out) == (1, "")
    assert err.startswith("archcite: unknown format 'no-such-format'; choose one of: ")
    code, out, err = run(capsys, "cite", "wcda-114978", "--form", "yaml")
    assert code == 1 and "unknown citation form 'yaml'" in err
    # A format archcite only reads: the message says so, and lists what it writes.
    code, out, err = run(capsys, "export", "--format", "record-text")
    assert (code, out) == (1, "")
    assert "reads record-text but cannot write it; it writes: biblatex, bibtex, " in err


def test_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "archcite", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("archcite ")


def test_cite_everyday_form(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "cite", "wcda-114978:p19-20", "--records", str(Path(__file__).parents[1] / "records"))
    assert (code, err) == (0, "")
    assert out.startswith("“Conversation between Kim Il Sung and N. S. Khrushchev,” June 17, 1960, in V. P. Tkachenko,")
    assert out.endswith("https://digitalarchive.umd.edu/document/114978.\n")


def test_export_forms_and_markups(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(SEED), "--records", str(records))
    code, out, _ = run(capsys, "export", "wcda-114978", "--format", "chicago-bibliography", "--markup", "rtf", "--records", str(records))
    assert code == 0 and out.startswith("{\\rtf1") and "{\\i Koreiskii" in out
    code, out, _ = run(capsys, "export", "wcda-114978:p25", "--format", "mla-in-text", "--locator", "25", "--records", str(records))
    assert out == "(“Excerpts from V.P. Tkachenko” 25)\n"
    code, _, err = run(capsys, "export", "wcda-114978", "--format", "mla", "--locator", "3", "--records", str(records))
    assert code == 1 and "a locator goes with a note" in err
    code, _, err = run(capsys, "export", "wcda-114978", "--format", "chicago-note", "--markup", "pdf", "--records", str(records))
    assert code == 1 and "unknown markup 'pdf'" in err


def test_a_locator_outside_the_excerpts_pages_is_cited_with_a_word(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(SEED), "--records", str(records))
    code, out, err = run(capsys, "cite", "wcda-114978:p19-20", "--locator", "91", "--records", str(records))
    assert code == 0 and "2000), 91, trans." in out
    assert err == "archcite: wcda-114978:p19-20: page 91 is outside the excerpt's pages (19-20); cited as given\n"
    code, out, err = run(capsys, "export", "wcda-114978:p25", "wcda-114978", "--format", "chicago-note", "--locator", "26",
                         "--records", str(records))
    assert code == 0 and out.count("26, trans.") == 2
    assert err == "archcite: wcda-114978:p25: page 26 is outside the excerpt's pages (25); cited as given\n"
    for locator in ("20", "19-20", "19, 20", "xii", "20n3"):  # inside, or not numbers: nothing to say
        code, _, err = run(capsys, "cite", "wcda-114978:p19-20", "--locator", locator, "--records", str(records))
        assert (code, err) == (0, ""), locator


@pytest.mark.parametrize("fmt", ["csl-json", "biblatex"])
def test_export_then_import_gives_the_same_record(records: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(SEED), "--records", str(records))
    target = tmp_path / ("out.json" if fmt == "csl-json" else "out.bib")
    code, _, _ = run(capsys, "export", "--format", fmt, "--excerpts", "--records", str(records), "--output", str(target))
    assert code == 0
    other = tmp_path / "again"
    code, out, _ = run(capsys, "import", str(target), "--records", str(other))
    assert code == 0 and out.startswith("wcda-114978\t")
    from archcite import Collection

    assert Collection(other).get("wcda-114978") == Collection(records).get("wcda-114978")


def test_import_keep_going_skips_broken_bibtex_entries(records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bib = tmp_path / "mixed.bib"
    bib.write_text("@misc{good-one,\n  title = {A Good Entry},\n  year = {1961}\n}\n\n@misc{broken,\n  title = {Unclosed\n")
    code, _, err = run(capsys, "import", str(bib), "--records", str(records))
    assert code == 1 and str(bib) in err
    assert not any(records.glob("*.yaml"))
    code, out, err = run(capsys, "import", str(bib), "--records", str(records), "--keep-going")
    assert out.startswith("good-one\t")


def test_report_lists_what_bibtex_flattens(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "wcda-114978", "--format", "bibtex", "--report", "--records", str(Path(__file__).parents[1] / "records"))
    assert code == 0 and out.startswith("@misc{wcda-114978,")
    assert "wcda-114978: not carried as a structured field: translation (written as text in note)" in err


# --- a command line that fits: help examples, completion, styles, --json, progress -----------


def _help_examples() -> list[str]:
    """Every example shown by `archcite --help` and each command's --help."""
    from archcite.cli import _parser

    parser = _parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    epilogs = [parser.epilog or ""] + [sub.epilog or "" for sub in subparsers.choices.values()]
    examples = [line.strip() for epilog in epilogs for line in epilog.splitlines() if line.startswith("  archcite ")]
    examples += [line.strip() for epilog in epilogs for line in epilog.splitlines() if line.startswith("  source ")]
    return examples


def test_every_command_has_an_example() -> None:
    from archcite.cli import _parser

    parser = _parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        assert sub.epilog and sub.epilog.startswith("example:\n  "), name
        assert f"archcite {name}" in sub.epilog or name == "completion", name


@pytest.mark.parametrize("example", _help_examples())
def test_help_examples_run(example: str, tmp_path: Path) -> None:
    """Run as printed, from a checkout-like folder (the seed at ../shared/seeds), against a
    copy of the shipped records."""
    work = tmp_path / "main"
    shutil.copytree(ROOT / "records", work / "records")
    (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    env = dict(os.environ, ARCHCITE_RECORDS=str(work / "records"), PYTHONPATH=str(ROOT), PY=sys.executable)
    script = f'archcite() {{ "$PY" -m archcite "$@"; }}\nset -e\n{example}\n'
    result = subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    if "--output" not in example and " -o " not in example and ">" not in example and "source" not in example:
        assert result.stdout  # data on stdout


def test_no_command_is_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert "exit codes: 0 success, 1 bad input" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import archcite

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"archcite {archcite.__version__}\n"


def _complete(script: str, *words: str) -> list[str]:
    """What the bash completion offers after `words` (the last one being completed)."""
    array = " ".join(shlex.quote(w) for w in ("archcite", *words))
    probe = f'{script}\nCOMP_WORDS=({array}); COMP_CWORD={len(words)}; _archcite; printf "%s\\n" "${{COMPREPLY[@]}}"'
    result = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=30, check=True)
    return result.stdout.split()


def test_completion_bash_and_zsh(capsys: pytest.CaptureFixture[str]) -> None:
    code, script, err = run(capsys, "completion", "bash")
    assert (code, err) == (0, "")
    assert subprocess.run(["bash", "-n"], input=script, text=True, check=False).returncode == 0
    assert _complete(script, "ex") == ["export"]
    assert set(_complete(script, "")) >= {"import", "export", "cite", "styles", "completion", "--version"}
    assert "--excerpts" in _complete(script, "export", "--")
    assert _complete(script, "export", "--format", "chicago-s") == ["chicago-short-note"]
    assert _complete(script, "cite", "x", "--markup", "") == ["text", "markdown", "html", "rtf"]
    assert _complete(script, "completion", "z") == ["zsh"]
    code, zsh, _ = run(capsys, "completion", "zsh")
    assert code == 0 and zsh.startswith("#compdef archcite\n") and "bashcompinit" in zsh
    if shutil.which("zsh"):
        assert subprocess.run(["zsh", "-n"], input=zsh, text=True, check=False).returncode == 0


def test_styles_lists_styles_and_forms(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "styles")
    assert (code, err) == (0, "")
    assert "  chicago-notes-archival\t" in out and "  mla-archival\t" in out
    assert "  chicago-short-note\tchicago-notes-archival\t" in out
    code, out, _ = run(capsys, "styles", "--json")
    listing = json.loads(out)
    assert [s["name"] for s in listing["styles"]] == ["chicago-notes-archival", "mla-archival"]
    assert all(Path(s["path"]).is_file() for s in listing["styles"])
    assert {f["name"] for f in listing["forms"]} == {"chicago-note", "chicago-short-note", "chicago-bibliography", "mla", "mla-in-text"}
    assert listing["markups"] == ["text", "markdown", "html", "rtf"]


def test_validate_json(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(SEED), "--records", str(records))
    code, out, err = run(capsys, "validate", "--json", "--records", str(records))
    assert (code, err) == (0, "")
    assert json.loads(out) == {"folder": str(records), "records": 1, "valid": True, "problems": []}
    (records / "wcda-5.yaml").write_text("id: wcda-5\ntitle: T\ncolour: blue\n")
    code, out, err = run(capsys, "validate", "--json", "--records", str(records))
    assert (code, err) == (1, "")
    result = json.loads(out)
    assert result["valid"] is False and result["records"] == 2
    assert result["problems"][0]["path"] == str(records / "wcda-5.yaml")
    assert result["problems"][0]["line"] == 3 and "unknown field 'colour'" in result["problems"][0]["message"]


def test_output_dash_is_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "export", "wcda-114978", "--format", "csl-json", "--output", "-", "--records", str(ROOT / "records"))
    assert code == 0 and json.loads(out)[0]["id"] == "wcda-114978"
    assert not (Path.cwd() / "-").exists()


class FakeTTY(io.StringIO):
    """stderr as a terminal would be: the progress bar draws only there."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("tty", [True, False])
def test_progress_bar_only_on_a_terminal(
    tty: bool, records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import archcite.cli

    monkeypatch.setattr(archcite.cli, "PROGRESS_MIN", 1)  # the seed stands in for a long run
    stderr = FakeTTY() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    assert main(["import", str(SEED), "--records", str(records)]) == 0
    assert main(["export", "--format", "yaml", "--records", str(records), "--output", str(tmp_path / "all.yaml")]) == 0
    if tty:
        assert stderr.getvalue() == (
            "\rarchcite: reading [" + "#" * 30 + "] 1/1\n"
            "\rarchcite: reading [" + "#" * 30 + "] 1/1\n"
        )
    else:
        assert stderr.getvalue() == ""
    assert "wcda-114978" in capsys.readouterr().out  # data still on stdout


def test_progress_bar_not_for_short_runs(records: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stderr = FakeTTY()
    monkeypatch.setattr(sys, "stderr", stderr)
    assert main(["import", str(SEED), "--records", str(records)]) == 0
    assert stderr.getvalue() == ""


def test_dash_selector_reads_a_record_file_from_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    record = (ROOT / "records" / "wcda-114978.yaml").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(record)))
    code, out, err = run(capsys, "cite", "-", "--form", "chicago-short-note", "--records", "/nonexistent")
    assert (code, out, err) == (0, "“Excerpts from V.P. Tkachenko.”\n", "")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(record)))
    code, out, _ = run(capsys, "export", "-", "--excerpts", "--format", "csl-json", "--records", "/nonexistent")
    assert code == 0 and [item["id"] for item in json.loads(out)][:2] == ["wcda-114978", "wcda-114978:p19-20"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"title: no id\n")))
    code, out, err = run(capsys, "cite", "-")
    assert (code, out) == (1, "") and err.startswith("archcite: <stdin>:1: id: required field is missing")


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes | str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode() if isinstance(data, str) else data)))


SHORT_P19 = "“Conversation between Kim Il Sung and N. S. Khrushchev,” 19–20.\n"


@pytest.mark.parametrize("source", ["record text", "yaml", "csl-json", "bibtex", "biblatex"])
def test_stdin_in_any_format_and_one_of_its_excerpts(
    source: str, records: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """'-' and '-:p19-20' read the record on stdin in whichever format it is, told by its
    content: the archive's text pasted in, a record file, or another tool's export."""
    assert main(["import", str(SEED), "--records", str(records)]) == 0
    capsys.readouterr()
    if source == "record text":
        data = SEED.read_text(encoding="utf-8")
    else:
        code, data, _ = run(capsys, "export", "wcda-114978", "--excerpts", "--format", source, "--records", str(records))
        assert code == 0
    _stdin(monkeypatch, data)
    # Read once: both selectors name the one record on stdin.
    code, out, err = run(capsys, "cite", "-:p19-20", "wcda-114978:p19-20", "-", "--form", "chicago-short-note", "--records", str(records))
    assert code == 0
    assert out == SHORT_P19 * 2 + "“Excerpts from V.P. Tkachenko.”\n"
    if source == "bibtex":  # what BibTeX cannot hold is noted, once: stdin was read once
        assert err.startswith("archcite: <stdin>:1: entry 'wcda-114978': ") and err.count("<stdin>:1: ") == 2
    else:
        assert err == ""
    _stdin(monkeypatch, data)
    code, out, _ = run(capsys, "export", "-:p21-22", "--format", "csl-json", "--records", "/nonexistent")
    assert code == 0 and [item["id"] for item in json.loads(out)] == ["wcda-114978:p21-22"]


def test_file_selector_with_an_excerpt(records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """seed.txt:p19-20 cites one excerpt of a file not imported; a missing excerpt, or an
    excerpt of a file holding several documents, is an error naming the file."""
    code, out, err = run(capsys, "cite", f"{SEED}:p19-20", "--form", "chicago-short-note", "--records", str(records))
    assert (code, out, err) == (0, SHORT_P19, "")
    assert not list(records.glob("*.yaml"))  # read on the fly, nothing imported
    code, out, err = run(capsys, "cite", f"{SEED}:p99", "--records", str(records))
    assert (code, out) == (1, "")
    assert err == f"archcite: {SEED}: wcda-114978 has no excerpt 'p99' (it has: p19-20, p21-22, p25, p26, p27-28, p31)\n"
    two = tmp_path / "two.yaml"
    yaml_text = (ROOT / "records" / "wcda-114978.yaml").read_text(encoding="utf-8")
    two.write_text(yaml_text + "---\n" + yaml_text.replace("id: wcda-114978", "id: wcda-2"), encoding="utf-8")
    code, out, err = run(capsys, "export", f"{two}:p19-20", "--format", "csl-json", "--records", str(records))
    assert (code, out) == (1, "")
    assert err == (
        f"archcite: {two}: it holds 2 documents, so 'p19-20' does not say which one's excerpt "
        "(wcda-114978:p19-20, wcda-2:p19-20); import it (archcite import), then select the excerpt by record id\n"
    )
    # A file name that itself holds a colon is still read whole.
    colon = tmp_path / "a:b.txt"
    colon.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "cite", str(colon), "--form", "chicago-short-note", "--records", str(records))
    assert (code, out) == (0, "“Excerpts from V.P. Tkachenko.”\n")


def test_a_stdin_excerpt_selector_is_no_option(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # argparse takes an unknown word opening with '-' for an option; '-:...' is a selector.
    _stdin(monkeypatch, SEED.read_text(encoding="utf-8"))
    code, out, err = run(capsys, "cite", "--form", "chicago-short-note", "-:p19-20", "--records", "/nonexistent")
    assert (code, out, err) == (0, SHORT_P19, "")
    with pytest.raises(SystemExit) as exit_info:
        main(["cite", "-x", "wcda-114978"])
    assert exit_info.value.code == 2 and "unrecognized arguments: -x" in capsys.readouterr().err


def test_import_from_stdin_reads_any_format(records: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, (ROOT / "records" / "wcda-114978.yaml").read_bytes())
    code, out, _ = run(capsys, "import", "-", "--records", str(records))
    assert code == 0 and out.startswith("wcda-114978\t")


def test_import_reports_a_credit_without_a_field_and_cites_the_rest(
    records: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = Path(__file__).parent / "record_texts" / "11_obtained_and_contributed.txt"
    code, out, err = run(capsys, "import", str(source), "--records", str(records))
    assert code == 0 and out.startswith("wcda-310011\t")
    assert err == (
        f"archcite: {source}:7: citation: Balázs Szalontai is credited as a contributor "
        "('contributed by Balázs Szalontai'); archcite has no field for that role, so the credit is kept "
        "in the citation text only\n"
    )
    code, out, _ = run(capsys, "cite", "wcda-310011", "--records", str(records))
    assert code == 0 and "trans. Kim Min-ji, PRC FMA, 109-00834-02, 1-5, Wilson Center Digital Archive" in out
    # A record text read from stdin reports the same.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(source.read_bytes())))
    code, _, err = run(capsys, "import", "-", "--records", str(records))
    assert code == 0 and err.startswith("archcite: <stdin>:7: citation: Balázs Szalontai is credited")


# The script's process: what the archcite script (cli.run) sets before main runs.
_SCRIPT = """
import atexit, os, sys
from archcite.cli import run

def report() -> None:
    from pydantic.plugin import _loader
    searched = getattr(_loader, "_plugins", None) is not None
    print(repr(os.environ.get("PYDANTIC_DISABLE_PLUGINS")), searched, file=sys.stderr)

atexit.register(report)
sys.argv = ["archcite", "cite", "wcda-114978:p19-20"]
run()
"""


@pytest.mark.parametrize(
    ("given", "seen", "searched"),
    [(None, "'__all__'", False), ("", "''", True), ("logfire", "'logfire'", True)],
)
def test_script_skips_the_pydantic_plugin_search_unless_told(given: str | None, seen: str, searched: bool) -> None:
    """The script turns off pydantic's plugin search (the metadata of every installed
    distribution) when the user has not set PYDANTIC_DISABLE_PLUGINS; a value the user set,
    even an empty one (every plugin on), is left as it is."""
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env["ARCHCITE_NO_CACHE"] = "1"  # the record is validated: pydantic builds its validators
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    result = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("“Conversation between Kim Il Sung")
    assert result.stderr.split() == [seen, str(searched)]


def test_format_for_text_tells_every_shipped_and_test_file_by_its_content() -> None:
    """Standard input has no file name: format_for_text tells the format by the content.
    It agrees with the suffix on every record, example, golden and test file that holds
    one (the bad inputs' empty and formless files excepted: no content says their format;
    "[1, 2]" is no CSL-JSON to tell, and a record text's body opens with "[19-20]")."""
    from archcite.files import read_text
    from archcite.formats import format_for_path, format_for_text

    formless = {"bib_empty.bib", "bib_not_bibtex.bib", "json_empty.json", "json_number.json", "json_item_not_object.json",
                "yaml_empty.yaml", "yaml_not_mapping.yaml", "yaml_python_name.yaml", "yaml_scalar.yaml"}  # fmt: skip
    tests = Path(__file__).parent
    folders = [ROOT / "records", ROOT / "examples", tests / "record_texts", tests / "data", tests / "golden", tests / "bad_inputs"]
    checked = 0
    for path in sorted(p for folder in folders for p in folder.rglob("*")):
        if path.suffix not in (".txt", ".yaml", ".json", ".bib") or path.name in formless | {"record.schema.json"}:
            continue
        try:
            text = read_text(path)
        except ArchciteError:
            continue  # not UTF-8: never reaches format_for_text
        expected = format_for_path(path).name
        assert format_for_text(text).name == expected, path
        checked += 1
    assert checked > 100
    assert format_for_text(SEED.read_text(encoding="utf-8")).name == "record-text"
    for text, expected in [
        ("\ufeff  [\n]", "csl-json"),
        ("# a note\n\n---\nid: x\n", "yaml"),
        ("title: no id yet\n", "yaml"),
        ("% exported\n@misc{x,\n  title = {T}}\n", "bibtex"),
        ("Memo: Kim Il Sung on the treaty\n\nCitation:\n\n\"Memo\", 1960.\n", "record-text"),
        ("", "record-text"),
    ]:
        assert format_for_text(text).name == expected, text


def test_stdin_closed_empty_or_unending_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", None)  # what Python gives a process started with stdin closed (<&-)
    for argv in (["cite", "-"], ["import", "-"], ["export", "-", "-f", "yaml"]):
        code, out, err = run(capsys, *argv, "--records", "/nonexistent")
        assert (code, out) == (1, "")
        assert err == "archcite: <stdin>: standard input is closed; pipe a record into '-', or name a file instead\n"
    _stdin(monkeypatch, " \n\n")
    code, _, err = run(capsys, "cite", "-")
    assert code == 1 and err.startswith("archcite: <stdin>: nothing on standard input")

    class Endless(io.RawIOBase):  # cat /dev/zero: read at most the limit, then say so
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            buffer[:] = b"x" * len(buffer)
            return len(buffer)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    code, _, err = run(capsys, "cite", "-")
    assert code == 1 and err == "archcite: <stdin>: more than 64 MB on standard input; split it\n"
    _stdin(monkeypatch, SEED.read_text(encoding="utf-8"))
    code, _, err = run(capsys, "cite", "-:")
    assert code == 1 and err.startswith("archcite: '-:' names no excerpt")


def test_import_reads_stdin_once_however_often_named(records: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, SEED.read_text(encoding="utf-8"))
    code, out, err = run(capsys, "import", "-", "-", "--records", str(records))
    assert code == 0 and out.count("wcda-114978\t") == 1


def test_a_page_marker_opening_a_pasted_body_is_no_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    body = SEED.read_text(encoding="utf-8")
    body = body[body.index("[19-20]") :]
    _stdin(monkeypatch, body)
    code, _, err = run(capsys, "cite", "-")
    assert code == 1 and "not JSON" not in err and err.startswith("archcite: <stdin>:1: no title")


def test_output_never_replaces_an_input_or_a_record_file(records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "s.txt"
    source.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(source)
    for output in (source, tmp_path / "link.txt"):
        code, _, err = run(capsys, "export", str(source), "-f", "yaml", "-o", str(output), "--records", str(records))
        assert (code, err) == (1, f"archcite: {output}: is also read by this export; write the output to another file\n")
    assert source.read_text(encoding="utf-8") == SEED.read_text(encoding="utf-8")
    assert main(["import", str(SEED), "--records", str(records)]) == 0
    record = records / "wcda-114978.yaml"
    before = record.read_bytes()
    for name in ("wcda-114978.yaml", "all.yml"):
        code, _, err = run(capsys, "export", "wcda-114978", "-f", "csl-json", "-o", str(records / name), "--records", str(records))
        assert code == 1 and err.startswith(f"archcite: {records / name}: is a record file's place in the records folder")
    assert record.read_bytes() == before and not (records / "all.yml").exists()
    code, _, _ = run(capsys, "export", "wcda-114978", "-f", "csl-json", "-o", str(records / "all.json"), "--records", str(records))
    assert code == 0  # not a record file: the folder reads only .yaml files


def test_a_selector_that_can_only_be_a_file_says_what_is_wrong_with_it(
    records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(SEED), "--records", str(records)]) == 0
    capsys.readouterr()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "noext").write_text("x", encoding="utf-8")
    for selector, message in [
        ("missing.txt:p19-20", f"missing.txt: no such file, nor a record 'missing.txt' in {records}"),
        ("missing.json", f"missing.json: no such file, nor a record 'missing.json' in {records}"),
        ("./missing.txt", "./missing.txt: no such file"),
        ("/nonexistent/x.txt:p19-20", "/nonexistent/x.txt: no such file"),
        ("folder/", "folder/: is a folder; name a record file in it, or a record id"),
        ("./noext", "./noext: cannot tell the format from the suffix '(none)'"),
    ]:
        for command in ("cite", "export"):
            code, out, err = run(capsys, command, selector, "-f" if command == "export" else "--form", "chicago-note", "--records", str(records))
            assert (code, out) == (1, "") and err.startswith(f"archcite: {message}"), (command, err)
    code, out, _ = run(capsys, "cite", "wcda-114978:p19-20", "--form", "chicago-short-note", "--records", str(records))
    assert (code, out) == (0, SHORT_P19)


def test_export_writes_an_item_named_twice_once(records: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(SEED), "--records", str(records)]) == 0
    capsys.readouterr()
    _stdin(monkeypatch, SEED.read_text(encoding="utf-8"))
    code, out, _ = run(capsys, "export", "-", "wcda-114978", "wcda-114978:p19-20", "--excerpts", "-f", "csl-json", "--records", str(records))
    ids = [item["id"] for item in json.loads(out)]
    assert code == 0 and ids == ["wcda-114978", *[f"wcda-114978:{e}" for e in ("p19-20", "p21-22", "p25", "p26", "p27-28", "p31")]]


def test_unknown_export_format_lists_what_export_writes(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", "-f", "word", "--records", "/nonexistent")
    assert code == 1 and err.startswith("archcite: unknown format 'word'; choose one of: yaml, csl-json,")
    assert "record-text" not in err


def test_list_says_1_excerpt(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = {"id": "wcda-1", "title": "T", "date": "1960", "excerpts": [{"id": "p1", "title": "E"}]}
    (records / "wcda-1.yaml").write_text(json.dumps(one), encoding="utf-8")  # JSON is YAML
    code, out, _ = run(capsys, "list", "--records", str(records))
    assert code == 0 and out == "wcda-1\t1960\tT\t1 excerpt\n"


def test_load_records_takes_one_path_alone() -> None:
    import archcite

    assert [d.id for d in archcite.load_records(str(SEED))] == [d.id for d in archcite.load_records(SEED)] == ["wcda-114978"]


def test_files_and_stdin_named_as_selectors_say_what_their_readers_noted(
    records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As import does: a CSL-JSON item's unreadable date is noted, once per file however often
    the file is named; citing it then fails naming the file, not a record to edit."""
    assert main(["import", str(SEED), "--records", str(records)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "export", "wcda-114978", "-f", "csl-json", "--records", str(records))
    items = json.loads(out)
    items[0]["issued"] = "x"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(items), encoding="utf-8")
    note = f"archcite: {bad}: item 1 (wcda-114978): ignored issued: 'x' is not a date"
    code, out, err = run(capsys, "export", str(bad), f"{bad}:p19-20", "-f", "bibtex", "--records", str(records))
    assert code == 0 and out.startswith("@misc{wcda-114978,") and err.count(note) == 1 and err.startswith(note)
    code, out, err = run(capsys, "cite", str(bad), "--records", str(records))
    assert (code, out) == (1, "")
    assert err.splitlines()[1] == (
        f"archcite: {bad}: wcda-114978 has no date, which Chicago and MLA need to cite the whole document; "
        f"its excerpts p19-20, p21-22, p25, p26, p27-28, p31 have dates: cite one of them ({bad}:p19-20), "
        "or give the document a date in the file (YYYY-MM-DD, YYYY-MM, YYYY, or YYYY~ when approximate)"
    )
    _stdin(monkeypatch, json.dumps(items))
    code, _, err = run(capsys, "cite", "-:p19-20", "--records", str(records))
    assert code == 0 and err.startswith("archcite: <stdin>: item 1 (wcda-114978): ignored issued")


def test_show_takes_files_and_stdin_too(records: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(SEED), "--records", str(records)]) == 0
    capsys.readouterr()
    code, from_record, _ = run(capsys, "show", "wcda-114978:p25", "--records", str(records))
    assert code == 0 and from_record.startswith("document: wcda-114978\n")
    assert run(capsys, "show", f"{SEED}:p25", "--records", str(records)) == (0, from_record, "")
    _stdin(monkeypatch, SEED.read_text(encoding="utf-8"))
    assert run(capsys, "show", "-:p25", "--records", str(records)) == (0, from_record, "")
    _stdin(monkeypatch, SEED.read_text(encoding="utf-8"))
    assert run(capsys, "show", "-", "--records", str(records)) == (0, (records / "wcda-114978.yaml").read_text(encoding="utf-8"), "")


def test_a_terminal_on_stdin_is_told_how_to_end_the_record(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    class Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal(io.BytesIO(SEED.read_bytes())))
    code, out, err = run(capsys, "cite", "-:p19-20", "--form", "chicago-short-note", "--records", "/nonexistent")
    assert (code, out, err) == (0, SHORT_P19, "archcite: reading a record from standard input; end it with Ctrl-D\n")


def test_a_record_piped_in_without_a_dash_is_told_how_to_read_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `cat seed.txt | archcite cite` (or `< seed.txt`): standard input is read only when named '-'.
    with SEED.open(encoding="utf-8") as stdin:
        monkeypatch.setattr(sys, "stdin", stdin)
        for command, wanted in (("cite", "SELECTOR"), ("show", "SELECTOR"), ("import", "PATH")):
            with pytest.raises(SystemExit) as exit_info:
                main([command])
            assert exit_info.value.code == 2
            assert capsys.readouterr().err.endswith(
                f"error: the following arguments are required: {wanted}; to read what is piped in, "
                f"name it '-' (archcite {command} -)\n"
            )
        code, out, err = run(capsys, "export", "--format", "csl-json", "--records", str(tmp_path / "none"))
        assert (code, out) == (1, "")
        assert err.endswith("archcite: standard input was not read: to export the record piped in, name it '-' "
                            "(archcite export - --format ...)\n")
    # Nothing piped in (a test's stdin is no file, as a terminal's would not be): no such advice.
    code, out, err = run(capsys, "export", "--format", "csl-json", "--records", str(tmp_path / "none"))
    assert code == 1 and "standard input" not in err
    with pytest.raises(SystemExit):
        main(["cite"])
    assert capsys.readouterr().err.endswith("error: the following arguments are required: SELECTOR\n")


def test_a_file_of_one_excerpts_item_says_to_cite_the_excerpt(
    records: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # An excerpt's CSL-JSON item, exported alone, reads back as its document, which has no
    # date there (the item carries the excerpt's): the whole file cannot be cited; its excerpt can.
    run(capsys, "import", str(SEED), "--records", str(records))
    excerpt = tmp_path / "excerpt.json"
    assert run(capsys, "export", "wcda-114978:p19-20", "--format", "csl-json", "-o", str(excerpt), "--records", str(records))[0] == 0
    code, out, err = run(capsys, "cite", str(excerpt), "--records", str(records))
    assert (code, out) == (1, "")
    assert err.endswith(
        f"archcite: {excerpt}: wcda-114978 has no date, which Chicago and MLA need to cite the whole document; "
        f"its excerpt p19-20 has a date: cite it ({excerpt}:p19-20), or give the document a date in the file "
        "(YYYY-MM-DD, YYYY-MM, YYYY, or YYYY~ when approximate)\n"
    )
    _stdin(monkeypatch, excerpt.read_text(encoding="utf-8"))
    code, out, err = run(capsys, "cite", "-", "--records", str(records))
    assert code == 1 and "cite it (-:p19-20)" in err
    code, out, err = run(capsys, "cite", f"{excerpt}:p19-20", "--form", "chicago-short-note", "--records", str(records))
    assert (code, out) == (0, SHORT_P19)
