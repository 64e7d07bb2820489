"""Coverage snapshots per language and article, taken at each sync, for trends.

A snapshot row is the coverage of one article in one language from a moment on. Sync
calls :func:`record_snapshots`, which writes a row only where the coverage differs from
the latest row (so a sync that changed nothing writes nothing), and a zero row for an
article or language that left the report. Replaying the rows in order gives the coverage
at any past moment: :func:`trends` draws it over time and :func:`coverage_change` compares
a past date with now.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from i18n_pipeline.config import Config
from i18n_pipeline.errors import InputError
from i18n_pipeline.model import Counts
from i18n_pipeline.report.coverage import (
    SNAPSHOT_FIELDS,
    Coverage,
    CoverageChange,
    LanguageChange,
    article_counts,
    counts_of,
    wants,
)
from i18n_pipeline.store.db import read_scope, run_write
from i18n_pipeline.store.index import now
from i18n_pipeline.store.models import ArticleRow, CatalogFileRow, SettingRow, SnapshotRow

Pair = tuple[str, str]  # (article id, language)

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def start_of(date: str) -> datetime:
    """The first instant (UTC) of an ISO date: ``2026``, ``2026-11`` or ``2026-11-25``."""
    match = _DATE.fullmatch(date)
    if match is None:
        raise InputError(f"expected a date like 2026-11-25, not '{date}'")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError as exc:
        raise InputError(f"not a valid date: '{date}'") from exc


def _utc(at: datetime) -> datetime:
    """A stored instant in UTC; SQLite gives it back without its zone."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _stored(counts: Counts) -> Counts:
    """The part of ``counts`` a snapshot keeps (no ``outdated``)."""
    return Counts(**{name: getattr(counts, name) for name in SNAPSHOT_FIELDS})


def _counts(
    units: int, translated: int, fuzzy: int, words: int, translated_words: int, fuzzy_words: int
) -> Counts:
    """Counts from what a snapshot row keeps."""
    return counts_of(units, words, translated, fuzzy, translated_words, fuzzy_words)


def _rows(engine: Engine) -> list[SnapshotRow]:
    """Every snapshot row, oldest first."""
    with read_scope(engine) as session:
        return list(session.scalars(select(SnapshotRow).order_by(SnapshotRow.at, SnapshotRow.id)))


def latest_snapshots(
    rows: Iterable[SnapshotRow], *, before: datetime | None = None
) -> dict[Pair, Counts]:
    """Per (article, language), the counts of its last row (taken before ``before``)."""
    state: dict[Pair, Counts] = {}
    for row in rows:
        if before is not None and _utc(row.at) >= before:
            break
        state[(row.article_id, row.language)] = _counts(
            row.units, row.translated, row.fuzzy, row.words, row.translated_words, row.fuzzy_words
        )
    return state


def _latest(session: Session, only: Collection[str] | None = None) -> dict[Pair, Counts]:
    """Per (article, language), the counts of its newest snapshot row (of the articles
    ``only``, when given)."""
    newest = select(func.max(SnapshotRow.id)).group_by(SnapshotRow.article_id, SnapshotRow.language)
    query = select(
        SnapshotRow.article_id,
        SnapshotRow.language,
        SnapshotRow.units,
        SnapshotRow.translated,
        SnapshotRow.fuzzy,
        SnapshotRow.words,
        SnapshotRow.translated_words,
        SnapshotRow.fuzzy_words,
    )
    if only is None or len(only) > _MAX_SQL_LIST:
        rows = session.execute(query.where(SnapshotRow.id.in_(newest)))
        return {
            (article, language): _counts(*kept)
            for article, language, *kept in rows
            if only is None or article in only
        }
    out: dict[Pair, Counts] = {}
    wanted = sorted(only)
    for start in range(0, len(wanted), _MAX_SQL_LIST):
        chunk = wanted[start : start + _MAX_SQL_LIST]
        ids = newest.where(SnapshotRow.article_id.in_(chunk))
        for article, language, *kept in session.execute(query.where(SnapshotRow.id.in_(ids))):
            out[(article, language)] = _counts(*kept)
    return out


