"""Opening the database, migrating it with Alembic, and keeping concurrent writers apart.

Two backends are supported: SQLite (a file under ``.i18n/`` by default) and PostgreSQL
through psycopg 3 (``postgresql://`` or ``postgresql+psycopg://``).

How writers are kept apart:

* Every transaction on an engine from :func:`make_engine` is a *write* transaction unless
  it is opened with :func:`read_scope` (or on :func:`read_only`). A write transaction takes
  the database's write lock before its first statement: ``BEGIN IMMEDIATE`` on SQLite, and
  on PostgreSQL the transaction-scoped advisory lock ``pg_advisory_xact_lock`` on
  :data:`WRITE_LOCK_KEY`. So a writer reads, decides and writes as if it were alone, which
  makes concurrent runs end as they would one after the other; there is one lock, taken
  first, so writers cannot deadlock on each other. Readers take no lock (SQLite's WAL and
  PostgreSQL's MVCC give them a consistent snapshot).
* :func:`exclusive_run` holds a session-level advisory lock for a whole stage on
  PostgreSQL, the database-wide counterpart of the project's file lock: two ``sync`` runs
  from two checkouts take turns.
* A writer waits for the lock up to a timeout (the SQLite busy timeout, PostgreSQL's
  ``lock_timeout``), then fails with :class:`DatabaseBusyError`, whose message says what to
  do. Deadlocks and serialisation failures from writers that do not take the lock are
  retried by :func:`run_write`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session

from i18n_pipeline.errors import DatabaseBusyError, DatabaseError

T = TypeVar("T")

#: Seconds a SQLite writer waits for another before giving up with a clear message;
#: a ``?timeout=SECONDS`` query in the URL overrides it.
SQLITE_BUSY_TIMEOUT = 30.0
#: Seconds a PostgreSQL writer waits for the write lock or a run lock.
POSTGRES_LOCK_TIMEOUT = 600.0
#: The advisory lock that serialises write transactions on one PostgreSQL database.
WRITE_LOCK_KEY = 0x6931386E_77726974  # "i18n" "writ"
#: The advisory lock that :func:`exclusive_run` holds for a whole stage.
RUN_LOCK_KEY = 0x6931386E_72756E73  # "i18n" "runs"
#: SQLSTATEs of failures that a retried transaction can get past.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "23505"})
#: SQLSTATEs that mean "another writer holds a lock for too long".
BUSY_SQLSTATES = frozenset({"55P03", "40001", "40P01"})

_READ_ONLY = "i18n_read_only"
_LOCK_TIMEOUT = "i18n_lock_timeout"


def migrations_dir() -> Path:
    """The Alembic folder: ``migrations/`` beside the package in a source checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "migrations", here / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise DatabaseError(f"cannot find the migrations folder near {here}")


def _parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"invalid database URL '{url}'") from exc
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres") and parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"unsupported database '{backend}' in '{url}': use sqlite:///PATH or "
            "postgresql://USER@HOST/NAME"
        )
    return parsed


