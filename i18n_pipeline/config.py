"""``config.yaml``: loaded into typed, frozen dataclasses and validated.

Every error names the file, the line and the key path, in the way Babel's mapping-file
errors do: ``config.yaml:12: languages[3].code: unknown language 'xx'``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import yaml

from i18n_pipeline.errors import ConfigError
from i18n_pipeline.languages import DEFAULT_LANGUAGES, is_known, make_language
from i18n_pipeline.model import Language
from i18n_pipeline.po.plurals import PluralSyntaxError, parse_plural_forms
from i18n_pipeline.read import profile as site_defaults
from i18n_pipeline.read.profile import SiteProfile

CONFIG_NAME = "config.yaml"
DATABASE_ENV = "I18N_PIPELINE_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///.i18n/index.db"
SEGMENTATION_MODES = ("paragraph", "sentence")
SEVERITIES = ("error", "warning", "info", "off")

T = TypeVar("T")


@dataclass(frozen=True)
class Wants:
    """What a language takes on; empty means everything."""

    publications: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scope:
    """Which articles a rule applies to. Empty fields match everything."""

    article: str | None = None  # glob over article ids, e.g. "wv/863/*"
    publication: str | None = None  # a publication's code ("wv") or name
    tag: str | None = None
    since: str | None = None  # ISO date; articles dated on or after it

    def describe(self) -> str:
        parts = [
            f"{name} {value}"
            for name, value in (
                ("article", self.article),
                ("publication", self.publication),
                ("tag", self.tag),
                ("since", self.since),
            )
            if value
        ]
        return ", ".join(parts) or "overall"


@dataclass(frozen=True)
class Threshold:
    language: str | None  # None: every language
    minimum: float  # percent of words translated
    scope: Scope = Scope()
    line: int | None = field(default=None, compare=False)  # where config.yaml sets it


@dataclass(frozen=True)
class Priority:
    priority: int
    scope: Scope


@dataclass(frozen=True)
class TmConfig:
    exact_state: str = "auto"  # "translated", "fuzzy", or "auto": translated when long enough
    exact_min_words: int = 8
    fuzzy_threshold: float = 75.0
    on_new_catalog: bool = True


@dataclass(frozen=True)
class AlignConfig:
    """How sure ``align`` must be of a link, in percent: ``accept`` to write it as
    translated, ``minimum`` to write it at all (as fuzzy below ``accept``)."""

    accept: float = 90.0
    minimum: float = 50.0


@dataclass(frozen=True)
class ChecksConfig:
    severity: Mapping[str, str] = field(default_factory=dict)
    detector: str = "langdetect"
    #: Names kept as they are in every language (``checks.keep``): W301 reads past them.
    keep: tuple[str, ...] = ()


@dataclass(frozen=True)
class FetchConfig:
    """How ``fetch`` treats the publisher's site: which hosts are the site, and how politely
    it is read. Times are in seconds."""

    #: Hosts that are the site besides those of the URLs given (``site.hosts``).
    hosts: tuple[str, ...] = ()
    #: Other hosts a redirect may lead to.
    redirect_hosts: tuple[str, ...] = ()
    delay: float = 1.0  # between two requests to one host
    timeout: float = 30.0
    retries: int = 3  # on 429, 5xx, timeouts and dropped connections
    backoff: float = 2.0  # the first wait before a retry, doubled each time
    max_wait: float = 300.0  # the longest wait for one retry, Retry-After included
    max_size: int = 5_000_000  # bytes of one page


@dataclass(frozen=True)
class Config:
    """The whole project configuration, with paths resolved against ``root``."""

    root: Path
    path: Path | None
    source_language: str
    languages: tuple[Language, ...]
    sources: Path
    catalogs: Path
    database_url: str
    segmentation: str = "paragraph"
    fuzzy_threshold: float = 60.0
    site: SiteProfile = site_defaults.DEFAULT_PROFILE
    source_languages: Mapping[str, str] = field(default_factory=dict)
    wants: Mapping[str, Wants] = field(default_factory=dict)
    thresholds: tuple[Threshold, ...] = ()
    priorities: tuple[Priority, ...] = ()
    checks: ChecksConfig = ChecksConfig()
    tm: TmConfig = TmConfig()
    align: AlignConfig = AlignConfig()
    build_keep: float = 80.0
    #: Per-language ``build.keep`` where config.yaml gives one (``{de: 90, default: 80}``).
    build_keeps: Mapping[str, float] = field(default_factory=dict)
    build_dir: Path | None = None
    fetch: FetchConfig = FetchConfig()
    #: Where ``fetch`` stores the published translations: ``<published>/<lang>/<id>.html``.
    published: Path | None = None

    @property
    def published_dir(self) -> Path:
        return self.published or self.root / "published"

    def keep_for(self, code: str) -> float:
        """The share of words ``build`` needs for ``code``."""
        return self.build_keeps.get(code, self.build_keep)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    @property
    def kept_names(self) -> tuple[str, ...]:
        """Names a translation keeps as they are: ``checks.keep`` and the publications'
        names (``site.publications``), such as "Workers Vanguard"."""
        return tuple(dict.fromkeys((*self.checks.keep, *self.site.publications)))

    def language(self, code: str) -> Language:
        for lang in self.languages:
            if lang.code == code:
                return lang
        raise ConfigError(f"language '{code}' is not configured", path=self.display_path)

    @property
    def display_path(self) -> str:
        return str(self.path) if self.path else CONFIG_NAME

    @property
    def templates(self) -> Path:
        return self.catalogs / "templates"

    @property
    def state_dir(self) -> Path:
        return self.root / ".i18n"


class _Reader:
    """Walks the parsed YAML, knowing the line of each key path for error messages."""

    def __init__(self, text: str, filename: str):
        self.filename = filename
        self.lines: dict[str, int] = {}
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            self.data: Any = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc)
            raise ConfigError(f"malformed YAML: {problem}", path=filename, line=line) from exc
        if node is not None:
            self._index(node, "")
        if self.data is None:
            self.data = {}
        if not isinstance(self.data, dict):
            raise self.error("", "the file must hold a mapping of settings")

    def _index(self, node: yaml.Node, path: str) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = f"{path}.{key.value}" if path else str(key.value)
                self.lines[sub] = key.start_mark.line + 1
                self._index(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, f"{path}[{i}]")

    def error(self, path: str, message: str) -> ConfigError:
        where = f"{path}: " if path else ""
        return ConfigError(f"{where}{message}", path=self.filename, line=self.line_of(path))

    def line_of(self, path: str) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path not in self.lines and path:
            path = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", path)
        return self.lines.get(path)

    def get(self, mapping: Any, path: str, key: str, kind: type[T], default: T) -> T:
        sub = f"{path}.{key}" if path else key
        if not isinstance(mapping, dict) or key not in mapping or mapping[key] is None:
            return default
        value = mapping[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if kind is str and hasattr(value, "isoformat"):  # YAML dates
            value = value.isoformat()
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.error(sub, f"must be {_KIND_NAMES.get(kind, kind.__name__)}")
        return value

    def items(self, mapping: Any, path: str, key: str) -> list[tuple[str, Any]]:
        sub = f"{path}.{key}" if path else key
        value = mapping.get(key) if isinstance(mapping, dict) else None
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(sub, "must be a list")
        return [(f"{sub}[{i}]", item) for i, item in enumerate(value)]

    def check_keys(self, mapping: Any, path: str, allowed: set[str]) -> None:
        if not isinstance(mapping, dict):
            raise self.error(path, "must be a mapping")
        for key in mapping:
            if key not in allowed:
                sub = f"{path}.{key}" if path else str(key)
                raise self.error(
                    sub, f"unknown setting (expected one of {', '.join(sorted(allowed))})"
                )


_KIND_NAMES = {
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping",
}

_TOP_KEYS = {
    "source_language",
    "languages",
    "sources",
    "catalogs",
    "published",
    "fetch",
    "database",
    "segmentation",
    "merge",
    "site",
    "source_languages",
    "thresholds",
    "priorities",
    "checks",
    "tm",
    "align",
    "build",
}


def load_config(path: Path) -> Config:
    """Read and validate ``path``. Raises :class:`ConfigError` naming the file and key."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError(
            "no such file; run 'i18n-pipeline init' to create one", path=str(path)
        ) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError("not valid UTF-8", path=str(path)) from exc
    return parse_config(text, root=path.parent.resolve(), filename=str(path), env=os.environ)


