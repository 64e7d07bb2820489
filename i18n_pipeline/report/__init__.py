"""Coverage reports: computed from the database, rendered to text in several formats.

Each renderer is a pure function from the coverage report dict (``contracts/coverage.md``)
to ``str``; writing the text out is the caller's job.
"""

from __future__ import annotations

from i18n_pipeline.report.render import GROUPINGS, render_csv, render_json
from i18n_pipeline.report.render_html import HTML_GROUPINGS, render_html
from i18n_pipeline.report.render_markdown import render_markdown
from i18n_pipeline.report.render_table import render_table

__all__ = [
    "GROUPINGS",
    "HTML_GROUPINGS",
    "render_csv",
    "render_html",
    "render_json",
    "render_markdown",
    "render_table",
]
