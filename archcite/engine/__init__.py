"""archcite's corrections to citeproc-py, one concern per module.

citeproc-py parses the style and walks it; archcite swaps corrected element classes in
(``elements``), has citeproc-py write formatting as private-use marker characters instead
of HTML (``richtext``), and turns the marked text into citeproc-js's HTML at the end
(quotes by level, punctuation at element boundaries, flip-flop of nested formatting).

* ``richtext``: the marker alphabet, the parser for markup and quotes in data, and the
  final pass to HTML.
* ``textcase``: CSL ``text-case`` as citeproc-js applies it (stop words, nocase spans).
* ``numbers``: page ranges (``page-range-format``) and numeric variables.
* ``positions``: first / subsequent / ibid / near-note, computed per document.
* ``elements``: the corrected ``cs:*`` element classes, registered by
  ``archcite.render._element_classes``.
"""
