"""A catalog that declares no charset is counted as msgfmt counts it, with a warning."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from i18n_pipeline.cli import main
from i18n_pipeline.stats import collect_stats

BODY = (
    b'\nmsgid "Caf\xe9 one"\nmsgstr "Caf\xe9 un"\n\n#, fuzzy\nmsgid "two"\nmsgstr "deux \xe0"\n'
    b'\nmsgid "three"\nmsgstr ""\n'
)
HEADERS = {
    "missing": b'"Content-Type: text/plain\\n"\n',
    "empty": b'"Content-Type: text/plain; charset=\\n"\n',
    "placeholder": b'"Content-Type: text/plain; charset=CHARSET\\n"\n',
    "no-content-type": b"",
}


def write(folder: Path, name: str, content_type: bytes) -> Path:
    path = folder / f"{name}.po"
    head = b'msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n' + content_type
    path.write_bytes(head + BODY)
    return path


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_latin1_bytes_without_a_charset_are_counted(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, HEADERS[name])
    result = collect_stats([path], jobs=1)
    assert result.errors == []
    (stats,) = result.files
    assert (stats.translated, stats.fuzzy, stats.untranslated) == (1, 1, 1)
    (warning,) = result.warnings
    assert warning.line == (4 if HEADERS[name] else 1)
    if shutil.which("msgfmt"):
        out = subprocess.run(
            ["msgfmt", "--statistics", "-o", "/dev/null", str(path)],
            capture_output=True,
            text=True,
            env={"LC_ALL": "C", "PATH": "/usr/bin:/bin"},
        )
        assert out.returncode == 0
        assert "1 translated message, 1 fuzzy translation, 1 untranslated message." in out.stderr


def test_the_command_counts_and_warns_on_stderr(tmp_path: Path) -> None:
    path = write(tmp_path, "missing", HEADERS["missing"])
    result = CliRunner().invoke(main, ["stats", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["files"][0]["translated"] == 1
    assert document["warnings"] == [
        {
            "path": str(path),
            "line": 4,
            "message": "no charset in the header's Content-Type; bytes outside UTF-8 are "
            "read as they are, as msgfmt reads them",
        }
    ]
    assert result.stderr.startswith(f"{path}:4: warning: no charset")


def test_a_declared_utf8_charset_still_rejects_latin1_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "utf8", b'"Content-Type: text/plain; charset=UTF-8\\n"\n')
    result = collect_stats([path], jobs=1)
    assert result.files == []
    assert [(e.line, e.message) for e in result.errors] == [(6, "invalid multibyte sequence")]
