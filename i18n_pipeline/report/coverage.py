"""Coverage from the index: units and words by state, per language, article and section.

:func:`compute_coverage` aggregates in SQL and returns frozen dataclasses;
:func:`coverage_json` turns them into the contract's JSON object
(``contracts/coverage.md``, schema ``i18n-pipeline/coverage/1``) that every renderer takes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from fnmatch import fnmatchcase
from typing import Any

from sqlalchemy import Engine, and_, func, select

from i18n_pipeline.config import Config, Scope, Wants
from i18n_pipeline.model import Counts, Language
from i18n_pipeline.store.db import session_scope
from i18n_pipeline.store.models import (
    ArticleRow,
    PublicationIssueRow,
    SectionRow,
    UnitRow,
    UnitStateRow,
)

SCHEMA = "i18n-pipeline/coverage/1"


@dataclass(frozen=True)
class ReportOptions:
    """Which part of the project a report covers."""

    languages: tuple[str, ...] = ()  # empty: all configured
    article: str | None = None  # glob over article ids
    publication: str | None = None  # name or short code
    since: str | None = None  # ISO date: articles dated on or after


@dataclass(frozen=True)
class SectionCoverage:
    index: int
    title: str | None
    units: int
    words: int
    languages: Mapping[str, Counts]


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


@dataclass(frozen=True)
class IssueGroup:
    publication: str
    issue: str
    date: str | None
    articles: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Coverage:
    generated_at: datetime
    source_language: str
    languages: tuple[Language, ...]
    totals: Mapping[str, Counts]
    articles: tuple[ArticleCoverage, ...]
    issues: tuple[IssueGroup, ...] = field(default=())


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


def compute_coverage(
    config: Config, engine: Engine, options: ReportOptions = ReportOptions()
) -> Coverage:
    """Aggregate the index into coverage for the configured (or chosen) languages."""
    codes = options.languages or config.codes
    languages = tuple(config.language(c) for c in codes)
    with session_scope(engine) as session:
        article_rows = [
            a
            for a in session.scalars(
                select(ArticleRow)
                .where(ArticleRow.present.is_(True))
                .order_by(ArticleRow.article_id)
            )
            if _selected(config, a, options)
        ]
        wanted_pks = {a.id for a in article_rows}
        sections: dict[int, dict[int, str | None]] = defaultdict(dict)
        for s in session.execute(select(SectionRow.article_pk, SectionRow.index, SectionRow.title)):
            if s.article_pk in wanted_pks:
                sections[s.article_pk][s.index] = s.title
        totals_q = (
            select(UnitRow.article_pk, UnitRow.section_index, func.count(), func.sum(UnitRow.words))
            .where(UnitRow.active.is_(True))
            .group_by(UnitRow.article_pk, UnitRow.section_index)
        )
        base: dict[tuple[int, int], tuple[int, int]] = {}
        for pk, sec, n, w in session.execute(totals_q):
            if pk in wanted_pks:
                base[(pk, sec)] = (int(n), int(w or 0))
        states_q = (
            select(
                UnitRow.article_pk,
                UnitRow.section_index,
                UnitStateRow.language,
                UnitStateRow.state,
                UnitStateRow.outdated,
                func.count(),
                func.sum(UnitRow.words),
            )
            .join(UnitStateRow, and_(UnitStateRow.unit_pk == UnitRow.id))
            .where(UnitRow.active.is_(True), UnitStateRow.language.in_(codes))
            .group_by(
                UnitRow.article_pk,
                UnitRow.section_index,
                UnitStateRow.language,
                UnitStateRow.state,
                UnitStateRow.outdated,
            )
        )
        by_state: dict[tuple[int, int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for pk, sec, lang, state, outdated, n, w in session.execute(states_q):
            if pk not in wanted_pks:
                continue
            bucket = by_state[(pk, sec, lang)]
            bucket[state] += int(n)
            bucket[f"{state}_words"] += int(w or 0)
            if outdated and state == "fuzzy":
                bucket["outdated"] += int(n)
                bucket["outdated_words"] += int(w or 0)
        issue_rows = list(session.scalars(select(PublicationIssueRow)))

    articles = []
    totals: dict[str, Counts] = {c: Counts() for c in codes}
    for a in article_rows:
        tags = tuple(a.tags.split()) if a.tags else ()
        targets = [
            c
            for c in codes
            if c != a.source_language
            and wants(config, c, publication=a.publication, tags=tags, article_id=a.article_id)
        ]
        section_list = []
        article_counts = {c: Counts() for c in targets}
        indexes = sorted(set(sections[a.id]) | {sec for (pk, sec) in base if pk == a.id})
        for sec in indexes:
            units, words = base.get((a.id, sec), (0, 0))
            per_lang = {c: _counts(units, words, by_state.get((a.id, sec, c), {})) for c in targets}
            for c in targets:
                article_counts[c] = article_counts[c] + per_lang[c]
            section_list.append(
                SectionCoverage(sec, sections[a.id].get(sec), units, words, per_lang)
            )
        for c in targets:
            totals[c] = totals[c] + article_counts[c]
        articles.append(
            ArticleCoverage(
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
                languages=article_counts,
                sections=tuple(section_list),
            )
        )
    issues = _issue_groups(issue_rows, articles)
    return Coverage(
        generated_at=datetime.now(timezone.utc).replace(microsecond=0),
        source_language=config.source_language,
        languages=languages,
        totals=totals,
        articles=tuple(articles),
        issues=issues,
    )


def _selected(config: Config, a: ArticleRow, options: ReportOptions) -> bool:
    if options.article and not fnmatchcase(a.article_id, options.article):
        return False
    if options.publication and not (
        publication_matches(config, options.publication, a.publication)
        or fnmatchcase(a.article_id, f"{options.publication}/*")
    ):
        return False
    return not (options.since and (a.date is None or a.date < options.since))


def _counts(units: int, words: int, bucket: Mapping[str, int]) -> Counts:
    translated, fuzzy = bucket.get("translated", 0), bucket.get("fuzzy", 0)
    t_words, f_words = bucket.get("translated_words", 0), bucket.get("fuzzy_words", 0)
    return Counts(
        units=units,
        translated=translated,
        fuzzy=fuzzy,
        untranslated=units - translated - fuzzy,
        words=words,
        translated_words=t_words,
        fuzzy_words=f_words,
        untranslated_words=words - t_words - f_words,
        outdated=bucket.get("outdated", 0),
        outdated_words=bucket.get("outdated_words", 0),
    )


def _issue_groups(
    rows: Sequence[PublicationIssueRow], articles: Sequence[ArticleCoverage]
) -> tuple[IssueGroup, ...]:
    groups = []
    for row in sorted(rows, key=lambda r: (r.publication, r.issue)):
        members = [a for a in articles if a.publication == row.publication and a.issue == row.issue]
        if not members:
            continue
        titles = {a.title for a in members if a.title}
        missing = tuple(
            entry
            for entry in row.contents.splitlines()
            if entry and not any(part in titles for part in entry.split(" / "))
        )
        groups.append(
            IssueGroup(row.publication, row.issue, row.date, tuple(a.id for a in members), missing)
        )
    return tuple(groups)


def coverage_json(coverage: Coverage) -> dict[str, Any]:
    """The contract's JSON object for ``coverage``."""
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
