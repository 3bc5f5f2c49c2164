"""cs:names and cs:name: name lists as CSL 1.0.2 and citeproc-js print them.

citeproc-py initializes every given name (ignoring ``initialize="false"``), puts a comma
suffix before the family name ("John,! Jr. Doe"), never reads particles out of family and
given names ("van Gogh"), formats particles with the wrong part, ignores
``delimiter-precedes-last="after-inverted-name"``, sums counts across variables wrongly and
writes Asian names given-first.  Here:

* particles: lowercase words opening a family name ("van der", "d'", "al-") are its
  non-dropping particle, lowercase words ending a given name its dropping particle
  (``parse-names: false`` turns this off; a family name in straight quotes sets it);
  "John,! Jr." has a comma suffix.
* order: given, particles, family, suffix; inverted (name-as-sort-order) family first,
  with the non-dropping particle before the family or after the given name
  (demote-non-dropping-particle); names in CJK scripts family-first without a space.
* name-part formatting: given formatting on given and dropping particle, family formatting
  on family and non-dropping particle; family affixes wrap the particles and the suffix of
  a name in display order, given affixes wrap the demoted particles of an inverted name.
* initials (``initialize-with``): words become initials, existing initials are normalized
  ("M.E." -> "M. E."), ``initialize="false"`` only normalizes; hyphenated names keep the
  hyphen ("J.-P."), a lowercase part after a hyphen is dropped ("Guo-ping" -> "G.").
"""

from __future__ import annotations

import re
from typing import Any

from . import richtext
from .base import has_value, remembered, usage

_NAME_OPTION_INHERITED = {"form": "name-form", "delimiter": "name-delimiter"}
_DEFAULTS = {
    "and": None, "delimiter": ", ", "delimiter-precedes-et-al": "contextual",
    "delimiter-precedes-last": "contextual", "et-al-min": None, "et-al-use-first": None,
    "et-al-subsequent-min": None, "et-al-subsequent-use-first": None, "et-al-use-last": "false",
    "initialize": "true", "initialize-with": None, "name-as-sort-order": None, "sort-separator": ", ",
    "form": "long", "initialize-with-hyphen": "true", "demote-non-dropping-particle": "display-and-sort",
}  # fmt: skip


class Options:
    """cs:name options: the element's own, else the sort key's override, else inherited from
    cs:citation/cs:bibliography, then cs:style."""

    def __init__(self, name: Any, context: Any, sort_options: dict[str, str] | None) -> None:
        self.name = name
        self.sort_options = sort_options or {}
        anchor = context if context is not None else name
        section = anchor
        while section is not None and section.tag.rsplit("}", 1)[-1] not in ("citation", "bibliography"):
            section = section.getparent()  # (walking up is cheaper than an XPath query)
        self.holders = ([section] if section is not None else []) + [anchor.get_root()]
        self._found: dict[str, Any] = {}

    def get(self, option: str) -> Any:
        """The option's value (looked up once: it depends on the style alone)."""
        if option not in self._found:
            self._found[option] = self._look_up(option)
        return self._found[option]

    def _look_up(self, option: str) -> Any:
        if option in self.sort_options:
            return self.sort_options[option]
        if self.name is not None and option in self.name.attrib:
            return self.name.get(option)
        inherited = _NAME_OPTION_INHERITED.get(option, option)
        for holder in self.holders:
            if inherited in holder.attrib:
                return holder.get(inherited)
        return _DEFAULTS.get(option)

    def number(self, option: str) -> int | None:
        value = self.get(option)
        return int(value) if value not in (None, "") else None

    def name_format(self, element: Any) -> NameFormat:
        """How ``element`` (a cs:name, or None) prints names under these options (made once)."""
        formats: dict[Any, NameFormat] = self.__dict__.setdefault("_formats", {})
        if element not in formats:
            formats[element] = NameFormat(self, element)
        return formats[element]


def options_for(name: Any, anchor: Any, sort_options: dict[str, str] | None) -> Options:
    """The Options of a cs:name under ``anchor`` and a sort key's overrides, made once per
    style (kept on the anchor element: they depend on the style alone)."""
    cache: dict[Any, Options] = anchor.__dict__.setdefault("_name_options", {})
    key = (name, tuple(sorted(sort_options.items())) if sort_options else ())
    found = cache.get(key)
    if found is None:
        found = cache[key] = Options(name, anchor, sort_options)
    return found


