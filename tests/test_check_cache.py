"""A check that costs what changed: findings of unchanged files, wrong-language verdicts and
staleness come from the index; the result is the same as a fresh check's."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from projects import FIXTURES, config_of, make_project

import i18n_pipeline.checks.engine as engine
import i18n_pipeline.pipeline as pipeline
from i18n_pipeline.checks import CheckOptions, CheckResult, check_project
from i18n_pipeline.cli import main
from i18n_pipeline.po import parse_po
from i18n_pipeline.po.render import render_po

SEED = "wv/863/amnesty2"
HARBOUR = "wv/900/harbour"
TRANSLATED = {
    "de": "Die Arbeiterbewegung muss die Gewerkschaften gegen die Angriffe der Bosse verteidigen.",
    "fr": "Le mouvement ouvrier doit défendre les syndicats contre les attaques des patrons.",
}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("cache") / "p", languages=("de", "fr"))
    target = root / "articles" / f"{HARBOUR}.md"
    target.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "articles" / "harbour.md", target)
    result = CliRunner().invoke(main, ["--config", str(root / "config.yaml"), "ingest", "-q"])
    assert result.exit_code == 0, result.output
    for code, text in TRANSLATED.items():  # a few translations, one of them English
        for article in (SEED, HARBOUR):
            translate(root / "locales" / code / f"{article}.po", text, count=4)
    return root


@pytest.fixture
def proj(ingested: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "p"
    shutil.copytree(ingested, root)
    monkeypatch.chdir(root)
    return root


ENGLISH = "The workers movement must defend the unions against the attacks of the bosses."


def translate(path: Path, text: str, *, count: int, start: int = 0, english: bool = True) -> None:
    """Fill ``count`` entries from ``start`` with ``text``, the first one in English."""
    catalog = parse_po(path.read_bytes(), str(path))
    for number, entry in enumerate(catalog.entries[start : start + count]):
        entry.msgstr = ENGLISH if english and number == 0 else text
    path.write_bytes(render_po(catalog).encode("utf-8"))


def run(root: Path, **options: object) -> CheckResult:
    return check_project(config_of(root), CheckOptions(jobs=1, **options))  # type: ignore[arg-type]


def count_planning(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the articles planned for staleness from now on, in order."""
    planned: list[str] = []
    real = pipeline.plan_article

    def counting(config, source, **kwargs):  # type: ignore[no-untyped-def]
        planned.append(source.article_id)
        return real(config, source, **kwargs)

    monkeypatch.setattr(pipeline, "plan_article", counting)
    return planned


def summary(result: CheckResult) -> list[tuple[str, int | None, str, str, str]]:
    return [(p.path, p.line, p.severity, p.code, p.message) for p in result.problems]


def test_nothing_changed_reads_no_catalog_again(proj: Path) -> None:
    first = run(proj)
    assert first.rechecked == len(first.files) == 6
    assert first.detected > 0
    assert any(p.code == "W301" for p in first.problems)
    second = run(proj)
    assert (second.rechecked, second.detected) == (0, 0)
    assert summary(second) == summary(first)
    assert summary(run(proj, reuse=False)) == summary(first)


def test_an_edited_catalog_is_checked_again_and_judges_only_its_new_text(proj: Path) -> None:
    run(proj)
    path = proj / "locales" / "de" / f"{SEED}.po"
    translate(
        path,
        "Die Genossen verteidigen den Streik gegen die Polizei und den Staat.",
        count=1,
        start=6,
    )
    result = run(proj)
    assert result.rechecked == 1
    assert result.detected == 1  # the one new translation; the others' verdicts are kept
    assert summary(result) == summary(run(proj, reuse=False))


