"""archcite's corrections to citeproc-py, one concern per module.

citeproc-py parses the style and walks it; archcite swaps corrected element classes in
(``elements``), has them write formatting as private-use marker characters instead of
HTML (``richtext``), and turns the marked text into citeproc-js's HTML at the end (quotes by
level, punctuation at element boundaries, flip-flop of nested formatting).  Nothing in
citeproc-py is copied or patched.

* ``richtext``: the marker alphabet, the parser for markup and quotes in data, and the
  final pass to HTML.
* ``base``: what every corrected element shares (markers, seams, text-case, the variables a
  cs:group saw, cached macro and term look-ups).
* ``elements``: the corrected ``cs:*`` classes, registered by
  ``archcite.render._element_classes`` (the one place they are swapped in).
* ``names``, ``dates``, ``numbers``, ``textcase``: cs:names, cs:date, page ranges and
  text-case as citeproc-js renders them.
* ``positions``: first / subsequent / ibid / near-note, computed per document.
* ``disambiguation``: the ``disambiguate`` condition, year-suffixes, citation collapsing.
* ``collation``: sort keys that order bibliographies as citeproc-js's collator does.
"""
