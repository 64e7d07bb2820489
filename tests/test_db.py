"""The database layer, every test on both SQLite and PostgreSQL (the ``db_url`` fixture)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from indexing import history_rows, index_state, msgids, translate
from projects import SEED_ID, config_of, make_project
from sqlalchemy import Engine, make_url, select, text
from sqlalchemy.exc import OperationalError

from i18n_pipeline.cli import main
from i18n_pipeline.errors import DatabaseBusyError, DatabaseError
from i18n_pipeline.service import rebuild
from i18n_pipeline.store import db
from i18n_pipeline.store.models import LanguageRow


def with_timeout(url: str, seconds: float) -> str:
    return make_url(url).update_query_dict({"timeout": str(seconds)}).render_as_string(False)


@pytest.fixture
def engine(db_url: str) -> Engine:
    engine = db.make_engine(with_timeout(db_url, 0.3))
    db.ensure_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def project(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed article in three languages; the database comes from the environment."""
    monkeypatch.setenv("I18N_PIPELINE_DATABASE_URL", db_url)
    root = make_project(tmp_path / "proj", languages=("de", "fr", "ja"))
    monkeypatch.chdir(root)
    return root


def test_the_main_job_through_the_environment_variable(project: Path, db_url: str):
    runner = CliRunner()
    result = runner.invoke(main, ["run", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(runner.invoke(main, ["report", "--format", "json"]).output)
    assert [a["id"] for a in report["articles"]] == [SEED_ID]
    assert report["articles"][0]["units"] == 51
    head = db.head_revision(db.make_engine(db_url))
    assert runner.invoke(main, ["db", "current"]).output == f"current: {head}\nhead: {head}\n"
    assert not (project / ".i18n" / "index.db").exists()  # the URL came from the environment


def test_rebuild_keeps_every_translation_and_loses_the_history(project: Path, db_url: str):
    runner = CliRunner()
    assert runner.invoke(main, ["run"]).exit_code == 0
    de = project / "locales" / "de" / f"{SEED_ID}.po"
    texts = msgids(de, 4)
    translate(de, {t: f"de {i}" for i, t in enumerate(texts)}, translator="Anna")
    assert runner.invoke(main, ["sync"]).exit_code == 0
    engine = db.make_engine(db_url)
    before = index_state(engine)
    edits = [r for r in history_rows(engine) if r.old_state == "untranslated"]
    assert len(edits) == 4

    rebuild(config_of(project), engine)

    after = index_state(engine)
    assert after["states"] == before["states"]
    assert after["units"] == before["units"] and after["files"] == before["files"]
    assert [r for r in history_rows(engine) if r.old_state == "untranslated"] == []
    result = runner.invoke(main, ["db", "rebuild", "--yes"])
    assert result.exit_code == 0, result.output
    assert index_state(db.make_engine(db_url))["states"] == before["states"]


def test_writers_take_turns_and_readers_do_not_wait(engine: Engine):
    with db.session_scope(engine) as writer:
        writer.add(LanguageRow(code="xx", label="X", name="X"))
        writer.flush()
        with db.read_scope(engine) as reader:  # sees the last commit, not the open write
            assert reader.scalar(select(LanguageRow).where(LanguageRow.code == "xx")) is None
        busy = pytest.raises(DatabaseBusyError, match="^database is busy: another process")
        with busy, db.session_scope(engine) as second:
            second.execute(text("SELECT 1"))
    with db.read_scope(engine) as reader:
        assert reader.get(LanguageRow, "xx") is not None


class _Conflict(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"conflict {sqlstate}")
        self.sqlstate = sqlstate


def test_run_write_retries_a_deadlock_and_gives_up_on_other_errors(engine: Engine):
    attempts: list[int] = []

    def work(session: object) -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("UPDATE units", {}, _Conflict("40P01"))
        return "done"

    assert db.run_write(engine, work) == "done"
    assert len(attempts) == 2

    def broken(session: object) -> None:
        attempts.append(1)
        raise OperationalError("SELECT", {}, _Conflict("42P01"))

    attempts.clear()
    with pytest.raises(DatabaseError, match="database error on .*: conflict 42P01"):
        db.run_write(engine, broken)
    assert len(attempts) == 1


def test_unreachable_database_is_one_line(tmp_path: Path, db_url: str, monkeypatch):
    if make_url(db_url).get_backend_name() == "sqlite":
        (tmp_path / "folder.db").mkdir()
        bad = f"sqlite:///{tmp_path / 'folder.db'}"
    else:
        bad = make_url(db_url).set(database="no_such_database").render_as_string(False)
    monkeypatch.setenv("I18N_PIPELINE_DATABASE_URL", bad)
    root = make_project(tmp_path / "proj", languages=("de",))
    result = CliRunner().invoke(main, ["--config", str(root / "config.yaml"), "sync"])
    assert result.exit_code == 2
    assert result.output.startswith("error: database error on ")
    assert len(result.output.splitlines()) == 1


def test_check_keeps_and_reuses_its_findings(project: Path):
    """The check cache's queries (keys made by the database, payloads told apart by how they
    begin, hashes, new mtimes) on both databases."""
    import os

    from i18n_pipeline.checks import CheckOptions, check_project

    runner = CliRunner()
    assert runner.invoke(main, ["run"]).exit_code == 0
    de = project / "locales" / "de" / f"{SEED_ID}.po"
    texts = msgids(de, 3)
    translate(de, {t: t for t in texts}, translator="Anna")  # English left in: W205
    config = config_of(project)
    first = check_project(config, CheckOptions(jobs=1))
    assert first.rechecked == 4 and any(p.code == "W205" for p in first.problems)
    again = check_project(config, CheckOptions(jobs=1))
    assert again.rechecked == 0 and again.problems == first.problems
    later = 2_000_000_000_000_000_000
    for path in (project / "locales").rglob("*.po*"):
        os.utime(path, ns=(later, later))
    retimed = check_project(config, CheckOptions(jobs=1))
    assert retimed.rechecked == 0 and retimed.problems == first.problems
    fresh = check_project(config, CheckOptions(jobs=1, reuse=False))
    assert fresh.rechecked == 4 and fresh.problems == first.problems