def parse_config(
    text: str, *, root: Path, filename: str = CONFIG_NAME, env: Mapping[str, str] | None = None
) -> Config:
    """Validate the YAML ``text`` of a config file whose folder is ``root``."""
    r = _Reader(text, filename)
    data = r.data
    r.check_keys(data, "", _TOP_KEYS)

    source_language = r.get(data, "", "source_language", str, "en")
    if not is_known(source_language):
        raise r.error("source_language", f"unknown language '{source_language}'")

    languages = _languages(r, data, source_language)
    codes = set(languages)

    def resolve(key: str, default: str) -> Path:
        value = r.get(data, "", key, str, default)
        p = Path(value)
        return p if p.is_absolute() else root / p

    database = data.get("database") or {}
    if not isinstance(database, dict):
        raise r.error("database", "must be a mapping with a 'url'")
    r.check_keys(database, "database", {"url"})
    url = r.get(database, "database", "url", str, DEFAULT_DATABASE_URL)
    if env and env.get(DATABASE_ENV):
        url = env[DATABASE_ENV]
    url = _resolve_sqlite(url, root)

    segmentation = r.get(data, "", "segmentation", str, "paragraph")
    if segmentation not in SEGMENTATION_MODES:
        raise r.error(
            "segmentation", f"must be one of {', '.join(SEGMENTATION_MODES)}, not '{segmentation}'"
        )

    merge = data.get("merge") or {}
    r.check_keys(merge, "merge", {"fuzzy_threshold"})
    fuzzy_threshold = _percent(r, merge, "merge", "fuzzy_threshold", 60.0)

    source_languages: dict[str, str] = {}
    pinned = data.get("source_languages") or {}
    r.check_keys(pinned, "source_languages", set(pinned) if isinstance(pinned, dict) else set())
    for glob, code in pinned.items():
        if not isinstance(code, str) or not is_known(code):
            raise r.error(f"source_languages.{glob}", f"unknown language '{code}'")
        source_languages[str(glob)] = code

    checks = data.get("checks") or {}
    r.check_keys(checks, "checks", {"severity", "detector", "keep"})
    severity_map = checks.get("severity") or {}
    r.check_keys(
        severity_map,
        "checks.severity",
        set(severity_map) if isinstance(severity_map, dict) else set(),
    )
    for code, sev in severity_map.items():
        if sev not in SEVERITIES:
            raise r.error(f"checks.severity.{code}", f"must be one of {', '.join(SEVERITIES)}")
    detector = r.get(checks, "checks", "detector", str, "langdetect")
    keep = tuple(name.strip() for name in _strings(r, checks, "checks", "keep") if name.strip())

    tm = data.get("tm") or {}
    r.check_keys(tm, "tm", {"exact", "exact_min_words", "fuzzy_threshold", "on_new_catalog"})
    exact = r.get(tm, "tm", "exact", str, "auto")
    if exact not in ("auto", "translated", "fuzzy"):
        raise r.error("tm.exact", "must be auto, translated or fuzzy")
    tm_config = TmConfig(
        exact_state=exact,
        exact_min_words=r.get(tm, "tm", "exact_min_words", int, 8),
        fuzzy_threshold=_percent(r, tm, "tm", "fuzzy_threshold", 75.0),
        on_new_catalog=r.get(tm, "tm", "on_new_catalog", bool, True),
    )

    align = data.get("align") or {}
    r.check_keys(align, "align", {"accept", "minimum"})
    align_config = AlignConfig(
        accept=_percent(r, align, "align", "accept", 90.0),
        minimum=_percent(r, align, "align", "minimum", 50.0),
    )
    if align_config.minimum > align_config.accept:
        raise r.error("align.minimum", "must not be above align.accept")

    build = data.get("build") or {}
    r.check_keys(build, "build", {"keep", "output"})
    keep_raw = build.get("keep") if isinstance(build, dict) else None
    build_keeps: dict[str, float] = {}
    if isinstance(keep_raw, dict):
        r.check_keys(keep_raw, "build.keep", set(codes) | {"default"})
        for key in keep_raw:
            build_keeps[str(key)] = _percent(r, keep_raw, "build.keep", str(key), 80.0)
        build_keep = build_keeps.pop("default", 80.0)
    else:
        build_keep = _percent(r, build, "build", "keep", 80.0)
    build_out = r.get(build, "build", "output", str, "build")
    fetch = _fetch(r, data.get("fetch"), data.get("site"))

    return Config(
        root=root,
        path=Path(filename),
        source_language=source_language,
        languages=tuple(lang for lang, _ in languages.values()),
        sources=resolve("sources", "articles"),
        catalogs=resolve("catalogs", "locales"),
        database_url=url,
        segmentation=segmentation,
        fuzzy_threshold=fuzzy_threshold,
        site=_site(r, data.get("site")),
        source_languages=source_languages,
        wants={code: wants for code, (_, wants) in languages.items()},
        thresholds=tuple(_thresholds(r, data, codes)),
        priorities=tuple(_priorities(r, data)),
        checks=ChecksConfig(severity=dict(severity_map), detector=detector, keep=keep),
        tm=tm_config,
        align=align_config,
        build_keep=build_keep,
        build_keeps=build_keeps,
        build_dir=root / build_out,
        fetch=fetch,
        published=resolve("published", "published"),
    )