def test_a_new_release_of_the_other_rules_does_not_run_the_detector_again(
    proj: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run(proj)
    monkeypatch.setattr(engine, "RULES_VERSION", "next")
    result = run(proj)
    assert (result.rechecked, result.detected) == (6, 0)
    assert summary(result) == summary(first)


def test_a_new_release_of_the_detector_judges_every_entry_again(
    proj: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run(proj)
    monkeypatch.setattr(engine, "LANGUAGE_VERSION", "next")
    result = run(proj)
    assert result.rechecked == 6 and result.detected == first.detected
    assert summary(result) == summary(first)


def test_changed_severities_are_not_answered_from_the_cache(proj: Path) -> None:
    first = run(proj)
    assert any(p.code == "W301" and p.severity == "warning" for p in first.problems)
    config = proj / "config.yaml"
    data = yaml.safe_load(config.read_text("utf-8"))
    data["checks"]["severity"]["W301"] = "off"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = check_project(
        config_of(proj), CheckOptions(jobs=1, severities={"W301": "off", "W205": "error"})
    )
    assert result.rechecked == 6
    assert not any(p.code == "W301" for p in result.problems)


def test_unchanged_articles_are_not_planned_again(
    proj: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = CliRunner().invoke(main, ["sync"], catch_exceptions=False)  # edits indexed
    assert result.exit_code == 0, result.output
    planned = count_planning(monkeypatch)
    assert not any(p.code == "E108" for p in run(proj).problems)
    assert planned == []
    source = proj / "articles" / f"{SEED}.txt"
    source.write_text(source.read_text("utf-8").replace("in 1961,", "in 1962,"), "utf-8")
    stale = [p for p in run(proj).problems if p.code == "E108"]
    assert planned == [SEED]
    assert {p.path for p in stale} >= {f"locales/de/{SEED}.po", f"locales/templates/{SEED}.pot"}


def test_a_deleted_catalog_is_reported_and_forgotten(proj: Path) -> None:
    run(proj)
    (proj / "locales" / "fr" / f"{HARBOUR}.po").unlink()
    result = run(proj)
    assert f"locales/fr/{HARBOUR}.po" not in result.files
    assert any(p.code == "E108" and p.path == f"locales/fr/{HARBOUR}.po" for p in result.problems)


def test_the_fresh_flag_checks_every_file_again(proj: Path) -> None:
    run(proj)
    result = CliRunner().invoke(main, ["check", "--fresh", "--strict", "--format", "json"])
    assert result.exit_code == 1, result.output
    assert '"W301"' in result.stdout


def test_files_checked_a_slice_at_a_time_give_the_same_result(
    proj: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run(proj)
    monkeypatch.setattr(engine, "RUN_SLICE", 2)
    monkeypatch.setattr(engine, "LANGUAGE_VERSION", "next")
    sliced = run(proj)
    assert (sliced.rechecked, sliced.detected) == (6, first.detected)
    assert summary(sliced) == summary(first)
    assert summary(run(proj, reuse=False)) == summary(first)
    if engine.can_fork():  # in two worker processes, a slice handed over before the last ends
        monkeypatch.setattr(engine, "PARALLEL_MIN_FILES", 1)
        fresh = check_project(config_of(proj), CheckOptions(jobs=2, reuse=False))
        assert (fresh.rechecked, summary(fresh)) == (6, summary(first))


def test_a_survey_split_between_two_processes_gives_the_same_result(
    proj: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not engine.fork_pays():
        pytest.skip("one processor, or no fork: the survey is never split")
    CliRunner().invoke(main, ["sync"], catch_exceptions=False)
    serial = run(proj)
    monkeypatch.setattr(engine, "PARALLEL_WALK_FILES", 0)
    split = run(proj)
    assert (split.rechecked, split.files) == (0, serial.files)
    assert summary(split) == summary(serial)
    # an edited catalog (in the forked half), a changed source, a deleted catalog
    fr = proj / "locales" / "fr" / f"{SEED}.po"
    translate(fr, "Les ouvriers défendent la grève.", count=1, english=False)
    source = proj / "articles" / f"{SEED}.txt"
    source.write_text(source.read_text("utf-8").replace("in 1961,", "in 1962,"), "utf-8")
    (proj / "locales" / "fr" / f"{HARBOUR}.po").unlink()
    split = run(proj)
    assert split.rechecked == 1
    monkeypatch.setattr(engine, "PARALLEL_WALK_FILES", 10**9)
    assert summary(split) == summary(run(proj)) == summary(run(proj, reuse=False))
    assert any(p.code == "E108" and p.path == f"locales/fr/{HARBOUR}.po" for p in split.problems)
    assert any(p.code == "E108" and p.path == f"locales/de/{SEED}.po" for p in split.problems)


def test_thresholds_count_the_words_kept_for_unchanged_files(proj: Path) -> None:
    config = proj / "config.yaml"
    data = yaml.safe_load(config.read_text("utf-8"))
    data["thresholds"] = [{"language": "de", "min": 90}, {"language": "fr", "min": 0}]
    config.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    first = run(proj)
    below = [p for p in first.problems if p.code == "E109"]
    assert [p.message.split(" is at ")[0] for p in below] == ["de (Deutsch)"]
    again = run(proj)
    assert again.rechecked == 0
    assert summary(again) == summary(first) == summary(run(proj, reuse=False))
    # more German translated: the kept counts of the other files and the new ones add up
    path = proj / "locales" / "de" / f"{HARBOUR}.po"
    translate(path, "Die Genossen streiken.", count=3, start=4, english=False)
    changed = run(proj)
    assert changed.rechecked == 1
    assert summary(changed) == summary(run(proj, reuse=False)) != summary(first)


def test_files_with_a_new_mtime_and_the_same_bytes_are_not_checked_again(
    proj: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As after a fresh clone that restored the index: every file has a new mtime."""
    CliRunner().invoke(main, ["sync"], catch_exceptions=False)
    first = run(proj)
    planned = count_planning(monkeypatch)
    later = 2_000_000_000_000_000_000
    for path in (proj / "locales").rglob("*.po*"):
        os.utime(path, ns=(later, later))
    same_size = proj / "locales" / "de" / f"{HARBOUR}.po"  # one byte changed, same size
    data = same_size.read_bytes()
    at = data.rindex(b"Die ")
    same_size.write_bytes(data[:at] + b"DIE " + data[at + 4 :])
    os.utime(same_size, ns=(later, later))
    result = run(proj)
    assert result.rechecked == 1  # only the catalog whose bytes changed
    assert planned == [HARBOUR]  # its article alone is planned for staleness
    assert summary(result) == summary(run(proj, reuse=False))
    assert [p for p in summary(result) if p[0] != str(same_size.relative_to(proj))] == [
        p for p in summary(first) if p[0] != str(same_size.relative_to(proj))
    ]
    planned.clear()
    again = run(proj)  # the kept rows took the new mtimes
    assert again.rechecked == 0
    assert planned == [HARBOUR]
