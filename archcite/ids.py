"""The shapes of record and excerpt ids, apart from the models: reading a selector
(``wcda-114978:p19-20``) should not need Pydantic."""

from __future__ import annotations

import re

RECORD_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
EXCERPT_ID = re.compile(r"^(p[0-9ivxlcdm]+(-[0-9ivxlcdm]+)?|e[0-9]+)$")
