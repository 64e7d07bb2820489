"""The main job end to end on a tmp project: ingest, sync, report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from projects import SEED_ID, config_of, msgfmt_check, snapshot_tree

from i18n_pipeline.cli import main
from i18n_pipeline.pipeline import ingest
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.po.render import render_po
from i18n_pipeline.report.coverage import ReportOptions
from i18n_pipeline.service import render_report
from i18n_pipeline.store.db import make_engine
from i18n_pipeline.sync import sync


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def catalogs(root: Path) -> list[Path]:
    return sorted((root / "locales").rglob("*.po*"))


def test_ingest_writes_template_and_catalogs(project):
    result = run_cli("ingest")
    assert result.exit_code == 0, result.output
    files = [p.relative_to(project).as_posix() for p in catalogs(project)]
    assert files == [
        f"locales/de/{SEED_ID}.po",
        f"locales/fr/{SEED_ID}.po",
        f"locales/ja/{SEED_ID}.po",
        f"locales/templates/{SEED_ID}.pot",
    ]
    for path in catalogs(project):
        assert msgfmt_check(path) == "", path
    template = parse_po((project / files[-1]).read_bytes())
    assert len(template.entries) == 51
    first = template.entries[0]
    assert first.msgid == 'Imperialist "Democracy" at Work'
    assert first.extracted_comments == ["Section 0: (lead)", "Block: title (kicker)"]
    assert first.references == ["articles/wv/863/amnesty2.txt:15"]
    de = parse_po((project / files[0]).read_bytes())
    assert de.header("Language") == "de"
    assert de.header("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert (
        parse_po((project / files[2]).read_bytes()).header("Plural-Forms")
        == "nplurals=1; plural=0;"
    )


def test_rerun_changes_no_byte(project):
    assert run_cli("run").exit_code == 0
    before = snapshot_tree(project / "locales")
    assert run_cli("run").exit_code == 0
    assert snapshot_tree(project / "locales") == before


def _translate(path: Path, translations: dict[str, str], *, fuzzy: bool = False) -> None:
    catalog = parse_po(path.read_bytes())
    for entry in catalog.entries:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            entry.set_fuzzy(fuzzy)
    path.write_text(render_po(catalog), "utf-8")


def test_translation_shows_up_in_the_right_section_and_language(project):
    assert run_cli("run").exit_code == 0
    de = project / "locales" / "de" / f"{SEED_ID}.po"
    _translate(de, {"Proletarian Justice": "Proletarische Justiz"})
    result = run_cli("sync")
    assert result.exit_code == 0, result.output
    report = json.loads(run_cli("report", "--format", "json").output)
    article = report["articles"][0]
    sections = {s["index"]: s for s in article["sections"]}
    assert sections[3]["title"] == "Proletarian Justice"
    assert sections[3]["languages"]["de"]["translated"] == 1
    assert sections[3]["languages"]["de"]["translated_words"] == 2
    for index, section in sections.items():
        for code, counts in section["languages"].items():
            if (index, code) != (3, "de"):
                assert counts["translated"] == 0, (index, code)
                assert counts["translated_words"] == 0
    assert article["languages"]["de"]["translated"] == 1
    assert article["languages"]["fr"]["translated"] == 0
    assert report["totals"]["de"]["translated_words"] == 2
    assert report["totals"]["de"]["words"] == article["words"]


def test_json_follows_the_contract(project):
    assert run_cli("run").exit_code == 0
    report = json.loads(run_cli("report", "--format", "json").output)
    assert report["schema"] == "i18n-pipeline/coverage/1"
    assert report["source_language"] == "en"
    assert [lang["code"] for lang in report["languages"]] == ["de", "fr", "ja"]
    assert report["languages"][0] == {"code": "de", "label": "Deutsch", "name": "German"}
    (article,) = report["articles"]
    assert article["id"] == SEED_ID
    assert article["title"] == "U.S. Torture Machine"
    assert article["source_path"] == "articles/wv/863/amnesty2.txt"
    assert (article["publication"], article["issue"], article["date"]) == (
        "Workers Vanguard",
        "863",
        "2006-02-03",
    )
    assert article["units"] == 51
    assert [s["index"] for s in article["sections"]] == list(range(6))
    assert article["sections"][0]["title"] is None
    keys = {
        "units",
        "translated",
        "fuzzy",
        "untranslated",
        "words",
        "translated_words",
        "fuzzy_words",
        "untranslated_words",
        "percent",
    }
    counts = article["languages"]["de"]
    assert keys <= set(counts)
    assert counts["units"] == counts["translated"] + counts["fuzzy"] + counts["untranslated"]
    assert counts["percent"] == 0.0
    assert sum(s["words"] for s in article["sections"]) == article["words"]


def test_syntax_error_in_one_catalog_stops_neither_others_nor_report(project):
    assert run_cli("run").exit_code == 0
    fr = project / "locales" / "fr" / f"{SEED_ID}.po"
    broken = fr.read_bytes().replace(b'msgid "Part Two"', b'msgid "Part Two', 1)
    fr.write_bytes(broken)
    article = project / "articles" / f"{SEED_ID}.txt"
    article.write_text(
        article.read_text("utf-8").replace("Proletarian Justice", "Proletarian Law"), "utf-8"
    )
    result = run_cli("run")
    assert result.exit_code == 2
    assert f"locales/fr/{SEED_ID}.po:" in result.output
    assert fr.read_bytes() == broken
    de = parse_po((project / "locales" / "de" / f"{SEED_ID}.po").read_bytes())
    assert any(e.msgid == "Proletarian Law" for e in de.entries)
    assert "Total" in result.output


def test_library_stages_report_counts(project):
    config = config_of(project)
    engine = make_engine(config.database_url)
    first = ingest(config, engine)
    assert first.ok and first.articles == 1 and len(first.written) == 4
    again = ingest(config, engine)
    assert again.written == [] and again.unchanged == 3
    synced = sync(config, engine)
    assert synced.catalogs_read == 0  # ingest indexed what it wrote
    text = render_report(config, engine, ReportOptions(), fmt="table")
    assert "U.S. Torture Machine" in text and "Total" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "articles/wv/1/bad.txt: empty file"),
        (b"\x00\x01\x02binary", "articles/wv/1/bad.txt: binary file"),
        ("Caf\xe9 au lait\n".encode("latin-1"), "articles/wv/1/bad.txt:1: not valid UTF-8"),
    ],
)
def test_bad_article_is_one_line_and_others_still_ingest(project, content, message):
    bad = project / "articles" / "wv" / "1" / "bad.txt"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(content)
    result = run_cli("ingest")
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if "bad.txt" in line]
    assert len(lines) == 1 and lines[0].startswith(message), result.output
    assert "Traceback" not in result.output
    assert (project / "locales" / "de" / f"{SEED_ID}.po").exists()


def test_path_outside_sources_is_refused(project, tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("Text\n")
    result = run_cli("ingest", str(project / "articles" / ".." / ".." / "elsewhere.txt"))
    assert result.exit_code == 2
    assert "not under the sources folder articles/" in result.output


def test_invalid_id_is_refused(project):
    bad = project / "articles" / "wv" / "my article.txt"
    bad.write_text("Title\n\nSome text here.\n")
    result = run_cli("ingest", str(bad))
    assert result.exit_code == 2
    assert "has characters outside [A-Za-z0-9._/-]: ' '" in result.output
    assert not (project / "locales").exists()


def test_translator_edit_seen_by_ingest_is_recorded_as_theirs(project):
    from sqlalchemy import select

    from i18n_pipeline.store.db import session_scope
    from i18n_pipeline.store.models import HistoryRow

    assert run_cli("run").exit_code == 0
    de = project / "locales" / "de" / f"{SEED_ID}.po"
    text = de.read_text("utf-8").replace(
        '"Last-Translator: \\n"', '"Last-Translator: Rosa <rosa@example.org>\\n"'
    )
    de.write_text(text, "utf-8")
    _translate(de, {"Proletarian Justice": "Proletarische Justiz"})
    assert run_cli("ingest").exit_code == 0
    config = config_of(project)
    with session_scope(make_engine(config.database_url)) as session:
        rows = list(session.scalars(select(HistoryRow).where(HistoryRow.language == "de")))
    assert [(r.cause, r.old_state, r.new_state, r.new_text, r.translator) for r in rows] == [
        (
            "translator",
            "untranslated",
            "translated",
            "Proletarische Justiz",
            "Rosa <rosa@example.org>",
        )
    ]
    assert run_cli("sync").exit_code == 0  # nothing left for sync to find
    with session_scope(make_engine(config.database_url)) as session:
        assert len(list(session.scalars(select(HistoryRow)))) == 1
