"""The fast path of scan_po against the reader, and the word counter against its definition.

scan_po counts catalogs of the common shape with regular expressions and leaves everything
else to the reader of parse.py. The fast path may decline any catalog, but when it counts one
the reader must accept that catalog and count the same; it must decline every invalid one.
count_words is defined by a regular expression that it no longer runs: the two must agree.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from i18n_pipeline.errors import PoSyntaxError
from i18n_pipeline.model import count_words, count_words_many, count_words_utf8, strip_tags
from i18n_pipeline.po import catalog_stats, parse_po, scan_po
from i18n_pipeline.po.parse import decode_po, po_encoding
from i18n_pipeline.po.scan import PoStats, _scan_canonical, _scan_read

FIXTURES = Path(__file__).parent / "fixtures" / "po"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "python-docs"
CORPUS = Path(os.environ.get("I18N_CORPUS", CORPUS))
#: The definition of a word, as count_words documents it.
WORD = re.compile(r"[^\W_](?:[\w'’.-]*[^\W_])?")


def _by_definition(text: str) -> int:
    return len(WORD.findall(strip_tags(text)))


def _both(data: bytes) -> tuple[PoStats | None, PoStats | int]:
    """The fast path's counts (None if it declines) and the reader's (or its error line)."""
    fast = _scan_canonical(data, po_encoding(data), "x.po")
    text, bad_bytes = decode_po(data)
    try:
        return fast, _scan_read(text, bad_bytes, "x.po")
    except PoSyntaxError as error:
        assert error.line is not None
        return fast, error.line


def _corpus() -> list[Path]:
    if not CORPUS.is_dir():
        if os.environ.get("I18N_REQUIRE_CORPUS") == "1":
            pytest.fail(f"corpus not found at {CORPUS} (I18N_REQUIRE_CORPUS=1)")
        pytest.skip(f"corpus of real catalogs not found at {CORPUS}")
    return sorted(CORPUS.rglob("*.po"))


# -- the fast path -------------------------------------------------------------------------


@pytest.mark.slow
def test_fast_path_counts_every_corpus_catalog_as_the_reader_does() -> None:
    paths = _corpus()
    declined = []
    for path in paths:
        fast, read = _both(path.read_bytes())
        if fast is None:
            declined.append(path.name)
        else:
            assert fast == read, path
    assert declined == []  # real catalogs are of the common shape: none is left to the reader
    assert len(paths) > 900


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.po")))
def test_fast_path_on_fixtures(name: str) -> None:
    """Every invalid fixture is left to the reader; a valid one is counted the same or left."""
    fast, read = _both((FIXTURES / name).read_bytes())
    if name.startswith("err_"):
        assert fast is None and isinstance(read, int)
    else:
        assert isinstance(read, PoStats)
        assert fast is None or fast == read


def test_fast_path_takes_the_common_shapes() -> None:
    """Comments, msgctxt, plurals, "#|" and "#~" entries, escapes: the fixture of them all."""
    for name in ("ok_full.po", "ok_no_header.po", "ok_empty.po", "ok_latin1.po", "ok_crlf.po"):
        fast, read = _both((FIXTURES / name).read_bytes())
        assert fast is not None and fast == read, name


def test_charsets_whose_bytes_may_hide_a_backslash_are_left_to_the_reader() -> None:
    """In Shift_JIS the second byte of ソ is a backslash: only the reader knows the text."""
    head = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=SHIFT_JIS\\n"\n\n'
    data = (head + 'msgid "ソ"\nmsgstr "x"\n').encode("shift_jis")
    assert b"\\" in data
    fast, read = _both(data)
    assert fast is None
    assert isinstance(read, PoStats) and (read.translated, read.words) == (1, 1)
    latin = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-2\\n"\n\nmsgid "żółw ź"\n'
    fast, read = _both((latin + 'msgstr ""\n').encode("iso8859-2"))
    assert fast is not None and fast == read and fast.untranslated_words == 2


HEAD = 'msgid ""\nmsgstr "Language: fr\\nContent-Type: text/plain; charset=UTF-8\\n"\n\n'
MSGFMT = shutil.which("msgfmt")


@pytest.mark.parametrize(
    ("body", "line"),
    [
        # The same msgid split in other places, or written with another escape.
        ('msgid "ab"\nmsgstr "x"\n\nmsgid ""\n"a"\n"b"\nmsgstr "y"\n', 7),
        ('msgid "a\\tb"\nmsgstr "x"\n\nmsgid "a\tb"\nmsgstr "y"\n', 7),
        ('msgctxt "c"\nmsgid "a"\nmsgstr "x"\n\nmsgctxt ""\n"c"\nmsgid "a"\nmsgstr "y"\n', 10),
        ('msgid "a"\nmsgstr "x"\n\n#~ msgid ""\n#~ "a"\n#~ msgstr "y"\n', 7),
        ('#~ msgid ""\n#~ msgstr "y"\n', 4),
        # Plural forms out of order, and a form without msgid_plural.
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[2] "y"\n', 7),
        ('msgid "a"\nmsgstr "x"\nmsgstr[1] "y"\n', 6),
        # A comment ending in a backslash goes on on the next line.
        ('# note \\\nmsgid "a"\nmsgstr "x"\n', 6),
        # A string with an escape msgfmt does not know, or none at all at the end.
        ('msgid "a\\q"\nmsgstr "x"\n', 4),
        ('msgid "a"\nmsgstr "x\\"\n', 6),
    ],
)
def test_errors_are_left_to_the_reader(body: str, line: int, tmp_path: Path) -> None:
    """The fast path declines; the reader blames msgfmt's line."""
    fast, read = _both((HEAD + body).encode())
    assert fast is None
    assert read == line
    if MSGFMT is not None:
        path = tmp_path / "x.po"
        path.write_text(HEAD + body, encoding="utf-8")
        run = subprocess.run([MSGFMT, "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert run.returncode == 1
        assert re.search(rf"x\.po:{line}:", run.stderr), run.stderr


def test_header_and_escapes() -> None:
    data = (
        b'# c\n#, fuzzy\nmsgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"Language: pl\\n"\n\n'
        b'msgid "tab\\there \\"quoted\\" end\\n"\nmsgstr "x"\n\n'
        b'#, fuzzy, python-format\nmsgid "%s files"\nmsgstr "y"\n\n'
        b'#, range: fuzzy\nmsgid "not fuzzy"\nmsgstr "z"\n'
    )
    fast, read = _both(data)
    assert fast is not None and fast == read
    assert (fast.language, fast.translated, fast.fuzzy, fast.untranslated) == ("pl", 2, 1, 0)
    assert (fast.words, fast.fuzzy_words) == (8, 2)  # "\\n" is no word "n"


_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "b": "\b"}


@pytest.mark.parametrize("escape", [*_ESCAPED, '"', "\\"])
def test_every_escape_counts_as_the_character_it_stands_for(escape: str) -> None:
    """White space opens a tag's attributes and the rest does not; none is part of a word."""
    msgids = [f"<a\\{escape}href=x>link</a>", f"one\\{escape}two", f"\\\\\\{escape}z"]
    body = "".join(f'msgid "{m}"\nmsgstr ""\n\n' for m in msgids)
    fast, read = _both((HEAD + body).encode())
    assert fast is not None and fast == read
    char = _ESCAPED.get(escape, escape)
    texts = [f"<a{char}href=x>link</a>", f"one{char}two", f"\\{char}z"]
    assert fast.untranslated_words == sum(count_words(t) for t in texts)


# Catalogs built entry by entry from a few texts (so that keys repeat, split differently),
# then spoiled at random: lines dropped, repeated, swapped, or replaced by near misses.
_COMMON = ["", "a", "b", "a b", "\\n", "\\t", '\\"', "’é", "\\\\", "<a", "b>", "<em>x</em>"]
_RARE = ["\t", "\\q", "\\101", "x\\"]  # a literal tab, an invalid escape, octal, no end
_PIECE = st.one_of(
    st.sampled_from(_COMMON * 10 + _RARE), st.text("cdefgh .-", min_size=1, max_size=6)
)
_STRINGS = st.lists(_PIECE, min_size=1, max_size=3).map(lambda parts: [f'"{p}"' for p in parts])


@st.composite
def _entry(draw: st.DrawFn) -> list[str]:
    lines: list[str] = draw(
        st.lists(
            st.sampled_from(
                ["#, fuzzy", "#, python-format", "#! fuzzy", "#, range: fuzzy", "#: a.rst", "#", ""]
            ),
            max_size=3,
        )
    )
    body: list[str] = []

    def keyword(name: str) -> None:
        first, *rest = draw(_STRINGS)
        body.extend([f"{name} {first}", *rest])

    if draw(st.booleans()):
        previous = [f"#| msgid {s}" if i == 0 else f"#| {s}" for i, s in enumerate(draw(_STRINGS))]
        body.extend(previous)
    if draw(st.booleans()):
        keyword("msgctxt")
    keyword("msgid")
    if draw(st.booleans()):
        keyword("msgid_plural")
        for number in draw(st.sampled_from([[0], [0, 1], [0, 1, 2]] * 3 + [[1], [0, 2]])):
            keyword(f"msgstr[{number}]")
    else:
        keyword("msgstr")
    if draw(st.booleans()):  # obsolete, now and then only in part
        whole = draw(st.integers(0, 9)) > 0
        body = [
            ("#~| " + line[3:] if line.startswith("#| ") else "#~ " + line)
            if whole or draw(st.booleans())
            else line
            for line in body
        ]
    return lines + body


_SPOIL = st.sampled_from(
    ["drop", "repeat", "swap", "junk", "keep", "keep", "keep", "keep", "keep", "keep"]
)
_JUNK = st.sampled_from(
    ['msgid  "a"', 'msgstr "x', 'domain "d"', "# note \\", '\tmsgid "a"', "#~", '"a" "b"']
)


@st.composite
def _catalog(draw: st.DrawFn) -> str:
    lines = [
        'msgid ""',
        'msgstr "Language: fr\\nContent-Type: text/plain; charset=UTF-8\\n"',
        "",
    ] * draw(st.booleans())
    for entry in draw(st.lists(_entry(), max_size=5)):
        lines += [*entry, ""]
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        spoil = draw(_SPOIL)
        if spoil == "drop":
            del lines[at]
        elif spoil == "repeat":
            lines.insert(at, lines[at])
        elif spoil == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        elif spoil == "junk":
            lines.insert(at, draw(_JUNK))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return newline.join(lines) + draw(st.sampled_from([newline, ""]))


@settings(max_examples=500, deadline=None)
@given(_catalog())
@example('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n')
@example('msgid "a"\nmsgstr ""\n"b"\n\n#~ msgid "c"\n#~ msgstr "d"\n')
def test_fast_path_never_disagrees_with_the_reader(text: str) -> None:
    fast, read = _both(text.encode())
    if fast is not None:
        assert fast == read


def test_scan_po_takes_the_fast_path_and_the_reader_alike() -> None:
    good = (HEAD + 'msgid "one two"\nmsgstr "x"\n').encode()
    odd = (HEAD + 'msgid "one two"\n\nmsgstr "x"\n').encode()  # a blank line inside an entry
    assert _both(good)[0] is not None and _both(odd)[0] is None
    assert scan_po(odd) == scan_po(good) == catalog_stats(parse_po(good))


# -- the word counter ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("don’t U.S. 1923-24 anti-Soviet", 4),
        ("-- … — ' .", 0),
        ("a_b _a_ __", 2),
        ("<em>bold</em>face <a href='x'>link</a>", 2),
        ("x < y > z", 3),
        ("ǅemal ĳssel ² ٣ 中文 ünïcödé", 6),
        ("l’été’ ’tis", 2),
        ("broken \ud800 surrogate", 2),
    ],
)
def test_count_words_examples(text: str, words: int) -> None:
    assert count_words(text) == _by_definition(text) == words