def _name_children(names: Any) -> tuple[Any, Any, Any]:
    """A cs:names element's cs:name, cs:et-al and cs:label (or None), found once."""
    found: tuple[Any, Any, Any] | None = names.__dict__.get("_name_children")
    if found is None:
        found = tuple(names.find(f"cs:{tag}", names.nsmap) for tag in ("name", "et-al", "label"))
        names.__dict__["_name_children"] = found
    return found


# --- name parts ------------------------------------------------------------------------

_PARTICLE_END = ("'", "’", "-")


def _is_particle(word: str) -> bool:
    """A lowercase word ("van", "d'", "al-"), or an elided article ("’t"); not a word in
    quotation marks or other markup."""
    letters = word.lstrip("'’")
    return bool(letters) and letters[0].islower()


def parts(name: Any) -> dict[str, Any]:
    """A name's parts, particles and comma suffix parsed out as citeproc-js does."""
    if "literal" in name:
        return {"literal": name["literal"]}
    family = name.get("family") or ""
    given = name.get("given") or ""
    out: dict[str, Any] = {
        "family": family, "given": given, "suffix": name.get("suffix") or "",
        "dropping": name.get("dropping-particle") or "", "non-dropping": name.get("non-dropping-particle") or "",
        "comma-suffix": bool(name.get("comma-suffix")), "static": bool(name.get("static-ordering")),
    }  # fmt: skip
    if name.get("parse-names") in (False, "false"):
        return out
    if not out["non-dropping"]:
        out["non-dropping"], out["family"] = _leading_particles(family)
    if not out["suffix"] and "," in given:
        given_part, _, suffix = given.partition(",")
        out["comma-suffix"] = suffix.startswith("!")
        out["given"], out["suffix"] = given_part.strip(), suffix.lstrip("!").strip()
    if not out["dropping"]:
        out["given"], out["dropping"] = _trailing_particles(out["given"])
    return out


def _leading_particles(family: str) -> tuple[str, str]:
    words = family.split(" ")
    particles = []
    while len(words) > 1 and _is_particle(words[0]):
        particles.append(words.pop(0))
    rest = " ".join(words)
    # "d'Aubignac", "al-One": a lowercase particle glued to the family name
    match = re.match(r"^([a-z\u00e0-\u00ff]+['’-])(\S.*)$", rest) if rest[:1].islower() else None
    if match and not particles:
        return match.group(1), match.group(2)
    return " ".join(particles), rest


def _trailing_particles(given: str) -> tuple[str, str]:
    words = given.split(" ")
    particles: list[str] = []
    while len(words) > 1 and _is_particle(words[-1]):
        particles.insert(0, words.pop())
    return " ".join(words), " ".join(particles)


def _glue(*pieces: str) -> str:
    """Join name pieces with spaces, except after a particle ending in an apostrophe or hyphen
    or after a piece that ends in a space already (a name-part suffix of "&#160;")."""
    out = ""
    for piece in pieces:
        if not piece:
            continue
        end = richtext.plain(out)[-1:]
        if out and not end.endswith(_PARTICLE_END) and not end.isspace():
            out += " "
        out += piece
    return out


# Scripts written with spaces between words, where given names come first (citeproc-js's
# "romanesque" character classes: Latin, Greek, Cyrillic, Hebrew, Arabic, Thai, digits).
_SCRIPTS = "a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4\u05d6-\u05ff\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218-\u021b\u202a-\u202e"
_ROMANESQUE = re.compile(f"[-0-9{_SCRIPTS}]")
_STARTS_ROMANESQUE = re.compile(f"^[&{_SCRIPTS}]")


def script_order(name: dict[str, Any], language: str = "") -> int:
    """0: no romanesque script (我妻栄: family and given run together); 1: mixed, or a
    Japanese, Chinese or Vietnamese item (family first, a space between); 2: given first."""
    family, given = richtext.plain(name.get("family", "")), richtext.plain(name.get("given", ""))
    if not _ROMANESQUE.search(family):
        return 1 if given and _STARTS_ROMANESQUE.match(given) else 0
    # (citeproc-js's test: "ja…" and "zh…", but Vietnamese only as the bare tag "vi")
    return 1 if language[:2] in ("ja", "zh") or language == "vi" else 2


# --- initials ----------------------------------------------------------------------------

_INITIAL_TOKEN = re.compile(r"([^\s.\-]+)(\.?)|(-)|([\s.]+)")


