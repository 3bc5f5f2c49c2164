"""Rich text as private-use marker characters, and the final pass to citeproc-js's HTML.

citeproc-py builds its output by concatenating strings.  archcite has it write formatting
(from the style and from markup in the data) as pairs of marker characters, and element
boundaries as ``SEAM``.  The marked string survives citeproc-py's string handling intact;
``finish`` then does what needs the whole output at once, as citeproc-js does:

1. at each seam, merge the punctuation the two sides bring (``"Title?" + "."`` -> ``Title?``)
   and move periods and commas inside closing quotation marks (punctuation-in-quote);
2. give each quotation its level (outer “…”, inner ‘…’, alternating when nested);
3. flip nested formatting (italic inside italic is roman) and write the HTML; italics
   around Chinese, Japanese or Korean text alone are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# --- the marker alphabet: (open, close) pairs -----------------------------------
ITALIC = ("\ue000", "\ue001")
BOLD = ("\ue002", "\ue003")
SUP = ("\ue004", "\ue005")
SUB = ("\ue006", "\ue007")
SMALLCAPS = ("\ue008", "\ue009")
UNDERLINE = ("\ue00a", "\ue00b")
NOCASE = ("\ue00c", "\ue00d")  # text-case leaves it alone
NODECOR = ("\ue00e", "\ue00f")  # resets italic, bold and small caps
QUOTE = ("\ue010", "\ue011")  # a quotation: outer marks unless nested
# "\ue012", "\ue013": used by archcite.render's legacy quote helpers
INNER_QUOTE = ("\ue014", "\ue015")  # a quotation written with inner marks (‘…’): inner unless nested
ROMAN = ("\ue016", "\ue017")  # font-style="normal": shows only inside italics
NORMAL_WEIGHT = ("\ue018", "\ue019")
NORMAL_VARIANT = ("\ue01a", "\ue01b")
BASELINE = ("\ue01c", "\ue01d")
SEAM = "\ue01f"  # a boundary between two rendered elements (or an affix and its element)
BLOCK = ("\ue030", "\ue031")  # display="block" and friends
LEFT_MARGIN = ("\ue032", "\ue033")
RIGHT_INLINE = ("\ue034", "\ue035")
INDENT = ("\ue036", "\ue037")
TERM = ("\ue038", "\ue039")  # a term: capitalized when it opens a note (Ibid.)
NAMES = ("\ue03a", "\ue03b")  # the output of a cs:names (subsequent-author-substitute)
NAME = ("\ue03c", "\ue03d")  # one name in it
YEAR_SUFFIX = ("\ue03e", "\ue03f")  # a year-suffix (citation collapsing)

PAIRS = (ITALIC, BOLD, SUP, SUB, SMALLCAPS, UNDERLINE, NOCASE, NODECOR, QUOTE, INNER_QUOTE,
         ROMAN, NORMAL_WEIGHT, NORMAL_VARIANT, BASELINE, BLOCK, LEFT_MARGIN, RIGHT_INLINE, INDENT,
         TERM, NAMES, NAME, YEAR_SUFFIX)  # fmt: skip
OPENERS = {pair[0]: pair for pair in PAIRS}
CLOSERS = {pair[1]: pair for pair in PAIRS}
MARKER = re.compile("[\ue000-\ue03f]")
DISPLAY = {"block": BLOCK, "left-margin": LEFT_MARGIN, "right-inline": RIGHT_INLINE, "indent": INDENT}


def plain(text: str) -> str:
    """The text without any markers."""
    return MARKER.sub("", text)


def wrap(pair: tuple[str, str], text: str) -> str:
    return pair[0] + text + pair[1]


# --- markup and quotes in data (CSL-JSON rich text) ---------------------------------

_MARKUP = re.compile(
    r"<(/?)(i|b|sc|sup|sub|em|strong)>"
    r'|<span\s+class="(nocase|nodecor)"[^>]*>'
    r'|<span\s+style="font-variant:\s*small-caps;?"[^>]*>'
    r"|</span>"
    r"|[\"'“”‘’]",
    re.IGNORECASE,
)
_TAG_PAIRS = {"i": ITALIC, "em": ITALIC, "b": BOLD, "strong": BOLD, "sc": SMALLCAPS, "sup": SUP, "sub": SUB,
              "nocase": NOCASE, "nodecor": NODECOR, "smallcaps": SMALLCAPS}  # fmt: skip
_SPANS = ("nocase", "nodecor", "smallcaps")
_QUOTE_CLOSER = {'"': '"', "'": "'", "“": "”", "‘": "’"}


@dataclass
class _Token:
    start: int
    end: int
    kind: str  # a tag name, or the quote character
    opening: bool
    partner: _Token | None = None
    apostrophe: bool = False
    unwound: bool = False  # an opener a later closer skipped: it stays as written


def _may_hold_markup(text: str) -> bool:
    """Whether ``text`` holds a character that every ``_MARKUP`` match starts with: found by
    str's C search, which costs a fraction of the regex search over the whole text (most
    titles, names and archives hold none)."""
    if "<" in text or '"' in text or "'" in text:
        return True
    return not text.isascii() and ("“" in text or "”" in text or "‘" in text or "’" in text)


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _MARKUP.finditer(text):
        token = match.group()
        if match.group(2):
            tokens.append(_Token(match.start(), match.end(), match.group(2).lower(), not match.group(1)))
        elif match.group(3):
            tokens.append(_Token(match.start(), match.end(), match.group(3).lower(), True))
        elif token.lower().startswith("<span"):
            tokens.append(_Token(match.start(), match.end(), "smallcaps", True))
        elif token.lower() == "</span>":
            tokens.append(_Token(match.start(), match.end(), "span", False))
        else:
            tokens.append(_quote_token(text, match.start(), token, tokens))
    return tokens


def _quote_token(text: str, at: int, char: str, before: list[_Token]) -> _Token:
    """A quote character opens after a space, a bracket or an opening tag, and closes otherwise;
    a straight single quote inside a word (Russia's, '09) is an apostrophe."""
    previous = text[at - 1] if at else " "
    following = text[at + 1] if at + 1 < len(text) else ""
    after_tag = bool(before) and before[-1].end == at and before[-1].opening and before[-1].kind not in "\"'“‘"
    if char in "\"'":
        opening = previous.isspace() or previous in "([" or after_tag
    else:
        opening = char in "“‘"
    token = _Token(at, at + 1, char if opening or char in "\"'" else {"”": "“", "’": "‘"}[char], opening)
    if char == "'" and not opening and following and following not in ".?:;,!)] \"'" and not following.isspace() and following != "<":
        token.apostrophe = True  # Russia's
    elif char == "'" and opening and (not following or following.isspace()):
        token.apostrophe = True  # a lone quote before a space
    elif char == "’" and previous.isalnum() and following.isalnum():
        token.apostrophe = True  # Russia’s
    return token


def _matches(opener: _Token, closer: _Token) -> bool:
    if closer.kind == "span":
        return opener.kind in _SPANS
    return opener.kind == closer.kind


def _pair(tokens: list[_Token]) -> None:
    """Pair openers with closers as citeproc-js does: a closer that does not match the
    innermost open tag unwinds it (it stays literal text) until one matches."""
    stack: list[_Token] = []
    for token in tokens:
        if token.apostrophe:
            continue
        if token.opening:
            stack.append(token)
            continue
        if any(_matches(opener, token) for opener in stack):
            while not _matches(stack[-1], token):
                stack.pop().unwound = True
            opener = stack.pop()
            opener.partner, token.partner = token, opener
        elif token.kind == "'":
            token.apostrophe = True  # a closing single quote with nothing open: an apostrophe
        else:
            for opener in stack:
                opener.unwound = True
            stack.clear()


def parse_markup(text: str) -> str:
    """CSL-JSON rich text (``<i>``, ``<b>``, ``<sc>``, ``<sup>``, ``<sub>``, nocase/nodecor/small-caps
    spans, quotation marks) -> marker characters.  Unpaired tags and quotes stay literal text
    (a straight single quote becomes an apostrophe, ’)."""
    if not _may_hold_markup(text) or not _MARKUP.search(text):
        return text
    tokens = _tokens(text)
    _pair(tokens)
    # The first straight quotation's marks are the outer ones (citeproc-js's rule).
    straight = [t.kind for t in tokens if t.partner and t.opening and t.kind in "\"'"]
    outer = straight[0] if straight else '"'
    out: list[str] = []
    position = 0
    for token in tokens:
        out.append(text[position : token.start])
        position = token.end
        literal = text[token.start : token.end]
        if token.apostrophe or (token.partner is None and literal == "'" and not token.unwound):
            out.append("’")
        elif token.partner is None:
            out.append(literal)
        elif token.kind in "\"'“‘":
            pair = QUOTE if token.kind in (outer, "“") else INNER_QUOTE
            out.append(pair[0] if token.opening else pair[1])
        else:
            pair = _TAG_PAIRS[token.kind if token.kind != "span" else token.partner.kind]
            out.append(pair[0] if token.opening else pair[1])
    out.append(text[position:])
    return "".join(out)


_UNPARSE = {ITALIC: ("<i>", "</i>"), BOLD: ("<b>", "</b>"), SUP: ("<sup>", "</sup>"), SUB: ("<sub>", "</sub>"),
            SMALLCAPS: ("<sc>", "</sc>"), NOCASE: ('<span class="nocase">', "</span>"),
            NODECOR: ('<span class="nodecor">', "</span>"), QUOTE: ('"', '"'), INNER_QUOTE: ("'", "'")}  # fmt: skip
_UNPARSE_CHARS = {marker: tags[i] for pair, tags in _UNPARSE.items() for i, marker in enumerate(pair)}


def unparse(text: str) -> str:
    """Markers from the data back to the markup they were read from (for fields shown verbatim)."""
    return MARKER.sub(lambda m: _UNPARSE_CHARS.get(m.group(), ""), text)


# --- the final pass -------------------------------------------------------------------

PUNCTUATION = ".,;:!?"
_INSIDE_QUOTES = ".,!?"  # what punctuation-in-quote moves inside


def merge_punctuation(left: str, right: str) -> str:
    """Which of two punctuation marks meeting at an element boundary survive: 'left', 'right'
    or 'both' (citeproc-js: ".." -> ".", ";." -> ";", ":!" -> "!", ".;" -> ".;")."""
    if left == right:
        return "left"
    if right in ".:" and left in ":;!?":
        return "left"
    if right in "!?" and left in ":;":
        return "right"
    return "both"


@dataclass(frozen=True)
class Quotes:
    """The locale's quotation marks and punctuation-in-quote option."""

    open: str = "“"
    close: str = "”"
    open_inner: str = "‘"
    close_inner: str = "’"
    punctuation_inside: bool = True

    def hold_markup(self) -> bool:
        """Whether a mark holds what HTML reads as markup ("&", "<"): ``to_text`` cannot
        stand in for the HTML converted to text then."""
        return any("&" in mark or "<" in mark for mark in (self.open, self.close, self.open_inner, self.close_inner))


