"""The coverage report as one self-contained HTML page: a dashboard for coordinators.

The page needs no network: its CSS and script (``templates/dashboard.css`` and
``dashboard.js``) are inlined, and the trend chart is inline SVG. Every text from the report
is escaped. Without script the page shows everything; the script adds the language filter,
sorting and the folding of articles into their sections.

Heatmap cells carry their number for tools and tests::

    <td class="cell b3" data-lang="de" data-article="wv/863/amnesty2" data-percent="39.5" …>
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from i18n_pipeline.model import Language
from i18n_pipeline.report.render import (
    Cell,
    ChangeView,
    GridRow,
    ReportView,
    check_grouping,
    format_percent,
    grid_rows,
    read_report,
    sum_cells,
)

#: Groupings of the heatmap's rows that ``render_html`` accepts for ``by``.
HTML_GROUPINGS = ("article", "issue")

#: Line colours of the trend chart, one per language in the report's order.
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#79706e", "#17becf", "#bcbd22",
)  # fmt: skip

# The trend chart's drawing area inside its viewBox.
_CHART_WIDTH, _CHART_HEIGHT = 760, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 16, 12, 28


def render_html(
    report: Mapping[str, Any], *, trends: Mapping[str, Any] | None = None, by: str = "article"
) -> str:
    """The dashboard page. ``trends`` is ``{"since": date, "series": {lang: [point, …]}}``
    with points ``{"at", "percent", "translated_words", "words"}``; ``by`` is article or issue.
    """
    check_grouping(by, HTML_GROUPINGS)
    coverage = read_report(report)
    title = f"Translation coverage · {coverage.generated_at}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>\n{_asset('dashboard.css')}</style>",
        "</head>",
        "<body>",
        _header(coverage),
        "<main>",
        _controls(coverage),
        _totals(coverage),
        trend_section(coverage.languages, trends),
        _heatmap(coverage, by),
        "</main>",
        _footer(coverage),
        f"<script>\n{_asset('dashboard.js')}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _asset(name: str) -> str:
    return (resources.files(__package__) / "templates" / name).read_text(encoding="utf-8")


def _e(value: object) -> str:
    """Text or attribute value, escaped."""
    return html.escape(str(value), quote=True)


def _header(coverage: ReportView) -> str:
    words = sum(a.words for a in coverage.articles)
    facts = [
        f"{len(coverage.articles)} articles",
        f"{words:,} source words",
        f"{len(coverage.languages)} languages",
        f"source language {coverage.source_language}",
    ]
    return (
        f'<header><h1>Translation coverage</h1><p class="meta">{_e(" · ".join(facts))}</p></header>'
    )


def _controls(coverage: ReportView) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" name="lang" value="{_e(lang.code)}" checked> '
        f"{_e(lang.label)} <code>{_e(lang.code)}</code></label>"
        for lang in coverage.languages
    )
    return (
        '<section id="controls" aria-label="Filters" hidden data-needs-script>'
        f'<fieldset id="language-filter"><legend>Languages</legend>{boxes}'
        '<button type="button" class="small" data-select="all">All</button>'
        '<button type="button" class="small" data-select="none">None</button></fieldset>'
        '<div><button type="button" class="small" data-expand="all">Open all articles</button> '
        '<button type="button" class="small" data-expand="none">Close all</button></div>'
        "</section>"
    )


def _totals(coverage: ReportView) -> str:
    present = [lang for lang in coverage.languages if lang.code in coverage.totals]
    every = sum_cells(coverage.totals[lang.code] for lang in present)
    change = coverage.change
    rows = "".join(
        _total_row(lang, coverage.totals[lang.code], _change_cell(change, lang.code))
        for lang in present
    )
    change_head = f'<th scope="col" class="num">Δ since {_e(change.since)}</th>' if change else ""
    return (
        '<section id="totals"><h2>By language</h2>'
        '<p class="selected">Selected languages: '
        f'<output id="selected-percent" data-percent="{every.percent:.1f}">'
        f"{format_percent(every.percent)}</output> of source words translated "
        f'(<span id="selected-translated">{every.counts.translated_words:,}</span> of '
        f'<span id="selected-words">{every.counts.words:,}</span>, counted per language)</p>'
        '<table class="totals"><thead><tr><th scope="col">Language</th>'
        '<th scope="col">Translated and <span style="color:var(--fuzzy)">fuzzy</span> words</th>'
        '<th scope="col">%</th><th scope="col" class="num">Words translated</th>'
        '<th scope="col" class="num">Fuzzy units</th>'
        '<th scope="col" class="num">Untranslated units</th>'
        f'<th scope="col" class="num">Outdated units</th>{change_head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def _change_cell(change: ChangeView | None, code: str) -> str:
    """The percentage points gained since the change's date, or nothing without one."""
    if change is None:
        return ""
    words = change.translated_words.get(code, 0)
    tip = f"{words:+,} words translated since {change.since}"
    return (
        f'<td class="num change" data-change="{_e(change.label(code))}" title="{_e(tip)}">'
        f"{_e(change.label(code))}</td>"
    )