def _languages(r: _Reader, data: Any, source: str) -> dict[str, tuple[Language, Wants]]:
    items = r.items(data, "", "languages")
    if not items and "languages" not in data:
        return {code: (make_language(code, label), Wants()) for code, label in DEFAULT_LANGUAGES}
    if not items:
        raise r.error("languages", "must list at least one target language")
    out: dict[str, tuple[Language, Wants]] = {}
    for path, item in items:
        if isinstance(item, str):
            item = {"code": item}
        r.check_keys(item, path, {"code", "label", "wants", "plural_forms"})
        code = r.get(item, path, "code", str, "")
        if not code:
            raise r.error(f"{path}.code", "is required")
        if not re.fullmatch(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]+)?", code) or not is_known(code):
            raise r.error(f"{path}.code", f"unknown language '{code}'")
        if code == source:
            raise r.error(f"{path}.code", f"'{code}' is the source language")
        if code in out:
            raise r.error(f"{path}.code", f"language '{code}' is listed twice")
        label = r.get(item, path, "label", str, "")
        wants_raw = item.get("wants") or {}
        r.check_keys(wants_raw, f"{path}.wants", {"publications", "tags"})
        wants = Wants(
            publications=tuple(
                str(v) for _, v in r.items(wants_raw, f"{path}.wants", "publications")
            ),
            tags=tuple(str(v) for _, v in r.items(wants_raw, f"{path}.wants", "tags")),
        )
        rule = r.get(item, path, "plural_forms", str, "").strip() or None
        if rule is not None:
            try:
                parse_plural_forms(rule)
            except PluralSyntaxError as exc:
                raise r.error(f"{path}.plural_forms", str(exc)) from exc
            if not rule.endswith(";"):
                rule += ";"
        out[code] = (make_language(code, label or None, rule), wants)
    return out


