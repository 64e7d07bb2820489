"""Coverage snapshots per language and article, taken at each sync, for trends.

A snapshot row is the coverage of one article in one language from a moment on. Sync
calls :func:`record_snapshots`, which writes a row only where the coverage differs from
the latest row (so a sync that changed nothing writes nothing), and a zero row for an
article or language that left the report. Replaying the rows in order gives the coverage
at any past moment: :func:`trends` draws it over time and :func:`coverage_change` compares
a past date with now.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select

from i18n_pipeline.config import Config
from i18n_pipeline.errors import InputError
from i18n_pipeline.model import Counts
from i18n_pipeline.report.coverage import (
    SNAPSHOT_FIELDS,
    Coverage,
    CoverageChange,
    LanguageChange,
    ReportOptions,
    compute_coverage,
)
from i18n_pipeline.store.db import session_scope
from i18n_pipeline.store.index import now
from i18n_pipeline.store.models import SnapshotRow

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


def _counts(row: SnapshotRow) -> Counts:
    return Counts(
        units=row.units,
        translated=row.translated,
        fuzzy=row.fuzzy,
        untranslated=row.units - row.translated - row.fuzzy,
        words=row.words,
        translated_words=row.translated_words,
        fuzzy_words=row.fuzzy_words,
        untranslated_words=row.words - row.translated_words - row.fuzzy_words,
    )


def _rows(engine: Engine) -> list[SnapshotRow]:
    """Every snapshot row, oldest first."""
    with session_scope(engine) as session:
        return list(session.scalars(select(SnapshotRow).order_by(SnapshotRow.at, SnapshotRow.id)))


def latest_snapshots(
    rows: Iterable[SnapshotRow], *, before: datetime | None = None
) -> dict[Pair, Counts]:
    """Per (article, language), the counts of its last row (taken before ``before``)."""
    state: dict[Pair, Counts] = {}
    for row in rows:
        if before is not None and _utc(row.at) >= before:
            break
        state[(row.article_id, row.language)] = _counts(row)
    return state


def record_snapshots(config: Config, engine: Engine, changed: Iterable[Pair] | None = None) -> int:
    """Store the coverage of each (article, language) whose coverage differs from its latest
    snapshot; ``changed`` limits this to those pairs. Returns the rows written."""
    pairs = None if changed is None else set(changed)
    if pairs is not None and not pairs:
        return 0
    coverage = compute_coverage(config, engine, ReportOptions())
    current = {
        (article.id, code): _stored(counts)
        for article in coverage.articles
        for code, counts in article.languages.items()
    }
    latest = latest_snapshots(_rows(engine))
    stamp = now()
    written = 0
    with session_scope(engine) as session:
        for key in sorted(current.keys() | latest.keys()):
            if pairs is not None and key not in pairs:
                continue
            counts = current.get(key, Counts())  # gone: the article or the language left
            if key in latest and latest[key] == counts:
                continue
            session.add(
                SnapshotRow(
                    at=stamp,
                    article_id=key[0],
                    language=key[1],
                    units=counts.units,
                    translated=counts.translated,
                    fuzzy=counts.fuzzy,
                    words=counts.words,
                    translated_words=counts.translated_words,
                    fuzzy_words=counts.fuzzy_words,
                    percent=counts.percent,
                )
            )
            written += 1
    return written


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
    """Append a point; rows of one sync share a second and make one point."""
    translated = sum(t for t, _ in state.values())
    words = sum(w for _, w in state.values())
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
