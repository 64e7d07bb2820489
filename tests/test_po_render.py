"""The PO writer: msgcat's layout on real catalogs, and write-then-read round trips."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from i18n_pipeline.po import Catalog, Entry, parse_po, render_po

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "python-docs"
CORPUS = Path(os.environ.get("I18N_CORPUS", CORPUS))
FIXTURES = Path(__file__).parent / "fixtures" / "po"
MSGCAT = shutil.which("msgcat")
MSGFMT = shutil.which("msgfmt")


def _corpus_sample(step: int) -> list[Path]:
    return sorted(CORPUS.rglob("*.po"))[::step] if CORPUS.is_dir() else []


def _msgcat(path: Path) -> str:
    assert MSGCAT is not None
    return subprocess.run([MSGCAT, str(path)], capture_output=True, check=True).stdout.decode()


@pytest.mark.skipif(MSGCAT is None, reason="GNU msgcat is not installed (apt-get install gettext)")
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize("path", _corpus_sample(23), ids=lambda p: p.name)
def test_corpus_file_renders_like_msgcat(path: Path) -> None:
    catalog = parse_po(path.read_bytes(), str(path))
    # msgcat drops obsolete entries without a translation (a filter, not formatting).
    catalog.entries = [e for e in catalog.entries if not (e.obsolete and e.first_msgstr == "")]
    assert render_po(catalog) == _msgcat(path)


@pytest.mark.skipif(MSGCAT is None, reason="GNU msgcat is not installed (apt-get install gettext)")
@pytest.mark.parametrize("name", ["ok_full.po", "ok_tabs.po", "ok_no_header.po"])
def test_fixture_renders_like_msgcat(name: str) -> None:
    """(Not ok_crlf.po: msgcat keeps a stray CR at the end of comments; we write LF only.)"""
    path = FIXTURES / name
    assert render_po(parse_po(path.read_bytes())) == _msgcat(path)


def test_layout_details() -> None:
    entry = Entry(
        msgid="x" * 80 + " " + "y" * 10,
        msgstr="",
        flags=["python-format", "fuzzy", "custom"],
        references=[f"articles/wv/863/amnesty{n}.txt:{n}" for n in range(4)] + ["./a.txt:1"],
        translator_comments=["two\nlines", ""],
        extracted_comments=["Section: Lead"],
    )
    text = render_po(Catalog(entries=[entry]))
    assert text == (
        "# two\n# lines\n#\n#. Section: Lead\n"
        "#: articles/wv/863/amnesty0.txt:0 articles/wv/863/amnesty1.txt:1\n"
        "#: articles/wv/863/amnesty2.txt:2 articles/wv/863/amnesty3.txt:3 a.txt:1\n"
        "#, python-format, custom\n"  # no "fuzzy" on an empty msgstr, as msgcat
        'msgid ""\n"'
        + "x" * 80
        + ' "\n"'
        + "y" * 10
        + '"\nmsgstr ""\n'  # overflows: no break point
    )


def test_comment_ending_in_backslash_stays_a_comment() -> None:
    catalog = Catalog(entries=[Entry(msgid="a", extracted_comments=["C:\\"]), Entry(msgid="b")])
    text = render_po(catalog)
    assert text.startswith("#. C:\\ \nmsgid")
    assert [e.msgid for e in parse_po(text.encode()).entries] == ["a", "b"]


def test_obsolete_entries_come_last() -> None:
    old = Entry(msgid="old", msgstr="vieux", obsolete=True, previous_msgid="older")
    new = Entry(msgid="new", msgstr="neuf")
    text = render_po(Catalog(entries=[old, new]))
    assert (
        text
        == 'msgid "new"\nmsgstr "neuf"\n\n#~| msgid "older"\n#~ msgid "old"\n#~ msgstr "vieux"\n'
    )


def test_output_is_deterministic() -> None:
    data = (FIXTURES / "ok_full.po").read_bytes()
    assert render_po(parse_po(data)) == render_po(parse_po(data))
    assert render_po(parse_po(render_po(parse_po(data)).encode())) == render_po(parse_po(data))


# -- round trip ----------------------------------------------------------------------------

_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x04"), max_size=120
)
_words = st.lists(
    st.sampled_from(["the", "Workers", "Vanguard", "é", "ą", "—", "«", "»", "\n", " ", "-", "%d"]),
    max_size=40,
).map("".join)
_string = st.one_of(_text, _words)
_nonempty = _string.filter(bool)
_reference = st.from_regex(r"[a-z0-9_/]{1,30}\.txt:[0-9]{1,4}", fullmatch=True)
_comment = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=60)
    .map(str.strip)
    .filter(lambda c: not c.endswith("\\"))  # gets a space after it: see the test above
)


@st.composite
def _entries(draw: st.DrawFn) -> Entry:
    plural = draw(st.booleans())
    entry = Entry(
        msgid=draw(_nonempty),
        msgctxt=draw(st.none() | _string),
        translator_comments=draw(st.lists(_comment, max_size=2)),
        extracted_comments=draw(st.lists(_comment, max_size=2)),
        references=draw(st.lists(_reference, max_size=4, unique=True)),
        obsolete=draw(st.booleans()),
    )
    if plural:
        entry.msgid_plural = draw(_nonempty)
        entry.msgstr_plural = dict(enumerate(draw(st.lists(_string, min_size=1, max_size=3))))
    else:
        entry.msgstr = draw(_string)
    if entry.first_msgstr and draw(st.booleans()):
        entry.flags.append("fuzzy")
    if draw(st.booleans()):
        entry.flags.append("python-format")
    if draw(st.booleans()):
        entry.previous_msgid = draw(_nonempty)
        entry.previous_msgctxt = draw(st.none() | _string)
    return entry


@st.composite
def _catalogs(draw: st.DrawFn) -> Catalog:
    entries = draw(st.lists(_entries(), max_size=6, unique_by=lambda e: (e.msgctxt, e.msgid)))
    # Active entries are written before obsolete ones, so the model keeps that order.
    entries = [e for e in entries if not e.obsolete] + [e for e in entries if e.obsolete]
    catalog = Catalog(entries=entries)
    catalog.headers = [("Language", "fr"), ("Content-Type", "text/plain; charset=UTF-8")]
    return catalog


def _without_lines(catalog: Catalog) -> Catalog:
    for entry in catalog.entries:
        entry.line = 0
    return catalog


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_catalogs())
def test_render_then_parse_gives_the_same_catalog(catalog: Catalog) -> None:
    text = render_po(catalog)
    assert _without_lines(parse_po(text.encode("utf-8"))) == catalog


@pytest.mark.skipif(MSGFMT is None, reason="GNU msgfmt is not installed (apt-get install gettext)")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_catalogs())
def test_rendered_catalog_passes_msgfmt_check(catalog: Catalog) -> None:
    catalog.headers.append(("Plural-Forms", "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"))
    keys = set()
    for entry in catalog.entries:
        entry.flags = [f for f in entry.flags if f != "python-format"]  # format checks aside
        if entry.msgid_plural is not None:
            entry.msgstr_plural = {i: entry.msgstr_plural.get(i, "") for i in range(3)}
        _align_newlines(entry)
        keys.add(entry.key)
    assume(len(keys) == len(catalog.entries))
    with tempfile.NamedTemporaryFile("w", suffix=".po", encoding="utf-8") as handle:
        handle.write(render_po(catalog))
        handle.flush()
        run = subprocess.run(
            [str(MSGFMT), "--check", "-o", "/dev/null", handle.name],
            capture_output=True,
            text=True,
            check=False,
        )
    assert run.returncode == 0, run.stderr


def _align_newlines(entry: Entry) -> None:
    """msgfmt --check wants msgid and msgstr to agree on newlines: keep them out."""
    entry.msgid = entry.msgid.replace("\n", " ")
    entry.msgstr = entry.msgstr.replace("\n", " ")
    if entry.msgid_plural is not None:
        entry.msgid_plural = entry.msgid_plural.replace("\n", " ")
        entry.msgstr_plural = {i: s.replace("\n", " ") for i, s in entry.msgstr_plural.items()}


def test_every_format_flag_msgcat_knows_is_written_in_its_order() -> None:
    """msgcat 0.21 writes ``#, c-format, java-printf-format, ruby-format`` for these."""
    text = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#, ruby-format, java-printf-format, c-format\nmsgid "a %s"\nmsgstr "b %s"\n'
    )
    rendered = render_po(parse_po(text.encode()))
    assert "#, c-format, java-printf-format, ruby-format\n" in rendered
