"""The dashboard as a static site: the coverage arranged as publication → year → issue →
article → section, with a trend for each page.

:func:`build_site` arranges the values (a pure function); ``render_site`` turns them into
pages and :func:`i18n_pipeline.files.write_tree` writes them. A page never holds more than
one issue's articles: articles with no issue are grouped by month of their date, and such
a group is cut into pages of :data:`MAX_ARTICLES_PER_PAGE`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from i18n_pipeline.model import Counts, Language
from i18n_pipeline.report.coverage import ArticleCoverage, Coverage, sum_counts
from i18n_pipeline.report.published import Published
from i18n_pipeline.snapshots import add_point, start_of

#: The most articles on one page of articles that have no issue.
MAX_ARTICLES_PER_PAGE = 100

#: The key of the overview's trend in :attr:`Site.trends`.
OVERVIEW = "index.html"

#: A snapshot row as :func:`group_trends` reads it: at, article id, language,
#: translated words, words.
SnapshotPoint = tuple[datetime, str, str, int, int]


@dataclass(frozen=True)
class IssueNode:
    """One issue of a publication (or one page of articles without an issue)."""

    publication: str
    issue: str | None
    label: str
    date: str | None
    year: str
    path: str  # relative to the site's root
    articles: tuple[ArticleCoverage, ...]
    missing: tuple[str, ...]
    totals: Mapping[str, Counts]

    @property
    def words(self) -> int:
        return sum(a.words for a in self.articles)


@dataclass(frozen=True)
class PublicationNode:
    name: str
    path: str
    issues: tuple[IssueNode, ...]
    totals: Mapping[str, Counts]

    @property
    def words(self) -> int:
        return sum(i.words for i in self.issues)

    @property
    def articles(self) -> int:
        return sum(len(i.articles) for i in self.issues)


@dataclass(frozen=True)
class Site:
    """Everything the pages show."""

    source_language: str
    languages: tuple[Language, ...]
    totals: Mapping[str, Counts]
    publications: tuple[PublicationNode, ...]
    #: Per page path, ``{"since", "series"}`` as :func:`snapshots.trends` gives it.
    trends: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: Per article id and language, its registered publication (``align``).
    published: Mapping[str, Mapping[str, Published]] = field(default_factory=dict)
    #: The ``--by translator`` report (:func:`activity.activity_json`), for its page.
    activity: Mapping[str, Any] | None = None

    @property
    def words(self) -> int:
        return sum(p.words for p in self.publications)

    @property
    def articles(self) -> int:
        return sum(p.articles for p in self.publications)


def slug(text: str) -> str:
    """A file-name-safe form of ``text``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "x"