_MARKER_SPLIT = re.compile("([\ue000-\ue03f])")
_MARKER_CHARS = frozenset(chr(code) for code in range(0xE000, 0xE040))
_MERGING = frozenset(PUNCTUATION + " ")  # a text starting with one of these may merge with the text before
_MOVING = re.compile(f"[{re.escape(_INSIDE_QUOTES)}]+")


def resolve_seams(marked: str, punctuation_inside: bool) -> list[str]:
    """Marked output as text and marker tokens, with punctuation and spaces merged across
    element boundaries, periods and commas moved into closing quotation marks when the
    locale wants it, and the seams dropped.  One pass: the text before a boundary is the
    last text token kept so far."""
    out: list[str] = []
    last_text: list[int] = []  # indexes in ``out`` of the text tokens, the last one last
    # Seams in a row are one boundary (affixes and delimiters that are empty leave them),
    # so the pieces between seams are walked, not the seams.  Splitting at seams is done in
    # C and most pieces are plain ASCII text; a regex split of the whole string was a third
    # of this pass's cost.
    for piece in filter(None, marked.split(SEAM)):
        if piece.isascii():
            # No markers in it: one text token right after a seam (the loop below, for the
            # common case, without its marker checks)
            if last_text:
                if piece[0] in _MERGING:
                    piece = _merge(out, last_text, piece)
                if punctuation_inside and piece and piece[0] in _INSIDE_QUOTES:
                    piece = _move_inside_quotes(out, last_text, piece)
            if piece:
                out.append(piece)
                last_text.append(len(out) - 1)
            continue
        boundary = True  # (before the first piece too: no text before it to merge with)
        opened = False  # a marker opened since the seam
        for token in filter(None, _MARKER_SPLIT.split(piece)) if len(piece) > 1 else (piece,):
            if token in _MARKER_CHARS:
                opened = opened or (boundary and token in OPENERS)
                out.append(token)
                continue
            if boundary and last_text:
                if token[0] in _MERGING:  # (only spaces and punctuation merge)
                    token = _merge(out, last_text, token)
                if punctuation_inside and token and not opened and token[0] in _INSIDE_QUOTES:
                    token = _move_inside_quotes(out, last_text, token)
            boundary = False
            if token:
                out.append(token)
                last_text.append(len(out) - 1)
    # (a merge may have emptied a text before: rare, so looked for in C first)
    return [t for t in out if t] if "" in out else out


