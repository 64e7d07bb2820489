"""Helpers for the merge tests: templates from article text, catalogs checked on disk, and
GNU msgmerge as the reference."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from projects import SEED, SEED_ID, msgfmt_check

from i18n_pipeline.config import Config
from i18n_pipeline.po.catalog import Catalog
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.po.render import render_po
from i18n_pipeline.read import parse_article
from i18n_pipeline.segment import segment
from i18n_pipeline.template import build_template

SEED_TEXT = SEED.read_text("utf-8")
SOURCE_PATH = f"articles/{SEED_ID}.txt"
HAVE_MSGMERGE = shutil.which("msgmerge") is not None


def template_of(config: Config, text: str, *, creation: str = "2026-01-01 00:00+0000") -> Catalog:
    """The template ingest would write for ``text`` as the seed article."""
    article = parse_article(
        text.encode("utf-8"),
        article_id=SEED_ID,
        source_path=SOURCE_PATH,
        fmt="txt",
        profile=config.site,
        source_language="en",
        pinned={"*": "en"},
    )
    return build_template(article, segment(article), creation_date=creation)


def states(catalog: Catalog) -> tuple[dict[str, str], set[str]]:
    """Each active msgid's state, and the obsolete msgids."""
    active = {e.msgid: e.state for e in catalog.entries if not e.obsolete}
    return active, {e.msgid for e in catalog.entries if e.obsolete}


def translations(catalog: Catalog) -> set[str]:
    """Every non-empty msgstr the catalog holds, active or obsolete."""
    return {e.msgstr for e in catalog.entries if e.msgstr}


def write_checked(catalog: Catalog, path: Path) -> Catalog:
    """Write ``catalog``, insist that msgfmt accepts it, and return it as read back."""
    path.write_text(render_po(catalog), "utf-8")
    complaints = msgfmt_check(path)
    assert complaints == "", complaints
    return parse_po(path.read_bytes(), path.name)


def msgmerge(old: Catalog, template: Catalog, folder: Path) -> Catalog:
    """What ``msgmerge --previous`` makes of ``old`` and ``template``."""
    old_path, pot, out = folder / "old.po", folder / "new.pot", folder / "out.po"
    old_path.write_text(render_po(old), "utf-8")
    pot.write_text(render_po(template), "utf-8")
    subprocess.run(
        ["msgmerge", "--quiet", "--previous", "-o", str(out), str(old_path), str(pot)],
        check=True,
    )
    return parse_po(out.read_bytes(), out.name)
