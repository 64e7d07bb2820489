"""``check``: the CI gate over catalogs — validity, headers, staleness, thresholds, quality.

:func:`check_files` checks any ``.po`` files with no config; :func:`check_project` checks a
project's catalogs, adds staleness (would ``ingest`` change a file?) and the thresholds of
``config.yaml``. Both return :class:`CheckResult`; nothing is written.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from i18n_pipeline.checks import CODES, Finding
from i18n_pipeline.checks.language import LanguageDetector
from i18n_pipeline.checks.plurals import PluralSyntaxError, parse_plural_forms, same_rule
from i18n_pipeline.checks.quality import check_entry
from i18n_pipeline.config import Config, Threshold
from i18n_pipeline.errors import InputError, PipelineError, PoSyntaxError
from i18n_pipeline.files import iter_files, read_snapshot
from i18n_pipeline.languages import is_known, plural_forms
from i18n_pipeline.model import Counts, count_words
from i18n_pipeline.po.catalog import Catalog
from i18n_pipeline.po.parse import parse_po_errors


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
        return f"{where}: {self.severity}: {self.code} {CODES[self.code].name}: {self.message}"


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def failed(self, *, strict: bool = False) -> bool:
        failing = {"error", "warning"} if strict else {"error"}
        return any(p.severity in failing for p in self.problems)

    def counts(self) -> Counter[str]:
        return Counter(p.code for p in self.problems)


@dataclass(frozen=True)
class CheckOptions:
    """What to check and how."""

    languages: tuple[str, ...] = ()  # project mode: only these languages
    only: frozenset[str] | None = None  # project-relative paths to restrict to (changed-only)
    severities: Mapping[str, str] = field(default_factory=dict)  # code → severity or "off"
    wrong_language: bool = True
    stale: bool = True
    thresholds: bool = True


_CLASSIFY = (
    (re.compile(r"duplicate message definition"), "E106"),
    (re.compile(r"escape", re.I), "E107"),
)


def _syntax_code(message: str) -> str:
    for pattern, code in _CLASSIFY:
        if pattern.search(message):
            return code
    return "E101"


class _Checker:
    """Checks one catalog's bytes; shared state is the language detector."""

    def __init__(self, options: CheckOptions, languages: Sequence[str], source_language: str):
        self.options = options
        self.source_language = source_language
        self.off = frozenset(c for c, s in options.severities.items() if s == "off")
        self.severities = {c: s for c, s in options.severities.items() if s != "off"}
        self.detector = (
            LanguageDetector(sorted(set(languages) - {source_language}), source_language)
            if options.wrong_language and "W301" not in self.off and languages
            else None
        )

    def problem(self, path: str, line: int | None, code: str, message: str) -> Problem | None:
        if code in self.off:
            return None
        severity = self.severities.get(code, CODES[code].severity)
        return Problem(path, line, severity, code, message)

    def check_bytes(self, data: bytes, path: str, language: str | None) -> tuple[list[Problem], Catalog | None]:
        catalog, errors = parse_po_errors(data, path)
        out: list[Problem | None] = [
            self.problem(path, e.line, _syntax_code(e.message), e.message) for e in errors
        ]
        if catalog is None or errors:
            return [p for p in out if p], None
        out += self.headers(catalog, path, language)
        lang = language or (catalog.header("Language") or "").replace("_", "-").split("-")[0] or None
        nplurals = self._nplurals(catalog)
        for entry in catalog.entries:
            if entry.obsolete:
                continue
            if entry.msgid_plural is not None and nplurals and any(entry.msgstr_plural.values()):
                if len(entry.msgstr_plural) != nplurals:
                    out.append(self.problem(path, entry.line, "E105",
                                            f"{len(entry.msgstr_plural)} plural forms, but the "
                                            f"header says nplurals={nplurals}"))
            if lang and lang != self.source_language and entry.translated:
                detector = self.detector if self.detector and lang in self.detector_languages else None
                for f in check_entry(entry, lang, ignore=self.off, detector=detector,
                                     severities=self.severities,
                                     source_language=self.source_language):
                    out.append(_placed(path, f, entry.line))
        return [p for p in out if p], catalog

    @property
    def detector_languages(self) -> frozenset[str]:
        if self.detector is None:
            return frozenset()
        return frozenset(self.detector.languages)

    def _nplurals(self, catalog: Catalog) -> int | None:
        value = catalog.header("Plural-Forms")
        if not value:
            return None
        try:
            return parse_plural_forms(value)[0]
        except PluralSyntaxError:
            return None

    def headers(self, catalog: Catalog, path: str, folder_language: str | None) -> list[Problem | None]:
        out: list[Problem | None] = []
        declared = catalog.header("Language")
        code = (declared or "").replace("_", "-")
        if path.endswith(".pot"):
            return out
        if not declared:
            out.append(self.problem(path, 1, "E102", "no Language header"))
        elif folder_language and code.split("-")[0] != folder_language:
            out.append(self.problem(path, 1, "E102",
                                    f"Language is '{declared}' but the catalog is in the "
                                    f"'{folder_language}' folder"))
        content_type = catalog.header("Content-Type") or ""
        charset = re.search(r"charset=([^\s;]+)", content_type)
        if not charset or charset.group(1).lower().replace("_", "-") != "utf-8":
            found = charset.group(1) if charset else "none"
            out.append(self.problem(path, 1, "E104", f"charset is {found}, not UTF-8"))
        lang = folder_language or code.split("-")[0]
        value = catalog.header("Plural-Forms")
        if lang and is_known(lang):
            expected = plural_forms(lang)
            if not value:
                has_plurals = any(e.msgid_plural is not None for e in catalog.entries)
                if has_plurals:
                    out.append(self.problem(path, 1, "E103",
                                            f"no Plural-Forms header; expected '{expected}'"))
            else:
                try:
                    ok = same_rule(value, expected)
                except PluralSyntaxError as exc:
                    out.append(self.problem(path, 1, "E103", str(exc)))
                else:
                    if not ok:
                        out.append(self.problem(path, 1, "E103",
                                                f"Plural-Forms '{value}' differs from the rule "
                                                f"for '{lang}': '{expected}'"))
        return out