def test_count_words_knows_every_space_that_opens_a_tag_attribute() -> None:
    """Tags are stripped from UTF-8 bytes, with \\s spelled out: it must be all of \\s."""
    spaces = [chr(c) for c in range(0x110000) if re.match(r"\s", chr(c))]
    assert len(spaces) > 20
    for char in [*spaces, "x", "\u200b", "\xad", "\ufeff"]:
        text = f"<a{char}href='u'>link</a> next"
        assert count_words(text) == _by_definition(text), repr(char)


_TEXT = st.text(
    st.one_of(
        st.sampled_from(list("aZ09 _'’.-<>/=\"\n\t\xa0…—éßǅ²٣中\u0301\U0001d400")),
        st.characters(),
    ),
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_count_words_is_its_definition(text: str) -> None:
    assert count_words(text) == _by_definition(text)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        _TEXT,
        st.text(st.sampled_from(list("aZ0 _'.-<>/=\"\n\t\x1c\x1f\x0b")), max_size=40),
    )
)
@example("<a\x1chref>x</a> y")
def test_count_words_utf8_is_count_words(text: str) -> None:
    """The bytes entry point, whose ASCII path runs a bytes expression for tags."""
    assert count_words_utf8(text.encode("utf-8", "surrogatepass")) == count_words(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, max_size=6))
@example(["see <a", "b> c"])
@example(["<em", ">x"])
def test_count_words_many_adds_up(texts: list[str]) -> None:
    assert count_words_many(texts) == sum(count_words(text) for text in texts)


@pytest.mark.slow
def test_count_words_is_its_definition_on_the_corpus() -> None:
    texts = []
    for path in _corpus():
        for entry in parse_po(path.read_bytes()).entries:
            texts += [entry.msgid, entry.msgstr or ""]
    assert [count_words(t) for t in texts] == [_by_definition(t) for t in texts]
    assert count_words_many(texts) == sum(map(_by_definition, texts))
