"""The site profile: how a publisher's pages mark chrome, front matter and the title block.

Readers of every format use the same profile, so a block of site chrome is dropped whether
it came from a text dump, an HTML page or Markdown. The profile is data: the defaults for
the publisher's site are in ``site.yaml`` beside this module (its publications and their
mastheads, each edition's chrome, month and season names, "Part N" lines), and the
``site:`` section of ``config.yaml`` adds to them (:meth:`SiteData.extended`).
:class:`SiteProfile` is the compiled form. Patterns are regular expressions matched
against a block's whole whitespace-normalised text, case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SEASONS = ("spring", "summer", "autumn", "winter")
#: A season's date is the first day of its first month; a winter that spans two years
#: ("Winter 2010/2011") starts in December of the first.
SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "winter": 1}
_CJK_SEASONS = {"春": "spring", "夏": "summer", "秋": "autumn", "冬": "winter"}
DEFAULT_ATTRIBUTION = r"[—–]\s*\S.*"
#: libyaml's loader where PyYAML was built with it: every command reads the profile.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


@dataclass(frozen=True)
class LanguageData:
    """What one language edition prints: chrome lines, month and season names, parts."""

    chrome: tuple[str, ...] = ()
    months: tuple[str, ...] = ()  # January first
    extra_months: Mapping[str, int] = field(default_factory=dict)  # other forms: name -> 1..12
    seasons: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # spring.. -> names
    part: tuple[str, ...] = ()

    def merged(self, other: LanguageData) -> LanguageData:
        seasons = {k: (*self.seasons.get(k, ()), *other.seasons.get(k, ())) for k in SEASONS}
        return LanguageData(
            chrome=(*self.chrome, *other.chrome),
            months=other.months or self.months,
            extra_months={**self.extra_months, **other.extra_months},
            seasons={k: v for k, v in seasons.items() if v},
            part=(*self.part, *other.part),
        )


@dataclass(frozen=True)
class Publication:
    """A periodical of the site: its name as read, the short code of its folder, its
    language, the names its masthead prints and the short issue line at a page's foot."""

    name: str
    code: str
    language: str | None = None
    masthead: tuple[str, ...] = ()
    short: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteData:
    """The profile as data, before it is compiled; see ``site.yaml`` for each field.

    ``mastheads``, ``issue_lines`` and ``dates`` are extra patterns with named groups
    (publication and issue; issue; day, month and year), as ``config.yaml`` has long
    allowed them.
    """

    chrome: tuple[str, ...] = ()
    language_labels: tuple[str, ...] = ()
    issue_words: tuple[str, ...] = ()
    languages: Mapping[str, LanguageData] = field(default_factory=dict)
    publications: tuple[Publication, ...] = ()
    mastheads: tuple[str, ...] = ()
    issue_lines: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    attribution: str = DEFAULT_ATTRIBUTION

    def extended(self, other: SiteData) -> SiteData:
        """These defaults with ``other`` added: lists grow, a publication of the same name
        is replaced, a language's lists grow, and ``other``'s attribution wins."""
        languages = dict(self.languages)
        for code, data in other.languages.items():
            languages[code] = languages[code].merged(data) if code in languages else data
        names = {p.name for p in other.publications}
        return SiteData(
            chrome=(*self.chrome, *other.chrome),
            language_labels=(*self.language_labels, *other.language_labels),
            issue_words=(*self.issue_words, *other.issue_words),
            languages=languages,
            publications=(
                *(p for p in self.publications if p.name not in names),
                *other.publications,
            ),
            mastheads=(*self.mastheads, *other.mastheads),
            issue_lines=(*self.issue_lines, *other.issue_lines),
            dates=(*self.dates, *other.dates),
            parts=(*self.parts, *other.parts),
            attribution=other.attribution,
        )


def site_data_from_mapping(data: Mapping[str, Any]) -> SiteData:
    """:class:`SiteData` from the bundled YAML's shape (already validated)."""
    languages = {
        str(code): LanguageData(
            chrome=tuple(lang.get("chrome") or ()),
            months=tuple(lang.get("months") or ()),
            extra_months={str(k): int(v) for k, v in (lang.get("extra_months") or {}).items()},
            seasons={str(k): tuple(v) for k, v in (lang.get("seasons") or {}).items()},
            part=tuple(lang.get("part") or ()),
        )
        for code, lang in (data.get("languages") or {}).items()
    }
    publications = tuple(
        Publication(
            name=str(p["name"]),
            code=str(p["code"]),
            language=p.get("language"),
            masthead=tuple(p.get("masthead") or ()),
            short=tuple(p.get("short") or ()),
        )
        for p in data.get("publications") or ()
    )
    return SiteData(
        chrome=tuple(data.get("chrome") or ()),
        language_labels=tuple(data.get("language_labels") or ()),
        issue_words=tuple(data.get("issue_words") or ()),
        languages=languages,
        publications=publications,
    )


