#!/usr/bin/env python
"""archcite's benchmark: import, export and citation speed against stock citeproc-py,
citeproc-js and pandoc, on the same generated archival documents and archcite's own styles.

    python benchmarks/run.py                 # N = 1,000 and 10,000, plus the 100,000-item memory test
    python benchmarks/run.py --n 1000        # one size
    python benchmarks/run.py --quick         # N = 200, no memory test: under a minute

Measurement only: nothing here changes archcite.  See benchmarks/README.md for what each
figure means.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib
import io
import json
import os
import platform
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (str(ROOT), str(HERE)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from generate import generate, record_text, round_trip_differences  # noqa: E402

JS_DIR = HERE / "js"
STYLES = {"chicago": ROOT / "styles" / "chicago-notes-archival.csl", "mla": ROOT / "styles" / "mla-archival.csl"}
# The three formatting operations: (key, archcite form, style, CSL mode, which CSL items).
OPERATIONS = [
    ("chicago-note", "chicago-note", "chicago", "citation", "notes"),
    ("chicago-bibliography", "chicago-bibliography", "chicago", "bibliography", "documents"),
    ("mla", "mla", "mla", "bibliography", "documents"),
]
LABELS = {"chicago-note": "Chicago full notes", "chicago-bibliography": "Chicago bibliography", "mla": "MLA works cited"}
PEERS = ("citeproc-py", "citeproc-js", "pandoc")


# --- results -------------------------------------------------------------------------


@dataclass
class Row:
    n: int
    operation: str
    engine: str
    items: int
    seconds: float
    note: str = ""
    op: str | None = None  # formatting operation key, for ratios
    ratio_base: bool = False  # an archcite row the peers are compared with
    cpu: float | None = None  # CPU seconds (user+system) of the work, when known

    @property
    def rate(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else float("inf")


@dataclass
class Run:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    parity: list[str] = field(default_factory=list)
    texts: dict[tuple[str, str, int], list[str]] = field(default_factory=dict)  # (engine, op, items) -> texts
    memory: dict[str, Any] | None = None

    def add(self, row: Row) -> Row:
        """A row; a row measured again (another round) replaces the first when it is faster."""
        same = next((r for r in self.rows if (r.n, r.operation, r.engine, r.items) == (row.n, row.operation, row.engine, row.items)), None)
        if same is None:
            self.rows.append(row)
        elif row.seconds < same.seconds:
            self.rows[self.rows.index(same)] = row
        cpu = f"{row.cpu:8.2f}" if row.cpu is not None else " " * 8
        print(f"  {row.operation:<42} {row.engine:<22} {row.items:>7} items {row.seconds:9.3f} s (cpu {cpu}) {_rate(row.rate):>10}/s"
              + (f"  ({row.note})" if row.note else ""), flush=True)
        return row

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}", flush=True)


def _rate(rate: float) -> str:
    if rate == float("inf"):
        return "inf"
    return f"{rate:,.0f}" if rate >= 100 else f"{rate:,.1f}"


_LAST_CPU = [0.0]


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """fn's result and wall seconds; its CPU seconds are left in last_cpu()."""
    gc.collect()
    cpu = time.process_time()
    start = time.perf_counter()
    result = fn()
    wall = time.perf_counter() - start
    _LAST_CPU[0] = time.process_time() - cpu
    return result, wall


def last_cpu() -> float:
    return _LAST_CPU[0]


# Import, read and export are each timed this many times, the best kept and the median noted:
# at N = 1,000 one timing lasts 40-500 ms, as long as one of the machine's slow stretches, and
# the same pure-Python loop took 0.35-0.71 s in six runs within a minute.  3 rounds had let one
# run's BibTeX row land anywhere from 14,600 to 26,300/s.
IO_ROUNDS = 5


@dataclass
class IoRow:
    """One import, read or export row: what is timed, and what checks its output afterwards."""

    operation: str
    note: str
    work: Callable[[], Any]
    check: Callable[[Any], None] = lambda result: None


