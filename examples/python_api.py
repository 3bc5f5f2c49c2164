"""archcite from Python: import a record text, look at it, cite an excerpt, export CSL-JSON.

    python examples/python_api.py [RECORD.txt] [OUT.json]

The record text defaults to the seed, ../shared/seeds/000_4db5b8ae459dc3cc.txt from the repo.
"""

import json
import sys
from pathlib import Path

import archcite

repo = Path(__file__).resolve().parents[1]
seed = sys.argv[1] if len(sys.argv) > 1 else repo.parent / "shared/seeds/000_4db5b8ae459dc3cc.txt"
out = Path(sys.argv[2] if len(sys.argv) > 2 else "wcda-114978.json")

document = archcite.load_record(str(seed))  # one file, one document
print(document.id, "-", document.title)
print("translated by", ", ".join(p.name for p in document.translation.translators), "for", document.translation.translated_for)
print("from", document.original_publication.title, "(" + document.original_language.name + ")")
for excerpt in document.excerpts:
    print(f"  {document.id}:{excerpt.id}  pages {excerpt.pages}  {excerpt.date}  {excerpt.title}")

item = archcite.Item(document, document.excerpt("p19-20"))
print(archcite.cite([item], "chicago-note", locator="19")[0])

items = [archcite.Item(document)] + [archcite.Item(document, e) for e in document.excerpts]
out.write_text(json.dumps(archcite.to_csl_json(items), ensure_ascii=False, indent=2), encoding="utf-8")
print("wrote", len(items), "CSL-JSON items to", out)