def _total_row(lang: Language, cell: Cell, change: str = "") -> str:
    c = cell.counts
    fuzzy = 0.0 if c.words == 0 else round(100 * c.fuzzy_words / c.words, 1)
    label = f"{cell.percent:.1f}% translated, {fuzzy:.1f}% fuzzy"
    return (
        f'<tr class="total" data-lang="{_e(lang.code)}" data-percent="{cell.percent:.1f}" '
        f'data-words="{c.words}" data-translated-words="{c.translated_words}">'
        f'<th scope="row">{_e(lang.label)} <span class="lang-code">{_e(lang.code)}</span></th>'
        f'<td><div class="bar" role="img" aria-label="{_e(label)}">'
        f'<span class="t" style="width:{cell.percent:.1f}%"></span>'
        f'<span class="f" style="width:{fuzzy:.1f}%"></span></div></td>'
        f'<td class="pct">{format_percent(cell.percent)}</td>'
        f'<td class="num">{c.translated_words:,} / {c.words:,}</td>'
        f'<td class="num">{c.fuzzy:,}</td><td class="num">{c.untranslated:,}</td>'
        f'<td class="num">{c.outdated:,}</td>{change}</tr>'
    )


def _heatmap(coverage: ReportView, by: str) -> str:
    languages = coverage.languages
    heads = "".join(
        f'<th scope="col" data-lang="{_e(lang.code)}" title="{_e(lang.label)}">'
        f'<button type="button" data-sort="{_e(lang.code)}">{_e(lang.code)}</button></th>'
        for lang in languages
    )
    total_words = sum(a.words for a in coverage.articles)
    foot = "".join(_cell(coverage.totals.get(lang.code), lang) for lang in languages)
    return (
        '<section id="articles"><h2>Articles</h2>'
        '<p class="hint">Percent of source words translated. Click an article for its sections, '
        "a column header to sort; hover a cell for its counts.</p>"
        '<div class="scroll"><table id="heatmap"><thead><tr>'
        '<th scope="col"><button type="button" data-sort="title">Article</button></th>'
        '<th scope="col" class="num"><button type="button" data-sort="words">Words</button></th>'
        f"{heads}</tr></thead>\n{_bodies(coverage, by)}"
        f'<tfoot><tr class="total-row"><th scope="row">All articles</th>'
        f'<td class="num">{total_words:,}</td>{foot}</tr></tfoot></table></div>'
        f"{scale_legend()}</section>"
    )


