"""The JSON Schema of record files, generated from the models."""

from __future__ import annotations

from typing import Any

from .models import Document

SCHEMA_ID = "https://github.com/archcite/archcite/record.schema.json"


def record_schema() -> dict[str, Any]:
    schema = Document.model_json_schema()
    for model in [schema, *schema.get("$defs", {}).values()]:
        if "description" in model:
            # The models' docstrings end in a Python example: for readers of the code, not
            # for people editing a record file, to whom editors show the description.
            model["description"] = model["description"].split("\n\n>>>", 1)[0]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "archcite record",
        **{k: v for k, v in schema.items() if k != "title"},
    }