def io_rows(run: Run, n: int, rows: list[IoRow]) -> None:
    """Time each row IO_ROUNDS times, the best kept and the median noted.  The rows take
    turns, a round of each, then the next: one row's rounds are spread over the whole
    minute or two, not held within a few seconds, so that no row's figure is one slow
    stretch of the machine's alone (see IO_ROUNDS).  Each output is freed before the next
    row runs, after its last round's check: none of them adds to what the collector
    scans while another row is timed."""
    timings: list[list[tuple[float, float]]] = [[] for _ in rows]
    for last in [False] * (IO_ROUNDS - 1) + [True]:
        for row, times in zip(rows, timings):
            result, seconds = timed(row.work)
            times.append((seconds, last_cpu()))
            if last:
                row.check(result)
            del result
    for row, times in zip(rows, timings):
        best, cpu = min(times)
        median = sorted(seconds for seconds, _ in times)[len(times) // 2]
        run.add(Row(n, row.operation, "archcite", n, best, f"{row.note}; median of {IO_ROUNDS} {_rate(n / median)}/s", cpu=cpu))


def rounds_for(n: int) -> int:
    """Rounds of archcite's and stock citeproc-py's formatting at size n, the two alternating
    and the best of each kept.  This machine's speed swings by up to 2x within a minute: timed
    one after the other, a ratio measures the swing as much as the engines; alternated, both
    meet the same swings.  Five rounds, not three: at N = 1,000 a round of stock citeproc-py
    takes a few seconds, and one slow stretch in three rounds could decide a ratio (MLA,
    round by round: 9.3x, 6.9x, 14.9x).  At N = 10,000 stock's one round (half a minute to two
    minutes an operation) averages the swings out, and archcite's few seconds are timed on
    both sides of it."""
    return 5 if n <= 1000 else 1


# --- archcite ------------------------------------------------------------------------


def exporter(name: str) -> tuple[Callable[[Sequence[Any]], str], str]:
    """An export function for a format: the registry's when the format is registered there,
    else the format module's dump (the formats are being added to the registry).

    The registry imports a format's module on its first use.  That is done here, before
    the timing: the rows measure export, and the process rows measure imports (the
    BibTeX module's import alone took as long as exporting 1,000 items)."""
    from archcite.errors import FormatError
    from archcite.formats import ExportOptions, get_format

    try:
        fmt = get_format(name)
        if fmt.can_dump:
            importlib.import_module(fmt.module)
            return (lambda items: fmt.dump(items, ExportOptions())), "registry"
    except FormatError:
        pass
    module = importlib.import_module({"csl-json": "archcite.formats.csl_json", "bibtex": "archcite.formats.bibtex",
                                      "biblatex": "archcite.formats.biblatex"}[name])
    return (lambda items: module.dump(items, ExportOptions())), "module dump()"


def archcite_formatting(run: Run, n: int, ops: dict[str, Any], with_cite: bool,
                        operations: Sequence[tuple[str, str, str, str, str]] = OPERATIONS) -> None:
    """archcite's formatting operations (by default all three): cite() (the public path, from
    Items) and render() (CSL-JSON in, one engine for all items, as the peers are given)."""
    from archcite.cite import cite
    from archcite.render import render

    for key, form, style, mode, which in operations:
        items_csl = ops[which + "_csl"]
        count = len(items_csl)
        if with_cite:
            texts, seconds = timed(lambda: cite(ops[which], form, "text"))
            run.add(Row(n, f"{LABELS[key]}: cite()", "archcite", count, seconds, "from Items, as the CLI", key, cpu=last_cpu()))
            run.texts["archcite cite()", key, count] = texts
        clusters = [[{"id": item["id"]}] for item in items_csl] if mode == "citation" else None
        texts, seconds = timed(lambda: render(str(STYLES[style]), items_csl, clusters, mode=mode, markup="text"))
        run.add(Row(n, f"{LABELS[key]}: render()", "archcite", count, seconds, "CSL-JSON in, one engine", key, ratio_base=True,
                    cpu=last_cpu()))
        run.texts["archcite", key, count] = texts


# --- stock citeproc-py ---------------------------------------------------------------


def stock_citeproc_py(run: Run, n: int, ops: dict[str, Any],
                      operations: Sequence[tuple[str, str, str, str, str]] = OPERATIONS) -> None:
    """citeproc-py as shipped: CitationStylesStyle + CiteProcJSON + CitationStylesBibliography,
    plain formatter, none of archcite's steps.  Items that make it raise are rendered as ''
    and counted, so one bad item does not stop the rest (bibliography entries are rendered
    one by one after the engine's sort for that reason)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    for key, _form, style, mode, which in operations:
        items = ops[which + "_csl"]
        errors: Counter[str] = Counter()

        def work() -> list[str]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parsed = CitationStylesStyle(str(STYLES[style]), validate=False)
                source = CiteProcJSON(items)
            engine = CitationStylesBibliography(parsed, source, formatter.plain)
            texts = []
            if mode == "bibliography":
                engine.register(Citation([CitationItem(item["id"]) for item in items]))
                engine.sort()
                for cited in engine.items:
                    try:
                        texts.append(str(parsed.render_bibliography([cited])[0]))
                    except Exception as exc:  # noqa: BLE001 - counted and reported
                        errors[f"{type(exc).__name__}: {exc}"[:80]] += 1
                        texts.append("")
            else:
                citations = [Citation([CitationItem(item["id"])]) for item in items]
                for citation in citations:
                    engine.register(citation)
                for citation in citations:
                    try:
                        texts.append(str(engine.cite(citation, lambda _item: None)))
                    except Exception as exc:  # noqa: BLE001
                        errors[f"{type(exc).__name__}: {exc}"[:80]] += 1
                        texts.append("")
            return texts

        texts, seconds = timed(work)
        note = ""
        if errors:
            note = f"{sum(errors.values())} items raised: " + "; ".join(f"{k} x{v}" for k, v in errors.most_common(2))
        run.add(Row(n, LABELS[key], "stock citeproc-py", len(items), seconds, note, key, cpu=last_cpu()))
        run.texts["stock citeproc-py", key, len(items)] = texts


# --- citeproc-js ---------------------------------------------------------------------


def ensure_citeproc_js() -> str | None:
    """Install citeproc-js into benchmarks/js when missing; None when node or npm is absent."""
    node = shutil.which("node")
    if node is None:
        return "node is not installed"
    if not (JS_DIR / "node_modules" / "citeproc" / "package.json").is_file():
        npm = shutil.which("npm")
        if npm is None:
            return "citeproc-js is not installed and npm is absent"
        print("  installing citeproc-js: npm install (in benchmarks/js)", flush=True)
        result = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=JS_DIR,
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            return f"npm install failed: {result.stderr.strip()[:200]}"
    return None


def locale_xml() -> str:
    import citeproc

    return (Path(citeproc.__file__).parent / "data" / "locales" / "locales-en-US.xml").read_text(encoding="utf-8")


def citeproc_js(run: Run, n: int, ops: dict[str, Any], incremental: bool) -> None:
    jobs = [
        {"name": key, "style": STYLES[style].read_text(encoding="utf-8"), "items": ops[which + "_csl"], "mode": mode,
         "format": "text", "api": "rebuild" if mode == "citation" else ""}
        for key, _form, style, mode, which in OPERATIONS
    ]
    if incremental:
        jobs.append({**jobs[0], "api": "incremental"})
    with tempfile.TemporaryDirectory(prefix="archcite-bench-") as tmp:
        source, target = Path(tmp) / "in.json", Path(tmp) / "out.json"
        source.write_text(json.dumps({"locale": locale_xml(), "jobs": jobs}, ensure_ascii=False), encoding="utf-8")
        start = time.perf_counter()
        result = subprocess.run(["node", str(JS_DIR / "bench.js"), str(source), str(target)], capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        if result.returncode != 0:
            run.note(f"citeproc-js failed: {result.stderr.strip()[:300]}")
            return
        answer = json.loads(target.read_text(encoding="utf-8"))
    inside = sum(job["seconds"] for job in answer["jobs"])
    for job in answer["jobs"]:
        note = f"engine+style {job['engine_seconds']:.3f} s"
        if job["api"]:
            note += f"; {job['api'] if job['api'] != 'rebuild' else 'rebuildProcessorState'}"
        if job["warnings"]:
            note += f"; {len(job['warnings'])} warnings, e.g. {job['warnings'][0][:60]}"
        label = LABELS[job["name"]] + (" (processCitationCluster)" if job["api"] == "incremental" else "")
        run.add(Row(n, label, f"citeproc-js {answer['version']}", job["items"], job["seconds"], note,
                    job["name"] if job["api"] != "incremental" else None, cpu=job["cpu_seconds"]))
        if job["api"] != "incremental":
            run.texts["citeproc-js", job["name"], job["items"]] = job["texts"]
    run.note(
        f"citeproc-js timed inside node; excluded: node start-up, require('citeproc') and reading the input JSON "
        f"({answer['load_seconds']:.2f} s measured inside), {wall - inside:.2f} s of the node process's {wall:.2f} s wall time in all"
    )


# --- pandoc --------------------------------------------------------------------------


def find_pandoc() -> tuple[str | None, str]:
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
        return path, str(pypandoc.get_pandoc_version())
    except Exception as exc:  # noqa: BLE001 - any failure means "absent"
        path = shutil.which("pandoc")
        if path:
            version = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout.split("\n")[0]
            return path, version.split()[-1] if version else "?"
        return None, f"pypandoc_binary is not installed ({exc.__class__.__name__})"


def pandoc(run: Run, n: int, ops: dict[str, Any], path: str, version: str) -> None:
    """pandoc --citeproc: a Markdown document with nocite '@*' (bibliography) or one citation per
    paragraph (notes: the note style turns them into footnotes), plain-text output.  Timed from
    outside, so pandoc's start-up is in the figure; a one-item run gives that fixed cost."""
    cpu = [0.0]
    with tempfile.TemporaryDirectory(prefix="archcite-bench-") as tmp:
        tmpdir = Path(tmp)

        def call(markdown: str, items: list[dict[str, Any]], style: str) -> tuple[subprocess.CompletedProcess[str], float]:
            (tmpdir / "doc.md").write_text(markdown, encoding="utf-8")
            (tmpdir / "items.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
            command = [path, str(tmpdir / "doc.md"), "--citeproc", f"--csl={STYLES[style]}",
                       f"--bibliography={tmpdir / 'items.json'}", "-t", "plain", "--wrap=none"]
            start = time.perf_counter()
            result, usage = run_with_usage(command)
            cpu[0] = usage.ru_utime + usage.ru_stime
            return result, time.perf_counter() - start

        nocite = "---\nnocite: '@*'\n---\n"
        _, fixed = call(nocite, ops["documents_csl"][:1], "chicago")
        for key, _form, style, mode, which in OPERATIONS:
            items = ops[which + "_csl"]
            if mode == "bibliography":
                markdown = nocite
            else:
                markdown = "\n\n".join(f"Text [@{{{item['id']}}}]." for item in items) + "\n"
            result, seconds = call(markdown, items, style)
            if result.returncode != 0:
                run.note(f"pandoc failed on {key}: {result.stderr.strip()[:300]}")
                continue
            out = result.stdout
            produced = len(re.findall(r"^\[\d+\] ", out, re.MULTILINE)) if mode == "citation" else len([p for p in out.split("\n\n") if p.strip()])
            note = f"incl. start-up; {produced} entries out"
            if result.stderr.strip():
                note += f"; stderr: {result.stderr.strip().splitlines()[0][:60]}"
            run.add(Row(n, LABELS[key], f"pandoc {version}", len(items), seconds, note, key, cpu=cpu[0]))
        run.note(f"pandoc's fixed cost (start-up, style and locale parsing), from a one-item bibliography: {fixed:.2f} s per run")


def run_with_usage(command: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], Any]:
    """subprocess.run, plus the child's resource usage (CPU time, peak RSS) from wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(command, process.returncode, out.read().decode("utf-8", "replace"),
                                             err.read().decode("utf-8", "replace"))
    return result, usage


# --- parity with citeproc-js ---------------------------------------------------------


def _document_number(text: str) -> str | None:
    """The Wilson Center document number in an entry's URL: which document a bibliography entry is."""
    found = re.findall(r"/document/([0-9]+)", text)
    return found[-1] if found else None


def parity(run: Run, count: int, examples: int) -> None:
    """archcite's text against citeproc-js's for the same items (and stock citeproc-py's, for scale).

    Notes are compared item by item.  Bibliography entries are paired by the document number in
    their URL, so that a difference in sort order is counted once, apart from differences in text."""
    from archcite.cite import drop_url_scheme

    for key, _form, _style, mode, _which in OPERATIONS:
        theirs = run.texts.get(("citeproc-js", key, count))
        if theirs is None:
            continue
        shown_pairs: set[tuple[str, str]] = set()
        for engine in ("archcite", "archcite cite()", "stock citeproc-py"):
            ours = run.texts.get((engine, key, count))
            if ours is None:
                continue
            reference = [drop_url_scheme(t) for t in theirs] if engine == "archcite cite()" and key == "mla" else theirs
            if len(ours) != len(reference):
                run.parity.append(f"{LABELS[key]}, {engine}: {len(ours)} texts against citeproc-js's {len(reference)}")
                continue
            order_line = ""
            if mode == "bibliography":
                our_keys, their_keys = [_document_number(t) for t in ours], [_document_number(t) for t in reference]
                mine = {k: t for k, t in zip(our_keys, ours) if k}
                other = {k: t for k, t in zip(their_keys, reference) if k}
                pairs = [(mine.get(k, ""), t) for k, t in other.items()]
                pairs += [("", "")] * (count - len(other))  # entries citeproc-js printed without a URL: cannot pair
                differing = [(a, b) for a, b in pairs if a != b]
                moved = sum(1 for a, b in zip(our_keys, their_keys) if a != b)
                first = next((i for i, (a, b) in enumerate(zip(our_keys, their_keys)) if a != b), None)
                order_line = f"; sort order: {moved} of {count} positions hold another entry"
                if first is not None:
                    order_line += f" (first at #{first + 1}: {_head(ours[first])} | citeproc-js: {_head(reference[first])})"
            else:
                differing = [(a, b) for a, b in zip(ours, reference) if a != b]
            line = f"{LABELS[key]}: {engine} vs citeproc-js: {len(differing)} of {count} differ in text{order_line}"
            if engine == "archcite cite()" and key == "mla":
                line += " [URL scheme dropped from citeproc-js's text, as cite() prints MLA URLs]"
            run.parity.append(line)
            limit = examples if engine != "stock citeproc-py" else min(examples, 1)
            fresh = [(a, b) for a, b in differing if (a, b) not in shown_pairs]
            if engine == "archcite cite()":
                fresh = [(a, b) for a, b in fresh if (a, b) not in shown_pairs and a not in {x for x, _ in shown_pairs}]
            for a, b in fresh[:limit]:
                shown_pairs.add((a, b))
                run.parity.append(f"    {engine + ':':<19} {a}")
                run.parity.append(f"    {'citeproc-js:':<19} {b}")


def _head(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --- one size ------------------------------------------------------------------------


def bench_size(run: Run, n: int, args: argparse.Namespace, peer_cache: dict[int, bool]) -> None:
    from archcite.formats import Item, get_format
    from archcite.formats.csl_json import to_csl

    print(f"\nN = {n:,}", flush=True)
    documents, seconds = timed(lambda: generate(n, args.seed))
    texts = [record_text(d) for d in documents]
    size = sum(len(t.encode("utf-8")) for t in texts)
    run.note(f"N={n:,}: generated {n:,} documents ({sum(len(d.excerpts) for d in documents):,} excerpts) in {seconds:.1f} s; "
             f"record texts {size / 1e6:.1f} MB, {size / n / 1e3:.1f} kB each")

    # Import, reading record files (what every command on a records folder does first), export.
    from archcite.formats.yaml_record import dump_document

    reader = get_format("record-text")
    yaml_reader = get_format("yaml")
    record_files = [dump_document(d) for d in documents]
    doc_items = [Item(d) for d in documents]

    def check_import(imported: list[Any], via: str = "load()") -> None:
        mismatched = [(d, i) for d, i in zip(documents, imported) if d != i]
        mismatched += [(d, None) for d in documents[len(imported):]]
        run.note(f"N={n:,}: round trip generate -> record text -> import ({via}): {n - len(mismatched):,} of {n:,} documents identical")
        for document, back in mismatched[:3]:
            differences = round_trip_differences(document, back) if back is not None else ["missing"]
            run.note(f"  {document.id}: {'; '.join(differences)[:300]}")

    def check_read(read: list[Any]) -> None:
        run.note(f"N={n:,}: record files read back: {sum(d == r for d, r in zip(documents, read)):,} of {n:,} documents identical")

    rows = [
        IoRow("import record texts, load() each", "registry record-text load()", check=check_import,
              work=lambda: [reader.load(text, f"{d.id}.txt")[0] for text, d in zip(texts, documents)]),
        IoRow("import record texts, load_many()", "registry record-text load_many()",
              check=lambda imported: check_import(imported, "load_many()"),
              work=lambda: reader.load_many((text, f"{d.id}.txt") for text, d in zip(texts, documents))),
        IoRow("read record files (YAML)", "registry yaml load()", check=check_read,
              work=lambda: [yaml_reader.load(text, f"{d.id}.yaml")[0] for text, d in zip(record_files, documents)]),
    ]
    for name in ("csl-json", "bibtex", "biblatex"):
        dump, via = exporter(name)
        size = len(dump(doc_items).encode("utf-8"))
        rows.append(IoRow(f"export {name}", f"{via}; {size / 1e6:.1f} MB", work=lambda dump=dump: dump(doc_items)))
    run.note(f"N={n:,}: import, read and export rows: the best of {IO_ROUNDS} rounds each, the median in the note; the rows "
             f"take turns, one round each, so that each row's rounds are spread over the whole stretch")
    io_rows(run, n, rows)
    del record_files

    # Formatting: notes cite one excerpt of each document, bibliographies the documents.
    note_items = [Item(d, d.excerpts[i % len(d.excerpts)]) for i, d in enumerate(documents)]
    ops: dict[str, Any] = {"notes": note_items, "documents": doc_items}
    ops["notes_csl"] = [to_csl(item) for item in note_items]
    ops["documents_csl"] = [to_csl(item) for item in doc_items]
    with_cite = n <= args.cite_up_to
    if not with_cite:
        run.note(f"N={n:,}: archcite cite() rows only up to N={args.cite_up_to:,} (cite() is to_csl() + render(); --cite-up-to)")
    subset = min(n, args.subset)
    stock_alongside = not args.no_peers and subset == n and not peer_cache.get(subset)
    rounds = rounds_for(n)
    if rounds > 1:
        run.note(f"N={n:,}: archcite{' and stock citeproc-py' if stock_alongside else ''} timed in {rounds} alternating rounds, "
                 f"operation by operation; the table keeps each one's best")
    elif stock_alongside:
        run.note(f"N={n:,}: operation by operation, archcite timed just before and just after stock citeproc-py's one run "
                 f"(the table keeps archcite's better time)")
    # Operation by operation, so that archcite and stock citeproc-py meet the same stretch of
    # the machine: all three of archcite's, then all three of stock's, put minutes between
    # archcite's bibliography and stock's at N = 10,000 (in one run that made 16x look like 9x).
    for _ in range(rounds):
        for operation in OPERATIONS:
            archcite_formatting(run, n, ops, with_cite, [operation])
            if stock_alongside:
                stock_citeproc_py(run, n, ops, [operation])
                if rounds == 1:
                    # A round of stock's lasts up to two minutes, archcite's a few seconds:
                    # timed on both sides of it, archcite's best is not one slow moment's.
                    archcite_formatting(run, n, ops, False, [operation])

    if args.no_peers:
        return
    if peer_cache.get(subset):
        run.note(f"N={n:,}: peers run on the first {subset:,} items only, which are the N={subset:,} run's items "
                 f"(same seed): measured once, above, with their ratios and the parity check")
        return
    if subset < n:
        run.note(f"N={n:,}: stock citeproc-py, citeproc-js and pandoc run on the first {subset:,} items only "
                 f"(ratios compare archcite on the same {subset:,})")
    sub_ops = {key: value[:subset] for key, value in ops.items()}
    if subset < n:
        archcite_formatting(run, n, sub_ops, with_cite=False)

    if not stock_alongside:
        stock_citeproc_py(run, n, sub_ops)
    missing = ensure_citeproc_js()
    if missing:
        run.note(f"citeproc-js skipped: {missing}")
    else:
        citeproc_js(run, n, sub_ops, args.js_incremental)
    path, version = find_pandoc()
    if path is None:
        run.note(f"pandoc skipped: {version}")
    else:
        pandoc(run, n, sub_ops, path, version)
    if subset == n:
        parity(run, subset, args.examples)
    else:
        # archcite's cite() ran on all n: compare its first `subset` notes.
        for key in ("chicago-note",):
            full = run.texts.pop(("archcite cite()", key, n), None)
            if full is not None:
                run.texts["archcite cite()", key, subset] = full[:subset]
        parity(run, subset, args.examples)
    peer_cache[subset] = True


# --- processes and memory -----------------------------------------------------------


def archcite_command() -> list[str]:
    script = Path(sys.executable).parent / "archcite"
    if script.is_file():
        return [str(script)]
    found = shutil.which("archcite")
    return [found] if found else [sys.executable, "-m", "archcite"]


def best_of(command: list[str] | Callable[[int], list[str]], times: int = 5,
            env: dict[str, str] | None = None) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Best wall time of `times` runs, the CPU seconds of that run, and the last result, or the
    first failed one (a process that fails fast must not pass for a fast process).  `command`
    may be a function of the run's number, for runs that each need a place of their own."""
    best, best_cpu, result = float("inf"), 0.0, None
    for index in range(times):
        start = time.perf_counter()
        result, usage = run_with_usage(command(index) if callable(command) else command, env)
        wall = time.perf_counter() - start
        if result.returncode != 0:
            return wall, usage.ru_utime + usage.ru_stime, result
        if wall < best:
            best, best_cpu = wall, usage.ru_utime + usage.ru_stime
    assert result is not None
    return best, best_cpu, result


def processes(run: Run) -> None:
    print("\nprocesses", flush=True)
    # pip compiles a package's modules to bytecode when it installs it; an editable install
    # compiles them on first import, unless PYTHONDONTWRITEBYTECODE is set (it is on some
    # machines), and then every process compiles them again.  Time what a user runs.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "archcite")], check=False)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        run.note("processes: PYTHONDONTWRITEBYTECODE is set here; archcite's bytecode was compiled first (compileall), "
                 "as pip does when it installs a package")
    command = archcite_command() + ["cite", "wcda-114978:p19-20", "--records", str(ROOT / "records")]
    with tempfile.TemporaryDirectory() as cache:
        # The record cache in a folder of its own: the first run fills it, the best of
        # five is a run that found the record there.  Then with the cache turned off: what
        # the first run after editing a record costs.
        for label, extra in (("record cached", {"XDG_CACHE_HOME": cache}), ("ARCHCITE_NO_CACHE=1", {"ARCHCITE_NO_CACHE": "1"})):
            seconds, cpu, result = best_of(command, env={**os.environ, **extra})
            if result.returncode != 0 or not result.stdout.strip():
                # No row: its time would be that of a failure.
                run.note(f"FAILED, not timed: {' '.join(command)} ({label}) exited {result.returncode}: "
                         f"{result.stderr.strip()[-300:]}")
                continue
            run.add(Row(0, f"archcite cite wcda-114978:p19-20 (process, {label})", "archcite", 1, seconds,
                        f"best of 5, ok; {command[0]}", cpu=cpu))
    seconds, cpu, _ = best_of([sys.executable, "-c", "pass"])
    run.add(Row(0, "python -c pass (process)", "python", 1, seconds, "best of 5: the floor for any Python CLI", cpu=cpu))
    seconds, cpu, _ = best_of([sys.executable, "-c", "import archcite.cli"])
    run.add(Row(0, "python -c 'import archcite.cli' (process)", "python", 1, seconds, "best of 5: imports alone", cpu=cpu))


def cli_import(run: Run, count: int, seed: int, rounds: int = 3) -> None:
    """`archcite import` of `count` record-text files into an empty records folder: what a
    historian runs, with each record file written (and synced) as well as read and checked.
    The library's import row above measures the reading and checking alone."""
    print("\ncommand-line import", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        texts = Path(folder) / "texts"
        texts.mkdir()
        paths = []
        for document in generate(count, seed):
            path = texts / f"{document.id}.txt"
            path.write_text(record_text(document), encoding="utf-8")
            paths.append(str(path))
        best, best_cpu, result = best_of(
            lambda index: archcite_command() + ["import", "--records", str(Path(folder) / f"records{index}"), *paths], rounds
        )
        if result.returncode != 0:
            run.note(f"FAILED, not timed: archcite import of {count:,} texts exited {result.returncode}: "
                     f"{result.stderr.strip()[-300:]}")
            return
        run.add(Row(0, f"archcite import of {count:,} record texts (process, files written)", "archcite", count, best,
                    f"best of {rounds}, each into an empty folder; process start included", cpu=best_cpu))


def memory(run: Run, n: int, seed: int, cli_items: int = 2000) -> None:
    """Peak memory of a streaming export, as a user meets it, each in a child process of its own:
    (a) the library: n documents generated one at a time into the registry's
    ``dump_iter``, the pieces written to /dev/null; (b) the command line: ``archcite export
    --format csl-json`` on a records folder of ``cli_items`` generated records, to a file."""

    def child(label: str, *extra: str) -> dict[str, Any] | None:
        command = [sys.executable, str(Path(__file__).resolve()), "--seed", str(seed), *extra]
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            run.note(f"memory test ({label}) failed: {result.stderr.strip()[-400:]}")
            return None
        answer: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
        answer["wall"] = time.perf_counter() - start
        return answer

    print(f"\nmemory: streaming CSL-JSON export of {n:,} items (library) and {cli_items:,} records (CLI), in child processes",
          flush=True)
    run.memory = {}
    library = child("library", "--memory-child", str(n))
    if library is not None:
        run.add(Row(n, "export csl-json, streamed to /dev/null (child)", "archcite", n, library["export_seconds"],
                    cpu=library["export_cpu"], note=f"peak RSS (VmHWM) {library['hwm_mb']:,.0f} MB, {library['rss_after_imports_mb']:,.0f} MB "
                    f"after imports; lazy generate_iter -> dump_iter; {library['bytes'] / 1e6:,.0f} MB written"))
        run.memory["library"] = {"items": n, **library}
        run.note(f"memory (library): peak RSS {library['hwm_mb']:,.0f} MB (the child's VmHWM) for {n:,} items, "
                 f"{library['rss_after_imports_mb']:,.0f} MB of it after imports; the documents are generated one at a time "
                 f"(generate_iter) and fed to get_format('csl-json').dump_iter, whose pieces go to /dev/null as they come; "
                 f"export {library['export_seconds']:.0f} s, generation {library['generate_seconds']:.0f} s, child wall time "
                 f"{library['wall']:.0f} s; {library['bytes'] / 1e6:,.0f} MB written")
    if cli_items <= 0:
        return
    from archcite.formats.yaml_record import dump_document
    from generate import generate_iter

    with tempfile.TemporaryDirectory(prefix="archcite-bench-") as tmp:
        records = Path(tmp) / "records"
        records.mkdir()
        start = time.perf_counter()
        for document in generate_iter(cli_items, seed):
            (records / f"{document.id}.yaml").write_text(dump_document(document), encoding="utf-8")
        written = time.perf_counter() - start
        cli = child("CLI", "--memory-child", str(cli_items), "--memory-records", str(records))
    if cli is None:
        return
    run.add(Row(cli_items, "archcite export --format csl-json -o FILE (child)", "archcite", cli_items, cli["export_seconds"],
                cpu=cli["export_cpu"], note=f"peak RSS (VmHWM) {cli['hwm_mb']:,.0f} MB, {cli['rss_after_imports_mb']:,.0f} MB after "
                f"imports; {cli_items:,} records (not {n:,}: the records are written to disk first); {cli['bytes'] / 1e6:,.0f} MB written"))
    run.memory["cli"] = {"items": cli_items, "records_written_seconds": written, **cli}
    run.note(f"memory (CLI): peak RSS {cli['hwm_mb']:,.0f} MB (the child's VmHWM) for `archcite export --format csl-json --records DIR "
             f"-o FILE` on {cli_items:,} records, run in-process by archcite.cli.main (the console script's code path), "
             f"{cli['rss_after_imports_mb']:,.0f} MB of it after imports; each record is read, exported and let go in turn, "
             f"the output goes to a temp file renamed at the end; export {cli['export_seconds']:.0f} s, "
             f"{written:.0f} s to write the records first")


def memory_child(n: int, seed: int, records: str | None = None) -> None:
    """One half of the memory test: with ``records``, ``archcite export --format csl-json`` on that folder;
    without, n generated documents streamed through the registry's ``dump_iter`` to /dev/null.  Prints, as
    one JSON line, what the parent cannot see: this process's own peak RSS and where the time went."""
    import resource
    from collections.abc import Iterator

    from archcite.formats import ExportOptions, Item, get_format
    from generate import generate_iter

    def rss_mb() -> float:
        """Peak RSS so far of this process's own memory since exec (VmHWM).  Not ru_maxrss: on Linux
        that starts from the RSS of the process that forked us, here the benchmark's parent."""
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    fmt = get_format("csl-json")
    fmt.dump([], ExportOptions())  # imports the format's module before the first figure
    if records is not None:
        from archcite.cli import main as archcite_main

        target = Path(records).parent / "library.json"
        rss_imports = rss_mb()
        start, cpu = time.perf_counter(), time.process_time()
        code = archcite_main(["export", "--format", "csl-json", "--records", records, "--output", str(target)])
        export_seconds, export_cpu = time.perf_counter() - start, time.process_time() - cpu
        if code != 0:
            raise SystemExit(f"archcite export exited {code}")
        print(json.dumps({"export_seconds": export_seconds, "export_cpu": export_cpu, "bytes": target.stat().st_size,
                          "rss_after_imports_mb": rss_imports, "hwm_mb": rss_mb()}))
        return

    generating = [0.0, 0.0]  # wall and CPU seconds spent making the documents, kept apart from the export's

    def documents() -> Iterator[Any]:
        source = generate_iter(n, seed)
        while True:
            started, cpu_started = time.perf_counter(), time.process_time()
            document = next(source, None)
            generating[0] += time.perf_counter() - started
            generating[1] += time.process_time() - cpu_started
            if document is None:
                return
            yield document

    rss_imports = rss_mb()
    size = 0
    start, cpu = time.perf_counter(), time.process_time()
    with open(os.devnull, "wb") as sink:
        for piece in fmt.dump_iter((Item(d) for d in documents()), ExportOptions()):
            data = piece.encode("utf-8")
            size += len(data)
            sink.write(data)
    total, export_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"generate_seconds": generating[0], "export_seconds": total - generating[0],
                      "export_cpu": export_cpu - generating[1], "bytes": size, "rss_after_imports_mb": rss_imports, "hwm_mb": rss_mb()}))


