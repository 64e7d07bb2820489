"""Coverage from the index: units and words by state, per language, article and section.

:func:`compute_coverage` aggregates in SQL and returns frozen dataclasses;
:func:`coverage_json` turns them into the contract's JSON object
(``contracts/coverage.md``, schema ``i18n-pipeline/coverage/1``) that every renderer takes.

A language counts only the articles it wants (``languages[].wants`` in ``config.yaml``);
the others are left out of its numbers rather than counted as untranslated. ``outdated``
units are the fuzzy ones that the merge made fuzzy because the source changed after they
were translated, as opposed to fuzzy marks a translator set.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from operator import attrgetter
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from i18n_pipeline.config import Config, Scope, Wants
from i18n_pipeline.model import Counts, Language, normalize_space
from i18n_pipeline.store.db import read_scope
from i18n_pipeline.store.models import (
    ArticleRow,
    PublicationIssueRow,
    PublishedRow,
    SectionCountRow,
    SectionRow,
)

SCHEMA = "i18n-pipeline/coverage/1"


@dataclass(frozen=True)
class ReportOptions:
    """Which part of the project a report covers."""

    languages: tuple[str, ...] = ()  # empty: all configured
    article: str | None = None  # glob over article ids
    publication: str | None = None  # name or short code
    since: str | None = None  # ISO date: articles dated on or after
    change_since: str | None = None  # ISO date: the change in coverage since then, from snapshots


@dataclass(frozen=True)
class SectionCoverage:
    index: int
    title: str | None
    units: int
    words: int
    languages: Mapping[str, Counts]


@dataclass(frozen=True)
class Publication:
    """A published translation of an article, aligned into its catalog (``align``)."""

    source: str  # the file, or the URL, it was aligned from
    date: str | None
    aligned_units: int
    aligned_percent: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "date": self.date,
            "aligned_units": self.aligned_units,
            "aligned_percent": self.aligned_percent,
        }


@dataclass(frozen=True)
class ArticleCoverage:
    id: str
    title: str | None
    source_language: str
    source_path: str
    publication: str | None
    issue: str | None
    date: str | None
    tags: tuple[str, ...]
    units: int
    words: int
    languages: Mapping[str, Counts]
    sections: tuple[SectionCoverage, ...]
    #: The languages the article is published in, as registered by ``align``.
    published: Mapping[str, Publication] = field(default_factory=dict)


@dataclass(frozen=True)
class IssueGroup:
    publication: str
    issue: str
    date: str | None
    articles: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class LanguageChange:
    """One language's coverage of the report's articles at a past date, and now.

    ``then`` is None when no snapshot of those articles in that language was taken
    before the date: nothing had been recorded, so the change is all of ``now``.
    """

    then: Counts | None
    now: Counts

    @property
    def counts(self) -> Counts:
        """``now`` minus ``then``, field by field (``outdated`` is not in snapshots)."""
        then = self.then or Counts()
        return Counts(**{f: getattr(self.now, f) - getattr(then, f) for f in SNAPSHOT_FIELDS})

    @property
    def percent(self) -> float:
        """Percentage points gained (negative: lost); from 0% when nothing was recorded."""
        before = self.then.percent if self.then is not None else 0.0
        return round(self.now.percent - before, 1)


#: The fields of :class:`Counts` that snapshots keep, in the dataclass's order.
SNAPSHOT_FIELDS = (
    "units",
    "translated",
    "fuzzy",
    "untranslated",
    "words",
    "translated_words",
    "fuzzy_words",
    "untranslated_words",
)


@dataclass(frozen=True)
class CoverageChange:
    """Coverage per language at the start of ``since`` (UTC) against now."""

    since: str
    languages: Mapping[str, LanguageChange]


@dataclass(frozen=True)
class Coverage:
    generated_at: datetime
    source_language: str
    languages: tuple[Language, ...]
    totals: Mapping[str, Counts]
    articles: tuple[ArticleCoverage, ...]
    issues: tuple[IssueGroup, ...] = field(default=())
    change: CoverageChange | None = None


def publication_matches(config: Config, wanted: str, publication: str | None) -> bool:
    if publication is None:
        return False
    code = config.site.publications.get(publication, "")
    return wanted.lower() in (publication.lower(), code.lower())


def scope_matches(
    config: Config,
    scope: Scope,
    *,
    article_id: str,
    publication: str | None,
    tags: Sequence[str],
    date: str | None,
) -> bool:
    """True when an article falls under a config rule's scope."""
    if scope.article and not fnmatchcase(article_id, scope.article):
        return False
    if scope.publication and not (
        publication_matches(config, scope.publication, publication)
        or fnmatchcase(article_id, f"{scope.publication}/*")
    ):
        return False
    if scope.tag and scope.tag not in tags:
        return False
    return not (scope.since and (date is None or date < scope.since))