def _percent(r: _Reader, mapping: Any, path: str, key: str, default: float) -> float:
    value = r.get(mapping, path, key, float, default)
    if not 0.0 <= value <= 100.0:
        raise r.error(f"{path}.{key}", "must be a percentage from 0 to 100")
    return value


def _scope(r: _Reader, item: Any, path: str) -> Scope:
    since = r.get(item, path, "since", str, "")
    if since and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", since):
        raise r.error(f"{path}.since", f"must be a date like 2024-01-01, not '{since}'")
    return Scope(
        article=r.get(item, path, "article", str, "") or None,
        publication=r.get(item, path, "publication", str, "") or None,
        tag=r.get(item, path, "tag", str, "") or None,
        since=since or None,
    )


_SCOPE_KEYS = {"article", "publication", "tag", "since"}


def _thresholds(r: _Reader, data: Any, codes: set[str]) -> list[Threshold]:
    out = []
    for path, item in r.items(data, "", "thresholds"):
        r.check_keys(item, path, _SCOPE_KEYS | {"language", "min"})
        lang = r.get(item, path, "language", str, "") or None
        if lang is not None and lang not in codes:
            raise r.error(f"{path}.language", f"language '{lang}' is not configured")
        if "min" not in item:
            raise r.error(f"{path}.min", "is required (a percentage of words)")
        out.append(
            Threshold(
                lang,
                _percent(r, item, path, "min", 0.0),
                _scope(r, item, path),
                line=r.line_of(path),
            )
        )
    return out


def _priorities(r: _Reader, data: Any) -> list[Priority]:
    out = []
    for path, item in r.items(data, "", "priorities"):
        r.check_keys(item, path, _SCOPE_KEYS | {"priority"})
        out.append(Priority(r.get(item, path, "priority", int, 0), _scope(r, item, path)))
    return out


