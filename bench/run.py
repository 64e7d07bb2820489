"""The benchmark: the pipeline's stages on a synthetic project, against polib and msgfmt.

It generates a project from a seed and a size (``bench/synth.py``: N articles of about 50
units and 5,000 words, catalogs in eleven languages partly translated), then runs each
stage in a fresh process and records its wall time, CPU time and peak memory (the largest
process's ``ru_maxrss``, and the sum of RSS over the process tree sampled while it runs):
cold ingest, translators' edits (setup), cold sync, warm sync with nothing changed, sync
after one catalog changed, ``report --format json``, ``check``, ``stats`` over the
project's catalogs and over a real corpus (the Python documentation's catalogs), each in
one process and as run (worker processes). In the same run, on the same files, the
baselines: ``polib.pofile`` over every catalog (one process, and two), and
``msgfmt --statistics`` file by file (one at a time, and two at a time). It checks the
outputs against each other (report and stats against what the generator wrote, stats
against msgfmt), prints a table with ratios to the baselines and the targets, and writes
JSON to ``bench/results/``::

    .venv/bin/python bench/run.py [--articles 100] [--seed 1] [--stages 'sync-*,report-json']
                                  [--workdir DIR] [--keep] [--profile] [--project-scope de]

``--profile`` runs the pipeline's stages under cProfile and writes each profile's top
functions beside the JSON; its timings are not comparable with an unprofiled run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
MARKER = ".bench-project.json"
PAGE = os.sysconf("SC_PAGE_SIZE")
FULL_SIZE = 10_000  # the size the targets are set for

# -- measuring one process ----------------------------------------------------------------


def tree_rss(pid: int) -> int:
    """Bytes resident in the descendants of ``pid`` now (0 once they have gone).

    Each process counts its proportional share (PSS) where the kernel gives it: forked
    workers share their parent's pages until they write them, and the sum of plain RSS
    would count those pages once per process."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            if current != pid:
                total += _resident(current)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    stack.extend(int(child) for child in fh.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


def _resident(pid: int) -> int:
    """The proportional set size of ``pid`` in bytes, or its RSS without smaps_rollup."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    with open(f"/proc/{pid}/statm") as fh:
        return int(fh.read().split()[1]) * PAGE


# Runs the command in a child of its own and reports that child's resource use. The wrapper
# is needed because Linux carries a process's peak RSS across fork and exec: a command
# started straight from this (growing) process would report at least this process's peak.
_WRAPPER = """
import json, os, resource, sys, time
out, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
status = os.waitpid(pid, 0)[1]
wall = time.perf_counter() - start
use = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as fh:
    json.dump([use.ru_maxrss, use.ru_utime + use.ru_stime, wall], fh)
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


@dataclass
class Measured:
    """One process run: its times, memory and exit code."""

    wall_s: float
    cpu_s: float
    max_rss_mb: float  # the largest single process (ru_maxrss of the stage and its children)
    tree_mb: float  # the largest sampled sum of PSS (else RSS) over the stage's process tree
    returncode: int
    load: float  # one-minute load average when it started (other work on the machine)


def run_measured(
    command: Sequence[str],
    *,
    cwd: Path,
    stdout: Path,
    stderr: Path,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> Measured:
    """Run ``command`` to completion (or kill it after ``timeout`` seconds: exit -9),
    sampling its process tree's memory as it goes. The wall time is the wrapper's, from
    the fork of the stage to its exit: not rounded up to this loop's sampling interval."""
    load = os.getloadavg()[0]
    usage_file = stdout.with_suffix(".rusage")
    usage_file.unlink(missing_ok=True)
    wrapped = [sys.executable, "-S", "-c", _WRAPPER, str(usage_file), *command]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            wrapped, cwd=cwd, stdout=out, stderr=err, env=env, start_new_session=True
        )
        peak = 0
        pause = 0.002
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if timeout is not None and time.perf_counter() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)  # the stage and its workers
                timeout = None
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(pause)
            # Reading the tree's memory costs the kernel a walk of its page tables: on two
            # cores, sampling a long stage every 50 ms took a tenth of a core from it.
            pause = min(0.25, pause * 1.3)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    try:
        max_rss_kb, cpu, wall = json.loads(usage_file.read_text())
    except (OSError, ValueError):  # killed: the wrapper's own figures, an upper bound
        max_rss_kb, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    return Measured(
        wall_s=round(wall, 3),
        cpu_s=round(cpu, 3),
        max_rss_mb=round(max_rss_kb / 1024, 1),
        tree_mb=round(max(peak, max_rss_kb * 1024) / 2**20, 1),
        returncode=proc.returncode if proc.returncode < 128 else 128 - proc.returncode,
        load=round(load, 2),
    )


# -- baselines (run as ``run.py baseline polib|msgfmt FOLDER``) ---------------------------


def po_files(folder: Path) -> list[Path]:
    """The ``.po`` files under ``folder``, as ``stats`` finds them."""
    return [p for p in sorted(folder.rglob("*.po")) if p.is_file()]


def _polib_counts(path: str) -> tuple[int, int, int, int]:
    import polib

    catalog = polib.pofile(path)
    return (
        len(catalog.translated_entries()),
        len(catalog.fuzzy_entries()),
        len(catalog.untranslated_entries()),
        len(catalog.obsolete_entries()),
    )


_MSGFMT_COUNTS = {
    "translated": re.compile(r"(\d+) translated message"),
    "fuzzy": re.compile(r"(\d+) fuzzy translation"),
    "untranslated": re.compile(r"(\d+) untranslated message"),
}


