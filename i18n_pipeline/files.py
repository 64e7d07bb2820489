"""The one place that reads and writes catalogs and other outputs on disk.

Writes are atomic (temporary file in the same folder, fsync, rename, fsync of the folder)
and refuse to replace a file that changed since it was read: a translator saving in Poedit
between our read and our write keeps their file, and the run reports it.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import operator
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from i18n_pipeline.errors import ConcurrentEditError, InputError, LockedError

#: What :func:`tempfile.mkstemp` names our temporaries: ``.<name>.<8 random>.tmp``.
_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


@dataclass(frozen=True)
class FileSnapshot:
    """A file's bytes as read, with what identifies that version on disk."""

    path: Path
    data: bytes
    size: int
    mtime_ns: int
    sha256: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_snapshot(path: Path) -> FileSnapshot | None:
    """The file's bytes and identity, or None when it does not exist."""
    try:
        with path.open("rb") as fh:
            st = os.fstat(fh.fileno())
            data = fh.read()
    except FileNotFoundError:
        return None
    except IsADirectoryError as exc:
        raise InputError("is a folder, not a file", path=str(path)) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from exc
    return FileSnapshot(path, data, st.st_size, st.st_mtime_ns, sha256(data))


def read_bytes(path: Path) -> bytes:
    snap = read_snapshot(path)
    if snap is None:
        raise InputError("no such file", path=str(path))
    return snap.data


def read_head(path: Path, size: int = 4096) -> bytes | None:
    """The first ``size`` bytes of a file (a catalog's header), or None when it is gone."""
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except (FileNotFoundError, IsADirectoryError):
        return None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from exc


