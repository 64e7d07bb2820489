"""Coverage snapshots per language and article, taken at each sync, for trends."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Engine, select

from i18n_pipeline.config import Config
from i18n_pipeline.report.coverage import ReportOptions, compute_coverage
from i18n_pipeline.store.db import session_scope
from i18n_pipeline.store.index import now
from i18n_pipeline.store.models import SnapshotRow


def record_snapshots(config: Config, engine: Engine, changed: Iterable[tuple[str, str]]) -> int:
    """Store the coverage of each changed (article, language); returns rows written."""
    pairs = set(changed)
    ids = {a for a, _ in pairs}
    if not ids:
        return 0
    coverage = compute_coverage(config, engine, ReportOptions())
    stamp = now()
    written = 0
    with session_scope(engine) as session:
        for article in coverage.articles:
            if article.id not in ids:
                continue
            for code, counts in article.languages.items():
                if (article.id, code) not in pairs:
                    continue
                session.add(
                    SnapshotRow(
                        at=stamp, article_id=article.id, language=code, units=counts.units,
                        translated=counts.translated, fuzzy=counts.fuzzy, words=counts.words,
                        translated_words=counts.translated_words, fuzzy_words=counts.fuzzy_words,
                        percent=counts.percent,
                    )
                )
                written += 1
    return written


def trends(engine: Engine, *, since: datetime | None = None, languages: Iterable[str] = ()) -> dict:
    """Per language, the summed coverage after each sync: the latest snapshot of every
    article as of that moment."""
    codes = set(languages)
    with session_scope(engine) as session:
        q = select(SnapshotRow).order_by(SnapshotRow.at, SnapshotRow.id)
        rows = list(session.scalars(q))
    latest: dict[str, dict[str, tuple[int, int]]] = {}
    series: dict[str, list[dict]] = {}
    for row in rows:
        if codes and row.language not in codes:
            continue
        state = latest.setdefault(row.language, {})
        state[row.article_id] = (row.translated_words, row.words)
        if since is not None and row.at.replace(tzinfo=None) < since.replace(tzinfo=None):
            continue
        t = sum(v[0] for v in state.values())
        w = sum(v[1] for v in state.values())
        point = {
            "at": row.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "percent": round(100.0 * t / w, 1) if w else 100.0,
            "translated_words": t,
            "words": w,
        }
        points = series.setdefault(row.language, [])
        if points and points[-1]["at"] == point["at"]:
            points[-1] = point
        else:
            points.append(point)
    return {"since": since.date().isoformat() if since else None, "series": series}