def initialize(given: str, mark: str, initialize_words: bool = True, hyphen: bool = True) -> str:
    """Given names as initials joined by ``mark`` ("John M.E." -> "J. M. E."); with
    ``initialize_words`` False only existing initials are normalized ("John M. E.")."""
    if not hyphen:
        given = given.replace("-", " ")
    out = ""
    previous = None  # "initial", "word" or "hyphen"
    trailing = mark[len(mark.rstrip()) :]
    for match in _INITIAL_TOKEN.finditer(given):
        word, period, hyphen_match = match.group(1), match.group(2), match.group(3)
        if hyphen_match:
            out = out.rstrip() + "-"
            previous = "hyphen"
            continue
        if word is None:
            continue
        letters = richtext.plain(word)
        if not letters:
            out = out.rstrip() + word + (trailing if previous == "initial" else "")  # markup only
            continue
        is_initial = bool(period) or len(letters) == 1
        if previous == "hyphen" and letters[0].islower() and initialize_words:
            out = out[:-1]  # "Guo-ping": the lowercase part after the hyphen is dropped
            previous = "initial"
            continue
        if letters[0].islower() and not is_initial:
            initialize_this = False  # a particle ("de") stays a word
        else:
            initialize_this = is_initial or initialize_words
        if initialize_this:
            piece = _initial(word if is_initial else _first_letters(word), mark.rstrip())
            if previous == "word":
                out += " "
            out += piece + trailing
            previous = "initial"
        else:
            if previous == "initial" and not trailing:
                out += " "
            elif previous == "word":
                out += " "
            out += word
            previous = "word"
    return out.rstrip()


def _initial(initial: str, mark: str) -> str:
    """An initial followed by its mark, inside any markup closing after it ("<b>J.</b>")."""
    closing = len(initial) - len(initial.rstrip("".join(richtext.CLOSERS)))
    return initial[: len(initial) - closing] + mark + initial[len(initial) - closing :]


def _first_letters(word: str) -> str:
    """The initial of a word, inside any markup around it ("<b>John</b>" -> "<b>J</b>"); two
    letters for a digraph written in capitals ("TSerendorjiin" -> "Ts")."""
    start = 0
    while start < len(word) and richtext.MARKER.match(word[start]):
        start += 1
    letters = richtext.plain(word)
    initial = letters[0]
    if len(letters) > 2 and letters[1].isupper() and letters[2:].islower():
        initial = letters[0] + letters[1].lower()
    opened = word[:start]
    closing = "".join(richtext.OPENERS[m][1] for m in reversed(opened) if m in richtext.OPENERS)
    return opened + initial + closing


# --- one name ----------------------------------------------------------------------------


class NameFormat:
    """How the names of one cs:name are printed."""

    def __init__(self, options: Options, name_element: Any) -> None:
        self.options = options
        self.form = options.get("form") or "long"
        self.sort_order = options.get("name-as-sort-order")
        self.separator = str(options.get("sort-separator"))
        self.initialize_with = options.get("initialize-with")
        self.initialize_words = (options.get("initialize") or "true") != "false"
        self.hyphen = (options.get("initialize-with-hyphen") or "true") != "false"
        self.demote = options.get("demote-non-dropping-particle") or "display-and-sort"
        self.element = name_element
        self._seen: dict[Any, str] = {}
        self.given_part = self.family_part = None
        if name_element is not None:
            for part in name_element.findall("cs:name-part", name_element.nsmap):
                if part.get("name") == "given":
                    self.given_part = part
                elif part.get("name") == "family":
                    self.family_part = part

    def inverted(self, index: int) -> bool:
        return self.sort_order == "all" or (self.sort_order == "first" and index == 0)

    def _style(self, part: Any, text: str) -> str:
        if not text or part is None:
            return text
        return str(part.format(part.case(text)))

    def _affix(self, part: Any, text: str) -> str:
        if not text or part is None:
            return text
        return str(part.get("prefix", "")) + text + str(part.get("suffix", ""))

    def render(self, name: Any, index: int, language: str = "") -> str:
        """The name as printed at ``index`` in its list.  Remembered: the text depends on the
        name, whether it is inverted and the item's language only, and names repeat across a
        collection's items (translators, archives' authors)."""
        return remembered(
            self._seen, lambda: (tuple(name.items()), self.inverted(index), language), lambda: self._render(name, index, language)
        )

    def _render(self, name: Any, index: int, language: str = "") -> str:
        p = parts(name)
        if "literal" in p:
            return self._affix(self.family_part, self._style(self.family_part, str(p["literal"])))
        given, family = self._style(self.given_part, p["given"]), self._style(self.family_part, p["family"])
        dropping = self._style(self.given_part, p["dropping"])
        non_dropping = self._style(self.family_part, p["non-dropping"])
        if not p["family"]:
            return self._affix(self.given_part, given)
        order = script_order(p, language)
        if order < 2:
            if self.form == "short":
                return self._affix(self.family_part, family)
            space = " " if order and given else ""
            return self._affix(self.family_part, family) + space + self._affix(self.given_part, given)
        if self.form == "short":
            return self._affix(self.family_part, _glue(non_dropping, family))
        if self.initialize_with is not None and p["given"]:
            given = self._style(self.given_part, initialize(p["given"], self.initialize_with, self.initialize_words, self.hyphen))
        suffix = p["suffix"]
        if self.inverted(index) or p["static"]:
            if self.demote == "display-and-sort":
                first = self._affix(self.family_part, family)
                second = self._affix(self.given_part, _glue(given, dropping, non_dropping))
            else:
                first = self._affix(self.family_part, _glue(non_dropping, family))
                second = self._affix(self.given_part, _glue(given, dropping))
            if p["static"] and not self.inverted(index):
                return _glue(first, second, suffix)
            return self.separator.join(piece for piece in (first, second, suffix) if piece)
        family_group = _glue(dropping, non_dropping, family)
        if suffix:
            family_group = family_group + (", " if p["comma-suffix"] else " ") + suffix
        return _glue(self._affix(self.given_part, given), self._affix(self.family_part, family_group))


