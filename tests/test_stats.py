"""stats: collecting counts over files and folders, and the three report formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n_pipeline.errors import CatalogError, PoSyntaxError
from i18n_pipeline.po import Catalog, Entry, render_po, scan_po
from i18n_pipeline.stats import (
    PARALLEL_MIN_BYTES,
    StatsResult,
    collect_stats,
    render_stats_csv,
    render_stats_json,
    render_stats_table,
)

HEADER = (
    'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
)


def _catalog(lang: str, body: str) -> str:
    return HEADER.format(lang=lang) + body


FR = _catalog(
    "fr",
    'msgid "Workers of the world, unite"\nmsgstr "Travailleurs de tous les pays"\n\n'
    '#, fuzzy\nmsgid "Two words"\nmsgstr "Deux mots"\n\n'
    'msgid "Not yet"\nmsgstr ""\n\n#~ msgid "Gone"\n#~ msgstr "Parti"\n',
)
BAD = _catalog("pl", 'msgid "a"\nmsgstr "b\n')


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "locales" / "fr").mkdir(parents=True)
    (tmp_path / "locales" / "pl" / "deep").mkdir(parents=True)
    (tmp_path / "locales" / "fr" / "b.po").write_text(FR, encoding="utf-8")
    (tmp_path / "locales" / "fr" / "a.po").write_text(FR, encoding="utf-8")
    (tmp_path / "locales" / "pl" / "deep" / "bad.po").write_text(BAD, encoding="utf-8")
    (tmp_path / "locales" / "fr" / "notes.txt").write_text("not a catalog", encoding="utf-8")
    return tmp_path


def test_folders_are_walked_in_order_and_errors_kept(tree: Path) -> None:
    result = collect_stats([tree / "locales", tree / "missing.po"], jobs=1)
    assert [Path(s.path).name for s in result.files] == ["a.po", "b.po"]
    first = result.files[0]
    assert (first.language, first.translated, first.fuzzy, first.untranslated) == ("fr", 1, 1, 1)
    assert (first.obsolete, first.words, first.translated_words) == (1, 9, 5)
    assert (first.fuzzy_words, first.untranslated_words) == (2, 2)
    messages = sorted((Path(e.path or "").name, e.line, type(e)) for e in result.errors)
    assert messages == [
        ("bad.po", 8, PoSyntaxError),  # msgfmt blames the line after the open string
        ("missing.po", None, CatalogError),
    ]


def test_folders_are_walked_as_rglob_walks_them(tmp_path: Path) -> None:
    """Hidden files, a folder named like a catalog, links to files and folders, a broken link
    and a looping one: the catalogs are those of sorted(rglob("*.po")) that are files."""
    for rel in ["a/b.po", "a-b/c.po", "a/b/c.po", "d.po/x.po", ".h/h.po", "a/.x.po", "a/B.PO"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", encoding="utf-8")
    (tmp_path / "e.po").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "to-file.po").symlink_to(tmp_path / "a" / "b.po")
    (tmp_path / "broken.po").symlink_to(tmp_path / "nowhere.po")
    (tmp_path / "loop.po").symlink_to(tmp_path / "loop.po")
    expected = [str(p) for p in sorted(tmp_path.rglob("*.po")) if p.is_file()]
    result = collect_stats([tmp_path], jobs=1)
    assert [s.path for s in result.files] == expected
    assert len(expected) == 7 and result.errors == []


def test_unreadable_file_is_an_error(tree: Path) -> None:
    result = collect_stats([tree / "locales" / "fr"], jobs=1)  # a folder given as a file:
    folder_as_file = collect_stats([tree / "locales" / "fr" / "a.po" / "x"], jobs=1)
    assert len(result.files) == 2
    assert folder_as_file.errors and folder_as_file.files == []


@pytest.mark.parametrize("jobs", [2, 3])
def test_processes_give_the_same_result(tree: Path, jobs: int) -> None:
    """This process and jobs - 1 others share the files (of all sizes); order is kept."""
    many = tree / "many"
    many.mkdir()
    notes = "#. a note long enough for the files to be worth sharing out\n" * 400
    for n in range(60):
        padding = "".join(f'#~ msgid "old {k}"\n#~ msgstr "x"\n\n' for k in range(n % 5 * 40))
        text = FR + "\n" + notes * (n % 3) + padding if n % 7 else BAD
        (many / f"{n:03}.po").write_text(text, encoding="utf-8")
    assert sum(p.stat().st_size for p in many.iterdir()) > PARALLEL_MIN_BYTES
    seen: list[tuple[int, int]] = []
    parallel = collect_stats(
        [many], jobs=jobs, progress=lambda done, total: seen.append((done, total))
    )
    serial = collect_stats([many], jobs=1)
    assert parallel.files == serial.files
    assert [(e.path, e.line) for e in parallel.errors] == [(e.path, e.line) for e in serial.errors]
    assert seen == [(done, 60) for done in range(1, 61)]
    assert len(parallel.errors) == 9 and {s.obsolete for s in parallel.files} == {
        1,
        41,
        81,
        121,
        161,
    }


def _result(tree: Path) -> StatsResult:
    return collect_stats([tree / "locales"], jobs=1)


def test_json_contract(tree: Path) -> None:
    document = json.loads(render_stats_json(_result(tree)))
    assert list(document) == ["files", "errors"]
    assert list(document["files"][0]) == [
        "path",
        "language",
        "translated",
        "fuzzy",
        "untranslated",
        "obsolete",
        "words",
        "translated_words",
        "fuzzy_words",
        "untranslated_words",
    ]
    assert document["files"][0]["language"] == "fr"
    assert document["errors"] == [
        {
            "path": str(tree / "locales" / "pl" / "deep" / "bad.po"),
            "line": 8,
            "message": "end-of-line within string",
        }
    ]


def test_csv_has_a_header_and_one_row_per_file(tree: Path) -> None:
    rows = list(csv.reader(io.StringIO(render_stats_csv(_result(tree)))))
    assert rows[0][:3] == ["path", "language", "translated"]
    assert len(rows) == 3 and rows[1][1:7] == ["fr", "1", "1", "1", "1", "9"]


def test_table_has_a_total_row(tree: Path) -> None:
    table = render_stats_table(_result(tree))
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["File", "Lang", "Translated"]
    assert lines[-2].split()[:8] == ["Total", "(2", "files)", "2", "2", "2", "2", "18"]
    assert lines[-1] == "1 file(s) could not be counted"
    assert table == render_stats_table(_result(tree))


_msgid = st.text(st.sampled_from("ab cd-’.<>é0"), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(_msgid, st.sampled_from(["", "x"]), st.booleans(), st.booleans()),
        max_size=12,
        unique_by=lambda t: t[0],
    )
)
def test_counts_always_add_up(rows: list[tuple[str, str, bool, bool]]) -> None:
    entries = [
        Entry(msgid=m, msgstr=s, flags=["fuzzy"] if f else [], obsolete=o) for m, s, f, o in rows
    ]
    catalog = Catalog(headers=[("Language", "fr")], entries=entries)
    stats = scan_po(render_po(catalog).encode())
    active = [e for e in entries if not e.obsolete]
    assert stats.translated + stats.fuzzy + stats.untranslated == len(active)
    assert stats.obsolete == len(entries) - len(active)
    assert stats.words == stats.translated_words + stats.fuzzy_words + stats.untranslated_words
