#!/usr/bin/env bash
# Build main.tex with biblatex and biber from archcite's BibLaTeX export.
#
#   examples/latex/build.sh [OUTDIR]        (default: ./build)
#
# ARCHCITE and LATEX name the commands (default: archcite, lualatex; pdflatex works too,
# with \usepackage[utf8]{inputenc} in place of fontspec); RECORDS the records folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${1:-build}"
archcite="${ARCHCITE:-archcite}"
latex="${LATEX:-lualatex}"
records="${RECORDS:-$repo/records}"
mkdir -p "$out"
cp "$here/main.tex" "$out/"
cd "$out"

# Documents and their excerpts, so that \autocite{wcda-114978:p19-20} finds its entry.
$archcite export --records "$records" --format biblatex --excerpts --output library.bib

$latex -interaction=nonstopmode -halt-on-error main.tex   # writes main.bcf: what to cite
biber main                                                # main.bcf + library.bib -> main.bbl
$latex -interaction=nonstopmode -halt-on-error main.tex
$latex -interaction=nonstopmode -halt-on-error main.tex   # settles the back-references
echo "$out/main.pdf"
