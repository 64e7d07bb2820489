"""A throwaway PostgreSQL server for the test suite.

``PostgresServer`` runs ``initdb`` into a fresh temporary directory and starts a
postmaster that listens only on a Unix socket inside that directory, tuned for
speed rather than durability (no fsync, no full-page writes). Leaving the
``with`` block -- normally, on an exception or on KeyboardInterrupt -- stops the
server with ``pg_ctl stop -m immediate`` and deletes the directory. Fallbacks
for servers still running: an ``atexit`` hook, and a SIGTERM handler (installed
only over the default disposition) that cleans up and then lets SIGTERM kill the
process as it would have.

When running as root the server runs as the ``postgres`` user (initdb refuses
root); otherwise it runs as the current user.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType
from urllib.parse import quote

import psycopg
from psycopg import sql

SUPERUSER = "postgres"
# A Unix socket path (``<dir>/.s.PGSQL.<port>``) must fit in sockaddr_un.sun_path.
_MAX_SOCKET_DIR_LEN = 80
_LOG_TAIL_LINES = 30


class PostgresUnavailable(RuntimeError):
    """No server could be started: binaries missing, initdb or startup failed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class _RunAs:
    """Whom the server processes run as: None means the current user."""

    uid: int | None = None
    gid: int | None = None


def find_bindir() -> Path:
    """The directory holding ``pg_ctl`` and ``initdb``.

    ``pg_ctl`` on PATH is resolved through symlinks (Debian only links pg_ctl,
    initdb stays in /usr/lib/postgresql/<version>/bin); otherwise the newest
    /usr/lib/postgresql/*/bin wins.
    """
    candidates: list[Path] = []
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(os.path.realpath(on_path)).parent)
    debian = Path("/usr/lib/postgresql").glob("*/bin")
    candidates.extend(sorted(debian, key=_version_key, reverse=True))
    for bindir in candidates:
        if _is_executable(bindir / "pg_ctl") and _is_executable(bindir / "initdb"):
            return bindir
    searched = ", ".join(str(c) for c in candidates) or "nothing found"
    raise PostgresUnavailable(
        f"PostgreSQL binaries (pg_ctl and initdb) not found; searched PATH and "
        f"/usr/lib/postgresql/*/bin ({searched}). Install the 'postgresql' package."
    )


