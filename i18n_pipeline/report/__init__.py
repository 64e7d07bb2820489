"""Coverage reports: computed from the database, rendered to text in several formats.

Each renderer is a pure function from the coverage report dict (``contracts/coverage.md``)
to ``str``; writing the text out is the caller's job.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from i18n_pipeline.report.render import GROUPINGS, render_csv, render_json
    from i18n_pipeline.report.render_html import HTML_GROUPINGS, render_html
    from i18n_pipeline.report.render_markdown import render_markdown
    from i18n_pipeline.report.render_table import render_table

#: Where each name lives. A renderer's module is imported when the name is first asked
#: for, so that computing coverage (sync's snapshots, the JSON report) loads none of them.
_HOMES = {
    "GROUPINGS": "render",
    "render_csv": "render",
    "render_json": "render",
    "HTML_GROUPINGS": "render_html",
    "render_html": "render_html",
    "render_markdown": "render_markdown",
    "render_table": "render_table",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    # Importing the module render_html made it this package's attribute render_html: the
    # function takes the name back.
    globals()[name] = value
    return value


__all__ = [
    "GROUPINGS",
    "HTML_GROUPINGS",
    "render_csv",
    "render_html",
    "render_json",
    "render_markdown",
    "render_table",
]
