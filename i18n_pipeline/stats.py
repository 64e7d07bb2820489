"""Counts for any set of ``.po`` files or folders, and their reports: the library of ``stats``.

:func:`collect_stats` is the one place that reads the files; the renderers are pure
functions from a :class:`StatsResult` to text (JSON, CSV, an aligned table). Nothing here
prints or exits: the CLI shows the text and turns ``errors`` into ``path:line: message``.
"""

from __future__ import annotations

import heapq
import io
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from i18n_pipeline.errors import CatalogError, PoSyntaxError
from i18n_pipeline.po.parse import charset_warning
from i18n_pipeline.po.scan import PoStats, scan_po

__all__ = [
    "StatsResult",
    "collect_stats",
    "render_stats_csv",
    "render_stats_json",
    "render_stats_table",
]

#: Below this many bytes of catalogs one process counts them: sharing them out only starts to
#: pay at about half as many (measured on 2 cores, with forked processes).
PARALLEL_MIN_BYTES = 1 << 20

_COUNT_FIELDS = tuple(
    f.name for f in fields(PoStats) if f.name not in ("path", "language", "warning")
)


@dataclass
class StatsResult:
    """Per-file counts in path order, and the files that could not be counted.

    ``errors`` holds a :class:`PoSyntaxError` (with msgfmt's line) for each invalid
    catalog and a :class:`CatalogError` for each missing or unreadable file; ``warnings``
    one for each file counted without a declared charset, as msgfmt counts it.
    """

    files: list[PoStats] = field(default_factory=list)
    errors: list[CatalogError] = field(default_factory=list)

    @property
    def warnings(self) -> list[CatalogError]:
        return [
            CatalogError(s.warning[1], path=s.path, line=s.warning[0])
            for s in self.files
            if s.warning is not None
        ]


def collect_stats(
    paths: Sequence[Path],
    *,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> StatsResult:
    """Count every catalog in ``paths``: files as given, folders searched for ``*.po``.

    Work is spread over ``jobs`` processes (default: the CPU count) when there are enough
    bytes for it to pay; ``progress(done, total)`` is called after each file.
    """
    result = StatsResult()
    files: list[str] = []
    for path in paths:
        if path.is_dir():
            files.extend(_catalogs_in(path))
        elif path.exists():
            files.append(str(path))
        else:
            result.errors.append(CatalogError("no such file or directory", path=str(path)))
    workers = min(len(files), jobs if jobs is not None else (os.cpu_count() or 1))
    counter = _Progress(len(files), progress)
    sizes = [_size(path) for path in files] if workers > 1 else []
    if sum(sizes) >= PARALLEL_MIN_BYTES:
        outcomes = _count_in_parallel(files, sizes, workers, counter)
    else:
        outcomes = [counter.one(_count_file(path)) for path in files]
    for outcome in outcomes:
        if isinstance(outcome, PoStats):
            result.files.append(outcome)
        else:
            result.errors.append(outcome)
    return result


Outcome = PoStats | CatalogError


@dataclass
class _Progress:
    """Files counted so far, told to the caller's ``progress`` after each."""

    total: int
    report: Callable[[int, int], None] | None
    done: int = 0

    def one(self, outcome: Outcome) -> Outcome:
        self.done += 1
        if self.report is not None:
            self.report(self.done, self.total)
        return outcome


def _count_in_parallel(
    files: list[str], sizes: list[int], workers: int, counter: _Progress
) -> list[Outcome]:
    """Count in ``workers - 1`` other processes and in this one, in path order.

    Each process gets a share of about the same bytes. Where the system can fork, the others
    are forked copies of this one, which cost nothing to start and import nothing; elsewhere
    they are a pool of fresh interpreters.
    """
    shares = _shares(sizes, workers)
    others = [[files[i] for i in share] for share in shares[1:]]
    collect = _forked(others) if hasattr(os, "fork") else _pooled(others)
    outcomes: list[Outcome | None] = [None] * len(files)
    for index in shares[0]:
        outcomes[index] = counter.one(_count_file(files[index]))
    for share, counted in zip(shares[1:], collect(), strict=True):
        for index, outcome in zip(share, counted, strict=True):
            outcomes[index] = counter.one(outcome)
    return [outcome for outcome in outcomes if outcome is not None]


def _shares(sizes: list[int], count: int) -> list[list[int]]:
    """The indexes of ``sizes`` dealt into ``count`` shares of about the same total, largest
    first, each to the lightest share; every share in ascending order."""
    shares: list[list[int]] = [[] for _ in range(count)]
    loads = [(0, number) for number in range(count)]
    for index in sorted(range(len(sizes)), key=sizes.__getitem__, reverse=True):
        load, number = heapq.heappop(loads)
        shares[number].append(index)
        heapq.heappush(loads, (load + sizes[index], number))
    return [sorted(share) for share in shares]


def _forked(shares: list[list[str]]) -> Callable[[], list[list[Outcome]]]:
    """Start one forked process per share; the result waits for their counts.

    A process sends back its pickled outcomes, or the exception that stopped it, which is
    raised here. The share of one that sends nothing (killed, or its exception could not be
    pickled) is counted here.
    """
    import pickle

    started: list[tuple[int, int]] = []
    for share in shares:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: count, send, and leave without running any cleanup
            try:
                os.close(read_end)
                try:
                    payload = pickle.dumps((True, _count_files(share)))
                except BaseException as exc:  # sent to the parent, raised there
                    payload = pickle.dumps((False, exc))
                with open(write_end, "wb") as pipe:
                    pipe.write(payload)
            finally:
                os._exit(0)
        os.close(write_end)
        started.append((pid, read_end))

    def collect() -> list[list[Outcome]]:
        counted: list[list[Outcome]] = []
        for share, (pid, read_end) in zip(shares, started, strict=True):
            with open(read_end, "rb") as pipe:
                payload = pipe.read()
            os.waitpid(pid, 0)
            if not payload:
                counted.append(_count_files(share))
                continue
            ok, value = pickle.loads(payload)
            if not ok:
                raise value
            counted.append(value)
        return counted

    return collect


def _pooled(shares: list[list[str]]) -> Callable[[], list[list[Outcome]]]:
    """Count the shares in a pool of new processes, for systems that cannot fork."""
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=len(shares))
    futures = [pool.submit(_count_files, share) for share in shares]

    def collect() -> list[list[Outcome]]:
        with pool:
            return [future.result() for future in futures]

    return collect


