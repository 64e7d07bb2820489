"""Reading the publisher's plain-text pages: the seed article in detail."""

from __future__ import annotations

import pytest
from projects import SEED, SEED_ID

from i18n_pipeline.errors import InputError
from i18n_pipeline.read import decode_article, parse_article, validate_article_id
from i18n_pipeline.read.profile import DEFAULT_PROFILE
from i18n_pipeline.read.text import is_wholly_quoted, looks_like_heading, read_text

CHROME = [
    "Documents in:",
    "International Communist League",
    "Subscribe to Workers Vanguard",
    "View archives",
    "Printable version of this article",
    "Home Spartacist",
]


@pytest.fixture(scope="module")
def seed():
    return read_text(
        SEED.read_text("utf-8"),
        article_id=SEED_ID,
        source_path="articles/wv/863/amnesty2.txt",
        profile=DEFAULT_PROFILE,
    )


def test_metadata(seed):
    meta = seed.meta
    assert meta.publication == "Workers Vanguard"
    assert meta.issue == "863"
    assert meta.date == "2006-02-03"
    assert meta.kicker == 'Imperialist "Democracy" at Work'
    assert meta.title == "U.S. Torture Machine"
    assert meta.subtitle == 'Amnesty International: "Gulag" and Anti-Communism'
    assert meta.part == "Part Two"


def test_sections(seed):
    assert [s.title for s in seed.sections] == [
        None,
        "Soviet Dissidents and Trotskyist Defensism",
        "Proletarian Rule and the Early Soviet Republic",
        "Proletarian Justice",
        "Trotskyists Were Main Targets of Stalinist Repression",
        "For New October Revolutions!",
    ]
    assert [s.index for s in seed.sections] == list(range(6))
    for section in seed.sections[1:]:
        assert section.blocks[0].kind == "heading"
        assert section.blocks[0].text == section.title


def test_block_kinds(seed):
    lead = seed.sections[0].blocks
    assert [(b.kind, b.role) for b in lead[:4]] == [
        ("title", "kicker"),
        ("title", "title"),
        ("title", "subtitle"),
        ("title", "part"),
    ]
    assert lead[4].kind == "paragraph"
    assert lead[4].text.startswith("We print below the conclusion")
    kinds = {b.kind for _, b in seed.blocks()}
    assert kinds == {"title", "heading", "paragraph", "quote", "attribution"}
    quotes = [b for _, b in seed.blocks() if b.kind == "quote"]
    assert [q.text[:30] for q in quotes] == [
        "“We repeat the warning we have",
        "“The fact that the Russian rev",
        "“Let all those who are assigne",
    ]
    (attribution,) = [b for _, b in seed.blocks() if b.kind == "attribution"]
    assert attribution.text == "—quoted in Anton The Time of Stalin"
    assert attribution.line == 84
    assert len(seed.blocks()) == 51


def test_wrapped_heading_is_joined(seed):
    heading = seed.sections[2].blocks[0]
    assert heading.text == "Proletarian Rule and the Early Soviet Republic"
    assert heading.line == 57


def test_no_chrome_and_no_table_of_contents_in_text(seed):
    texts = [b.text for _, b in seed.blocks()]
    for chrome in CHROME:
        assert not any(chrome in t for t in texts), chrome
    assert not any(t == "WV 863" or t.startswith("Workers Vanguard No.") for t in texts)
    assert "Defiant NYC Transit Workers Reject Contract" not in " ".join(texts)
    assert texts[-1].startswith("Our aim is to educate revolutionary-minded youth")


def test_issue_contents(seed):
    contents = seed.meta.issue_contents
    assert "Down With Imperialist Nuclear Blackmail! / U.S. Hands Off Iran!" in contents
    assert "European Dockers Strike Against Union Busting" in contents
    assert contents[-1] == "International Solidarity with TWU, ATU"
    assert len(contents) == 12


def test_source_language_is_detected():
    article = parse_article(
        SEED.read_bytes(),
        article_id=SEED_ID,
        source_path="a.txt",
        fmt="txt",
        profile=DEFAULT_PROFILE,
        source_language="en",
        candidates=("de", "fr", "es"),
    )
    assert article.source_language == "en"


def test_german_article_is_detected_as_german():
    text = (
        "Die Arbeiterklasse muss sich unabhängig von den bürgerlichen Parteien organisieren. "
        "Nur eine revolutionäre Partei kann die Kämpfe der Arbeiter zum Sieg führen, und "
        "dafür kämpfen wir in Deutschland und überall auf der Welt."
    )
    article = parse_article(
        f"Titel der Zeitung\n\n{text}\n\n{text}\n".encode(),
        article_id="x/y",
        source_path="x.txt",
        fmt="txt",
        profile=DEFAULT_PROFILE,
        source_language="en",
        candidates=("de", "fr"),
    )
    assert article.source_language == "de"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "x.txt: empty file"),
        (b"  \n\n \t\n", "x.txt: empty file"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "x.txt: binary file (it contains NUL bytes), not an article",
        ),
        ("Café au lait\n".encode("latin-1"), "x.txt:1: not valid UTF-8 (byte 0xe9)"),
    ],
)
def test_bad_bytes(data, message):
    with pytest.raises(InputError) as info:
        decode_article(data, "x.txt")
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    "bad", ["../etc/passwd", "wv/../x", "/abs/path", "a b", "wv//x", "é/x", ""]
)
def test_invalid_ids(bad):
    with pytest.raises(InputError):
        validate_article_id(bad)


def test_valid_id():
    assert validate_article_id("wv/863/amnesty2") == "wv/863/amnesty2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“A quote.”", True),
        ("“A” and “B”", False),
        ("“Nested ‘inner’ quote,” he said.", False),
        ('"Straight quotes."', True),
        ("Not quoted.", False),
    ],
)
def test_wholly_quoted(text, expected):
    assert is_wholly_quoted(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Proletarian Justice", True),
        ("For New October Revolutions!", True),
        ("This is a short sentence.", False),
        ("the lower case start", False),
        ("A sentence that mostly uses lowercase words here", False),
    ],
)
def test_heading_heuristic(text, expected):
    assert looks_like_heading(text) is expected


def test_page_without_masthead():
    text = "Site Menu Home\n\nA Title Here\n\nFirst paragraph of text, with a comma.\n"
    article = read_text(text, article_id="a", source_path="a.txt", profile=DEFAULT_PROFILE)
    # Two short lines before the text read as kicker and title, as on the site.
    assert article.meta.kicker == "Site Menu Home"
    assert article.meta.title == "A Title Here"
    assert article.sections[0].blocks[-1].kind == "paragraph"
