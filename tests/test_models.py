"""The models: strict fields, documented fields, dates, languages, the shipped schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from archcite import models
from archcite.models import Document, FuzzyDate, Language, Person
from archcite.schema import record_schema

ROOT = Path(__file__).resolve().parents[1]
ALL_MODELS = [
    models.Document,
    models.Excerpt,
    models.Person,
    models.OriginalPublication,
    models.ArchivalSource,
    models.Translation,
    models.Funding,
    models.Repository,
    models.Language,
    models.FuzzyDate,
]


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_every_field_is_described(model: type[BaseModel]) -> None:
    for name, info in model.model_fields.items():
        assert info.description, f"{model.__name__}.{name} has no description"


@pytest.mark.parametrize("model", [m for m in ALL_MODELS if m is not models.FuzzyDate], ids=lambda m: m.__name__)
def test_unknown_fields_are_rejected(model: type[BaseModel]) -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        model.model_validate({"surprise": 1})


@pytest.mark.parametrize(
    ("text", "parts", "approximate", "end"),
    [
        ("1960-06-17", (1960, 6, 17), False, None),
        ("1961-03", (1961, 3), False, None),
        ("1955", (1955,), False, None),
        ("1955~", (1955,), True, None),
        ("1960-06/1961-03", (1960, 6), False, (1961, 3)),
    ],
)
def test_fuzzy_dates(text: str, parts: tuple[int, ...], approximate: bool, end: tuple[int, ...] | None) -> None:
    date = FuzzyDate.model_validate(text)
    assert date.parts() == parts
    assert date.approximate is approximate
    assert (date.end.parts() if date.end else None) == end
    assert date.edtf() == text
    assert FuzzyDate.model_validate(date.model_dump()) == date


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1961-02-31", "not a day of the calendar"),
        ("19600", "is not a date"),
        ("1961-13", "not between 1 and 12"),
        ("1962/1961", "must end after it starts"),
        ("June 1960", "is not a date"),
    ],
)
def test_bad_dates(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        FuzzyDate.model_validate(text)


def test_languages_from_names_and_codes() -> None:
    assert Language.model_validate("Russian") == Language(code="ru", name="Russian")
    assert Language.model_validate("ko").name == "Korean"
    assert Language.model_validate({"code": "zh-Hant"}).code == "zh-Hant"
    with pytest.raises(ValidationError, match="BCP 47"):
        Language(code="not a code")
    with pytest.raises(ValidationError, match="unknown language"):
        Language.model_validate("Xyzzy")


def test_person_name_parts() -> None:
    assert Person(name="Gary Goldberg").name_parts() == ("Goldberg", "Gary")
    assert Person(name="V. P. Tkachenko").name_parts() == ("Tkachenko", "V. P.")
    assert Person(name="Kim Il Sung", family="Kim", given="Il Sung").name_parts() == ("Kim", "Il Sung")


def test_document_checks_ids_and_speakers() -> None:
    with pytest.raises(ValidationError, match="not a record id"):
        Document(id="../../etc/passwd", title="x")
    with pytest.raises(ValidationError, match="two excerpts"):
        Document.model_validate(
            {"id": "a", "title": "t", "excerpts": [{"id": "p1", "title": "x"}, {"id": "p1", "title": "y"}]}
        )
    with pytest.raises(ValidationError, match="not in the document's people"):
        Document.model_validate({"id": "a", "title": "t", "excerpts": [{"id": "p1", "title": "x", "speakers": ["Z"]}]})


def test_shipped_schema_is_generated_from_the_models() -> None:
    expected = record_schema()
    assert json.loads((ROOT / "archcite" / "record.schema.json").read_text()) == expected
    assert json.loads((ROOT / "records" / "record.schema.json").read_text()) == expected


def test_schema_validates_the_shipped_records() -> None:
    import jsonschema
    from ruamel.yaml import YAML

    schema = record_schema()
    for path in sorted((ROOT / "records").glob("*.yaml")):
        data = YAML(typ="safe").load(path.read_text())
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