def wants(
    config: Config,
    language: str,
    *,
    publication: str | None,
    tags: Sequence[str],
    article_id: str = "",
) -> bool:
    """Whether ``language`` takes on an article, by the ``wants`` of its config entry."""
    rule: Wants = config.wants.get(language, Wants())
    if not rule.publications and not rule.tags:
        return True
    if any(
        publication_matches(config, p, publication) or fnmatchcase(article_id, f"{p}/*")
        for p in rule.publications
    ):
        return True
    return any(t in tags for t in rule.tags)


def choosy_languages(config: Config) -> set[str]:
    """The languages whose ``wants`` restricts what they take on (the others take all)."""
    return {c for c, rule in config.wants.items() if rule.publications or rule.tags}


def targets_of(config: Config, codes: Sequence[str], a: Any, choosy: Collection[str]) -> list[str]:
    """The languages of ``codes`` that take on article row ``a`` (a row of
    :data:`_ARTICLES`); ``choosy`` is :func:`choosy_languages`."""
    tags = a.tags.split() if a.tags else ()
    return [
        c
        for c in codes
        if c != a.source_language
        and (
            c not in choosy
            or wants(config, c, publication=a.publication, tags=tags, article_id=a.article_id)
        )
    ]


def article_counts(
    config: Config, engine: Engine, only: Collection[str] | None = None
) -> dict[tuple[str, str], Counts]:
    """Per (article id, language that wants it), the article's counts: what
    :func:`compute_coverage` gives as each article's ``languages``, summed in SQL per
    article without building its sections (snapshots need no more, at any size)."""
    codes = config.codes
    sections = select(
        SectionRow.article_pk, func.sum(SectionRow.units), func.sum(SectionRow.words)
    ).group_by(SectionRow.article_pk)
    summed = (
        select(
            SectionCountRow.article_pk,
            SectionCountRow.language,
            func.sum(SectionCountRow.translated),
            func.sum(SectionCountRow.fuzzy),
            func.sum(SectionCountRow.translated_words),
            func.sum(SectionCountRow.fuzzy_words),
            func.sum(SectionCountRow.outdated),
            func.sum(SectionCountRow.outdated_words),
        )
        .where(SectionCountRow.language.in_(codes))
        .group_by(SectionCountRow.article_pk, SectionCountRow.language)
    )
    chosen = _ARTICLES
    if only is not None and len(only) <= _MAX_SQL_LIST:
        chosen = chosen.where(ArticleRow.article_id.in_(sorted(only)))
    with read_scope(engine) as session:
        conn = session.connection()
        articles = [a for a in conn.execute(chosen) if only is None or a.article_id in only]
        wanted = {a.id for a in articles}
        if len(wanted) <= _MAX_SQL_LIST:
            sections = sections.where(SectionRow.article_pk.in_(wanted))
            summed = summed.where(SectionCountRow.article_pk.in_(wanted))
        base = {pk: (int(n or 0), int(w or 0)) for pk, n, w in conn.execute(sections)}
        done = {
            (pk, language): tuple(int(n) for n in numbers)
            for pk, language, *numbers in conn.execute(summed)
            if pk in wanted
        }
    choosy = choosy_languages(config)
    out: dict[tuple[str, str], Counts] = {}
    for a in articles:
        units, words = base.get(a.id, (0, 0))
        for code in targets_of(config, codes, a, choosy):
            out[(a.article_id, code)] = counts_of(units, words, *done.get((a.id, code), ()))
    return out


