"""The ``check_cache`` table: what ``check`` found in each file, by project-relative path.

A check with nothing to do reads one short key per file (``path\tsize\tmtime_ns``, made by
the database) and the payloads of the files that hold findings; payloads are told apart by
how they begin, which the caller gives. Verdicts are read only for the files checked again.
Rows are written by replacing those of the paths that were checked again. Payloads are
opaque here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, String, cast, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from i18n_pipeline.store.models import CheckCacheRow

#: Rows (or paths) handled by one statement.
_BATCH = 2000


def _begins(prefix: str) -> ColumnElement[bool]:
    return func.substr(CheckCacheRow.payload, 1, len(prefix)) == prefix


def load(
    session: Session, prefix: str = "", *, unless: str | None = None
) -> dict[str, tuple[int, int, str]]:
    """``(size, mtime_ns, payload)`` by path of the rows whose payload begins with
    ``prefix``, leaving out those that begin with ``unless``."""
    query = select(
        CheckCacheRow.path, CheckCacheRow.size, CheckCacheRow.mtime_ns, CheckCacheRow.payload
    )
    if prefix:
        query = query.where(_begins(prefix))
    if unless:
        query = query.where(~_begins(unless))
    rows = session.execute(query)
    return {path: (size, mtime, payload) for path, size, mtime, payload in rows}


def keys(session: Session, prefix: str, under: Sequence[str] = ()) -> set[str]:
    """``"path\tsize\tmtime_ns"`` of each row whose payload begins with ``prefix`` (and,
    with ``under``, whose path begins with one of those): a file on disk with the same key
    still has that row's findings."""
    key = (
        CheckCacheRow.path
        + "\t"
        + cast(CheckCacheRow.size, String)
        + "\t"
        + cast(CheckCacheRow.mtime_ns, String)
    )
    query = select(key).where(_begins(prefix))
    if under:
        query = query.where(or_(*(func.substr(CheckCacheRow.path, 1, len(u)) == u for u in under)))
    return set(session.connection().execute(query).scalars())


def count(session: Session) -> int:
    """How many files have a row."""
    return session.scalar(select(func.count()).select_from(CheckCacheRow)) or 0


def paths(session: Session) -> set[str]:
    """Every path with a row."""
    return set(session.connection().execute(select(CheckCacheRow.path)).scalars())


def load_rows(session: Session, paths: Sequence[str]) -> dict[str, tuple[str, str]]:
    """``(payload, verdicts)`` of each of ``paths`` that has a row."""
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(paths), _BATCH):
        chunk = paths[start : start + _BATCH]
        rows = session.execute(
            select(CheckCacheRow.path, CheckCacheRow.payload, CheckCacheRow.verdicts).where(
                CheckCacheRow.path.in_(chunk)
            )
        )
        found.update((path, (payload, verdicts)) for path, payload, verdicts in rows)
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
