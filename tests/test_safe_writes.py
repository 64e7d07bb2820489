"""Writes that cannot lose work: atomic replacement, refusal to overwrite a file saved by
someone else since it was read, a lock that serialises runs, and files other tools wrapped."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from merge_support import template_of, translations
from projects import SEED_ID, config_of, make_project, msgfmt_check
from sqlalchemy import select

from i18n_pipeline.errors import ConcurrentEditError, LockedError
from i18n_pipeline.files import (
    atomic_write,
    project_lock,
    read_snapshot,
    remove_stale_temporaries,
)
from i18n_pipeline.layout import discover_sources
from i18n_pipeline.pipeline import RunResult, _apply_plan, ingest, plan_article
from i18n_pipeline.po.catalog import Entry
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.po.render import render_po
from i18n_pipeline.store.db import make_engine, session_scope
from i18n_pipeline.store.models import UnitRow, UnitStateRow
from i18n_pipeline.sync import sync

PYTHON = sys.executable
CLI = str(Path(sys.executable).parent / "i18n-pipeline")
LANGUAGES = ("de", "fr", "ja")


def po_path(root: Path, code: str) -> Path:
    return root / "locales" / code / f"{SEED_ID}.po"


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob(".*.tmp"))


def wait_for(condition, what: str) -> None:
    """Poll until ``condition()`` holds; a run that never gets there fails the test."""
    deadline = time.monotonic() + 60
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.01)


# -- atomic_write --------------------------------------------------------------------------


def test_atomic_write_replaces_keeps_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    atomic_write(path, b"one\n", expected=None)
    assert (path.read_bytes(), path.stat().st_mode & 0o777) == (b"one\n", 0o644)
    path.chmod(0o600)
    atomic_write(path, b"two\n", expected=read_snapshot(path))
    assert (path.read_bytes(), path.stat().st_mode & 0o777) == (b"two\n", 0o600)
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("same_size_and_time", [False, True])
def test_a_file_saved_after_it_was_read_is_not_overwritten(
    tmp_path: Path, same_size_and_time: bool
) -> None:
    path = tmp_path / "a.po"
    path.write_bytes(b'msgstr "Hallo"\n')
    snapshot = read_snapshot(path)
    assert snapshot is not None
    path.write_bytes(b'msgstr "Hello"\n' if same_size_and_time else b'msgstr "Servus"\n')
    if same_size_and_time:  # a save within one tick of the clock, of the same length
        os.utime(path, ns=(snapshot.mtime_ns, snapshot.mtime_ns))

    with pytest.raises(ConcurrentEditError) as caught:
        atomic_write(path, b"ours\n", expected=snapshot, shown="locales/de/a.po")

    assert str(caught.value) == (
        "locales/de/a.po: changed on disk while this run was working; left as it is for the "
        "next run"
    )
    assert path.read_bytes() != b"ours\n"
    assert temporaries(tmp_path) == []


def test_a_file_that_appeared_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "new.po"
    path.write_bytes(b"theirs\n")
    with pytest.raises(ConcurrentEditError):
        atomic_write(path, b"ours\n", expected=None)
    assert path.read_bytes() == b"theirs\n"


def test_only_our_own_temporaries_are_cleaned_up(tmp_path: Path) -> None:
    ours = tmp_path / "de" / ".a.po.k3x_9qzu.tmp"
    other = tmp_path / "de" / ".notes.tmp"
    ours.parent.mkdir()
    ours.write_bytes(b"half a catal")
    other.write_bytes(b"keep")
    assert remove_stale_temporaries(tmp_path) == 1
    assert not ours.exists() and other.exists()


# -- a catalog saved by a translator during a run ---------------------------------------------


def _edit_article(root: Path) -> None:
    path = root / "articles" / f"{SEED_ID}.txt"
    path.write_text(
        path.read_text("utf-8").replace("Proletarian Justice", "Proletarian Law"), "utf-8"
    )


def _translator_saves(path: Path) -> bytes:
    po = parse_po(path.read_bytes())
    po.entries[2].msgstr = "Übersetzt, gespeichert während des Laufs"
    data = render_po(po).encode("utf-8")
    path.write_bytes(data)
    return data


def test_catalog_saved_between_plan_and_write_is_left_and_reported(project: Path) -> None:
    config = config_of(project)
    engine = make_engine(config.database_url)
    assert ingest(config, engine).ok
    _edit_article(project)
    (source,) = discover_sources(config)
    plan = plan_article(config, source)
    saved = _translator_saves(po_path(project, "fr"))

    result = RunResult()
    _apply_plan(config, engine, plan, result)

    assert [str(e) for e in result.errors] == [
        f"locales/fr/{SEED_ID}.po: changed on disk while this run was working; left as it "
        "is for the next run"
    ]
    assert po_path(project, "fr").read_bytes() == saved
    for code in ("de", "ja"):
        assert any(
            e.msgid == "Proletarian Law"
            for e in parse_po(po_path(project, code).read_bytes()).entries
        )
    # The next run merges the translator's file, translation included.
    assert ingest(config, engine).ok
    fr = parse_po(po_path(project, "fr").read_bytes())
    assert "Übersetzt, gespeichert während des Laufs" in translations(fr)
    assert any(e.msgid == "Proletarian Law" for e in fr.entries)


PLAN_THEN_APPLY = """
import json, sys
from pathlib import Path
from i18n_pipeline.config import load_config
from i18n_pipeline.layout import discover_sources
from i18n_pipeline.pipeline import RunResult, _apply_plan, plan_article
from i18n_pipeline.store.db import make_engine, session_scope
from i18n_pipeline.store.models import UnitRow, UnitStateRow
from i18n_pipeline.sync import sync

