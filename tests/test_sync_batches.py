"""Sync writes changed catalogs in batches; the outcome does not depend on the batch size."""

from __future__ import annotations

from click.testing import CliRunner
from projects import SEED_ID, config_of

from i18n_pipeline import sync as sync_module
from i18n_pipeline.cli import main
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.po.render import render_po
from i18n_pipeline.report.coverage import compute_coverage
from i18n_pipeline.store.db import make_engine


def test_batches_of_one_give_the_same_index(project, monkeypatch):
    assert CliRunner().invoke(main, ["run"]).exit_code == 0
    for code in ("de", "fr", "ja"):
        path = project / "locales" / code / f"{SEED_ID}.po"
        catalog = parse_po(path.read_bytes())
        catalog.entries[1].msgstr = f"{code}: title"
        path.write_text(render_po(catalog), "utf-8")
    monkeypatch.setattr(sync_module, "BATCH", 1)
    config = config_of(project)
    engine = make_engine(config.database_url)
    result = sync_module.sync(config, engine)
    assert result.catalogs_read == 3
    assert result.history == 3
    assert result.articles == 1
    totals = compute_coverage(config, engine).totals
    assert {code: totals[code].translated for code in ("de", "fr", "ja")} == {
        "de": 1,
        "fr": 1,
        "ja": 1,
    }
    again = sync_module.sync(config, engine)
    assert (again.catalogs_read, again.history) == (0, 0)
