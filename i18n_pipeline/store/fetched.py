"""The index's record of the pages ``fetch`` stored: one row per URL (table ``fetched``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from i18n_pipeline.store.models import FetchedRow


@dataclass(frozen=True)
class FetchRecord:
    """A stored page: its URL, the file and the version it holds."""

    url: str
    kind: str  # "article" or "published"
    article_id: str
    language: str | None
    path: str
    etag: str | None
    last_modified: str | None
    sha256: str
    fetched_at: datetime
    checked_at: datetime
    aligned_sha256: str | None = None


def _record(row: FetchedRow) -> FetchRecord:
    return FetchRecord(
        url=row.url,
        kind=row.kind,
        article_id=row.article_id,
        language=row.language,
        path=row.path,
        etag=row.etag,
        last_modified=row.last_modified,
        sha256=row.sha256,
        fetched_at=row.fetched_at,
        checked_at=row.checked_at,
        aligned_sha256=row.aligned_sha256,
    )


def records(session: Session, urls: Iterable[str] | None = None) -> dict[str, FetchRecord]:
    """The records of ``urls`` (all of them when None), by URL."""
    query = select(FetchedRow)
    if urls is not None:
        wanted = list(dict.fromkeys(urls))
        if not wanted:
            return {}
        query = query.where(FetchedRow.url.in_(wanted))
    return {row.url: _record(row) for row in session.scalars(query)}


def save(session: Session, record: FetchRecord) -> None:
    """Insert or replace the record of ``record.url``."""
    row = session.get(FetchedRow, record.url)
    if row is None:
        row = FetchedRow(url=record.url)
        session.add(row)
    row.kind = record.kind
    row.article_id = record.article_id
    row.language = record.language
    row.path = record.path
    row.etag = record.etag
    row.last_modified = record.last_modified
    row.sha256 = record.sha256
    row.fetched_at = record.fetched_at
    row.checked_at = record.checked_at
    row.aligned_sha256 = record.aligned_sha256