def _merge(out: list[str], last_text: list[int], token: str) -> str:
    """The punctuation and spaces meeting at a boundary, merged; returns the right side."""
    left = out[last_text[-1]]
    lc, rc = left[-1], token[0]
    if lc == " " and rc == " ":
        return token[1:]
    if lc in PUNCTUATION and rc in PUNCTUATION:
        survivor = merge_punctuation(lc, rc)
        if survivor == "left":
            return token[1:]
        if survivor == "right":
            out[last_text[-1]] = left[:-1]
            if not out[last_text[-1]]:
                last_text.pop()
    return token


def _move_inside_quotes(out: list[str], last_text: list[int], token: str) -> str:
    """Periods, commas, ! and ? after closing quotation marks go inside them (before the
    first of the closing marks); returns what is left of the token."""
    if out[-1] and out[-1] not in CLOSERS:
        return token  # the common case, decided before the regex: no closing marks before it
    moving = _MOVING.match(token)
    if not moving:
        return token
    first_quote = None
    index = len(out) - 1
    while index >= 0 and (not out[index] or out[index] in CLOSERS):
        if out[index] in (QUOTE[1], INNER_QUOTE[1]):
            first_quote = index
        index -= 1
    if first_quote is None:
        return token
    out.insert(first_quote, moving.group())
    last_text.append(first_quote)
    return token[moving.end() :]


