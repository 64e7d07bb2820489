"""The throwaway PostgreSQL server and its fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from pgserver import PostgresServer, PostgresUnavailable


def test_roundtrip(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE greeting (id serial PRIMARY KEY, text text)"))
            conn.execute(sa.text("INSERT INTO greeting (text) VALUES (:t)"), {"t": "grüß dich"})
            assert conn.execute(sa.text("SELECT text FROM greeting")).scalar_one() == "grüß dich"
            version = conn.execute(sa.text("SHOW server_version")).scalar_one()
            encoding = conn.execute(sa.text("SHOW server_encoding")).scalar_one()
    finally:
        engine.dispose()
    assert int(version.split(".")[0]) >= 13, version
    assert encoding == "UTF8"


def test_fresh_databases_are_isolated(postgres_server: PostgresServer, postgres_url: str) -> None:
    other_url = postgres_server.create_database("isolation_other")
    assert other_url != postgres_url
    first, other = sa.create_engine(postgres_url), sa.create_engine(other_url)
    try:
        with first.begin() as conn:
            conn.execute(sa.text("CREATE TABLE only_here (id int)"))
        assert sa.inspect(first).has_table("only_here")
        assert not sa.inspect(other).has_table("only_here")
        with first.connect() as a, other.connect() as b:
            query = sa.text("SELECT current_database()")
            assert a.execute(query).scalar_one() != b.execute(query).scalar_one()
    finally:
        first.dispose()
        other.dispose()


def test_db_url_gives_an_empty_database(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    try:
        assert sa.inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_missing_binaries_raise_postgres_unavailable(tmp_path: Path) -> None:
    with pytest.raises(PostgresUnavailable, match="pg_ctl"):
        PostgresServer(bindir=tmp_path).start()


@pytest.mark.usefixtures("postgres_server")  # skip/fail like the fixtures do
def test_interrupted_block_stops_server_and_removes_directory() -> None:
    with pytest.raises(KeyboardInterrupt), PostgresServer() as server:
        socket_dir = server.socket_dir
        pid = int((socket_dir / "data" / "postmaster.pid").read_text().split()[0])
        assert _alive(pid)
        raise KeyboardInterrupt
    assert not socket_dir.exists()
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs; a zombie awaiting its reaper counts as stopped."""
    if not Path("/proc/self/stat").exists():  # no procfs: signal 0 it is
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