#: Above this many articles, snapshots are read whole and filtered here.
_MAX_SQL_LIST = 500

#: The settings key of what the newest snapshots cover (see :func:`_scope`).
SCOPE_KEY = "snapshot-scope"


def record_snapshots(config: Config, engine: Engine, changed: Iterable[Pair] = ()) -> int:
    """Store the coverage of every (article, language) whose coverage differs from its
    newest snapshot, and a zero row for a pair that left the report. Returns the rows
    written: none when nothing moved.

    Only the articles that may have moved are recomputed: those of ``changed`` (what the
    caller changed), those ingest rewrote or whose catalogs sync read since the last
    snapshot, and, when the scope changed (articles came or went, or a language's
    ``wants`` changed), those whose languages differ from the ones their snapshots cover.
    So a sync on a large archive where nothing moved costs a few small queries.
    """
    with read_scope(engine) as session:
        scope = _scope(config, session)
        stored = session.get(SettingRow, SCOPE_KEY)
        scope_moved = stored is None or stored.value != scope
        candidates = _candidates(config, session, {a for a, _ in changed}, scope_moved)
        if candidates is not None and not candidates:
            return 0
        latest = _latest(session, candidates)
    current = {
        key: _stored(counts) for key, counts in article_counts(config, engine, candidates).items()
    }
    gone = latest.keys() - current.keys()
    moved = {
        key: counts
        for key in current.keys() | gone
        if latest.get(key) != (counts := current.get(key, Counts()))
    }
    if not moved and not scope_moved:
        return 0

    def write(session: Session) -> int:
        stamp = now()
        # As of this transaction: another sync may have written.
        newest = _latest(session, {article_id for article_id, _ in moved})
        # Rows go in by executemany, 5,000 at a time: a first sync of a large archive writes
        # one for each article and language, which as ORM objects held at once would be
        # most of its memory.
        written = 0
        rows: list[dict[str, Any]] = []
        for (article_id, language), counts in sorted(moved.items()):
            if newest.get((article_id, language)) == counts:
                continue
            rows.append(
                {
                    "at": stamp,
                    "article_id": article_id,
                    "language": language,
                    "units": counts.units,
                    "translated": counts.translated,
                    "fuzzy": counts.fuzzy,
                    "words": counts.words,
                    "translated_words": counts.translated_words,
                    "fuzzy_words": counts.fuzzy_words,
                    "percent": counts.percent,
                }
            )
            if len(rows) == 5000:
                session.execute(insert(SnapshotRow), rows)
                written, rows = written + len(rows), []
        if rows:
            session.execute(insert(SnapshotRow), rows)
            written += len(rows)
        session.merge(SettingRow(key=SCOPE_KEY, value=scope))
        return written

    return run_write(engine, write)


