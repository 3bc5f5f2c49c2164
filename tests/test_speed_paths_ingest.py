"""The fast paths of reading and citing give what the slow paths give.

archcite avoids work on its common paths (langcodes' data, modules a command does not
use); these tests check that the shortcuts answer exactly what the long way answers, and
that the shortcuts are taken: the language table, the lazy names of ``archcite``, the record
cache, the command line's parser of one command, record-text patterns rewritten for speed,
the quick checks for control characters and surrogates, the dates find_date keeps.
No timing here: the benchmark measures speed.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import re
import subprocess
import sys
from pathlib import Path

import langcodes
import pytest

from archcite import cli, dates, record_cache
from archcite.cite import Citable, cite, citations
from archcite.collection import Collection
from archcite.dates import DateError, find_date
from archcite.errors import RecordError, SelectorError
from archcite.forms import FORMS
from archcite.formats import record_text, yaml_record
from archcite.languages import NAMES, TAGS
from archcite.models import (
    Document,
    Language,
    _clean_text,
    _display_name,
    _language_from_langcodes,
    language_from_text,
)

from conftest import ROOT, SEED


# --- the language table is langcodes' own answers -----------------------------------


@pytest.mark.parametrize("tag", sorted(TAGS))
def test_language_table_is_langcodes(tag: str) -> None:
    standard, name = TAGS[tag]
    assert langcodes.tag_is_valid(tag)
    assert str(langcodes.standardize_tag(tag)) == standard
    assert str(langcodes.Language.get(standard).display_name()) == name
    assert standard in TAGS, "a standard tag the table gives is in the table itself"
    assert language_from_text(tag) == _language_from_langcodes(tag)
    assert Language(code=tag).model_dump() == {"code": standard, "name": name}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_language_names_are_langcodes(name: str) -> None:
    assert language_from_text(name) == _language_from_langcodes(name) == {"code": NAMES[name], "name": name}


def test_language_table_regenerates_unchanged() -> None:
    """``python -m archcite.languages`` prints the table the module holds."""
    printed = subprocess.run(
        [sys.executable, "-m", "archcite.languages"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    source = (ROOT / "archcite" / "languages.py").read_text(encoding="utf-8")
    assert printed.strip() and printed.rstrip("\n") in source


@pytest.mark.parametrize("text", ["zh-Hant", "ko-KP", "RU", "cmn", "Ojibwa", "Serbian (Latin)", "russian", "Klingon"])
def test_languages_off_the_table_still_go_to_langcodes(text: str) -> None:
    try:
        expected = _language_from_langcodes(text)
    except ValueError as exc:
        with pytest.raises(ValueError, match="unknown language"):
            language_from_text(text)
        assert "unknown language" in str(exc)
        return
    assert language_from_text(text) == expected
    assert _display_name(expected["code"]) == str(langcodes.Language.get(expected["code"]).display_name())


def test_bad_language_tag_is_still_an_error() -> None:
    with pytest.raises(ValueError, match="is not a BCP 47 language tag"):
        Language(code="not a tag")


# --- `import archcite` is light, and its names are all there ------------------------


def _modules_after(code: str, cwd: Path = ROOT) -> set[str]:
    """The top-level modules a fresh interpreter holds after running ``code``."""
    script = code + "\nimport sys; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd)
    return set(result.stdout.split())


def test_import_archcite_loads_no_pydantic_yaml_or_citeproc() -> None:
    loaded = _modules_after("import archcite")
    assert not loaded & {"pydantic", "ruamel", "langcodes", "citeproc", "lxml"}


def test_public_names_are_all_importable() -> None:
    import archcite
    from archcite import collection, models

    for name in archcite.__all__:
        assert getattr(archcite, name) is not None, name
        assert name in dir(archcite)
    assert archcite.Document is models.Document and archcite.Collection is collection.Collection
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        archcite.nothing  # noqa: B018


def test_cite_and_render_stay_functions_after_their_modules_are_imported() -> None:
    code = "import archcite, archcite.cite, archcite.render; assert callable(archcite.cite) and callable(archcite.render)"
    code += "; assert archcite.cite.__module__ == 'archcite.cite' and archcite.render.__module__ == 'archcite.render'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# --- the record cache ------------------------------------------------------------------


@pytest.fixture()
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("ARCHCITE_NO_CACHE", raising=False)
    return home


@pytest.fixture()
def stored(records: Path, seed: Document) -> Collection:
    collection = Collection(records)
    collection.add(seed)
    return collection


def _no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make reading a record file fail: what is read after this came from the cache."""

    def refuse(*args: object) -> None:
        raise AssertionError("the record file was parsed")

    monkeypatch.setattr(yaml_record, "load", refuse)


