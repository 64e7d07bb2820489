"""Coverage snapshots taken at each sync, the trend series drawn from them, and the change
in coverage since a date, on a tmp project through ingest and sync."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from test_coverage import catalog, edit_catalog, make_coverage_project, run_cli

from i18n_pipeline import snapshots
from i18n_pipeline.config import Config, Wants
from i18n_pipeline.errors import InputError
from i18n_pipeline.pipeline import ingest
from i18n_pipeline.report.coverage import (
    ReportOptions,
    article_counts,
    compute_coverage,
    coverage_json,
)
from i18n_pipeline.store import index
from i18n_pipeline.store.db import make_engine, session_scope
from i18n_pipeline.store.models import SnapshotRow, UnitRow
from i18n_pipeline.sync import sync

DOCKS = "wv/900/docks"
THEORY = "sp/60/theory"


class Clock:
    """The instants the index and its snapshots are stamped with: from 1 November 2026,
    a day at a time."""

    def __init__(self) -> None:
        self.at = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.at += timedelta(microseconds=1)  # each stamp after the one before
        return self.at

    def next_day(self) -> None:
        self.at += timedelta(days=1)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(snapshots, "now", clock)
    monkeypatch.setattr(index, "now", clock)
    return clock


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> Iterator[tuple[Config, Engine]]:
    """The coverage project on SQLite and on PostgreSQL, which gives instants with a zone."""
    from projects import config_of

    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    root = make_coverage_project(tmp_path / "proj", database_url=db_url)
    monkeypatch.chdir(root)
    config = config_of(root)
    engine = make_engine(config.database_url)
    yield config, engine
    engine.dispose()


def rows(engine: Engine) -> list[tuple[str, str, str, int, int]]:
    """(day, article, language, translated words, words) of every snapshot, in order."""
    with session_scope(engine) as session:
        found = session.scalars(select(SnapshotRow).order_by(SnapshotRow.id))
        return [
            (r.at.strftime("%m-%d"), r.article_id, r.language, r.translated_words, r.words)
            for r in found
        ]


def translate(config: Config, language: str, article_id: str, *msgids: str) -> None:
    edit_catalog(catalog(config.root, language, article_id), dict.fromkeys(msgids, "translated"))


def test_each_sync_records_what_moved_and_only_that(
    project: tuple[Config, Engine], clock: Clock
) -> None:
    config, engine = project
    assert ingest(config, engine).ok
    assert sync(config, engine).ok
    first = [
        ("11-01", THEORY, "de", 0, 13),
        ("11-01", THEORY, "ja", 0, 13),
        ("11-01", DOCKS, "de", 0, 25),
        ("11-01", DOCKS, "fr", 0, 25),
    ]
    assert rows(engine) == first  # one row per article and language that wants it

    clock.next_day()
    assert sync(config, engine).ok
    assert rows(engine) == first  # nothing changed, nothing written

    clock.next_day()
    translate(config, "de", DOCKS, "The dockers won their strike.", "The fight goes on.")
    assert sync(config, engine).ok
    second = [("11-03", DOCKS, "de", 9, 25)]
    assert rows(engine) == first + second

    # A source edit made by ingest shows at the next sync: the edited unit is now fuzzy.
    clock.next_day()
    source = config.root / "articles" / "wv" / "900" / "docks.md"
    source.write_text(source.read_text("utf-8").replace("won their", "won all their"), "utf-8")
    assert ingest(config, engine).ok
    assert sync(config, engine).ok
    third = [("11-04", DOCKS, "de", 4, 26), ("11-04", DOCKS, "fr", 0, 26)]
    assert rows(engine) == first + second + third

    # An article that is gone is recorded at zero, once.
    clock.next_day()
    (config.root / "articles" / "sp" / "60" / "theory.md").unlink()
    assert ingest(config, engine).ok
    assert sync(config, engine).ok
    clock.next_day()
    assert sync(config, engine).ok
    gone = [("11-05", THEORY, "de", 0, 0), ("11-05", THEORY, "ja", 0, 0)]
    assert rows(engine) == first + second + third + gone


def test_only_what_may_have_moved_is_recomputed(
    project: tuple[Config, Engine], clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, engine = project
    recomputed: list[set[str] | None] = []

    def spy(config: Config, engine: Engine, only: Collection[str] | None = None) -> Any:
        recomputed.append(None if only is None else set(only))
        return article_counts(config, engine, only)

    monkeypatch.setattr(snapshots, "article_counts", spy)
    assert ingest(config, engine).ok
    assert sync(config, engine).ok
    assert recomputed == [None]  # the first snapshot: everything
    clock.next_day()
    assert sync(config, engine).ok
    assert recomputed == [None]  # nothing moved: nothing recomputed
    clock.next_day()
    translate(config, "fr", DOCKS, "The fight goes on.")
    assert sync(config, engine).ok
    assert recomputed[1:] == [{DOCKS}]
    assert rows(engine)[-1] == ("11-03", DOCKS, "fr", 4, 25)

    # The translation memory fills a catalog and the index at once; the next sync reads
    # the catalog, finds nothing new to apply, and still takes the snapshot.
    clock.next_day()
    de = catalog(config.root, "de", THEORY)
    edit_catalog(de, {"History": "translated"})
    with session_scope(engine) as session:
        unit = session.scalar(select(UnitRow).where(UnitRow.msgid == "History"))
        assert unit is not None
        index.apply_states(
            session,
            language="de",
            units={"History": unit},
            states={"History": index.UnitState("translated", "«History»")},
            cause="tm",
        )
    assert sync(config, engine).ok
    assert recomputed[2:] == [{THEORY}]
    assert rows(engine)[-1] == ("11-04", THEORY, "de", 1, 13)

    # A language that now wants an article it did not: its pair appears; one that no
    # longer wants one: its pair is recorded as gone.
    clock.next_day()
    wider = replace(config, wants={"fr": Wants(), "ja": Wants(tags=("nothing",))})
    assert sync(wider, engine).ok
    assert recomputed[3:] == [{THEORY}]
    assert rows(engine)[-2:] == [("11-05", THEORY, "fr", 0, 13), ("11-05", THEORY, "ja", 0, 0)]


@pytest.fixture
def history(project: tuple[Config, Engine], clock: Clock) -> tuple[Config, Engine]:
    """Four syncs: 1 Nov nothing; 2 Nov de 9 of 25 docks words; 3 Nov de 4 words of theory
    and ja 5; 4 Nov fr 12 of 25."""
    config, engine = project
    assert ingest(config, engine).ok
    assert sync(config, engine).ok
    clock.next_day()
    translate(config, "de", DOCKS, "The dockers won their strike.", "The fight goes on.")
    assert sync(config, engine).ok
    clock.next_day()
    translate(config, "de", THEORY, "History moves in struggle.")
    translate(config, "ja", THEORY, "History", "History moves in struggle.")
    assert sync(config, engine).ok
    clock.next_day()
    translate(config, "fr", DOCKS, "Dockers Win Strike", "The dockers won their strike.",
              "Their union held firm.")  # fmt: skip
    assert sync(config, engine).ok
    return config, engine


def test_trend_series_per_language(history: tuple[Config, Engine]) -> None:
    _, engine = history
    trend = snapshots.trends(engine, languages=["de", "fr"])
    assert trend["since"] is None
    assert trend["series"] == {
        "de": [
            {"at": "2026-11-01T12:00:00Z", "percent": 0.0, "translated_words": 0, "words": 38},
            {"at": "2026-11-02T12:00:00Z", "percent": 23.7, "translated_words": 9, "words": 38},
            {"at": "2026-11-03T12:00:00Z", "percent": 34.2, "translated_words": 13, "words": 38},
        ],
        "fr": [
            {"at": "2026-11-01T12:00:00Z", "percent": 0.0, "translated_words": 0, "words": 25},
            {"at": "2026-11-04T12:00:00Z", "percent": 48.0, "translated_words": 12, "words": 25},
        ],
    }


def test_trend_since_a_date_starts_with_the_coverage_then(history: tuple[Config, Engine]) -> None:
    _, engine = history
    trend = snapshots.trends(engine, since="2026-11-03", languages=["de"], articles={THEORY})
    assert trend == {
        "since": "2026-11-03",
        "series": {
            "de": [
                {"at": "2026-11-03T00:00:00Z", "percent": 0.0, "translated_words": 0, "words": 13},
                {"at": "2026-11-03T12:00:00Z", "percent": 30.8, "translated_words": 4, "words": 13},
            ]
        },
    }
    later = snapshots.trends(engine, since="2027-01-01", languages=["fr"])
    assert later["series"] == {
        "fr": [{"at": "2027-01-01T00:00:00Z", "percent": 48.0, "translated_words": 12, "words": 25}]
    }
    assert snapshots.trends(engine, since="2026-10-01")["series"]["ja"][0]["at"] == (
        "2026-11-01T12:00:00Z"
    )  # nothing before the first snapshot: no point at the start date


def test_change_since_a_date(history: tuple[Config, Engine]) -> None:
    config, engine = history
    coverage = compute_coverage(config, engine, ReportOptions())
    change = coverage_json(snapshots.coverage_change(engine, coverage, "2026-11-03"))["change"]
    assert change["since"] == "2026-11-03"
    de = change["languages"]["de"]
    assert de["then"] == {
        "units": 11, "translated": 2, "fuzzy": 0, "untranslated": 9, "words": 38,
        "translated_words": 9, "fuzzy_words": 0, "untranslated_words": 29, "percent": 23.7,
    }  # fmt: skip
    assert (de["translated"], de["translated_words"], de["untranslated_words"], de["words"]) == (
        1, 4, -4, 0,
    )  # fmt: skip
    assert de["percent"] == 10.5  # 34.2 now, 23.7 then
    assert (change["languages"]["fr"]["percent"], change["languages"]["ja"]["percent"]) == (
        48.0, 38.5,
    )  # fmt: skip

    before_any = snapshots.coverage_change(engine, coverage, "2026-10")
    assert before_any.change is not None
    fr = before_any.change.languages["fr"]
    assert fr.then is None and fr.percent == 48.0  # from nothing recorded

    # Only the report's articles count, then as now.
    theory_only = compute_coverage(config, engine, ReportOptions(publication="sp"))
    de_theory = snapshots.coverage_change(engine, theory_only, "2026-11-03").change
    assert de_theory is not None
    then = de_theory.languages["de"].then
    assert then is not None and (then.translated_words, then.words) == (0, 13)
    assert de_theory.languages["fr"].then is None  # fr wants none of it


def test_change_through_the_cli(history: tuple[Config, Engine]) -> None:
    result = run_cli("report", "--format", "json", "--change-since", "2026-11-03")
    assert result.exit_code == 0, result.output
    change = json.loads(result.output)["change"]
    assert {code: c["percent"] for code, c in change["languages"].items()} == {
        "de": 10.5, "fr": 48.0, "ja": 38.5,
    }  # fmt: skip
    assert "change" not in json.loads(run_cli("report", "--format", "json").output)

    table = run_cli("report", "--by", "language", "--change-since", "2026-11-03").output
    assert "Δ since" in table and "2026-11-03" in table
    rows = [line.split() for line in table.splitlines()]
    assert [row[-1] for row in rows if row and row[0] in ("Deutsch", "Français")] == [
        "+10.5", "+48.0",
    ]  # fmt: skip
    grid = run_cli("report", "--change-since", "2026-11-03").output
    assert "Δ since 2026-11-03" in grid
    markdown = run_cli("report", "--format", "markdown", "--change-since", "2026-11-03").output
    assert "| **Δ since 2026-11-03** (points) |  | +10.5 | +48.0 | +38.5 |" in markdown

    # --since filters articles by date and is the date of the change unless told otherwise.
    since = json.loads(run_cli("report", "--format", "json", "--since", "2008").output)
    assert [a["id"] for a in since["articles"]] == [DOCKS]
    assert since["change"]["since"] == "2008"
    assert since["change"]["languages"]["de"]["then"] is None  # before any snapshot
    assert since["change"]["languages"]["de"]["percent"] == 36.0  # docks only: 9 of 25


def test_html_draws_the_trend_since_the_date(history: tuple[Config, Engine]) -> None:
    result = run_cli("report", "--format", "html", "--change-since", "2026-11-03", "--lang", "de")
    assert result.exit_code == 0
    page = result.output
    assert "Trend since 2026-11-03" in page
    assert 'data-lang="de"><polyline points=' in page
    assert "<title>Deutsch 2026-11-03T00:00:00Z: 23.7% (9 of 38 words)</title>" in page
    assert 'data-change="+10.5"' in page


def test_bad_dates_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(make_coverage_project(tmp_path / "proj"))
    for value in ("yesterday", "2026-13-01", "2026-02-30", "26-11-01"):
        result = run_cli("report", "--change-since", value)
        assert result.exit_code == 2
        assert result.output == (
            f"error: --change-since: expected a date like 2024-01-31, not '{value}'\n"
        )
        with pytest.raises(InputError):
            snapshots.start_of(value)
    assert snapshots.start_of("2026-02") == datetime(2026, 2, 1, tzinfo=UTC)
