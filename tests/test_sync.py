"""Incremental sync on both databases: what it reads, what it parses, what it writes, and
the history it records."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from indexing import Calls, counting_writes, history_rows, index_state, msgids, translate
from projects import FIXTURES, SEED_ID, config_of, make_project
from sqlalchemy import Engine, select

from i18n_pipeline.config import Config
from i18n_pipeline.pipeline import ingest
from i18n_pipeline.store.db import make_engine, read_scope
from i18n_pipeline.store.models import ArticleRow, UnitRow, UnitStateRow
from i18n_pipeline.sync import sync

HARBOUR_ID = "wv/900/harbour"
LANGUAGES = ("de", "fr", "ja")


@dataclass
class Indexed:
    """A project with two articles in three languages, ingested into ``engine``."""

    root: Path
    config: Config
    engine: Engine

    def catalog(self, language: str, article_id: str = SEED_ID) -> Path:
        return self.root / "locales" / language / f"{article_id}.po"

    def shown(self, language: str, article_id: str = SEED_ID) -> str:
        return self.catalog(language, article_id).relative_to(self.root).as_posix()


@pytest.fixture(params=["one process", "two processes"], autouse=True)
def walk_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with the catalog folders walked by one process, then by two (a
    second process takes half the languages, as on a large index)."""
    if request.param == "two processes":
        monkeypatch.setattr("i18n_pipeline.sync.PARALLEL_FILES", 0)
    return str(request.param)


@pytest.fixture
def indexed(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Indexed:
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    root = make_project(tmp_path / "proj", languages=LANGUAGES, database_url=db_url)
    harbour = root / "articles" / f"{HARBOUR_ID}.md"
    harbour.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "articles" / "harbour.md", harbour)
    config = config_of(root)
    engine = make_engine(config.database_url)
    first = ingest(config, engine)
    assert first.ok and first.articles == 2, first.errors
    assert sync(config, engine).ok
    yield Indexed(root, config, engine)
    engine.dispose()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Calls:
    return Calls(monkeypatch, "i18n_pipeline.sync.parse_po")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Calls:
    return Calls(monkeypatch, "i18n_pipeline.sync.read_snapshot")


def parsed_paths(calls: Calls) -> list[str]:
    return [args[1] for args in calls.args]


def test_sync_parses_only_the_changed_catalog(indexed: Indexed, parses: Calls, reads: Calls):
    de = indexed.catalog("de")
    first, second = msgids(de, 2)
    translate(de, {first: "Erstens", second: "Zweitens"}, translator="Anna <anna@example.org>")
    result = sync(indexed.config, indexed.engine)
    assert result.ok, result.errors
    assert parsed_paths(parses) == [indexed.shown("de")]
    assert [args[0] for args in reads.args] == [de]
    assert (result.catalogs_read, result.opened, result.history, result.articles) == (1, 1, 2, 1)


def test_second_sync_reads_nothing_and_writes_nothing(
    indexed: Indexed, parses: Calls, reads: Calls
):
    translate(indexed.catalog("fr"), {msgids(indexed.catalog("fr"), 1)[0]: "Premier"})
    assert sync(indexed.config, indexed.engine).history == 1
    parses.reset()
    reads.reset()
    before = index_state(indexed.engine)
    with counting_writes(indexed.engine) as writes:
        again = sync(indexed.config, indexed.engine)
    assert writes == []
    assert reads.count == 0 and parses.count == 0
    assert (again.catalogs_read, again.opened, again.history) == (0, 0, 0)
    assert index_state(indexed.engine) == before


