"""Reading HTML pages: chrome, front matter, sections, block kinds, inline tags, lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n_pipeline.errors import ArticleError
from i18n_pipeline.model import Article
from i18n_pipeline.read.html import read_html
from i18n_pipeline.read.profile import DEFAULT_PROFILE

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
HARBOUR = ARTICLES / "harbour.html"


def read(html: str, path: str = "articles/t.html") -> Article:
    return read_html(html, article_id="t", source_path=path, profile=DEFAULT_PROFILE)


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the only line of ``text`` that holds ``needle``."""
    [number] = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return number


@pytest.fixture(scope="module")
def harbour() -> Article:
    return read(HARBOUR.read_text("utf-8"), "articles/wv/900/harbour.html")


def texts(article: Article) -> list[str]:
    return [b.text for _, b in article.blocks()]


def test_metadata(harbour):
    assert harbour.format == "html"
    assert harbour.meta.publication == "Workers Vanguard"
    assert harbour.meta.issue == "900"
    assert harbour.meta.date == "2008-03-14"
    assert harbour.meta.kicker == "Dockers Hold the Line"
    assert harbour.meta.title == "Harbour Strike Spreads"
    assert harbour.meta.subtitle == "Solidarity from the North Sea to the Pacific"
    assert harbour.meta.part == "Part One"
    assert harbour.meta.tags == ("dockers", "strikes")


def test_sections_and_kinds(harbour):
    assert [(s.index, s.title) for s in harbour.sections] == [
        (0, None),
        (1, "The Picket Lines"),
        (2, "What the Dockers Demand"),
    ]
    lead, picket, demands = ([(b.kind, b.role) for b in s.blocks] for s in harbour.sections)
    assert lead == [
        ("title", "kicker"),
        ("title", "title"),
        ("title", "subtitle"),
        ("title", "part"),
        ("paragraph", None),
        ("quote", None),
    ]
    assert picket == [
        ("heading", None),
        ("paragraph", None),
        ("quote", None),
        ("attribution", None),
    ]
    assert demands == [("heading", None), ("list-item", None), ("list-item", None)]


def test_inline_tags_are_simple(harbour):
    lead = harbour.sections[0].blocks[4]
    assert lead.text == (
        "The strike began on a <strong>Monday</strong> morning, when crane operators walked off"
        ' the quay. Their <a href="https://example.org/report?id=7&lang=en">union’s report</a>'
        " counted four hundred pickets."
    )
    assert harbour.sections[2].blocks[2].text == "No <strong>casual</strong> labour"
    assert harbour.sections[1].blocks[3].text == "—A crane operator, <em>Harbour Bulletin</em>"


def test_chrome_dropped(harbour):
    everything = " ".join(texts(harbour))
    for chrome in (
        "Documents in",
        "Deutsch",
        "International Communist League",
        "Home",
        "Subscribe",
        "Back to top",
        "Printable",
        "Copyright",
        "document.title",
        "margin",
        "Workers Vanguard No. 900",
        "14 March 2008",
        "Tenants",
    ):
        assert chrome not in everything


def test_table_of_contents_after_repeated_masthead(harbour):
    assert harbour.meta.issue_contents == (
        "Dockers Hold the Line / Harbour Strike Spreads",
        "Tenants Fight Evictions",
    )


def test_lines_are_source_lines(harbour):
    source = HARBOUR.read_text("utf-8")
    blocks = {b.text: b.line for _, b in harbour.blocks()}
    assert blocks["Harbour Strike Spreads"] == line_of(source, "<h1>Harbour")
    assert blocks["The Picket Lines"] == line_of(source, "<h2>The Picket")
    assert blocks["A wage rise for all grades"] == line_of(source, "A wage rise")
    attribution = harbour.sections[1].blocks[3]
    assert attribution.line == line_of(source, "—A crane operator")


def test_escaped_script_title_stays_text():
    article = read(
        "<html><head><script>alert(2)</script></head><body>\n"
        "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>\n"
        "<p>Fish &amp; chips &lt;b&gt;not bold&lt;/b&gt;</p><script>alert(3)</script>\n"
        "</body></html>"
    )
    assert article.meta.title == "<script>alert(1)</script>"
    assert texts(article) == ["<script>alert(1)</script>", "Fish & chips <b>not bold</b>"]


def test_inline_normalisation():
    article = read(
        "<h1>T</h1><p>An <i>italic</i>, a <b>bold</b>, <em> spaced </em>words,"
        ' <a href="/x" title="t" class="c">a link</a>, <a name="anchor">no href</a>,'
        ' <a href="javascript:alert(1)">unsafe</a>, <span style="x">a span</span>,'
        ' <a href="#fn"></a>and <strong><em>both</em></strong>&nbsp;&amp;&#160;more.</p>'
    )
    assert texts(article)[1] == (
        'An <em>italic</em>, a <strong>bold</strong>, <em>spaced</em> words, <a href="/x">a'
        " link</a>, no href, unsafe, a span, and <strong><em>both</em></strong> & more."
    )


