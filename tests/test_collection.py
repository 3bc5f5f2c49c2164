"""The records folder: YAML files, selectors, validation, atomic updates that keep comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from archcite import Collection, Document, RecordError, SelectorError, parse_selector
from archcite.formats import yaml_record

ROOT = Path(__file__).resolve().parents[1]


def test_seed_yaml_round_trip(seed: Document) -> None:
    text = yaml_record.dump_document(seed)
    assert yaml_record.load(text) == seed


def test_shipped_record_is_the_imported_seed(seed: Document) -> None:
    shipped = Collection(ROOT / "records").get("wcda-114978")
    # The shipped file was reviewed by hand: it may add facts, but keeps every imported one.
    imported = seed.model_dump(exclude_defaults=True)
    assert {k: v for k, v in shipped.model_dump(exclude_defaults=True).items() if k in imported} == imported


def test_shipped_records_are_valid() -> None:
    assert Collection(ROOT / "records").validate() == []


def test_selectors(records: Path, seed: Document) -> None:
    collection = Collection(records)
    collection.add(seed)
    assert parse_selector("wcda-114978:p19-20") == ("wcda-114978", "p19-20")
    item = collection.select("wcda-114978:p19-20")
    assert item.excerpt is not None and item.excerpt.pages == "19-20"
    assert item.id == "wcda-114978:p19-20"
    assert collection.select("wcda-114978").excerpt is None
    with pytest.raises(SelectorError, match="has no excerpt 'p99'"):
        collection.select("wcda-114978:p99")
    with pytest.raises(SelectorError, match="no record 'wcda-1'"):
        collection.select("wcda-1")
    with pytest.raises(SelectorError, match="not a selector"):
        collection.select("../../etc/passwd")


def test_an_unknown_id_names_the_ids_it_may_have_meant(records: Path, seed: Document) -> None:
    collection = Collection(records)
    for number in ("114978", "114987", "200001", "300002", "400003", "500004", "600005"):
        collection.add(seed.model_copy(update={"id": f"wcda-{number}"}))
    with pytest.raises(SelectorError, match=r"no record 'wcda-114798' in .* \(did you mean wcda-114987 or wcda-114978\?\)$"):
        collection.get("wcda-114798")
    # Nothing close: the first few ids, so that the user sees what ids look like here.
    with pytest.raises(SelectorError, match=r"no record 'letter-7' in .* \(known: wcda-114978, wcda-114987, wcda-200001, wcda-300002, wcda-400003, …\)$"):
        collection.get("letter-7")


def test_items_with_excerpts_and_record_paths(records: Path, seed: Document, tmp_path: Path) -> None:
    collection = Collection(records)
    collection.add(seed)
    items = collection.items([], excerpts=True)
    assert [i.id for i in items] == ["wcda-114978"] + [f"wcda-114978:{e.id}" for e in seed.excerpts]
    loose = tmp_path / "loose.yaml"
    loose.write_text(yaml_record.dump_document(seed.model_copy(update={"id": "loose"})))
    assert [i.id for i in collection.items([str(loose)])] == ["loose"]
    # No selectors, given as nothing, None or an empty list: every record.
    assert [i.id for i in collection.items()] == [i.id for i in collection.items(None)] == ["wcda-114978"]


def test_dir_of_the_package_lists_its_public_names() -> None:
    import archcite

    assert dir(archcite) == sorted(archcite.__all__)
    assert "Any" not in dir(archcite) and "importlib" not in dir(archcite)
    for name in dir(archcite):
        getattr(archcite, name)  # each listed name is really there (the lazy ones too)


def test_add_is_idempotent_and_keeps_comments(records: Path, seed: Document) -> None:
    collection = Collection(records)
    path, changed = collection.add(seed)
    assert changed
    assert collection.add(seed) == (path, False)
    edited = path.read_text().replace("summary:", "# checked against the printed book, p. 19\nsummary:")
    edited = edited.replace("  - id: p25\n", "  - id: p25  # a short one\n")
    path.write_text(edited)
    updated = seed.model_copy(update={"genre": "Records of conversation"})
    assert collection.add(updated) == (path, True)
    text = path.read_text()
    assert "# checked against the printed book, p. 19" in text
    assert "# a short one" in text
    assert collection.get(seed.id) == updated
    assert sorted(p.name for p in records.iterdir()) == ["record.schema.json", "wcda-114978.yaml"]


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("id: wcda-5\ntitle: T\ncolour: blue\n", 3, "unknown field 'colour'"),
        ("id: wcda-5\ntitle: T\ndate: '1961-02-31'\n", 3, "not a day of the calendar"),
        ("id: wcda-5\ndate: '1961'\n", 1, "title: required field is missing"),
        ("id: wcda-5\ntitle: [unclosed\n", 3, "YAML syntax"),
        # Hand edits' usual slips: the line the slip is on, and what to do about it.
        ("id: wcda-5\ntitle: T\ntranslation:\n\ttranslated_for: NKIDP\n", 4, "indent with spaces"),
        ("id: wcda-5\ntitle: T\nrepository:\n  name: W\n url: https://x.org\n", 5, "indent this line as the other fields"),
        ("id: wcda-5\ntitle: T\nsummary:A summary\ngenre: memo\n", 3, "with a space after the colon"),
        ("id: wcda-5\ntitle: Kim: a note\n", 2, 'put a value that holds ": " in quotes'),
        ("id: wcda-5\ntitle: T\nrepository:\n  name: W\n    url: https://x.org\n", 5, "a field indents as the fields beside it"),
        ("id: wcda-6\ntitle: T\n", 1, "file name says 'wcda-5' but the record's id is 'wcda-6'"),
        ("- just\n- a list\n", 1, "must be a YAML mapping"),
        ("", 1, "file is empty"),
        ("id: wcda-5\ntitle: T\nexcerpts:\n  - id: p1\n    title: t\n    speakers: Nobody\n", 6, "excerpts.0.speakers"),
    ],
)
def test_validate_reports_path_line_and_problem(records: Path, content: str, line: int, message: str) -> None:
    path = records / "wcda-5.yaml"
    path.write_text(content)
    problems = Collection(records).validate()
    assert problems, "expected a problem"
    assert problems[0].path == str(path)
    assert problems[0].line == line
    assert message in str(problems[0])
    assert str(problems[0]).startswith(f"{path}:{line}: ")


def test_yaml_tags_do_not_build_objects(records: Path) -> None:
    (records / "wcda-5.yaml").write_text("id: wcda-5\ntitle: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(RecordError):
        Collection(records).get("wcda-5")


def test_yaml_alias_bomb_is_refused(records: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    (records / "wcda-5.yaml").write_text("id: wcda-5\ntitle: T\n" + "\n".join(lines) + "\n")
    with pytest.raises(RecordError, match="too many values"):
        Collection(records).get("wcda-5")


def test_a_yaml_stream_of_several_records_reads_back(records: Path, seed: Document, tmp_path: Path) -> None:
    """`archcite export --format yaml` of several records writes them with "---" between;
    archcite reads such a file back (import, a selector's path, load_record)."""
    import archcite
    from archcite.cli import main
    from archcite.formats import Item, get_format

    other = seed.model_copy(update={"id": "wcda-2", "title": "Another record"})
    stream = get_format("yaml").dump([Item(seed), Item(other)])
    assert stream.count("\n---\n") == 1
    path = tmp_path / "library.yaml"
    path.write_text(stream, encoding="utf-8")
    assert archcite.load_record(str(path)) == [seed, other]
    assert main(["import", "--records", str(records), str(path)]) == 0
    assert sorted(p.name for p in records.glob("*.yaml")) == ["wcda-114978.yaml", "wcda-2.yaml"]
    # Comments before the first marker, and a single record that starts with "---", read as before.
    assert yaml_record.load_documents("# a note\n---\n" + yaml_record.dump_document(seed)) == [seed]
    assert yaml_record.load_documents("---\n" + yaml_record.dump_document(seed)) == [seed]


def test_a_problem_in_the_second_record_of_a_stream_has_its_line_in_the_file(seed: Document) -> None:
    first = yaml_record.dump_document(seed)
    second = "id: wcda-2\ntitle: Another\nsumary: a typo\n"
    with pytest.raises(RecordError) as caught:
        yaml_record.load_documents(first + "---\n" + second, "library.yaml")
    line = first.count("\n") + 1 + 3  # the marker's line, then the third line of the record
    assert str(caught.value) == f"library.yaml:{line}: unknown field 'sumary'; see `archcite schema` for the fields a record has"
    with pytest.raises(RecordError, match="holds no record"):
        yaml_record.load_documents("---\n# nothing\n---\n", "empty.yaml")


def test_a_record_file_with_several_records_says_what_to_do(records: Path, seed: Document) -> None:
    first = yaml_record.dump_document(seed)
    (records / "wcda-114978.yaml").write_text(first + "---\nid: wcda-2\ntitle: Another\n", encoding="utf-8")
    problems = Collection(records).validate()
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "a record file holds one record, and this one holds several; `archcite import` it to make one record file each"
    ]
    assert problems[0].line == first.count("\n") + 1


def test_every_public_name_has_an_example_and_the_examples_run() -> None:
    """The README says each public name's docstring has an example: each has one, and those
    that need no records folder or seed file (not marked SKIP) give what they show."""
    import doctest

    import archcite

    public = {name: getattr(archcite, name) for name in archcite.__all__ if name != "__version__"}
    assert [name for name, value in public.items() if ">>>" not in (value.__doc__ or "")] == []
    tried = 0
    for name, value in public.items():
        for test in doctest.DocTestFinder(recurse=False).find(value, name, globs=dict(public)):
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
            result = runner.run(test)
            assert result.failed == 0, name
            tried += result.attempted
    assert tried >= 25
