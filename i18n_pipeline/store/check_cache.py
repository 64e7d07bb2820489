"""The ``check_cache`` table: what ``check`` found in each file, by project-relative path.

Rows are read all at once (a project's worth is a few megabytes) and written by replacing
the rows of the paths that were checked again; the payload is opaque here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from i18n_pipeline.store.models import CheckCacheRow

#: Rows written by one statement.
_BATCH = 2000


def load(session: Session) -> dict[str, tuple[int, int, str]]:
    """Each checked file's ``(size, mtime_ns, payload)`` by path."""
    rows = session.execute(
        select(
            CheckCacheRow.path, CheckCacheRow.size, CheckCacheRow.mtime_ns, CheckCacheRow.payload
        )
    )
    return {path: (size, mtime, payload) for path, size, mtime, payload in rows}


def save(
    session: Session,
    rows: Sequence[tuple[str, int, int, str]],
    gone: Iterable[str] = (),
) -> None:
    """Replace the rows of the paths in ``rows`` and forget the paths in ``gone``."""
    paths = [row[0] for row in rows] + list(gone)
    for start in range(0, len(paths), _BATCH):
        session.execute(
            delete(CheckCacheRow).where(CheckCacheRow.path.in_(paths[start : start + _BATCH]))
        )
    for start in range(0, len(rows), _BATCH):
        session.execute(
            insert(CheckCacheRow),
            [
                {"path": path, "size": size, "mtime_ns": mtime, "payload": payload}
                for path, size, mtime, payload in rows[start : start + _BATCH]
            ],
        )
