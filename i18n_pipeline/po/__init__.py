"""Gettext PO catalogs: the in-memory model, a strict parser, a counting scan and a writer.

Import the functions from here; the submodules are the implementation.
"""

from i18n_pipeline.po.catalog import Catalog, Entry
from i18n_pipeline.po.parse import parse_po, parse_po_errors
from i18n_pipeline.po.render import render_po
from i18n_pipeline.po.scan import PoStats, catalog_stats, scan_po

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
