"""GNU msgfmt as the oracle: ``msgfmt --statistics`` counts on every corpus catalog.

The corpus (946 real catalogs of the Python documentation in French and Polish) is read-only
shared data. Without it or without msgfmt the test is skipped, unless I18N_REQUIRE_CORPUS=1,
which turns the skip into a failure (for CI, where both must be present).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from i18n_pipeline.po import catalog_stats, parse_po, scan_po
from i18n_pipeline.stats import collect_stats

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "python-docs"
CORPUS = Path(os.environ.get("I18N_CORPUS", CORPUS))
MSGFMT = shutil.which("msgfmt")
_COUNT = re.compile(r"(\d+) (translated message|fuzzy translation|untranslated message)")


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("I18N_REQUIRE_CORPUS") == "1":
        pytest.fail(f"{reason} (I18N_REQUIRE_CORPUS=1)")
    pytest.skip(reason)


def _msgfmt_counts(path: Path) -> tuple[int, int, int]:
    assert MSGFMT is not None
    run = subprocess.run(
        [MSGFMT, "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert run.returncode == 0, run.stderr
    counts = {kind: int(number) for number, kind in _COUNT.findall(run.stderr)}
    return (
        counts.get("translated message", 0),
        counts.get("fuzzy translation", 0),
        counts.get("untranslated message", 0),
    )


@pytest.mark.slow
def test_counts_match_msgfmt_on_the_whole_corpus() -> None:
    _require(MSGFMT is not None, "GNU msgfmt is not installed (apt-get install gettext)")
    _require(CORPUS.is_dir(), f"corpus of real catalogs not found at {CORPUS}")
    paths = sorted(CORPUS.rglob("*.po"))
    _require(len(paths) > 0, f"no .po files under {CORPUS}")
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 2) * 2) as pool:
        expected = list(pool.map(_msgfmt_counts, paths))
    mismatches = []
    for path, theirs in zip(paths, expected, strict=True):
        data = path.read_bytes()
        scanned = scan_po(data, str(path))
        ours = (scanned.translated, scanned.fuzzy, scanned.untranslated)
        if ours != theirs:
            mismatches.append(f"{path}: msgfmt {theirs}, scan_po {ours}")
        if catalog_stats(parse_po(data, str(path)), str(path)) != scanned:
            mismatches.append(f"{path}: parse_po's counts differ from scan_po's")
    assert mismatches == []
    assert sum(t for t, _, _ in expected) > 0  # the corpus really has translations
    collected = collect_stats([CORPUS], jobs=2)  # what ``stats`` runs, with a worker process
    assert collected.errors == []
    assert [s.path for s in collected.files] == [str(p) for p in paths]
    assert [(s.translated, s.fuzzy, s.untranslated) for s in collected.files] == expected


@pytest.mark.skipif(MSGFMT is None, reason="GNU msgfmt is not installed (apt-get install gettext)")
def test_msgfmt_edge_cases(tmp_path: Path) -> None:
    """Fuzzy without msgstr, half-filled plurals, a fuzzy header: what msgfmt counts."""
    path = tmp_path / "edge.po"
    path.write_text(
        '#, fuzzy\nmsgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, fuzzy\nmsgid "a"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "b"\nmsgstr "x"\n\n'
        'msgid "c"\nmsgid_plural "cs"\nmsgstr[0] ""\nmsgstr[1] "y"\n\n'
        'msgid "d"\nmsgid_plural "ds"\nmsgstr[0] "y"\nmsgstr[1] ""\n\n'
        '#~ msgid "o"\n#~ msgstr "p"\n\nmsgid "e"\nmsgstr ""\n',
        encoding="utf-8",
    )
    stats = scan_po(path.read_bytes(), str(path))
    assert (stats.translated, stats.fuzzy, stats.untranslated, stats.obsolete) == (1, 1, 3, 1)
    assert (stats.translated, stats.fuzzy, stats.untranslated) == _msgfmt_counts(path)
    assert catalog_stats(parse_po(path.read_bytes()), str(path)) == stats
    empty_header = tmp_path / "empty-header.po"
    empty_header.write_text('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    counted = scan_po(empty_header.read_bytes())
    assert (counted.translated, counted.untranslated, counted.words) == (1, 1, 1)
    assert (counted.translated, counted.fuzzy, counted.untranslated) == _msgfmt_counts(empty_header)