def test_cache_gives_the_same_document_without_parsing(
    stored: Collection, seed: Document, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert stored.get(seed.id) == seed
    assert [p.suffix for p in (cache_home / "archcite" / "records").iterdir()] == [".pickle"]
    _no_yaml(monkeypatch)
    first, second = stored.get(seed.id), stored.get(seed.id)
    assert first == second == seed and first is not second  # each caller gets its own document


def test_cache_misses_when_the_record_changes(
    stored: Collection, seed: Document, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = stored.path_for(seed.id)
    stored.get(seed.id)
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    # Same size and the same modification time: only the content tells the change.
    changed = text.replace("title: Excerpts from", "title: Excerpts From", 1)
    assert len(changed) == len(text) and changed != text
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert stored.get(seed.id).title.startswith("Excerpts From")
    path.write_text(text, encoding="utf-8")
    assert stored.get(seed.id) == seed


def test_cache_never_hides_a_broken_record(stored: Collection, seed: Document, cache_home: Path) -> None:
    path = stored.path_for(seed.id)
    stored.get(seed.id)
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("id: wcda-114978", "id: wcda-1"), encoding="utf-8")
    for _ in range(2):  # the failure is not cached either
        with pytest.raises(RecordError, match="the file name says 'wcda-114978' but the record's id is 'wcda-1'"):
            stored.get(seed.id)
    path.write_text(good.replace("title:", "titel:", 1), encoding="utf-8")
    with pytest.raises(RecordError, match="title: required field is missing"):
        stored.get(seed.id)


def test_cache_files_that_are_damaged_or_foreign_are_misses(
    stored: Collection, seed: Document, cache_home: Path
) -> None:
    stored.get(seed.id)
    (entry,) = (cache_home / "archcite" / "records").iterdir()
    head = entry.read_bytes().split(b"\n", 2)
    key = head[0] + b"\n" + head[1] + b"\n"
    for body in (b"", b"garbage", pickle.dumps({"not": "a document"}), pickle.dumps(Path("/"))):
        entry.write_bytes(key + body)
        assert stored.get(seed.id) == seed
    # A pickle that would run code if it were unpickled freely.
    marker = cache_home / "ran"
    evil = b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR."
    entry.write_bytes(key + evil)
    assert stored.get(seed.id) == seed
    assert not marker.exists()


def test_cache_is_in_xdg_cache_home_never_in_the_records_folder(
    stored: Collection, seed: Document, cache_home: Path, records: Path
) -> None:
    before = sorted(p.name for p in records.iterdir())
    stored.get(seed.id)
    assert sorted(p.name for p in records.iterdir()) == before
    assert record_cache.cache_dir() == cache_home / "archcite" / "records"


def test_cache_off_and_cache_unwritable(
    stored: Collection, seed: Document, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARCHCITE_NO_CACHE", "1")
    assert stored.get(seed.id) == seed
    assert not cache_home.exists()
    monkeypatch.delenv("ARCHCITE_NO_CACHE")
    cache_home.write_text("a file where the cache folder would go")
    assert stored.get(seed.id) == seed == stored.get(seed.id)


def test_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert record_cache.cache_dir() == Path.home() / ".cache" / "archcite" / "records"


def test_cite_command_prints_the_same_from_the_cache(cache_home: Path) -> None:
    """`archcite cite` on the shipped records, cold and then from the cache: the same text,
    and the warm run loads neither ruamel.yaml nor langcodes, pydantic or pickle (it reads
    the cached CSL-JSON)."""
    command = [sys.executable, "-m", "archcite", "cite", "wcda-114978:p19-20", "--locator", "19"]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    cold = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env=env).stdout
    warm = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env=env).stdout
    uncached = subprocess.run(
        command, capture_output=True, text=True, check=True, cwd=ROOT, env={**env, "ARCHCITE_NO_CACHE": "1"}
    ).stdout
    assert cold == warm == uncached
    assert cold.startswith("“Conversation between Kim Il Sung and N. S. Khrushchev,” June 17, 1960")
    code = "from archcite.cli import main; main(['cite', 'wcda-114978:p19-20'])"
    script = code + "\nimport sys; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    assert not set(out.stdout.splitlines()[-1].split()) & {"ruamel", "langcodes", "pydantic", "pydantic_core", "pickle"}