def names_sort_key(names: Any, demote: str) -> str | None:
    """A names variable as a sort key: family name first, particles where
    demote-non-dropping-particle puts them ("Gogh, Vincent van" unless "never")."""
    if not names or type(names) is not list:
        return None
    keys = []
    for name in names:
        p = parts(name)
        if "literal" in p:
            keys.append(richtext.plain(str(p["literal"])))
            continue
        demoted = demote != "never"
        # (citeproc-js puts a space between particle and family name here even after "d’",
        # so that "d’Wander" sorts as "d Wander", before "de’Frinkle")
        family = p["family"] if demoted else " ".join(x for x in (p["non-dropping"], p["family"]) if x)
        given = _glue(p["given"], p["dropping"], p["non-dropping"] if demoted else "")
        keys.append(richtext.plain(", ".join(x for x in (family, given, p["suffix"]) if x)))
    return "; ".join(keys)


# --- the list ----------------------------------------------------------------------------


def _subsequent(item: Any) -> bool:
    position = item.get("position_info") if isinstance(item, dict) else None
    return bool(position is not None and position.position != "first")


def _et_al_limits(options: Options, item: Any) -> tuple[int | None, int | None]:
    minimum, first = options.number("et-al-min"), options.number("et-al-use-first")
    if _subsequent(item):
        minimum = options.number("et-al-subsequent-min") or minimum
        first = options.number("et-al-subsequent-use-first") or first
    return minimum, first


def shown_names(names: list[Any], options: Options, item: Any) -> tuple[list[Any], bool]:
    """The names printed, and whether the list is cut short (et al.)."""
    minimum, first = _et_al_limits(options, item)
    if minimum and first and len(names) >= minimum and first < len(names):
        return names[:first], True
    return names, False


def name_list(element: Any, names: list[Any], options: Options, et_al: Any, item: Any, terms: Any) -> str:
    """One variable's names, joined with delimiters, "and" and "et al." as the options say."""
    fmt = options.name_format(element)
    shown, truncated = shown_names(names, options, item)
    delimiter = str(options.get("delimiter"))
    rendered = []
    language = str(item.reference.get("language") or "")
    for index, name in enumerate(shown):
        text = fmt.render(name, index, language)
        if element is not None:
            text = element.format(text)
        rendered.append(richtext.wrap(richtext.NAME, text))

    def precedes(option: str, count: int, threshold: int) -> bool:
        rule = options.get(option)
        if rule == "always":
            return True
        if rule == "never":
            return False
        if rule == "after-inverted-name":
            last = len(shown) - (1 if option == "delimiter-precedes-et-al" else 2)
            return last >= 0 and fmt.inverted(last) and "literal" not in shown[last]
        return count >= threshold

    sorting = bool(options.sort_options)  # a sort key's names: no "et al.", no "and" (citeproc-js)
    if truncated:
        use_last = options.get("et-al-use-last") == "true"
        if use_last and len(names) > len(shown) + 1:
            last = richtext.wrap(richtext.NAME, element.format(fmt.render(names[-1], len(names) - 1)) if element is not None else fmt.render(names[-1], len(names) - 1))
            return delimiter.join(rendered) + delimiter + "… " + last
        text = delimiter.join(rendered)
        term = et_al_text(et_al, terms)
        if not term or sorting:
            return text
        return text + (delimiter if precedes("delimiter-precedes-et-al", len(shown), 2) else " ") + term
    and_ = options.get("and")
    if and_ and len(rendered) > 1 and not sorting:
        word = str(terms.term_text("and")) if and_ == "text" else "&"
        joiner = delimiter if precedes("delimiter-precedes-last", len(rendered), 3) else " "
        return delimiter.join(rendered[:-1]) + joiner + word + " " + rendered[-1]
    return delimiter.join(rendered)


