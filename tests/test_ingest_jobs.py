"""Ingest in worker processes: the same files, index and messages as in one process."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from indexing import index_state, msgids, translate
from projects import SEED, config_of, make_project

from i18n_pipeline.cli import main
from i18n_pipeline.errors import WorkerError
from i18n_pipeline.files import project_lock
from i18n_pipeline.pipeline import RunResult, ingest
from i18n_pipeline.store.db import make_engine

LANGUAGES = ("de", "fr", "ja")
_DATES = re.compile(rb"(POT-Creation-Date|PO-Revision-Date): [^\\]*\\n")


def write_article(root: Path, number: int, *, edited: bool = False) -> Path:
    """A variant of the seed article: its own title and lead, most paragraphs shared with
    the others (so the translation memory has matches), every third one shorter."""
    text = SEED.read_text("utf-8")
    text = text.replace("U.S. Torture Machine", f"U.S. Torture Machine, part {number}")
    text = text.replace(
        "We print below the conclusion of this article.",
        f"We print below the conclusion of this article, number {number} of the series.",
    )
    if number % 3 == 0:
        text = text.replace("Baldwin was a contradictory figure.", "")
    if edited:
        text = text.replace("British attorney Peter Benenson", "the British lawyer Peter Benenson")
    path = root / "articles" / "wv" / f"{900 + number // 10}" / f"article{number}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def new_project(root: Path, count: int) -> Path:
    make_project(root, languages=LANGUAGES, seed=False)
    for number in range(count):
        write_article(root, number)
    return root


def catalog(root: Path, language: str, number: int) -> Path:
    return root / "locales" / language / "wv" / f"{900 + number // 10}" / f"article{number}.po"


def files_of(root: Path) -> dict[str, bytes]:
    """Every template and catalog, with the creation and revision dates blanked (two runs
    may fall in different minutes)."""
    return {
        p.relative_to(root).as_posix(): _DATES.sub(rb"\1: -\\n", p.read_bytes())
        for p in sorted((root / "locales").rglob("*"))
        if p.is_file()
    }


def index_of(root: Path) -> dict:
    """The index as :func:`index_state` gives it, with whether each file's sha256 is that of
    the file on disk in place of the sha256 (the dates in files differ between projects)."""
    state = index_state(make_engine(config_of(root).database_url))
    state["files"] = [
        (path, language, digest == hashlib.sha256((root / path).read_bytes()).hexdigest())
        for path, language, digest in state["files"]
    ]
    return state


def run(root: Path, jobs: int, progress=None) -> RunResult:
    config = config_of(root)
    return ingest(config, make_engine(config.database_url), progress=progress, jobs=jobs)


def summary(result: RunResult) -> tuple:
    return (
        [str(e) for e in result.errors],
        result.written,
        result.unchanged,
        result.articles,
        result.history,
    )


def change_projects(roots: list[Path]) -> None:
    """What translators and writers do between two runs, the same in every project."""
    for root in roots:
        de0 = catalog(root, "de", 0)
        translate(de0, {m: f"DE {m[:40]}" for m in msgids(de0, 60)}, translator="Anna")
        fr5 = catalog(root, "fr", 5)
        translate(fr5, {m: f"FR {m[:40]}" for m in msgids(fr5, 10)}, translator="Luc")
        write_article(root, 1, edited=True)
        write_article(root, 7, edited=True)
        (root / "articles" / "wv" / "900" / "article2.txt").unlink()
        catalog(root, "ja", 4).write_text('msgid "broken\n', "utf-8")
        (root / "articles" / "wv" / "900" / "empty.txt").write_text("", "utf-8")
        for number in range(30, 40):  # new: their catalogs are filled from the memory
            write_article(root, number)


def test_workers_give_the_same_files_index_and_messages_as_one_process(tmp_path: Path) -> None:
    one = new_project(tmp_path / "one", 24)
    two = new_project(tmp_path / "two", 24)

    first = run(one, jobs=1), run(two, jobs=2)
    assert first[0].ok and first[0].articles == 24
    assert summary(first[0]) == summary(first[1])
    assert files_of(one) == files_of(two)
    assert index_of(one) == index_of(two)

    change_projects([one, two])
    second = run(one, jobs=1), run(two, jobs=2)

    assert [str(e) for e in second[0].errors] == [
        "locales/ja/wv/900/article4.po:2: end-of-line within string",
        "articles/wv/900/empty.txt: empty file",
    ]
    assert summary(second[0]) == summary(second[1])
    assert any("TM: exact match from wv/900/article0" in c for c in _comments(one, 31))
    assert files_of(one) == files_of(two)
    assert index_of(one) == index_of(two)


def _comments(root: Path, number: int) -> list[str]:
    lines = catalog(root, "de", number).read_text("utf-8").splitlines()
    return [line for line in lines if "TM:" in line]


def test_progress_ticks_once_per_article_in_order(tmp_path: Path) -> None:
    root = new_project(tmp_path / "p", 12)
    ticks: list[tuple[str, int, int]] = []
    assert run(root, jobs=2, progress=lambda *tick: ticks.append(tick)).ok
    assert ticks == [("ingest", n, 12) for n in range(1, 13)]


def test_a_killed_worker_is_an_error_and_the_next_run_finishes_the_job(tmp_path: Path) -> None:
    root = new_project(tmp_path / "p", 100)
    same = new_project(tmp_path / "same", 100)
    killed: list[int] = []

    def kill_a_worker(_stage: str, done: int, _total: int) -> None:
        if done == 2:  # the workers have started, and most of the work is ahead
            workers = multiprocessing.active_children()
            assert workers
            os.kill(workers[0].pid, signal.SIGKILL)
            killed.append(workers[0].pid)

    # The executor ends the other workers with SIGTERM: they must not run a handler of
    # the parent's (the test suite's PostgreSQL server has one that deletes the server).
    handled = tmp_path / "sigterm-handled"
    test_process = os.getpid()

    def parents_cleanup(_signum: int, _frame: object) -> None:
        if os.getpid() != test_process:
            handled.write_text(f"run in {os.getpid()}")

    previous = signal.signal(signal.SIGTERM, parents_cleanup)
    try:
        broken = run(root, jobs=2, progress=kill_a_worker)
    finally:
        signal.signal(signal.SIGTERM, previous)

    assert killed
    assert not handled.exists()
    (error,) = broken.errors
    assert isinstance(error, WorkerError)
    assert re.fullmatch(
        r"articles/wv/9\d\d/article\d+\.txt: a worker process ended unexpectedly \(.*\); "
        r"this article and the others left were not ingested, run ingest again",
        str(error),
    )
    assert 0 < broken.articles < 100
    again = run(root, jobs=2)
    assert again.ok and again.articles == 100
    assert run(same, jobs=1).ok
    assert files_of(root) == files_of(same)
    assert index_of(root)["states"] == index_of(same)["states"]


def test_cli_jobs_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    one = new_project(tmp_path / "one", 10)
    two = new_project(tmp_path / "two", 10)
    for root in (one, two):
        catalog(root, "fr", 3).parent.mkdir(parents=True)
        catalog(root, "fr", 3).write_text('msgid "x"\nmsgstr "y"\nmsgid "x"\n', "utf-8")
    runner = CliRunner()
    monkeypatch.chdir(one)
    serial = runner.invoke(main, ["ingest", "--jobs", "1"])
    monkeypatch.chdir(two)
    parallel = runner.invoke(main, ["run", "--jobs", "2"])
    assert serial.exit_code == parallel.exit_code == 2
    assert serial.stderr.splitlines()[0] == parallel.stderr.splitlines()[0]
    assert serial.stderr.splitlines()[0].startswith("locales/fr/wv/900/article3.po:3: ")
    assert files_of(one) == files_of(two)

    bad = runner.invoke(main, ["ingest", "--jobs", "0"])
    assert bad.exit_code == 2
    assert "Invalid value for '--jobs' / '-j': 0 is not in the range x>=1." in bad.stderr


PARENT_KILLED_WITH_A_WORKER = """
import os, signal, sys
from pathlib import Path
from i18n_pipeline.files import project_lock

with project_lock(Path(sys.argv[1])):
    if os.fork() == 0:  # the worker: idle until its stdin closes
        close_inherited_locks()
        os.read(0, 1)
        os._exit(0)
    os.kill(os.getpid(), signal.SIGKILL)  # the parent dies holding the lock
"""


def test_a_worker_left_by_a_killed_parent_does_not_keep_the_project_locked(
    tmp_path: Path,
) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT_KILLED_WITH_A_WORKER, str(tmp_path)],
        stdin=subprocess.PIPE,
    )
    assert parent.stdin is not None
    try:
        assert parent.wait(timeout=60) == -signal.SIGKILL
        with project_lock(tmp_path, timeout=2):
            pass
    finally:
        parent.stdin.close()  # the worker ends