@cache
def default_site_data() -> SiteData:
    """The bundled profile of the publisher's site (``site.yaml``), with the chrome its
    translated pages print in each language (``chrome.yaml``)."""
    folder = resources.files(__package__)
    data = site_data_from_mapping(_load_yaml(folder.joinpath("site.yaml").read_text("utf-8")))
    localized = _load_yaml(folder.joinpath("chrome.yaml").read_text("utf-8")) or {}
    return data.extended(
        SiteData(
            languages={
                str(code): LanguageData(chrome=tuple(str(p) for p in patterns))
                for code, patterns in localized.items()
            }
        )
    )


@dataclass(frozen=True)
class Masthead:
    """What a masthead line says. ``known`` is False for a line that only has a masthead's
    shape (a name, an issue word, a number) and names no publication of the profile."""

    publication: str
    issue: str
    language: str | None = None
    known: bool = True


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so "Frühjahr" beats "Früh")."""
    unique = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in unique) or "(?!)"


def _group(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns) or "(?!)"


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class SiteProfile:
    """The compiled site profile. Build it with :meth:`from_data` (or :meth:`default`)."""

    data: SiteData
    chrome: tuple[re.Pattern[str], ...]
    _mastheads: tuple[tuple[re.Pattern[str], Publication | None], ...]
    _generic_masthead: tuple[re.Pattern[str], ...]
    _issue_lines: tuple[re.Pattern[str], ...]  # the short line that repeats the masthead
    _parts: tuple[re.Pattern[str], ...]
    attribution: re.Pattern[str]
    _dates: tuple[re.Pattern[str], ...]
    _months: Mapping[str, int]
    _seasons: Mapping[str, str]
    publications: dict[str, str]  # name -> short code, e.g. wv
    languages: dict[str, str | None]  # publication name -> language code

    @classmethod
    def default(cls) -> SiteProfile:
        return cls.from_data(default_site_data())

    @classmethod
    def from_data(cls, data: SiteData) -> SiteProfile:
        """Compile ``data``; raises :class:`re.error` for a bad pattern."""
        flags = re.IGNORECASE
        langs = data.languages.values()
        labels = _alternation(data.language_labels)
        chrome = [
            *data.chrome,
            *(p for lang in langs for p in lang.chrome),
            rf"(?:Documents in:\s*)?(?:{labels})(?:\s*[,/|·]?\s*(?:{labels}))+",
        ]
        words = _group(data.issue_words)
        number = r"(?P<issue>\d+(?:\s*[-/–]\s*\d+)?)"
        cjk_number = r"第\s*(?P<cjkissue>\d+)\s*[号號期]"
        mastheads: list[tuple[re.Pattern[str], Publication | None]] = [
            (re.compile(p, flags), None) for p in data.mastheads
        ]
        for pub in data.publications:
            names = _group(pub.masthead or (re.escape(pub.name),))
            mastheads.append(
                (
                    re.compile(
                        rf"(?:{names})\s*[,:]?\s*(?:(?:{words})\s*{number}|{cjk_number})", flags
                    ),
                    pub,
                )
            )
        generic = (
            re.compile(
                rf"(?P<publication>[^\W\d_][^\s,]*(?:[ ,]+[^\s,]+){{0,5}}?)\s*[,:]?\s+"
                rf"(?:{words})\s*{number}",
                flags,
            ),
            re.compile(rf"(?P<publication>[^\W\d_]\S{{1,15}}?)\s*{cjk_number}", flags),
        )
        shorts = _alternation(s for pub in data.publications for s in pub.short)
        issue_lines = [rf"(?:{shorts})\.?\s*(?:No\.\s*)?(?P<issue>\d+)", *data.issue_lines]
        parts = [_group(p for lang in langs for p in lang.part), *data.parts]

        months: dict[str, int] = {}
        seasons: dict[str, str] = {}
        for lang in langs:
            for n, name in enumerate(lang.months, start=1):
                months.setdefault(name.casefold(), n)
            for name, n in lang.extra_months.items():
                months.setdefault(name.casefold(), n)
            for key, season_names in lang.seasons.items():
                for name in season_names:
                    seasons.setdefault(name.casefold(), key)
        m = _alternation(months)
        s = _alternation(seasons)
        year_suffix = r"(?:\s*(?:г\.?|года?|年))?\.?"
        dates = [
            # 3 February 2006, 3. Februar 2006, 3 de febrero de 2006, 3 февраля 2006 г.
            rf"(?P<day>\d{{1,2}})(?:\.|er|º)?\s+(?:de\s+)?(?P<month>{m})\.?(?:\s+de)?,?\s+"
            rf"(?P<year>\d{{4}}){year_suffix}",
            # February 3, 2006
            rf"(?P<month>{m})\s+(?P<day>\d{{1,2}}),\s+(?P<year>\d{{4}})",
            # Januar 2009, février de 2019, Juli/August 2009
            rf"(?P<month>{m})(?:\s*[-–/]\s*(?:{m}))?(?:\s+de)?,?\s+(?P<year>\d{{4}}){year_suffix}",
            # Spring 2006, Winter 2010/2011, Primavera-Verano de 2009, Весна 2010 г.
            rf"(?P<season>{s})(?:\s*[-–/]\s*(?:{s}))?(?:\s+de)?,?\s+(?P<year>\d{{4}})"
            rf"(?:\s*[-–/]\s*(?P<year2>\d{{2,4}}))?{year_suffix}",
            # 2009年1月, 2009年1-2月, 2009年1月15日
            r"(?P<year>\d{4})\s*年\s*(?P<mnum>\d{1,2})\s*(?:[-–~〜・]\s*\d{1,2}\s*)?月"
            r"(?:\s*(?P<day>\d{1,2})\s*日)?\s*[号號]?",
            # 2010年冬, 2009年春季号
            r"(?P<year>\d{4})\s*年\s*(?P<cjkseason>[春夏秋冬])(?:[・/-][春夏秋冬])?[季天]?\s*[号號]?",
            *data.dates,
        ]
        pubs = {p.name: p.code for p in data.publications}
        return cls(
            data=data,
            chrome=tuple(re.compile(p, flags) for p in chrome),
            _mastheads=tuple(mastheads),
            _generic_masthead=generic,
            _issue_lines=tuple(re.compile(p, flags) for p in issue_lines),
            _parts=tuple(re.compile(p, flags) for p in parts),
            attribution=re.compile(data.attribution, re.S),
            _dates=tuple(re.compile(p, flags) for p in dates),
            _months=months,
            _seasons=seasons,
            publications=pubs,
            languages={p.name: p.language for p in data.publications},
        )

    @property
    def key(self) -> str:
        """A stable text of everything the profile knows, for fingerprints."""
        return repr(self.data)

    def for_language(self, code: str) -> SiteProfile:
        """The profile for a page in ``code``: every edition's chrome is already in it."""
        return self

    def is_chrome(self, text: str) -> bool:
        return any(p.fullmatch(text) for p in self.chrome)

    def is_part(self, text: str) -> bool:
        return any(p.fullmatch(text) for p in self._parts)

    def issue_of_line(self, text: str) -> str | None:
        """The issue number of a short issue line ("WV 863"), else None."""
        for pattern in self._issue_lines:
            if m := pattern.fullmatch(text):
                return _issue(m) or None
        return None

    def is_issue_line(self, text: str) -> bool:
        return self.issue_of_line(text) is not None

    def masthead(self, text: str, *, generic: bool = True) -> Masthead | None:
        """The publication and issue of a masthead line ("Spartakist Nummer 175"); with
        ``generic``, also of a line that only has a masthead's shape."""
        if len(text) > 120:
            return None
        for pattern, pub in self._mastheads:
            if m := pattern.fullmatch(text):
                issue = _issue(m)
                if pub is None:
                    name = m.groupdict().get("publication") or ""
                    return Masthead(name, issue, self.languages.get(name))
                return Masthead(pub.name, issue, pub.language)
        if generic:
            for pattern in self._generic_masthead:
                if m := pattern.fullmatch(text):
                    name = m["publication"].strip(" ,:")
                    return Masthead(name, _issue(m), known=False)
        return None

    def parse_date(self, text: str) -> str | None:
        """``3 February 2006`` → ``2006-02-03``; a month or season alone gives the first
        day of the month or season (``Januar 2009`` → ``2009-01-01``, ``Winter 2010/2011``
        → ``2010-12-01``). None when the text is not a date."""
        for pattern in self._dates:
            m = pattern.fullmatch(text)
            if not m:
                continue
            found = m.groupdict()
            year = int(found["year"])
            day = int(found.get("day") or 1)
            month = self._month(found)
            if month is None or not 1 <= month <= 12 or not 1 <= day <= 31:
                continue
            return f"{year:04d}-{month:02d}-{day:02d}"
        return None

    def _month(self, found: Mapping[str, str | None]) -> int | None:
        if found.get("mnum"):
            return int(str(found["mnum"]))
        if name := found.get("month"):
            return int(name) if name.isdigit() else self._months.get(name.casefold())
        season = found.get("season")
        key = self._seasons.get(season.casefold()) if season else None
        key = key or _CJK_SEASONS.get(found.get("cjkseason") or "")
        if key is None:
            return None
        return 12 if key == "winter" and found.get("year2") else SEASON_MONTHS[key]

    def language_of(self, publication: str | None) -> str | None:
        """The language of a publication the profile knows."""
        return self.languages.get(publication or "")


def _issue(m: re.Match[str]) -> str:
    found = m.groupdict()
    return re.sub(r"\s+", "", found.get("issue") or found.get("cjkissue") or "")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


DEFAULT_PROFILE = SiteProfile.default()