def _msgfmt_counts(path: str) -> tuple[int, int, int, int]:
    proc = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, path], capture_output=True, text=True
    )
    found = [m.group(1) if (m := rx.search(proc.stderr)) else "0" for rx in _MSGFMT_COUNTS.values()]
    return int(found[0]), int(found[1]), int(found[2]), int(proc.returncode != 0)


def _msgfmt_check(path: str) -> tuple[int, int, int, int]:
    proc = subprocess.run(
        ["msgfmt", "--check-format", "-o", os.devnull, path], capture_output=True, text=True
    )
    return 0, 0, 0, int(proc.returncode != 0)


def baseline(tool: str, folders: Sequence[Path], jobs: int) -> dict[str, int]:
    """Count every catalog under ``folders`` with polib or msgfmt, file by file; or, as
    ``msgfmt-check``, run ``msgfmt --check-format`` on each."""
    files = [str(p) for folder in folders for p in po_files(folder)]
    if tool == "polib":
        import polib  # noqa: F401  (counted even with no files: the start-up stage)
    count: Callable[[str], tuple[int, int, int, int]]
    count = {"polib": _polib_counts, "msgfmt": _msgfmt_counts, "msgfmt-check": _msgfmt_check}[tool]
    if jobs <= 1:
        counts = list(map(count, files))
    elif tool == "polib":
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            counts = list(pool.map(count, files, chunksize=max(1, len(files) // (jobs * 8))))
    else:  # msgfmt runs in its own processes; threads only start them
        with ThreadPoolExecutor(max_workers=jobs) as threads:
            counts = list(threads.map(count, files))
    last = "obsolete" if tool == "polib" else "failed"
    totals = [sum(c[i] for c in counts) for i in range(4)]
    return {
        "files": len(files),
        "bytes": sum(os.path.getsize(f) for f in files),
        "translated": totals[0],
        "fuzzy": totals[1],
        "untranslated": totals[2],
        last: totals[3],
    }


# -- stages -------------------------------------------------------------------------------


@dataclass
class Context:
    """Where the run works and what it was asked for."""

    project: Path
    out: Path  # folder for the stages' outputs and profiles
    articles: int
    seed: int
    jobs: int
    corpus: Path | None
    scope: str  # "all" or a language: the catalogs the project's stats and baselines read
    profile: bool
    library: Path | None = None  # a checkout whose i18n_pipeline the stages import
    timeout: float | None = None  # seconds a pipeline stage may take before it is killed
    repeat: int = 1  # runs of each stage that changes nothing; the fastest is kept
    python: str = sys.executable

    def env(self) -> dict[str, str] | None:
        if self.library is None:
            return None
        path = os.environ.get("PYTHONPATH")
        return {
            **os.environ,
            "PYTHONPATH": f"{self.library}{os.pathsep}{path}" if path else str(self.library),
        }

    def scope_folder(self) -> Path:
        locales = self.project / "locales"
        return locales if self.scope == "all" else locales / self.scope


@dataclass(frozen=True)
class Stage:
    name: str
    kind: str  # setup, pipeline, ours (stats), baseline, eval
    what: str
    needs_corpus: bool = False


STAGES = (
    Stage("generate", "setup", "write config.yaml and N articles (bench/synth.py)"),
    Stage("ingest", "pipeline", "cold ingest: templates and 11 catalogs per article, index"),
    Stage("translate", "setup", "translators edit the catalogs (bench/synth.py)"),
    Stage("sync-cold", "pipeline", "first sync: every edited catalog read and indexed"),
    Stage("sync-warm", "pipeline", "sync again with nothing changed"),
    Stage("touch", "setup", "a translator saves one catalog"),
    Stage("sync-one", "pipeline", "sync after one catalog changed"),
    Stage("report-json", "pipeline", "report --format json"),
    Stage("report-html", "pipeline", "report --format html -o FILE.html: the one-file page"),
    Stage("report-site", "pipeline", "report --format html -o DIR/: the dashboard site"),
    Stage("report-site-again", "pipeline", "the site again, nothing changed: nothing rewritten"),
    Stage("report-translator", "pipeline", "report --by translator --format json"),
    Stage(
        "check-cold", "pipeline", "check --fresh: every file read, checked and its findings kept"
    ),
    Stage("check-warm", "pipeline", "check again with nothing changed"),
    Stage("touch-check", "setup", "a translator saves one more catalog"),
    Stage("check-one", "pipeline", "check after one catalog changed"),
    Stage("retime", "setup", "every template and catalog gets a new mtime, as in a fresh clone"),
    Stage("check-clone", "pipeline", "check after it: the same bytes under new mtimes"),
    Stage("check-clone-again", "pipeline", "check again before a sync: the index's stamps old"),
    Stage("sync-clone", "setup", "sync: the index learns the new mtimes"),
    Stage("msgfmt-check", "baseline", "msgfmt --check-format file by file"),
    Stage("msgfmt-check-2", "baseline", "msgfmt --check-format file by file, two at a time"),
    Stage("stats-project", "ours", "stats over the project's catalogs, as run (workers)"),
    Stage("stats-project-1", "ours", "stats over the project's catalogs, one process"),
    Stage("polib-project", "baseline", "polib.pofile over the same catalogs, one process"),
    Stage("polib-project-2", "baseline", "polib.pofile over the same catalogs, two processes"),
    Stage("msgfmt-project", "baseline", "msgfmt --statistics file by file"),
    Stage("msgfmt-project-2", "baseline", "msgfmt --statistics file by file, two at a time"),
    Stage("stats-docs", "ours", "stats over the python-docs corpus, as run", True),
    Stage("stats-docs-1", "ours", "stats over the python-docs corpus, one process", True),
    Stage("polib-docs", "baseline", "polib.pofile over the corpus, one process", True),
    Stage("polib-docs-2", "baseline", "polib.pofile over the corpus, two processes", True),
    Stage("msgfmt-docs", "baseline", "msgfmt --statistics over the corpus, file by file", True),
    Stage("msgfmt-docs-2", "baseline", "msgfmt --statistics over the corpus, two at a time", True),
    Stage("startup-stats", "startup", "stats over no files: start-up alone, one process"),
    Stage("startup-polib", "startup", "the polib baseline over no files: start-up alone"),
    Stage("langeval", "eval", "wrong-language check: catch and false-alarm rates", True),
    Stage("aligneval", "eval", "align: precision and recall beside Gale-Church", True),
)
PROJECT_STAGES = {
    s.name for s in STAGES if s.name != "generate" and not s.needs_corpus and s.kind != "startup"
}


def command_of(stage: Stage, ctx: Context) -> tuple[list[str], Path]:
    """The command line of a stage and the folder it runs in."""
    py = ctx.python
    synth = str(BENCH / "synth.py")
    this = str(Path(__file__).resolve())
    name = stage.name
    if name == "generate":
        return [
            py,
            synth,
            "articles",
            "--root",
            str(ctx.project),
            "--articles",
            str(ctx.articles),
            "--seed",
            str(ctx.seed),
            "--jobs",
            str(ctx.jobs),
        ], ROOT
    if name == "translate":
        return [
            py,
            synth,
            "translate",
            "--root",
            str(ctx.project),
            "--seed",
            str(ctx.seed),
            "--jobs",
            str(ctx.jobs),
        ], ROOT
    if name in ("touch", "touch-check"):
        return [py, synth, "touch", "--root", str(ctx.project), "--seed", str(ctx.seed)], ROOT
    if name == "retime":
        return [py, this, "retime", str(ctx.project / "locales")], ROOT
    if name == "langeval":
        return [py, str(BENCH / "langeval.py"), "--json", str(ctx.out / "langeval.json")], ROOT
    if name == "aligneval":
        script = str(BENCH / "align_eval.py")
        return [py, script, "--docs", "20", "--json", str(ctx.out / "aligneval.json")], ROOT
    docs = name.endswith(("-docs", "-docs-1", "-docs-2"))
    folder = str(ctx.corpus) if docs else str(ctx.scope_folder())
    if stage.kind == "startup":
        empty = ctx.out / "empty"
        empty.mkdir(exist_ok=True)
        if name == "startup-polib":
            return [py, this, "baseline", "polib", str(empty)], ctx.out
        return [py, "-m", "i18n_pipeline", "stats", str(empty), "--jobs", "1"], ctx.out
    if stage.kind == "baseline":
        tool = "msgfmt-check" if name.startswith("msgfmt-check") else name.split("-")[0]
        jobs = "2" if name.endswith("-2") else "1"
        return [py, this, "baseline", tool, folder, "--jobs", jobs], ROOT
    args = {
        "ingest": ["ingest"],
        "sync-cold": ["sync"],
        "sync-warm": ["sync"],
        "sync-one": ["sync"],
        "report-json": ["report", "--format", "json"],
        "report-html": ["report", "--format", "html", "-o", str(ctx.project / "coverage.html")],
        "report-site": ["report", "--format", "html", "-o", f"{ctx.project / 'site'}/"],
        "report-site-again": ["report", "--format", "html", "-o", f"{ctx.project / 'site'}/"],
        "report-translator": ["report", "--by", "translator", "--format", "json"],
        "check-cold": ["check", "--fresh", "--format", "json"],
        "check-warm": ["check", "--format", "json"],
        "check-one": ["check", "--format", "json"],
        "check-clone": ["check", "--format", "json"],
        "check-clone-again": ["check", "--format", "json"],
        "sync-clone": ["sync"],
    }.get(name)
    if args is None:  # stats
        args = ["stats", folder, "--format", "json"]
        if name.endswith("-1"):
            args += ["--jobs", "1"]
    # Not the checkout: "python -m" puts the working folder first on sys.path, which would
    # shadow --library.
    cwd = ctx.project if stage.kind == "pipeline" else ctx.out
    if ctx.profile and stage.kind in ("pipeline", "ours"):
        prof = ctx.out / f"{name}.prof"
        return [py, "-m", "cProfile", "-o", str(prof), "-m", "i18n_pipeline", *args], cwd
    return [py, "-m", "i18n_pipeline", *args], cwd


@dataclass
class StageResult:
    name: str
    kind: str
    what: str
    command: list[str]
    measured: Measured
    output: dict[str, Any] = field(default_factory=dict)
    walls: list[float] = field(default_factory=list)  # every run's wall time
    profile: dict[str, Any] | None = None


def _json_output(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _stats_totals(document: Any) -> dict[str, int]:
    keys = ("translated", "fuzzy", "untranslated", "obsolete", "words", "translated_words")
    totals = dict.fromkeys(keys, 0)
    for item in document.get("files", []):
        for key in keys:
            totals[key] += item.get(key, 0)
    totals["files"] = len(document.get("files", []))
    totals["errors"] = len(document.get("errors", []))
    return totals


def summarise_output(stage: Stage, stdout: Path, stderr: Path) -> dict[str, Any]:
    """What a stage's output says, kept small: counts, not the documents."""
    text = stderr.read_text(encoding="utf-8", errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    out: dict[str, Any] = {}
    if stage.kind in ("setup", "baseline"):
        document = _json_output(stdout)
        if document is not None:
            out = document if isinstance(document, dict) else {"value": document}
    elif stage.name.startswith("stats"):
        document = _json_output(stdout)
        if isinstance(document, dict):
            out = _stats_totals(document)
    elif stage.name == "report-json":
        document = _json_output(stdout)
        if isinstance(document, dict):
            out = {
                "articles": len(document.get("articles", [])),
                "totals": document.get("totals", {}),
                "bytes": stdout.stat().st_size,
            }
    elif stage.name in ("report-html", "report-site", "report-site-again"):
        out = _written_html(lines)
    elif stage.name == "report-translator":
        document = _json_output(stdout)
        if isinstance(document, dict):
            out = {
                "translators": len(document.get("translators", [])),
                "bytes": stdout.stat().st_size,
            }
    elif stage.name.startswith("check"):
        document = _json_output(stdout)
        if isinstance(document, dict):
            out = {k: document.get(k) for k in ("files", "errors", "warnings", "infos", "counts")}
    elif stage.name in ("langeval", "aligneval"):
        out = {}
    summary = [line for line in lines if re.match(r"(ingest|sync): ", line)]
    if summary:
        out["summary"] = summary[-1]
    others = [line for line in lines if line not in summary]
    if others:
        out["stderr"] = others[:20]
        out["stderr_lines"] = len(others)
    return out


_WROTE = re.compile(r"wrote (.+?)(/?)(?:: (\d+) file\(s\) written, (\d+) unchanged.*)?$")


def _written_html(lines: Sequence[str]) -> dict[str, Any]:
    """The size of the one-file page, or the site's: its largest page, its overview, how
    many files were written and left unchanged (from the ``wrote …`` line)."""
    for line in lines:
        m = _WROTE.match(line)
        if m is None:
            continue
        path = Path(m.group(1))
        if path.is_file():
            return {"bytes": path.stat().st_size, "largest_page": path.stat().st_size}
        pages = {p: p.stat().st_size for p in path.rglob("*.html")}
        if not pages:
            return {}
        largest = max(pages, key=pages.__getitem__)
        return {
            "pages": len(pages),
            "bytes": sum(pages.values()),
            "largest_page": pages[largest],
            "largest": largest.relative_to(path).as_posix(),
            "overview": pages.get(path / "index.html", 0),
            "written": int(m.group(3) or 0),
            "unchanged": int(m.group(4) or 0),
        }
    return {}


def profile_summary(prof: Path, report: Path, top: int = 30) -> dict[str, Any]:
    """The top functions of a cProfile file, by cumulative and by own time."""
    import io
    import pstats

    stream = io.StringIO()
    stats = pstats.Stats(str(prof), stream=stream)
    stats.strip_dirs()
    for order in ("cumulative", "tottime"):
        stream.write(f"\n==== sorted by {order} ====\n")
        stats.sort_stats(order).print_stats(top)
    report.write_text(stream.getvalue(), encoding="utf-8")
    rows = []
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (filename, line, function), (_, calls, tottime, cumtime, _) in raw.items():
        rows.append(
            {
                "function": f"{filename}:{line}({function})",
                "calls": calls,
                "tottime": round(tottime, 3),
                "cumtime": round(cumtime, 3),
            }
        )
    by_own = sorted(rows, key=lambda r: -r["tottime"])[:15]
    total = max((r["cumtime"] for r in rows), default=0.0)
    return {"report": str(report), "total_s": total, "top_own_time": by_own}


#: Stages that change nothing, so that running them again measures the same thing.
REPEATABLE = (
    "sync-warm",
    "report-json",
    "report-html",
    "report-site-again",
    "report-translator",
    "check-cold",
    "check-warm",
    "stats-*",
    "polib-*",
    "msgfmt-*",
    "startup-*",
    "langeval",
)


def run_stage(stage: Stage, ctx: Context) -> StageResult:
    """Run a stage (``ctx.repeat`` times if it changes nothing) and keep its fastest run;
    other work on the machine only ever adds time."""
    command, cwd = command_of(stage, ctx)
    stdout = ctx.out / f"{stage.name}.out"
    stderr = ctx.out / f"{stage.name}.err"
    limit = None if stage.kind == "setup" else ctx.timeout
    repeat = ctx.repeat if any(fnmatchcase(stage.name, p) for p in REPEATABLE) else 1
    runs: list[Measured] = []
    for _ in range(max(1, repeat)):
        runs.append(
            run_measured(
                command, cwd=cwd, stdout=stdout, stderr=stderr, env=ctx.env(), timeout=limit
            )
        )
        if runs[-1].returncode < 0:
            break
    best = min(runs, key=lambda m: m.wall_s)
    best.max_rss_mb = max(m.max_rss_mb for m in runs)
    best.tree_mb = max(m.tree_mb for m in runs)
    result = StageResult(
        stage.name,
        stage.kind,
        stage.what,
        command,
        best,
        summarise_output(stage, stdout, stderr),
        walls=[m.wall_s for m in runs],
    )
    prof = ctx.out / f"{stage.name}.prof"
    if ctx.profile and prof.exists():
        result.profile = profile_summary(prof, ctx.out / f"{stage.name}.profile.txt")
    return result


# -- targets, ratios and checks -----------------------------------------------------------


@dataclass
class Verdict:
    target: str
    value: str
    met: bool | None  # None: informative only


def _speedup(results: dict[str, StageResult], ours: str, base: str) -> float | None:
    a, b = results.get(ours), results.get(base)
    if a is None or b is None or a.measured.returncode not in (0, 1) or a.measured.wall_s <= 0:
        return None
    return b.measured.wall_s / a.measured.wall_s


def _per_file_speedup(results: dict[str, StageResult], ours: str, base: str) -> float | None:
    """The baseline's time per file times our files, over our time: the baseline may read
    a part of the project (one language above 1,000 articles)."""
    a, b = results.get(ours), results.get(base)
    if a is None or b is None or a.measured.wall_s <= 0:
        return None
    ours_files, base_files = a.output.get("files"), b.output.get("files")
    if not ours_files or not base_files:
        return None
    return (b.measured.wall_s / base_files) * ours_files / a.measured.wall_s


def ratios(results: dict[str, StageResult]) -> dict[str, dict[str, float]]:
    """Baseline time ÷ our time on the same files: above 1, we are faster."""
    pairs = {
        "stats-project-1": ("polib-project", "msgfmt-project"),
        "stats-project": ("polib-project-2", "msgfmt-project-2"),
        "stats-docs-1": ("polib-docs", "msgfmt-docs"),
        "stats-docs": ("polib-docs-2", "msgfmt-docs-2"),
    }
    out: dict[str, dict[str, float]] = {}
    for ours, bases in pairs.items():
        for base in bases:
            value = _speedup(results, ours, base)
            if value is not None:
                out.setdefault(ours, {})[base] = round(value, 2)
    for ours in ("stats-project", "stats-docs"):  # as run against the one-process baseline
        value = _speedup(results, ours, ours.replace("stats", "polib"))
        if value is not None:
            out.setdefault(ours, {})[ours.replace("stats", "polib")] = round(value, 2)
    # Without each side's fixed start-up (interpreter and imports): the reading itself.
    start_ours, start_polib = results.get("startup-stats"), results.get("startup-polib")
    if start_ours is not None and start_polib is not None:
        for ours in ("stats-project-1", "stats-docs-1"):
            base = ours.replace("stats", "polib")[: -len("-1")]
            a, b = results.get(ours), results.get(base)
            if a is None or b is None:
                continue
            net_ours = a.measured.wall_s - start_ours.measured.wall_s
            net_base = b.measured.wall_s - start_polib.measured.wall_s
            if net_ours > 0 and net_base > 0:
                out.setdefault(ours, {})[f"{base} net"] = round(net_base / net_ours, 2)
    return out


MEMORY_LIMIT_MB = 300.0


def verdicts(results: dict[str, StageResult], articles: int) -> dict[str, list[Verdict]]:
    """Each stage against the issue's targets (set for 10,000 articles)."""
    out: dict[str, list[Verdict]] = {}
    scale = FULL_SIZE / max(1, articles)
    for name, r in results.items():
        m = r.measured
        found: list[Verdict] = []
        if name == "ingest":
            projected = m.wall_s * scale
            found.append(
                Verdict("≤ 600 s at 10k", f"{projected:.0f} s projected", projected <= 600)
            )
        elif name in ("sync-warm", "sync-one"):
            found.append(Verdict("≤ 1 s at 10k", f"{m.wall_s:.2f} s", m.wall_s <= 1.0))
        elif name in ("report-json", "check-warm", "check-one"):
            found.append(Verdict("≤ 2 s at 10k", f"{m.wall_s:.2f} s", m.wall_s <= 2.0))
        elif name == "check-cold":
            projected = m.wall_s * scale
            found.append(
                Verdict("≤ 180 s at 10k", f"{projected:.0f} s projected", projected <= 180)
            )
        elif name in ("report-site", "report-site-again"):
            projected = m.wall_s * scale
            found.append(Verdict("≤ 30 s at 10k", f"{projected:.0f} s projected", projected <= 30))
            largest, overview = r.output.get("largest_page"), r.output.get("overview")
            if largest is not None and overview is not None:
                found.append(
                    Verdict("largest page ≤ 2,000 kB", f"{largest / 1e3:,.0f} kB", largest <= 2e6)
                )
                found.append(
                    Verdict("overview ≤ 1,000 kB", f"{overview / 1e3:,.0f} kB", overview <= 1e6)
                )
        if name.startswith("check-"):
            speed = _per_file_speedup(results, name, "msgfmt-check-2")
            if speed is not None:
                found.append(Verdict("msgfmt --check-format, 2 at a time", f"{speed:.1f}×", None))
        elif name in ("stats-docs", "stats-docs-1"):
            base = "polib-docs" if name.endswith("-1") else "polib-docs-2"
            speed = _speedup(results, name, base)
            if speed is not None:
                found.append(Verdict(f"≥ 10× {base}", f"{speed:.1f}×", speed >= 10))
        if r.kind in ("pipeline", "ours"):
            peak = max(m.max_rss_mb, m.tree_mb)
            found.append(Verdict("≤ 300 MB", f"{peak:.0f} MB", peak <= MEMORY_LIMIT_MB))
        if found:
            out[name] = found
    return out


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def consistency(results: dict[str, StageResult], expected: dict[str, Any]) -> list[Check]:
    """The outputs against each other and against what the generator wrote."""
    checks: list[Check] = []
    written = expected.get("translate") or {}

    def want(after_touch: bool) -> dict[str, tuple[int, int, int]]:
        states = {
            code: (c["translated"], c["fuzzy"], c["untranslated"]) for code, c in written.items()
        }
        for name in ("touch", "touch-check") if after_touch else ():
            touched = expected.get(name) or {}
            if touched.get("newly_translated") and touched.get("language") in states:
                t, f, u = states[touched["language"]]
                states[touched["language"]] = (t + 1, f, u - 1)
        return states

    for name, after in (("report-json", True),):
        r = results.get(name)
        if r is None or not written or "totals" not in r.output:
            continue
        totals = r.output["totals"]
        wrong = [
            f"{code}: report {totals.get(code, {}).get('translated')}/"
            f"{totals.get(code, {}).get('fuzzy')}/{totals.get(code, {}).get('untranslated')}"
            f" vs written {t}/{f}/{u}"
            for code, (t, f, u) in want(after and "touch" in expected).items()
            if (
                totals.get(code, {}).get("translated"),
                totals.get(code, {}).get("fuzzy"),
                totals.get(code, {}).get("untranslated"),
            )
            != (t, f, u)
        ]
        checks.append(
            Check(
                "report totals = translators' edits",
                not wrong,
                "; ".join(wrong) or f"{len(totals)} languages agree",
            )
        )
    for name in ("stats-project", "stats-project-1"):
        r = results.get(name)
        scope = expected.get("scope", "all")
        if r is None or not written or "translated" not in r.output:
            continue
        codes = list(written) if scope == "all" else [scope]
        states = want("touch" in expected)
        t = sum(states[c][0] for c in codes if c in states)
        f = sum(states[c][1] for c in codes if c in states)
        u = sum(states[c][2] for c in codes if c in states)
        got = (r.output["translated"], r.output["fuzzy"], r.output["untranslated"])
        checks.append(
            Check(
                f"{name} = translators' edits",
                got == (t, f, u),
                f"stats {got} vs written {(t, f, u)}",
            )
        )
    for ours, base in (("stats-project-1", "msgfmt-project"), ("stats-docs-1", "msgfmt-docs")):
        a, b = results.get(ours), results.get(base)
        if a is None or b is None or "translated" not in a.output:
            continue
        got = tuple(a.output[k] for k in ("translated", "fuzzy", "untranslated"))
        oracle = tuple(b.output.get(k) for k in ("translated", "fuzzy", "untranslated"))
        checks.append(
            Check(f"{ours} = msgfmt --statistics", got == oracle, f"stats {got} vs msgfmt {oracle}")
        )
    articles = expected.get("articles")
    r = results.get("ingest")
    if r is not None and articles:
        summary = r.output.get("summary", "")
        m = re.search(r"(\d+) article\(s\), (\d+) file\(s\) written", summary)
        ok = m is not None and int(m.group(1)) == articles and int(m.group(2)) == articles * 12
        checks.append(Check("ingest wrote a template and 11 catalogs per article", ok, summary))
    for name, read in (("sync-warm", 0), ("sync-one", 1)):
        r = results.get(name)
        if r is not None:
            summary = r.output.get("summary", "")
            m = re.search(r"sync: (\d+) catalog\(s\) read", summary)
            checks.append(
                Check(
                    f"{name} read {read} catalog(s)",
                    m is not None and int(m.group(1)) == read,
                    summary,
                )
            )
    r = results.get("report-site-again")
    if r is not None and "written" in r.output:
        checks.append(
            Check(
                "the site's second run rewrites nothing",
                r.output["written"] == 0,
                f"{r.output['written']} written, {r.output['unchanged']} unchanged",
            )
        )
    r = results.get("check-cold")
    if r is not None and r.output:
        stale = (r.output.get("counts") or {}).get("E108", 0)
        checks.append(
            Check(
                "check finds no stale catalog after the edits",
                stale == 0,
                f"E108: {stale}; counts {r.output.get('counts')}",
            )
        )
    cold, warm = results.get("check-cold"), results.get("check-warm")
    if cold is not None and warm is not None and cold.output and warm.output:
        checks.append(
            Check(
                "check-warm finds what check-cold found",
                cold.output.get("counts") == warm.output.get("counts"),
                f"cold {cold.output.get('counts')} vs warm {warm.output.get('counts')}",
            )
        )
    for name, r in results.items():
        failed_ok = name.startswith("check") or name.startswith("msgfmt-check")
        if r.measured.returncode not in (0, 1) or (r.measured.returncode == 1 and not failed_ok):
            checks.append(
                Check(
                    f"{name} exit status",
                    False,
                    f"exit {r.measured.returncode}: {(r.output.get('stderr') or [''])[-1]}",
                )
            )
    return checks


# -- output -------------------------------------------------------------------------------


def _fmt_ratio(values: dict[str, float] | None) -> str:
    if not values:
        return ""
    return " ".join(
        f"{k.replace('-project', '').replace('-docs', '')} {v:g}×" for k, v in values.items()
    )


def render_table(results: dict[str, StageResult], articles: int) -> str:
    """Stage, wall and CPU time, peak memory, speed against the baselines, targets."""
    speed = ratios(results)
    judged = verdicts(results, articles)
    header = ("stage", "wall s", "cpu s", "peak MB", "tree MB", "× baseline", "target", "met?")
    rows = [header]
    for name, r in results.items():
        m = r.measured
        marks = judged.get(name, [])
        timing = [v for v in marks if "MB" not in v.target]
        target = "; ".join(f"{v.target}: {v.value}" for v in timing)
        met = " ".join(
            ("yes" if v.met else "NO") + (" (mem)" if "MB" in v.target else "")
            for v in marks
            if v.met is not None  # a ratio to a baseline is told, not judged
        )
        numbers = (f"{m.wall_s:.2f}", f"{m.cpu_s:.2f}", f"{m.max_rss_mb:.0f}", f"{m.tree_mb:.0f}")
        if m.returncode < 0:
            met = f"killed (signal {-m.returncode})"
        rows.append((name, *numbers, _fmt_ratio(speed.get(name)), target, met))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])]
        cells += [row[i].rjust(widths[i]) for i in range(1, 5)]
        cells += [row[i].ljust(widths[i]) for i in range(5, len(header))]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def langeval_rates(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    """Per evaluation set and language: the catch and false-alarm rates."""
    document = _json_output(path)
    if not isinstance(document, dict):
        return {}
    return {
        name: {
            code: {"catch_rate": s.get("catch_rate"), "false_alarm_rate": s.get("false_alarm_rate")}
            for code, s in scores.items()
        }
        for name, scores in document.items()
        if isinstance(scores, dict)
    }


def render_langeval(rates: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = []
    for name, scores in rates.items():
        lines.append(f"wrong-language check ({name}): catch / false alarms")
        cells = [
            f"{code} {100 * (s['catch_rate'] or 0):.0f}%/{100 * (s['false_alarm_rate'] or 0):.1f}%"
            for code, s in scores.items()
        ]
        lines.append("  " + "  ".join(cells))
    return "\n".join(lines)


def environment() -> dict[str, Any]:
    def out(cmd: Sequence[str]) -> str:
        try:
            return subprocess.run(
                list(cmd), capture_output=True, text=True, cwd=ROOT
            ).stdout.strip()
        except OSError:
            return ""

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "git_commit": out(["git", "rev-parse", "HEAD"]),
        "git_dirty": bool(out(["git", "status", "--porcelain", "--untracked-files=no"])),
        "msgfmt": out(["msgfmt", "--version"]).splitlines()[0] if shutil.which("msgfmt") else None,
        "load_at_start": os.getloadavg(),
    }


# -- the run ------------------------------------------------------------------------------


def select(patterns: Iterable[str]) -> list[Stage]:
    wanted = [p.strip() for p in patterns if p.strip()]
    unknown = [p for p in wanted if not any(fnmatchcase(s.name, p) for s in STAGES)]
    if unknown:
        names = ", ".join(s.name for s in STAGES)
        raise SystemExit(
            f"error: --stages: no stage matches {', '.join(unknown)} (stages: {names})"
        )
    return [s for s in STAGES if any(fnmatchcase(s.name, p) for p in wanted)]


def default_corpus() -> Path | None:
    for path in (
        ROOT.parent / "shared" / "corpora" / "python-docs",
        Path("/work/shared/corpora/python-docs"),
    ):
        if path.is_dir():
            return path
    return None


def prepare_project(project: Path, fresh: bool) -> dict[str, Any]:
    """Make ``project`` ready: emptied (only if the benchmark made it) for a fresh run, or the
    marker of a kept one read back."""
    marker = project / MARKER
    if fresh:
        if project.exists() and any(project.iterdir()):
            if not marker.exists():
                raise SystemExit(
                    f"error: {project} is not empty and not a benchmark project; "
                    "choose another --workdir"
                )
            shutil.rmtree(project)
        project.mkdir(parents=True, exist_ok=True)
        return {}
    if not marker.exists():
        raise SystemExit(
            f"error: no benchmark project in {project}; run the 'generate', "
            "'ingest' and 'translate' stages, or point --workdir at a kept one"
        )
    return json.loads(marker.read_text(encoding="utf-8"))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=100, help="size (default 100)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--stages", default="*", help="comma-separated stage names or globs (default: all)"
    )
    parser.add_argument(
        "--workdir", type=Path, help="where the project goes (default: a new temporary folder)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the project afterwards")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run the pipeline's stages under cProfile (timings not comparable)",
    )
    parser.add_argument(
        "--project-scope",
        default="auto",
        help="catalogs for the project's stats and baselines: all, a language "
        "code, or auto (all up to 1,000 articles, else de)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=default_corpus(),
        help="a folder of real .po files (default: ../shared/corpora/python-docs)",
    )
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes for generating the project"
    )
    parser.add_argument(
        "--library",
        type=Path,
        help="run the stages with the i18n_pipeline of this checkout (e.g. an older commit "
        "unpacked with git archive) instead of the installed one",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        help="kill a stage (other than setup) after this many seconds; it is reported as such",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each stage that changes nothing this many times and keep the fastest "
        "(memory: the largest); for a busy machine",
    )
    parser.add_argument("--output", type=Path, help="the JSON result file")
    return parser.parse_args(argv)