@dataclass(frozen=True)
class TreeWrite:
    """What :func:`write_tree` did: files written, left as they were, and removed."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


#: The list of the files :func:`write_tree` wrote, with their digests, in the folder.
TREE_MANIFEST = ".i18n-pipeline-site.json"


def write_tree(folder: Path, files: dict[str, str]) -> TreeWrite:
    """Write ``files`` (relative path → text) under ``folder``, each atomically, skipping
    those whose bytes on disk are already the same (by the digests kept in the manifest,
    checked against each file's size): a second run rewrites only what changed. Files a
    previous run wrote that ``files`` no longer has are removed; no other file is touched."""
    import json

    manifest = folder / TREE_MANIFEST
    try:
        before: dict[str, str] = json.loads(manifest.read_text("utf-8"))
    except (OSError, ValueError):
        before = {}
    written, unchanged, after = [], [], {}
    for name, text in files.items():
        if name.startswith("/") or ".." in name.split("/") or name == TREE_MANIFEST:
            raise InputError("not a path inside the site's folder", path=name)
        data = text.encode("utf-8")
        digest = sha256(data)
        after[name] = digest
        path = folder / name
        if before.get(name) == digest:
            try:
                if path.stat().st_size == len(data):
                    unchanged.append(name)
                    continue
            except FileNotFoundError:
                pass
        atomic_write(path, data)
        written.append(name)
    removed = []
    for name in sorted(set(before) - set(after)):
        path = folder / name
        if ".." not in name.split("/") and path.is_file():
            path.unlink()
            removed.append(name)
    if written or removed or before != after:
        atomic_write(manifest, json.dumps(after, indent=0, sort_keys=True).encode("utf-8"))
    return TreeWrite(tuple(written), tuple(unchanged), tuple(removed))


def _unchanged(path: Path, expected: FileSnapshot | None) -> bool:
    """Whether ``path`` still holds the version read earlier (None: still absent).

    The bytes are compared, not only size and mtime: a save within one tick of the file
    system's clock, of the same length, would otherwise pass for the version read.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return expected is None
    except OSError:
        return False
    return expected is not None and sha256(data) == expected.sha256


def atomic_write(
    path: Path,
    data: bytes | Iterable[bytes],
    *,
    expected: FileSnapshot | None | Literal[False] = False,
    shown: str | None = None,
) -> None:
    """Replace ``path`` with ``data`` atomically: a reader, or a crash at any point, sees
    either the old file or the new one, never a part of it. ``data`` may come in pieces,
    written as they come.

    With ``expected`` given (a snapshot, or None for "must not exist yet"), the write is
    refused with :class:`ConcurrentEditError` when the file on disk is no longer that
    version; the check is made once the new bytes are on disk, just before the rename.
    ``expected=False`` skips the check. ``shown`` is the name an error gives the file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                fh.writelines(data)
            fh.flush()
            os.fsync(fh.fileno())
        if expected is not False and not _unchanged(path, expected):
            raise ConcurrentEditError(
                "changed on disk while this run was working; left as it is for the next run",
                path=shown or str(path),
            )
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files a killed writer left behind; returns how many.

    Only names :func:`atomic_write` makes (``.<name>.<random>.tmp``) are touched; call it
    under :func:`project_lock`, when no other writer of ours can be at work.
    """
    count = 0
    if not folder.is_dir():
        return 0
    for tmp in folder.rglob(".*.tmp"):
        if not _TEMPORARY.fullmatch(tmp.name):
            continue
        try:
            tmp.unlink()
            count += 1
        except OSError:
            pass
    return count


@contextmanager
def project_lock(state_dir: Path, *, timeout: float = 600.0, what: str = "run") -> Iterator[None]:
    """Serialise ingest and sync runs of one project with an advisory file lock.

    A second run waits for the first, up to ``timeout`` seconds, then fails clearly.
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    lock_path = state_dir / "lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise LockedError(
                        f"another ingest or sync holds the project lock; gave up after "
                        f"{timeout:g} s",
                        path=str(lock_path),
                    ) from exc
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {what}\n".encode())
        _held_locks.add(fd)
        yield
    finally:
        _held_locks.discard(fd)
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


#: Descriptors of the project locks this process holds.
_held_locks: set[int] = set()


def close_inherited_locks() -> None:
    """In a forked worker process, close its copies of the parent's lock descriptors, so
    that a worker left behind by a killed parent does not keep the project locked.

    Closing a copy leaves the parent's lock in place; unlocking it would not.
    """
    for fd in _held_locks:
        with suppress(OSError):
            os.close(fd)
    _held_locks.clear()


def iter_files(folder: Path, suffixes: tuple[str, ...]) -> Iterator[Path]:
    """Files under ``folder`` with one of ``suffixes``, sorted, skipping hidden names."""
    if not folder.is_dir():
        return
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not name.startswith(".") and name.endswith(suffixes):
                found.append(Path(dirpath) / name)
    yield from sorted(found)


def file_stamps(folder: str, suffix: str | tuple[str, ...]) -> Iterator[tuple[str, int, int]]:
    """(path, size, mtime in ns) of every file under ``folder`` whose name ends with
    ``suffix``, skipping hidden names, in no particular order.

    Each file costs one ``stat`` and no path object: on a tree of a hundred thousand
    catalogs this walk is most of what a sync with nothing to do costs. A file or folder
    that vanishes during the walk is passed over."""
    stack = [folder]
    while stack:
        try:
            entries = os.scandir(stack.pop())
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    if entry.is_dir():
                        stack.append(entry.path)
                    elif name.endswith(suffix):
                        st = entry.stat()
                        yield entry.path, st.st_size, st.st_mtime_ns
                except FileNotFoundError:
                    continue


_name = operator.attrgetter("name")


def sorted_stamp_keys(
    folder: str, prefix: str, suffix: str | tuple[str, ...]
) -> tuple[list[str], list[str]]:
    """The files under ``folder`` whose names end with ``suffix``, hidden names skipped, as
    two lists in the same order: each one's path below ``folder`` with ``prefix`` before it
    (``/`` between folders), and that path's key ``"path\tsize\tmtime_ns"``.

    The order is that of sorting the paths folder by folder (``a/b.po`` before ``a.po``
    before ``a-b.po``), reached by sorting each folder's names as it is read. Each file costs
    one ``stat``; a file or folder that vanishes during the walk is passed over."""
    shown: list[str] = []
    keys: list[str] = []

    def visit(path: str, below: str) -> None:
        try:
            with os.scandir(path) as entries:
                found = sorted(entries, key=_name)
        except (FileNotFoundError, NotADirectoryError):
            return
        for entry in found:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    visit(entry.path, f"{below}{name}/")
                elif name.endswith(suffix):
                    st = entry.stat()
                    where = f"{below}{name}"
                    shown.append(where)
                    keys.append(f"{where}\t{st.st_size}\t{st.st_mtime_ns}")
            except FileNotFoundError:
                continue

    visit(folder, prefix)
    return shown, keys
