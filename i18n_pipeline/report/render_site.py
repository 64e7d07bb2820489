"""The pages of the dashboard site, each a pure function from :class:`~.site.Site` to text.

:func:`site_pages` gives every page by its path under the site's folder: ``index.html``
(the overview), ``activity.html`` (the team), ``pub/<code>/index.html`` (a publication's
years and issues) and ``pub/<code>/<issue>.html`` (an issue's articles and sections), and
the shared ``assets/``. Links are relative, so the folder works from ``file://`` and on any
static host; nothing is fetched from elsewhere. Every text from the data is escaped.

Grids put one language per column, in the report's order after the label and the words;
their cells show the percent of source words translated and carry the counts in ``title``.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources

from i18n_pipeline.model import Counts, Language
from i18n_pipeline.report.activity import activity_sections, projection_text
from i18n_pipeline.report.coverage import ArticleCoverage, sum_counts
from i18n_pipeline.report.published import (
    FULLY_ALIGNED,
    NOT_PUBLISHED,
    PARTLY_ALIGNED,
    Published,
    published_state,
)
from i18n_pipeline.report.render_html import percent_bin, scale_legend, trend_section
from i18n_pipeline.report.site import OVERVIEW, IssueNode, PublicationNode, Site

ACTIVITY = "activity.html"
ASSETS = ("site.css", "site.js")


def site_pages(site: Site) -> dict[str, str]:
    """Every file of the site, by its path relative to the site's folder."""
    pages = {f"assets/{name}": _asset(name) for name in ASSETS}
    pages[OVERVIEW] = render_overview(site)
    pages[ACTIVITY] = render_activity_page(site)
    for pub in site.publications:
        pages[pub.path] = render_publication(site, pub)
        for number, node in enumerate(pub.issues):
            before = pub.issues[number - 1] if number else None
            after = pub.issues[number + 1] if number + 1 < len(pub.issues) else None
            pages[node.path] = render_issue(site, pub, node, before, after)
    return pages


def _asset(name: str) -> str:
    css = resources.files(__package__) / "templates"
    if name == "site.css":  # the one-file page's style, and the site's additions
        return (css / "dashboard.css").read_text("utf-8") + (css / name).read_text("utf-8")
    return (css / name).read_text("utf-8")


def _e(value: object) -> str:
    """Text or attribute value, escaped."""
    return html.escape(str(value), quote=True)


def _up(path: str) -> str:
    """The relative way from the page at ``path`` back to the site's root."""
    return "../" * path.count("/")


def _rel(here: str, there: str) -> str:
    """The link from page ``here`` to page ``there``."""
    return posixpath.relpath(there, posixpath.dirname(here) or ".")


# -- the page frame -------------------------------------------------------------------


def _page(
    path: str,
    title: str,
    crumbs: Sequence[tuple[str, str | None]],
    facts: Sequence[str],
    body: Iterable[str],
    site: Site,
) -> str:
    root = _up(path)
    trail = " › ".join(
        f'<a class="in" href="{_e(_rel(path, href))}">{_e(label)}</a>' if href else _e(label)
        for label, href in crumbs
    )
    series = site.trends.get(OVERVIEW if path == ACTIVITY else path, {}).get("series", {})
    stamps = [point["at"] for points in series.values() for point in points]
    # The newest snapshot of this page's articles: no clock time, so that a page is
    # rewritten only when its own numbers change.
    as_of = f" · data as of {_e(max(stamps))}" if stamps else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)} · translation coverage</title>",
        f'<link rel="stylesheet" href="{root}assets/site.css">',
        "</head>",
        "<body>",
        f'<nav class="crumbs" aria-label="Where you are">{trail}'
        f'<span class="nav-right"><a class="in" href="{root}{OVERVIEW}">Overview</a> · '
        f'<a class="in" href="{root}{ACTIVITY}">Team activity</a></span></nav>',
        f'<header><h1>{_e(title)}</h1><p class="meta">{_e(" · ".join(facts))}</p></header>',
        "<main>",
        _controls(site.languages),
        *body,
        "</main>",
        f"<footer>i18n-pipeline coverage dashboard{as_of}</footer>",
        f'<script src="{root}assets/site.js"></script>',
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _controls(languages: Sequence[Language]) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" name="lang" value="{_e(lang.code)}" checked> '
        f"{_e(lang.label)} <code>{_e(lang.code)}</code></label>"
        for lang in languages
    )
    return (
        '<section id="controls" aria-label="Filters" hidden data-needs-script>'
        f'<fieldset id="language-filter"><legend>Languages</legend>{boxes}'
        '<button type="button" class="small" data-select="all">All</button>'
        '<button type="button" class="small" data-select="none">None</button></fieldset>'
        "</section>"
    )