# --- report --------------------------------------------------------------------------


def machine() -> list[str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = [f"Python {platform.python_version()}"]
    try:
        import citeproc

        versions.append(f"citeproc-py {getattr(citeproc, '__version__', '?')}")
    except ImportError:
        pass
    node = shutil.which("node")
    if node:
        versions.append("node " + subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout.strip())
    return [f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, {platform.system()} {platform.release()}",
            "versions: " + ", ".join(versions)]


def load_line() -> str:
    one, five, fifteen = os.getloadavg()
    busy = " - busier than its CPUs: wall times are inflated, 'cpu s' is the steadier figure" if one > len(os.sched_getaffinity(0)) else ""
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}{busy}"


def table(run: Run) -> str:
    header = ["N", "operation", "engine", "items", "seconds", "cpu s", "items/s", "vs stock-py", "vs citeproc-js", "vs pandoc", "note"]
    lines: list[list[str]] = []
    for row in run.rows:
        ratios = ["", "", ""]
        if row.ratio_base and row.op:
            for index, peer in enumerate(PEERS):
                other = next((r for r in run.rows if r.n == row.n and r.op == row.op and r.items == row.items
                              and r.engine.startswith("stock " + peer if peer == "citeproc-py" else peer)), None)
                if other is None and row.n:
                    # Peers measured once for these items, in an earlier size.
                    other = next((r for r in run.rows if r.op == row.op and r.items == row.items
                                  and r.engine.startswith("stock " + peer if peer == "citeproc-py" else peer)), None)
                if other is not None and other.seconds > 0:
                    ratios[index] = f"{row.seconds / other.seconds:.2f}"
                    if row.cpu and other.cpu:
                        ratios[index] += f" ({row.cpu / other.cpu:.2f})"
        lines.append([f"{row.n:,}" if row.n else "-", row.operation, row.engine, f"{row.items:,}", f"{row.seconds:.3f}",
                      f"{row.cpu:.2f}" if row.cpu is not None else "", _rate(row.rate), *ratios, row.note])
    widths = [max(len(header[i]), *(len(line[i]) for line in lines)) for i in range(len(header) - 1)]
    right = {0, 3, 4, 5, 6, 7, 8, 9}

    def fmt(cells: list[str]) -> str:
        parts = [c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells[:-1])]
        return " | ".join(parts) + " | " + cells[-1]

    out = [fmt(header), "-+-".join("-" * w for w in widths) + "-+-" + "-" * 4]
    previous = None
    for line in lines:
        if previous is not None and line[0] != previous:
            out.append("")
        out.append(fmt(line))
        previous = line[0]
    return "\n".join(out)


