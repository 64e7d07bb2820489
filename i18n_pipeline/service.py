"""Whole-project operations the CLI calls in one step: rendering reports, rebuilding."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from i18n_pipeline.config import Config
from i18n_pipeline.report.coverage import ReportOptions
from i18n_pipeline.store import db as store

if TYPE_CHECKING:
    from i18n_pipeline.pipeline import RunResult


def render_report(
    config: Config,
    engine: Engine,
    options: ReportOptions,
    *,
    fmt: str,
    by: str = "article",
    color: bool = False,
    width: int = 120,
) -> str:
    """The coverage report in ``fmt`` (table, json, csv, markdown or html); ``width`` is the
    table's width in columns."""
    pieces = report_pieces(config, engine, options, fmt=fmt, by=by, color=color, width=width)
    return "".join(p.decode("utf-8") if isinstance(p, bytes) else p for p in pieces)


def report_pieces(
    config: Config,
    engine: Engine,
    options: ReportOptions,
    *,
    fmt: str,
    by: str = "article",
    color: bool = False,
    width: int = 120,
) -> Iterable[str | bytes]:
    """:func:`render_report` in pieces to write one after the other, text or UTF-8 bytes:
    the JSON report of a large archive is never held whole."""
    store.ensure_schema(engine)
    if fmt == "json" and not options.change_since:
        from i18n_pipeline.report.stream import coverage_json_pieces

        return coverage_json_pieces(config, engine, options)
    return [_render(config, engine, options, fmt=fmt, by=by, color=color, width=width)]


def _render(
    config: Config,
    engine: Engine,
    options: ReportOptions,
    *,
    fmt: str,
    by: str,
    color: bool,
    width: int,
) -> str:
    from i18n_pipeline import snapshots
    from i18n_pipeline.report.coverage import compute_coverage, coverage_json

    coverage = compute_coverage(config, engine, options)
    if options.change_since:
        coverage = snapshots.coverage_change(engine, coverage, options.change_since)
    data = coverage_json(coverage)
    if fmt in ("json", "csv"):
        from i18n_pipeline.report.render import render_csv, render_json

        return render_json(data) if fmt == "json" else render_csv(data)
    if fmt == "markdown":
        from i18n_pipeline.report.render_markdown import render_markdown

        return render_markdown(data, by=by)
    if fmt == "html":
        from i18n_pipeline.report.render_html import HTML_GROUPINGS, render_html

        history = snapshots.trends(
            engine,
            since=options.change_since,
            languages=options.languages or config.codes,
            articles={a.id for a in coverage.articles},
        )
        return render_html(data, trends=history, by=by if by in HTML_GROUPINGS else "article")
    from i18n_pipeline.report.render_table import render_table

    return render_table(data, by=by, color=color, width=width)


def rebuild(config: Config, engine: Engine) -> RunResult:
    """Drop the index and build it again from the files alone: articles and catalogs.

    The history, the coverage snapshots and imported translation memory are lost by
    design; no translation is, since the catalogs hold them. On PostgreSQL the run lock is
    held throughout, so a sync from another checkout waits for the new index.
    """
    from i18n_pipeline.pipeline import ingest
    from i18n_pipeline.sync import sync

    with store.exclusive_run(engine):
        store.drop_schema(engine)
        result = ingest(config, engine)
        synced = sync(config, engine)
    result.errors.extend(synced.errors)
    return result
