"""CSL ``text-case`` on marked text, as citeproc-js applies it.

citeproc-py title-cases with a short stop-word list, capitalizes words after hyphens only
sometimes, ignores quotation marks and nocase spans inside words, and title-cases
non-English text when the style's locale is not English.  citeproc-js's rules, which the
CSL test suite encodes:

* Text is cut at "tags": markers (formatting, quotes, nocase), punctuation ``-–—/.,;?!:``
  and brackets; words are the whitespace-separated pieces between them.
* Nothing inside nocase (and small caps, superscript, subscript, nodecor) spans changes.
* title: a word longer than one letter is capitalized unless it is a stop word; the first
  word, a word after ``!``, ``?`` or ``:``, and the last word always are; letters already
  capitalized stay so (title case never lowercases).  Only for English items.
* sentence: the first word capitalized, every other word lowercased.
* capitalize-first / capitalize-all / lowercase / uppercase as named.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .richtext import NOCASE, NODECOR, SMALLCAPS, SUB, SUP

# citeproc-js's stop words (CSL.SKIP_WORDS): prepositions, articles, conjunctions, particles.
STOP_WORDS = frozenset(
    "about above across afore after against along alongside amid amidst among amongst anenst apropos apud "
    "around as aside astride at athwart atop barring before behind below beneath beside besides between "
    "beyond but by circa despite down during except for forenenst from given in inside into lest like "
    "modulo near next notwithstanding of off on onto out over per plus pro qua sans since than through "
    "throughout thruout till to toward towards under underneath until unto up upon versus vs. v. vs v via "
    "vis-à-vis with within without or yet so and nor a an the de d' von van c et ca".split()
)

_PROTECTING = {pair[0]: pair[1] for pair in (NOCASE, NODECOR, SMALLCAPS, SUP, SUB)}
_TAG = re.compile("([\ue000-\ue03f\\-–—/.,;?!:\\[\\]()‘’“”\"'])")
# An apostrophe inside a word before lower-case letters ("You’re", "Shafi’i") joins the word;
# before a capital ("d’Doe", "l’Égypte") it separates a particle, which is then a word.
_CONTRACTION = re.compile(r"(?<=\w)’(?=[^\W\d_])")
_JOINED = "\ue0ff"
_SPACE = re.compile("([\u0020\u00a0\u2000-\u200b\u205f\u3000]+)")


def capitalise(word: str) -> str:
    """Upper-case the first letter; a lone Greek letter stays (it is a symbol: β-carotene)."""
    stripped = word.lstrip()
    if not stripped:
        return word
    lead = word[: len(word) - len(stripped)]
    if len(stripped) == 1 and "\u0370" <= stripped <= "\u03ff":
        return word
    return lead + stripped[0].upper() + stripped[1:]


class _Case:
    """One text-case pass over the pieces of a text (strings between tags)."""

    def __init__(self, pieces: list[str], language: str) -> None:
        self.pieces = pieces
        self.language = language
        self.first = True
        self.after_punctuation = False
        self.last_word: tuple[int, int] | None = None

    def upper(self, word: str) -> str:
        if self.language.startswith(("tr", "az")):
            word = word.replace("i", "İ").replace("ı", "I")
        return word.upper()

    def lower(self, word: str) -> str:
        if self.language.startswith(("tr", "az")):
            word = word.replace("I", "ı").replace("İ", "i")
        return word.lower()

    def run(self, words: Callable[[int, list[str]], None]) -> str:
        protected: list[str] = []
        for index in range(0, len(self.pieces), 2):
            tag = self.pieces[index - 1] if index else ""
            if tag in _PROTECTING:
                protected.append(_PROTECTING[tag])
            elif protected and tag == protected[-1]:
                protected.pop()
            if tag in "!?:" and tag:
                self.after_punctuation = True
            text = self.pieces[index]
            if not protected:
                parts = _SPACE.split(text)
                words(index, parts)
                self.pieces[index] = "".join(parts)
            elif text.strip():
                self.last_word = None
            if text.strip():
                self.first = self.after_punctuation = False
        return "".join(self.pieces)


def _title(case: _Case) -> Callable[[int, list[str]], None]:
    def words(index: int, parts: list[str]) -> None:
        following = case.pieces[index + 1] if index + 1 < len(case.pieces) else ""
        last = max((j for j in range(0, len(parts), 2) if parts[j]), default=-1)
        for j in range(0, len(parts), 2):
            word = parts[j]
            if not word:
                continue
            if any(c.isupper() for c in word[1:]) and not word.isupper():
                pass  # a word with capitals inside ("iPad", "McDonald") is left as written
            elif (
                (len(word) > 1 and word.lower() not in STOP_WORDS)
                # citeproc-js also capitalizes a stop word before a hyphen, in the first piece only
                or (index == 0 and j == last and following == "-")
                or case.first
                or case.after_punctuation
            ):
                parts[j] = capitalise(word)
            case.first = case.after_punctuation = False
            case.last_word = (index, j)

    return words


def text_case(text: str, mode: str | None, language: str = "en") -> str:
    """Apply CSL text-case ``mode`` to marked ``text``; ``language`` is the item's (title case
    applies to English only)."""
    if not mode or not text:
        return text
    return _text_case(text, mode, language).replace(_JOINED, "’")


def _text_case(text: str, mode: str, language: str) -> str:
    if mode == "title" and not language.lower().startswith("en"):
        return text
    text = _CONTRACTION.sub(lambda m: _JOINED if text[m.end()].islower() else "’", text)
    case = _Case(_TAG.split(text), language.lower())

    def each(transform: Callable[[str], str]) -> Callable[[int, list[str]], None]:
        def words(index: int, parts: list[str]) -> None:
            for j in range(0, len(parts), 2):
                if parts[j]:
                    parts[j] = transform(parts[j])

        return words

    def first_only(rest: Callable[[str], str]) -> Callable[[int, list[str]], None]:
        def words(index: int, parts: list[str]) -> None:
            for j in range(0, len(parts), 2):
                if parts[j]:
                    parts[j] = capitalise(parts[j]) if case.first else rest(parts[j])
                    case.first = False

        return words

    if mode == "lowercase":
        return case.run(each(case.lower))
    if mode == "uppercase":
        return case.run(each(case.upper))
    if mode == "capitalize-all":
        return case.run(each(capitalise))
    if mode == "capitalize-first":
        return case.run(first_only(lambda word: word))
    if mode == "sentence":
        return case.run(first_only(case.lower))
    if mode == "title":
        result = case.run(_title(case))
        if case.last_word:
            index, j = case.last_word
            parts = _SPACE.split(case.pieces[index])
            if len(parts[j]) > 1 and not any(c.isupper() for c in parts[j][1:]):
                parts[j] = capitalise(parts[j])
                case.pieces[index] = "".join(parts)
                result = "".join(case.pieces)
        return result
    return text