def et_al_text(et_al: Any, terms: Any) -> str:
    if et_al is not None:
        text = et_al.term_text(et_al.get("term", "et-al"))
        return str(et_al.format(text)) if text else ""
    return str(terms.term_text("et-al"))


class _Plan:
    """What a cs:names prints its names with, under one context and sort key (made once),
    and the text of each variable's names and label as printed (remembered: the same
    names, translators above all, recur across a collection's items)."""

    def __init__(self, names: Any, names_context: Any, anchor: Any, sort_options: Any) -> None:
        self.names = names
        self.name_element, self.et_al, self.label = _name_children(names_context)
        if sort_options:
            self.label = None  # a sort key's names have no label ("ed."), as in citeproc-js
        self.options = options_for(self.name_element, anchor, sort_options)
        self.variables = names.get("variable", "").split()
        self.count = (self.options.get("form") or "long") == "count"
        self.delimiter = names.get("delimiter", _names_delimiter(self.options))
        label, name = self.label, self.name_element
        self.label_first = label is not None and (name is None or _precedes(label, name))
        self._seen: dict[Any, str] = {}

    def piece(self, variable: str, names: list[Any], item: Any) -> str:
        """One variable's names with their label."""
        return remembered(
            self._seen,
            lambda: (variable, tuple(tuple(name.items()) for name in names), _subsequent(item), item.reference.get("language")),
            lambda: self._piece(variable, names, item),
        )

    def _piece(self, variable: str, names: list[Any], item: Any) -> str:
        name_element, label = self.name_element, self.label
        text = name_list(name_element, names, self.options, self.et_al, item, self.names)
        if name_element is not None:
            text = name_element.wrap(text) or ""
        if label is not None:
            if variable == "editortranslator":
                term = label.term_text("editortranslator", label.get("form", "long"), len(names) > 1)
            else:
                term = label.process(item, variable, len(names) > 1)
            label_text = label.markup(term) if term else None
            if label_text:
                text = label_text + text if self.label_first else text + label_text
        return text


def _plan(names: Any, names_context: Any, context: Any, sort_options: Any) -> _Plan:
    plans: dict[Any, _Plan] = names.__dict__.setdefault("_names_plans", {})
    key = (names_context, context, tuple(sorted(sort_options.items())) if sort_options else ())
    found = plans.get(key)
    if found is None:
        found = plans[key] = _Plan(names, names_context, context if context is not None else names, sort_options)
    return found


def render_names(names: Any, item: Any, names_context: Any, context: Any, sort_options: Any = None, **kwargs: Any) -> str | None:
    """The text of a cs:names for ``item`` (None when every variable is empty)."""
    used = usage(item)
    plan = _plan(names, names_context, context, sort_options)
    lists: list[tuple[str, list[Any]]] = []
    for variable in plan.variables:
        value = item.reference.get(variable.replace("-", "_"))
        if variable in used.suppressed or not has_value(value) or type(value) is not list:
            used.count(variable, None)
            continue
        used.count(variable, value)
        lists.append((variable, value))
    if not lists:
        return None
    label = plan.label
    editors = dict(lists).get("editor")
    if editors is not None and dict(lists).get("translator") == editors and label is not None and label.term_text("editortranslator"):
        lists = [("editortranslator" if v == "editor" else v, n) for v, n in lists if v != "translator"]
    if plan.count:
        total = sum(len(shown_names(n, plan.options, item)[0]) for _, n in lists)
        return str(total) if total else None
    pieces = [plan.piece(variable, value, item) for variable, value in lists]
    return richtext.wrap(richtext.NAMES, (richtext.SEAM + plan.delimiter + richtext.SEAM).join(pieces))


def _names_delimiter(options: Options) -> str:
    for holder in options.holders:
        if "names-delimiter" in holder.attrib:
            return str(holder.get("names-delimiter"))
    return ""


def _precedes(first: Any, second: Any) -> bool:
    """Whether ``first`` comes before its sibling ``second`` (asked once per ``_Plan``)."""
    children = list(first.getparent())
    return children.index(first) < children.index(second)

