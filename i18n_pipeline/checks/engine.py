"""``check``: the CI gate over catalogs — validity, headers, staleness, thresholds, quality.

:func:`check_files` checks any ``.po``/``.pot`` files or folders, with no config;
:func:`check_project` checks a project's templates and catalogs, and adds staleness (would
``ingest`` change a file?) and the thresholds of ``config.yaml``. Both return a
:class:`CheckResult` and write nothing; :mod:`i18n_pipeline.checks.output` renders it.

Catalogs are checked in worker processes when there are many of them (about 2.4 ms of CPU
a catalog of 50 paragraphs, half of it the wrong-language check), and results keep file
order. A project's check reuses what the index keeps of files as they were checked: see
:func:`check_project`.

W301 runs by default in a project, whose source language and target languages are known.
On bare paths it runs only when asked (``CheckOptions.wrong_language=True``): without a
config the source language is a guess, and catalogs of software or documentation carry code,
identifiers and markup that the detector, tuned on article prose, misreads. On the Python
documentation's French catalogs every sampled W301 was such a false alarm, and the check
took three quarters of the run time.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import astuple, dataclass, field, fields, replace
from functools import cache, lru_cache
from pathlib import Path
from sys import intern
from typing import TYPE_CHECKING, Literal, NamedTuple

from i18n_pipeline.checks.cache import (
    RULES_VERSION,
    FileFindings,
    RememberingDetector,
    detector_of,
    settings_key,
)
from i18n_pipeline.checks.codes import CODES, Finding
from i18n_pipeline.checks.formats import format_problems, newline_problem
from i18n_pipeline.checks.language import SCRIPTS, LanguageDetector, normalise_code
from i18n_pipeline.checks.language import VERSION as LANGUAGE_VERSION
from i18n_pipeline.checks.quality import check_entry, ignored_codes
from i18n_pipeline.config import Config, Threshold
from i18n_pipeline.errors import DatabaseError, InputError, PipelineError, PoSyntaxError
from i18n_pipeline.files import (
    close_inherited_locks,
    file_stamps,
    iter_files,
    read_snapshot,
    sorted_stamp_keys,
)
from i18n_pipeline.languages import is_known, plural_forms
from i18n_pipeline.layout import (
    catalog_path,
    discover_sources,
    relative,
    template_path,
)
from i18n_pipeline.model import Counts, count_words
from i18n_pipeline.po.catalog import Catalog, Entry
from i18n_pipeline.po.parse import decode_po, parse_po_errors
from i18n_pipeline.po.plurals import (
    PluralSyntaxError,
    parse_plural_forms,
    plural_distribution,
    same_rule,
)
from i18n_pipeline.read.profile import DEFAULT_PROFILE
from i18n_pipeline.store import check_cache, index
from i18n_pipeline.store.db import ensure_schema, make_engine, read_scope, session_scope
from i18n_pipeline.workers import available_cpus, can_fork, fork_pays

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from i18n_pipeline.pipeline import PlannedWrite

Progress = Callable[[str, int, int], None]

#: Rows of kept findings written to the index in one transaction.
STORE_BATCH = 2000
#: Files checked again per slice of a run (with their kept verdicts in memory).
RUN_SLICE = 4000

#: Below this many files one process is faster than starting workers (measured on 2 cores).
PARALLEL_MIN_FILES = 24

CATALOG_SUFFIXES = (".po", ".pot")


@dataclass(frozen=True)
class Problem:
    """One finding, placed in a file: printed as ``path:line: severity: code: message``."""

    path: str
    line: int | None
    severity: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.code}: {self.message}"


@dataclass
class CheckResult:
    """The problems found, in file order, and the files checked."""

    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    rechecked: int = 0  # files read and checked again (the others' findings were reused)
    detected: int = 0  # entries the wrong-language detector judged anew

    def failed(self, *, strict: bool = False) -> bool:
        failing = {"error", "warning"} if strict else {"error"}
        return any(p.severity in failing for p in self.problems)

    def counts(self) -> Counter[str]:
        return Counter(p.code for p in self.problems)


@dataclass(frozen=True)
class CheckOptions:
    """What to check and how."""

    languages: tuple[str, ...] = ()  # project: only these languages
    only: frozenset[str] | None = None  # project-relative paths to restrict to (changed-only)
    severities: Mapping[str, str] = field(default_factory=dict)  # code → severity or "off"
    wrong_language: bool | None = None  # W301; None: on in a project, off on bare paths
    stale: bool = True
    thresholds: bool = True
    source_language: str = "en"  # bare paths: the language of the msgids
    jobs: int | None = None  # worker processes; None: the CPU count
    reuse: bool = True  # a project: reuse the findings the index keeps of unchanged files
    #: Names kept as they are in every language, which W301 reads past; None: the
    #: publications of the bundled site profile ("Workers Vanguard").
    keep: tuple[str, ...] | None = None


# -- one catalog ------------------------------------------------------------------------------

_CLASSIFY = (
    (re.compile(r"duplicate message definition"), "E106"),
    (re.compile(r"invalid control sequence|escape", re.I), "E107"),
)


def _syntax_code(message: str) -> str:
    for pattern, code in _CLASSIFY:
        if pattern.search(message):
            return code
    return "E101"


@dataclass(frozen=True)
class _Task:
    """One file to read: ``check`` it fully, or only ``count`` its words for thresholds."""

    path: Path
    shown: str
    language: str | None  # a project's catalog: its folder's; None for a template
    check: bool = True
    count: bool = False
    article: str = ""
    folders: tuple[str, ...] = ()  # bare paths: the languages its folders name, nearest first
    verdicts: Mapping[str, str] = field(default_factory=dict)  # earlier W301 verdicts


@dataclass(frozen=True)
class _Coverage:
    """Words of one catalog by state, and the line of its first entry not translated."""

    counts: Counts
    first_missing: int | None

    def encode(self) -> tuple[tuple[int, ...], int | None]:
        return astuple(self.counts), self.first_missing

    @classmethod
    def decode(cls, stored: tuple[tuple[int, ...], int | None]) -> _Coverage:
        return cls(Counts(*stored[0]), stored[1])


@dataclass(frozen=True)
class _Outcome:
    problems: tuple[Problem, ...] = ()
    coverage: _Coverage | None = None
    error: PipelineError | None = None  # the file could not be read
    missing: bool = False  # the file vanished since it was listed
    #: size, mtime_ns, what to keep, and the sha256 of the bytes checked
    stored: tuple[int, int, FileFindings, str] | None = None
    detected: int = 0  # entries the wrong-language detector judged anew
    rechecked: bool = False  # read and checked in this run


class _Checker:
    """Checks one catalog's bytes; picklable, so worker processes get a copy.

    With ``detect``, W301 tells a catalog's language from the source language and from
    ``languages`` (a project's, or those the folders name).
    """

    def __init__(
        self,
        options: CheckOptions,
        source_language: str,
        languages: Iterable[str] = (),
        *,
        detect: bool,
        rules: Mapping[str, str] | None = None,
    ):
        self.rules = dict(rules or {})  # the configured plural rule by language
        self.source_language = normalise_code(source_language)
        self.off = frozenset(c for c, s in options.severities.items() if s == "off")
        self._remembering: dict[str, RememberingDetector] = {}
        self._verdicts: Mapping[str, str] = {}
        self.severities = {c: s for c, s in options.severities.items() if s != "off"}
        self.detect = detect and "W301" not in self.off and self.source_language in SCRIPTS
        self.languages = frozenset(normalise_code(c) for c in languages)
        self._detectors: dict[str, LanguageDetector | None] = {}
        keep = options.keep if options.keep is not None else DEFAULT_PROFILE.publications
        self.keep = tuple(sorted(set(keep)))
        #: When stored findings are still good: the rules and the settings they depend on,
        #: and the wrong-language detector with its candidates.
        self.rules_key = settings_key(
            RULES_VERSION,
            self.source_language,
            sorted(self.off),
            sorted(self.severities.items()),
            sorted(self.rules.items()),
            sorted(self.languages),
            self.detect,
        )
        self.detector_key = settings_key(
            LANGUAGE_VERSION, self.source_language, sorted(self.languages), self.detect, self.keep
        )
        #: How a kept payload found under these keys begins, and one that found nothing.
        prefix = f"{self.rules_key}|{self.detector_key}|"
        self.payload_prefixes = (prefix, f'{prefix}{{"p":[]')

    def load(self) -> None:
        """Make the wrong-language detectors of every language and read what they need."""
        for language in sorted(self.languages):
            detector = self.detector(language)
            if detector is not None:
                detector.load()

    def detector(self, language: str) -> LanguageDetector | None:
        """The W301 detector for a catalog in ``language``; None when it cannot be judged."""
        if language not in self._detectors:
            candidates = (self.languages | {language}) - {self.source_language}
            judged = sorted(c for c in candidates if c in SCRIPTS)
            usable = self.detect and language in judged
            self._detectors[language] = (
                LanguageDetector(judged, self.source_language, keep=self.keep) if usable else None
            )
        return self._detectors[language]

    def problem(self, path: str, line: int | None, code: str, message: str) -> Problem | None:
        if code in self.off:
            return None
        return Problem(path, line, self.severities.get(code, CODES[code].severity), code, message)

    def run(self, task: _Task) -> _Outcome:
        try:
            snap = read_snapshot(task.path)
        except InputError as exc:
            return _Outcome(error=exc)
        if snap is None:
            return _Outcome(missing=True)
        if not task.check:
            catalog = _quiet_parse(snap.data, task.shown)
            coverage = catalog_coverage(catalog) if task.count and catalog is not None else None
            return _Outcome((), coverage)
        self._verdicts, self._remembering = task.verdicts, {}
        folders = (task.language,) if task.language else task.folders
        problems, catalog = self.check_catalog(snap.data, task.shown, folders)
        coverage = catalog_coverage(catalog) if catalog is not None else None
        verdicts: dict[str, str] = {}
        for remembering in self._remembering.values():
            verdicts.update(remembering.used)
        findings = FileFindings(
            rules=self.rules_key,
            detector=self.detector_key,
            problems=tuple((p.line, p.severity, p.code, p.message) for p in problems),
            coverage=None if coverage is None else coverage.encode(),
            verdicts=verdicts,
        )
        detected = sum(r.computed for r in self._remembering.values())
        return _Outcome(
            tuple(problems),
            coverage if task.count else None,
            stored=(snap.size, snap.mtime_ns, findings, snap.sha256),
            detected=detected,
            rechecked=True,
        )

    def check_catalog(
        self, data: bytes, path: str, folders: tuple[str, ...] = ()
    ) -> tuple[list[Problem], Catalog | None]:
        """Syntax, headers, plural counts and quality of one catalog; the catalog if valid.

        ``folders`` are the languages the catalog's folders name, nearest first: its language
        is the one its Language header names among them, else the nearest.
        """
        catalog, errors = parse_po_errors(data, path)
        if catalog is None or errors:
            found = (self.problem(path, e.line, _syntax_code(e.message), e.message) for e in errors)
            return [p for p in found if p], None
        template = path.endswith(".pot")
        declared = catalog.header("Language")
        declared_code = normalise_code(declared) if declared else None
        folder_language = (
            (declared_code if declared_code in folders else folders[0]) if folders else None
        )
        language = folder_language or declared_code
        out: list[Problem | None] = []
        if not template:
            out += self.headers(catalog, data, path, folder_language)
        nplurals = _nplurals(catalog.header("Plural-Forms") or "")
        formats = _FormatCheck(catalog, data, nplurals)
        for entry in catalog.entries:
            if entry.obsolete:
                continue
            msgfmt_found = formats.problems(entry) if _checked_by_msgfmt(entry) else []
            out += (
                self.problem(path, line, code, message)
                for line, code, message in msgfmt_found
                if code not in ignored_codes(entry)
            )
            forms = len(entry.msgstr_plural)
            if (
                entry.msgid_plural is not None
                and nplurals
                and forms != nplurals
                and any(entry.msgstr_plural.values())
                and "E105" not in ignored_codes(entry)
            ):
                message = f"{forms} plural forms, but the header says nplurals={nplurals}"
                out.append(self.problem(path, entry.line, "E105", message))
            if template or not language or language == self.source_language:
                continue
            if entry.translated:
                findings = self.quality(entry, language)
                if any(code == "E112" for _, code, _ in msgfmt_found):  # the same edge, once
                    findings = [f for f in findings if f.code != "W204"]
                out += (_placed(path, f) for f in findings)
        return sorted((p for p in out if p), key=lambda p: p.line or 0), catalog

    def remembering(self, language: str) -> RememberingDetector | None:
        """The file's W301 detector for ``language``, answering from earlier verdicts."""
        found = self._remembering.get(language)
        if found is None:
            detector = self.detector(language)
            if detector is None:
                return None
            found = self._remembering[language] = RememberingDetector(detector, self._verdicts)
        return found

    def quality(self, entry: Entry, language: str) -> list[Finding]:
        return check_entry(
            entry,
            language,
            ignore=self.off,
            detector=self.remembering(language),
            severities=self.severities,
            source_language=self.source_language,
        )

    def headers(
        self, catalog: Catalog, data: bytes, path: str, folder_language: str | None
    ) -> list[Problem | None]:
        """Language against the folder, charset UTF-8, Plural-Forms against the configured
        rule (else the project's table): only a rule that gives another form for some n is
        a finding, not another spelling of the same rule."""
        found: list[tuple[str, str, str]] = []  # header field, code, message
        declared = catalog.header("Language")
        if not declared:
            found.append(("", "E102", "no Language header"))
        elif folder_language and normalise_code(declared) != folder_language:
            found.append(
                (
                    "language",
                    "E102",
                    f"Language is '{declared}' but the catalog is in "
                    f"the '{folder_language}' folder",
                )
            )
        content_type = catalog.header("Content-Type") or ""
        charset = re.search(r"charset=([^\s;]+)", content_type)
        if not charset or charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
            name = f"'{charset.group(1)}'" if charset else "not declared"
            found.append(("content-type", "E104", f"charset is {name}, not UTF-8"))
        language = folder_language or (normalise_code(declared) if declared else None)
        value = catalog.header("Plural-Forms")
        expected = (self.rules.get(language) or _table_rule(language)) if language else None
        if language and expected:
            if value:
                message = _plural_rule_problem(value, language, expected)
                if message:
                    found.append(("plural-forms", "E103", message))
            elif any(e.msgid_plural is not None for e in catalog.entries):
                found.append(
                    (
                        "",
                        "E103",
                        f"no Plural-Forms header, but the catalog has plural "
                        f"entries; expected '{expected}'",
                    )
                )
        if not found:
            return []
        lines = header_lines(data)
        return [
            self.problem(path, lines.get(name) or lines.get("") or 1, code, message)
            for name, code, message in found
        ]


def _checked_by_msgfmt(entry: Entry) -> bool:
    """Whether msgfmt checks the entry's strings: translated, not fuzzy, not the header."""
    return bool(entry.msgid) and not entry.fuzzy and entry.first_msgstr != ""


def _has_format(entry: Entry) -> bool:
    return any(f.endswith("-format") and not f.startswith("no-") for f in entry.flags)


class _FormatCheck:
    """The format strings of one catalog, as ``msgfmt -c`` checks them: against the plural
    rule's distribution of forms, each problem at the line of the entry's first msgstr."""

    def __init__(self, catalog: Catalog, data: bytes, nplurals: int | None) -> None:
        self.catalog, self.data, self.nplurals = catalog, data, nplurals
        self._distribution: tuple[tuple[bool, ...], Callable[[int], int] | None] | None = None
        self._lines: list[str] | None = None

    def distribution(self) -> tuple[tuple[bool, ...], Callable[[int], int] | None]:
        if self._distribution is None:
            found = plural_distribution(self.catalog.header("Plural-Forms"))
            shapes = {
                len(e.msgstr_plural)
                for e in self.catalog.entries
                if e.msgid_plural is not None
                and not (e.obsolete or e.fuzzy or e.first_msgstr == "")
            }
            if found is None or (self.nplurals and shapes - {self.nplurals}):
                found = ((), None)  # msgfmt reports the header instead, and checks relaxed
            self._distribution = found
        return self._distribution

    def msgstr_line(self, entry: Entry) -> int:
        if self._lines is None:
            self._lines = decode_po(self.data)[0].split("\n")
        for number in range(max(entry.line, 1), len(self._lines) + 1):
            if self._lines[number - 1].lstrip().startswith("msgstr"):
                return number
        return entry.line

    def problems(self, entry: Entry) -> list[tuple[int, str, str]]:
        """msgfmt's first problem with the entry, at its line: newlines (E112), else the
        format strings (E110, E111)."""
        if entry.msgid_plural is None:
            msgstrs = [entry.msgstr]
        else:
            msgstrs = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
        newline = newline_problem(entry.msgid, entry.msgid_plural, msgstrs)
        if newline is not None:
            found = [("E112", newline)]
        elif _has_format(entry):
            often, plural = self.distribution()
            found = format_problems(
                entry.msgid, entry.msgid_plural, msgstrs, entry.flags, often or None, plural
            )
        else:
            return []
        if not found:
            return []
        line = self.msgstr_line(entry)
        return [(line, code, message) for code, message in found]


def _placed(path: str, finding: Finding) -> Problem:
    return Problem(path, finding.line, finding.severity, finding.code, finding.message)


def _quiet_parse(data: bytes, path: str) -> Catalog | None:
    catalog, errors = parse_po_errors(data, path)
    return None if errors else catalog


@cache
def _table_rule(code: str) -> str | None:
    return plural_forms(code) if is_known(code) else None


@cache
def _nplurals(value: str) -> int | None:
    if not value:
        return None
    try:
        return parse_plural_forms(value)[0]
    except PluralSyntaxError:
        return None


@cache
def _plural_rule_problem(value: str, language: str, expected: str) -> str | None:
    try:
        same = same_rule(value, expected)
    except PluralSyntaxError as exc:
        return f"Plural-Forms '{value}' cannot be read: {exc}"
    if same:
        return None
    return f"Plural-Forms '{value}' differs from the rule for '{language}': '{expected}'"


def header_lines(data: bytes) -> dict[str, int]:
    """Where the header entry stands: ``""`` maps to its ``msgid ""`` line, and each field
    (lower case) to the line of its ``"Field: value"`` string. Empty when the first entry of
    the file is not the header."""
    text, _ = decode_po(data)
    found: dict[str, int] = {}
    field_start = re.compile(r'(?:msgstr\s*)?"([A-Za-z][\w-]*)\s*:')
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not found:
            if not line or (line.startswith("#") and not line.startswith("#~")):
                continue
            if line != 'msgid ""':
                return {}
            found[""] = number
        elif line.startswith(('"', "msgstr")):
            match = field_start.match(line)
            if match:
                found.setdefault(match.group(1).lower(), number)
        else:
            break
    return found


def catalog_coverage(catalog: Catalog) -> _Coverage:
    """Source words by state (obsolete entries left out), as thresholds count them."""
    by_state = {"translated": [0, 0], "fuzzy": [0, 0], "untranslated": [0, 0]}  # units, words
    first_missing: int | None = None
    for entry in catalog.entries:
        if entry.obsolete:
            continue
        state = entry.state
        tally = by_state[state]
        tally[0] += 1
        tally[1] += _source_words(entry.msgid)
        if first_missing is None and state != "translated":
            first_missing = entry.line or None
    (done, done_words), (fuzzy, fuzzy_words), (todo, todo_words) = by_state.values()
    counts = Counts(
        units=done + fuzzy + todo,
        translated=done,
        fuzzy=fuzzy,
        untranslated=todo,
        words=done_words + fuzzy_words + todo_words,
        translated_words=done_words,
        fuzzy_words=fuzzy_words,
        untranslated_words=todo_words,
    )
    return _Coverage(counts, first_missing)


#: An article's catalogs are checked one after the other: each msgid is counted once.
_source_words = lru_cache(maxsize=1024)(count_words)


class _Workers:
    """Where tasks are checked: worker processes when there are many files (started once
    for a whole run, each with its own copy of the checker), else this process."""

    def __init__(self, checker: _Checker, jobs: int | None, total: int) -> None:
        self.checker = checker
        self.count = jobs if jobs is not None else available_cpus()
        self.pool: ProcessPoolExecutor | None = None
        if self.count > 1 and total >= PARALLEL_MIN_FILES and can_fork():
            import gc
            import multiprocessing

            checker.load()  # the detectors' word lists and model, shared with the workers
            gc.freeze()  # and not written by their garbage collection either
            self.pool = ProcessPoolExecutor(
                max_workers=self.count,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=(checker,),
            )

    def run(self, tasks: Sequence[_Task], progress: Progress | None) -> Iterator[_Outcome]:
        """The outcome of each task, in order. With workers, the tasks are handed to them
        now, so that they go on with these while the caller reads the previous ones."""
        if self.pool is None:
            return _reported(map(self.checker.run, tasks), len(tasks), progress)
        chunk = max(1, len(tasks) // (self.count * 16))  # small chunks: file sizes vary a lot
        outcomes = self.pool.map(_check_in_worker, tasks, chunksize=chunk)
        return _reported(outcomes, len(tasks), progress)

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            import gc

            gc.unfreeze()


#: The checker of a worker process, set when it starts.
_worker_checker: _Checker | None = None


def _start_worker(checker: _Checker) -> None:
    global _worker_checker
    close_inherited_locks()
    _worker_checker = checker


def _check_in_worker(task: _Task) -> _Outcome:
    assert _worker_checker is not None
    return _worker_checker.run(task)


def _run(
    tasks: Sequence[_Task], checker: _Checker, jobs: int | None, progress: Progress | None
) -> Iterator[_Outcome]:
    """The outcome of each task, in order; spread over processes when there are many."""
    with _Workers(checker, jobs, len(tasks)) as workers:
        yield from workers.run(tasks, progress)


def _reported(
    outcomes: Iterable[_Outcome], total: int, progress: Progress | None
) -> Iterator[_Outcome]:
    for done, outcome in enumerate(outcomes, 1):
        if outcome.error is not None:
            raise outcome.error
        if progress is not None:
            progress("check", done, total)
        yield outcome


# -- bare paths -------------------------------------------------------------------------------

_LANGUAGE_PART = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?")


@cache
def _path_languages(folder: Path) -> tuple[str, ...]:
    """The language codes a catalog's folders name, nearest first."""
    return tuple(
        normalise_code(part)
        for part in reversed(folder.parts)
        if _LANGUAGE_PART.fullmatch(part) and is_known(part.replace("-", "_"))
    )


def collect_catalogs(paths: Sequence[Path]) -> list[Path]:
    """The ``.po`` and ``.pot`` files given, and those under the folders given."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = list(iter_files(path, CATALOG_SUFFIXES))
            if not found:
                raise InputError("no .po or .pot files in this folder", path=str(path))
            out.extend(found)
        elif not path.exists():
            raise InputError("no such file or folder", path=str(path))
        elif path.suffix not in CATALOG_SUFFIXES:
            raise InputError("not a .po or .pot file", path=str(path))
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def check_files(
    paths: Sequence[Path],
    options: CheckOptions = CheckOptions(),
    *,
    progress: Progress | None = None,
) -> CheckResult:
    """Check any catalogs, with no config: syntax, headers, plural counts and quality.

    A catalog's language is the one its folders name (``fr/library/os.po`` is French),
    else its Language header. The wrong-language check runs only with ``wrong_language=True``,
    against the languages the folders name.
    """
    files = collect_catalogs(paths)
    tasks = [_Task(f, str(f), None, folders=_path_languages(f.parent)) for f in files]
    languages = {c for t in tasks for c in t.folders}
    checker = _Checker(
        options, options.source_language, languages, detect=options.wrong_language is True
    )
    result = CheckResult()
    for task, outcome in zip(tasks, _run(tasks, checker, options.jobs, progress), strict=True):
        if not outcome.missing:
            result.files.append(task.shown)
            result.problems.extend(outcome.problems)
    return result


# -- a project --------------------------------------------------------------------------------

#: From this many files kept in the index, a second process walks half the folders.
PARALLEL_WALK_FILES = 20_000


class _Folder(NamedTuple):
    """A folder of the project's templates, or of one language's catalogs."""

    language: str | None  # None for the templates
    base: str  # as the file system knows it
    shown: str  # project-relative
    suffix: str


class _Found(NamedTuple):
    """The files of one folder in check order: project-relative paths, and their keys
    ``"path\\tsize\\tmtime_ns"`` (a project has a hundred thousand of them: plain strings)."""

    folder: _Folder
    shown: list[str]
    keys: list[str]


def _task(folder: _Folder, shown: str, check: bool, count: bool) -> _Task:
    """The task of reading a file the survey found."""
    rest = shown[len(folder.shown) + 1 :]
    path = Path(folder.base, *rest.split("/"))
    return _Task(path, shown, folder.language, check, count, rest[: -len(folder.suffix)])


def _folders(config: Config) -> list[_Folder]:
    """The templates' folder, then each configured language's."""
    out = [_Folder(None, str(config.templates), relative(config, config.templates), ".pot")]
    for code in config.codes:
        folder = config.catalogs / code
        out.append(_Folder(code, str(folder), relative(config, folder), ".po"))
    return out


class _Survey(NamedTuple):
    """Some of the project's folders walked and compared with the index: their files; the
    keys of those whose kept findings no longer hold (same path, size and mtime, or same
    size and bytes, under the same rules and settings: they hold); the articles with a
    file the index last saw otherwise, or not at all; how many files have findings that
    hold; and the files found with the bytes kept under a new mtime (path, mtime)."""

    found: list[_Found]
    unfresh: set[str]
    touched: set[str]
    fresh: int
    retimed: list[tuple[str, int]]


def _survey(
    engine: Engine | None, folders: Sequence[_Folder], prefix: str, *, reuse: bool, stale: bool
) -> _Survey:
    """Walk ``folders`` and compare each file's key with the index's two sets of keys (the
    findings kept, the files as last ingested): a set difference finds the few that differ
    without a step per file. A file that differs only by its mtime (a fresh clone, a
    ``touch``) is read and hashed, and is as it was when its bytes are. Without an index,
    or one that cannot be read, every file is to be checked and every article is touched."""
    found = [_Found(f, *sorted_stamp_keys(f.base, f"{f.shown}/", f.suffix)) for f in folders]
    on_disk: set[str] = set()
    for part in found:
        on_disk.update(part.keys)
    under = [f"{f.shown}/" for f in folders]
    # Without reuse nothing is looked up in it: no copy of the keys of every file.
    unfresh, touched = set(on_disk) if reuse else set(), set()
    retimed: list[tuple[str, int, int]] = []
    if engine is None or not (reuse or stale):
        return _Survey(found, unfresh, _articles(folders, under, on_disk), 0, [])
    try:
        with read_scope(engine) as session:
            hashes = _Hashes(folders, under, on_disk)
            if reuse:
                unfresh -= check_cache.keys(session, prefix, under)
                retimed = hashes.same_bytes(session, prefix, unfresh)
                unfresh -= {f"{path}\t{size}\t{mtime}" for path, size, mtime in retimed}
            if stale:
                stamps = index.stamp_keys(session, None, under=under)
                touched = hashes.touched(session, on_disk ^ stamps)
    except DatabaseError:
        return _Survey(found, set(on_disk), _articles(folders, under, on_disk), 0, [])
    fresh = len(on_disk) - len(unfresh) if reuse else 0
    return _Survey(found, unfresh, touched, fresh, [(p, m) for p, _, m in retimed])


def _articles(folders: Sequence[_Folder], under: Sequence[str], keys: Iterable[str]) -> set[str]:
    """The articles of files (by key) in these folders."""
    out = set()
    for key in keys:
        article = _article_of(folders, under, key.rsplit("\t", 2)[0])
        if article is not None:
            out.add(article)
    return out


def _article_of(folders: Sequence[_Folder], under: Sequence[str], shown: str) -> str | None:
    for folder, start in zip(folders, under, strict=True):
        if shown.startswith(start) and shown.endswith(folder.suffix):
            return shown[len(start) : -len(folder.suffix)]
    return None


class _Hashes:
    """The bytes of files whose mtime is not the index's, compared by their hash with the
    hashes the index keeps: each file is read at most once."""

    def __init__(self, folders: Sequence[_Folder], under: Sequence[str], on_disk: set[str]):
        self.folders, self.under, self.on_disk = folders, under, on_disk
        self.known: dict[str, str | None] = {}  # path → sha256 of its bytes (None: gone)
        self.bases = {f"{f.shown}/": f.base for f in folders}

    def sha(self, shown: str) -> str | None:
        if shown not in self.known:
            for start, base in self.bases.items():
                if shown.startswith(start):
                    path = os.path.join(base, *shown[len(start) :].split("/"))
                    try:
                        with open(path, "rb") as handle:
                            self.known[shown] = hashlib.sha256(handle.read()).hexdigest()
                    except OSError:
                        self.known[shown] = None
                    break
            else:
                self.known[shown] = None
        return self.known[shown]

    def same_bytes(
        self, session: Session, prefix: str, unfresh: set[str]
    ) -> list[tuple[str, int, int]]:
        """(path, size, mtime) of the files of ``unfresh`` whose kept findings are of the
        same size and bytes."""
        if not unfresh:
            return []
        many = len(unfresh) > len(self.on_disk) // 2  # most files: every row at once
        split = [key.rsplit("\t", 2) for key in unfresh]
        paths = None if many else [shown for shown, _, _ in split]
        kept = check_cache.hashes(session, prefix, self.under, paths)
        out = []
        for shown, size, mtime in split:
            row = kept.get(shown)
            if row is not None and row[0] == int(size) and self.sha(shown) == row[2]:
                out.append((shown, int(size), int(mtime)))
        return out

    def touched(self, session: Session, differ: set[str]) -> set[str]:
        """The articles of the keys that differ between the disk and the index's files,
        but for files on disk with the size and bytes the index last saw. A file's bytes
        are known without reading it from a kept row of its size and mtime."""
        if not differ:
            return set()
        mine = [key for key in differ if key in self.on_disk]
        paths = [key.rsplit("\t", 2)[0] for key in mine]
        # most of the files: every row of the folders at once; else those rows, by path
        asked = None if len(paths) > len(self.on_disk) // 2 else paths
        seen = index.file_hashes(session, asked, under=self.under)
        kept = check_cache.hashes(session, "", self.under, asked) if paths else {}
        same = set()
        for key, shown in zip(mine, paths, strict=True):
            _, size, mtime = key.rsplit("\t", 2)
            row = seen.get(shown)
            if row is None or row[0] != int(size):
                continue
            known = kept.get(shown)
            if known is not None and known[:2] == (int(size), int(mtime)):
                sha: str | None = known[2]
            else:
                sha = self.sha(shown)
            if sha == row[1]:
                same.add(shown)
        return _articles(
            self.folders,
            self.under,
            (key for key in differ if key.rsplit("\t", 2)[0] not in same),
        )


def _survey_in_child(
    url: str, folders: Sequence[_Folder], prefix: str, reuse: bool, stale: bool
) -> _Survey:
    engine = make_engine(url)  # the parent's connections stay the parent's
    try:
        return _survey(engine, folders, prefix, reuse=reuse, stale=stale)
    finally:
        engine.dispose()


class _Surveyor:
    """The survey of a project's folders. With ``parallel``, a forked process takes half
    of them, from its own connection, while this one reads the rest of what the check
    needs; :meth:`result` surveys this process's half and waits for the other."""

    def __init__(
        self,
        engine: Engine | None,
        folders: Sequence[_Folder],
        prefix: str,
        *,
        reuse: bool,
        stale: bool,
        parallel: bool,
    ) -> None:
        self.engine, self.folders, self.prefix = engine, list(folders), prefix
        self.reuse, self.stale = reuse, stale
        self._pool: ProcessPoolExecutor | None = None
        self._theirs: Future[_Survey] | None = None
        if parallel and engine is not None and len(self.folders) > 1 and fork_pays():
            import multiprocessing

            half = len(self.folders) // 2  # the templates stay here, with the rest to read
            self.folders, theirs = self.folders[:half], self.folders[half:]
            url = engine.url.render_as_string(hide_password=False)
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            self._theirs = self._pool.submit(
                _survey_in_child, url, theirs, prefix, self.reuse, self.stale
            )

    def result(self) -> _Survey:
        mine = _survey(self.engine, self.folders, self.prefix, reuse=self.reuse, stale=self.stale)
        if self._theirs is None or self._pool is None:
            return mine
        with self._pool:
            theirs = self._theirs.result()
        return _Survey(
            mine.found + theirs.found,
            mine.unfresh | theirs.unfresh,
            mine.touched | theirs.touched,
            mine.fresh + theirs.fresh,
            mine.retimed + theirs.retimed,
        )


@dataclass
class _Known:
    """What the index knows that spares a check work, beside what the survey compares:
    the findings of files that hold any (or every payload, when words are counted), the
    fingerprints of sources as they were read, each article's fingerprint as last
    ingested, and its metadata."""

    engine: Engine
    prefixes: tuple[str, str]  # how a payload kept under these rules begins, and an empty one
    kept: int = 0  # rows in the cache
    findings: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    sources: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    meta: dict[str, tuple[str | None, tuple[str, ...], str | None]] = field(default_factory=dict)
    rows: list[tuple[str, int, int, str, str, str | None]] = field(default_factory=list)
    retimed: list[tuple[str, int]] = field(default_factory=list)  # same bytes, new mtime
    seen: int = 0  # rows of files of this run

    @classmethod
    def open(cls, config: Config, checker: _Checker) -> _Known | None:
        """None when the index cannot be opened: the check then does all the work."""
        try:
            engine = make_engine(config.database_url)
            ensure_schema(engine)
            with read_scope(engine) as session:
                kept = check_cache.count(session)
        except DatabaseError:
            return None
        return cls(engine, checker.payload_prefixes, kept)

    def read(self, config: Config, *, reuse: bool, count: bool, stale: bool) -> _Known | None:
        """Read what this run needs; None when the index cannot be read."""
        prefix, empty = self.prefixes
        try:
            with read_scope(self.engine) as session:
                if reuse:  # every payload when words are counted; else those with findings
                    self.findings = check_cache.load(
                        session, prefix, unless=None if count else empty
                    )
                if stale or count:
                    from i18n_pipeline.pipeline import fingerprint

                    settings = f"{fingerprint(config, b'')}|"
                    self.sources = check_cache.load(session, settings)
                    self.fingerprints = index.article_fingerprints(session)
                if count:
                    self.meta = index.article_meta(session)
        except DatabaseError:
            return None
        return self

    def reused(self, shown: str, *, check: bool, count: bool) -> _Outcome | None:
        """The outcome kept for a file whose findings still hold; None when it must be
        checked again after all (its payload cannot be read)."""
        row = self.findings.get(shown)
        if row is None:
            return _Outcome()  # nothing found, and words are not counted
        empty = self.prefixes[1]
        if row[2].startswith(empty):  # nothing found: only the words, read without JSON
            found = _coverage_of(row[2][len(empty) :])
            if found is not False:
                return _Outcome(coverage=found if count else None)
        findings = FileFindings.decode(row[2])
        if findings is None:
            return None
        problems = tuple(
            Problem(shown, line, severity, code, message)
            for line, severity, code, message in findings.problems
        )
        stored = findings.coverage
        coverage = None if stored is None or not count else _Coverage.decode(stored)
        return _Outcome(problems if check else (), coverage)

    def with_verdicts(self, tasks: list[_Task], checker: _Checker) -> list[_Task]:
        """The tasks, each with the verdicts kept for its file under the same detector."""
        try:
            with read_scope(self.engine) as session:
                kept = check_cache.load_rows(session, [t.shown for t in tasks if t.check])
        except DatabaseError:
            return tasks
        self.seen += len(kept)
        out = []
        for task in tasks:
            row = kept.get(task.shown)
            findings = None
            if row is not None and detector_of(row[0]) == checker.detector_key:
                findings = FileFindings.decode(*row)
            out.append(replace(task, verdicts=findings.verdicts) if findings else task)
        return out

    def keep(self, task: _Task, outcome: _Outcome) -> None:
        """Keep what was found in a file checked again; written a batch at a time, so that
        a cold check of a large project does not hold every file's verdicts at once."""
        if outcome.stored is not None:
            size, mtime, findings, sha = outcome.stored
            self.rows.append((task.shown, size, mtime, *findings.encode(), sha))
            if len(self.rows) >= STORE_BATCH:
                self.store(None)

    def store(self, listed: Callable[[], set[str]] | None) -> None:
        """Write the rows kept; with ``listed`` (every path of a complete run), forget the
        others. A cache that cannot be written costs the next run time, never this run its
        result, so a busy or read-only index is left as it is."""
        rows, self.rows = self.rows, []
        try:
            gone: list[str] = []
            if listed is not None and self.kept > self.seen:  # some rows may not be this run's
                with read_scope(self.engine) as session:
                    gone = sorted(check_cache.paths(session) - listed())
            retimed, self.retimed = self.retimed, []
            if not rows and not gone and not retimed:
                return
            with session_scope(self.engine) as session:
                check_cache.save(session, rows, gone, retimed)
        except DatabaseError:
            pass

    def unchanged_articles(
        self, config: Config, survey: _Survey
    ) -> tuple[frozenset[str], list[Path], set[str]]:
        """The articles ingest would skip: source and settings as last ingested (the
        source's fingerprint is read again only when the file changed), a template on
        disk, and every template and catalog of theirs as the index last saw it. Also the
        sources of the others, and the shown paths of all sources."""
        from i18n_pipeline.pipeline import fingerprint
        from i18n_pipeline.read import FORMATS

        settings = fingerprint(config, b"")
        templates = next((p for p in survey.found if p.folder.language is None), None)
        with_template = set()
        if templates is not None:
            start = len(templates.folder.shown) + 1
            with_template = {shown[start : -len(".pot")] for shown in templates.shown}
        sources: dict[str, tuple[str, str]] = {}
        unchanged = set()
        base, shown_base = str(config.sources), relative(config, config.sources)
        for path, size, mtime in file_stamps(base, tuple(FORMATS)):
            rest = path[len(base) + 1 :].replace(os.sep, "/")
            article, shown = os.path.splitext(rest)[0], f"{shown_base}/{rest}"
            sources[article] = (path, shown)
            previous = self.fingerprints.get(article)
            if previous is None:
                continue
            row = self.sources.get(shown)
            digest = None
            if row is not None:
                self.seen += 1
                if row[:2] == (size, mtime):
                    digest = row[2].split("|", 1)[1]
            if digest is None:
                try:
                    with open(path, "rb") as handle:
                        digest = fingerprint(config, handle.read())
                except OSError:
                    continue
                self.rows.append((shown, size, mtime, f"{settings}|{digest}", "{}", None))
            if digest == previous and article in with_template and article not in survey.touched:
                unchanged.add(article)
        others = sorted(
            (Path(path) for article, (path, _) in sources.items() if article not in unchanged),
            key=lambda p: p.parts,
        )
        return frozenset(unchanged), others, {shown for _, shown in sources.values()}


def _reused_or_run(
    survey: _Survey,
    wanted: Callable[[_Folder, str], tuple[bool, bool]],
    checker: _Checker,
    known: _Known | None,
    options: CheckOptions,
    progress: Progress | None,
) -> Iterator[tuple[_Folder, str, _Outcome]]:
    """The outcome of each file wanted that found or counted something: first those kept
    for files whose findings still hold, then those of the others, checked (in worker
    processes when there are many). ``wanted`` says, for a folder and a file of it,
    whether to check it and whether to count its words."""
    # (article, language, folder, path, check, count): tasks are made a slice at a time
    todo: list[tuple[str, str, _Folder, str, bool, bool]] = []
    reuse = known is not None and options.reuse
    unfresh = survey.unfresh
    findings = known.findings if known is not None else {}
    for part in survey.found:
        for shown, key in zip(part.shown, part.keys, strict=True):
            if reuse and key not in unfresh and shown not in findings:
                continue  # unchanged, nothing found, nothing to count (or not wanted)
            check, count = wanted(part.folder, shown)
            if not (check or count):
                continue
            if reuse and known is not None and key not in unfresh:
                reused = known.reused(shown, check=check, count=count)
                if reused is not None:
                    yield part.folder, shown, reused
                    continue
            folder = part.folder
            article = intern(shown[len(folder.shown) + 1 : -len(folder.suffix)])  # 12 files'
            todo.append((article, folder.language or "", folder, shown, check, count))
    # An article's catalogs one after the other: what is read from a msgid is remembered.
    todo.sort(key=lambda item: item[:2])
    # A slice at a time, so that the kept verdicts of a few thousand files are in memory at
    # once, not those of a whole archive; --fresh judges every entry again.
    # The next slice is handed to the workers before this one's outcomes are read: they
    # never wait for this process between slices.
    with _Workers(checker, options.jobs, len(todo)) as workers:
        running: list[tuple[list[_Folder], list[_Task], Iterator[_Outcome]]] = []
        for start in [*range(0, len(todo), RUN_SLICE), len(todo)]:
            if start < len(todo):
                part_todo = todo[start : start + RUN_SLICE]
                tasks = [_task(folder, shown, c, n) for _, _, folder, shown, c, n in part_todo]
                if reuse and known is not None:
                    tasks = known.with_verdicts(tasks, checker)
                told = None if progress is None else _offset(progress, start, len(todo))
                folders = [folder for _, _, folder, *_ in part_todo]
                running.append((folders, tasks, workers.run(tasks, told)))
            if len(running) == 2 or (running and start == len(todo)):
                folders, tasks, ran = running.pop(0)
                for folder, task, outcome in zip(folders, tasks, ran, strict=True):
                    if known is not None:
                        known.keep(task, outcome)
                    kept = replace(outcome, stored=None) if outcome.stored else outcome
                    yield folder, task.shown, kept


def _offset(progress: Progress, start: int, total: int) -> Progress:
    """``progress`` told of a slice's work as part of the whole run's."""
    return lambda stage, done, _: progress(stage, start + done, total)


def check_project(
    config: Config,
    options: CheckOptions = CheckOptions(),
    *,
    progress: Progress | None = None,
) -> CheckResult:
    """Check a project's templates and catalogs, their staleness, and its thresholds."""
    codes = options.languages or config.codes
    checker = _Checker(
        options,
        config.source_language,
        codes,
        detect=options.wrong_language is not False,
        rules={lang.code: lang.plural_forms for lang in config.languages},
    )
    count = options.thresholds and bool(config.thresholds)  # words only count for thresholds
    selected = set(codes)

    def wanted(folder: _Folder, shown: str) -> tuple[bool, bool]:
        if folder.language is not None and folder.language not in selected:
            return False, False
        return options.only is None or shown in options.only, count

    known = _Known.open(config, checker)
    reuse = known is not None and options.reuse
    if not reuse or known is None or known.kept == 0:  # every file is to be checked: the
        checker.load()  # detectors first, whose loading leaves room the walk's lists reuse
    surveyor = _Surveyor(
        None if known is None else known.engine,
        _folders(config),
        checker.payload_prefixes[0],
        reuse=reuse,
        stale=options.stale or count,
        parallel=known is not None and known.kept >= PARALLEL_WALK_FILES,
    )
    if known is not None:
        known = known.read(config, reuse=reuse, count=count, stale=options.stale)
    survey = surveyor.result()
    if known is not None:
        known.seen += survey.fresh
        known.retimed += survey.retimed

    result = CheckResult()
    coverage: dict[tuple[str | None, str], _Coverage] = {}
    missing: set[str] = set()
    for folder, shown, outcome in _reused_or_run(survey, wanted, checker, known, options, progress):
        if outcome.missing:
            missing.add(shown)
            continue
        result.problems.extend(outcome.problems)
        if outcome.coverage is not None:
            article = shown[len(folder.shown) + 1 : -len(folder.suffix)]
            coverage[(folder.language, article)] = outcome.coverage
        result.detected += outcome.detected
        result.rechecked += outcome.rechecked
    for part in survey.found:
        if part.folder.language is None or part.folder.language in selected:
            result.files += (
                s
                for s in part.shown
                if (options.only is None or s in options.only) and s not in missing
            )
    unchanged: frozenset[str] = frozenset()
    others: list[Path] | None = None  # the sources to plan; None: all of them
    if known is not None:
        source_paths: set[str] | None = None
        if options.stale or count:
            unchanged, others, source_paths = known.unchanged_articles(config, survey)
        complete = options.only is None and not options.languages and source_paths is not None
        known.store(
            (lambda: {s for part in survey.found for s in part.shown} | (source_paths or set()))
            if complete
            else None
        )
    if options.stale and others != []:
        result.problems.extend(_stale_problems(config, codes, options, checker, others))
    if count:
        meta = _article_meta(config, known, unchanged, others)
        result.problems.extend(
            _threshold_problems(config, codes, coverage, checker, options.only, meta)
        )
    order = {path: number for number, path in enumerate(result.files)}
    result.problems.sort(key=lambda p: order.get(p.path, len(order)))
    return result


def _without_line(entry: Entry) -> Entry:
    return replace(entry, line=0)


def describe_change(old: Catalog, new: Catalog) -> tuple[str, int | None]:
    """What rewriting ``old`` as ``new`` changes, in words, and the first line it touches."""
    before = {e.key: e for e in old.entries if not e.obsolete}
    after = {e.key: e for e in new.entries if not e.obsolete}
    gone = [e for key, e in before.items() if key not in after]
    changed = [
        e
        for key, e in before.items()
        if key in after and _without_line(e) != _without_line(after[key])
    ]
    added = sum(1 for key in after if key not in before)
    parts = []
    if added:
        parts.append(f"add {added} {'entry' if added == 1 else 'entries'}")
    if gone:
        parts.append(f"make {len(gone)} obsolete")
    if changed:
        parts.append(f"update {len(changed)}")
    if not parts:
        if list(before) != list(after):
            parts.append("reorder the entries")
        fields = sorted({name for name, _ in set(old.headers) ^ set(new.headers)})
        if fields:
            parts.append(f"change the header ({', '.join(fields)})")
        if not parts:
            parts.append("change the comments or obsolete entries")
    first = min((e.line for e in (*gone, *changed) if e.line), default=None)
    return "ingest would " + ", ".join(parts), first


def _parsed(data: bytes | None) -> Catalog | None:
    return None if data is None else _quiet_parse(data, "<check>")


def _stale_problems(
    config: Config,
    codes: Iterable[str],
    options: CheckOptions,
    checker: _Checker,
    sources: Sequence[Path] | None = None,
) -> list[Problem]:
    """E108 for each template or catalog that ``ingest`` would change; nothing is written.

    ``sources``: the articles to plan (the others are ones ingest skips: their source and
    settings as last ingested, their files as the index last saw them); None: all. With
    ``options.only``, only the articles whose source, template or catalogs are in it.
    """
    from i18n_pipeline.pipeline import plan_article

    wanted = set(codes)
    out: list[Problem | None] = []
    for source in discover_sources(config, sources or ()) if sources != [] else ():
        if options.only is not None:
            shown = {
                relative(config, source.path),
                relative(config, template_path(config, source.article_id)),
            }
            shown |= {relative(config, catalog_path(config, c, source.article_id)) for c in wanted}
            if not shown & options.only:
                continue
        try:
            plan = plan_article(config, source)
        except PoSyntaxError:
            continue  # E101 on the template itself
        except PipelineError as exc:
            out.append(
                checker.problem(
                    exc.path or relative(config, source.path),
                    exc.line,
                    "E108",
                    f"cannot be ingested: {exc.message}",
                )
            )
            continue
        template = plan.template_write
        if template is not None:
            old = _parsed(template.expected.data) if template.expected else None
            out.append(
                _stale(
                    checker,
                    template,
                    old,
                    f"template is out of date with {plan.article.source_path}",
                )
            )
        for code, (_, _, write, _) in plan.catalogs.items():
            if code in wanted and write is not None:
                old = plan.previous.get(code)
                out.append(_stale(checker, write, old, "catalog is out of date with its template"))
    return [p for p in out if p]


def _stale(
    checker: _Checker, write: PlannedWrite, old: Catalog | None, reason: str
) -> Problem | None:
    kind = "template" if write.display.endswith(".pot") else "catalog"
    if old is None:
        return checker.problem(
            write.display, None, "E108", f"{kind} is missing; run 'i18n-pipeline ingest'"
        )
    new = _parsed(write.data)
    what, line = describe_change(old, new) if new is not None else ("ingest would change it", None)
    return checker.problem(
        write.display, line, "E108", f"{reason}: {what}; run 'i18n-pipeline ingest'"
    )


def _floor_percent(part: int, whole: int) -> float:
    """A share in percent, rounded down to 0.1: 99.97% is not shown as 100%."""
    return math.floor(1000 * part / whole) / 10 if whole else 100.0


def _threshold_problems(
    config: Config,
    codes: Sequence[str],
    coverage: Mapping[tuple[str | None, str], _Coverage],
    checker: _Checker,
    only: frozenset[str] | None = None,
    meta: Mapping[str, tuple[str | None, tuple[str, ...], str | None]] | None = None,
) -> list[Problem]:
    """E109 for each threshold a language misses, in words; fuzzy is not translated.

    A missing catalog counts as untranslated (its template's words). With ``only``, a rule is
    checked for a language only when one of its catalogs in scope is in ``only``.
    """
    if not config.thresholds:
        return []
    meta = _article_meta(config) if meta is None else meta
    catalogs = relative(config, config.catalogs)
    out: list[Problem | None] = []
    for rule in config.thresholds:
        for code in [rule.language] if rule.language else list(codes):
            if code not in codes:
                continue
            found_counts: list[Counts] = []
            missing: list[_Missing] = []
            touched = only is None
            for article_id, (publication, tags, date) in sorted(meta.items()):
                if not _in_scope(config, rule, article_id, publication, tags, date, code):
                    continue
                shown: str | None = f"{catalogs}/{code}/{article_id}.po"
                found = coverage.get((code, article_id))
                if found is None:
                    template = coverage.get((None, article_id))
                    if template is None:
                        continue  # not ingested yet: E108 says so
                    found, shown = template, None
                touched = touched or (only is not None and shown in only)
                found_counts.append(found.counts)
                left = found.counts.words - found.counts.translated_words
                if left:
                    missing.append(_Missing(article_id, left, shown, found.first_missing))
            total = Counts(
                **{name: sum(getattr(c, name) for c in found_counts) for name in _COUNT_FIELDS}
            )
            if not touched or not total.words:
                continue
            if total.translated_words * 100 >= rule.minimum * total.words:
                continue
            out.append(_threshold_problem(config, checker, rule, code, total, missing))
    return [p for p in out if p]


_COUNT_FIELDS = tuple(f.name for f in fields(Counts))


def _coverage_of(rest: str) -> _Coverage | None | Literal[False]:
    """The coverage in the end of a payload that found nothing, ``,"c":[[1,2,…],12]}`` or
    ``,"c":null}``; False when it is not of that form."""
    if not (rest.startswith(',"c":') and rest.endswith("}")):
        return False
    body = rest[5:-1]
    if body == "null":
        return None
    numbers, _, first = body[2:-1].rpartition("],")
    try:
        counts = Counts(*map(int, numbers.split(",")))
        return _Coverage(counts, None if first == "null" else int(first))
    except (ValueError, TypeError):
        return False


@dataclass(frozen=True)
class _Missing:
    """Words an article's catalog lacks; ``path`` is None when it has no catalog."""

    article: str
    words: int
    path: str | None
    first_line: int | None


def _threshold_problem(
    config: Config,
    checker: _Checker,
    rule: Threshold,
    code: str,
    total: Counts,
    missing: list[_Missing],
) -> Problem | None:
    """The E109 line: at the one catalog that misses words, else at the rule in config.yaml."""
    left = total.words - total.translated_words
    worst = sorted(missing, key=lambda m: (-m.words, m.article))
    listing = ", ".join(
        f"{m.article} ({m.words} words{'' if m.path else ', no catalog'})" for m in worst[:5]
    )
    more = f" and {len(worst) - 5} more" if len(worst) > 5 else ""
    fuzzy = f", {total.fuzzy_words} of them fuzzy" if total.fuzzy_words else ""
    label = config.language(code).label
    scope = rule.scope.describe()
    message = (
        f"{code} ({label}) is at {_floor_percent(total.translated_words, total.words):g}% of "
        f"words {scope if scope == 'overall' else 'for ' + scope}, "
        f"below the minimum of {rule.minimum:g}%: "
        f"{left} of {total.words} words not translated{fuzzy}, in {listing}{more}"
    )
    if len(worst) == 1 and worst[0].path is not None:
        return checker.problem(worst[0].path, worst[0].first_line, "E109", message)
    shown = relative(config, config.path) if config.path else config.display_path
    return checker.problem(shown, rule.line, "E109", message)


def _in_scope(
    config: Config,
    rule: Threshold,
    article_id: str,
    publication: str | None,
    tags: tuple[str, ...],
    date: str | None,
    code: str,
) -> bool:
    from i18n_pipeline.report.coverage import scope_matches, wants

    if not wants(config, code, publication=publication, tags=tags, article_id=article_id):
        return False
    return scope_matches(
        config, rule.scope, article_id=article_id, publication=publication, tags=tags, date=date
    )


def _article_meta(
    config: Config,
    known: _Known | None = None,
    unchanged: frozenset[str] = frozenset(),
    others: Sequence[Path] | None = None,
) -> dict[str, tuple[str | None, tuple[str, ...], str | None]]:
    """Publication, tags and date of each article: from the index for the articles
    unchanged since they were ingested, read from the source for the ``others`` (None:
    every article is read from its source)."""
    from i18n_pipeline.pipeline import read_article

    out = {}
    if known is not None and others is not None:
        out = {article: known.meta[article] for article in unchanged if article in known.meta}
    if others == []:
        return out
    for source in discover_sources(config, others or ()):
        if source.article_id in out:
            continue
        try:
            article, _ = read_article(config, source, detect_language=False)
        except PipelineError:
            continue  # E108 says it cannot be ingested
        out[article.id] = (article.meta.publication, article.meta.tags, article.meta.date)
    return out


def changed_files(root: Path, ref: str) -> frozenset[str]:
    """Paths under ``root``, relative to it, changed against git ``ref`` (committed, staged,
    in the working tree, or new and not ignored)."""
    try:
        proc = subprocess.run(
            ["git", "diff", "--name-only", "--relative", ref, "--"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        untracked = subprocess.run(
            ["git", "ls-files", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as exc:
        raise InputError("git is not installed; --changed-only needs it") from exc
    if proc.returncode != 0:
        raise InputError(f"git diff against '{ref}' failed: {proc.stderr.strip()}")
    return frozenset(proc.stdout.splitlines()) | frozenset(untracked.stdout.splitlines())
