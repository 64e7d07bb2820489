"""Renderers of a check result: text, JSON, JUnit XML, GitHub annotations, Markdown.

Each is a pure function from :class:`~i18n_pipeline.checks.engine.CheckResult` to ``str``:

* ``text``: one ``path:line: severity: code: message`` line per problem, then a summary
  with the count of each code;
* ``json``: ``{"files", "errors", "warnings", "infos", "counts", "problems": [...]}``;
* ``junit``: one testcase per catalog (and per other file a problem names, such as
  ``config.yaml``); its errors fail it, its warnings go to ``system-out``;
* ``github``: workflow commands that GitHub Actions shows as annotations on the files;
* ``markdown``: a summary for ``$GITHUB_STEP_SUMMARY`` or a pull-request comment.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from lxml import etree

from i18n_pipeline.checks.codes import CODES

if TYPE_CHECKING:
    from i18n_pipeline.checks.engine import CheckResult, Problem

FORMATS = ("text", "json", "junit", "github", "markdown")


def _severities(result: CheckResult) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for p in result.problems:
        counts[p.severity] = counts.get(p.severity, 0) + 1
    return counts


def _summary(result: CheckResult) -> str:
    counts = result.counts()
    severities = _severities(result)
    by_code = ", ".join(f"{code} {CODES[code].name}: {n}" for code, n in sorted(counts.items()))
    line = (
        f"{len(result.files)} catalog(s) checked: {severities['error']} error(s), "
        f"{severities['warning']} warning(s)"
    )
    if severities["info"]:
        line += f", {severities['info']} info"
    return f"{line} ({by_code})" if by_code else line


def render_text(result: CheckResult) -> str:
    lines = [str(p) for p in result.problems]
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def render_json(result: CheckResult) -> str:
    severities = _severities(result)
    data = {
        "files": len(result.files),
        "errors": severities["error"],
        "warnings": severities["warning"],
        "infos": severities["info"],
        "counts": dict(sorted(result.counts().items())),
        "problems": [
            {
                "path": p.path,
                "line": p.line,
                "severity": p.severity,
                "code": p.code,
                "name": CODES[p.code].name,
                "message": p.message,
            }
            for p in result.problems
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _by_file(result: CheckResult) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {path: [] for path in result.files}
    for p in result.problems:
        grouped.setdefault(p.path, []).append(p)
    return grouped


#: Characters XML 1.0 cannot hold, even escaped (a control character quoted from a catalog).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render_junit(result: CheckResult) -> str:
    """One testcase per catalog (and per other file a problem names); errors fail it."""
    grouped = _by_file(result)
    suite = etree.Element(
        "testsuite",
        name="i18n-pipeline check",
        tests=str(len(grouped)),
        failures=str(sum(1 for ps in grouped.values() if any(p.severity == "error" for p in ps))),
        errors="0",
    )
    for path, problems in grouped.items():
        case = etree.SubElement(suite, "testcase", classname="catalog", name=_xml(path))
        failing = [p for p in problems if p.severity == "error"]
        if failing:
            failure = etree.SubElement(
                case, "failure", message=f"{len(failing)} error(s)", type=failing[0].code
            )
            failure.text = _xml("\n".join(str(p) for p in failing))
        others = [p for p in problems if p.severity != "error"]
        if others:
            out = etree.SubElement(case, "system-out")
            out.text = _xml("\n".join(str(p) for p in others))
    root = etree.Element(
        "testsuites",
        name="i18n-pipeline check",
        tests=suite.get("tests", "0"),
        failures=suite.get("failures", "0"),
        errors="0",
    )
    root.append(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(
        root, encoding="unicode", pretty_print=True
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: CheckResult) -> str:
    """Workflow commands that GitHub Actions shows as annotations on the files."""
    kinds = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for p in result.problems:
        props = f"file={_escape_property(p.path)}"
        if p.line:
            props += f",line={p.line}"
        props += f",title={_escape_property(p.code + ' ' + CODES[p.code].name)}"
        lines.append(f"::{kinds.get(p.severity, 'warning')} {props}::{_escape_data(p.message)}")
    lines.append(_summary(result))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def render_markdown(result: CheckResult) -> str:
    """A summary for ``$GITHUB_STEP_SUMMARY`` or a pull-request comment."""
    out = ["## Translation check", "", _summary(result), ""]
    counts = result.counts()
    if counts:
        out += ["| code | check | count |", "|---|---|---:|"]
        out += [f"| {c} | {CODES[c].name} | {n} |" for c, n in sorted(counts.items())]
        out += ["", "| file | line | severity | code | message |", "|---|---:|---|---|---|"]
        for p in result.problems[:500]:
            out.append(
                f"| {_md(p.path)} | {p.line or ''} | {p.severity} | {p.code} | {_md(p.message)} |"
            )
        if len(result.problems) > 500:
            out.append(f"\n… and {len(result.problems) - 500} more.")
    else:
        out.append("No problems found.")
    return "\n".join(out) + "\n"


RENDERERS = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
    "markdown": render_markdown,
}
