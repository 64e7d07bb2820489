"""The strict PO parser: msgfmt's verdict and error line on every fixture, and the catalog."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from i18n_pipeline.errors import PoSyntaxError
from i18n_pipeline.po import parse_po, parse_po_errors, scan_po

FIXTURES = Path(__file__).parent / "fixtures" / "po"
MSGFMT = shutil.which("msgfmt")

#: The first error line msgfmt reports for each fixture (None: msgfmt accepts the file).
EXPECTED: dict[str, int | None] = {
    "ok_full.po": None,
    "ok_crlf.po": None,
    "ok_tabs.po": None,
    "ok_backslash_newline.po": None,
    "ok_no_header.po": None,
    "ok_empty.po": None,
    "ok_latin1.po": None,
    "err_unterminated.po": 12,  # msgfmt blames the line after the open string
    "err_escape.po": 11,
    "err_asterisco.po": 11,
    "err_duplicate.po": 13,
    "err_duplicate_obsolete.po": 13,
    "err_duplicate_context.po": 15,
    "err_previous_alone.po": 14,  # the end of the file
    "err_previous_then_flags.po": 12,  # the line after the comment
    "err_cut_off.po": 14,
    "err_cut_off_plural.po": 10,
    "err_cut_off_string.po": 11,
    "err_garbage.po": 12,
    "err_bom.po": 1,
    "err_missing_msgid_plural.po": 10,
    "err_plural_index.po": 12,
    "err_plural_plain_msgstr.po": 12,
    "err_inconsistent_obsolete.po": 11,
    "err_comment_inside_entry.po": 10,
    "err_second_msgstr.po": 12,
    "err_context_separator.po": 10,
    "err_unknown_keyword.po": 11,
    "err_invalid_utf8.po": 11,
}


def _verdict(path: Path) -> int | None:
    try:
        parse_po(path.read_bytes(), str(path))
    except PoSyntaxError as err:
        assert err.path == str(path)
        return err.line
    return None


def _msgfmt_verdict(path: Path) -> int | None:
    assert MSGFMT is not None
    run = subprocess.run(
        [MSGFMT, "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode == 0:
        return None
    match = re.search(re.escape(str(path)) + r":(\d+):", run.stderr)
    assert match, run.stderr
    return int(match.group(1))


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.po")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_parse_verdict(name: str) -> None:
    assert _verdict(FIXTURES / name) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scan_has_the_same_verdict(name: str) -> None:
    path = FIXTURES / name
    try:
        scan_po(path.read_bytes(), str(path))
        line = None
    except PoSyntaxError as err:
        line = err.line
    assert line == EXPECTED[name]


@pytest.mark.skipif(MSGFMT is None, reason="GNU msgfmt is not installed (apt-get install gettext)")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_verdict_matches_msgfmt(name: str) -> None:
    path = FIXTURES / name
    assert _verdict(path) == _msgfmt_verdict(path)


def test_full_catalog() -> None:
    catalog = parse_po((FIXTURES / "ok_full.po").read_bytes())
    assert catalog.header("language") == "fr"
    assert catalog.headers[0] == ("Project-Id-Version", "fixture")
    assert catalog.header_comments == ["Translator comment"]
    assert catalog.header_flags == ["fuzzy"]
    first, titled, plural, long, empty, gone, old = catalog.entries
    assert first.msgid == "Workers of the world"
    assert first.extracted_comments == ["Section: Lead"]
    assert first.references == ["wv/863/amnesty2.txt:12", "wv/863/amnesty2.txt:40"]
    assert first.line == 14
    assert titled.key == ("title", "New title")
    assert (titled.previous_msgctxt, titled.previous_msgid) == ("title", "Old title")
    assert titled.fuzzy and titled.state == "fuzzy"
    assert plural.msgid_plural == "%d articles"
    assert plural.msgstr_plural == {0: "un article", 1: "%d articles"}
    assert long.msgid == "A long paragraph that goes on over several lines.\n"
    assert long.msgstr == 'Un long paragraphe "cité" sur plusieurs lignes.\n'
    assert empty.state == "untranslated"
    assert gone.obsolete and gone.msgstr == "parti"
    assert old.obsolete and old.fuzzy and old.previous_msgid == "older"


def test_crlf_tabs_and_tight_references() -> None:
    crlf = parse_po((FIXTURES / "ok_crlf.po").read_bytes())
    assert [(e.msgid, e.msgstr) for e in crlf.entries] == [("a", "b"), ("c", "d")]
    assert crlf.entries[0].references == ["a.txt:1"]
    tabs = parse_po((FIXTURES / "ok_tabs.po").read_bytes())
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in tabs.entries] == [
        (None, "a", "b"),
        ("k", "c", "d"),
        (None, "e", "f"),
    ]
    assert tabs.entries[0].references == ["a.txt:1"]


def test_declared_charset_is_decoded() -> None:
    catalog = parse_po((FIXTURES / "ok_latin1.po").read_bytes())
    assert catalog.entries[0].msgstr == "café crème"


def test_backslash_newline_joins_lines_like_msgfmt() -> None:
    catalog = parse_po((FIXTURES / "ok_backslash_newline.po").read_bytes())
    assert catalog.entries[0].msgstr == "bc"


def test_escapes() -> None:
    data = b'msgid "t\\tn\\n\\\\ \\"q\\" \\101\\x42"\nmsgstr "x"\n'
    assert parse_po(data).entries[0].msgid == 't\tn\n\\ "q" AB'


def test_byte_order_mark_is_rejected_like_msgfmt() -> None:
    """Decision: a UTF-8 BOM is an error on line 1, because msgfmt cannot compile the file."""
    with pytest.raises(PoSyntaxError, match="byte-order mark") as caught:
        parse_po(b'\xef\xbb\xbfmsgid "a"\nmsgstr "b"\n', "bom.po")
    assert str(caught.value).startswith("bom.po:1: ")


def test_errors_are_all_collected() -> None:
    catalog, errors = parse_po_errors((FIXTURES / "err_asterisco.po").read_bytes(), "x.po")
    assert catalog is None
    assert [(e.line, e.message) for e in errors] == [
        (11, "syntax error: unexpected character '*'"),
        (11, 'keyword "asterisco" unknown'),
        (12, "end-of-line within string"),
    ]
    catalog, errors = parse_po_errors((FIXTURES / "ok_full.po").read_bytes())
    assert errors == [] and catalog is not None and len(catalog.entries) == 7


@pytest.mark.skipif(MSGFMT is None, reason="GNU msgfmt is not installed (apt-get install gettext)")
@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n != "err_invalid_utf8.po"))
def test_error_lists_match_msgfmt(name: str) -> None:
    """msgfmt reports several errors per file; the linter lists the same lines in order.

    (Left out: msgfmt reports each undecodable byte; we report its line once.)
    """
    path = FIXTURES / name
    _, errors = parse_po_errors(path.read_bytes(), str(path))
    run = subprocess.run(
        [str(MSGFMT), "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False
    )
    pattern = re.escape(str(path)) + r":(\d+):(?:\d+:)? (?!\.\.\.)"
    assert [e.line for e in errors] == [int(m.group(1)) for m in re.finditer(pattern, run.stderr)]