def _scope(config: Config, session: Session) -> str:
    """A digest of what decides which (article, language) pairs the snapshots cover: the
    languages, what each wants, the publications' codes, and the present articles (their
    number and the sum of their row ids: an article that comes, goes or is renamed
    changes it)."""
    number, ids = session.execute(
        select(func.count(), func.coalesce(func.sum(ArticleRow.id), 0)).where(
            ArticleRow.present.is_(True)
        )
    ).one()
    parts = [
        list(config.codes),
        sorted(
            (code, list(rule.publications), list(rule.tags)) for code, rule in config.wants.items()
        ),
        sorted(config.site.publications.items()),
        int(number),
        int(ids),
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _candidates(
    config: Config, session: Session, changed: set[str], scope_moved: bool
) -> set[str] | None:
    """The articles whose coverage may differ from their snapshots (None: all of them)."""
    last = session.scalar(select(func.max(SnapshotRow.at)))
    if last is None:
        return None
    found = set(changed)
    found.update(
        session.scalars(select(ArticleRow.article_id).where(ArticleRow.updated_at >= last))
    )
    found.update(
        session.scalars(select(CatalogFileRow.article_id).where(CatalogFileRow.synced_at >= last))
    )
    if not scope_moved:
        return found
    expected: set[Pair] = set()
    articles = select(
        ArticleRow.article_id, ArticleRow.source_language, ArticleRow.publication, ArticleRow.tags
    ).where(ArticleRow.present.is_(True))
    for article_id, source_language, publication, tags in session.execute(articles):
        expected.update(
            (article_id, code)
            for code in config.codes
            if code != source_language
            and wants(
                config, code, publication=publication, tags=tags.split(), article_id=article_id
            )
        )
    recorded = {key for key, counts in _latest(session).items() if counts != Counts()}
    found.update(article_id for article_id, _ in expected ^ recorded)
    return found


def coverage_change(engine: Engine, coverage: Coverage, since: str) -> Coverage:
    """``coverage`` with its change since the start of ``since``: per language, its articles'
    snapshots as of then against its totals now."""
    then = latest_snapshots(_rows(engine), before=start_of(since))
    languages: dict[str, LanguageChange] = {}
    for code, now_counts in coverage.totals.items():
        found = [
            then[(a.id, code)]
            for a in coverage.articles
            if code in a.languages and (a.id, code) in then
        ]
        total = sum(found, Counts()) if found else None
        languages[code] = LanguageChange(then=total, now=now_counts)
    return replace(coverage, change=CoverageChange(since=since, languages=languages))


def trends(
    engine: Engine,
    *,
    since: str | None = None,
    languages: Iterable[str] = (),
    articles: Collection[str] | None = None,
) -> dict[str, Any]:
    """Per language, the summed coverage of ``articles`` (default: all) after each sync.

    Each point sums the latest snapshot of every article as of that moment. With ``since``
    the series start at that date, with a first point giving the coverage then.
    Returns ``{"since": date, "series": {code: [{"at", "percent", "translated_words",
    "words"}, …]}}``, the shape :func:`~i18n_pipeline.report.render_html` draws.
    """
    codes = set(languages)
    start = start_of(since) if since else None
    state: dict[str, dict[str, tuple[int, int]]] = {}
    series: dict[str, list[dict[str, Any]]] = {}
    started = start is None
    for row in _rows(engine):
        if (codes and row.language not in codes) or (
            articles is not None and row.article_id not in articles
        ):
            continue
        at = _utc(row.at)
        if not started and start is not None and at >= start:
            for code in sorted(state):
                _add_point(series, code, start, state[code])
            started = True
        state.setdefault(row.language, {})[row.article_id] = (row.translated_words, row.words)
        if started:
            _add_point(series, row.language, at, state[row.language])
    if not started and start is not None:
        for code in sorted(state):
            _add_point(series, code, start, state[code])
    return {"since": since, "series": series}


def _add_point(
    series: dict[str, list[dict[str, Any]]],
    code: str,
    at: datetime,
    state: Mapping[str, tuple[int, int]],
) -> None:
    translated = sum(t for t, _ in state.values())
    words = sum(w for _, w in state.values())
    add_point(series, code, at, translated, words)


def add_point(
    series: dict[str, list[dict[str, Any]]], code: str, at: datetime, translated: int, words: int
) -> None:
    """Append a trend point; the rows of one sync share a second and make one point."""
    point = {
        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "percent": round(100.0 * translated / words, 1) if words else 100.0,
        "translated_words": translated,
        "words": words,
    }
    points = series.setdefault(code, [])
    if points and points[-1]["at"] == point["at"]:
        points[-1] = point
    else:
        points.append(point)


def snapshot_points(
    engine: Engine, languages: Iterable[str] = ()
) -> list[tuple[datetime, str, str, int, int]]:
    """Every snapshot row of ``languages`` (default: all), oldest first, as (at, article id,
    language, translated words, words): what the dashboard's trends are drawn from."""
    query = select(
        SnapshotRow.at,
        SnapshotRow.article_id,
        SnapshotRow.language,
        SnapshotRow.translated_words,
        SnapshotRow.words,
    ).order_by(SnapshotRow.at, SnapshotRow.id)
    codes = sorted(set(languages))
    if codes:
        query = query.where(SnapshotRow.language.in_(codes))
    with read_scope(engine) as session:
        return [
            (_utc(at), article, code, translated, words)
            for at, article, code, translated, words in session.execute(query)
        ]
