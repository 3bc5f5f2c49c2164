"""Cite positions (first, subsequent, ibid, ibid-with-locator, near-note), per document.

citeproc-py decides positions from the cites it has rendered so far, ignores note numbers
(so near-note needs an option it never defines and fails), and treats two citations in the
same footnote as separate notes.  The CSL 1.0.2 rules, with citeproc-js's reading of notes:

* first: the item was not cited before; every later cite is subsequent.
* ibid: the cite follows a cite of the same item in the same citation, or it is the first
  cite of its citation and the previous note (or the previous citation in the same note)
  holds a single cite, of the same item.  Citations in the text (note number 0) form their
  own sequence.  Locators then decide: ibid-with-locator when the locator is new or
  changed; plain subsequent when the earlier cite had a locator and this one has none.
* near-note: a subsequent cite whose item was cited at most ``near-note-distance`` notes
  before (never for citations in the text).
* first-reference-note-number: the note of the item's first cite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NAMES = {0: "first", 1: "subsequent", 2: "ibid", 3: "ibid-with-locator"}


@dataclass
class Position:
    position: str = "first"  # first, subsequent, ibid or ibid-with-locator
    near_note: bool = False
    first_note: int | None = None  # first-reference-note-number

    def test(self, name: str) -> bool:
        """The CSL ``position`` condition: ibid-with-locator implies ibid, and ibid and
        near-note imply subsequent."""
        if name == "first":
            return self.position == "first"
        if name == "subsequent":
            return self.position != "first"
        if name == "ibid":
            return self.position in ("ibid", "ibid-with-locator")
        if name == "ibid-with-locator":
            return self.position == "ibid-with-locator"
        if name == "near-note":
            return self.near_note
        return False


def _locator(cite: Any) -> tuple[str, str] | None:
    if "locator" not in cite:
        return None
    return (cite["locator"].label, str(cite["locator"].identifier))


@dataclass
class Tracker:
    """Assigns positions to the cites of a document's citations, in document order."""

    near_note_distance: int = 5
    first_notes: dict[str, int] = field(default_factory=dict)
    last_notes: dict[str, int] = field(default_factory=dict)
    # Per sequence (text or notes): the cites of the previous note and of the current one.
    previous: dict[bool, list[Any]] = field(default_factory=dict)
    current: dict[bool, tuple[int, list[Any]]] = field(default_factory=dict)
    last_citation: dict[bool, list[Any]] = field(default_factory=dict)

    def assign(self, cites: list[Any], note: int) -> None:
        in_note = note > 0
        if in_note:
            number, cites_in_note = self.current.get(True, (None, []))
            if number != note:
                self.previous[True] = cites_in_note
                self.current[True] = (note, [])
            before = self.last_citation.get(True) if number == note else self.previous.get(True)
        else:
            before = self.last_citation.get(False)
        for index, cite in enumerate(cites):
            position = Position()
            forced = cite.get("forced_position")
            if forced is not None:
                position.position = NAMES.get(forced, forced)
                position.near_note = bool(cite.get("forced_near_note", False))
            elif cite.key in self.first_notes:
                preceding = cites[index - 1] if index else (before[0] if before and len(before) == 1 else None)
                position.position = "subsequent"
                if preceding is not None and preceding.key == cite.key:
                    position.position = _ibid(preceding, cite)
                if in_note and cite.key in self.last_notes:
                    position.near_note = note - self.last_notes[cite.key] <= self.near_note_distance
            if cite.key in self.first_notes:
                position.first_note = self.first_notes[cite.key]
            cite.position_info = position
            self.first_notes.setdefault(cite.key, note)
            if in_note:
                self.last_notes[cite.key] = note
        self.last_citation[in_note] = list(cites)
        if in_note:
            self.current[True][1].extend(cites)


def _ibid(preceding: Any, cite: Any) -> str:
    before, now = _locator(preceding), _locator(cite)
    if before is None:
        return "ibid-with-locator" if now is not None else "ibid"
    if now is None:
        return "subsequent"
    return "ibid" if now == before else "ibid-with-locator"