def make_engine(url: str) -> Engine:
    """An engine for ``url`` whose transactions take the write lock (see the module doc).

    SQLite gets WAL and foreign keys; PostgreSQL uses psycopg 3. A ``?timeout=SECONDS``
    query sets how long a writer waits for the lock (default :data:`SQLITE_BUSY_TIMEOUT`,
    :data:`POSTGRES_LOCK_TIMEOUT`).
    """
    parsed = _parse_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        timeout = _query_seconds(parsed, "timeout", SQLITE_BUSY_TIMEOUT)
        kwargs["connect_args"] = {"timeout": timeout}
    else:
        timeout = _query_seconds(parsed, "timeout", POSTGRES_LOCK_TIMEOUT)
        parsed = parsed.difference_update_query(["timeout"])  # not a libpq parameter
    try:
        engine = create_engine(parsed, execution_options={_LOCK_TIMEOUT: timeout}, **kwargs)
    except Exception as exc:  # the driver's import errors and the like
        raise DatabaseError(f"cannot open database '{url}': {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect(timeout))
        event.listen(engine, "begin", _sqlite_begin)
    else:
        event.listen(engine, "begin", _postgres_begin)
    return engine


def _query_seconds(url: URL, key: str, default: float) -> float:
    value = url.query.get(key)
    if value is None:
        return default
    text = value if isinstance(value, str) else value[-1]
    try:
        seconds = float(text)
    except ValueError as exc:
        raise DatabaseError(f"database URL: '{key}' must be a number of seconds") from exc
    if seconds < 0:
        raise DatabaseError(f"database URL: '{key}' must not be negative")
    return seconds


def _sqlite_connect(busy_timeout: float) -> Callable[[Any, Any], None]:
    def connect(dbapi_conn: Any, _record: Any) -> None:
        # pysqlite's own BEGIN handling is off: _sqlite_begin emits BEGIN itself, so that
        # writers can say IMMEDIATE and DDL runs inside transactions.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cur.close()

    return connect


def _sqlite_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(_READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _postgres_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(_READ_ONLY):
        return
    _set_lock_timeout(conn, local=True)
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def _set_lock_timeout(conn: Connection, *, local: bool) -> None:
    seconds = float(conn.get_execution_options().get(_LOCK_TIMEOUT, POSTGRES_LOCK_TIMEOUT))
    scope = "LOCAL " if local else ""
    conn.exec_driver_sql(f"SET {scope}lock_timeout = {int(seconds * 1000)}")


def read_only(engine: Engine) -> Engine:
    """The same database, for transactions that only read: they take no write lock."""
    return engine.execution_options(**{_READ_ONLY: True})


def alembic_config(engine: Engine, connection: Any = None) -> Any:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(migrations_dir()))
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
    cfg.set_main_option("sqlalchemy.url", url)
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@contextmanager
def _alembic_errors() -> Iterator[None]:
    from alembic.util import CommandError

    try:
        yield
    except CommandError as exc:
        raise DatabaseError(f"migration: {exc}") from exc


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision``, in one transaction that holds the write lock."""
    from alembic import command

    with translate_errors(engine), _alembic_errors(), engine.begin() as conn:
        command.upgrade(alembic_config(engine, conn), revision)


def downgrade(engine: Engine, revision: str = "-1") -> None:
    """Revert migrations down to ``revision`` (``base``: every table is dropped)."""
    from alembic import command

    with translate_errors(engine), _alembic_errors(), engine.begin() as conn:
        command.downgrade(alembic_config(engine, conn), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with translate_errors(engine), read_only(engine).connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    with _alembic_errors():
        return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


#: The newest migration's revision. A test checks it against the migrations folder; it
#: lets every command see that the database is up to date without loading Alembic.
HEAD = "0007"


def ensure_schema(engine: Engine) -> None:
    """Migrate to head when the database is behind (a fresh file included).

    Two processes may both find the database behind: the second one's upgrade waits for
    the write lock, then finds the schema at head and does nothing.
    """
    if _stored_revision(engine) != HEAD and current_revision(engine) != head_revision(engine):
        upgrade(engine)


def _stored_revision(engine: Engine) -> str | None:
    """The revision in Alembic's version table, read with one query (None: no table)."""
    with translate_errors(engine), read_only(engine).connect() as conn:
        try:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        except DBAPIError:  # no such table yet; Alembic will say more
            return None
    return rows[0][0] if len(rows) == 1 else None


def has_schema(engine: Engine) -> bool:
    with translate_errors(engine), read_only(engine).connect() as conn:
        return inspect(conn).has_table("articles")


def drop_schema(engine: Engine) -> None:
    """Drop every table of the index and Alembic's version table, in one transaction."""
    from i18n_pipeline.store.models import Base

    with translate_errors(engine), engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


def _sqlstate(exc: DBAPIError) -> str | None:
    state = getattr(exc.orig, "sqlstate", None)
    return state if isinstance(state, str) else None


def is_busy(exc: DBAPIError) -> bool:
    """Whether ``exc`` means another writer held a lock too long (or a lock cycle)."""
    if _sqlstate(exc) in BUSY_SQLSTATES:
        return True
    text = str(exc.orig).lower()
    return "database is locked" in text or "database table is locked" in text


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def busy_error(engine: Engine) -> DatabaseBusyError:
    return DatabaseBusyError(
        f"database is busy: another process is writing to {_where(engine)}; "
        "try again when it has finished"
    )


@contextmanager
def translate_errors(engine: Engine) -> Iterator[None]:
    """Turn driver errors into :class:`DatabaseError` with a message a user can act on;
    lock waits that timed out become :class:`DatabaseBusyError`."""
    try:
        yield
    except DBAPIError as exc:
        if is_busy(exc):
            raise busy_error(engine) from exc
        text = str(exc.orig) if exc.orig is not None else str(exc)
        first = (text.strip().splitlines() or ["unknown error"])[0]
        raise DatabaseError(f"database error on {_where(engine)}: {first}") from exc


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session in one write transaction: committed on success, rolled back on error.

    It holds the write lock from its first statement to its end: keep it short, and open
    no other write transaction on the same database inside it (that one would wait for
    this one until its timeout).
    """
    with (
        translate_errors(engine),
        Session(engine, expire_on_commit=False) as session,
        session.begin(),
    ):
        yield session


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """A session in one read transaction, which takes no write lock; it must not write."""
    with (
        translate_errors(engine),
        Session(read_only(engine), expire_on_commit=False) as session,
        session.begin(),
    ):
        yield session


def run_write(engine: Engine, work: Callable[[Session], T], *, attempts: int = 3) -> T:
    """Run ``work`` in one write transaction, again from the start after a deadlock, a
    serialisation failure or a unique violation caused by a concurrent writer.

    ``work`` must only touch the database (it may run more than once) and must read what
    it depends on inside the transaction.
    """
    for attempt in range(1, attempts + 1):
        try:
            with Session(engine, expire_on_commit=False) as session, session.begin():
                return work(session)
        except DBAPIError as exc:
            if attempt < attempts and _sqlstate(exc) in RETRYABLE_SQLSTATES:
                time.sleep(0.05 * attempt)
                continue
            with translate_errors(engine):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def exclusive_run(engine: Engine) -> Iterator[None]:
    """Hold the database's run lock for the duration of a stage (PostgreSQL only).

    Another process waits up to :data:`POSTGRES_LOCK_TIMEOUT` seconds, then fails with
    :class:`DatabaseBusyError`; within one process it nests. The lock goes with the
    connection: a killed process releases it. On SQLite this does nothing; the project's
    file lock serialises runs.
    """
    key = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name != "postgresql" or key in _runs_held:
        yield  # SQLite, or this process holds it already (rebuild runs ingest and sync)
        return
    _runs_held.add(key)
    try:
        with _run_lock(engine):
            yield
    finally:
        _runs_held.discard(key)


#: The databases whose run lock this process holds, by URL.
_runs_held: set[str] = set()


@contextmanager
def _run_lock(engine: Engine) -> Iterator[None]:
    with translate_errors(engine), read_only(engine).connect() as conn:
        # Outside any transaction, so that the lock outlives the statement's transaction.
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        _set_lock_timeout(conn, local=False)
        conn.exec_driver_sql(f"SELECT pg_advisory_lock({RUN_LOCK_KEY})")
        try:
            yield
        finally:
            if not conn.invalidated:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({RUN_LOCK_KEY})")
                conn.exec_driver_sql("RESET lock_timeout")
