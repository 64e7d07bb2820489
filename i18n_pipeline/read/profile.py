"""The site profile: how a publisher's pages mark chrome and front matter.

Readers of every format use the same profile, so a block of site chrome is dropped whether
it came from a text dump, an HTML page or Markdown. Patterns are regular expressions matched
against a block's whitespace-normalised text (``re.fullmatch``, case-sensitive).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

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

#: The default profile, for the publisher's own site.
DEFAULT_CHROME = (
    r"Documents in:.*",
    r"International Communist League",
    r"Home Spartacist,.*",
    r"Subscribe to .+",
    r"View archives",
    r"Printable version of this article",
    r"Back to top",
)
DEFAULT_MASTHEAD = (
    r"(?P<publication>Workers Vanguard|Spartacist|Women and Revolution) No\. (?P<issue>\d+)"
)
DEFAULT_ISSUE_LINE = r"(?:WV|SP) (?P<issue>\d+)"
DEFAULT_DATE = r"(?P<day>\d{1,2}) (?P<month>" + "|".join(MONTHS) + r") (?P<year>\d{4})"
DEFAULT_PART = r"Part (?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|\d+)"
DEFAULT_ATTRIBUTION = r"[—–]\s*\S.*"


@dataclass(frozen=True)
class SiteProfile:
    """Compiled patterns for one site. Build it with :meth:`from_patterns`."""

    chrome: tuple[re.Pattern[str], ...]
    masthead: re.Pattern[str]  # groups: publication, issue
    issue_line: re.Pattern[str]  # short issue line that opens the table of contents
    date: re.Pattern[str]  # groups: day, month, year
    part: re.Pattern[str]
    attribution: re.Pattern[str]
    publications: dict[str, str] = field(default_factory=dict)  # name -> short code, e.g. wv
    #: Chrome of the site's translated pages, by language (the English chrome applies too).
    localized_chrome: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)

    @classmethod
    def from_patterns(
        cls,
        *,
        chrome: tuple[str, ...] = DEFAULT_CHROME,
        masthead: str = DEFAULT_MASTHEAD,
        issue_line: str = DEFAULT_ISSUE_LINE,
        date: str = DEFAULT_DATE,
        part: str = DEFAULT_PART,
        attribution: str = DEFAULT_ATTRIBUTION,
        publications: dict[str, str] | None = None,
        localized_chrome: Mapping[str, tuple[str, ...]] | None = None,
    ) -> SiteProfile:
        """The profile of these patterns; ``localized_chrome`` adds to the defaults of
        ``chrome.yaml``."""
        localized = {code: list(found) for code, found in default_localized_chrome().items()}
        for code, found in (localized_chrome or {}).items():
            localized.setdefault(code, []).extend(p for p in found if p not in localized[code])
        return cls(
            chrome=tuple(re.compile(p) for p in chrome),
            masthead=re.compile(masthead),
            issue_line=re.compile(issue_line),
            date=re.compile(date),
            part=re.compile(part),
            attribution=re.compile(attribution, re.S),
            publications=dict(publications or {"Workers Vanguard": "wv"}),
            localized_chrome={
                code: tuple(re.compile(p) for p in found) for code, found in localized.items()
            },
        )

    def for_language(self, code: str) -> SiteProfile:
        """The profile for a page translated into ``code``: its chrome in that language too."""
        extra = self.localized_chrome.get(code, ())
        return replace(self, chrome=self.chrome + extra) if extra else self

    def is_chrome(self, text: str) -> bool:
        return any(p.fullmatch(text) for p in self.chrome)

    def parse_date(self, text: str) -> str | None:
        """``3 February 2006`` → ``2006-02-03``; None when the text is not a date."""
        m = self.date.fullmatch(text)
        if not m:
            return None
        month = MONTHS.index(m["month"]) + 1
        return f"{int(m['year']):04d}-{month:02d}-{int(m['day']):02d}"


@cache
def default_localized_chrome() -> dict[str, tuple[str, ...]]:
    """The chrome of translated pages shipped in ``chrome.yaml``, by language."""
    text = resources.files("i18n_pipeline.read").joinpath("chrome.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    return {str(code): tuple(str(p) for p in found) for code, found in data.items()}


DEFAULT_PROFILE = SiteProfile.from_patterns()
