"""Shared pytest fixtures.

Database fixtures:

* ``postgres_server`` (session): one throwaway PostgreSQL server for the whole
  run, started the first time a test asks for it. Skips the test when no server
  can be started -- or fails it when ``I18N_REQUIRE_POSTGRES=1``.
* ``postgres_url`` (function): a fresh, empty database on that server; its
  SQLAlchemy URL.
* ``db_url`` (function, parametrised ``sqlite`` / ``postgresql``): an empty
  database URL on each backend, for tests that must pass on both.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from pgserver import PostgresServer, PostgresUnavailable

_POSTGRES_FIXTURES = frozenset({"postgres_server", "postgres_url"})
_database_numbers = itertools.count(1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests using the server directly carry the ``postgres`` marker, so that
    # ``-m "not postgres"`` deselects them (db_url marks its own parameter).
    for item in items:
        if _POSTGRES_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


def _postgres_unavailable(reason: str) -> NoReturn:
    if os.environ.get("I18N_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required (I18N_REQUIRE_POSTGRES=1): {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL unavailable: {reason}")


def _start_postgres() -> PostgresServer:
    server = PostgresServer()
    try:
        server.start()
    except PostgresUnavailable as exc:
        reason = exc.reason  # skip/fail outside the handler: no chained traceback
    else:
        return server
    _postgres_unavailable(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = _start_postgres()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer, request: pytest.FixtureRequest) -> str:
    # Unique within the session; the test name makes server errors easier to place.
    slug = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower()).strip("_")
    name = f"t{next(_database_numbers)}_{slug}"[:63]
    return postgres_server.create_database(name)


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/index.db"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the seed article and three languages, as the current folder."""
    from projects import make_project

    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    root = make_project(tmp_path / "proj", languages=("de", "fr", "ja"))
    monkeypatch.chdir(root)
    return root