config = load_config(Path("config.yaml"))
(source,) = discover_sources(config)
plan = plan_article(config, source)
print("planned", flush=True)
sys.stdin.readline()
result = RunResult()
_apply_plan(config, make_engine(config.database_url), plan, result)
print(json.dumps({"errors": [str(e) for e in result.errors], "written": result.written}))
"""


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU msgcat is not installed")
def test_catalog_rewritten_by_another_process_mid_run_is_left_and_reported(project: Path) -> None:
    config = config_of(project)
    assert ingest(config, make_engine(config.database_url)).ok
    _edit_article(project)
    run = subprocess.Popen(
        [PYTHON, "-c", PLAN_THEN_APPLY],
        cwd=project,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert run.stdin is not None and run.stdout is not None
    assert run.stdout.readline() == "planned\n"
    de = po_path(project, "de")
    subprocess.run(["msgcat", "--width=40", "-o", str(de), str(de)], check=True)
    saved = de.read_bytes()
    out, _ = run.communicate("go\n", timeout=120)

    report = json.loads(out)
    assert report["errors"] == [
        f"locales/de/{SEED_ID}.po: changed on disk while this run was working; left as it is "
        "for the next run"
    ]
    assert f"locales/fr/{SEED_ID}.po" in report["written"]
    assert de.read_bytes() == saved


# -- the project lock ----------------------------------------------------------------------


def _holds_open(pid: int, path: Path) -> bool:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                return True
        except OSError:
            continue
    return False


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_a_second_run_waits_for_the_lock(project: Path) -> None:
    config = config_of(project)
    lock = config.state_dir / "lock"
    with project_lock(config.state_dir, what="test"):
        run = subprocess.Popen([CLI, "ingest"], cwd=project, stderr=subprocess.PIPE, text=True)
        # Once it has the lock file open it is waiting for the lock (it writes nothing first).
        wait_for(
            lambda: _holds_open(run.pid, lock.resolve()) or run.poll() is not None,
            "the second run to reach the lock",
        )
        assert run.poll() is None, run.stderr.read() if run.stderr else ""
        assert not (project / "locales").exists()
        assert lock.read_text() == f"{os.getpid()} test\n"
    assert run.wait(timeout=120) == 0
    assert lock.read_text() == f"{run.pid} ingest\n"
    assert po_path(project, "de").exists()


def test_the_lock_gives_up_with_a_clear_error(tmp_path: Path) -> None:
    with (
        project_lock(tmp_path, what="sync"),
        pytest.raises(LockedError) as caught,
        project_lock(tmp_path, timeout=0.1),
    ):
        pytest.fail("a second holder of the lock")
    assert str(caught.value) == (
        f"{tmp_path}/lock: another ingest or sync holds the project lock; gave up after 0.1 s"
    )


def test_two_runs_at_once_give_what_one_gives(project: Path) -> None:
    runs = [subprocess.Popen([CLI, "ingest"], cwd=project) for _ in range(2)]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    for code in LANGUAGES:
        assert msgfmt_check(po_path(project, code)) == ""
    assert len(list((project / "locales").rglob("*.po*"))) == 4
    assert temporaries(project) == []


# -- SIGKILL while writing -------------------------------------------------------------------

TOGGLE_AND_INGEST = """
import os, sys
from pathlib import Path
from i18n_pipeline.config import load_config
from i18n_pipeline.pipeline import ingest
from i18n_pipeline.store.db import make_engine, session_scope
from i18n_pipeline.store.models import UnitRow, UnitStateRow
from i18n_pipeline.sync import sync

config = load_config(Path("config.yaml"))
engine = make_engine(config.database_url)
article = Path(sys.argv[1])
versions = [Path(p).read_bytes() for p in sys.argv[2:]]
print("ready", flush=True)
n = 0
while True:
    tmp = article.with_name(".next")
    tmp.write_bytes(versions[n % len(versions)])
    os.replace(tmp, article)
    ingest(config, engine)
    n += 1
"""


@pytest.fixture
def every_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed in a project with all eleven languages, translated in each, and a second
    version of the article: a sentence changed, a paragraph deleted, one moved."""
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    root = make_project(tmp_path / "proj")
    config = config_of(root)
    assert ingest(config, make_engine(config.database_url)).ok
    for path in (root / "locales").rglob("*.po"):
        po = parse_po(path.read_bytes())
        for i, entry in enumerate(po.entries):
            entry.msgstr = f"{path.parent.name} {i}"
        path.write_text(render_po(po), "utf-8")
    seed = (root / "articles" / f"{SEED_ID}.txt").read_text("utf-8")
    blocks = seed.split("\n\n")
    blocks[12] = blocks[12].replace("contradictory figure", "deeply contradictory man")
    del blocks[14]
    blocks.insert(30, blocks.pop(40))
    (tmp_path / "a.txt").write_text(seed, "utf-8")
    (tmp_path / "b.txt").write_text("\n\n".join(blocks), "utf-8")
    return root