def _placed(path: str, finding: Finding, line: int) -> Problem:
    return Problem(path, finding.line or line or None, finding.severity, finding.code,
                   finding.message)


def _language_folder(path: Path, roots: Sequence[Path]) -> str | None:
    """The language a catalog's folders name: the nearest part that is a language code."""
    parts = path.parent.parts
    for part in reversed(parts):
        if re.fullmatch(r"[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?", part) and is_known(part.replace("-", "_")):
            return part.replace("_", "-").split("-")[0]
    return None


def collect_catalogs(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(iter_files(path, (".po", ".pot")))
        elif path.exists():
            out.append(path)
        else:
            raise InputError("no such file or folder", path=str(path))
    return list(dict.fromkeys(out))


def check_files(
    paths: Sequence[Path], options: CheckOptions = CheckOptions(), *,
    progress: Callable[[str, int, int], None] | None = None,
) -> CheckResult:
    """Check any catalogs, with no config: syntax, headers, plural counts and quality."""
    files = collect_catalogs(paths)
    languages = sorted({lang for f in files if (lang := _language_folder(f, paths))})
    checker = _Checker(options, languages, "en")
    result = CheckResult()
    for number, path in enumerate(files, start=1):
        if progress:
            progress("check", number, len(files))
        shown = str(path)
        snap = read_snapshot(path)
        if snap is None:
            continue
        problems, _ = checker.check_bytes(snap.data, shown, _language_folder(path, paths))
        result.problems.extend(problems)
        result.files.append(shown)
    return result


def check_project(
    config: Config, options: CheckOptions = CheckOptions(), *,
    progress: Callable[[str, int, int], None] | None = None,
) -> CheckResult:
    """Check a project's catalogs, staleness against its articles, and its thresholds."""
    from i18n_pipeline.pipeline import catalog_files, relative

    codes = options.languages or config.codes
    checker = _Checker(options, codes, config.source_language)
    result = CheckResult()
    counts: dict[tuple[str, str], Counts] = {}
    files = [f for f in catalog_files(config) if f[0] in codes]
    for number, (code, article_id, path) in enumerate(files, start=1):
        if progress:
            progress("check", number, len(files))
        shown = relative(config, path)
        snap = read_snapshot(path)
        if snap is None:
            continue
        if options.only is None or shown in options.only:
            problems, catalog = checker.check_bytes(snap.data, shown, code)
            result.problems.extend(problems)
            result.files.append(shown)
        else:
            catalog = _quiet_parse(snap.data, shown)
        if catalog is not None:
            counts[(code, article_id)] = catalog_counts(catalog)
    if options.stale:
        result.problems.extend(p for p in stale_problems(config, codes, options, checker) if p)
    if options.thresholds:
        result.problems.extend(p for p in threshold_problems(config, codes, counts, checker) if p)
    return result


def _quiet_parse(data: bytes, path: str) -> Catalog | None:
    catalog, errors = parse_po_errors(data, path)
    return None if errors else catalog


def catalog_counts(catalog: Catalog) -> Counts:
    total = Counts()
    for entry in catalog.entries:
        if not entry.obsolete:
            total = total + Counts.of_unit(entry.state, count_words(entry.msgid))
    return total


def stale_problems(
    config: Config, codes: Iterable[str], options: CheckOptions, checker: _Checker
) -> list[Problem | None]:
    """E108 for each template or catalog that ``ingest`` would change; nothing is written."""
    from i18n_pipeline.pipeline import discover_sources, plan_article

    wanted = set(codes)
    out: list[Problem | None] = []
    for source in discover_sources(config):
        try:
            plan = plan_article(config, source)
        except PoSyntaxError:
            continue  # reported as E101 on the catalog itself
        except PipelineError as exc:
            out.append(checker.problem(exc.path or str(source.path), exc.line, "E108",
                                       f"cannot be ingested: {exc.message}"))
            continue
        if plan.template_write is not None:
            what = "is missing" if plan.template_write.expected is None else "is out of date"
            out.append(checker.problem(plan.template_write.display, None, "E108",
                                       f"template {what}; run 'i18n-pipeline ingest'"))
        for code, (_, _, write, _) in plan.catalogs.items():
            if code in wanted and write is not None:
                if options.only is not None and write.display not in options.only \
                        and plan.article.source_path not in options.only:
                    continue
                what = "is missing" if write.expected is None else "is out of date with its template"
                out.append(checker.problem(write.display, None, "E108",
                                           f"catalog {what}; run 'i18n-pipeline ingest'"))
    return out


def threshold_problems(
    config: Config, codes: Sequence[str], counts: Mapping[tuple[str, str], Counts],
    checker: _Checker,
) -> list[Problem | None]:
    """E109 for each threshold a language misses, in words; fuzzy is not translated."""
    from i18n_pipeline.pipeline import catalog_path, relative

    if not config.thresholds:
        return []
    meta = _article_meta(config)
    out: list[Problem | None] = []
    for rule in config.thresholds:
        for code in [rule.language] if rule.language else list(codes):
            if code not in codes:
                continue
            total = Counts()
            missing: list[tuple[str, int]] = []
            for article_id, (publication, tags, date) in sorted(meta.items()):
                if not _in_scope(config, rule, article_id, publication, tags, date, code):
                    continue
                c = counts.get((code, article_id))
                if c is None:
                    continue
                total = total + c
                if c.words - c.translated_words:
                    missing.append((article_id, c.words - c.translated_words))
            if total.words and total.percent < rule.minimum:
                left = total.words - total.translated_words
                worst = ", ".join(f"{a} ({n} words)" for a, n in sorted(missing, key=lambda m: -m[1])[:5])
                more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                where = (relative(config, catalog_path(config, code, missing[0][0]))
                         if len(missing) == 1 else config.display_path)
                line = None if len(missing) == 1 else rule.line
                out.append(checker.problem(
                    where, line, "E109",
                    f"{code} is at {total.percent:.1f}% of words for {rule.scope.describe()}, "
                    f"below the minimum of {rule.minimum:g}%: {left} of {total.words} words "
                    f"missing in {worst}{more}",
                ))
    return out


def _in_scope(config: Config, rule: Threshold, article_id: str, publication: str | None,
              tags: tuple[str, ...], date: str | None, code: str) -> bool:
    from i18n_pipeline.report.coverage import scope_matches, wants

    if not wants(config, code, publication=publication, tags=tags, article_id=article_id):
        return False
    return scope_matches(config, rule.scope, article_id=article_id, publication=publication,
                         tags=tags, date=date)


def _article_meta(config: Config) -> dict[str, tuple[str | None, tuple[str, ...], str | None]]:
    """Publication, tags and date of each article, read from its source file."""
    from i18n_pipeline.pipeline import discover_sources, relative
    from i18n_pipeline.read import parse_article

    out = {}
    for source in discover_sources(config):
        snap = read_snapshot(source.path)
        if snap is None:
            continue
        try:
            article = parse_article(
                snap.data, article_id=source.article_id, source_path=relative(config, source.path),
                fmt=source.fmt, profile=config.site, source_language=config.source_language,
                candidates=(), pinned=config.source_languages,
            )
        except PipelineError:
            continue
        out[article.id] = (article.meta.publication, article.meta.tags, article.meta.date)
    return out


def changed_files(root: Path, ref: str) -> frozenset[str]:
    """Project-relative paths changed against git ``ref`` (committed, staged or not)."""
    try:
        proc = subprocess.run(
            ["git", "diff", "--name-only", "--relative", ref, "--"],
            cwd=root, capture_output=True, text=True, check=False,
        )
        untracked = subprocess.run(
            ["git", "ls-files", "--others", "--exclude-standard"],
            cwd=root, capture_output=True, text=True, check=False,
        )
    except FileNotFoundError as exc:
        raise InputError("git is not installed; --changed-only needs it") from exc
    if proc.returncode != 0:
        raise InputError(f"git diff against '{ref}' failed: {proc.stderr.strip()}")
    return frozenset(proc.stdout.split()) | frozenset(untracked.stdout.split())