def _version_key(bindir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", bindir.parent.name))


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _free_port() -> int:
    # The server listens on no TCP address; the port only names the socket file,
    # but a free one keeps things unsurprising if someone reads the config.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tail(text: str, lines: int = _LOG_TAIL_LINES) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _conf_quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class PostgresServer:
    """A private PostgreSQL cluster living in a temporary directory.

    >>> with PostgresServer() as server:
    ...     url = server.create_database("demo")
    ...     # url == server.url("demo") == "postgresql+psycopg://postgres@/demo?host=...&port=..."
    """

    def __init__(self, bindir: Path | None = None, start_timeout: int = 60) -> None:
        self._bindir = bindir
        self._bindir_used: Path | None = None
        self._start_timeout = start_timeout
        self._tmpdir: Path | None = None
        self._port: int | None = None
        self._run_as = _RunAs()
        self._started = False
        self.startup_seconds: float | None = None
        self.server_version: str | None = None

    # -- context manager -------------------------------------------------

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- connection details ----------------------------------------------

    @property
    def socket_dir(self) -> Path:
        if self._tmpdir is None:
            raise RuntimeError("server not started")
        return self._tmpdir

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("server not started")
        return self._port

    def url(self, dbname: str) -> str:
        """SQLAlchemy URL for ``dbname`` over the Unix socket."""
        host = quote(str(self.socket_dir), safe="/")
        database = quote(dbname, safe="")
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={host}&port={self.port}"

    def connect(self, dbname: str = "postgres", autocommit: bool = True) -> psycopg.Connection:
        """A plain psycopg connection as the superuser."""
        return psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=SUPERUSER,
            dbname=dbname,
            autocommit=autocommit,
            connect_timeout=10,
        )

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        with self.connect() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    # -- lifecycle -------------------------------------------------------

    def start(self) -> None:
        if self._tmpdir is not None:
            raise RuntimeError("server already started")
        began = time.monotonic()
        bindir = self._bindir_used = self._bindir or find_bindir()
        for tool in ("pg_ctl", "initdb"):
            if not _is_executable(bindir / tool):
                raise PostgresUnavailable(f"{bindir / tool} is missing or not executable")
        self._run_as = self._choose_user()
        self._tmpdir = Path(tempfile.mkdtemp(prefix="i18n-pg-", dir=self._base_dir()))
        _register(self)
        try:
            self._start(bindir)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began

    def stop(self) -> None:
        """Stop the server (immediate mode) and delete its directory. Idempotent."""
        tmpdir, self._tmpdir = self._tmpdir, None
        if tmpdir is None:
            return
        try:
            if self._started:
                self._started = False
                self._shutdown(tmpdir)
        finally:
            shutil.rmtree(tmpdir, ignore_errors=True)
            self._port = None
            _unregister(self)

    # -- internals -------------------------------------------------------

    def _choose_user(self) -> _RunAs:
        if os.geteuid() != 0:
            return _RunAs()
        try:
            entry = pwd.getpwnam(SUPERUSER)
        except KeyError:
            raise PostgresUnavailable(
                f"running as root, but there is no '{SUPERUSER}' user to run initdb as"
            ) from None
        return _RunAs(uid=entry.pw_uid, gid=entry.pw_gid)

    def _base_dir(self) -> str:
        base = tempfile.gettempdir()
        if len(base) > _MAX_SOCKET_DIR_LEN - len("/i18n-pg-XXXXXXXX"):
            return "/tmp"
        if self._run_as.uid is not None and not _traversable_by_others(Path(base)):
            return "/tmp"
        return base

    def _start(self, bindir: Path) -> None:
        tmpdir = self.socket_dir
        if self._run_as.uid is not None and self._run_as.gid is not None:
            os.chown(tmpdir, self._run_as.uid, self._run_as.gid)
        datadir = tmpdir / "data"
        initdb = [str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", SUPERUSER]
        initdb += ["--no-sync", "-E", "UTF8", "--locale=C"]
        self._run(initdb, what="initdb", cwd=tmpdir)
        self._port = _free_port()
        settings = {
            "listen_addresses": _conf_quote(""),
            "unix_socket_directories": _conf_quote(str(tmpdir)),
            "port": str(self._port),
            "fsync": "off",
            "full_page_writes": "off",
            "synchronous_commit": "off",
        }
        with (datadir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# throwaway test server\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        log = tmpdir / "server.log"
        self._started = True  # from here on, stop() must try to stop a server
        pg_ctl = [str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(log), "-w"]
        pg_ctl += ["-t", str(self._start_timeout), "-s", "start"]
        self._run(pg_ctl, what="pg_ctl start", cwd=tmpdir, log=log)
        try:
            with self.connect() as conn:
                row = conn.execute("SHOW server_version").fetchone()
        except psycopg.Error as exc:
            raise PostgresUnavailable(
                f"server started but refuses connections: {exc}\n{_log_tail(log)}"
            ) from exc
        self.server_version = str(row[0]) if row else None

    def _run(self, argv: Sequence[str], what: str, cwd: Path, log: Path | None = None) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        as_other = self._run_as.uid is not None
        try:
            proc = subprocess.run(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                errors="replace",
                user=self._run_as.uid,
                group=self._run_as.gid,
                extra_groups=[] if as_other else None,
                start_new_session=True,
                timeout=self._start_timeout + 30,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise PostgresUnavailable(f"{what} could not run: {exc}") from exc
        if proc.returncode != 0:
            output = _tail(proc.stdout + "\n" + proc.stderr)
            log_tail = _log_tail(log) if log is not None else ""
            raise PostgresUnavailable(
                f"{what} failed with exit code {proc.returncode}:\n{output}\n{log_tail}".rstrip()
            )

    def _shutdown(self, tmpdir: Path) -> None:
        datadir = tmpdir / "data"
        pid = _postmaster_pid(datadir)
        bindir = self._bindir_used or find_bindir()
        try:
            stop = [str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "-w", "stop"]
            self._run(stop, what="pg_ctl stop", cwd=tmpdir)
        except PostgresUnavailable:
            # pg_ctl could not stop it: kill the postmaster we started; its
            # children notice the postmaster's death and exit on their own.
            if pid is not None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)


def _log_tail(log: Path) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return f"(no server log at {log})"
    return f"--- tail of {log} ---\n{_tail(text)}"


# -- fallbacks for servers whose owner never called stop() ---------------

_live_servers: list[PostgresServer] = []


def _register(server: PostgresServer) -> None:
    if not _live_servers:
        atexit.register(_stop_all)
        _install_sigterm_handler()
    _live_servers.append(server)


def _unregister(server: PostgresServer) -> None:
    if server in _live_servers:
        _live_servers.remove(server)
    if not _live_servers:
        atexit.unregister(_stop_all)
        _restore_sigterm_handler()


def _stop_all() -> None:
    for server in reversed(list(_live_servers)):
        server.stop()


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _stop_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_sigterm_handler() -> None:
    # Only over the default disposition, and only where Python allows it.
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)


def _restore_sigterm_handler() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is _on_sigterm:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _postmaster_pid(datadir: Path) -> int | None:
    try:
        first = (datadir / "postmaster.pid").read_text().split("\n", 1)[0]
        return int(first)
    except (OSError, ValueError):
        return None


def _traversable_by_others(path: Path) -> bool:
    """Whether a non-root user can reach ``path`` (o+x on it and all ancestors)."""
    for part in [path, *path.parents]:
        try:
            if not part.stat().st_mode & 0o001:
                return False
        except OSError:
            return False
    return True