def _bodies(coverage: ReportView, by: str) -> str:
    """One ``tbody`` per issue heading, per article (with its sections), per missing run."""
    bodies: list[tuple[str, list[GridRow]]] = []
    for row in grid_rows(coverage, by, sections=True):
        if row.kind != "section" and (row.kind != "missing" or bodies[-1][0] != "missing"):
            bodies.append((row.kind, []))
        bodies[-1][1].append(row)
    articles = {a.id: a for a in coverage.articles}
    group = 0 if by == "issue" else 1
    out = []
    for kind, rows in bodies:
        group += kind == "issue"
        attrs = f'class="{kind}" data-group="g{group}"'
        if kind == "article":
            article = articles[rows[0].article or ""]
            attrs += (
                f' data-article="{_e(article.id)}" data-title="{_e(article.label)}"'
                f' data-words="{article.words}"'
            )
        out.append(f"<tbody {attrs}>{''.join(_row(r, coverage.languages) for r in rows)}</tbody>")
    return "\n".join(out) + "\n"


def _row(row: GridRow, languages: Sequence[Language]) -> str:
    if row.kind == "missing":
        cells = "".join(
            f'<td class="cell none" data-lang="{_e(lang.code)}">—</td>' for lang in languages
        )
        return (
            f'<tr class="missing-row"><th scope="row">{_e(row.label)} '
            f"<small>(not ingested yet)</small></th><td></td>{cells}</tr>"
        )
    cells = "".join(
        _cell(row.cells.get(lang.code), lang, row.article, row.section) for lang in languages
    )
    words = f'<td class="num">{row.words or 0:,}</td>'
    if row.kind == "issue":
        return f'<tr class="issue-row"><th scope="rowgroup">{_e(row.label)}</th>{words}{cells}</tr>'
    if row.kind == "section":
        return (
            f'<tr class="section-row" data-section="{row.section}">'
            f'<th scope="row">{_e(row.label)}</th>{words}{cells}</tr>'
        )
    return (
        '<tr class="article-row"><th scope="row">'
        f'<button type="button" class="toggle" aria-expanded="true">{_e(row.label)}</button>'
        f'<span class="id">{_e(row.article)}</span></th>{words}{cells}</tr>'
    )


def _cell(
    cell: Cell | None, lang: Language, article: str | None = None, section: int | None = None
) -> str:
    code = _e(lang.code)
    if cell is None:
        return f'<td class="cell none" data-lang="{code}">—</td>'
    c = cell.counts
    classes = f"cell b{percent_bin(cell.percent)}" + (" outdated" if c.outdated else "")
    where = "" if article is None else f' data-article="{_e(article)}"'
    if section is not None:
        where += f' data-section="{section}"'
    tip = (
        f"{lang.label}: {c.translated_words:,} of {c.words:,} words translated; "
        f"{c.fuzzy} fuzzy and {c.untranslated} untranslated of {c.units} units"
    )
    if c.outdated:
        tip += f"; {c.outdated} outdated (source changed since translation)"
    return (
        f'<td class="{classes}" data-lang="{code}"{where} data-percent="{cell.percent:.1f}" '
        f'title="{_e(tip)}">{format_percent(cell.percent)}</td>'
    )


