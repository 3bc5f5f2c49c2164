"""Rendered citations from HTML into the markup a manuscript needs: text, Markdown, HTML, RTF.

The renderer produces citeproc-js's HTML subset (``<i>``, ``<b>``, ``<sup>``, ``<sub>``,
spans for small caps, underline and the "normal" styles that undo an enclosing one,
``csl-*`` divs for the style's ``display``, entities).  Each converter walks the same
tokens, so the four outputs cannot disagree about where italics begin and end.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator, Sequence

from .errors import FormatError

MARKUPS = ("text", "markdown", "html", "rtf")

_TOKEN = re.compile(r"<(/?)(i|b|u|l|sup|sub|span|div)\b([^>]*)>")
# The style each tag stands for.
_STYLE = {"i": "italic", "b": "bold", "u": "underline", "l": "light", "sup": "sup", "sub": "sub"}
# What a span's style attribute stands for ("roman" and "upright" undo italics and bold).
_SPAN_STYLES = (
    ("font-style:normal", "roman"), ("font-weight:normal", "upright"), ("font-variant:normal", "nocaps"),
    ("small-caps", "smallcaps"), ("underline", "underline"),
)  # fmt: skip


def _tokens(html: str) -> Iterator[tuple[str, str]]:
    """('text', str) | ('open', style) | ('close', style)."""
    stack: list[str] = []
    position = 0
    for match in _TOKEN.finditer(html):
        if match.start() > position:
            yield "text", html_lib.unescape(html[position : match.start()])
        position = match.end()
        closing, tag, attributes = match.groups()
        if closing:
            if stack:
                yield "close", stack.pop()
            continue
        if tag == "span":
            compact = attributes.replace(" ", "")
            style = next((name for css, name in _SPAN_STYLES if css in compact), "plain")
        elif tag == "div":
            # display="left-margin" and friends: a space keeps "[1]" apart from the entry
            style = "margin" if "left-margin" in attributes else "block"
        else:
            style = _STYLE[tag]
        stack.append(style)
        yield "open", style
    if position < len(html):
        yield "text", html_lib.unescape(html[position:])


def convert(html: str, markup: str) -> str:
    if markup == "html":
        return html
    if markup == "text":
        return "".join(value if kind == "text" else " " if (kind, value) == ("close", "margin") else "" for kind, value in _tokens(html))
    if markup == "markdown":
        return to_markdown(html)
    if markup == "rtf":
        return to_rtf(html)
    raise FormatError(f"unknown markup {markup!r}; choose one of: {', '.join(MARKUPS)}")


# --- Markdown ----------------------------------------------------------------------

# What CommonMark and pandoc's markdown read as markup anywhere in a line: backslash escapes,
# code spans, emphasis, raw HTML and autolinks (<), entity references (&lt;), and pandoc's
# citations (@key), inline notes and superscripts (^), subscripts and strikeouts (~), TeX math
# ($) and table cells (|).  An underscore inside a word is no emphasis in either, so it stays.
# Both read a backslash before any ASCII punctuation as that character (CommonMark 2.4;
# pandoc's all_symbols_escapable).
_MD_ESCAPE = re.compile(r"([\\`*<@^~$|])|(?<!\w)_|_(?!\w)|&(?=#?\w+;)")
# A closing bracket opens a link's target, a reference, a span's attributes or a link
# definition only when one of ([{: follows at once; a bracket followed by anything else is
# text ("[The Korean Peninsula] (Moscow" is no link), so a translated title stays readable.
# The lookbehind skips a bracket already escaped: backslashes in the text come doubled.
_MD_LINK_BRACKET = re.compile(r"(?<!\\)((?:\\\\)*)\](?=[(\[{:])")
# What starts a block when it begins a line: a heading, block quote, list item, setext
# underline, fenced div, definition, link definition or table row.
_MD_LINE_START = re.compile(r"^( {0,3})(?:([#>+\-=:\[])|(\d+)([.)]))", re.MULTILINE)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker, number, delimiter = match.groups()
    return f"{indent}\\{marker}" if marker else f"{indent}{number}\\{delimiter}"


def _runs(html: str) -> list[tuple[str, bool, bool]]:
    """(text, italic, bold) runs, with roman spans inside italics already resolved."""
    runs: list[tuple[str, bool, bool]] = []
    stack: list[str] = []
    for kind, value in _tokens(html):
        if kind == "open":
            stack.append(value)
        elif kind == "close":
            if value in stack:
                del stack[len(stack) - 1 - stack[::-1].index(value)]
        else:
            slants = [s for s in stack if s in ("italic", "roman")]
            weights = [s for s in stack if s in ("bold", "upright")]
            italic = bool(slants) and slants[-1] == "italic"
            bold = bool(weights) and weights[-1] == "bold"
            if runs and runs[-1][1:] == (italic, bold):
                runs[-1] = (runs[-1][0] + value, italic, bold)
            else:
                runs.append((value, italic, bold))
    return runs


def to_markdown(html: str) -> str:
    """Italics as *…*, bold as **…**.  Emphasis markers must touch the words they wrap,
    so spaces at the edges of a styled run stay outside the markers."""
    out: list[str] = []
    for text, italic, bold in _runs(html):
        escaped = _MD_ESCAPE.sub(lambda m: "\\" + m.group(), text)
        marker = ("*" if italic else "") + ("**" if bold else "")
        core = escaped.strip(" ")
        if not marker or not core:
            out.append(escaped)
            continue
        lead = escaped[: len(escaped) - len(escaped.lstrip(" "))]
        trail = escaped[len(escaped.rstrip(" ")) :]
        out.append(f"{lead}{marker}{core}{marker[::-1]}{trail}")
    # Brackets and line starts are markup only by what surrounds them, which may lie in the
    # next run: they are escaped in the whole text, whose only markup is ours (*).
    text = _MD_LINK_BRACKET.sub(lambda m: m.group(1) + "\\]", "".join(out))
    return _MD_LINE_START.sub(_escape_line_start, text)


# --- RTF ---------------------------------------------------------------------------

_RTF_CONTROL = {"italic": r"\i", "bold": r"\b", "underline": r"\ul", "smallcaps": r"\scaps", "sup": r"\super", "sub": r"\sub"}


def rtf_escape(text: str) -> str:
    """Escape RTF's specials; everything outside ASCII as \\uN? (UTF-16 units, signed)."""
    out: list[str] = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\line ")
        elif " " <= char <= "~":
            out.append(char)
        elif ord(char) < 32:
            continue
        else:
            data = char.encode("utf-16-le")
            for i in range(0, len(data), 2):
                unit = int.from_bytes(data[i : i + 2], "little", signed=True)
                out.append(f"\\u{unit}\\'3f")
    return "".join(out)


def to_rtf(html: str) -> str:
    """An RTF fragment: groups for styled runs ({\\i …}); roman inside italics is {\\i0 …}."""
    out: list[str] = []
    for kind, value in _tokens(html):
        if kind == "text":
            out.append(rtf_escape(value))
        elif kind == "open":
            control = {"roman": r"\i0", "upright": r"\b0", "nocaps": r"\scaps0"}.get(value) or _RTF_CONTROL.get(value, "")
            out.append("{" + control + " ")
        else:
            out.append("}")
    return "".join(out)


def rtf_document(fragments: Sequence[str], hanging_indent: bool = False) -> str:
    """A complete RTF document, one paragraph per fragment, for pasting into a word processor."""
    indent = r"\fi-720\li720" if hanging_indent else ""
    body = "\n".join(rf"{{\pard\plain\f0\fs24{indent} {fragment}\par}}" for fragment in fragments)
    return "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1{\\fonttbl{\\f0\\froman Times New Roman;}}\n" + body + "\n}\n"