def _facts(articles: int, words: int, languages: int) -> list[str]:
    return [f"{articles:,} articles", f"{words:,} source words", f"{languages} languages"]


# -- parts shared by the pages ----------------------------------------------------------


def _totals(languages: Sequence[Language], totals: Mapping[str, Counts], heading: str) -> str:
    present = [lang for lang in languages if lang.code in totals]
    every = sum_counts(totals[lang.code] for lang in present)
    rows = "".join(_total_row(lang, totals[lang.code]) for lang in present)
    return (
        f'<section id="totals"><h2>{_e(heading)}</h2>'
        '<p class="selected">Selected languages: '
        f'<output id="selected-percent" data-percent="{every.percent:.1f}">'
        f"{every.percent:.1f}%</output> of source words translated "
        f'(<span id="selected-translated">{every.translated_words:,}</span> of '
        f'<span id="selected-words">{every.words:,}</span>, counted per language)</p>'
        '<table class="totals"><thead><tr><th scope="col">Language</th>'
        '<th scope="col">Translated and <span style="color:var(--fuzzy)">fuzzy</span> words</th>'
        '<th scope="col">%</th><th scope="col" class="num">Words translated</th>'
        '<th scope="col" class="num">Fuzzy units</th>'
        '<th scope="col" class="num">Untranslated units</th>'
        '<th scope="col" class="num">Outdated units</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def _total_row(lang: Language, c: Counts) -> str:
    fuzzy = 0.0 if c.words == 0 else round(100 * c.fuzzy_words / c.words, 1)
    label = f"{c.percent:.1f}% translated, {fuzzy:.1f}% fuzzy"
    return (
        f'<tr class="total" data-lang="{_e(lang.code)}" data-percent="{c.percent:.1f}" '
        f'data-words="{c.words}" data-translated-words="{c.translated_words}">'
        f'<th scope="row">{_e(lang.label)} <span class="lang-code">{_e(lang.code)}</span></th>'
        f'<td><div class="bar" role="img" aria-label="{_e(label)}">'
        f'<span class="t" style="width:{c.percent:.1f}%"></span>'
        f'<span class="f" style="width:{fuzzy:.1f}%"></span></div></td>'
        f'<td class="pct">{c.percent:.1f}%</td>'
        f'<td class="num">{c.translated_words:,} / {c.words:,}</td>'
        f'<td class="num">{c.fuzzy:,}</td><td class="num">{c.untranslated:,}</td>'
        f'<td class="num">{c.outdated:,}</td></tr>'
    )


def _grid_head(languages: Sequence[Language], first: str) -> str:
    heads = "".join(
        f'<th scope="col" data-lang="{_e(lang.code)}" title="{_e(lang.label)}">'
        f'<button type="button" data-sort="{_e(lang.code)}">{_e(lang.code)}</button></th>'
        for lang in languages
    )
    return (
        '<thead><tr><th scope="col"><button type="button" data-sort="title">'
        f'{_e(first)}</button></th><th scope="col" class="num">'
        f'<button type="button" data-sort="words">Words</button></th>{heads}</tr></thead>'
    )


def _cells(
    languages: Sequence[Language], cells: Mapping[str, Counts], *, short: bool = False
) -> str:
    return "".join(_cell(lang, cells.get(lang.code), short) for lang in languages)


@lru_cache(maxsize=1 << 16)
def _cell(lang: Language, c: Counts | None, short: bool = False) -> str:
    """A grid cell; ``short`` gives words alone in its tip (the long grid of issues).
    Equal counts make equal cells, so each is formatted once."""
    if c is None:
        return '<td class="c none">—</td>'
    outdated = " o" if c.outdated else ""
    if short:
        return (
            f'<td class="c b{percent_bin(c.percent)}{outdated}" title="{c.translated_words:,} of '
            f'{c.words:,} words">{c.percent:.1f}%</td>'
        )
    tip = (
        f"{lang.code}: {c.translated_words:,} of {c.words:,} words translated; "
        f"{c.fuzzy} fuzzy, {c.untranslated} untranslated of {c.units} units"
    )
    if c.outdated:
        tip += f"; {c.outdated} outdated"
    return (
        f'<td class="c b{percent_bin(c.percent)}{outdated}" title="{_e(tip)}">{c.percent:.1f}%</td>'
    )


def _published_summary(
    languages: Sequence[Language],
    articles: Sequence[ArticleCoverage],
    published: Mapping[str, Mapping[str, Published]],
) -> str:
    """Per language: articles published and fully aligned, published and partly aligned
    (with the words still to bring in), not published (with the words to translate)."""
    rows = []
    for lang in languages:
        code = lang.code
        mine = [a for a in articles if code in a.languages]
        if not mine:
            continue
        full = part = none = bring_in = to_translate = 0
        for a in mine:
            entry = published.get(a.id, {}).get(code)
            state = published_state(entry)
            if state == FULLY_ALIGNED:
                full += 1
            elif state == PARTLY_ALIGNED and entry is not None:
                part += 1
                bring_in += round(a.words * (100.0 - entry.aligned_percent) / 100.0)
            else:
                none += 1
                counts = a.languages[code]
                to_translate += counts.words - counts.translated_words
        rows.append(
            f'<tr data-lang="{_e(code)}"><th scope="row">{_e(lang.label)} '
            f'<span class="lang-code">{_e(code)}</span></th>'
            f'<td class="num">{len(mine):,}</td><td class="num">{full:,}</td>'
            f'<td class="num">{part:,}</td><td class="num">{bring_in:,}</td>'
            f'<td class="num">{none:,}</td><td class="num">{to_translate:,}</td></tr>'
        )
    return (
        '<section id="published"><h2>Published against catalogued</h2>'
        '<p class="hint">Translations the publisher has published, as <code>align</code> '
        "registered them, beside what the catalogs hold: what remains to bring in, and what "
        "remains to translate.</p>"
        '<table class="list sortable" id="published-table"><thead><tr>'
        '<th scope="col">Language</th><th scope="col" class="num">Articles</th>'
        f'<th scope="col" class="num">{_e(FULLY_ALIGNED.capitalize())}</th>'
        f'<th scope="col" class="num">{_e(PARTLY_ALIGNED.capitalize())}</th>'
        '<th scope="col" class="num">Words to bring in</th>'
        f'<th scope="col" class="num">{_e(NOT_PUBLISHED.capitalize())}</th>'
        '<th scope="col" class="num">Words to translate there</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


# -- the overview ---------------------------------------------------------------------


def render_overview(site: Site) -> str:
    """Totals, the trend, each publication by language, published against catalogued."""
    path = OVERVIEW
    rows = "".join(
        f'<tr data-title="{_e(pub.name)}"><th scope="row">'
        f'<a class="in" href="{_e(_rel(path, pub.path))}">{_e(pub.name)}</a>'
        f'<span class="id">{len(pub.issues):,} issues · {pub.articles:,} articles</span></th>'
        f'<td class="num">{pub.words:,}</td>{_cells(site.languages, pub.totals)}</tr>'
        for pub in site.publications
    )
    foot = (
        '<tfoot><tr class="total-row"><th scope="row">All publications</th>'
        f'<td class="num">{site.words:,}</td>{_cells(site.languages, site.totals)}</tr></tfoot>'
    )
    grid = (
        '<section id="publications"><h2>Publications</h2>'
        '<p class="hint">Percent of source words translated. Click a publication for its '
        "years and issues, a column header to sort.</p>"
        '<div class="scroll"><table class="grid" id="grid">'
        f"{_grid_head(site.languages, 'Publication')}<tbody>{rows}</tbody>{foot}"
        f"</table></div>{scale_legend()}</section>"
    )
    articles = [a for pub in site.publications for node in pub.issues for a in node.articles]
    body = [
        _totals(site.languages, site.totals, "By language"),
        _pace_table(site),
        trend_section(site.languages, site.trends.get(path)),
        grid,
        _published_summary(site.languages, articles, site.published),
    ]
    facts = _facts(site.articles, site.words, len(site.languages))
    facts.append(f"source language {site.source_language}")
    return _page(path, "Translation coverage", [("Overview", None)], facts, body, site)


def _pace_table(site: Site) -> str:
    """Each language's pace and projection, from the activity report, on the overview."""
    pace = (site.activity or {}).get("pace") or {}
    if not pace:
        return ""
    rows = "".join(
        f'<tr data-lang="{_e(code)}"><th scope="row">{_e(code)}</th>'
        f'<td class="num">{p["target"]:.1f}%</td>'
        f'<td class="num">{p["recent_words"]:,}</td>'
        f"<td>{_e(projection_text(p))}</td></tr>"
        for code, p in pace.items()
    )
    days = int((site.activity or {}).get("window_days", 90))
    return (
        '<section id="pace"><h2>Pace and projection</h2>'
        f'<p class="hint">Words translated or reviewed in the last {days} days, and when each '
        "language reaches the coverage its thresholds ask for at that pace "
        f'(<a class="in" href="{ACTIVITY}">team activity</a>).</p>'
        '<table class="list sortable"><thead><tr><th scope="col">Language</th>'
        '<th scope="col" class="num">Target</th>'
        f'<th scope="col" class="num">Words, last {days} days</th>'
        f'<th scope="col">Projection</th></tr></thead><tbody>{rows}</tbody></table></section>'
    )


# -- a publication ----------------------------------------------------------------------


def render_publication(site: Site, pub: PublicationNode) -> str:
    """The publication's totals and trend, and its issues by year as a heatmap."""
    path = pub.path
    languages = site.languages
    bodies = []
    years: dict[str, list[IssueNode]] = {}
    for node in pub.issues:
        years.setdefault(node.year, []).append(node)
    for year, nodes in years.items():
        totals = {
            c: sum_counts(n.totals[c] for n in nodes if c in n.totals)
            for c in (lang.code for lang in languages)
            if any(c in n.totals for n in nodes)
        }
        head = (
            f'<tr class="head"><th scope="rowgroup">{_e(year)} '
            f'<span class="id">{len(nodes)} issues</span></th>'
            f'<td class="num">{sum(n.words for n in nodes):,}</td>'
            f"{_cells(languages, totals)}</tr>"
        )
        issue_rows = "".join(
            f'<tr data-title="{_e(n.label)}"><th scope="row">'
            f'<a class="in" href="{_e(_rel(path, n.path))}">{_e(n.label)}</a>'
            f'<span class="id">{_e(n.date or "")} · {len(n.articles)} articles</span></th>'
            f'<td class="num">{n.words:,}</td>{_cells(languages, n.totals, short=True)}</tr>'
            for n in nodes
        )
        bodies.append(f'<tbody class="year" data-year="{_e(year)}">{head}{issue_rows}</tbody>')
    grid = (
        '<section id="issues"><h2>Years and issues</h2>'
        '<p class="hint">Percent of source words translated, per issue. Click an issue for '
        "its articles; a column header sorts the issues within each year.</p>"
        f'<div class="scroll"><table class="grid" id="grid">{_grid_head(languages, "Issue")}'
        f"{''.join(bodies)}</table></div>{scale_legend()}</section>"
    )
    articles = [a for node in pub.issues for a in node.articles]
    body = [
        _totals(languages, pub.totals, "By language"),
        trend_section(languages, site.trends.get(path)),
        grid,
        _published_summary(languages, articles, site.published),
    ]
    facts = _facts(pub.articles, pub.words, len(languages))
    facts.insert(0, f"{len(pub.issues):,} issues")
    crumbs = [("Overview", OVERVIEW), (pub.name, None)]
    return _page(path, pub.name, crumbs, facts, body, site)


# -- an issue --------------------------------------------------------------------------


def render_issue(
    site: Site,
    pub: PublicationNode,
    node: IssueNode,
    before: IssueNode | None = None,
    after: IssueNode | None = None,
) -> str:
    """The issue's articles, each with its sections and its published translations."""
    path = node.path
    languages = site.languages
    bodies = [_article_body(languages, a, site.published.get(a.id, {})) for a in node.articles]
    blank = '<td class="c none">—</td>' * len(languages)
    missing = "".join(
        f'<tr class="missing-row"><th scope="row">{_e(title)} <small>(not ingested yet)'
        f"</small></th><td></td>{blank}</tr>"
        for title in node.missing
    )
    if missing:
        bodies.append(f'<tbody class="missing">{missing}</tbody>')
    foot = (
        '<tfoot><tr class="total-row"><th scope="row">All articles</th>'
        f'<td class="num">{node.words:,}</td>{_cells(languages, node.totals)}</tr></tfoot>'
    )
    steps = []
    if before is not None:
        steps.append(f'<a class="in" rel="prev" href="{_e(_rel(path, before.path))}">'
                     f"← {_e(before.label)}</a>")  # fmt: skip
    if after is not None:
        steps.append(f'<a class="in" rel="next" href="{_e(_rel(path, after.path))}">'
                     f"{_e(after.label)} →</a>")  # fmt: skip
    grid = (
        '<section id="articles"><h2>Articles</h2>'
        f'<p class="steps">{" · ".join(steps)}</p>'
        '<p class="hint">Percent of source words translated. Click an article for its '
        "sections, a column header to sort; hover a cell for its counts.</p>"
        '<div><button type="button" class="small" data-expand="all">Open all articles</button> '
        '<button type="button" class="small" data-expand="none">Close all</button></div>'
        f'<div class="scroll"><table class="grid" id="grid" data-sort-bodies>'
        f"{_grid_head(languages, 'Article')}{''.join(bodies)}{foot}</table></div>"
        f"{scale_legend()}</section>"
    )
    body = [
        _totals(languages, node.totals, "By language"),
        trend_section(languages, site.trends.get(path)),
        grid,
        _published_summary(languages, node.articles, site.published),
    ]
    facts = _facts(len(node.articles), node.words, len(languages))
    if node.date:
        facts.insert(0, node.date)
    crumbs = [("Overview", OVERVIEW), (pub.name, pub.path), (node.label, None)]
    return _page(path, node.label, crumbs, facts, body, site)


def _article_body(
    languages: Sequence[Language], a: ArticleCoverage, published: Mapping[str, Published]
) -> str:
    label = a.title or a.id
    rows = [
        f'<tr class="article-row"><th scope="row"><button type="button" class="toggle" '
        f'aria-expanded="true">{_e(label)}</button><span class="id">{_e(a.id)}</span></th>'
        f'<td class="num">{a.words:,}</td>{_cells(languages, a.languages)}</tr>'
    ]
    if published:
        rows.append(
            '<tr class="published-row"><th scope="row">published, aligned</th><td></td>'
            + "".join(_published_cell(lang, a, published.get(lang.code)) for lang in languages)
            + "</tr>"
        )
    for s in a.sections:
        title = "(lead)" if s.index == 0 else s.title or f"Section {s.index}"
        rows.append(
            f'<tr class="section-row" data-section="{s.index}"><th scope="row">{_e(title)}</th>'
            f'<td class="num">{s.words:,}</td>{_cells(languages, s.languages)}</tr>'
        )
    return (
        f'<tbody class="article" data-article="{_e(a.id)}" data-title="{_e(label)}">'
        f"{''.join(rows)}</tbody>"
    )


def _published_cell(lang: Language, a: ArticleCoverage, entry: Published | None) -> str:
    if lang.code not in a.languages:
        return '<td class="c none">—</td>'
    state = published_state(entry)
    if entry is None:
        return f'<td class="c none" title="{_e(state)}">—</td>'
    tip = f"{state}: {entry.aligned_units} units aligned from {entry.source}"
    if entry.date:
        tip += f" ({entry.date})"
    mark = "✓ " if state == FULLY_ALIGNED else ""
    return (
        f'<td class="c pub b{percent_bin(entry.aligned_percent)}" title="{_e(tip)}">'
        f"{mark}{entry.aligned_percent:.1f}%</td>"
    )


# -- team activity -----------------------------------------------------------------------


def render_activity_page(site: Site) -> str:
    """The team's activity: pace and projection per language, then who did what."""
    body = [
        trend_section(site.languages, site.trends.get(OVERVIEW)),
        *activity_sections(site.activity or {}, site.languages),
    ]
    facts = _facts(site.articles, site.words, len(site.languages))
    crumbs = [("Overview", OVERVIEW), ("Team activity", None)]
    return _page(ACTIVITY, "Team activity", crumbs, facts, body, site)
