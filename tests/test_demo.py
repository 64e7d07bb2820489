"""The repository's own demo project: the main job leaves its committed files as they are."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from projects import snapshot_tree

from i18n_pipeline.cli import main

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's config, articles and committed catalogs."""
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    root = tmp_path / "demo"
    root.mkdir()
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    for folder in ("articles", "locales"):
        shutil.copytree(REPO / folder, root / folder)
    monkeypatch.chdir(root)
    return root


def test_the_main_job_writes_exactly_the_committed_catalogs(demo: Path) -> None:
    committed = snapshot_tree(REPO / "locales")
    assert len(committed) == 12  # the template and the eleven languages of the sample
    for _ in range(2):
        result = CliRunner().invoke(main, ["run"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert snapshot_tree(demo / "locales") == committed
    assert CliRunner().invoke(main, ["check"], catch_exceptions=False).exit_code == 0