def test_touched_catalog_is_read_once_never_parsed(indexed: Indexed, parses: Calls, reads: Calls):
    ja = indexed.catalog("ja")
    st = ja.stat()
    os.utime(ja, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    with counting_writes(indexed.engine) as writes:
        result = sync(indexed.config, indexed.engine)
    assert (result.opened, result.catalogs_read, result.history) == (1, 0, 0)
    assert parses.count == 0 and reads.count == 1
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("UPDATE CATALOG_FILES")
    reads.reset()
    assert sync(indexed.config, indexed.engine).opened == 0
    assert reads.count == 0


def test_translator_edit_is_history_with_states_texts_time_and_translator(indexed: Indexed):
    de = indexed.catalog("de")
    title = msgids(de, 1)[0]
    translate(de, {title: "Imperialistische „Demokratie“ am Werk"}, translator="Anna <a@x.org>")
    assert sync(indexed.config, indexed.engine).history == 1
    translate(
        de, {title: "Imperialistische Demokratie am Werk"}, translator="Ben <b@x.org>", fuzzy=True
    )
    assert sync(indexed.config, indexed.engine).history == 1
    rows = [r for r in history_rows(indexed.engine) if r.cause == "translator"]
    assert [
        (r.language, r.old_state, r.new_state, r.old_text, r.new_text, r.translator) for r in rows
    ] == [
        (
            "de",
            "untranslated",
            "translated",
            "",
            "Imperialistische „Demokratie“ am Werk",
            "Anna <a@x.org>",
        ),
        (
            "de",
            "translated",
            "fuzzy",
            "Imperialistische „Demokratie“ am Werk",
            "Imperialistische Demokratie am Werk",
            "Ben <b@x.org>",
        ),
    ]
    assert rows[0].unit_pk == rows[1].unit_pk
    assert rows[0].at <= rows[1].at
    with read_scope(indexed.engine) as session:
        assert session.scalar(select(UnitRow.msgid).where(UnitRow.id == rows[0].unit_pk)) == title


def test_deleted_catalog_makes_its_units_untranslated_with_history(indexed: Indexed):
    fr = indexed.catalog("fr", HARBOUR_ID)
    texts = msgids(fr, 3)
    translate(fr, dict.fromkeys(texts, "traduit"))
    assert sync(indexed.config, indexed.engine).history == 3
    fr.unlink()
    result = sync(indexed.config, indexed.engine)
    assert result.deleted == [indexed.shown("fr", HARBOUR_ID)]
    assert result.history == 3
    causes = [r.cause for r in history_rows(indexed.engine)]
    assert causes.count("catalog-deleted") == 3
    with read_scope(indexed.engine) as session:
        states = session.scalars(
            select(UnitStateRow.state).where(UnitStateRow.language == "fr")
        ).all()
    assert "translated" not in states
    assert sync(indexed.config, indexed.engine).deleted == []


def test_renamed_article_keeps_its_history(indexed: Indexed):
    ja = indexed.catalog("ja", HARBOUR_ID)
    text = msgids(ja, 1)[0]
    translate(ja, {text: "港のストライキ"}, translator="Kei")
    assert sync(indexed.config, indexed.engine).history == 1
    new_id = "wv/900/harbour-strike"
    source = indexed.root / "articles" / f"{HARBOUR_ID}.md"
    source.rename(source.with_name("harbour-strike.md"))
    for code in LANGUAGES:
        indexed.catalog(code, HARBOUR_ID).rename(indexed.catalog(code, new_id))
    (indexed.root / "locales" / "templates" / f"{HARBOUR_ID}.pot").unlink()
    assert ingest(indexed.config, indexed.engine).ok
    result = sync(indexed.config, indexed.engine)
    assert result.renamed_articles == [(HARBOUR_ID, new_id)]
    state = index_state(indexed.engine)
    assert [a for a, _, _ in state["articles"]] == [SEED_ID, new_id]
    edit = (
        (new_id, text),
        "ja",
        "translator",
        "untranslated",
        "translated",
        "",
        "港のストライキ",
        "Kei",
    )
    assert state["history"][edit] == 1  # recorded under the old id, kept under the new
    assert ((new_id, text), "ja", "translated", "港のストライキ", False) in state["states"]


def test_missing_article_is_noticed_and_its_catalogs_are_left_alone(
    indexed: Indexed, parses: Calls
):
    (indexed.root / "articles" / f"{HARBOUR_ID}.md").unlink()
    de = indexed.catalog("de", HARBOUR_ID)
    translate(de, {msgids(de, 1)[0]: "Hafenstreik"})
    result = sync(indexed.config, indexed.engine)
    assert result.missing_articles == [HARBOUR_ID]
    assert parses.count == 0
    with read_scope(indexed.engine) as session:
        present = {
            a: p for a, p in session.execute(select(ArticleRow.article_id, ArticleRow.present))
        }
    assert present == {SEED_ID: True, HARBOUR_ID: False}
    with counting_writes(indexed.engine) as writes:
        assert sync(indexed.config, indexed.engine).missing_articles == []
    assert writes == []


def test_broken_catalog_is_reported_and_the_others_are_indexed(indexed: Indexed):
    de, fr = indexed.catalog("de"), indexed.catalog("fr")
    translate(fr, {msgids(fr, 1)[0]: "Premier"})
    de.write_bytes(de.read_bytes().replace(b'msgid "', b'msgid "\\q', 1))
    result = sync(indexed.config, indexed.engine)
    assert [str(e).split(":")[0] for e in result.errors] == [indexed.shown("de")]
    assert result.history == 1
    again = sync(indexed.config, indexed.engine)
    assert len(again.errors) == 1 and again.history == 0  # still broken, still reported


def test_catalog_of_an_article_not_ingested_waits_for_ingest(indexed: Indexed, reads: Calls):
    stray = indexed.catalog("de", "wv/1/not-ingested")
    stray.parent.mkdir(parents=True)
    shutil.copy(indexed.catalog("de"), stray)
    first = sync(indexed.config, indexed.engine)
    second = sync(indexed.config, indexed.engine)
    assert (first.waiting, second.waiting) == (1, 1)
    assert reads.count == 0


def test_sync_restamps_templates_with_new_mtimes_and_leaves_their_changes_to_ingest(
    indexed: Indexed, parses: Calls
):
    """After a fresh clone every file has a new mtime: sync gives each template whose bytes
    are unchanged its new stamp, so that check does not hash them again, and neither
    parses a template, nor takes in a changed one, nor forgets a deleted one."""
    from i18n_pipeline.store import index

    templates = sorted((indexed.root / "locales" / "templates").rglob("*.pot"))
    assert len(templates) == 2
    for path in templates:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 7_000_000_000))
    changed, deleted = templates
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")

    def stamps() -> set[str]:
        with read_scope(indexed.engine) as session:
            return index.stamp_keys(session, ["templates"])

    before = stamps()
    deleted_bytes = deleted.read_bytes()
    st = deleted.stat()
    result = sync(indexed.config, indexed.engine)
    assert result.ok and result.history == 0 and parsed_paths(parses) == []
    shown = deleted.relative_to(indexed.root).as_posix()
    assert f"{shown}\t{st.st_size}\t{st.st_mtime_ns}" in stamps()  # re-stamped
    kept = {key for key in before if key.startswith(changed.relative_to(indexed.root).as_posix())}
    assert kept and kept <= stamps()  # a changed template keeps the stamp ingest gave it
    deleted.unlink()
    assert sync(indexed.config, indexed.engine).deleted == []
    assert any(key.startswith(shown) for key in stamps())  # still ingest's to forget
    deleted.write_bytes(deleted_bytes)