def test_uncached_cite_reads_the_record_without_ruamel() -> None:
    """A record in archcite's own layout needs neither ruamel.yaml nor PyYAML (the layout
    reader reads it): an uncached `cite` imports neither."""
    code = "from archcite.cli import main; main(['cite', 'wcda-114978:p19-20'])"
    script = code + "\nimport sys; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    env = {**os.environ, "ARCHCITE_NO_CACHE": "1"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    loaded = set(out.stdout.splitlines()[-1].split())
    assert "pydantic" in loaded  # the record was read, not taken from a cache
    assert "ruamel" not in loaded and "yaml" not in loaded


# --- citing from the record cache ---------------------------------------------------------


def _selectors(seed: Document) -> list[str]:
    return [seed.id] + [f"{seed.id}:{excerpt.id}" for excerpt in seed.excerpts]


def test_citable_that_fills_the_cache_is_the_citable_of_the_record(stored: Collection, seed: Document, cache_home: Path) -> None:
    # Each selector on a cache miss: the citable comes from the data just stored.
    for selector in _selectors(seed):
        for entry in (cache_home / "archcite" / "records").glob("*"):
            entry.unlink()
        assert stored.citable(selector) == Citable.of(stored.select(selector))


def test_citable_from_the_cache_is_the_citable_of_the_record(
    stored: Collection, seed: Document, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = {s: Citable.of(stored.select(s)) for s in _selectors(seed)}
    assert {s: stored.citable(s) for s in expected} == expected  # the first fills the cache
    assert sorted(p.suffix for p in (cache_home / "archcite" / "records").iterdir()) == [".json", ".pickle"]
    _no_yaml(monkeypatch)
    monkeypatch.setattr(record_cache, "load", lambda *args: pytest.fail("the pickled document was read"))
    assert {s: stored.citable(s) for s in expected} == expected
    assert expected[seed.id].is_excerpt is False and all(c.is_excerpt for s, c in expected.items() if s != seed.id)


@pytest.mark.parametrize("form", sorted(FORMS))
def test_citations_from_the_cache_are_the_same_text(stored: Collection, seed: Document, cache_home: Path, form: str) -> None:
    selectors = _selectors(seed)
    locator = None if FORMS[form].mode == "bibliography" else "21"
    expected = cite([stored.select(s) for s in selectors], form, "html", locator)
    for _ in range(2):  # cold, then from the cache
        assert citations(stored.citables(selectors), form, "html", locator) == expected


def test_cached_record_still_reports_a_missing_excerpt_or_record(stored: Collection, seed: Document, cache_home: Path) -> None:
    stored.citable(seed.id)
    for selector in (f"{seed.id}:p999", "no-such-record", f"no-such-record:{seed.excerpts[0].id}"):
        with pytest.raises(SelectorError) as uncached:
            stored.select(selector)
        with pytest.raises(SelectorError) as cached:
            stored.citable(selector)
        assert str(cached.value) == str(uncached.value)


def test_cached_citations_follow_the_record_and_survive_damage(stored: Collection, seed: Document, cache_home: Path) -> None:
    path = stored.path_for(seed.id)
    stored.citable(seed.id)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Excerpts from", "title: Excerpts From", 1), encoding="utf-8")
    assert stored.citable(seed.id).csl["title"].startswith("Excerpts From")
    path.write_text(text, encoding="utf-8")
    expected = Citable.of(stored.select(seed.id))
    (entry,) = (cache_home / "archcite" / "records").glob("*.json")
    magic, key, _ = entry.read_bytes().split(b"\n", 2)
    for body in (b"", b"{not json", b"[]", b'{"document": 1}', b'{"document": {"csl": {}}}'):
        entry.write_bytes(magic + b"\n" + key + b"\n" + body)
        assert stored.citable(seed.id) == expected


# --- the command line sets up only the command it runs --------------------------------


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_one_command_parser_is_the_full_parsers_command() -> None:
    full = _subparsers(cli._parser())
    assert set(full) == set(cli.COMMANDS)
    for name in cli.COMMANDS:
        alone = _subparsers(cli._parser(name))
        assert set(alone) == (set(full) if name == "completion" else {name})
        assert alone[name].format_help() == full[name].format_help()
    assert set(_subparsers(cli._parser("no-such-command"))) == set(full)


@pytest.mark.parametrize(
    "argv", [["cite"], ["cite", "--bogus", "x"], ["nosuch"], ["--records", "x", "cite", "y"], ["--help"], ["cite", "--help"]]
)
def test_usage_errors_and_help_are_unchanged(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    def outcome(parser: argparse.ArgumentParser) -> tuple[object, str, str]:
        try:
            parser.parse_args(argv)
            code: object = 0
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    chosen = argv[0] if not argv[0].startswith("-") else None
    assert outcome(cli._parser(chosen)) == outcome(cli._parser())


# --- record-text patterns rewritten for speed match what the originals matched --------

# The patterns as they were before they were rewritten for speed (commit 5a10537).
_LETTER = r"[^\W\d_]"
_OLD_WORD = rf"(?:{_LETTER}\.(?:\s?{_LETTER}\.)*|{_LETTER}[\w'’]*(?:-[\w'’]+)*)"
_OLD_NAME = rf"{_OLD_WORD}(?:\s+{_OLD_WORD}){{1,4}}"
_OLD_PATTERNS = {
    "_TURN": re.compile(rf"^(?P<name>{_OLD_NAME}){record_text._VARIANT}?\.\s+(?=\S)"),
    "_LABEL": re.compile(rf"^\[(?P<name>{_OLD_NAME}){record_text._VARIANT}?\]\s*"),
    "_NAME_ONLY": re.compile(rf"^(?P<name>{_OLD_NAME}){record_text._VARIANT}?$"),
    "_SENTENCE_END": re.compile(r"(?<!\b[A-Z])(?<!\bDr)(?<!\bMr)(?<!\bSt)\.\s+"),
    # _CREDIT_START's fixed list of phrases missed "Obtained and contributed by"; its successor
    # _CREDITS_START reads runs of credit verbs, and is checked here against itself written the
    # plain way: with the old look-behinds and without the look-ahead for a first letter.
    "_CREDITS_START": re.compile(
        rf"(?:(?<=^)|(?<=[\s.,;]))(?={record_text._CREDIT_VERBS}\s+(?:by|for|from)\b)",
        re.IGNORECASE,
    ),
}
_TOKENS = [
    "Kim", "Il", "Sung", "N.", "S.", "N.S.", "V.P.", "Khrushchev", "de", "van", "Ch'oe", "Yong-gŏn", "Ödön",
    "[김일성]", "(Kim Kwang Hyop)", "[", "]", "(", ")", ".", ". ", " ", "\t", "\n", "-", "'", "’", "The", "x1", "_a",
    "Никита", "李", ":", ",", ";", "Dr.", "Mr", "St.", "A", "obtained", "and", "translated", "by", "for", "from",
    "translation", "contributed", "donated", "OBTAINED BY", "byx", "digitalarchive.", "wilsoncenter.", "org/",
    "ORG/", "https://", "http://", "<", ">", "com/", "a-b.", "document/", "1965/Coreea", "@", "/", "www.", "\"",
    "K", "ſ", "İ", "é", "\xa0",
]  # fmt: skip


def _corpus(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = ["".join(rng.choice(_TOKENS) + rng.choice(["", " ", ". "]) for _ in range(rng.randint(0, 12))) for _ in range(count)]
    return texts + SEED.read_text(encoding="utf-8").split("\n")


def _found(match: re.Match[str] | None) -> object:
    return None if match is None else (match.span(), match.groupdict())


@pytest.mark.parametrize("name", sorted(_OLD_PATTERNS))
def test_rewritten_patterns_match_as_before(name: str) -> None:
    old, new = _OLD_PATTERNS[name], getattr(record_text, name)
    for text in _corpus(20_000, seed=len(name)):
        assert _found(new.match(text)) == _found(old.match(text)), text
        assert _found(new.search(text)) == _found(old.search(text)), text
        assert new.split(text) == old.split(text), text


def test_url_search_start_finds_what_a_whole_search_finds() -> None:
    for text in _corpus(50_000, seed=7):
        start = record_text._url_search_start(text)
        assert _found(record_text._URL.search(text, start)) == _found(record_text._URL.search(text)), text


# --- checks made faster give the answers of the checks they replace ---------------------


def test_control_bytes_find_exactly_the_control_characters() -> None:
    for code in range(0x110000):
        char = chr(code)
        expected = record_text._CONTROL.search(char) is not None
        assert record_text._has_control(f"a{char}b") is expected, hex(code)


def test_surrogate_check_rejects_exactly_the_surrogates() -> None:
    surrogate = re.compile("[\ud800-\udfff]")
    for code in range(0x80, 0x110000):
        char = chr(code)
        try:
            _clean_text(f"é{char}")
        except ValueError:
            assert surrogate.search(char), hex(code)
        else:
            assert not surrogate.search(char), hex(code)


def _date_found(text: str) -> object:
    try:
        found = find_date(text)
    except DateError as exc:
        return str(exc)
    if found is None:
        return None
    date, start, end = found
    parts = [date, date.end] if date.end is not None else [date]
    return [(d.model_dump(), d.model_fields_set) for d in parts], start, end


def test_dates_read_once_are_the_dates_read_afresh() -> None:
    """find_date keeps each date it has checked: a kept date is the one a fresh reading gives."""
    rng = random.Random(11)
    tokens = ["June", "jun.", "Sept", "May", "17", "31", "29", "1st", "1960", "1961", "1960s", "19601", "c.", "circa", "to",
              "until", "-", "–", ",", ".", " ", "x", "a1960", "[", "on"]  # fmt: skip
    texts = ["".join(rng.choice(tokens) + rng.choice(["", " "]) for _ in range(rng.randint(1, 8))) for _ in range(20_000)]
    dates._CHECKED.clear()
    with_kept = [_date_found(text) for text in texts]  # most dates come again: read from what is kept
    assert len(dates._CHECKED) < len(texts) / 4
    for text, found in zip(texts, with_kept):
        dates._CHECKED.clear()
        assert _date_found(text) == found, text


def test_closing_bracket_is_where_the_brackets_balance() -> None:
    rng = random.Random(3)
    for _ in range(50_000):
        text = "[" + "".join(rng.choice("[]ab ") for _ in range(rng.randint(0, 12)))
        depth, expected = 0, None
        for index, char in enumerate(text):
            depth += {"[": 1, "]": -1}.get(char, 0)
            if char == "]" and depth == 0:
                expected = index
                break
        assert record_text._closing_bracket(text) == expected, text


def test_building_the_validators_tokenizes_nothing() -> None:
    """No model field has a built-in as its default factory: Pydantic reads each factory's
    signature, and a built-in's is parsed from text with tokenize, whose pattern is compiled
    on first use (5-8 ms of an uncached cite)."""
    code = (
        "import tokenize\n"
        "from archcite.models import Document\n"
        "Document.model_rebuild()\n"
        "assert Document.__pydantic_complete__\n"
        "print(tokenize._compile.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["0"]
