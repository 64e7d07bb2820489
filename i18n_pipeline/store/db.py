"""Opening the database and migrating it with Alembic."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session

from i18n_pipeline.errors import DatabaseBusyError, DatabaseError

#: Seconds a SQLite writer waits for another before giving up with a clear message.
SQLITE_BUSY_TIMEOUT = 30.0


def migrations_dir() -> Path:
    """The Alembic folder: ``migrations/`` beside the package in a source checkout."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "migrations", here / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise DatabaseError(f"cannot find the migrations folder near {here}")


def make_engine(url: str, *, busy_timeout: float = SQLITE_BUSY_TIMEOUT) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"invalid database URL '{url}'") from exc
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": busy_timeout}
    elif parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        engine = create_engine(parsed, **kwargs)
    except Exception as exc:  # driver import errors and the like
        raise DatabaseError(f"cannot open database '{url}': {exc}") from exc
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            cur.close()

    return engine


def alembic_config(engine: Engine, connection: Any = None) -> Any:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with translate_errors(engine), engine.begin() as conn:
        command.upgrade(alembic_config(engine, conn), revision)


def downgrade(engine: Engine, revision: str = "-1") -> None:
    from alembic import command

    with translate_errors(engine), engine.begin() as conn:
        command.downgrade(alembic_config(engine, conn), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with translate_errors(engine), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def ensure_schema(engine: Engine) -> None:
    """Migrate to head when the database is behind (a fresh file included)."""
    if current_revision(engine) != head_revision(engine):
        upgrade(engine)


def has_schema(engine: Engine) -> bool:
    with translate_errors(engine):
        return inspect(engine).has_table("articles")


@contextmanager
def translate_errors(engine: Engine) -> Iterator[None]:
    """Turn driver errors into :class:`DatabaseError` with a message a user can act on."""
    where = engine.url.render_as_string(hide_password=True)
    try:
        yield
    except OperationalError as exc:
        text = str(exc.orig) if exc.orig is not None else str(exc)
        if "database is locked" in text or "could not obtain lock" in text:
            raise DatabaseBusyError(
                f"database is busy: another process is writing to {where}; try again "
                "when it has finished",
            ) from exc
        raise DatabaseError(f"database error on {where}: {text.strip().splitlines()[0]}") from exc


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error."""
    with translate_errors(engine), Session(engine, expire_on_commit=False) as session, session.begin():
        yield session