def _count_files(paths: list[str]) -> list[Outcome]:
    return [_count_file(path) for path in paths]


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0  # counting it will say what is wrong


def _catalogs_in(folder: Path) -> list[str]:
    """The ``*.po`` files below ``folder``, in the order of ``sorted(folder.rglob("*.po"))``
    (links to folders are not followed, unreadable folders are skipped), found faster."""
    found: list[tuple[tuple[str, ...], str]] = []

    def walk(directory: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(directory) as scan:
                entries = list(scan)
        except PermissionError:
            return
        for entry in entries:
            try:
                if entry.name.endswith(".po") and entry.is_file():
                    found.append(((*parts, entry.name), entry.path))
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, (*parts, entry.name))
            except OSError:  # a broken or looping link, as Path.is_file() takes it
                continue

    walk(str(folder), ())
    found.sort()
    return [path for _, path in found]


def _count_file(path: str) -> Outcome:
    """Read and count one file; expected failures come back as values, not exceptions."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return CatalogError(f"cannot read: {exc.strerror or exc}", path=path)
    try:
        stats = scan_po(data, path)
    except PoSyntaxError as exc:
        return exc
    warning = charset_warning(data)
    return stats if warning is None else replace(stats, warning=warning)


# -- renderers -----------------------------------------------------------------------------


def _error_dict(error: CatalogError) -> dict[str, object]:
    return {"path": error.path, "line": error.line, "message": error.message}


def render_stats_json(result: StatsResult) -> str:
    """The JSON report: ``{"files": [...], "errors": [{"path", "line", "message"}]}``, and
    ``"warnings"`` in the same shape when a file declares no charset."""
    document = {
        "files": [
            {"path": s.path, "language": s.language, **{k: getattr(s, k) for k in _COUNT_FIELDS}}
            for s in result.files
        ],
        "errors": [_error_dict(e) for e in result.errors],
    }
    warnings = result.warnings
    if warnings:  # an addition to the contract, only where a file was read without a charset
        document["warnings"] = [_error_dict(w) for w in warnings]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_stats_csv(result: StatsResult) -> str:
    """One header row, then one row per file (an unknown language is an empty cell)."""
    import csv  # only this format needs it: stats starts faster without

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("path", "language", *_COUNT_FIELDS))
    for s in result.files:
        writer.writerow((s.path, s.language or "", *(getattr(s, k) for k in _COUNT_FIELDS)))
    return out.getvalue()


_TABLE_COLUMNS = (
    ("translated", "Translated"),
    ("fuzzy", "Fuzzy"),
    ("untranslated", "Untranslated"),
    ("obsolete", "Obsolete"),
    ("words", "Words"),
    ("translated_words", "Transl. words"),
)


def render_stats_table(result: StatsResult) -> str:
    """A plain aligned table, one row per file and a total row, for terminals."""
    header = ["File", "Lang", *(title for _, title in _TABLE_COLUMNS), "Done %"]
    rows: list[list[str]] = []
    totals = dict.fromkeys(_COUNT_FIELDS, 0)
    for s in result.files:
        for key in _COUNT_FIELDS:
            totals[key] += getattr(s, key)
        rows.append(_table_row(s.path, s.language or "", {k: getattr(s, k) for k in _COUNT_FIELDS}))
    total_row = _table_row(f"Total ({len(result.files)} files)", "", totals)
    widths = [len(h) for h in header]
    for row in [*rows, total_row]:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: list[str]) -> str:
        left = [cells[0].ljust(widths[0]), cells[1].ljust(widths[1])]
        right = [c.rjust(w) for c, w in zip(cells[2:], widths[2:], strict=True)]
        return "  ".join(left + right).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = [line(header), rule, *(line(r) for r in rows), rule, line(total_row)]
    if result.errors:
        out.append(f"{len(result.errors)} file(s) could not be counted")
    return "\n".join(out) + "\n"


def _table_row(name: str, language: str, counts: dict[str, int]) -> list[str]:
    words = counts["words"]
    percent = 100.0 if words == 0 else 100.0 * counts["translated_words"] / words
    return [name, language, *(str(counts[key]) for key, _ in _TABLE_COLUMNS), f"{percent:.1f}"]
