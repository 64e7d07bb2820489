"""The Alembic migrations, on SQLite and PostgreSQL: up, down, and in step with the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from projects import make_project
from sqlalchemy import Engine, inspect

from i18n_pipeline.cli import main
from i18n_pipeline.store import db
from i18n_pipeline.store.models import Base


@pytest.fixture
def engine(db_url: str) -> Engine:
    engine = db.make_engine(db_url)
    yield engine
    engine.dispose()


def tables(engine: Engine) -> set[str]:
    with db.read_only(engine).connect() as conn:
        return set(inspect(conn).get_table_names())


def test_upgrade_head_then_downgrade_base_then_upgrade_again(engine: Engine):
    model_tables = set(Base.metadata.tables)
    assert db.current_revision(engine) is None
    db.upgrade(engine, "head")
    assert db.current_revision(engine) == db.head_revision(engine)
    assert tables(engine) == model_tables | {"alembic_version"}
    db.downgrade(engine, "base")
    assert db.current_revision(engine) is None
    assert tables(engine) <= {"alembic_version"}
    db.upgrade(engine, "head")
    assert tables(engine) == model_tables | {"alembic_version"}


def test_head_constant_is_the_newest_migration(engine: Engine):
    """Commands compare the stored revision with db.HEAD to skip loading Alembic."""
    assert db.head_revision(engine) == db.HEAD


def test_a_database_behind_head_is_upgraded(engine: Engine):
    db.upgrade(engine, "0001")
    db.ensure_schema(engine)
    assert db.current_revision(engine) == db.HEAD


def test_models_and_migrations_agree(engine: Engine):
    db.upgrade(engine, "head")
    with db.read_only(engine).connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_autogenerate_sees_a_model_change(engine: Engine):
    """The comparison above can fail: a column the migrations lack is reported."""
    from sqlalchemy import Column, MetaData, Table, Text

    db.upgrade(engine, "head")
    changed = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    Table("history", changed, Column("note", Text), extend_existing=True)
    with db.read_only(engine).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), changed)
    assert [(d[0], d[3].name) for d in diff] == [("add_column", "note")]


def test_db_commands(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    root = make_project(tmp_path / "proj", languages=("de",), database_url=db_url)
    config = ["--config", str(root / "config.yaml")]
    runner = CliRunner()
    head = db.head_revision(db.make_engine(db_url))

    current = runner.invoke(main, [*config, "db", "current"])
    assert (current.exit_code, current.output) == (0, f"current: base (empty)\nhead: {head}\n")
    up = runner.invoke(main, [*config, "db", "upgrade"])
    assert (up.exit_code, up.output) == (0, f"database at revision {head}\n")
    assert runner.invoke(main, [*config, "db", "current"]).output.startswith(f"current: {head}\n")
    down = runner.invoke(main, [*config, "db", "downgrade", "base"])
    assert (down.exit_code, down.output) == (0, "database at revision base\n")
    unknown = runner.invoke(main, [*config, "db", "upgrade", "nonexistent"])
    assert unknown.exit_code == 2
    assert unknown.output.startswith("error: migration: ")
    assert "Traceback" not in unknown.output
