"""Whole-project operations the CLI calls in one step: rendering reports, rebuilding."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from i18n_pipeline.config import Config
from i18n_pipeline.report.coverage import ReportOptions
from i18n_pipeline.store import db as store

if TYPE_CHECKING:
    from i18n_pipeline.files import TreeWrite
    from i18n_pipeline.pipeline import RunResult
    from i18n_pipeline.report.activity import ActivityOptions
    from i18n_pipeline.report.coverage import Coverage
    from i18n_pipeline.report.site import Site


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
    activity: ActivityOptions | None = None,
) -> Iterable[str | bytes]:
    """:func:`render_report` in pieces to write one after the other, text or UTF-8 bytes:
    the JSON report of a large archive is never held whole. ``by="translator"`` gives the
    team's activity (``activity`` says how) instead of the coverage."""
    store.ensure_schema(engine)
    if by == "translator":
        return [_render_activity(config, engine, options, fmt, activity, width)]
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


def activity_report(
    config: Config,
    engine: Engine,
    options: ReportOptions,
    activity: ActivityOptions | None = None,
    coverage: Coverage | None = None,
) -> dict[str, Any]:
    """The ``--by translator`` object: the translators' changes to the report's articles,
    dated by the catalogs' headers, and each language's pace (``coverage`` if computed)."""
    from i18n_pipeline.report.activity import (
        ActivityOptions,
        activity_json,
        dated,
        read_activity,
        target_of,
    )
    from i18n_pipeline.report.coverage import compute_coverage

    if coverage is None:
        coverage = compute_coverage(config, engine, options)
    codes = [lang.code for lang in coverage.languages]
    changes, headers = read_activity(config, engine, codes, {a.id for a in coverage.articles})
    return activity_json(
        dated(changes, headers),
        languages=coverage.languages,
        totals=coverage.totals,
        targets={code: target_of(config, code) for code in codes},
        options=activity or ActivityOptions(),
    )


def _render_activity(
    config: Config,
    engine: Engine,
    options: ReportOptions,
    fmt: str,
    activity: ActivityOptions | None,
    width: int,
) -> str:
    from i18n_pipeline.report import activity as act

    data = activity_report(config, engine, options, activity)
    if fmt == "json":
        return act.render_activity_json(data)
    if fmt == "csv":
        return act.render_activity_csv(data)
    if fmt == "markdown":
        return act.render_activity_markdown(data)
    if fmt == "html":
        languages = tuple(config.language(c) for c in (options.languages or config.codes))
        return act.render_activity_html(data, languages)
    return act.render_activity_table(data, width=width)


def dashboard_site(
    config: Config,
    engine: Engine,
    options: ReportOptions,
    activity: ActivityOptions | None = None,
) -> Site:
    """The dashboard's values: coverage, publications, trends per page, team activity."""
    from i18n_pipeline.report.coverage import compute_coverage
    from i18n_pipeline.report.published import read_published
    from i18n_pipeline.report.site import build_site
    from i18n_pipeline.snapshots import snapshot_points

    store.ensure_schema(engine)
    coverage = compute_coverage(config, engine, options)
    codes = [lang.code for lang in coverage.languages]
    articles = {a.id for a in coverage.articles}
    return build_site(
        coverage,
        publication_codes=config.site.publications,
        published=read_published(engine, codes),
        snapshots=(p for p in snapshot_points(engine, codes) if p[1] in articles),
        since=options.change_since,
        activity=activity_report(config, engine, options, activity, coverage),
    )


def write_dashboard(
    config: Config,
    engine: Engine,
    options: ReportOptions,
    folder: Path,
    activity: ActivityOptions | None = None,
) -> TreeWrite:
    """Write the dashboard site into ``folder``: only the pages whose text changed."""
    from i18n_pipeline.files import write_tree
    from i18n_pipeline.report.render_site import site_pages

    return write_tree(folder, site_pages(dashboard_site(config, engine, options, activity)))


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