def _writing(folders: list[Path]) -> bool:
    """Whether a temporary file of ours is in one of ``folders``: a write is under way."""
    return any(
        name.startswith(".") and name.endswith(".tmp") for f in folders for name in os.listdir(f)
    )


def test_sigkill_while_writing_leaves_each_file_whole(every_language: Path) -> None:
    root = every_language
    config = config_of(root)
    versions = [root.parent / "a.txt", root.parent / "b.txt"]
    templates = {
        frozenset(e.msgid for e in template_of(config, v.read_text("utf-8")).entries)
        for v in versions
    }
    catalogs = sorted((root / "locales").rglob("*.po"))
    files = [*catalogs, root / "locales" / "templates" / f"{SEED_ID}.pot"]
    folders = sorted({path.parent for path in files})
    held = {path: translations(parse_po(path.read_bytes())) for path in catalogs}
    rng = random.Random(863)
    article = root / "articles" / f"{SEED_ID}.txt"
    kills = mid_write = 0
    while kills < 4 or mid_write < 2:
        assert kills < 30, "no kill landed while a file was being written"
        run = subprocess.Popen(
            [PYTHON, "-c", TOGGLE_AND_INGEST, str(article), *map(str, versions)],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert run.stdout is not None and run.stdout.readline() == "ready\n"
        if kills % 2:  # anywhere: reading, merging, indexing or writing
            time.sleep(rng.uniform(0.0, 0.8))
        else:  # as soon as a write has begun, or a moment later
            wait_for(lambda: _writing(folders), "a write to begin")
            time.sleep(rng.uniform(0.0, 0.002))
        run.send_signal(signal.SIGKILL)
        run.wait()
        run.stdout.close()
        kills += 1
        mid_write += _writing(folders)
        for path in files:
            data = path.read_bytes()
            po = parse_po(data, str(path))  # never cut short: it parses ...
            assert render_po(po).encode("utf-8") == data  # ... and is all we would write
            assert frozenset(e.msgid for e in po.active()) in templates
            if path.suffix == ".po":
                assert held[path] <= translations(po)
        assert all(msgfmt_check(path) == "" for path in catalogs)
    # The next run clears what the killed one left; files and index agree again.
    engine = make_engine(config.database_url)
    assert ingest(config, engine).ok
    assert temporaries(root / "locales") == []
    assert ingest(config, engine).written == []
    assert sync(config, engine).catalogs_read == 0
    with session_scope(engine) as session:
        indexed = {
            (language, msgid): state
            for language, msgid, state in session.execute(
                select(UnitStateRow.language, UnitRow.msgid, UnitStateRow.state)
                .join(UnitRow, UnitRow.id == UnitStateRow.unit_pk)
                .where(UnitRow.active.is_(True))
            )
        }
    on_disk = {
        (path.relative_to(root / "locales").parts[0], e.msgid): e.state
        for path in catalogs
        for e in parse_po(path.read_bytes()).active()
    }
    assert indexed == on_disk


# -- files other tools wrote -----------------------------------------------------------------


def _content(data: bytes) -> list[Entry]:
    return [replace(e, line=0) for e in parse_po(data).entries]


def _poedit_style(data: bytes) -> bytes:
    """As Poedit saves: its own header line added, every string on one line."""
    po = parse_po(data)
    po.headers.append(("X-Generator", "Poedit 3.4"))
    return render_po(po, width=1 << 20).encode("utf-8")


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU msgcat is not installed")
@pytest.mark.parametrize("tool", ["msgcat --width=40", "msgcat --no-wrap", "poedit"])
def test_catalogs_other_tools_wrapped_are_read_and_merged(project: Path, tool: str) -> None:
    config = config_of(project)
    engine = make_engine(config.database_url)
    assert ingest(config, engine).ok
    de = po_path(project, "de")
    po = parse_po(de.read_bytes())
    for i, entry in enumerate(po.entries):
        entry.msgstr = f"Absatz {i}: " + entry.msgid  # long enough to wrap
    de.write_text(render_po(po), "utf-8")
    if tool == "poedit":
        de.write_bytes(_poedit_style(de.read_bytes()))
    else:
        subprocess.run([*tool.split(), "-o", str(de), str(de)], check=True)
    assert de.read_bytes() != render_po(po).encode("utf-8")
    assert _content(de.read_bytes()) == _content(render_po(po).encode("utf-8"))

    _edit_article(project)
    assert ingest(config, engine).ok
    merged = parse_po(de.read_bytes())
    assert translations(po) <= translations(merged)
    assert [e.state for e in merged.active()].count("fuzzy") == 1
    again = de.read_bytes()
    assert ingest(config, engine).written == []
    assert de.read_bytes() == again
