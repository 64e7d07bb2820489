"""Two writers at once.

On PostgreSQL, two ``sync`` (or ``run``) processes from two checkouts of the same files
share one database; the project's file lock is per checkout, so only the database keeps
them apart. They must end as one run after the other would. On SQLite, a second writer
waits for the first, or fails with a one-line message.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from indexing import index_state, msgids, translate
from pgserver import PostgresServer
from projects import FIXTURES, SEED, SEED_ID, config_of, make_project
from psycopg import sql
from sqlalchemy import make_url

from i18n_pipeline.cli import main
from i18n_pipeline.config import Config
from i18n_pipeline.pipeline import ingest
from i18n_pipeline.store.db import WRITE_LOCK_KEY, make_engine
from i18n_pipeline.sync import sync

LANGUAGES = ("de", "fr", "ja")
REPO = Path(__file__).resolve().parent.parent


def with_timeout(url: str, seconds: float) -> str:
    return make_url(url).update_query_dict({"timeout": str(seconds)}).render_as_string(False)


def _articles(root: Path, count: int) -> None:
    """``count`` distinct articles: variants of the seed, and the Markdown fixture."""
    text = SEED.read_text("utf-8")
    for number in range(count):
        target = root / "articles" / "wv" / f"{900 + number}" / "variant.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace("Part Two", f"Part {number + 3}"), "utf-8")
    shutil.copy(FIXTURES / "articles" / "harbour.md", root / "articles" / "wv" / "harbour.md")


def _translate_some(root: Path) -> None:
    """Edits in several catalogs of several articles, as translators' commits bring."""
    for number, path in enumerate(sorted((root / "locales").glob("*/wv/**/*.po"))):
        if number % 2 == 0:
            texts = msgids(path, 3, skip=number % 5)
            translate(
                path,
                {t: f"{path.parent.name}-{i}" for i, t in enumerate(texts)},
                translator=f"T{number} <t{number}@example.org>",
            )


def _spawn(root: Path, url: str, *verb: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("I18N_")}
    env["I18N_PIPELINE_DATABASE_URL"] = url
    return subprocess.Popen(
        [sys.executable, "-m", "i18n_pipeline", "--config", str(root / "config.yaml"), *verb],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _race(first: Path, second: Path, url: str, *verb: str) -> None:
    procs = [_spawn(first, url, *verb), _spawn(second, url, *verb)]
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        assert "Traceback" not in err


def _copy_database(server: PostgresServer, url: str) -> str:
    """A new database with the contents of the one at ``url`` (no one may be connected)."""
    source = make_url(url).database
    name = f"{source}_copy"[-63:]
    with server.connect() as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(source or "")
            )
        )
    return server.url(name)


def _checkouts(tmp_path: Path) -> tuple[Path, Path, Config]:
    first = make_project(tmp_path / "a", languages=LANGUAGES)
    _articles(first, 4)
    return first, tmp_path / "b", config_of(first)


def test_two_syncs_at_once_end_as_one_after_the_other(
    tmp_path: Path,
    postgres_server: PostgresServer,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    first, second, config = _checkouts(tmp_path)
    engine = make_engine(postgres_url)
    assert ingest(dataclasses.replace(config, database_url=postgres_url), engine).ok
    engine.dispose()
    serial = dataclasses.replace(config, database_url=_copy_database(postgres_server, postgres_url))
    _translate_some(first)
    shutil.copytree(first, second)  # the same files, mtimes included, in another checkout

    _race(first, second, postgres_url, "sync", "--quiet")

    serial_engine = make_engine(serial.database_url)
    assert sync(serial, serial_engine).history > 0
    from_second = dataclasses.replace(config_of(second), database_url=serial.database_url)
    assert sync(from_second, serial_engine).history == 0
    raced_state = index_state(make_engine(postgres_url))
    assert raced_state == index_state(serial_engine)
    assert sum(raced_state["history"].values()) > 0


def test_two_runs_on_a_fresh_database_end_as_one_after_the_other(
    tmp_path: Path,
    postgres_server: PostgresServer,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
):
    """Both migrate, ingest and sync at once: one schema, no duplicate unit or history."""
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    first, second, _ = _checkouts(tmp_path)
    shutil.copytree(first, second)
    serial_roots = [tmp_path / "serial_a", tmp_path / "serial_b"]
    for source, target in zip((first, second), serial_roots, strict=True):
        shutil.copytree(source, target)

    _race(first, second, postgres_url, "run", "--format", "json")

    serial_url = postgres_server.create_database(f"serial_run_{os.getpid()}")
    for root in serial_roots:
        runner = CliRunner(env={"I18N_PIPELINE_DATABASE_URL": serial_url})
        result = runner.invoke(main, ["--config", str(root / "config.yaml"), "run"])
        assert result.exit_code == 0, result.output
    raced_state = index_state(make_engine(postgres_url))
    assert raced_state == index_state(make_engine(serial_url))
    assert len(raced_state["articles"]) == 6


def test_postgres_writer_that_waits_too_long_gets_a_clear_message(
    tmp_path: Path,
    postgres_server: PostgresServer,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    url = with_timeout(postgres_url, 0.2)
    root = make_project(tmp_path / "p", languages=("de",), database_url=url)
    database = make_url(postgres_url).database
    assert database is not None
    with postgres_server.connect(database, autocommit=False) as holder:
        holder.execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
        result = CliRunner().invoke(main, ["--config", str(root / "config.yaml"), "ingest"])
    assert result.exit_code == 2
    shown = make_url(postgres_url).render_as_string(hide_password=True)  # without timeout
    assert result.output == (
        f"error: database is busy: another process is writing to {shown}; "
        "try again when it has finished\n"
    )


@pytest.fixture
def sqlite_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    database = tmp_path / "index.db"
    root = make_project(
        tmp_path / "p", languages=("de", "fr"), database_url=f"sqlite:///{database}?timeout=0.2"
    )
    monkeypatch.chdir(root)
    assert CliRunner().invoke(main, ["ingest"]).exit_code == 0
    de = root / "locales" / "de" / f"{SEED_ID}.po"
    translate(de, {msgids(de, 1)[0]: "Imperialistische Demokratie"})
    return root


def _hold_write_lock(database: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


@pytest.mark.parametrize("verb", ["sync", "ingest", "run"])
def test_sqlite_second_writer_fails_with_one_line(sqlite_project: Path, verb: str):
    database = sqlite_project.parent / "index.db"
    holder = _hold_write_lock(database)
    try:
        result = CliRunner().invoke(main, [verb])
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"error: database is busy: another process is writing to sqlite:///{database}"
        "?timeout=0.2; try again when it has finished"
    )
    assert "Traceback" not in result.output and "OperationalError" not in result.output
    after = CliRunner().invoke(main, ["sync"])
    assert after.exit_code == 0, after.output
    assert "1 change(s) recorded" in after.output or verb == "run"


def test_sqlite_second_writer_waits_for_the_first(sqlite_project: Path):
    database = sqlite_project.parent / "index.db"
    config = config_of(sqlite_project)
    patient = dataclasses.replace(config, database_url=f"sqlite:///{database}?timeout=60")
    holder = _hold_write_lock(database)
    release = threading.Timer(0.5, holder.rollback)
    release.start()
    try:
        result = sync(patient, make_engine(patient.database_url))
    finally:
        release.join()
        holder.close()
    assert result.ok and result.history == 1
