"""Plain text <-> the LaTeX that BibTeX and BibLaTeX fields hold.

``to_latex`` makes text safe inside a braced field: LaTeX's special characters
become commands, so a value can neither close its field nor run a command
(``}``, ``\\input{...}``, ``%``, ``#``, a newline).  ``from_latex`` reads such
text back, and also the accents and symbol commands other tools write.

Braces are written as ``\\textbraceleft{}`` and ``\\textbraceright{}``, never
as ``\\{`` and ``\\}``: biber (btparse) and bibtex count every brace character,
even after a backslash, while bibtexparser counts none after one, so an
escaped brace that is unbalanced would end the field for one reader but not
for the other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters LaTeX gives a meaning to, and what stands for them.  Line breaks
# become spaces: a raw newline would let a line of the value start with "@",
# which bibtexparser takes for the start of a new entry.  Other control
# characters are dropped: LaTeX cannot typeset them.
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LINE_BREAKS = "\t\n\v\f\r\x85\u2028\u2029"
_ESCAPE = str.maketrans(
    {
        **_SPECIAL,
        **{ch: " " for ch in _LINE_BREAKS},
        **{chr(c): "" for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in _LINE_BREAKS},
    }
)

# Combining marks and the LaTeX accent commands that put them on a letter.
_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
    "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0323": "d",
    "\u0327": "c", "\u0328": "k", "\u0331": "b",
}  # fmt: skip
_MARK_OF = {command: mark for mark, command in _ACCENTS.items()}

# Letters and symbols with a LaTeX name of their own (text mode, T1/TS1 encodings).
_NAMED = {
    "textbackslash": "\\", "textbraceleft": "{", "textbraceright": "}", "textasciitilde": "~",
    "textasciicircum": "^", "textasciigrave": "`", "textunderscore": "_", "textdollar": "$", "textpercent": "%",
    "textampersand": "&", "textquotedbl": '"', "textbar": "|", "textless": "<", "textgreater": ">",
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å",
    "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ",
    "ng": "ŋ", "NG": "Ŋ", "textendash": "–", "textemdash": "—", "textquoteleft": "‘",
    "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”", "textellipsis": "…",
    "dots": "…", "ldots": "…", "guillemotleft": "«", "guillemotright": "»", "textsection": "§",
    "textdegree": "°", "textnumero": "№", "S": "§", "P": "¶", "copyright": "©", "pounds": "£",
}  # fmt: skip
# Commands that only style their argument: reading drops the command, keeps the text.
_STYLING = frozenset(
    "emph textit textbf textsc textsl textup textrm textsf texttt textnormal mkbibquote "
    "mkbibemph enquote url uppercase lowercase MakeUppercase MakeLowercase".split()
)


_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(_SPECIAL)) + "\x00-\x1f\x7f-\x9f\u2028\u2029]")


def to_latex(text: str, ascii: bool = False) -> str:
    """Text as a BibTeX field holds it.  Non-ASCII stays UTF-8 unless ``ascii``."""
    # Searching first is cheap; translating with a table of strings is not.
    latex = text.translate(_ESCAPE) if _NEEDS_ESCAPE.search(text) else text
    if "'" in latex or '"' in latex or "`" in latex:
        latex = _latex_quotes(latex)
    if ascii and not latex.isascii():
        latex = _NON_ASCII.sub(lambda m: _ascii_form(m.group()), latex)
    return latex


_NON_ASCII = re.compile(r"[^\x00-\x7f]")

# Straight quotes as LaTeX sets them.  LaTeX prints ' as a closing quote (’) and " as a
# straight mark, or, with babel's German, as a command: 'The Talks' came out ’The Talks’.
# An opening mark follows the start, a space, a bracket, a dash or another opening mark.
_QUOTE_MARK = re.compile("[\"'`]")
_OPENS_AFTER = frozenset(" \u00a0([“‘«\"'–—-/")


def _latex_quotes(text: str) -> str:
    """" -> `` or '', an opening ' that is closed later -> `, a literal ` -> a command
    (so that reading back cannot take it for a quote); an apostrophe stays '.  Two marks
    side by side get {} between them, or '' would read back as one double quote."""
    pieces: list[str] = []
    written = 0
    for match in _QUOTE_MARK.finditer(text):
        at = match.start()
        adjacent = at == written and bool(pieces) and pieces[-1][-1:] in ("'", "`")
        pieces.append(text[written:at])
        opening = at == 0 or text[at - 1] in _OPENS_AFTER
        char = match.group()
        if char == '"':
            mark = "``" if opening else "''"
        elif char == "`":
            mark = r"\textasciigrave{}"
        else:
            mark = "`" if opening and _closed_later(text, at) else "'"
        if adjacent and mark[0] in "'`":
            pieces.append("{}")
        pieces.append(mark)
        written = at + 1
    pieces.append(text[written:])
    return "".join(pieces)


def _closed_later(text: str, opening: int) -> bool:
    """Whether the single quote at ``opening`` opens a quotation: a word follows it, and a
    later ' ends one (one that a letter follows is an apostrophe: Ch'oe, Russia's)."""
    if opening + 1 >= len(text) or text[opening + 1].isspace():
        return False
    index = text.find("'", opening + 2)
    while index != -1:
        if not text[index - 1].isspace() and (index + 1 == len(text) or not text[index + 1].isalpha()):
            return True
        index = text.find("'", index + 1)
    return False


