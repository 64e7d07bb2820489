"""``check``: one failing fixture per code, a clean one, msgfmt's lines, staleness,
thresholds, the ignore comment, --changed-only and the exit codes of the command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from projects import FIXTURES, config_of, make_project, msgfmt_check, snapshot_tree

import i18n_pipeline.checks.engine as check
from i18n_pipeline.checks import (
    CODES,
    CheckOptions,
    CheckResult,
    Problem,
    check_files,
    check_project,
)
from i18n_pipeline.cli import main
from i18n_pipeline.po import parse_po
from i18n_pipeline.po.render import render_po

CHECK_FIXTURES = FIXTURES / "check" / "de"
PO_FIXTURES = FIXTURES / "po"
MSGFMT = shutil.which("msgfmt")
SEED = "wv/863/amnesty2"
HARBOUR = "wv/900/harbour"  # tags: dockers, strikes; dated 2008-03-14

#: What each fixture must report, exactly: (code, line).
EXPECTED: dict[str, list[tuple[str, int]]] = {
    "clean.po": [],
    "E101.po": [("E101", 20), ("E101", 22), ("E101", 21), ("E101", 22)],
    "E102.po": [("E102", 8)],  # the "Language: fr" line
    "E103.po": [("E103", 12)],  # the "Plural-Forms" line
    "E104.po": [("E104", 10)],  # the "Content-Type" line
    "E105.po": [("E105", 18)],
    "E106.po": [("E106", 21)],
    "E107.po": [("E107", 19)],
    "E110.po": [("E110", 17), ("E110", 22), ("E110", 26), ("E110", 30)],  # msgfmt -c's lines
    "E111.po": [("E111", 16), ("E111", 20)],
    "E112.po": [("E112", 15)],
    "W201.po": [("W201", 14)],
    "W202.po": [("W202", 14)],
    "W203.po": [("W203", 14)],
    "W204.po": [("W204", 14)],
    "W205.po": [("W205", 19)],
    "W301.po": [("W301", 19)],
    "ignored.po": [("W205", 27)],  # "ignore W301" does not silence W205
}
#: Codes checked on a project rather than on one file (tested below on tmp projects).
PROJECT_CODES = {"E108", "E109"}


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def found(result: CheckResult) -> list[tuple[str, int | None]]:
    return [(p.code, p.line) for p in result.problems]


def check_fixture(name: str, **options: object) -> CheckResult:
    opts = CheckOptions(wrong_language=True, jobs=1, **options)  # type: ignore[arg-type]
    return check_files([CHECK_FIXTURES / name], opts)


# -- one file, one code ------------------------------------------------------------------------


def test_every_code_has_a_failing_fixture() -> None:
    assert sorted(p.name for p in CHECK_FIXTURES.glob("*.po")) == sorted(EXPECTED)
    fixture_codes = {name.removesuffix(".po") for name in EXPECTED if name[0] in "EW"}
    assert fixture_codes | PROJECT_CODES == set(CODES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_reports_exactly_its_code(name: str) -> None:
    result = check_fixture(name)
    assert found(result) == EXPECTED[name]
    assert result.files == [str(CHECK_FIXTURES / name)]
    for problem in result.problems:
        assert problem.severity == CODES[problem.code].severity


@pytest.mark.skipif(MSGFMT is None, reason="GNU msgfmt is not installed (apt-get install gettext)")
@pytest.mark.parametrize("name", ["clean.po", "ignored.po", "W205.po", "W301.po"])
def test_msgfmt_accepts_the_fixtures_that_only_fail_quality(name: str) -> None:
    assert msgfmt_check(CHECK_FIXTURES / name) == ""


@pytest.mark.skipif(MSGFMT is None, reason="GNU msgfmt is not installed (apt-get install gettext)")
@pytest.mark.parametrize("name", ["E110.po", "E111.po", "E112.po"])
def test_msgfmt_rejects_the_format_fixtures_at_the_same_lines(name: str) -> None:
    path = CHECK_FIXTURES / name
    proc = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        env={"LC_ALL": "C", "PATH": os.environ.get("PATH", "")},
    )
    assert proc.returncode == 1
    lines = [int(m) for m in re.findall(rf"^{re.escape(str(path))}:(\d+): ", proc.stderr, re.M)]
    assert [line for _, line in EXPECTED[name]] == lines


def _syntax_lines(path: Path) -> list[int]:
    result = check_files([path], CheckOptions(jobs=1))
    return [p.line or 0 for p in result.problems if p.code in ("E101", "E106", "E107")]


def _msgfmt_lines(path: Path) -> list[int]:
    assert MSGFMT is not None
    run = subprocess.run(
        [MSGFMT, "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    pattern = re.escape(str(path)) + r":(\d+):(?:\d+:)? (?!\.\.\.)"
    return [int(m.group(1)) for m in re.finditer(pattern, run.stderr)]


BROKEN = [CHECK_FIXTURES / f"{code}.po" for code in ("E101", "E106", "E107")] + sorted(
    p for p in PO_FIXTURES.glob("err_*.po") if p.name != "err_invalid_utf8.po"
)


@pytest.mark.skipif(MSGFMT is None, reason="GNU msgfmt is not installed (apt-get install gettext)")
@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.name)
def test_syntax_error_lines_match_msgfmt(path: Path) -> None:
    """(msgfmt reports each undecodable byte, check its line once: that fixture is left out.)"""
    lines = _syntax_lines(path)
    assert lines and lines == _msgfmt_lines(path)


def test_an_invalid_byte_is_a_syntax_error_on_its_line() -> None:
    assert _syntax_lines(PO_FIXTURES / "err_invalid_utf8.po") == [11]


# -- options ------------------------------------------------------------------------------------


def test_the_ignore_comment_silences_only_the_codes_it_names() -> None:
    text = (CHECK_FIXTURES / "W205.po").read_text(encoding="utf-8")
    assert "i18n-check" not in text
    problems = found(check_fixture("ignored.po"))
    assert ("W205", 27) in problems  # its comment names W301 only
    assert not any(line in (17, 22) for _, line in problems)  # W205; W301 and W202


def test_severities_from_the_config_change_and_silence_codes() -> None:
    result = check_fixture("W202.po", severities={"W202": "error"})
    assert [(p.code, p.severity) for p in result.problems] == [("W202", "error")]
    assert check_fixture("W202.po", severities={"W202": "off"}).problems == []
    assert result.failed() and not check_fixture("W204.po").failed()
    assert check_fixture("W204.po").failed(strict=True)


def test_wrong_language_is_off_by_default_on_bare_paths() -> None:
    assert check_files([CHECK_FIXTURES / "W301.po"], CheckOptions(jobs=1)).problems == []
    assert found(check_fixture("W301.po")) == [("W301", 19)]


def test_names_kept_in_every_language_are_the_publications_unless_given() -> None:
    # clean.po keeps the masthead "Workers Vanguard" as it is: a publication of the site
    assert check_fixture("clean.po").problems == []
    assert found(check_fixture("clean.po", keep=())) == [("W301", 27)]
    assert check_fixture("clean.po", keep=("Workers Vanguard",)).problems == []


def test_a_catalog_outside_a_language_folder_takes_the_header_language(tmp_path: Path) -> None:
    flat = tmp_path / "po" / "messages.po"
    flat.parent.mkdir()
    shutil.copy(CHECK_FIXTURES / "W301.po", flat)
    assert found(check_files([flat], CheckOptions(jobs=1, wrong_language=True))) == [("W301", 19)]
    # a header naming a language of the path is that folder's catalog, not a mismatch
    nested = tmp_path / "fr" / "de" / "x.po"
    nested.parent.mkdir(parents=True)
    shutil.copy(CHECK_FIXTURES / "clean.po", nested)
    assert check_files([nested], CheckOptions(jobs=1)).problems == []


def test_worker_processes_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "PARALLEL_MIN_FILES", 2)
    one = check_files([CHECK_FIXTURES], CheckOptions(jobs=1, wrong_language=True))
    two = check_files([CHECK_FIXTURES], CheckOptions(jobs=2, wrong_language=True))
    assert one == two
    assert {p.code for p in one.problems} == set(CODES) - PROJECT_CODES


# -- the command ------------------------------------------------------------------------------


def test_exit_0_when_clean() -> None:
    result = run_cli("check", str(CHECK_FIXTURES / "clean.po"))
    assert result.exit_code == 0
    assert result.output == "1 catalog(s) checked: 0 error(s), 0 warning(s)\n"


def test_exit_1_and_one_line_per_problem() -> None:
    path = CHECK_FIXTURES / "E107.po"
    result = run_cli("check", str(path), str(CHECK_FIXTURES / "W202.po"))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:19: error: E107: invalid control sequence",
        f"{CHECK_FIXTURES / 'W202.po'}:14: warning: W202: numbers differ from the source: "
        "missing 1961; not in the source 1962",
        "2 catalog(s) checked: 1 error(s), 1 warning(s) (E107 escape: 1, W202 numbers: 1)",
    ]


def test_warnings_fail_only_with_strict() -> None:
    path = str(CHECK_FIXTURES / "W204.po")
    assert run_cli("check", path).exit_code == 0
    assert run_cli("check", "--strict", path).exit_code == 1


def test_the_language_flag_runs_w301_on_paths() -> None:
    path = str(CHECK_FIXTURES / "W301.po")
    assert "W301" not in run_cli("check", "--strict", path).output
    result = run_cli("check", "--strict", "--language", path)
    assert result.exit_code == 1
    assert f"{path}:19: warning: W301: the translation looks like en, not de" in result.output


def test_config_severities_apply_to_paths(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p", seed=False, extra={"checks": {"severity": {"W205": "error"}}}
    )
    path = str(CHECK_FIXTURES / "W205.po")
    assert run_cli("check", path).exit_code == 0
    result = run_cli("--config", str(root / "config.yaml"), "check", path)
    assert result.exit_code == 1
    assert f"{path}:19: error: W205: the translation is the source text" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "no/such.po"], "no/such.po: no such file or folder"),
        (["check", str(FIXTURES / "seed" / "amnesty2.txt")], "not a .po or .pot file"),
        (["check", str(FIXTURES / "seed")], "no .po or .pot files in this folder"),
        (["check", "--changed-only", "HEAD", "x.po"], "--changed-only checks the project"),
        (["check", "--format", "xml", "x.po"], "Invalid value for '--format'"),
    ],
)
def test_exit_2_on_usage_and_input_errors(args: list[str], message: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


# -- projects: staleness and thresholds -----------------------------------------------------


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with two articles and de, fr, ja, just ingested."""
    root = make_project(tmp_path_factory.mktemp("ingested") / "p", languages=("de", "fr", "ja"))
    target = root / "articles" / f"{HARBOUR}.md"
    target.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "articles" / "harbour.md", target)
    result = run_cli("--config", str(root / "config.yaml"), "ingest", "-q")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def proj(ingested: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "p"
    shutil.copytree(ingested, root)
    monkeypatch.chdir(root)
    return root


def run_project(root: Path, **options: object) -> CheckResult:
    return check_project(config_of(root), CheckOptions(jobs=1, **options))  # type: ignore[arg-type]


def below_threshold(root: Path) -> list[Problem]:
    """The E109 problems of the project (the quality of the filler text is not at stake)."""
    return [p for p in run_project(root, stale=False).problems if p.code == "E109"]


def project_files(root: Path) -> dict[str, bytes]:
    """The project's files, without the index under .i18n/ (where check keeps findings)."""
    return {k: v for k, v in snapshot_tree(root).items() if not k.startswith(".i18n/")}


def catalog(root: Path, code: str, article: str = SEED) -> Path:
    return root / "locales" / code / f"{article}.po"


def translate(path: Path, *, fuzzy: bool = False, keep: int = 0) -> None:
    """Fill every entry after the first ``keep`` with a (German-looking) translation."""
    cat = parse_po(path.read_bytes(), str(path))
    for entry in cat.entries[keep:]:
        entry.msgstr = f"Übersetzung von {len(entry.msgid)} Zeichen"
        entry.set_fuzzy(fuzzy)
    path.write_bytes(render_po(cat).encode("utf-8"))


def fill(path: Path, translations: dict[str, str]) -> None:
    cat = parse_po(path.read_bytes(), str(path))
    for entry in cat.entries:
        entry.msgstr = translations.get(entry.msgid, entry.msgstr)
    path.write_bytes(render_po(cat).encode("utf-8"))


def set_thresholds(root: Path, *rules: dict[str, object]) -> None:
    path = root / "config.yaml"
    data = yaml.safe_load(path.read_text())
    data["thresholds"] = list(rules)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_a_fresh_ingest_passes(proj: Path) -> None:
    result = run_project(proj)
    assert result.problems == []
    assert len(result.files) == 2 + 2 * 3  # two templates, two articles in three languages
    assert run_cli("check").exit_code == 0


def test_an_edited_article_makes_template_and_catalogs_stale(proj: Path) -> None:
    source = proj / "articles" / f"{SEED}.txt"
    text = source.read_text(encoding="utf-8")
    assert "in 1961, at the height" in text
    source.write_text(text.replace("in 1961, at the height", "in 1961, at the peak"), "utf-8")
    before = project_files(proj)
    result = run_project(proj)
    assert project_files(proj) == before  # nothing written but the index's cache
    stale = [(p.path, p.message) for p in result.problems if p.code == "E108"]
    assert len(stale) == 4 and all(p.code == "E108" for p in result.problems)
    template, *catalogs = stale
    assert template[0] == f"locales/templates/{SEED}.pot"
    assert template[1] == (
        f"template is out of date with articles/{SEED}.txt: ingest would add 1 entry, "
        "make 1 obsolete; run 'i18n-pipeline ingest'"
    )
    assert [path for path, _ in catalogs] == [f"locales/{c}/{SEED}.po" for c in ("de", "fr", "ja")]
    assert catalogs[0][1].startswith("catalog is out of date with its template: ingest would")
    line = next(p.line for p in result.problems if p.path == catalogs[0][0])
    assert line is not None  # the first entry the merge changes: the edited paragraph
    entry = "".join(catalog(proj, "de").read_text().splitlines()[line - 1 : line + 6])
    assert "in 1961, at the height" in entry.replace('""', "")


def test_another_editors_line_wrapping_is_not_stale(proj: Path) -> None:
    path = catalog(proj, "de")
    text = path.read_text(encoding="utf-8")
    rewrapped = re.sub(r'"\n"', "", text.replace('msgid ""\n"We print', 'msgid "We print'))
    assert rewrapped != text
    path.write_text(rewrapped, encoding="utf-8")
    assert run_project(proj).problems == []


def test_a_missing_catalog_is_stale(proj: Path) -> None:
    catalog(proj, "fr").unlink()
    result = run_project(proj)
    assert [(p.path, p.code, p.message) for p in result.problems] == [
        (f"locales/fr/{SEED}.po", "E108", "catalog is missing; run 'i18n-pipeline ingest'")
    ]


def test_an_article_that_cannot_be_read_is_reported(proj: Path) -> None:
    (proj / "articles" / "wv" / "empty.txt").write_bytes(b"")
    problems = [(p.path, p.code) for p in run_project(proj).problems]
    assert problems == [("articles/wv/empty.txt", "E108")]


def test_zero_translations_fail_a_threshold(proj: Path) -> None:
    set_thresholds(proj, {"language": "de", "min": 50})
    result = run_project(proj)
    lines = (proj / "config.yaml").read_text().splitlines()
    rule_line = lines.index("thresholds:") + 2
    assert [(p.path, p.line, p.code) for p in result.problems] == [
        ("config.yaml", rule_line, "E109")
    ]
    (problem,) = result.problems
    assert problem.message.startswith("de (Deutsch) is at 0% of words overall, below the minimum")
    assert f"in {SEED} (" in problem.message and f"{HARBOUR} (" in problem.message


@pytest.mark.parametrize(
    ("scope", "articles"),
    [
        ({}, [SEED, HARBOUR]),
        ({"publication": "wv"}, [SEED, HARBOUR]),
        ({"publication": "Workers Vanguard", "since": "2008-01-01"}, [HARBOUR]),
        ({"since": "2024-01-01"}, []),
        ({"tag": "dockers"}, [HARBOUR]),
        ({"tag": "unions"}, []),
        ({"article": "wv/863/*"}, [SEED]),
        ({"publication": "sp"}, []),
    ],
)
def test_threshold_scopes(proj: Path, scope: dict[str, str], articles: list[str]) -> None:
    set_thresholds(proj, {"language": "fr", "min": 100, **scope})
    problems = run_project(proj, stale=False).problems
    assert all(p.code == "E109" for p in problems) and len(problems) == min(1, len(articles))
    named = {
        a for a in (SEED, HARBOUR) for p in problems if re.search(f"(in|,) {a} \\(", p.message)
    }
    assert named == set(articles)
    if len(articles) == 1:  # one catalog: the problem is placed at its first untranslated entry
        (problem,) = problems
        assert problem.path == f"locales/fr/{articles[0]}.po" and problem.line


def test_a_threshold_for_every_language(proj: Path) -> None:
    set_thresholds(proj, {"min": 10, "article": "wv/900/*"})
    translate(catalog(proj, "ja", HARBOUR))
    assert [p.path for p in below_threshold(proj)] == [
        f"locales/{c}/{HARBOUR}.po" for c in ("de", "fr")
    ]


def test_fuzzy_is_not_translated(proj: Path) -> None:
    set_thresholds(proj, {"language": "de", "min": 100, "article": SEED})
    translate(catalog(proj, "de"), fuzzy=True)
    (problem,) = below_threshold(proj)
    assert "is at 0% of words" in problem.message and "of them fuzzy" in problem.message
    translate(catalog(proj, "de"))
    assert below_threshold(proj) == []


def test_one_untranslated_entry_misses_100_percent(proj: Path) -> None:
    """The percentage is rounded down: 99.97% is not shown (or passed) as 100%."""
    set_thresholds(proj, {"language": "de", "min": 100, "article": SEED})
    translate(catalog(proj, "de"), keep=1)
    (problem,) = below_threshold(proj)
    assert re.search(r"is at 99\.\d% of words for article wv/863/amnesty2", problem.message)
    first = parse_po(catalog(proj, "de").read_bytes()).entries[0]
    assert problem.line == first.line and first.msgstr == ""
    set_thresholds(proj, {"language": "de", "min": 99, "article": SEED})
    assert below_threshold(proj) == []


def test_a_missing_catalog_counts_as_untranslated(proj: Path) -> None:
    set_thresholds(proj, {"language": "fr", "min": 1, "article": SEED})
    catalog(proj, "fr").unlink()
    (problem,) = below_threshold(proj)
    assert problem.path == "config.yaml"
    assert f"in {SEED} (" in problem.message and "no catalog" in problem.message


def test_the_command_fails_with_file_line_and_reason(proj: Path) -> None:
    """The demo's story: a copy of the English fails the gate when W205 is an error."""
    path = catalog(proj, "de")
    cat = parse_po(path.read_bytes(), str(path))
    entry = next(e for e in cat.entries if len(e.msgid) > 120)
    entry.msgstr = entry.msgid
    path.write_bytes(render_po(cat).encode("utf-8"))
    line = parse_po(path.read_bytes()).by_key()[entry.key].line
    assert run_cli("check").exit_code == 0  # a warning by default
    data = yaml.safe_load((proj / "config.yaml").read_text())
    data["checks"]["severity"] = {"W205": "error"}
    (proj / "config.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    result = run_cli("check")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"locales/de/{SEED}.po:{line}: error: W205: the translation is the source text"
    )


# -- --changed-only -----------------------------------------------------------------------------

GIT = shutil.which("git")


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_changed_only_checks_what_changed_against_a_ref(proj: Path) -> None:
    broken = catalog(proj, "fr")
    broken.write_text(broken.read_text() + '\nmsgid "x"\n', encoding="utf-8")  # E101
    git(proj, "init", "-q")
    git(proj, "add", "-A")
    git(proj, "commit", "-q", "-m", "start")
    assert check.changed_files(proj, "HEAD") == frozenset()
    fill(catalog(proj, "de"), {"Part Two": "Zweiter Teil"})
    assert check.changed_files(proj, "HEAD") == {f"locales/de/{SEED}.po"}
    result = run_project(proj, only=check.changed_files(proj, "HEAD"))
    assert result.files == [f"locales/de/{SEED}.po"]
    assert result.problems == []  # the broken French catalog did not change
    assert run_cli("check").exit_code == 1
    assert run_cli("check", "--changed-only", "HEAD").exit_code == 0
    bad_ref = run_cli("check", "--changed-only", "no-such-ref")
    assert bad_ref.exit_code == 2 and "git diff against 'no-such-ref' failed" in bad_ref.output
