#!/usr/bin/env bash
# The real tools the tests check archcite's output with (see ../shared/guides/tools.md):
# biber (BibLaTeX), jing (CSL style schema), citeproc-js (Zotero's CSL engine).
# Idempotent: installs only what is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

missing=()
command -v biber >/dev/null || missing+=(biber)
command -v jing >/dev/null || missing+=(jing)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -f "$here/js/node_modules/citeproc/package.json" ]; then
    (cd "$here/js" && npm install --no-audit --no-fund --loglevel=error)
fi
echo "test tools ready: $(biber --version | head -1); jing; citeproc-js $(node -p "require('$here/js/node_modules/citeproc/package.json').version")"