@lru_cache(maxsize=4096)
def _ascii_form(char: str) -> str:
    """One non-ASCII character as LaTeX: an accented ASCII letter, a named
    letter or symbol, else TeX's ``\\char"hex`` (which biber also decodes)."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    if (
        marks
        and base.isascii()
        and base.isalpha()
        and all(m in _ACCENTS for m in marks)
        and unicodedata.normalize("NFC", decomposed) == char
    ):
        latex = base
        for mark in marks:
            latex = f"\\{_ACCENTS[mark]}{{{latex}}}"
        return latex
    name = _name_of().get(char)
    if name:
        return f"{{\\{name}}}"
    return f'{{\\char"{ord(char):X}}}'


@lru_cache(maxsize=1)
def _name_of() -> dict[str, str]:
    """Character -> LaTeX command name, for the characters that have one."""
    names: dict[str, str] = {}
    for name, char in _NAMED.items():
        names.setdefault(char, name)
    names.update({char: name for name, char in _pylatexenc_names().items() if char not in names})
    return names


@lru_cache(maxsize=1)
def _pylatexenc_names() -> dict[str, str]:
    """pylatexenc's table of LaTeX names for Unicode characters (Cyrillic under
    the T2A encoding, typographic symbols, ...), restricted to plain commands
    that name exactly one character, so that reading them back is exact.

    pylatexenc comes with bibtexparser; its table spares us keeping a copy of
    a few hundred LaTeX names.  Without it, those characters are written as
    ``\\char"hex``, which is still correct."""
    try:
        from pylatexenc.latexencode._uni2latexmap import uni2latex  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - a pylatexenc without the table
        return {}
    found: dict[str, list[str]] = {}
    for codepoint, latex in uni2latex.items():
        match = re.fullmatch(r"\\([A-Za-z]+)", latex)
        if codepoint > 0x7F and match:
            found.setdefault(match.group(1), []).append(chr(codepoint))
    return {name: chars[0] for name, chars in found.items() if len(chars) == 1 and name not in _NAMED}


# --- reading --------------------------------------------------------------------

_NEEDS_DECODING = re.compile(r"[\\{}~\n`]|''")
_ACCENT = re.compile(
    r"""\\(?P<cmd>[`'^"~=.]|[uvHcdbkr](?=[\s{]))\s*
        (?:\{(?P<arg>\\[ij]|[^\W\d_])\}|(?P<bare>\\[ij](?![A-Za-z])|[^\W\d_]))""",
    re.VERBOSE,
)
_TOKEN = re.compile(
    r"""\\char"(?P<hex>[0-9A-Fa-f]{1,6})
      | \\char'(?P<oct>[0-7]{1,8})
      | \\char(?P<dec>[0-9]{1,7})
      | \\(?P<escaped>[&%$\#_{}\\ ,;:!/])
      | \\(?P<name>[A-Za-z]+)(?:\s*\{\}|[ \t]*)  # TeX drops the spaces after a command word
      | (?P<brace>[{}])
      | (?P<tie>~)
      | (?P<newline>[ \t\r]*\n\s*)
      | (?P<double_quote>``|'')  # LaTeX's quotes: to_latex writes them for straight ones
      | (?P<single_quote>`)
    """,
    re.VERBOSE,
)


def from_latex(latex: str) -> str:
    """The text a BibTeX field's LaTeX stands for: accents and named symbols
    decoded, grouping braces removed, line breaks of the file made spaces."""
    if not _NEEDS_DECODING.search(latex):
        return latex
    # Accents first, innermost first: \^{\d{e}} needs two passes.
    for _ in range(4):
        decoded = _ACCENT.sub(_accent, latex)
        if decoded == latex:
            break
        latex = decoded
    return _TOKEN.sub(_token, latex)


def _accent(match: re.Match[str]) -> str:
    letter = match.group("arg") or match.group("bare")
    letter = {"\\i": "i", "\\j": "j"}.get(letter, letter)
    return unicodedata.normalize("NFC", letter + _MARK_OF[match.group("cmd")])


def _token(match: re.Match[str]) -> str:
    kind = match.lastgroup
    value = match.group(kind or 0)
    if kind in ("hex", "oct", "dec"):
        codepoint = int(value, {"hex": 16, "oct": 8, "dec": 10}[kind])
        char = chr(codepoint) if codepoint <= 0x10FFFF else ""
        # Control characters and lone surrogates are no text: keep the command as written.
        return char if char and unicodedata.category(char) not in ("Cc", "Cs") else match.group()
    if kind == "escaped":
        # "\\" is a line break, "\ " and "\," are spaces in LaTeX.
        return value if value in "&%$#_{}" else " " if value in "\\ ," else ""
    if kind == "name":
        if value in _NAMED:
            return _NAMED[value]
        if value in _STYLING:
            return ""
        return _pylatexenc_names().get(value, match.group())
    if kind == "brace":
        return ""
    if kind == "double_quote":
        return '"'
    if kind == "single_quote":
        return "'"
    return " "  # a tie or a line break of the file