_SITE_KEYS = {
    "defaults",
    "hosts",
    "chrome",
    "masthead",
    "issue_line",
    "date",
    "part",
    "attribution",
    "publications",
    "languages",
    "language_labels",
    "issue_words",
}
_SITE_LANGUAGE_KEYS = {"chrome", "months", "extra_months", "seasons", "part"}
_SITE_PUBLICATION_KEYS = {"name", "code", "language", "masthead", "short"}


_FETCH_KEYS = {"delay", "timeout", "retries", "backoff", "max_wait", "max_size", "redirect_hosts"}
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d+)?")


def _fetch(r: _Reader, fetch: Any, site: Any) -> FetchConfig:
    """The ``fetch:`` section, with the site's hosts from ``site.hosts``."""
    fetch = fetch or {}
    r.check_keys(fetch, "fetch", _FETCH_KEYS)
    default = FetchConfig()

    def seconds(key: str, value: float) -> float:
        number = r.get(fetch, "fetch", key, float, value)
        if number < 0:
            raise r.error(f"fetch.{key}", "must not be negative")
        return number

    retries = r.get(fetch, "fetch", "retries", int, default.retries)
    if retries < 0:
        raise r.error("fetch.retries", "must not be negative")
    timeout = seconds("timeout", default.timeout)
    if timeout == 0:
        raise r.error("fetch.timeout", "must be more than 0 seconds")
    max_size = r.get(fetch, "fetch", "max_size", int, default.max_size)
    if max_size < 1:
        raise r.error("fetch.max_size", "must be a positive number of bytes")
    return FetchConfig(
        hosts=_hosts(r, site if isinstance(site, dict) else {}, "site", "hosts"),
        redirect_hosts=_hosts(r, fetch, "fetch", "redirect_hosts"),
        delay=seconds("delay", default.delay),
        timeout=timeout,
        retries=retries,
        backoff=seconds("backoff", default.backoff),
        max_wait=seconds("max_wait", default.max_wait),
        max_size=max_size,
    )


def _hosts(r: _Reader, mapping: Any, path: str, key: str) -> tuple[str, ...]:
    out = []
    for sub, value in r.items(mapping, path, key):
        host = str(value).strip().lower() if isinstance(value, str) else ""
        if not _HOST.fullmatch(host):
            raise r.error(sub, f"must be a host name such as www.icl-fi.org, not {value!r}")
        out.append(host)
    return tuple(out)


def _site(r: _Reader, site: Any) -> SiteProfile:
    """The site profile: the bundled defaults (unless ``defaults: false``) with what the
    ``site:`` section adds. Every pattern is checked, and named by its key path."""
    if not site:
        return site_defaults.DEFAULT_PROFILE
    r.check_keys(site, "site", _SITE_KEYS)
    base = site_defaults.default_site_data()
    if not r.get(site, "site", "defaults", bool, True):
        base = site_defaults.SiteData()
    added = site_defaults.SiteData(
        chrome=_strings(r, site, "site", "chrome", regex=True),
        language_labels=_strings(r, site, "site", "language_labels"),
        issue_words=_strings(r, site, "site", "issue_words", regex=True),
        languages=_site_languages(r, site.get("languages")),
        publications=_site_publications(r, site.get("publications"), base),
        mastheads=_one_pattern(r, site, "masthead"),
        issue_lines=_one_pattern(r, site, "issue_line"),
        dates=_one_pattern(r, site, "date"),
        parts=_one_pattern(r, site, "part"),
        attribution=(
            _regex(r, "site.attribution", r.get(site, "site", "attribution", str, ""))
            if site.get("attribution")
            else base.attribution
        ),
    )
    try:
        return site_defaults.SiteProfile.from_data(base.extended(added))
    except re.error as exc:  # each pattern compiles alone; together they did not
        raise r.error("site", f"the patterns do not combine: {exc}") from exc


#: The named groups a pattern of each key must have.
_SITE_GROUPS = {"masthead": ("issue",), "issue_line": ("issue",), "date": ("year", "month")}