def compute_coverage(
    config: Config,
    engine: Engine,
    options: ReportOptions = ReportOptions(),
    *,
    only: Collection[str] | None = None,
) -> Coverage:
    """Aggregate the index into coverage for the configured (or chosen) languages;
    ``only`` limits it to those article ids (for snapshots of what changed)."""
    codes = options.languages or config.codes
    languages = tuple(config.language(c) for c in codes)
    with read_scope(engine) as session:
        present = list(session.execute(_ARTICLES))
        article_rows = [
            a
            for a in present
            if (only is None or a.article_id in only) and _selected(config, a, options)
        ]
        wanted_pks = {a.id for a in article_rows}

        # A short selection goes into the SQL; a long one is cheaper to filter here.
        narrow = len(wanted_pks) < len(present) and len(wanted_pks) <= _MAX_SQL_LIST
        section_q = select(
            SectionRow.article_pk,
            SectionRow.index,
            SectionRow.title,
            SectionRow.units,
            SectionRow.words,
        ).order_by(SectionRow.article_pk, SectionRow.index)
        counts_q = select(
            SectionCountRow.article_pk,
            SectionCountRow.section_index,
            SectionCountRow.language,
            SectionCountRow.translated,
            SectionCountRow.fuzzy,
            SectionCountRow.translated_words,
            SectionCountRow.fuzzy_words,
            SectionCountRow.outdated,
            SectionCountRow.outdated_words,
        ).where(SectionCountRow.language.in_(codes))
        if narrow:
            section_q = section_q.where(SectionRow.article_pk.in_(wanted_pks))
            counts_q = counts_q.where(SectionCountRow.article_pk.in_(wanted_pks))
        sections: dict[int, list[tuple[int, str | None, int, int]]] = defaultdict(list)
        for article_pk, index, title, units, words in session.execute(section_q):
            if article_pk in wanted_pks:
                sections[article_pk].append((index, title, units, words))
        done: dict[tuple[int, int, str], tuple[int, ...]] = {}
        for pk, sec, lang, *numbers in session.execute(counts_q):
            if pk in wanted_pks:
                done[(pk, sec, lang)] = tuple(numbers)
        issue_rows = list(session.scalars(select(PublicationIssueRow)))
        published = publications(session, codes, wanted_pks if narrow else None)

    articles = []
    per_language: dict[str, list[Counts]] = {c: [] for c in codes}
    made: dict[tuple[int, ...], Counts] = {}  # equal counts share one object
    nothing = (0, 0, 0, 0, 0, 0)
    for a in article_rows:
        tags = tuple(a.tags.split()) if a.tags else ()
        targets = [
            c
            for c in codes
            if c != a.source_language
            and wants(config, c, publication=a.publication, tags=tags, article_id=a.article_id)
        ]
        section_list = []
        for sec, title, units, words in sections.get(a.id, ()):
            per_lang = {}
            for c in targets:
                key = (units, words, *done.get((a.id, sec, c), nothing))
                counts = made.get(key)
                if counts is None:
                    counts = made[key] = counts_of(*key)
                per_lang[c] = counts
            section_list.append(SectionCoverage(sec, title, units, words, per_lang))
        article_counts = {c: sum_counts(s.languages[c] for s in section_list) for c in targets}
        for c in targets:
            per_language[c].append(article_counts[c])
        articles.append(
            article_coverage(a, tags, article_counts, tuple(section_list), published.get(a.id, {}))
        )
    totals = {c: sum_counts(per_language[c]) for c in codes}
    issues = _issue_groups(issue_rows, articles)
    return Coverage(
        generated_at=datetime.now(UTC).replace(microsecond=0),
        source_language=config.source_language,
        languages=languages,
        totals=totals,
        articles=tuple(articles),
        issues=issues,
    )


#: Above this many articles, a selection is filtered in Python rather than in the SQL.
_MAX_SQL_LIST = 500

_ARTICLES = (
    select(
        ArticleRow.id,
        ArticleRow.article_id,
        ArticleRow.title,
        ArticleRow.source_language,
        ArticleRow.source_path,
        ArticleRow.publication,
        ArticleRow.issue,
        ArticleRow.date,
        ArticleRow.tags,
        ArticleRow.units,
        ArticleRow.words,
    )
    .where(ArticleRow.present.is_(True))
    .order_by(ArticleRow.article_id)
)

_COUNT_FIELDS = tuple(f.name for f in fields(Counts))
_count_values = attrgetter(*_COUNT_FIELDS)


def publications(
    session: Session, codes: Sequence[str], article_pks: Collection[int] | None = None
) -> dict[int, dict[str, Publication]]:
    """Per article (primary key), its registered publications in ``codes``."""
    query = (
        select(PublishedRow)
        .where(PublishedRow.language.in_(codes))
        .order_by(PublishedRow.article_pk, PublishedRow.language)
    )
    if article_pks is not None:
        query = query.where(PublishedRow.article_pk.in_(sorted(article_pks)))
    out: dict[int, dict[str, Publication]] = defaultdict(dict)
    for row in session.scalars(query):
        out[row.article_pk][row.language] = Publication(
            row.source, row.date, row.aligned_units, row.aligned_percent
        )
    return dict(out)


def article_coverage(
    a: Any,
    tags: tuple[str, ...] = (),
    languages: Mapping[str, Counts] | None = None,
    sections: tuple[SectionCoverage, ...] = (),
    published: Mapping[str, Publication] | None = None,
) -> ArticleCoverage:
    """The coverage of article row ``a`` (a row of :data:`_ARTICLES`)."""
    return ArticleCoverage(
        id=a.article_id,
        title=a.title,
        source_language=a.source_language,
        source_path=a.source_path,
        publication=a.publication,
        issue=a.issue,
        date=a.date,
        tags=tags,
        units=a.units,
        words=a.words,
        languages=languages or {},
        sections=sections,
        published=published or {},
    )


def sum_counts(items: Iterable[Counts]) -> Counts:
    """The counts added up, field by field (quicker than ``+`` over many)."""
    columns = list(zip(*map(_count_values, items), strict=True))
    return Counts(*map(sum, columns)) if columns else Counts()


