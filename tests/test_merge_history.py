"""Source edits through ingest: every catalog, the template and the index move together, the
index keeps each unit's identity and records each state change with its cause."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from merge_support import translations
from projects import SEED_ID, config_of, msgfmt_check
from sqlalchemy import select

from i18n_pipeline.cli import main
from i18n_pipeline.files import atomic_write
from i18n_pipeline.layout import discover_sources
from i18n_pipeline.pipeline import RunResult, _apply_plan, ingest, plan_article
from i18n_pipeline.po.catalog import Catalog
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.po.render import render_po
from i18n_pipeline.store.db import make_engine, session_scope
from i18n_pipeline.store.models import HistoryRow, UnitRow, UnitStateRow

LANGUAGES = ("de", "fr", "ja")
CHANGED = "Baldwin was a contradictory figure."
CHANGED_TO = "Baldwin was a deeply contradictory figure."
DELETED = "Also excluded from AI’s umbrella"
MOVED = "The Cheka Weekly was closed down"
NEW_SECTION = "Soviet Dissidents and Trotskyist Defensism"


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def article(root: Path) -> Path:
    return root / "articles" / f"{SEED_ID}.txt"


def catalog(root: Path, code: str) -> Catalog:
    return parse_po((root / "locales" / code / f"{SEED_ID}.po").read_bytes())


def translate_everything(root: Path) -> None:
    """Every unit translated in every language, as translators would save it."""
    for code in LANGUAGES:
        path = root / "locales" / code / f"{SEED_ID}.po"
        po = parse_po(path.read_bytes())
        for i, entry in enumerate(po.entries):
            entry.msgstr = f"{code}-{i}: {entry.msgid[:30]}"
        path.write_text(render_po(po), "utf-8")


def edit_article(root: Path) -> None:
    """The edit of the issue: change a sentence, delete a paragraph, move one."""
    blocks = article(root).read_text("utf-8").split("\n\n")
    blocks = [b.replace(CHANGED, CHANGED_TO) for b in blocks if not b.startswith(DELETED)]
    moved = blocks.pop(next(i for i, b in enumerate(blocks) if b.startswith(MOVED)))
    blocks.insert(next(i for i, b in enumerate(blocks) if b == NEW_SECTION) + 1, moved)
    article(root).write_text("\n\n".join(blocks), "utf-8")


def entry(po: Catalog, start: str, *, obsolete: bool = False):
    (found,) = [e for e in po.entries if e.msgid.startswith(start) and e.obsolete == obsolete]
    return found


def units(root: Path) -> dict[str, UnitRow]:
    with session_scope(make_engine(config_of(root).database_url)) as session:
        return {u.msgid: u for u in session.scalars(select(UnitRow))}


def history(root: Path, language: str = "de") -> list[HistoryRow]:
    with session_scope(make_engine(config_of(root).database_url)) as session:
        return list(
            session.scalars(
                select(HistoryRow).where(HistoryRow.language == language).order_by(HistoryRow.id)
            )
        )


def unit_id(root: Path, start: str) -> int:
    (found,) = [u.id for text, u in units(root).items() if text.startswith(start)]
    return found


@pytest.fixture
def translated(project: Path) -> Path:
    """The project after a run, full translations and a sync."""
    assert run_cli("run").exit_code == 0
    translate_everything(project)
    assert run_cli("sync").exit_code == 0
    return project


def test_source_edit_makes_fuzzy_and_obsolete_in_every_catalog_and_loses_nothing(translated):
    before = {code: translations(catalog(translated, code)) for code in LANGUAGES}
    edit_article(translated)
    result = run_cli("run")
    assert result.exit_code == 0, result.output
    for code in LANGUAGES:
        po = catalog(translated, code)
        changed = entry(po, "Baldwin was a deeply")
        assert changed.state == "fuzzy" and changed.previous_msgid.startswith(CHANGED)
        assert changed.msgstr.startswith(f"{code}-")
        assert entry(po, DELETED, obsolete=True).msgstr
        moved = entry(po, MOVED)
        assert moved.state == "translated"
        assert moved.extracted_comments[0] == f"Section 1: {NEW_SECTION}"
        assert [e.state for e in po.active()].count("fuzzy") == 1
        assert before[code] <= translations(po), code
        assert msgfmt_check(translated / "locales" / code / f"{SEED_ID}.po") == ""
    report = json.loads(run_cli("report", "--format", "json").output)
    (art,) = report["articles"]
    assert art["units"] == 50
    for code in LANGUAGES:
        counts = art["languages"][code]
        assert (counts["translated"], counts["fuzzy"], counts["untranslated"]) == (49, 1, 0)


def test_units_keep_their_identity_and_each_change_has_a_cause(translated):
    ids = {start: unit_id(translated, start) for start in (CHANGED, DELETED, MOVED)}
    edit_article(translated)
    assert run_cli("run").exit_code == 0
    assert unit_id(translated, "Baldwin was a deeply") == ids[CHANGED]
    assert unit_id(translated, MOVED) == ids[MOVED]
    rows = units(translated)
    assert not next(u for t, u in rows.items() if t.startswith(DELETED)).active

    changes = {
        (r.unit_pk, r.cause, r.old_state, r.new_state)
        for r in history(translated)
        if r.cause != "translator"
    }
    assert changes == {
        (ids[CHANGED], "source-edit", "translated", "fuzzy"),
        (ids[DELETED], "source-edit", "translated", "obsolete"),
    }
    (edit,) = [
        r for r in history(translated) if r.unit_pk == ids[CHANGED] and r.cause != "translator"
    ]
    assert edit.old_msgid.startswith(CHANGED) and edit.at is not None

    # The paragraph comes back: revived, same unit, translated as before.
    text = article(translated).read_text("utf-8")
    seed = (Path(__file__).parent / "fixtures" / "seed" / "amnesty2.txt").read_text("utf-8")
    deleted = next(b for b in seed.split("\n\n") if b.startswith(DELETED))
    article(translated).write_text(
        text.replace(f"\n\n{MOVED}", f"\n\n{deleted}\n\n{MOVED}", 1), "utf-8"
    )
    assert run_cli("run").exit_code == 0
    assert entry(catalog(translated, "de"), DELETED).state == "translated"
    assert unit_id(translated, DELETED) == ids[DELETED]
    revived = [r for r in history(translated) if r.cause == "revived"]
    assert [(r.unit_pk, r.old_state, r.new_state) for r in revived] == [
        (ids[DELETED], "obsolete", "translated")
    ]


def test_translator_edits_found_by_sync_are_theirs(translated):
    rows = history(translated, "fr")
    assert {(r.cause, r.old_state, r.new_state) for r in rows} == {
        ("translator", "untranslated", "translated")
    }
    assert len(rows) == len({r.unit_pk for r in rows}) == 51


def test_identity_survives_a_run_that_wrote_the_template_but_died(translated):
    """The template is on disk, the index was never told: edits are still matched."""
    old_id = unit_id(translated, CHANGED)
    edit_article(translated)
    config = config_of(translated)
    (source,) = discover_sources(config)
    plan = plan_article(config, source)
    assert plan.template_write is not None
    atomic_write(plan.template_write.path, plan.template_write.data)
    ingest(config, make_engine(config.database_url))
    assert unit_id(translated, "Baldwin was a deeply") == old_id


def test_a_refused_template_leaves_files_and_index_as_they_were(translated):
    config = config_of(translated)
    engine = make_engine(config.database_url)
    edit_article(translated)
    (source,) = discover_sources(config)
    plan = plan_article(config, source)
    pot = translated / "locales" / "templates" / f"{SEED_ID}.pot"
    pot.write_bytes(pot.read_bytes() + b"\n")  # someone else's save, between read and write
    catalogs = {code: catalog(translated, code) for code in LANGUAGES}
    before = {text: u.active for text, u in units(translated).items()}

    result = RunResult()
    _apply_plan(config, engine, plan, result)

    assert [str(e) for e in result.errors] == [
        f"locales/templates/{SEED_ID}.pot: changed on disk while this run was working; "
        "left as it is for the next run"
    ]
    assert {code: catalog(translated, code) for code in LANGUAGES} == catalogs
    assert {text: u.active for text, u in units(translated).items()} == before
    with session_scope(engine) as session:
        assert not list(session.scalars(select(UnitStateRow).where(UnitStateRow.state == "fuzzy")))
