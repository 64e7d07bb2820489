"""The site profile: how a publisher's pages mark chrome and front matter.

Readers of every format use the same profile, so a block of site chrome is dropped whether
it came from a text dump, an HTML page or Markdown. Patterns are regular expressions matched
against a block's whitespace-normalised text (``re.fullmatch``, case-sensitive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    ) -> SiteProfile:
        return cls(
            chrome=tuple(re.compile(p) for p in chrome),
            masthead=re.compile(masthead),
            issue_line=re.compile(issue_line),
            date=re.compile(date),
            part=re.compile(part),
            attribution=re.compile(attribution, re.S),
            publications=dict(publications or {"Workers Vanguard": "wv"}),
        )

    def is_chrome(self, text: str) -> bool:
        return any(p.fullmatch(text) for p in self.chrome)

    def parse_date(self, text: str) -> str | None:
        """``3 February 2006`` → ``2006-02-03``; None when the text is not a date."""
        m = self.date.fullmatch(text)
        if not m:
            return None
        month = MONTHS.index(m["month"]) + 1
        return f"{int(m['year']):04d}-{month:02d}-{int(m['day']):02d}"


DEFAULT_PROFILE = SiteProfile.from_patterns()