_HTML_OPEN = {ITALIC: "<i>", BOLD: "<b>", SUP: "<sup>", SUB: "<sub>",
              SMALLCAPS: '<span style="font-variant:small-caps;">',
              UNDERLINE: '<span style="text-decoration:underline;">', BASELINE: '<span style="baseline">',
              BLOCK: '<div class="csl-block">', LEFT_MARGIN: '<div class="csl-left-margin">',
              RIGHT_INLINE: '<div class="csl-right-inline">', INDENT: '<div class="csl-indent">'}  # fmt: skip
_HTML_CLOSE = {pair: ("</" + tag[1:].split(">")[0].split()[0] + ">") for pair, tag in _HTML_OPEN.items()}
_NORMAL = {"italic": '<span style="font-style:normal;">', "bold": '<span style="font-weight:normal;">',
           "smallcaps": '<span style="font-variant:normal;">'}  # fmt: skip
# Which state each flip-flopping pair turns on, and the "normal" pair that turns it off.
_FLIPS = {ITALIC: "italic", BOLD: "bold", SMALLCAPS: "smallcaps"}
_NORMALS = {ROMAN: "italic", NORMAL_WEIGHT: "bold", NORMAL_VARIANT: "smallcaps"}


@dataclass
class _State:
    on: set[str] = field(default_factory=set)
    quote: str | None = None  # "outer" or "inner"


