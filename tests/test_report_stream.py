"""The JSON report written as it is read (report/stream.py) against the report built whole
(compute_coverage → coverage_json → render_json), and the section counts it reads
against the unit states they sum: after edits, filters, a migration and on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from projects import config_of
from sqlalchemy import select
from test_coverage import catalog, edit_catalog, make_coverage_project

from i18n_pipeline.config import Config
from i18n_pipeline.pipeline import ingest
from i18n_pipeline.report.coverage import (
    ReportOptions,
    article_counts,
    compute_coverage,
    coverage_json,
)
from i18n_pipeline.report.render import render_json
from i18n_pipeline.report.stream import coverage_json_pieces
from i18n_pipeline.store import db
from i18n_pipeline.store.db import make_engine, read_scope
from i18n_pipeline.store.models import SectionCountRow, SectionRow
from i18n_pipeline.sync import sync

OPTIONS = [
    ReportOptions(),
    ReportOptions(languages=("fr",)),
    ReportOptions(languages=("ja", "de")),
    ReportOptions(article="wv/*"),
    ReportOptions(article="nothing/*"),
    ReportOptions(publication="Spartacist"),
    ReportOptions(since="2008-01-01"),
]


@pytest.fixture(params=["one process", "two processes"], autouse=True)
def report_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with the report written by one process, then by two (a second
    process writes the second half of the articles, as on a large archive)."""
    if request.param == "two processes":
        monkeypatch.setattr("i18n_pipeline.report.stream.PARALLEL_ARTICLES", 2)
    return str(request.param)


def whole(config: Config, engine: object, options: ReportOptions) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        render_json(coverage_json(compute_coverage(config, engine, options)))  # type: ignore[arg-type]
    )
    return data


def streamed(config: Config, engine: object, options: ReportOptions) -> str:
    pieces = coverage_json_pieces(config, engine, options)  # type: ignore[arg-type]
    return "".join(p.decode("utf-8") if isinstance(p, bytes) else p for p in pieces)


def same_text(config: Config, engine: object, options: ReportOptions) -> None:
    expected = render_json(coverage_json(compute_coverage(config, engine, options)))  # type: ignore[arg-type]
    got = streamed(config, engine, options)
    # Only the time of generation may differ (a second may pass between the two).
    strip = [line for line in expected.splitlines() if '"generated_at"' not in line]
    assert [line for line in got.splitlines() if '"generated_at"' not in line] == strip


def section_counts(engine: object) -> set[tuple[object, ...]]:
    with read_scope(engine) as session:  # type: ignore[arg-type]
        counts = {tuple(row) for row in session.execute(select(SectionCountRow.__table__))}
        sections = {
            (row.article_pk, row.index, row.units, row.words)
            for row in session.execute(select(SectionRow)).scalars().all()
        }
    return counts | {("section", *s) for s in sections}


@pytest.fixture
def edited(tmp_path: Path, db_url: str) -> tuple[Config, object]:
    root = make_coverage_project(tmp_path / "proj", database_url=db_url)
    config = config_of(root)
    engine = make_engine(config.database_url)
    assert ingest(config, engine).ok
    edit_catalog(
        catalog(root, "de", "wv/900/docks"),
        {"Dockers Win Strike": "translated", "Their union held firm.": "fuzzy"},
    )
    edit_catalog(catalog(root, "fr", "wv/900/docks"), {"The fight goes on.": "translated"})
    edit_catalog(catalog(root, "ja", "sp/60/theory"), {"History": "translated"})
    assert sync(config, engine).ok
    # A source edit: the de translation of the edited paragraph becomes outdated.
    edit_catalog(
        catalog(root, "de", "sp/60/theory"), {"Marxism is a guide to action.": "translated"}
    )
    assert sync(config, engine).ok
    path = root / "articles" / "sp/60/theory.md"
    path.write_text(path.read_text("utf-8").replace("guide to action", "guide to acting"), "utf-8")
    assert ingest(config, engine).ok
    yield config, engine
    engine.dispose()  # type: ignore[attr-defined]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: repr(o)[14:60])
def test_streamed_report_is_the_whole_report(
    edited: tuple[Config, object], options: ReportOptions
) -> None:
    config, engine = edited
    same_text(config, engine, options)