def profile(n: int, seed: int) -> None:
    """cProfile of archcite's Chicago bibliography (cite()) on n generated documents: top 15 by cumulative time."""
    from archcite.cite import cite
    from archcite.formats import Item

    items = [Item(d) for d in generate(n, seed)]
    cite(items[:2], "chicago-bibliography")  # warm up: imports, style parsing
    profiler = cProfile.Profile()
    profiler.enable()
    cite(items, "chicago-bibliography")
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(15)
    print(f"\ncProfile, archcite cite(..., 'chicago-bibliography') on {n} items, top 15 by cumulative time:")
    print(stream.getvalue())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, nargs="+", default=None, metavar="N", help="sizes (default: 1000 10000)")
    parser.add_argument("--quick", action="store_true", help="N=200, no memory test: a trial run under a minute")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--subset", type=int, default=1000, metavar="M",
                        help="stock citeproc-py, citeproc-js and pandoc run on the first M items (default 1000)")
    parser.add_argument("--memory-items", type=int, default=100_000, metavar="N", help="items of the memory test (default 100000)")
    parser.add_argument("--memory-cli-items", type=int, default=2000, metavar="N",
                        help="records of the memory test's CLI export (default 2000; 0: skip it)")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory test")
    parser.add_argument("--cite-up-to", type=int, default=1000, metavar="N",
                        help="time archcite's cite() (besides render()) for sizes up to N (default 1000)")
    parser.add_argument("--no-peers", action="store_true", help="archcite only")
    parser.add_argument("--js-incremental", action="store_true",
                        help="also time citeproc-js notes through processCitationCluster, one call per note (slow: quadratic)")
    parser.add_argument("--examples", type=int, default=3, help="differences to print per operation (default 3)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="only profile archcite's Chicago bibliography on N items")
    parser.add_argument("--json", metavar="PATH", help="also write the rows as JSON")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--memory-records", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.memory_child:
        memory_child(args.memory_child, args.seed, args.memory_records)
        return 0
    if args.profile:
        profile(args.profile, args.seed)
        return 0
    sizes = args.n or ([200] if args.quick else [1000, 10000])
    if args.quick:
        args.no_memory = True

    started = time.perf_counter()
    header = machine()
    print("\n".join(header), flush=True)
    print("at start: " + load_line(), flush=True)
    start_load = load_line()
    run = Run()
    peer_cache: dict[int, bool] = {}
    for n in sorted(sizes):
        bench_size(run, n, args, peer_cache)
    processes(run)
    cli_import(run, min(1000, max(sizes)), args.seed)
    if not args.no_memory:
        memory(run, args.memory_items, args.seed, args.memory_cli_items)
    total = time.perf_counter() - started

    print("\n" + "=" * 100)
    print("\n".join(header))
    print(f"seed {args.seed}; sizes {', '.join(f'{n:,}' for n in sorted(sizes))}; total run time {total:.0f} s")
    print(f"at start: {start_load}\nat end:   {load_line()}")
    print("vs <peer>: seconds of archcite render() / seconds of the peer on the same items and style (>1: archcite slower);")
    print("           in brackets the same ratio of CPU seconds, steadier on a busy machine\n")
    print(table(run))
    print("\nnotes:")
    for note in run.notes:
        print(f"- {note}")
    if run.parity:
        print("\nsame text as citeproc-js? (plain text, archcite's styles)")
        for line in run.parity:
            print(f"- {line}" if not line.startswith("    ") else line)
    if args.json:
        Path(args.json).write_text(json.dumps({
            "machine": header, "seed": args.seed, "sizes": sizes, "total_seconds": total,
            "rows": [{**row.__dict__, "items_per_second": row.rate} for row in run.rows],
            "notes": run.notes, "parity": run.parity, "memory": run.memory,
        }, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
