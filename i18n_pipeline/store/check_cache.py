"""The ``check_cache`` table: what ``check`` found in each file, by project-relative path.

Rows are read all at once without their verdicts (a project's worth of findings is a few
megabytes); verdicts are read only for the files checked again. Rows are written by
replacing those of the paths that were checked again. Payloads are opaque here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from i18n_pipeline.store.models import CheckCacheRow

#: Rows (or paths) handled by one statement.
_BATCH = 2000


def load(session: Session) -> dict[str, tuple[int, int, str]]:
    """Each checked file's ``(size, mtime_ns, payload)`` by path."""
    rows = session.execute(
        select(
            CheckCacheRow.path, CheckCacheRow.size, CheckCacheRow.mtime_ns, CheckCacheRow.payload
        )
    )
    return {path: (size, mtime, payload) for path, size, mtime, payload in rows}


def load_verdicts(session: Session, paths: Sequence[str]) -> dict[str, str]:
    """The verdicts kept for each of ``paths`` that has a row."""
    found: dict[str, str] = {}
    for start in range(0, len(paths), _BATCH):
        chunk = paths[start : start + _BATCH]
        rows = session.execute(
            select(CheckCacheRow.path, CheckCacheRow.verdicts).where(CheckCacheRow.path.in_(chunk))
        )
        found.update((path, verdicts) for path, verdicts in rows)
    return found


def save(
    session: Session,
    rows: Sequence[tuple[str, int, int, str, str]],
    gone: Iterable[str] = (),
) -> None:
    """Replace the rows (path, size, mtime_ns, payload, verdicts) of the paths in ``rows``
    and forget the paths in ``gone``."""
    paths = [row[0] for row in rows] + list(gone)
    for start in range(0, len(paths), _BATCH):
        chunk = paths[start : start + _BATCH]
        session.execute(delete(CheckCacheRow).where(CheckCacheRow.path.in_(chunk)))
    for start in range(0, len(rows), _BATCH):
        session.execute(
            insert(CheckCacheRow),
            [
                {"path": path, "size": size, "mtime_ns": mtime, "payload": payload, "verdicts": v}
                for path, size, mtime, payload, v in rows[start : start + _BATCH]
            ],
        )