def test_article_counts_are_the_reports(edited: tuple[Config, object]) -> None:
    """What snapshots read per article is what the report gives each article."""
    config, engine = edited
    coverage = compute_coverage(config, engine, ReportOptions())  # type: ignore[arg-type]
    expected = {
        (a.id, code): counts for a in coverage.articles for code, counts in a.languages.items()
    }
    assert article_counts(config, engine) == expected  # type: ignore[arg-type]
    assert article_counts(config, engine, {"sp/60/theory"}) == {  # type: ignore[arg-type]
        key: counts for key, counts in expected.items() if key[0] == "sp/60/theory"
    }


def test_streamed_report_has_the_edits(edited: tuple[Config, object]) -> None:
    config, engine = edited
    report = json.loads(streamed(config, engine, ReportOptions()))
    (theory,) = [a for a in report["articles"] if a["id"] == "sp/60/theory"]
    assert theory["languages"]["de"]["outdated"] == 1
    assert theory["languages"]["ja"]["translated"] == 1
    assert report["totals"]["de"]["translated"] == 1
    assert report["totals"]["de"]["fuzzy"] == 2  # a translator's mark and an outdated unit


def test_migration_fills_the_counts_the_index_keeps(edited: tuple[Config, object]) -> None:
    """Down to the schema before section counts and up again: the counts the migration
    computes from the unit states are the ones the index kept up to date as it went."""
    config, engine = edited
    kept = section_counts(engine)
    before = whole(config, engine, ReportOptions())
    db.downgrade(engine, "0001")
    db.upgrade(engine, "head")
    assert section_counts(engine) == kept
    after = whole(config, engine, ReportOptions())
    assert {k: v for k, v in after.items() if k != "generated_at"} == {
        k: v for k, v in before.items() if k != "generated_at"
    }


def test_an_article_with_no_counts_between_others(tmp_path: Path) -> None:
    """Rows of articles the report leaves out are passed over, before and after."""
    root = make_coverage_project(tmp_path / "proj")
    for n in range(5):
        path = root / "articles" / "wv" / "900" / f"extra{n}.md"
        path.write_text(f"# Extra {n}\n\nParagraph {n} of an extra article.\n", "utf-8")
    config = config_of(root)
    engine = make_engine(config.database_url)
    assert ingest(config, engine).ok
    for n in (0, 2, 4):
        path = catalog(root, "de", f"wv/900/extra{n}")
        edit_catalog(path, {f"Paragraph {n} of an extra article.": "translated"})
    assert sync(config, engine).ok
    for options in (
        ReportOptions(),
        ReportOptions(article="wv/900/extra[13]"),
        ReportOptions(article="wv/900/extra[024]"),
        ReportOptions(article="wv/900/extra2"),
    ):
        same_text(config, engine, options)
    engine.dispose()


def counted_again(engine: object) -> set[tuple[object, ...]]:
    """The section counts as a full recount from the unit states gives them (rolled back)."""
    from sqlalchemy.orm import Session

    from i18n_pipeline.store import index
    from i18n_pipeline.store.models import ArticleRow

    with Session(engine) as session:  # type: ignore[call-overload]
        index.recount(session, session.scalars(select(ArticleRow.id)).all())
        session.flush()
        counts = {tuple(row) for row in session.execute(select(SectionCountRow.__table__))}
        sections = {
            (row.article_pk, row.index, row.units, row.words)
            for row in session.scalars(select(SectionRow))
        }
        session.rollback()
    return counts | {("section", *s) for s in sections}


def test_counts_follow_deleted_catalogs_renames_and_removed_units(
    edited: tuple[Config, object],
) -> None:
    config, engine = edited
    root = config.root
    assert section_counts(engine) == counted_again(engine)
    catalog(root, "fr", "wv/900/docks").unlink()  # its units are untranslated again
    assert sync(config, engine).ok
    assert section_counts(engine) == counted_again(engine)
    report = json.loads(streamed(config, engine, ReportOptions()))
    assert report["totals"]["fr"]["translated"] == 0
    # A paragraph removed: its unit goes inactive, its states obsolete.
    path = root / "articles" / "wv/900/docks.md"
    path.write_text(path.read_text("utf-8").replace("Their union held firm.\n", ""), "utf-8")
    assert ingest(config, engine).ok
    assert section_counts(engine) == counted_again(engine)
    # A rename: the article's rows fold into its new id.
    path.rename(root / "articles" / "wv/900/dockers.md")
    assert ingest(config, engine).ok
    assert sync(config, engine).ok
    assert section_counts(engine) == counted_again(engine)
    same_text(config, engine, ReportOptions())