def build_site(
    coverage: Coverage,
    *,
    publication_codes: Mapping[str, str] | None = None,
    published: Mapping[str, Mapping[str, Published]] | None = None,
    snapshots: Iterable[SnapshotPoint] = (),
    since: str | None = None,
    activity: Mapping[str, Any] | None = None,
) -> Site:
    """Arrange ``coverage`` into publications and issues; ``publication_codes`` (name →
    short code) names their folders, ``snapshots`` (oldest first) give each page's trend."""
    codes = publication_codes or {}
    contents = {(g.publication, g.issue): g for g in coverage.issues}
    by_publication: dict[str, dict[str | None, list[ArticleCoverage]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for a in coverage.articles:
        by_publication[a.publication or ""][a.issue].append(a)
    language_codes = [lang.code for lang in coverage.languages]
    folders: set[str] = set()
    publications = []
    for name in sorted(by_publication, key=lambda n: (n == "", n.casefold())):
        folder = _unique(slug((codes.get(name) or name or "other").lower()), folders)
        issues: list[IssueNode] = []
        pages: set[str] = set()
        for issue, articles in by_publication[name].items():
            for number, label, date, members in _pages(name, issue, articles, contents):
                stem = _unique(slug(issue if issue is not None else f"no-issue-{number}"), pages)
                group = contents.get((name, issue)) if issue is not None else None
                issues.append(
                    IssueNode(
                        publication=name or "Other articles",
                        issue=issue,
                        label=label,
                        date=date,
                        year=(date or "")[:4] or "undated",
                        path=f"pub/{folder}/{stem}.html",
                        articles=tuple(members),
                        missing=group.missing if group is not None else (),
                        totals=_totals(members, language_codes),
                    )
                )
        issues.sort(key=_issue_order)
        publications.append(
            PublicationNode(
                name=name or "Other articles",
                path=f"pub/{folder}/index.html",
                issues=tuple(issues),
                totals={
                    c: sum_counts(i.totals[c] for i in issues if c in i.totals)
                    for c in language_codes
                    if any(c in i.totals for i in issues)
                },
            )
        )
    groups: dict[str, list[str]] = {}
    for pub in publications:
        for node in pub.issues:
            for a in node.articles:
                groups[a.id] = [OVERVIEW, pub.path, node.path]
    trends = group_trends(snapshots, groups, since=since)
    return Site(
        source_language=coverage.source_language,
        languages=coverage.languages,
        totals=coverage.totals,
        publications=tuple(publications),
        trends=trends,
        published=published or {},
        activity=activity,
    )


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{name}-{n}"
    taken.add(candidate.lower())
    return candidate


def _pages(
    publication: str,
    issue: str | None,
    articles: Sequence[ArticleCoverage],
    contents: Mapping[tuple[str, str], Any],
) -> Iterable[tuple[int, str, str | None, list[ArticleCoverage]]]:
    """(number, label, date, articles) of the pages of one issue: one page; or, for
    articles without an issue, pages by month of their date, of at most
    :data:`MAX_ARTICLES_PER_PAGE` each."""
    name = publication or ""
    if issue is not None:
        group = contents.get((publication, issue))
        date = (group.date if group is not None else None) or min(
            (a.date for a in articles if a.date), default=None
        )
        label = f"{name} No. {issue}" if name else f"No. {issue}"
        yield 0, label, date, list(articles)
        return
    by_month: dict[str, list[ArticleCoverage]] = defaultdict(list)
    for a in articles:
        by_month[(a.date or "")[:7]].append(a)
    number = 0
    for month in sorted(by_month):
        members = sorted(by_month[month], key=lambda a: (a.date or "", a.id))
        chunks = range(0, len(members), MAX_ARTICLES_PER_PAGE)
        for part, start in enumerate(chunks, 1):
            number += 1
            when = month or "undated"
            label = f"{name + ', ' if name else ''}no issue, {when}"
            if len(chunks) > 1:
                label += f" ({part} of {len(chunks)})"
            first = members[start].date
            yield number, label, first, members[start : start + MAX_ARTICLES_PER_PAGE]


def _totals(articles: Sequence[ArticleCoverage], codes: Sequence[str]) -> dict[str, Counts]:
    """Per language, the counts of the articles that language takes on."""
    out = {}
    for code in codes:
        cells = [a.languages[code] for a in articles if code in a.languages]
        if cells:
            out[code] = sum_counts(cells)
    return out


def _issue_order(node: IssueNode) -> tuple[str, str, list[tuple[int, str]]]:
    """By date, then number: "9" before "10", "10a" after "10"."""
    parts = re.split(r"(\d+)", node.issue or "")
    number = [(int(p), "") if p.isdigit() else (-1, p) for p in parts if p]
    return (node.date or "9999", node.label if node.issue is None else "", number)


def group_trends(
    rows: Iterable[SnapshotPoint],
    groups: Mapping[str, Sequence[str]],
    *,
    since: str | None = None,
) -> dict[str, dict[str, Any]]:
    """For every group (a page), the trend of its articles, in one pass over the snapshot
    rows: what :func:`snapshots.trends` gives for one set of articles, for many at once.
    ``groups`` maps each article to the groups it belongs to."""
    start = _start(since) if since else None
    latest: dict[tuple[str, str], tuple[int, int]] = {}
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    series: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(dict)
    started = start is None

    def begin(at: datetime) -> None:
        for (group, code), (translated, words) in sorted(sums.items()):
            add_point(series[group], code, at, translated, words)

    for at, article, code, translated, words in rows:
        member_of = groups.get(article)
        if member_of is None:
            continue
        if not started and start is not None and at >= start:
            begin(start)
            started = True
        old_t, old_w = latest.get((article, code), (0, 0))
        latest[(article, code)] = (translated, words)
        for group in member_of:
            total = sums[(group, code)]
            total[0] += translated - old_t
            total[1] += words - old_w
            if started:
                add_point(series[group], code, at, total[0], total[1])
    if not started and start is not None:
        begin(start)
    return {group: {"since": since, "series": by_code} for group, by_code in series.items()}


def _start(date: str) -> datetime:
    return start_of(date).astimezone(UTC)