def _one_pattern(r: _Reader, site: Any, key: str) -> tuple[str, ...]:
    value = r.get(site, "site", key, str, "")
    if not value:
        return ()
    pattern = _regex(r, f"site.{key}", value)
    missing = [g for g in _SITE_GROUPS.get(key, ()) if g not in re.compile(pattern).groupindex]
    if missing:
        groups = ", ".join(f"(?P<{g}>...)" for g in missing)
        raise r.error(f"site.{key}", f"needs the named group {groups}")
    return (pattern,)


def _strings(
    r: _Reader, mapping: Any, path: str, key: str, *, regex: bool = False
) -> tuple[str, ...]:
    out = []
    for sub, value in r.items(mapping, path, key):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise r.error(sub, "must be a string")
        out.append(_regex(r, sub, str(value)) if regex else str(value))
    return tuple(out)


def _site_languages(r: _Reader, languages: Any) -> dict[str, site_defaults.LanguageData]:
    if languages is None:
        return {}
    r.check_keys(
        languages, "site.languages", set(languages) if isinstance(languages, dict) else set()
    )
    out = {}
    for code, lang in languages.items():
        path = f"site.languages.{code}"
        r.check_keys(lang, path, _SITE_LANGUAGE_KEYS)
        months = _strings(r, lang, path, "months")
        if months and len(months) != 12:
            raise r.error(f"{path}.months", "must list the twelve months, January first")
        extra = lang.get("extra_months") or {}
        r.check_keys(
            extra, f"{path}.extra_months", set(extra) if isinstance(extra, dict) else set()
        )
        for name, number in extra.items():
            if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 12:
                raise r.error(f"{path}.extra_months.{name}", "must be a month's number, 1 to 12")
        seasons = lang.get("seasons") or {}
        r.check_keys(seasons, f"{path}.seasons", set(site_defaults.SEASONS))
        out[str(code)] = site_defaults.LanguageData(
            chrome=_strings(r, lang, path, "chrome", regex=True),
            months=months,
            extra_months={str(k): v for k, v in extra.items()},
            seasons={k: _strings(r, seasons, f"{path}.seasons", k) for k in seasons},
            part=_strings(r, lang, path, "part", regex=True),
        )
    return out


def _any_keys(r: _Reader, mapping: Any, path: str) -> None:
    """``mapping`` must be a mapping; its keys are the user's to choose."""
    r.check_keys(mapping, path, set(mapping) if isinstance(mapping, dict) else set())


def _site_publications(
    r: _Reader, pubs: Any, base: site_defaults.SiteData
) -> tuple[site_defaults.Publication, ...]:
    """Publications as a mapping of name to short code (a known one keeps its mastheads)
    or as a list of entries with name, code, language, masthead and short."""
    if pubs is None:
        return ()
    known = {p.name: p for p in base.publications}
    if isinstance(pubs, dict):
        r.check_keys(pubs, "site.publications", set(pubs))
        out = []
        for name, code in pubs.items():
            if not isinstance(code, str):
                raise r.error(f"site.publications.{name}", "must be a string (a short code)")
            pub = known.get(str(name)) or site_defaults.Publication(str(name), code)
            out.append(replace(pub, code=code))
        return tuple(out)
    entries = []
    for path, item in r.items({"publications": pubs}, "site", "publications"):
        r.check_keys(item, path, _SITE_PUBLICATION_KEYS)
        name = r.get(item, path, "name", str, "")
        code = r.get(item, path, "code", str, "")
        if not name or not code:
            raise r.error(path, "needs a name and a code")
        entries.append(
            site_defaults.Publication(
                name=name,
                code=code,
                language=r.get(item, path, "language", str, "") or None,
                masthead=_strings(r, item, path, "masthead", regex=True) or (re.escape(name),),
                short=_strings(r, item, path, "short", regex=True),
            )
        )
    return tuple(entries)


def _regex(r: _Reader, path: str, pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise r.error(path, f"invalid regular expression: {exc}") from exc
    return pattern


def _resolve_sqlite(url: str, root: Path) -> str:
    """Make a relative SQLite path absolute against the project root."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite://":
        rel = url[len(prefix) :]
        if rel and rel != ":memory:":
            return prefix + str(root / rel)
    return url


def find_config(start: Path) -> Path:
    """The nearest ``config.yaml`` at or above ``start``."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return _shown(candidate)
    return _shown(start / CONFIG_NAME)


def _shown(path: Path) -> Path:
    """``path`` relative to the current folder when it lies below it, for messages."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path
