"""Building small throwaway projects for tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from i18n_pipeline.config import Config, load_config
from i18n_pipeline.project import STARTER_CONFIG

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed" / "amnesty2.txt"
SEED_ID = "wv/863/amnesty2"


def make_project(
    root: Path,
    *,
    languages: tuple[str, ...] | None = None,
    seed: bool = True,
    database_url: str | None = None,
    extra: dict | None = None,
) -> Path:
    """A project folder with the starter config, optionally fewer languages, and the seed."""
    data = yaml.safe_load(STARTER_CONFIG)
    if languages is not None:
        data["languages"] = [lang for lang in data["languages"] if lang["code"] in languages]
    if database_url is not None:
        data["database"] = {"url": database_url}
    data.update(extra or {})
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    (root / "articles").mkdir(exist_ok=True)
    if seed:
        target = root / "articles" / f"{SEED_ID}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SEED, target)
    return root


def config_of(root: Path) -> Config:
    return load_config(root / "config.yaml")


def msgfmt_check(path: Path) -> str:
    """msgfmt's complaints about a catalog ('' when it passes), or '' without msgfmt."""
    if shutil.which("msgfmt") is None:
        return ""
    proc = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
    )
    if path.suffix == ".pot":  # a template keeps xgettext's placeholder header values
        return proc.stderr if proc.returncode else ""
    return proc.stderr if proc.returncode or proc.stderr else ""


def snapshot_tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
