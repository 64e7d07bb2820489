"""The coverage report as a terminal table drawn by rich.

Languages are columns; each cell is the percent of source words translated with a mini bar
beside it, coloured by how far the language has come. The bars shrink to one character
when many languages share a narrow terminal.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from i18n_pipeline.model import Language
from i18n_pipeline.report.render import (
    LANGUAGE_SUMMARY,
    Cell,
    ChangeView,
    GridRow,
    ReportView,
    check_grouping,
    count_values,
    format_percent,
    grid_rows,
    read_report,
    sum_cells,
)

_LABEL_WIDTH = 36
_WORDS_WIDTH = 8
_PERCENT_WIDTH = 6  # "100.0%"
_MAX_BAR = 10
_EIGHTHS = " ▏▎▍▌▋▊▉"
_LEVELS = " ▁▂▃▄▅▆▇█"

_ROW_STYLES = {
    "issue": "bold",
    "article": "bold",
    "section": "",
    "missing": "dim italic",
    "published": "italic",
}


def render_table(
    report: Mapping[str, Any], *, by: str = "article", color: bool | None = None, width: int = 120
) -> str:
    """The report as rich text: ``by`` is language, article (with sections), section or issue.

    ``color`` None colours only when the environment asks for it (``FORCE_COLOR``);
    False gives plain text.
    """
    check_grouping(by)
    coverage = read_report(report)
    file = io.StringIO()
    console = Console(
        file=file,
        force_terminal=color,
        no_color=None if color is None else not color,
        color_system=_color_system(color),
        width=width,
        height=25,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    if by == "language":
        console.print(_language_table(coverage, width))
    else:
        console.print(_grid_table(coverage, grid_rows(coverage, by, published=True), by, width))
    return file.getvalue()


def _color_system(color: bool | None) -> Literal["auto", "standard"] | None:
    if color is None:
        return "auto"
    return "standard" if color else None


def _table(title: str, coverage: ReportView, *, padding: int) -> Table:
    """A table with a totals footer, captioned with what the percents mean and when."""
    return Table(
        title=title,
        caption=f"% of source words translated · generated {coverage.generated_at}",
        box=box.SIMPLE,
        show_footer=True,
        padding=(0, padding),
        pad_edge=False,
    )


def _grid_table(coverage: ReportView, rows: Sequence[GridRow], by: str, width: int) -> Table:
    languages = coverage.languages
    bar = _bar_width(width, len(languages))
    cell_width = _PERCENT_WIDTH + (bar + 1 if bar > 1 else bar)
    table = _table("Translation coverage", coverage, padding=0)
    top = {"issue": "issue", "article": "article"}.get(by)
    total_words = f"{sum(a.words for a in coverage.articles):,}"
    words_width = max(5, len(total_words))
    columns = len(languages) + (3 if by == "section" else 2)
    # What is left once the edges, the separators and the number columns have their room.
    room = width - 1 - columns - words_width - len(languages) * cell_width
    change = coverage.change
    total_label = f"Total\nΔ since {change.since}" if change else "Total"
    if by == "section":
        table.add_column("Article", footer=total_label, max_width=max(10, room // 2), no_wrap=True)
        table.add_column("Section", max_width=max(10, room - room // 2), no_wrap=True)
    else:
        heading = "Issue / article" if by == "issue" else "Article"
        table.add_column(heading, footer=total_label, max_width=max(12, room))
    table.add_column("Words", footer=total_words, justify="right", width=words_width)
    for lang in languages:
        total = coverage.totals.get(lang.code)
        footer = _cell(total, bar) if total else Text("—")
        if change:
            footer = Text.assemble(footer, "\n", _change(change, lang.code))
        table.add_column(lang.code, footer=footer, justify="right", width=cell_width)
    for i, row in enumerate(rows):
        labels = [_label(row, indent=row.kind != top and by != "section")]
        if by == "section":
            labels.insert(0, Text(row.context or "", no_wrap=True, overflow="ellipsis"))
        words = Text("" if row.words is None else f"{row.words:,}", style="dim")
        cells = [_cell(row.cells.get(lang.code), bar) for lang in languages]
        end = i + 1 < len(rows) and rows[i + 1].kind == top and row.kind != top
        table.add_row(*labels, words, *cells, end_section=end)
    return table


def _label(row: GridRow, *, indent: bool) -> Text:
    """Article and section titles are cut short; issue names and missing titles wrap."""
    cut = row.kind in ("article", "section", "published")
    text = Text(
        ("  " if indent else "") + row.label,
        style=_ROW_STYLES[row.kind],
        no_wrap=cut,
        overflow="ellipsis" if cut else "fold",
    )
    if row.kind == "missing":
        text.append(" (not ingested)", style="dim")
    return text


def _language_table(coverage: ReportView, width: int) -> Table:
    table = _table("Translation coverage by language", coverage, padding=1)
    present = [lang for lang in coverage.languages if lang.code in coverage.totals]
    every = sum_cells(coverage.totals[lang.code] for lang in present)
    table.add_column("Language", footer="All languages", overflow="ellipsis")
    for header, value in zip(LANGUAGE_SUMMARY.values(), _summary(every), strict=True):
        table.add_column(header, footer=value, justify="right")
    bar = max(1, min(20, width - 110))
    table.add_column("Coverage", footer=_cell(every, bar), no_wrap=True)
    change = coverage.change
    if change:
        table.add_column(f"Δ since {change.since}", justify="right")
    for lang in present:
        cell = coverage.totals[lang.code]
        extra = [_change(change, lang.code)] if change else []
        table.add_row(_language_label(lang), *_summary(cell), _cell(cell, bar), *extra)
    return table


def _change(change: ChangeView, code: str) -> Text:
    """The percentage points a language gained (green) or lost (red) since the date."""
    points = change.percent.get(code)
    style = "dim" if not points else ("green" if points > 0 else "red")
    return Text(change.label(code), style=style)


def _summary(cell: Cell) -> list[str]:
    return [f"{n:,}" for n in count_values(cell, LANGUAGE_SUMMARY)]


def _language_label(lang: Language) -> str:
    return f"{lang.label} ({lang.code})" if lang.label != lang.code else lang.code


def _bar_width(width: int, languages: int) -> int:
    """Characters left for each mini bar once the labels and percents have their room."""
    if languages == 0:
        return 0
    per_language = (width - _LABEL_WIDTH - _WORDS_WIDTH) // languages - 1 - _PERCENT_WIDTH - 1
    return max(1, min(_MAX_BAR, per_language))


def _cell(cell: Cell | None, bar: int) -> Text:
    if cell is None:
        return Text("—", style="dim")
    style = _style(cell.percent)
    text = Text(format_percent(cell.percent).rjust(_PERCENT_WIDTH), style=style)
    if bar > 1:
        text.append(" ")
    text.append(mini_bar(cell.percent, bar), style=style)
    return text


def _style(percent: float) -> str:
    if percent >= 100:
        return "bold green"
    if percent >= 75:
        return "green"
    if percent >= 25:
        return "yellow"
    return "red"


def mini_bar(percent: float, width: int) -> str:
    """A bar of ``width`` characters in eighths, ``░`` for what is left; one rising block
    when ``width`` is 1."""
    fraction = min(max(percent, 0.0), 100.0) / 100
    if width <= 1:
        return _LEVELS[round(fraction * 8)]
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (_EIGHTHS[part] if part else "")
    return bar + "░" * (width - len(bar))