_SPACED_PUNCTUATION = re.compile(r" ([:;!?»])|(«) ")


def narrow_spaces(text: str) -> str:
    """A space before : ; ! ? » or after « becomes a narrow no-break space (U+202F), as
    citeproc-js does in data ("Khrushchev : a life", French « quotes »)."""
    if " " not in text or not (" :" in text or " ;" in text or " !" in text or " ?" in text or (not text.isascii() and (" »" in text or "« " in text))):
        return text  # (str's C search: the regex's own search costs several times more)
    return _SPACED_PUNCTUATION.sub(lambda m: f"\u202f{m.group(1)}" if m.group(1) else f"{m.group(2)}\u202f", text)


def escape(text: str, superscripts: bool = True) -> str:
    """Escape as citeproc-js does (&#38; &#60; &#62;); superscript characters become <sup>
    (HTML only: text output keeps "ª")."""
    text = text.replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")
    if text.isascii() or not superscripts:
        return text
    return SUPERSCRIPT_CANDIDATES.sub(lambda m: _superscript(m.group()), text)


# Superscript letters Unicode does not decompose as <super>, which citeproc-js also lists.
_SUPERSCRIPTS = {"ˀ": "ʔ", "ˁ": "ʕ", "ۥ": "و", "ۦ": "ي"}
# The blocks where Unicode has superscript characters (a test checks that every character
# decomposed as <super> in this Python's Unicode data is inside): only these are looked up.
SUPERSCRIPT_CANDIDATES = re.compile(
    "[\u00aa\u00b2\u00b3\u00b9\u00ba\u02b0-\u02ff\u06e5\u06e6\u10fc\u1d2c-\u1dbf\u2070-\u209f"
    "\u2120-\u2122\u2c7d\u2d6f\u3192-\u319f\ua69c\ua69d\ua770\ua7f0-\ua7ff\uab5c-\uab6f"
    "\U00010780-\U000107bf\U0001e030-\U0001e08f\U0001f16a-\U0001f16c]"
)


def _superscript(char: str) -> str:
    if char in _SUPERSCRIPTS:
        return f"<sup>{_SUPERSCRIPTS[char]}</sup>"
    decomposition = unicodedata.decomposition(char)
    if decomposition.startswith("<super> "):
        return "<sup>" + "".join(chr(int(code, 16)) for code in decomposition.split()[1:]) + "</sup>"
    return char


def to_html(tokens: list[str], quotes: Quotes, escape_text: bool = True, superscripts: bool = True) -> str:
    """Marked tokens -> HTML: nested italics (bold, small caps) flip to normal, quotations take
    outer or inner marks by nesting, everything else maps to citeproc-js's tags."""
    out: list[str] = []
    state = _State()
    stack: list[tuple[str, str, _State]] = []  # (closer marker, closing HTML, state before)
    upright = _upright_spans(tokens) if ITALIC[0] in tokens else set()
    for index, token in enumerate(tokens):
        if token in OPENERS:
            pair = OPENERS[token]
            before = _State(set(state.on), state.quote)
            if index in upright and "italic" not in state.on:
                opening, closing = "", ""  # CJK text stays upright
            else:
                opening, closing = _open(pair, state, quotes)
            out.append(opening)
            stack.append((pair[1], closing, before))
        elif token in CLOSERS:
            if not any(entry[0] == token for entry in stack):
                continue
            while stack:
                closer, closing, before = stack.pop()
                out.append(closing)
                state = before
                if closer == token:
                    break
        elif escape_text and not (token.isascii() and "&" not in token and "<" not in token and ">" not in token):
            out.append(escape(token, superscripts))
        else:
            out.append(token)
    while stack:
        out.append(stack.pop()[1])
    return "".join(out)