def test_main_content_and_sections_without_article():
    article = read(
        "<body><div><h1>Title</h1><p>Lead.</p><h3>One</h3><p>First.</p>"
        "<h2>Two</h2><div>Loose text<p>Nested.</p>tail text</div></div></body>"
    )
    assert [s.title for s in article.sections] == [None, "One", "Two"]
    assert [b.text for b in article.sections[2].blocks] == [
        "Two",
        "Loose text",
        "Nested.",
        "tail text",
    ]


def test_article_element_is_preferred():
    article = read(
        "<body><p>Site blurb that is not the article.</p>"
        "<aside><article><h1>Related</h1><p>Teaser.</p></article></aside>"
        "<article><h1>The Article</h1><p>Its text.</p></article>"
        "<p>More site text.</p></body>"
    )
    assert texts(article) == ["The Article", "Its text."]


def test_title_fallback_to_title_element():
    article = read(
        "<html><head>\n<title>Page &amp; Title</title></head>"
        "<body><p>Only a paragraph.</p><h2>Section</h2><p>Text.</p></body></html>"
    )
    assert article.meta.title == "Page & Title"
    lead = article.sections[0].blocks
    assert [(b.kind, b.role, b.text, b.line) for b in lead] == [
        ("title", "title", "Page & Title", 2),
        ("paragraph", None, "Only a paragraph.", 2),
    ]


def test_hgroup_gives_subtitle_and_part_pattern():
    article = read(
        "<h2>Kicker Line</h2><h1>Title</h1><h2>A Subtitle</h2><p>Part Two</p>"
        "<p>Lead paragraph, long enough to be a sentence.</p>"
    )
    meta = article.meta
    assert (meta.kicker, meta.title, meta.subtitle, meta.part) == (
        "Kicker Line",
        "Title",
        "A Subtitle",
        "Part Two",
    )
    assert len(article.sections) == 1


def test_heading_after_title_is_a_section_unless_marked():
    plain = read("<h1>Title</h1><h2>Background</h2><p>Text.</p>")
    assert [s.title for s in plain.sections] == [None, "Background"]
    grouped = read("<hgroup><h1>Title</h1><h2>Background</h2></hgroup><p>Text.</p>")
    assert grouped.meta.subtitle == "Background"
    assert [s.title for s in grouped.sections] == [None]


def test_language_bar_list_is_chrome():
    article = read(
        "<div>Documents in: <ul><li>Deutsch</li><li>Français</li></ul></div>"
        "<h1>Title</h1><p>Text.</p><p>Back to top</p>"
    )
    assert texts(article) == ["Title", "Text."]


def test_chrome_pattern_never_swallows_the_article():
    body = "<p>Text of the article, long enough. </p>" * 40
    article = read(f"<div><p>Documents in: English</p><h1>Title</h1>{body}</div>")
    assert texts(article)[:2] == ["Title", "Text of the article, long enough."]


def test_double_break_splits_paragraphs_and_br_is_a_space():
    article = read("<h1>A<br>B</h1><p>One<br>line<br><br>Two</p>")
    assert texts(article) == ["A B", "One line", "Two"]


def test_quote_attribution_after_line_break():
    article = read("<h1>T</h1><blockquote><p>“Words of the quote.”<br>\n—Someone</p></blockquote>")
    assert [(b.kind, b.text, b.line) for b in article.sections[0].blocks[1:]] == [
        ("quote", "“Words of the quote.”", 1),
        ("attribution", "—Someone", 2),
    ]


def test_footer_of_blockquote_is_its_attribution():
    article = read(
        "<h1>T</h1><blockquote><p>“Quoted.”</p><footer>Someone Else</footer></blockquote>"
    )
    assert [b.kind for b in article.sections[0].blocks] == ["title", "quote", "attribution"]


def test_broken_markup_is_recovered():
    article = read("<h1>Title<p>First <b>bold <i>both</b> after</p><li>item<div>x</span>")
    assert texts(article)[0] == "Title"
    assert "First <strong>bold <em>both</em></strong>" in texts(article)[1]


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n",
        "<!-- nothing -->",
        "<html><head><title></title></head><body></body></html>",
        "<nav>Menu</nav><footer>Foot</footer><script>x()</script>",
        "<p>Documents in: Deutsch Français</p><p>Back to top</p>",
        "<frameset><frame src='a.html'></frameset>",
    ],
)
def test_no_text_is_an_error_naming_the_path(html):
    with pytest.raises(ArticleError) as err:
        read(html, "articles/empty.html")
    assert str(err.value) == "articles/empty.html: no article text found"


def test_xml_declaration_and_other_charset_are_accepted():
    article = read(
        '<?xml version="1.0" encoding="iso-8859-1"?>\n'
        '<html><head><meta charset="iso-8859-1"></head><body><h1>Café</h1></body></html>'
    )
    assert article.meta.title == "Café"


def test_page_header_gives_metadata_only():
    article = read(
        "<body><header><p>Workers Vanguard No. 900</p><p>14 March 2008</p>"
        "<h1>Workers Vanguard</h1><nav>Home</nav></header>"
        "<div><h1>Title</h1><p>Text.</p></div></body>"
    )
    assert (article.meta.issue, article.meta.date, article.meta.title) == (
        "900",
        "2008-03-14",
        "Title",
    )
    assert texts(article) == ["Title", "Text."]
