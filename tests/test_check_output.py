"""The renderers of ``check``, each parsed back: text, JSON, JUnit XML, GitHub, Markdown."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from i18n_pipeline.checks import CheckResult, Problem
from i18n_pipeline.checks.output import (
    FORMATS,
    RENDERERS,
    render_github,
    render_json,
    render_junit,
    render_markdown,
    render_text,
)
from i18n_pipeline.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "check" / "de"

#: Messages with what each format must escape: %, :, commas, newlines, pipes, tags, control
#: characters and non-ASCII text.
RESULT = CheckResult(
    problems=[
        Problem("locales/de/a.po", 12, "error", "E101", "syntax error: unexpected '\\x01'"),
        Problem("locales/de/a.po", 30, "warning", "W202", "missing 100%, 1,000; not: 2"),
        Problem("locales/de/b,c.po", None, "error", "E108", "out of date\nsecond line"),
        Problem("locales/fr/d.po", 7, "info", "W201", "markup <em> | pipe \x07 bell, “quotes”"),
        Problem("config.yaml", 40, "error", "E109", "de (Deutsch) is at 12.5% of words"),
    ],
    files=["locales/de/a.po", "locales/de/b,c.po", "locales/fr/d.po", "locales/ja/e.po"],
)

_TEXT_LINE = re.compile(
    r"^(?P<path>.+?)(?::(?P<line>\d+))?: (?P<severity>error|warning|info): "
    r"(?P<code>[EW]\d{3}): (?P<message>.*)$"
)


def test_every_format_has_a_renderer() -> None:
    assert set(FORMATS) == set(RENDERERS)


def test_text_is_one_parseable_line_per_problem_and_a_summary() -> None:
    lines = render_text(RESULT).splitlines()
    assert lines[-1] == (
        "4 catalog(s) checked: 3 error(s), 1 warning(s), 1 info (E101 syntax: 1, E108 stale: 1, "
        "E109 threshold: 1, W201 markup: 1, W202 numbers: 1)"
    )
    parsed = [m.groupdict() for m in map(_TEXT_LINE.match, lines[:-1]) if m]
    assert [(p["path"], p["line"], p["code"]) for p in parsed] == [
        ("locales/de/a.po", "12", "E101"),
        ("locales/de/a.po", "30", "W202"),
        ("locales/de/b,c.po", None, "E108"),
        ("locales/fr/d.po", "7", "W201"),
        ("config.yaml", "40", "E109"),
    ]


def test_json_round_trips() -> None:
    data = json.loads(render_json(RESULT))
    assert data["files"] == 4
    assert (data["errors"], data["warnings"], data["infos"]) == (3, 1, 1)
    assert data["counts"] == {"E101": 1, "E108": 1, "E109": 1, "W201": 1, "W202": 1}
    assert [
        Problem(p["path"], p["line"], p["severity"], p["code"], p["message"])
        for p in data["problems"]
    ] == RESULT.problems
    assert data["problems"][2]["name"] == "stale"


def test_junit_has_one_testcase_per_catalog() -> None:
    root = ET.fromstring(render_junit(RESULT).encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == [*RESULT.files, "config.yaml"]  # every catalog, then other files
    assert suite.get("tests") == "5" and suite.get("failures") == "3"
    failure = cases["locales/de/a.po"].find("failure")
    assert failure is not None and failure.get("type") == "E101"
    assert failure.text == "locales/de/a.po:12: error: E101: syntax error: unexpected '\\x01'"
    assert cases["locales/de/a.po"].findtext("system-out") == (
        "locales/de/a.po:30: warning: W202: missing 100%, 1,000; not: 2"
    )
    info = cases["locales/fr/d.po"]
    assert info.find("failure") is None  # an info does not fail its catalog
    assert "\ufffd bell, “quotes”" in (info.findtext("system-out") or "")
    assert len(cases["locales/ja/e.po"]) == 0  # a clean catalog is a passing testcase
    assert cases["config.yaml"].find("failure") is not None


def _unescape(text: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def test_github_annotations_round_trip() -> None:
    lines = render_github(RESULT).splitlines()
    command = re.compile(r"^::(?P<kind>error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")
    parsed = []
    for line in lines[:-1]:
        match = command.match(line)
        assert match, line
        props = dict(item.split("=", 1) for item in match["props"].split(","))
        parsed.append(
            (
                match["kind"],
                {k: _unescape(v) for k, v in props.items()},
                _unescape(match["message"]),
            )
        )
    assert [kind for kind, _, _ in parsed] == ["error", "warning", "error", "notice", "error"]
    assert [props["file"] for _, props, _ in parsed] == [p.path for p in RESULT.problems]
    assert [props.get("line") for _, props, _ in parsed] == ["12", "30", None, "7", "40"]
    assert [message for _, _, message in parsed] == [p.message for p in RESULT.problems]
    assert parsed[1][1]["title"] == "W202 numbers"
    assert lines[-1].startswith("4 catalog(s) checked: 3 error(s)")


def test_markdown_summary_tables() -> None:
    text = render_markdown(RESULT)
    assert text.startswith("## Translation check\n")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    split = [re.split(r"(?<!\\)\|", row)[1:-1] for row in rows]
    codes, problems = split[:6], split[7:]  # each after its header row
    assert [len(cells) for cells in codes] == [3] * 6
    assert [len(cells) for cells in problems] == [5] * 5
    assert [cells[0].strip() for cells in problems] == [p.path for p in RESULT.problems]
    assert "markup &lt;em> \\| pipe" in problems[3][4]  # a pipe cannot end the cell
    assert "out of date second line" in problems[2][4]


def test_markdown_when_clean() -> None:
    text = render_markdown(CheckResult(files=["a.po"]))
    assert "No problems found." in text and "1 catalog(s) checked: 0 error(s)" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_command_writes_every_format(fmt: str, tmp_path: Path) -> None:
    paths = [str(FIXTURES / "E107.po"), str(FIXTURES / "clean.po")]
    result = CliRunner().invoke(main, ["check", "--format", fmt, *paths], catch_exceptions=False)
    assert result.exit_code == 1
    if fmt == "json":
        assert json.loads(result.output)["counts"] == {"E107": 1}
    elif fmt == "junit":
        cases = ET.fromstring(result.output.encode("utf-8")).iter("testcase")
        assert [c.get("name") for c in cases] == paths
    else:
        assert "E107" in result.output
    out = tmp_path / "report"
    again = CliRunner().invoke(main, ["check", "--format", fmt, "-o", str(out), *paths])
    assert again.exit_code == 1
    assert out.read_text(encoding="utf-8") == result.output
