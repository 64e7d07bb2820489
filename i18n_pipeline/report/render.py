"""The coverage report as read by the renderers, and the JSON and CSV renderers.

Every renderer is a pure function from the report dict (schema ``i18n-pipeline/coverage/1``,
see ``contracts/coverage.md``) to ``str``. :func:`read_report` turns that dict into frozen
values once, so that the table, Markdown and HTML renderers share one reading of it, and
:func:`issue_groups` gathers articles by (publication, issue) for the ``by="issue"`` views.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from i18n_pipeline.model import Counts, Language

SCHEMA = "i18n-pipeline/coverage/1"

#: Row groupings the table and Markdown renderers accept for ``by``.
GROUPINGS = ("language", "article", "section", "issue")

#: Key order of the JSON objects, as in the contract; keys not listed follow in input order.
_REPORT_KEYS = ("schema", "generated_at", "source_language", "languages", "totals", "articles")
_LANGUAGE_KEYS = ("code", "label", "name")
_ARTICLE_KEYS = (
    "id",
    "title",
    "source_language",
    "source_path",
    "publication",
    "issue",
    "date",
    "units",
    "words",
    "languages",
    "sections",
)
_SECTION_KEYS = ("index", "title", "units", "words", "languages")
_ISSUE_KEYS = ("publication", "issue", "date", "articles", "missing")
_COUNTS_KEYS = (*(f.name for f in fields(Counts)), "percent")

#: The counts of one language, in the order the CSV and the by-language views give them.
COUNT_COLUMNS = (
    "units",
    "translated",
    "fuzzy",
    "untranslated",
    "outdated",
    "words",
    "translated_words",
    "fuzzy_words",
    "untranslated_words",
    "outdated_words",
)

#: The headings and counts of the by-language views (table and Markdown).
LANGUAGE_SUMMARY = {
    "units": "Units",
    "translated": "Translated",
    "fuzzy": "Fuzzy",
    "untranslated": "Untranslated",
    "outdated": "Outdated",
    "words": "Words",
    "translated_words": "Translated words",
}

_ARTICLE_CSV = ("article_id", "title", "publication", "issue", "date")
CSV_COLUMNS = (
    *_ARTICLE_CSV,
    "section_index",
    "section_title",
    "language",
    *COUNT_COLUMNS,
    "percent",
)


@dataclass(frozen=True)
class Cell:
    """The counts of one language over one scope, with the percent the report gives."""

    counts: Counts
    percent: float


@dataclass(frozen=True)
class SectionView:
    index: int
    title: str | None
    words: int
    cells: Mapping[str, Cell]

    @property
    def label(self) -> str:
        """``(lead)`` for section 0, else the heading (or its number when it has none)."""
        if self.index == 0:
            return "(lead)"
        return self.title or f"Section {self.index}"


@dataclass(frozen=True)
class ArticleView:
    id: str
    title: str | None
    publication: str | None
    issue: str | None
    date: str | None
    words: int
    cells: Mapping[str, Cell]
    sections: tuple[SectionView, ...]
    #: Per language the article is published in, the share of its words aligned.
    published: Mapping[str, float] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.title or self.id


@dataclass(frozen=True)
class IssueView:
    """The ingested articles of one issue and the titles known from its contents only."""

    publication: str | None
    issue: str | None
    date: str | None
    articles: tuple[ArticleView, ...]
    missing: tuple[str, ...]

    @property
    def label(self) -> str:
        if self.issue is None:
            return self.publication or "Other articles"
        name = f"{self.publication} No. {self.issue}" if self.publication else f"No. {self.issue}"
        return f"{name} ({self.date})" if self.date else name


@dataclass(frozen=True)
class ChangeView:
    """Per language, the percentage points and translated words gained since ``since``."""

    since: str
    percent: Mapping[str, float]
    translated_words: Mapping[str, int]

    def label(self, code: str) -> str:
        """``+12.5`` (points), or ``—`` for a language the change does not cover."""
        return f"{self.percent[code]:+.1f}" if code in self.percent else "—"


@dataclass(frozen=True)
class ReportView:
    """The report dict as frozen values."""

    schema: str
    generated_at: str
    source_language: str
    languages: tuple[Language, ...]
    totals: Mapping[str, Cell]
    articles: tuple[ArticleView, ...]
    issues: tuple[IssueView, ...]
    change: ChangeView | None = None


def read_report(report: Mapping[str, Any]) -> ReportView:
    """Read a coverage report dict; the one place that knows its keys."""
    articles = tuple(_read_article(a) for a in report.get("articles", ()))
    by_id = {a.id: a for a in articles}
    languages = tuple(
        Language(
            code=lang["code"], label=lang.get("label") or lang["code"], name=lang.get("name") or ""
        )
        for lang in report.get("languages", ())
    )
    if not languages:
        languages = tuple(Language(code=code, label=code) for code in report.get("totals", {}))
    issues = tuple(
        IssueView(
            publication=entry.get("publication"),
            issue=_text(entry.get("issue")),
            date=entry.get("date"),
            articles=tuple(by_id[i] for i in entry.get("articles", ()) if i in by_id),
            missing=tuple(entry.get("missing", ())),
        )
        for entry in report.get("issues") or ()
    )
    return ReportView(
        schema=report.get("schema", SCHEMA),
        generated_at=report.get("generated_at", ""),
        source_language=report.get("source_language", ""),
        languages=languages,
        totals=_read_cells(report.get("totals", {})),
        articles=articles,
        issues=issues,
        change=_read_change(report.get("change")),
    )


def _read_change(change: Mapping[str, Any] | None) -> ChangeView | None:
    if not change:
        return None
    languages = change.get("languages", {})
    return ChangeView(
        since=str(change.get("since", "")),
        percent={code: float(c.get("percent", 0.0)) for code, c in languages.items()},
        translated_words={code: int(c.get("translated_words", 0)) for code, c in languages.items()},
    )


def _read_article(a: Mapping[str, Any]) -> ArticleView:
    return ArticleView(
        id=a["id"],
        title=a.get("title"),
        publication=a.get("publication"),
        issue=_text(a.get("issue")),
        date=a.get("date"),
        words=a.get("words", 0),
        cells=_read_cells(a.get("languages", {})),
        sections=tuple(
            SectionView(
                index=s["index"],
                title=s.get("title"),
                words=s.get("words", 0),
                cells=_read_cells(s.get("languages", {})),
            )
            for s in a.get("sections", ())
        ),
        published={
            code: float(p.get("aligned_percent", 0.0))
            for code, p in (a.get("published") or {}).items()
        },
    )


def _read_cells(by_language: Mapping[str, Mapping[str, Any]]) -> dict[str, Cell]:
    return {code: _read_cell(counts) for code, counts in by_language.items()}


def _read_cell(counts: Mapping[str, Any]) -> Cell:
    c = Counts(**{f.name: int(counts.get(f.name, 0)) for f in fields(Counts)})
    percent = counts.get("percent")
    return Cell(c, c.percent if percent is None else float(percent))


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def count_values(cell: Cell, names: Iterable[str]) -> list[int]:
    """The counts called ``names`` (fields of :class:`~i18n_pipeline.model.Counts`)."""
    return [getattr(cell.counts, name) for name in names]


def sum_cells(cells: Iterable[Cell]) -> Cell:
    """Counts added up over several scopes; the percent recomputed as the contract says."""
    total = sum((c.counts for c in cells), Counts())
    return Cell(total, total.percent)


def issue_groups(coverage: ReportView) -> list[IssueView]:
    """Articles grouped by (publication, issue), with the known-but-missing titles.

    An article's own ``publication`` and ``issue`` place it; one without them goes to the
    issue whose ``articles`` list names it, else to a last group with no issue.
    """
    listed: dict[str, tuple[str | None, str | None]] = {}
    entries: dict[tuple[str | None, str | None], IssueView] = {}
    for entry in coverage.issues:
        key = (entry.publication, entry.issue)
        entries[key] = entry
        for article in entry.articles:
            listed.setdefault(article.id, key)
    members: dict[tuple[str | None, str | None], list[ArticleView]] = {k: [] for k in entries}
    dates: dict[tuple[str | None, str | None], str | None] = {k: e.date for k, e in entries.items()}
    for article in coverage.articles:
        if article.issue is not None:
            key = (article.publication, article.issue)
        else:
            key = listed.get(article.id, (article.publication, None))
        members.setdefault(key, []).append(article)
        if not dates.get(key):
            dates[key] = article.date
    groups = [
        IssueView(
            publication=key[0],
            issue=key[1],
            date=dates.get(key),
            articles=tuple(articles),
            missing=entries[key].missing if key in entries else (),
        )
        for key, articles in members.items()
    ]
    return sorted(groups, key=_issue_order)


def _issue_order(group: IssueView) -> tuple[bool, str, str, list[tuple[int, str]]]:
    """Issues by publication and date, then number: "9" before "10", "10a" after "10"."""
    parts = re.split(r"(\d+)", group.issue or "")
    number = [(int(p), "") if p.isdigit() else (-1, p) for p in parts if p]
    return (group.issue is None, group.publication or "", group.date or "", number)


def check_grouping(by: str, allowed: Sequence[str] = GROUPINGS) -> None:
    """Reject an unknown ``by``: a programming error, as the CLI offers only valid choices."""
    if by not in allowed:
        raise ValueError(f"by must be one of {', '.join(allowed)}, not {by!r}")


def format_percent(percent: float) -> str:
    return f"{percent:.1f}%"


def render_json(report: Mapping[str, Any]) -> str:
    """The report as the contract's JSON: keys in the contract's order, UTF-8 text as is.

    Each article is written on one line: diffs stay readable, and the encoder stays the
    fast one (Python's indenting encoder is pure Python: ten times slower on a large
    archive)."""
    return "".join(json_pieces(report))


def json_pieces(report: Mapping[str, Any], articles: Iterable[str] | None = None) -> Iterator[str]:
    """:func:`render_json` in pieces, to be written out one after the other. ``articles``,
    when given, are the lines of the articles (each one JSON object), in place of
    ``report["articles"]``: a large report can then be written without being held."""
    ordered = _ordered_report(report)
    if articles is None:
        articles = (
            json.dumps(article, ensure_ascii=False, separators=(", ", ": "))
            for article in ordered.get("articles") or ()
        )
    yield "{\n"
    for number, (key, value) in enumerate(ordered.items()):
        if number:
            yield ",\n"
        if key == "articles":
            yield '  "articles": ['
            lines = iter(articles)
            first = next(lines, None)
            if first is None:
                yield "]"
                continue
            yield "\n    "
            yield first
            for line in lines:
                yield ",\n    "
                yield line
            yield "\n  ]"
        else:
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            yield f"  {json.dumps(key)}: {text}"
    yield "\n}\n"


def _ordered_report(report: Mapping[str, Any]) -> dict[str, Any]:
    out = _ordered(report, _REPORT_KEYS)
    if "languages" in out:
        out["languages"] = [_ordered(lang, _LANGUAGE_KEYS) for lang in out["languages"]]
    if "totals" in out:
        out["totals"] = _ordered_counts(out["totals"])
    if "articles" in out:
        out["articles"] = [_ordered_article(a) for a in out["articles"]]
    if out.get("issues") is not None:
        out["issues"] = [_ordered(i, _ISSUE_KEYS) for i in out["issues"]]
    return out


def _ordered_article(article: Mapping[str, Any]) -> dict[str, Any]:
    out = _ordered(article, _ARTICLE_KEYS)
    if "languages" in out:
        out["languages"] = _ordered_counts(out["languages"])
    if "sections" in out:
        out["sections"] = [_ordered(s, _SECTION_KEYS) for s in out["sections"]]
        for section in out["sections"]:
            if "languages" in section:
                section["languages"] = _ordered_counts(section["languages"])
    return out


def _ordered_counts(by_language: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    return {code: _ordered(counts, _COUNTS_KEYS) for code, counts in by_language.items()}


def _ordered(obj: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    out = {k: obj[k] for k in keys if k in obj}
    out.update((k, v) for k, v in obj.items() if k not in out)
    return out


def render_csv(report: Mapping[str, Any]) -> str:
    """One row per article, section and language, in the report's order of each."""
    coverage = read_report(report)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for article in coverage.articles:
        for section in article.sections:
            for language in coverage.languages:
                cell = section.cells.get(language.code)
                if cell is None:
                    continue
                writer.writerow(
                    (
                        article.id,
                        article.title or "",
                        article.publication or "",
                        article.issue or "",
                        article.date or "",
                        section.index,
                        section.title or "",
                        language.code,
                        *count_values(cell, COUNT_COLUMNS),
                        f"{cell.percent:.1f}",
                    )
                )
    return buffer.getvalue()


