"""The translation memory in the database: translated unit states read as pairs, and the
pairs imported from TMX files (the ``memory`` table).

Rows become :class:`~i18n_pipeline.tmx.TmUnit` values here and nowhere else. Timestamps are
UTC ISO 8601 strings in whole seconds (``2006-02-03T12:00:00Z``), as TMX keeps them, so a
pair exported and imported again compares equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n_pipeline.model import count_words
from i18n_pipeline.store.index import now, text_hash
from i18n_pipeline.store.models import ArticleRow, MemoryRow, UnitRow, UnitStateRow
from i18n_pipeline.tmx import TmUnit

_ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def iso_time(moment: datetime) -> str:
    """``moment`` as stored in a :class:`TmUnit`; a naive time (SQLite) is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(_ISO_FORMAT)


def translated_pairs(session: Session, language: str) -> list[TmUnit]:
    """Every unit translated (not fuzzy) into ``language``, from every article, with the
    article's id as origin; plural entries are left out."""
    rows = session.execute(
        select(
            UnitRow.msgid,
            UnitStateRow.msgstr,
            ArticleRow.source_language,
            ArticleRow.article_id,
            UnitStateRow.updated_at,
        )
        .join(UnitRow, UnitRow.id == UnitStateRow.unit_pk)
        .join(ArticleRow, ArticleRow.id == UnitRow.article_pk)
        .where(UnitStateRow.language == language, UnitStateRow.state == "translated")
        .order_by(ArticleRow.article_id, UnitRow.position)
    )
    return [
        TmUnit(
            msgid, msgstr, source_language, language, origin=article_id, changed=iso_time(updated)
        )
        for msgid, msgstr, source_language, article_id, updated in rows
        if msgstr and "\x00" not in msgstr
    ]


def source_languages(session: Session) -> dict[str, str]:
    """Each article's id → its source language."""
    rows = session.execute(select(ArticleRow.article_id, ArticleRow.source_language))
    return {article_id: language for article_id, language in rows}


def imported_pairs(session: Session, language: str, source_language: str) -> list[TmUnit]:
    """The pairs imported into ``language``; the memory table holds one source language."""
    rows = session.scalars(
        select(MemoryRow).where(MemoryRow.language == language).order_by(MemoryRow.id)
    )
    return [
        TmUnit(
            row.source,
            row.target,
            source_language,
            language,
            origin=row.origin,
            changed=iso_time(row.changed_at),
        )
        for row in rows
    ]


def store_pairs(session: Session, units: Iterable[TmUnit]) -> tuple[int, int]:
    """Add imported pairs to the memory table; returns (added, already there). A pair is its
    language, source and target: a second origin for the same pair is not stored."""
    added = present = 0
    seen = {
        (language, source_hash, target_hash)
        for language, source_hash, target_hash in session.execute(
            select(MemoryRow.language, MemoryRow.source_hash, MemoryRow.target_hash)
        )
    }
    stamp = now()
    for unit in units:
        key = (unit.target_language, text_hash(unit.source), text_hash(unit.target))
        if key in seen:
            present += 1
            continue
        seen.add(key)
        session.add(
            MemoryRow(
                language=unit.target_language,
                source=unit.source,
                source_hash=key[1],
                target=unit.target,
                target_hash=key[2],
                origin=unit.origin,
                words=count_words(unit.source),
                changed_at=_parse_time(unit.changed) if unit.changed else stamp,
            )
        )
        added += 1
    return added, present


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)