def to_text(tokens: list[str], quotes: Quotes) -> str:
    """Marked tokens -> plain text: what ``archcite.markup.convert`` makes of ``to_html``'s
    output (the text, quotation marks by nesting, a space after a left-margin block),
    without writing and reading back the HTML, which was a third of the cost of the final
    pass.  For quotation marks that ``Quotes.hold_markup`` accepts."""
    out: list[str] = []
    level: str | None = None  # the quotation open: "outer", "inner" or None
    closers: list[str] = []  # the closing markers of the pairs open, the innermost last
    closings: list[tuple[str, str | None]] = []  # for each: its closing text, the level before it
    for token in tokens:
        pair = OPENERS.get(token)
        if pair is not None:
            closing = ""
            before = level
            if pair is QUOTE or pair is INNER_QUOTE:
                if level:
                    level = "inner" if level == "outer" else "outer"
                else:
                    level = "outer" if pair is QUOTE else "inner"
                out.append(quotes.open if level == "outer" else quotes.open_inner)
                closing = quotes.close if level == "outer" else quotes.close_inner
            elif pair is LEFT_MARGIN:
                closing = " "  # (markup.convert's text: the margin stays apart from the entry)
            closers.append(pair[1])
            closings.append((closing, before))
        elif token in CLOSERS:
            if token not in closers:
                continue
            while True:
                closer = closers.pop()
                closing, level = closings.pop()
                out.append(closing)
                if closer == token:
                    break
        else:
            out.append(token)
    while closings:
        out.append(closings.pop()[0])
    return "".join(out)


def finish_text(marked: str, quotes: Quotes = Quotes()) -> str:
    """Marked output -> plain text: ``finish``'s HTML as ``archcite.markup`` turns it into text."""
    tokens = _trim_end(resolve_seams(marked, quotes.punctuation_inside))
    return to_text(_drop_empty_pairs(tokens), quotes)


def _open(pair: tuple[str, str], state: _State, quotes: Quotes) -> tuple[str, str]:
    """The HTML that opens and closes ``pair`` in ``state``, which it updates."""
    if pair in _FLIPS:
        name = _FLIPS[pair]
        if name in state.on:
            state.on.discard(name)
            return _NORMAL[name], "</span>"
        state.on.add(name)
        return _HTML_OPEN[pair], _HTML_CLOSE[pair]
    if pair in _NORMALS:
        name = _NORMALS[pair]
        if name in state.on:
            state.on.discard(name)
            return _NORMAL[name], "</span>"
        return "", ""
    if pair == NODECOR:
        reset = [name for name in ("italic", "smallcaps", "bold") if name in state.on]
        state.on.clear()
        return "".join(_NORMAL[name] for name in reset), "</span>" * len(reset)
    if pair in (QUOTE, INNER_QUOTE):
        if state.quote:
            level = "inner" if state.quote == "outer" else "outer"
        else:
            level = "outer" if pair == QUOTE else "inner"
        state.quote = level
        return (quotes.open, quotes.close) if level == "outer" else (quotes.open_inner, quotes.close_inner)
    if pair in (NOCASE, TERM, NAMES, NAME, YEAR_SUFFIX):
        return "", ""
    return _HTML_OPEN[pair], _HTML_CLOSE[pair]


def _drop_empty_pairs(tokens: list[str]) -> list[str]:
    """An opening marker right before its own closer formats nothing: drop both."""
    out: list[str] = []
    for token in tokens:
        if token in CLOSERS and out and out[-1] == CLOSERS[token][0]:
            out.pop()
        else:
            out.append(token)
    return out


# Letters of scripts that italics suit (Latin, Greek, Cyrillic, Hebrew, Arabic, Thai), digits.
_SLANTABLE = re.compile("[0-9a-zA-Z\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u06ff\u0e01-\u0e5b\u1e00-\u1fff]")


