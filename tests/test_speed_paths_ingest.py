"""The fast paths of reading and citing give what the slow paths give.

archcite avoids work on its common paths (langcodes' data, modules a command does not
use); these tests check that the shortcuts answer exactly what the long way answers, and
that the shortcuts are taken.  No timing here: the benchmark measures speed.
"""

from __future__ import annotations

import subprocess
import sys

import langcodes
import pytest

from archcite.languages import NAMES, TAGS
from archcite.models import Language, _display_name, _language_from_langcodes, language_from_text

from conftest import ROOT


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
