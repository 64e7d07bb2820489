"""A catalog's header is the translator's: ingest keeps it, check only reports real
disagreements, and nothing written depends on the installed Babel."""

from __future__ import annotations

import shutil
from pathlib import Path

import babel
import babel.messages.plurals as babel_plurals
import pytest
import yaml
from click.testing import CliRunner
from projects import SEED_ID, make_project, snapshot_tree

from i18n_pipeline import languages
from i18n_pipeline.checks import CheckOptions, check_project
from i18n_pipeline.checks import engine as check
from i18n_pipeline.cli import main
from i18n_pipeline.config import load_config
from i18n_pipeline.merge import merge_catalog
from i18n_pipeline.model import Language
from i18n_pipeline.po.catalog import Catalog, Entry
from i18n_pipeline.po.parse import parse_po

ARTICLE = Path("articles") / f"{SEED_ID}.txt"

#: A French catalog as Poedit leaves it: its own order, its own spelling of the rule.
POEDIT_HEADER = [
    ("Project-Id-Version", SEED_ID),
    ("Report-Msgid-Bugs-To", ""),
    ("POT-Creation-Date", "2020-01-01 00:00+0000"),
    ("Language-Team", "French <traduc@traduc.org>"),
    ("Language", "fr"),
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
    ("Plural-Forms", "nplurals=2; plural=n>1;"),
    ("PO-Revision-Date", "2024-03-02 10:11+0100"),
    ("Last-Translator", "Marie Curie <marie@example.org>"),
    ("X-Generator", "Poedit 3.4.2"),
    ("X-Poedit-SourceCharset", "UTF-8"),
]


def run_cli(root: Path, *args: str) -> str:
    result = CliRunner().invoke(
        main, ["--config", str(root / "config.yaml"), *args], catch_exceptions=False
    )
    assert result.exit_code in (0, 1), result.output
    return result.output


def problems(root: Path, code: str) -> list[str]:
    result = check_project(load_config(root / "config.yaml"), CheckOptions(jobs=1, stale=True))
    return [f"{p.path}:{p.line}: {p.code}: {p.message}" for p in result.problems if p.code == code]


def set_header(path: Path, headers: list[tuple[str, str]]) -> None:
    catalog = parse_po(path.read_bytes(), str(path))
    catalog.headers = list(headers)
    from i18n_pipeline.po.render import render_po

    path.write_bytes(render_po(catalog).encode("utf-8"))


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    root = make_project(tmp_path / "p", languages=("de", "fr", "ru"))
    run_cli(root, "ingest", "-q")
    return root


def test_ingest_keeps_every_header_a_translator_or_tool_owns(proj: Path) -> None:
    fr = proj / "locales" / "fr" / f"{SEED_ID}.po"
    set_header(fr, POEDIT_HEADER)
    source = proj / ARTICLE
    source.write_text(source.read_text("utf-8").replace("in 1961,", "in 1962,"), "utf-8")
    run_cli(proj, "ingest", "-q")
    headers = parse_po(fr.read_bytes(), str(fr)).headers
    expected = dict(POEDIT_HEADER)
    template = parse_po((proj / "locales" / "templates" / f"{SEED_ID}.pot").read_bytes())
    expected["POT-Creation-Date"] = template.header("POT-Creation-Date") or ""
    assert headers == list(expected.items())  # same order, same values, nothing added
    assert problems(proj, "E103") == []  # n>1 is (n > 1) spelled otherwise
    assert problems(proj, "E108") == []


def test_a_rule_that_really_differs_is_kept_and_reported(proj: Path) -> None:
    de = proj / "locales" / "de" / f"{SEED_ID}.po"
    catalog = parse_po(de.read_bytes(), str(de))
    catalog.set_header("Plural-Forms", "nplurals=2; plural=(n > 1);")
    set_header(de, catalog.headers)
    run_cli(proj, "ingest", "-q")
    assert parse_po(de.read_bytes()).header("Plural-Forms") == "nplurals=2; plural=(n > 1);"
    assert problems(proj, "E103") == [
        f"locales/de/{SEED_ID}.po:16: E103: Plural-Forms 'nplurals=2; plural=(n > 1);' "
        "differs from the rule for 'de': 'nplurals=2; plural=(n != 1);'"
    ]


def test_the_configured_rule_is_what_check_holds_catalogs_to(proj: Path) -> None:
    config = proj / "config.yaml"
    data = yaml.safe_load(config.read_text("utf-8"))
    data["languages"][1]["plural_forms"] = "nplurals=2; plural=(n != 1);"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    found = problems(proj, "E103")
    assert found == [
        f"locales/fr/{SEED_ID}.po:16: E103: Plural-Forms 'nplurals=2; plural=(n > 1);' "
        "differs from the rule for 'fr': 'nplurals=2; plural=(n != 1);'"
    ]


def test_a_new_plural_entry_takes_the_catalogs_own_number_of_forms() -> None:
    german = Language("de", "Deutsch", "German", "nplurals=2; plural=(n != 1);")
    old = Catalog(
        headers=[("Language", "de"), ("Plural-Forms", "nplurals=3; plural=(n==1 ? 0 : 2);")],
        entries=[],
    )
    template = Catalog(entries=[Entry(msgid="one prisoner", msgid_plural="{n} prisoners")])
    merged, _ = merge_catalog(old, template, german)
    assert merged.header("Plural-Forms") == "nplurals=3; plural=(n==1 ? 0 : 2);"
    assert merged.entries[0].msgstr_plural == {0: "", 1: "", 2: ""}
    fresh, _ = merge_catalog(None, template, german)
    assert fresh.header("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert fresh.entries[0].msgstr_plural == {0: "", 1: ""}


class _FakePlural:
    num_plurals = 5
    plural_expr = "n%5"
    plural_forms = "nplurals=5; plural=n%5;"


def _clear_caches() -> None:
    languages.plural_forms.cache_clear()
    languages.english_name.cache_clear()
    check._table_rule.cache_clear()
    check._plural_rule_problem.cache_clear()


def test_catalogs_do_not_depend_on_the_installed_babel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    monkeypatch.setattr(
        "i18n_pipeline.template.po_date", lambda moment=None: "2026-01-01 00:00+0000"
    )
    monkeypatch.setattr(
        "i18n_pipeline.pipeline.po_date", lambda moment=None: "2026-01-01 00:00+0000"
    )

    def build(root: Path) -> tuple[dict[str, bytes], list[str]]:
        make_project(root)
        run_cli(root, "ingest", "-q")
        found = run_cli(root, "check").splitlines()
        shutil.rmtree(root / ".i18n")
        return snapshot_tree(root / "locales"), [line for line in found if "E10" in line]

    _clear_caches()
    reference, reference_problems = build(tmp_path / "a")

    # Another Babel: every language has five forms and another English name.
    monkeypatch.setattr(babel_plurals, "PLURALS", {})
    monkeypatch.setattr(babel_plurals, "get_plural", lambda locale=None: _FakePlural())
    monkeypatch.setattr(babel.Locale, "english_name", property(lambda self: "Changed"))
    monkeypatch.setattr(babel.Locale, "plural_form", property(lambda self: lambda n: "other"))
    _clear_caches()
    assert babel_plurals.get_plural("fr").plural_forms == "nplurals=5; plural=n%5;"
    try:
        other, other_problems = build(tmp_path / "b")
    finally:
        monkeypatch.undo()
        _clear_caches()
    assert other == reference
    assert other_problems == reference_problems == []
    assert b"nplurals=2; plural=(n > 1);" in reference[f"fr/{SEED_ID}.po"]