def _selected(config: Config, a: Any, options: ReportOptions) -> bool:
    if options.article and not fnmatchcase(a.article_id, options.article):
        return False
    if options.publication and not (
        publication_matches(config, options.publication, a.publication)
        or fnmatchcase(a.article_id, f"{options.publication}/*")
    ):
        return False
    return not (options.since and (a.date is None or a.date < options.since))


def counts_of(
    units: int,
    words: int,
    translated: int = 0,
    fuzzy: int = 0,
    translated_words: int = 0,
    fuzzy_words: int = 0,
    outdated: int = 0,
    outdated_words: int = 0,
) -> Counts:
    """The counts of ``units`` units of ``words`` words, given how many of them (and of
    their words) are translated, fuzzy and outdated: the rest is untranslated."""
    return Counts(
        units,
        translated,
        fuzzy,
        units - translated - fuzzy,
        words,
        translated_words,
        fuzzy_words,
        words - translated_words - fuzzy_words,
        outdated,
        outdated_words,
    )


def _issue_groups(
    rows: Sequence[PublicationIssueRow], articles: Sequence[ArticleCoverage]
) -> tuple[IssueGroup, ...]:
    """The issues of the report's articles, each with the entries of its table of contents
    that no ingested article of the issue answers to (known but missing)."""
    by_issue: dict[tuple[str | None, str | None], list[ArticleCoverage]] = defaultdict(list)
    for a in articles:
        by_issue[(a.publication, a.issue)].append(a)
    groups = []
    for row in sorted(rows, key=lambda r: (r.publication, r.issue)):
        members = by_issue.get((row.publication, row.issue))
        if not members:
            continue
        titles = {_title_key(a.title) for a in members if a.title}
        missing = tuple(
            entry
            for entry in row.contents.splitlines()
            if entry.strip() and not any(_title_key(p) in titles for p in entry.split(" / "))
        )
        groups.append(
            IssueGroup(row.publication, row.issue, row.date, tuple(a.id for a in members), missing)
        )
    return tuple(groups)


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})


def _title_key(title: str) -> str:
    """A title as compared with a table-of-contents entry: case, quotes and spaces aside."""
    return normalize_space(title.translate(_QUOTES)).casefold()


def coverage_json(coverage: Coverage) -> dict[str, Any]:
    """The contract's JSON object for ``coverage``.

    Beyond the contract's fields it gives each article's ``tags``, the ``issues`` the
    articles belong to (with the ``missing`` titles of their tables of contents) and, when
    the report asks for it, the ``change`` since a date (see :func:`change_json`).
    """
    data = _coverage_dict(coverage)
    if coverage.change is not None:
        data["change"] = change_json(coverage.change)
    return data


def change_json(change: CoverageChange) -> dict[str, Any]:
    """``{"since": date, "languages": {code: {"then": counts or null, "units": Δ, …,
    "percent": Δ percentage points}}}``: every count of ``now`` minus ``then``."""
    out: dict[str, Any] = {}
    for code, lang in change.languages.items():
        then = None
        if lang.then is not None:
            then = {k: v for k, v in lang.then.as_dict().items() if not k.startswith("outdated")}
        delta = lang.counts
        out[code] = {
            "then": then,
            **{name: getattr(delta, name) for name in SNAPSHOT_FIELDS},
            "percent": lang.percent,
        }
    return {"since": change.since, "languages": out}


def _coverage_dict(coverage: Coverage) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "generated_at": coverage.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source_language": coverage.source_language,
        "languages": [
            {"code": lang.code, "label": lang.label, "name": lang.name}
            for lang in coverage.languages
        ],
        "totals": {code: counts.as_dict() for code, counts in coverage.totals.items()},
        "articles": [
            {
                "id": a.id,
                "title": a.title,
                "source_language": a.source_language,
                "source_path": a.source_path,
                "publication": a.publication,
                "issue": a.issue,
                "date": a.date,
                "tags": list(a.tags),
                "units": a.units,
                "words": a.words,
                "languages": {c: n.as_dict() for c, n in a.languages.items()},
                "sections": [
                    {
                        "index": s.index,
                        "title": s.title,
                        "units": s.units,
                        "words": s.words,
                        "languages": {c: n.as_dict() for c, n in s.languages.items()},
                    }
                    for s in a.sections
                ],
                **(
                    {"published": {c: p.as_dict() for c, p in a.published.items()}}
                    if a.published
                    else {}
                ),
            }
            for a in coverage.articles
        ],
        "issues": [
            {
                "publication": g.publication,
                "issue": g.issue,
                "date": g.date,
                "articles": list(g.articles),
                "missing": list(g.missing),
            }
            for g in coverage.issues
        ],
    }