def retime(folder: Path) -> int:
    """Give every file under ``folder`` the present time as its mtime, as a fresh clone
    does; the number of files."""
    count = 0
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path)
            count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["retime"]:
        print(json.dumps({"files": retime(Path(args[1]))}))
        return 0
    if args[:1] == ["baseline"]:
        sub = argparse.ArgumentParser(prog="run.py baseline")
        sub.add_argument("tool", choices=("polib", "msgfmt", "msgfmt-check"))
        sub.add_argument("folders", type=Path, nargs="+")
        sub.add_argument("--jobs", type=int, default=1)
        ns = sub.parse_args(args[1:])
        print(json.dumps(baseline(ns.tool, ns.folders, ns.jobs)))
        return 0
    opts = parse_args(args)
    stages = select(opts.stages.split(","))
    if opts.corpus is None or not opts.corpus.is_dir():
        skipped = [s.name for s in stages if s.needs_corpus]
        if skipped:
            print(f"note: no corpus folder; skipping {', '.join(skipped)}", file=sys.stderr)
        stages = [s for s in stages if not s.needs_corpus]
    if "msgfmt" in " ".join(s.name for s in stages) and shutil.which("msgfmt") is None:
        print("note: msgfmt not found; skipping its baselines", file=sys.stderr)
        stages = [s for s in stages if not s.name.startswith("msgfmt")]

    temporary = opts.workdir is None
    project = (opts.workdir or Path(tempfile.mkdtemp(prefix="i18n-bench-"))).resolve()
    needs_project = any(s.name in PROJECT_STAGES or s.name == "generate" for s in stages)
    fresh = any(s.name == "generate" for s in stages)
    expected = prepare_project(project, fresh) if needs_project else {}
    if not fresh and expected:
        if expected.get("articles") != opts.articles or expected.get("seed") != opts.seed:
            print(
                f"note: using the kept project: {expected.get('articles')} articles, seed "
                f"{expected.get('seed')}",
                file=sys.stderr,
            )
        opts.articles, opts.seed = expected["articles"], expected["seed"]
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    label = f"{stamp}-n{opts.articles}" + ("-profile" if opts.profile else "")
    output = opts.output or RESULTS / f"{label}.json"
    out_dir = output.with_suffix("")
    out_dir.mkdir(parents=True, exist_ok=True)
    scope = opts.project_scope
    if scope == "auto":
        scope = "all" if opts.articles <= 1000 else "de"
    expected.update(articles=opts.articles, seed=opts.seed, scope=scope)
    library = opts.library.resolve() if opts.library else None
    ctx = Context(
        project,
        out_dir,
        opts.articles,
        opts.seed,
        opts.jobs,
        opts.corpus,
        scope,
        opts.profile,
        library,
        opts.timeout,
        opts.repeat,
    )

    print(
        f"benchmark: {opts.articles} articles, seed {opts.seed}, project {project}, "
        f"project stats over {ctx.scope_folder().relative_to(project)}",
        file=sys.stderr,
    )
    started = time.perf_counter()
    results: dict[str, StageResult] = {}
    try:
        for stage in stages:
            print(f"  {stage.name}: {stage.what} …", end="", flush=True, file=sys.stderr)
            result = run_stage(stage, ctx)
            results[stage.name] = result
            m = result.measured
            print(
                f" {m.wall_s:.2f} s, {max(m.max_rss_mb, m.tree_mb):.0f} MB"
                + (f", exit {m.returncode}" if m.returncode else ""),
                file=sys.stderr,
            )
            if stage.name in ("translate", "touch", "touch-check"):
                expected[stage.name] = result.output
            if stage.kind == "setup" and m.returncode != 0:
                print("\n".join(result.output.get("stderr", [])), file=sys.stderr)
                raise SystemExit(f"error: setup stage {stage.name} failed")
            if needs_project:
                (project / MARKER).write_text(json.dumps(expected, indent=1), encoding="utf-8")
    finally:
        if temporary and not opts.keep and project.exists():
            shutil.rmtree(project, ignore_errors=True)

    checks = consistency(results, expected)
    rates = langeval_rates(out_dir / "langeval.json") if "langeval" in results else {}
    document = {
        "schema": "i18n-pipeline/bench/1",
        "started": stamp,
        "articles": opts.articles,
        "seed": opts.seed,
        "project": str(project) if (opts.keep or not temporary) else None,
        "project_scope": scope,
        "corpus": str(opts.corpus) if opts.corpus else None,
        "library": str(library) if library else None,
        "profiled": opts.profile,
        "total_s": round(time.perf_counter() - started, 1),
        "environment": environment(),
        "stages": [
            {**{k: v for k, v in asdict(r).items() if k != "measured"}, **asdict(r.measured)}
            for r in results.values()
        ],
        "ratios": ratios(results),
        "targets": {
            k: [asdict(v) for v in vs] for k, vs in verdicts(results, opts.articles).items()
        },
        "checks": [asdict(c) for c in checks],
        "langeval": rates,
        "aligneval": _json_output(out_dir / "aligneval.json") if "aligneval" in results else None,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    print(render_table(results, opts.articles))
    if opts.articles != FULL_SIZE:
        print(
            f"(targets are set for {FULL_SIZE:,} articles; ingest is projected linearly, "
            "the others are compared as measured)"
        )
    if checks:
        print("\nchecks:")
        for c in checks:
            print(f"  {'ok  ' if c.ok else 'FAIL'} {c.name}: {c.detail}")
    if rates:
        print("\n" + render_langeval(rates))
    if "aligneval" in results:
        print(f"\nalign: precision and recall in {out_dir / 'aligneval.out'}")
    if opts.profile:
        print(f"\nprofiles: {out_dir}/*.profile.txt")
    print(f"\nwrote {output} ({document['total_s']:.0f} s in all)")
    return 0 if all(c.ok for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
