#!/usr/bin/env bash
# Build chapter.md into HTML and DOCX with pandoc 3's --citeproc, citing archcite's records
# through archcite's CSL-JSON export and archcite's Chicago notes style.
#
#   examples/pandoc-manuscript/build.sh [OUTDIR]        (default: ./build)
#
# ARCHCITE and PANDOC name the commands to run (default: archcite, pandoc);
# RECORDS the records folder (default: the repository's records/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${1:-build}"
archcite="${ARCHCITE:-archcite}"
pandoc="${PANDOC:-pandoc}"
records="${RECORDS:-$repo/records}"
mkdir -p "$out"

# 1. The records as CSL-JSON, with one item per excerpt, so that
#    [@wcda-114978:p19-20] finds its item.
$archcite export --records "$records" --format csl-json --excerpts --output "$out/library.json"

# 2. The chapter, with footnotes in archcite's Chicago style (the same text `archcite cite` prints).
for format in html docx; do
    $pandoc "$here/chapter.md" --standalone --citeproc \
        --bibliography "$out/library.json" \
        --csl "$repo/styles/chicago-notes-archival.csl" \
        --output "$out/chapter.$format"
done
echo "$out/chapter.html $out/chapter.docx"
