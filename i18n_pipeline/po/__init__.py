"""Gettext PO catalogs: the in-memory model, a strict parser, a counting scan and a writer.

Import the functions from here; the submodules are the implementation. Each is imported
when one of its names is first used, so that a command that only counts (``stats``) does not
pay for the parser's and the writer's start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from i18n_pipeline.po.catalog import Catalog, Entry
    from i18n_pipeline.po.parse import parse_po, parse_po_errors
    from i18n_pipeline.po.render import render_po
    from i18n_pipeline.po.scan import PoStats, catalog_stats, scan_po

_MODULES = {
    "Catalog": "catalog",
    "Entry": "catalog",
    "PoStats": "scan",
    "catalog_stats": "scan",
    "parse_po": "parse",
    "parse_po_errors": "parse",
    "render_po": "render",
    "scan_po": "scan",
}

__all__ = [
    "Catalog",
    "Entry",
    "PoStats",
    "catalog_stats",
    "parse_po",
    "parse_po_errors",
    "render_po",
    "scan_po",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