@dataclass(frozen=True)
class GridRow:
    """One row of an article × language grid, as the table, Markdown and HTML views draw it.

    ``kind`` is ``issue`` (counts added up over its articles), ``article``, ``section``, or
    ``missing`` (a title known from an issue's contents that was not ingested: no cells).
    ``context`` is the article's title on the rows of the flat section view.
    """

    kind: str
    label: str
    words: int | None
    cells: Mapping[str, Cell]
    article: str | None = None
    section: int | None = None
    context: str | None = None


#: The label of the row that gives an article's published translations.
PUBLISHED_LABEL = "published, aligned"


def grid_rows(
    coverage: ReportView, by: str, *, sections: bool | None = None, published: bool = False
) -> list[GridRow]:
    """The rows for ``by`` = ``article``, ``section`` or ``issue``.

    ``sections`` says whether each article row is followed by its sections; by default they
    are in the article view and not in the issue view. With ``published``, an article
    published in some languages is followed by a row ``published, aligned`` that gives,
    for each, the share of its words aligned from the publication (kind ``published``).
    """
    if by == "section":
        return [
            GridRow("section", s.label, s.words, s.cells, a.id, s.index, a.label)
            for a in coverage.articles
            for s in a.sections
        ]
    if sections is None:
        sections = by == "article"
    if by == "article":
        return [row for a in coverage.articles for row in _article_rows(a, sections, published)]
    rows: list[GridRow] = []
    for group in issue_groups(coverage):
        cells = group_cells(group.articles, coverage.languages) if group.articles else {}
        rows.append(GridRow("issue", group.label, sum(a.words for a in group.articles), cells))
        rows.extend(row for a in group.articles for row in _article_rows(a, sections, published))
        rows.extend(GridRow("missing", title, None, {}) for title in group.missing)
    return rows


def _article_rows(article: ArticleView, sections: bool, published: bool) -> list[GridRow]:
    rows = [GridRow("article", article.label, article.words, article.cells, article.id)]
    if published and article.published:
        cells = {code: Cell(Counts(), p) for code, p in article.published.items()}
        rows.append(GridRow("published", PUBLISHED_LABEL, None, cells, article.id))
    if sections:
        rows.extend(
            GridRow("section", s.label, s.words, s.cells, article.id, s.index)
            for s in article.sections
        )
    return rows


def group_cells(articles: Sequence[ArticleView], languages: Sequence[Language]) -> dict[str, Cell]:
    """Per language, the counts of several articles added up."""
    return {
        lang.code: sum_cells(a.cells[lang.code] for a in articles if lang.code in a.cells)
        for lang in languages
    }
