"""Reading Markdown: front matter, sections, kinds, inline tags, lines; and the HTML page of
the same article giving the same model."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n_pipeline.errors import ArticleError
from i18n_pipeline.model import Article
from i18n_pipeline.read.html import read_html
from i18n_pipeline.read.markdown import read_markdown
from i18n_pipeline.read.profile import DEFAULT_PROFILE

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def read(text: str, path: str = "articles/t.md") -> Article:
    return read_markdown(text, article_id="t", source_path=path, profile=DEFAULT_PROFILE)


def blocks(article: Article) -> list[tuple[str, str, int]]:
    return [(b.kind, b.text, b.line) for _, b in article.blocks()]


def shape(article: Article) -> list[tuple[str | None, list[tuple[str, str | None, str]]]]:
    """Sections with their blocks' kinds, roles and texts: what must not depend on format."""
    return [(s.title, [(b.kind, b.role, b.text) for b in s.blocks]) for s in article.sections]


def test_html_and_markdown_pages_of_one_article_agree():
    html = read_html(
        (ARTICLES / "harbour.html").read_text("utf-8"),
        article_id="wv/900/harbour",
        source_path="articles/wv/900/harbour.html",
        profile=DEFAULT_PROFILE,
    )
    md = read_markdown(
        (ARTICLES / "harbour.md").read_text("utf-8"),
        article_id="wv/900/harbour",
        source_path="articles/wv/900/harbour.md",
        profile=DEFAULT_PROFILE,
    )
    assert [s.title for s in md.sections] == [s.title for s in html.sections]
    assert shape(md) == shape(html)
    assert md.meta == html.meta
    assert (md.format, html.format) == ("md", "html")
    assert len(shape(md)[0][1]) == 6  # title block of four, lead, quotation


def test_harbour_lines():
    md = read((ARTICLES / "harbour.md").read_text("utf-8"))
    lines = {text: line for _, text, line in blocks(md)}
    assert lines["Harbour Strike Spreads"] == 6  # the front-matter key
    assert lines["Part One"] == 8
    assert lines["The Picket Lines"] == 18
    assert lines["—A crane operator, <em>Harbour Bulletin</em>"] == 24
    assert lines["No <strong>casual</strong> labour"] == 29


def test_title_heading_sections_and_kinds():
    article = read(
        "Workers Vanguard No. 901\n"
        "\n"
        "28 March 2008\n"
        "\n"
        "# The *Title*\n"
        "\n"
        'Lead with `code()` and [a link](https://example.org/a "t") and **strong**.\n'
        "\n"
        "## First\n"
        "\n"
        "> Quoted once\n"
        "> —Somebody\n"
        "\n"
        "1. one\n"
        "2. two\n"
        "   continued\n"
        "\n"
        "### Second\n"
        "\n"
        "“All of it quoted.”\n"
    )
    assert article.meta.title == "The Title"
    assert (article.meta.publication, article.meta.issue, article.meta.date) == (
        "Workers Vanguard",
        "901",
        "2008-03-28",
    )
    assert [(s.index, s.title) for s in article.sections] == [
        (0, None),
        (1, "First"),
        (2, "Second"),
    ]
    assert blocks(article) == [
        ("title", "The <em>Title</em>", 5),
        (
            "paragraph",
            'Lead with code() and <a href="https://example.org/a">a link</a> and'
            " <strong>strong</strong>.",
            7,
        ),
        ("heading", "First", 9),
        ("quote", "Quoted once", 11),
        ("attribution", "—Somebody", 12),
        ("list-item", "one", 14),
        ("list-item", "two continued", 15),
        ("heading", "Second", 18),
        ("quote", "“All of it quoted.”", 20),
    ]


def test_escaped_markup_stays_text():
    article = read("# &lt;script&gt;alert(1)&lt;/script&gt;\n\nA \\<b\\> and `<i>`.\n")
    assert article.meta.title == "<script>alert(1)</script>"
    assert [text for _, text, _ in blocks(article)] == [
        "<script>alert(1)</script>",
        "A <b> and <i>.",
    ]


def test_raw_html_inline_and_blocks():
    article = read(
        "# T\n"
        "\n"
        'Raw <i>it</i>, <b>bold</b>, <a href="/x" class="c">link</a>, <span>s</span>'
        "<script>bad()</script> end.\n"
        "\n"
        "<nav>Home · Archive</nav>\n"
        "\n"
        "<blockquote>\n"
        "<p>“Raw quote.”</p>\n"
        "</blockquote>\n"
        "\n"
        "<!-- a comment -->\n"
    )
    assert blocks(article)[1:] == [
        (
            "paragraph",
            'Raw <em>it</em>, <strong>bold</strong>, <a href="/x">link</a>, s end.',
            3,
        ),
        ("quote", "“Raw quote.”", 8),
    ]


def test_front_matter_title_and_duplicate_heading():
    article = read(
        "---\n"
        "title: Same Title\n"
        "language: DE\n"
        "date: 3 February 2006\n"
        "tags: one\n"
        "---\n"
        "# Same Title\n"
        "\n"
        "Short line\n"
        "\n"
        "# Another Top Heading\n"
    )
    assert article.meta.date == "2006-02-03"
    assert article.meta.tags == ("one",)
    assert article.source_language == "de"
    assert article.meta.subtitle is None  # a declared title takes no guessed subtitle
    assert [s.title for s in article.sections] == [None, "Another Top Heading"]
    assert blocks(article)[:2] == [("title", "Same Title", 2), ("paragraph", "Short line", 9)]


def test_subtitle_and_part_without_front_matter():
    article = read("# Title\n\nA Short Subtitle\n\nPart 3\n\nThe lead, as a sentence.\n")
    assert (article.meta.subtitle, article.meta.part) == ("A Short Subtitle", "Part 3")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\ntitle: [unclosed\n---\n# T\n", 2, "front matter: expected ',' or ']'"),
        ("---\ntitle: a\n  bad: indent\n---\n", 3, "front matter: mapping values are not"),
        ("---\ntitle: T\nsubtilte: S\n---\n", 3, "front matter: unknown key 'subtilte'"),
        ("---\n- a list\n---\n", 2, "front matter must be a mapping"),
        ("---\ntitle: T\n", 1, "front matter: no closing '---' line"),
        ("---\ntitle:\n  nested: map\n---\n", 3, "front matter: 'title' must be text"),
        ("---\ndate: yesterday\n---\n", 2, "front matter: 'date' must be a date"),
        ("---\ndate: 2006-02-30\n---\n", 2, "front matter: 'date': day is out of range"),
        ("---\ntags: {a: b}\n---\n", 2, "front matter: 'tags' must be a list"),
        ("---\ntags: " + "[" * 5000 + "\n---\n", 2, "front matter: nested too deeply"),
    ],
)
def test_bad_front_matter_names_path_and_line(text, line, message):
    with pytest.raises(ArticleError) as err:
        read(text, "articles/bad.md")
    assert (err.value.path, err.value.line) == ("articles/bad.md", line)
    assert err.value.message.startswith(message)


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "---\ntitle:\n---\n", "<!-- only a comment -->\n", "---\n---\n***\n"],
)
def test_no_text_is_an_error_naming_the_path(text):
    with pytest.raises(ArticleError) as err:
        read(text, "articles/empty.md")
    assert str(err.value) == "articles/empty.md: no article text found"


def test_line_endings_and_byte_order_mark():
    article = read("\ufeff---\r\ntitle: T\r\n---\r\n\r\nText\r\n\r\n## H\r\n")
    assert blocks(article) == [("title", "T", 2), ("paragraph", "Text", 5), ("heading", "H", 7)]
