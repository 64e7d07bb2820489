"""The coverage report as GitHub-flavoured Markdown, for a pull request, a wiki page or
``$GITHUB_STEP_SUMMARY``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from i18n_pipeline.report.render import (
    LANGUAGE_SUMMARY,
    Cell,
    ReportView,
    check_grouping,
    count_values,
    format_percent,
    grid_rows,
    read_report,
    sum_cells,
)

#: Characters that Markdown or GitHub's table syntax would read as markup.
_MARKUP = re.compile(r"([\\`*_\[\]<>|~&#!])")


def escape_markdown(text: str) -> str:
    """Text that renders as itself inside a table cell: markup backslash-escaped, one line."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


def render_markdown(report: Mapping[str, Any], *, by: str = "article") -> str:
    """The report as a heading, a line on its provenance, and one table for ``by``."""
    check_grouping(by)
    coverage = read_report(report)
    lines = [
        "## Translation coverage",
        "",
        f"Percent of source words translated. Generated {escape_markdown(coverage.generated_at)}"
        f" · schema `{coverage.schema}`",
        "",
    ]
    if by == "language":
        lines += _language_table(coverage)
    else:
        lines += _grid_table(coverage, by)
    return "\n".join(lines) + "\n"


def _grid_table(coverage: ReportView, by: str) -> list[str]:
    codes = [lang.code for lang in coverage.languages]
    heads = {"section": ["Article", "Section"], "issue": ["Issue / article"]}.get(by, ["Article"])
    lines = [_row([*heads, "Words", *codes]), _rule(len(heads), 1 + len(codes))]
    for row in grid_rows(coverage, by, published=True):
        label = escape_markdown(row.label)
        if row.kind == "published":
            label = f"↳ *{label}*"
        elif row.kind == "missing":
            label = f"↳ *{label}* (not ingested)"
        elif row.kind == by != "section":
            label = f"**{label}**"
        elif by != "section":
            label = f"↳ {label}"
        labels = [escape_markdown(row.context or ""), label] if by == "section" else [label]
        words = "" if row.words is None else f"{row.words:,}"
        lines.append(_row([*labels, words, *_cells(row.cells, codes)]))
    total_words = f"{sum(a.words for a in coverage.articles):,}"
    totals = [f"**{c}**" for c in _cells(coverage.totals, codes)]
    lines.append(_row(["**Total**", *[""] * (len(heads) - 1), total_words, *totals]))
    if coverage.change:
        change = coverage.change
        label = f"**Δ since {escape_markdown(change.since)}** (points)"
        lines.append(_row([label, *[""] * (len(heads) - 1), "", *(change.label(c) for c in codes)]))
    return lines


def _language_table(coverage: ReportView) -> list[str]:
    change = coverage.change
    heads = ["Language", *LANGUAGE_SUMMARY.values(), "Coverage"]
    if change:
        heads.append(f"Δ since {escape_markdown(change.since)}")
    lines = [_row(heads), _rule(1, len(heads) - 1)]
    present = [lang for lang in coverage.languages if lang.code in coverage.totals]
    for lang in present:
        label = f"{escape_markdown(lang.label)} (`{lang.code}`)"
        extra = [change.label(lang.code)] if change else []
        lines.append(_row([label, *_summary(coverage.totals[lang.code]), *extra]))
    every = sum_cells(coverage.totals[lang.code] for lang in present)
    extra = [""] if change else []
    lines.append(_row(["**All languages**", *(f"**{n}**" for n in _summary(every)), *extra]))
    return lines


def _summary(cell: Cell) -> list[str]:
    numbers = count_values(cell, LANGUAGE_SUMMARY)
    return [*(f"{n:,}" for n in numbers), format_percent(cell.percent)]


def _cells(cells: Mapping[str, Cell], codes: Sequence[str]) -> list[str]:
    return [format_percent(cells[code].percent) if code in cells else "—" for code in codes]


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _rule(text_columns: int, number_columns: int) -> str:
    return _row([":---"] * text_columns + ["---:"] * number_columns)
