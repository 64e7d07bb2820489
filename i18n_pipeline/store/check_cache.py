"""The ``check_cache`` table: what ``check`` found in each file, by project-relative path.

A check with nothing to do reads one short key per file (``path\tsize\tmtime_ns``, made by
the database) and the payloads of the files that hold findings; payloads are told apart by
how they begin, which the caller gives. Verdicts are read only for the files checked again.
Rows are written by replacing those of the paths that were checked again. Payloads are
opaque here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import (
    ColumnElement,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from i18n_pipeline.store.models import CheckCacheRow, path_under, stamp_key

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
    query = select(stamp_key(CheckCacheRow)).where(_begins(prefix))
    if under:
        query = query.where(path_under(CheckCacheRow, under))
    return set(session.connection().execute(query).scalars())


def hashes(
    session: Session, prefix: str, under: Sequence[str] = (), paths: Sequence[str] | None = None
) -> dict[str, tuple[int, int, str]]:
    """``(size, mtime_ns, sha256)`` by path of the rows with a hash whose payload begins
    with ``prefix`` (any, when it is empty): those of ``paths``, or (None) of every path
    that begins with one of ``under``."""
    query = select(
        CheckCacheRow.path, CheckCacheRow.size, CheckCacheRow.mtime_ns, CheckCacheRow.sha256
    ).where(CheckCacheRow.sha256.is_not(None))
    if prefix:
        query = query.where(_begins(prefix))
    found: dict[str, tuple[int, int, str]] = {}
    if paths is None:
        if under:
            query = query.where(path_under(CheckCacheRow, under))
        chunks: list[Sequence[str] | None] = [None]
    else:
        chunks = [paths[start : start + _BATCH] for start in range(0, len(paths), _BATCH)]
    for chunk in chunks:
        part = query if chunk is None else query.where(CheckCacheRow.path.in_(chunk))
        for path, size, mtime, sha in session.execute(part):
            if sha is not None:
                found[path] = (size, mtime, sha)
    return found


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
    rows: Sequence[tuple[str, int, int, str, str, str | None]],
    gone: Iterable[str] = (),
    retimed: Sequence[tuple[str, int]] = (),
) -> None:
    """Replace the rows (path, size, mtime_ns, payload, verdicts, sha256) of the paths in
    ``rows``, forget the paths in ``gone``, and give the rows of ``retimed`` (path,
    mtime_ns: files found with the same bytes under a new time) their new time."""
    paths = [row[0] for row in rows] + list(gone)
    for start in range(0, len(paths), _BATCH):
        chunk = paths[start : start + _BATCH]
        session.execute(delete(CheckCacheRow).where(CheckCacheRow.path.in_(chunk)))
    for start in range(0, len(rows), _BATCH):
        session.execute(
            insert(CheckCacheRow),
            [
                {
                    "path": path,
                    "size": size,
                    "mtime_ns": mtime,
                    "payload": payload,
                    "verdicts": verdicts,
                    "sha256": sha,
                }
                for path, size, mtime, payload, verdicts, sha in rows[start : start + _BATCH]
            ],
        )
    statement = (
        update(CheckCacheRow)
        .where(CheckCacheRow.path == bindparam("old_path"))
        .values(mtime_ns=bindparam("new_mtime"))
    )
    for start in range(0, len(retimed), _BATCH):
        session.connection().execute(
            statement,
            [{"old_path": p, "new_mtime": m} for p, m in retimed[start : start + _BATCH]],
        )