def percent_bin(percent: float) -> int:
    """The colour class of a percent: tenths, with 10 for complete."""
    return 10 if percent >= 100 else max(0, min(9, int(percent // 10)))


def scale_legend() -> str:
    """The legend of the colour bins, as every page of the report shows it."""
    steps = "".join(f'<span class="b{i}">{i * 10}</span>' for i in range(11))
    return (
        f'<div class="scale"><span class="label">% of words translated</span>{steps}'
        '<span class="label">&nbsp;&nbsp;• some units are outdated: their source changed '
        "since they were translated</span></div>"
    )


def trend_section(languages: Sequence[Language], trends: Mapping[str, Any] | None) -> str:
    """The trend section: the chart, or a note while no snapshots are recorded."""
    since = (trends or {}).get("since")
    heading = f"Trend since {since}" if since else "Trend"
    series = {code: points for code, points in (trends or {}).get("series", {}).items() if points}
    if not series:
        when = f" since {since}" if since else ""
        return (
            f'<section id="trend"><h2>{_e(heading)}</h2>'
            f'<p class="empty">No coverage snapshots recorded{_e(when)} yet: the chart fills '
            "in as reports are run over time.</p></section>"
        )
    chart = _trend_svg(languages, since, series)
    return f'<section id="trend"><h2>{_e(heading)}</h2>{chart}</section>'


def _trend_svg(
    languages: Sequence[Language],
    since: str | None,
    series: Mapping[str, Sequence[Mapping[str, Any]]],
) -> str:
    labels = {lang.code: lang.label for lang in languages}
    order = [lang.code for lang in languages if lang.code in series]
    order += sorted(code for code in series if code not in labels)
    instants = [_instant(p["at"]) for points in series.values() for p in points]
    start = min([*instants, *([_instant(since)] if since else [])])
    span = (max(instants) - start).total_seconds()
    width = _CHART_WIDTH - _LEFT - _RIGHT
    height = _CHART_HEIGHT - _TOP - _BOTTOM

    def x(at: datetime) -> float:
        offset = (at - start).total_seconds()
        return _LEFT + (width * offset / span if span else width / 2)

    def y(percent: float) -> float:
        return _TOP + height * (1 - min(max(percent, 0.0), 100.0) / 100)

    grid = []
    for level in (0, 25, 50, 75, 100):
        grid.append(
            f'<line class="grid" x1="{_LEFT}" x2="{_LEFT + width}" y1="{y(level):.1f}" '
            f'y2="{y(level):.1f}"/><text class="axis-label" x="{_LEFT - 6}" y="{y(level) + 4:.1f}" '
            f'text-anchor="end">{level}%</text>'
        )
    ticks = [(start, "start"), (max(instants), "end")] if span else [(start, "middle")]
    for at, anchor in ticks:
        grid.append(
            f'<text class="axis-label" x="{x(at):.1f}" y="{_CHART_HEIGHT - 8}" '
            f'text-anchor="{anchor}">{at.date().isoformat()}</text>'
        )
    lines, legend = [], []
    for i, code in enumerate(order):
        colour = PALETTE[i % len(PALETTE)]
        points = sorted(series[code], key=lambda p: _instant(p["at"]))
        label = labels.get(code, code)
        coords = [(x(_instant(p["at"])), y(float(p["percent"]))) for p in points]
        dots = "".join(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colour}"><title>'
            f"{_e(label)} {_e(p['at'])}: {float(p['percent']):.1f}% "
            f"({int(p.get('translated_words', 0)):,} of {int(p.get('words', 0)):,} words)"
            "</title></circle>"
            for (cx, cy), p in zip(coords, points, strict=True)
        )
        path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords)
        lines.append(
            f'<g class="series" data-lang="{_e(code)}"><polyline points="{path}" '
            f'stroke="{colour}"/>{dots}</g>'
        )
        last = float(points[-1]["percent"])
        legend.append(
            f'<li data-lang="{_e(code)}"><span class="swatch" style="background:{colour}"></span>'
            f"{_e(label)} <strong>{last:.1f}%</strong></li>"
        )
    return (
        f'<svg class="trend-chart" viewBox="0 0 {_CHART_WIDTH} {_CHART_HEIGHT}" role="img" '
        'aria-labelledby="trend-title" xmlns="http://www.w3.org/2000/svg">'
        '<title id="trend-title">Percent of source words translated over time, per language'
        f"</title>{''.join(grid)}{''.join(lines)}</svg>"
        f'<ul class="legend">{"".join(legend)}</ul>'
    )


def _instant(text: str) -> datetime:
    """An ISO 8601 date or timestamp; one without a zone is taken as UTC."""
    at = datetime.fromisoformat(text)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _footer(coverage: ReportView) -> str:
    return (
        f"<footer>Generated {_e(coverage.generated_at)} by i18n-pipeline · "
        f"schema <code>{_e(coverage.schema)}</code></footer>"
    )