def _upright_spans(tokens: list[str]) -> set[int]:
    """Where italics open around plain text with no letter that takes them (Chinese,
    Japanese, Korean alone): citeproc-js leaves such text upright."""
    found = set()
    for start, token in enumerate(tokens):
        if token != ITALIC[0]:
            continue
        end = start + 1
        while end < len(tokens) and tokens[end] not in (ITALIC[0], ITALIC[1]):
            end += 1
        if end == len(tokens) or tokens[end] != ITALIC[1]:
            continue
        inside = tokens[start + 1 : end]
        if _SLANTABLE.search("".join(inside)):
            continue  # the common case, found first (markers are not letters)
        if any(MARKER.fullmatch(t[:1]) and t not in QUOTE + INNER_QUOTE for t in inside):
            continue
        text = "".join(t for t in inside if not MARKER.fullmatch(t[:1]))
        if text.strip() and not _SLANTABLE.search(text):
            found.add(start)
    return found


def _trim_end(tokens: list[str]) -> list[str]:
    """No trailing space at the end of a cite or entry (an affix's space with nothing after)."""
    for index in range(len(tokens) - 1, -1, -1):
        if not MARKER.fullmatch(tokens[index][:1]):
            tokens[index] = tokens[index].rstrip(" ")
            if tokens[index]:
                break
    return tokens


def finish(marked: str, quotes: Quotes = Quotes(), superscripts: bool = True) -> str:
    """Marked output -> HTML, as citeproc-js prints it (``superscripts``: "ª" as <sup>a</sup>,
    for HTML output)."""
    tokens = _trim_end(resolve_seams(marked, quotes.punctuation_inside))
    return to_html(_drop_empty_pairs(tokens), quotes, superscripts=superscripts)


def first_names(marked: str) -> tuple[int, int, list[str]] | None:
    """Where the first cs:names output of ``marked`` starts and ends, and its names."""
    start = marked.find(NAMES[0])
    if start < 0:
        return None
    end = marked.find(NAMES[1], start)
    inside = marked[start:end]
    names = re.findall(f"{NAME[0]}(.*?){NAME[1]}", inside, re.S)
    return start, end + 1, names


def replace_names(names_text: str, previous: list[str], substitute: str, rule: str) -> tuple[str, int]:
    """Names of a cs:names output that repeat ``previous`` (from the first on) replaced by
    ``substitute``: every such name (partial-each), only the first (partial-first), or every
    name when all repeat (complete-each).  Returns the text and how many were replaced."""
    names = re.findall(f"{NAME[0]}(.*?){NAME[1]}", names_text, re.S)
    plain_names = [plain(n) for n in names]
    if rule == "complete-each":
        count = len(names) if plain_names == previous else 0
    else:
        count = 0
        while count < min(len(names), len(previous)) and plain_names[count] == previous[count]:
            count += 1
        if rule == "partial-first":
            count = min(count, 1)
    replaced = iter(range(count))

    def swap(match: re.Match[str]) -> str:
        return substitute if next(replaced, None) is not None else match.group()

    return re.sub(f"{NAME[0]}.*?{NAME[1]}", swap, names_text, flags=re.S), count


class Formatter:
    """A citeproc-py formatter that writes markers (for the elements citeproc-py still renders
    itself, such as localized date parts): no escaping until the final pass."""

    @staticmethod
    def preformat(text: str) -> str:
        return str(text)

    Italic = Oblique = staticmethod(lambda text: wrap(ITALIC, str(text)))
    Bold = staticmethod(lambda text: wrap(BOLD, str(text)))
    Light = staticmethod(lambda text: str(text))
    Underline = staticmethod(lambda text: wrap(UNDERLINE, str(text)))
    Superscript = staticmethod(lambda text: wrap(SUP, str(text)))
    Subscript = staticmethod(lambda text: wrap(SUB, str(text)))
    SmallCaps = staticmethod(lambda text: wrap(SMALLCAPS, str(text)))
