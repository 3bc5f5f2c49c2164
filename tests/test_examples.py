"""The examples in examples/ run, and say what they claim: each is run here so it cannot rot."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SEED

EXAMPLES = ROOT / "examples"
# The first note as `archcite cite wcda-114978:p19-20 --locator 19` prints it.
NOTE_P19 = (
    "“Conversation between Kim Il Sung and N. S. Khrushchev,” June 17, 1960, in V. P. Tkachenko, "
    "Koreiskii Poluostrov i interesi Rossii [The Korean Peninsula and Russia’s Interests] "
    "(Moscow: Vostochnaya Literatura, 2000), 19, trans. Gary Goldberg for NKIDP, "
    "Wilson Center Digital Archive, https://digitalarchive.umd.edu/document/114978."
)


def _env() -> dict[str, str]:
    """The examples' scripts call `archcite` and `pandoc`: point them at this checkout's
    archcite and at the pandoc pypandoc_binary ships, whatever is on PATH."""
    env = dict(os.environ)
    env["ARCHCITE"] = f"{sys.executable} -m archcite"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, env=env or _env(), capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_python_api_example(tmp_path: Path) -> None:
    source = (EXAMPLES / "python_api.py").read_text(encoding="utf-8")
    code = source.split('"""', 2)[2]  # user code: after the module docstring
    lines = [line for line in code.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert len(lines) < 30, f"{len(lines)} lines of user code"

    out = tmp_path / "library.json"
    result = _run([sys.executable, str(EXAMPLES / "python_api.py"), str(SEED), str(out)], cwd=tmp_path)
    assert "translated by Gary Goldberg for NKIDP" in result.stdout
    assert "wcda-114978:p21-22  pages 21-22  1961-03  Conversation between N. S. Khrushchev" in result.stdout
    assert NOTE_P19 in result.stdout.splitlines()
    items = json.loads(out.read_text(encoding="utf-8"))
    assert [item["id"] for item in items][:2] == ["wcda-114978", "wcda-114978:p19-20"]
    assert items[1]["translator"] == [{"family": "Goldberg", "given": "Gary"}]


def test_python_api_example_default_seed(tmp_path: Path) -> None:
    """With no arguments it finds the seed relative to the repository, from any folder."""
    result = _run([sys.executable, str(EXAMPLES / "python_api.py")], cwd=tmp_path)
    assert "wrote 7 CSL-JSON items to wcda-114978.json" in result.stdout
    assert (tmp_path / "wcda-114978.json").exists()


def _footnotes(page: str) -> list[str]:
    """The text of each footnote in pandoc's HTML, tags and the back-link dropped."""
    section = page.split('<section id="footnotes"', 1)[1]
    notes = re.findall(r"<li id=\"fn\d+\">(.*?)</li>", section, re.DOTALL)
    texts = [re.sub(r"<a\s+href=\"#fnref\d+\"[^>]*>.*?</a>", "", note, flags=re.DOTALL) for note in notes]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split()) for text in texts]


def test_pandoc_manuscript(tmp_path: Path) -> None:
    pypandoc = pytest.importorskip("pypandoc")
    env = _env()
    env["PANDOC"] = pypandoc.get_pandoc_path()
    _run(["bash", str(EXAMPLES / "pandoc-manuscript" / "build.sh"), str(tmp_path / "build")], cwd=tmp_path, env=env)

    page = (tmp_path / "build" / "chapter.html").read_text(encoding="utf-8")
    notes = _footnotes(page)
    assert len(notes) == 3
    assert notes[0] == NOTE_P19  # [@wcda-114978:p19-20, 19]: the same text archcite prints
    # [@wcda-114978]: the whole document, no pages
    assert notes[1].startswith("“Excerpts from V.P. Tkachenko ‘The Korean Peninsula and Russia’s Interests’")
    assert "(Moscow: Vostochnaya Literatura, 2000), trans. Gary Goldberg for NKIDP," in notes[1]
    assert notes[2].startswith("“Conversation between L. I. Brezhnev and Pak Seong-cheol,” October 8, 1971,")
    assert "2000), 26, trans." in notes[2]

    docx = tmp_path / "build" / "chapter.docx"
    assert zipfile.is_zipfile(docx)
    with zipfile.ZipFile(docx) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    # Word splits runs at formatting changes: compare the text of the runs.
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", document))
    assert "Conversation between Kim Il Sung and N. S. Khrushchev" in html.unescape(text)


def test_latex_example(tmp_path: Path) -> None:
    """biber needs the .bcf a LaTeX run writes: with TeX, build the PDF; without it, check
    the export with biber's data-model validation and the citations against its keys."""
    build = tmp_path / "build"
    if shutil.which("lualatex"):
        _run(["bash", str(EXAMPLES / "latex" / "build.sh"), str(build)], cwd=tmp_path)
        assert (build / "main.pdf").stat().st_size > 0
        return
    assert shutil.which("biber"), "biber is not installed; run tests/install-tools.sh"
    build.mkdir()
    _run([sys.executable, "-m", "archcite", "export", "--records", str(ROOT / "records"), "--format", "biblatex",
          "--excerpts", "--output", "library.bib"], cwd=build)  # fmt: skip
    result = _run(["biber", "--tool", "--validate-datamodel", "library.bib", "--output-file", "checked.bib"], cwd=build)
    output = result.stdout + result.stderr
    assert [line for line in output.splitlines() if not line.startswith("INFO")] == []
    assert "Datamodel validation complete" in output

    keys = set(re.findall(r"^@\w+\{([^,\s]+),", (build / "library.bib").read_text(encoding="utf-8"), re.MULTILINE))
    tex = (EXAMPLES / "latex" / "main.tex").read_text(encoding="utf-8")
    cited = {key.strip() for group in re.findall(r"\\autocite(?:\[[^]]*\])?\{([^}]*)\}", tex) for key in group.split(",")}
    assert cited == {"wcda-114978", "wcda-114978:p19-20", "wcda-114978:p26"}
    assert cited <= keys
    assert "\\addbibresource{library.bib}" in tex


def test_zotero_guide_names_real_things() -> None:
    """The guide's commands and file names exist."""
    guide = (EXAMPLES / "zotero.md").read_text(encoding="utf-8")
    assert "archcite export --format csl-json --excerpts --output library.json" in guide
    for style in re.findall(r"styles/([\w-]+\.csl)", guide):
        assert (ROOT / "styles" / style).is_file()
    assert NOTE_P19.replace("Koreiskii Poluostrov i interesi Rossii", "*Koreiskii Poluostrov i interesi Rossii*") in " ".join(
        line.lstrip("> ") for line in guide.splitlines() if line.startswith(">")
    )


def test_readme_python_snippets_run(tmp_path: Path) -> None:
    """The README's Python blocks, run as a reader would from a checkout (records/ and the
    seed at ../shared/seeds), in a copy so that nothing is written into the repository."""
    work = tmp_path / "main"
    shutil.copytree(ROOT / "records", work / "records")
    (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 2
    for block in blocks:
        result = _run([sys.executable, "-c", block], cwd=work)
        assert "Goldberg" in result.stdout or "Khrushchev" in result.stdout
