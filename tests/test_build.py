"""``build LANG``: translated articles from the catalogs, in the format of their source,
written only when translated enough."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from lxml import etree
from projects import FIXTURES, SEED_ID
from tm_support import (
    add_article,
    catalog_of,
    read_catalog,
    run_cli,
    set_config,
    translate,
)

from i18n_pipeline.build import BuiltBlock, Piece, assemble, render_html, render_text
from i18n_pipeline.languages import make_language
from i18n_pipeline.model import Article, ArticleMeta, Unit, count_words, strip_tags

HARBOUR_ID = "wv/900/harbour"
OUTPUT = f"build/de/{SEED_ID}.txt"
UNTRANSLATED = "“An injury to one is an injury to all.”"


def german(msgid: str) -> str:
    return f"DE {msgid}"


def template_texts(root: Path, article_id: str = SEED_ID) -> list[str]:
    return [
        e.msgid for e in read_catalog(root / "locales" / "templates" / f"{article_id}.pot").entries
    ]


@pytest.fixture
def ingested(project: Path) -> Path:
    assert run_cli("ingest").exit_code == 0
    return project


def test_a_complete_article_is_written_in_reading_order(ingested: Path) -> None:
    translate(catalog_of(ingested, "de"), german)
    result = run_cli("build", "de")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {OUTPUT} (100.0% translated)\n"
    assert result.stderr == ""
    blocks = (ingested / OUTPUT).read_text("utf-8").rstrip("\n").split("\n\n")
    assert blocks == [german(text) for text in template_texts(ingested)]
    assert blocks[:4] == [
        'DE Imperialist "Democracy" at Work',  # the title block: kicker, title, subtitle, part
        "DE U.S. Torture Machine",
        'DE Amnesty International: "Gulag" and Anti-Communism',
        "DE Part Two",
    ]
    assert blocks[-1].startswith("DE Our aim is to educate revolutionary-minded youth")


def _half_translated(root: Path) -> float:
    """Translate the first half of the seed's entries into German; the percentage of words."""
    texts = template_texts(root)
    done = translate(catalog_of(root, "de"), {t: german(t) for t in texts[: len(texts) // 2]})
    words = sum(count_words(t) for t in texts)
    return round(100 * sum(count_words(t) for t in done) / words, 1)


def test_below_the_threshold_the_article_is_not_written(ingested: Path) -> None:
    percent = _half_translated(ingested)
    assert 30 < percent < 80
    result = run_cli("build", "de")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{SEED_ID}: not built: {percent:.1f}% of its words are translated into Deutsch (de),"
        " below the 80% threshold\n"
    )
    assert not (ingested / "build").exists()
    lower = run_cli("build", "de", "--keep", "30")
    assert lower.exit_code == 0
    assert lower.stdout == f"wrote {OUTPUT} ({percent:.1f}% translated)\n"


def test_the_threshold_comes_from_the_config(ingested: Path) -> None:
    percent = _half_translated(ingested)
    set_config(ingested, build={"keep": 30, "output": "site"})
    result = run_cli("build", "de")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote site/de/{SEED_ID}.txt ({percent:.1f}% translated)\n"


def test_an_earlier_build_is_deleted_unless_kept(ingested: Path) -> None:
    translate(catalog_of(ingested, "de"), german)
    assert run_cli("build", "de").exit_code == 0
    before = (ingested / OUTPUT).read_bytes()
    texts = template_texts(ingested)
    translate(catalog_of(ingested, "de"), {t: german(t) for t in texts[5:]}, fuzzy=True)
    kept = run_cli("build", "de", "--keep-last")
    assert kept.exit_code == 1
    assert kept.stderr.endswith(f"kept {OUTPUT} from an earlier build (--keep-last)\n")
    assert (ingested / OUTPUT).read_bytes() == before
    removed = run_cli("build", "de")
    assert removed.exit_code == 1
    assert removed.stderr.endswith(f"removed {OUTPUT}, an earlier build now below the threshold\n")
    assert not (ingested / OUTPUT).exists()


def test_fuzzy_translations_are_never_used(ingested: Path) -> None:
    texts = template_texts(ingested)
    translate(catalog_of(ingested, "de"), german)
    translate(catalog_of(ingested, "de"), {texts[10]: "UNSCHARF"}, fuzzy=True)
    result = run_cli("build", "de")
    assert result.exit_code == 0
    blocks = (ingested / OUTPUT).read_text("utf-8").rstrip("\n").split("\n\n")
    assert blocks[10] == texts[10]  # the English
    assert "UNSCHARF" not in (ingested / OUTPUT).read_text("utf-8")
    percent = 100 * (1 - count_words(texts[10]) / sum(count_words(t) for t in texts))
    assert result.stdout == f"wrote {OUTPUT} ({percent:.1f}% translated)\n"


def test_other_languages_and_unknown_ones(ingested: Path) -> None:
    result = run_cli("build", "fr")
    assert result.exit_code == 1
    assert "0.0% of its words are translated into Français (fr)" in result.stderr
    unknown = run_cli("build", "xx")
    assert unknown.exit_code == 2
    assert unknown.stderr == "config.yaml: language 'xx' is not configured\n"


# HTML and Markdown sources.


@pytest.fixture
def harbour(project: Path, request: pytest.FixtureRequest) -> Path:
    """The harbour article (HTML or Markdown) beside the seed, ingested, and all but one of
    its units translated into German."""
    add_article(project, FIXTURES / "articles" / f"harbour.{request.param}", HARBOUR_ID)
    assert run_cli("ingest").exit_code == 0
    catalog = catalog_of(project, "de", HARBOUR_ID)
    translate(catalog, lambda msgid: None if msgid == UNTRANSLATED else german(msgid))
    return project


@pytest.mark.parametrize("harbour", ["html"], indirect=True)
def test_html_parses_and_holds_the_translations_in_order(harbour: Path) -> None:
    result = run_cli("build", "de", f"articles/{HARBOUR_ID}.html")
    assert result.exit_code == 0, result.output
    output = harbour / "build" / "de" / f"{HARBOUR_ID}.html"
    data = output.read_bytes()
    etree.fromstring(data, etree.XMLParser(resolve_entities=False))  # well-formed as XML too
    doc = lxml.html.fromstring(data)
    assert (doc.get("lang"), doc.get("dir")) == ("de", "ltr")
    assert doc.findtext("head/title") == "DE Harbour Strike Spreads"
    text = " ".join(doc.find("body").text_content().split())
    position = 0
    for msgid in template_texts(harbour, HARBOUR_ID):
        expected = strip_tags(msgid if msgid == UNTRANSLATED else german(msgid))
        found = text.find(expected, position)
        assert found >= 0, expected
        position = found + len(expected)
    header = doc.find("body/article/header")
    assert [(el.tag, el.get("class")) for el in header] == [
        ("p", "kicker"),
        ("h1", None),
        ("p", "subtitle"),
        ("p", "part"),
    ]
    english = doc.xpath("//*[@lang='en']")
    assert [" ".join(el.text_content().split()) for el in english] == [UNTRANSLATED]
    link = doc.xpath("//a")[0]
    assert link.get("href") == "https://example.org/report?id=7&lang=en"
    assert link.text_content() == "union’s report"
    assert doc.xpath("//strong")[0].text == "Monday"
    assert [li.text_content() for li in doc.xpath("//ul/li")] == [
        "DE A wage rise for all grades",
        "DE No casual labour",
    ]
    assert doc.xpath("//h2/text()") == ["DE The Picket Lines", "DE What the Dockers Demand"]
    assert len(doc.xpath("//blockquote")) == 2  # both wholly quoted paragraphs


@pytest.mark.parametrize("harbour", ["md"], indirect=True)
def test_markdown_keeps_headings_quotes_lists_and_inline_markup(harbour: Path) -> None:
    assert run_cli("build", "de", f"articles/{HARBOUR_ID}.md").exit_code == 0
    lines = (harbour / "build" / "de" / f"{HARBOUR_ID}.md").read_text("utf-8").split("\n\n")
    assert lines[:5] == [
        "*DE Dockers Hold the Line*",
        "# DE Harbour Strike Spreads",
        "**DE Solidarity from the North Sea to the Pacific**",
        "*DE Part One*",
        "DE The strike began on a **Monday** morning, when crane operators walked off the quay."
        " Their [union’s report](https://example.org/report?id=7&lang=en) counted four hundred"
        " pickets.",
    ]
    assert lines[5:] == [
        f"> {UNTRANSLATED}",
        "## DE The Picket Lines",
        "DE By noon the gates were shut. *Nothing* moved in or out.",
        "> DE “We will stay until the contract is signed, and not a day less.”",
        "DE —A crane operator, *Harbour Bulletin*",
        "## DE What the Dockers Demand",
        "- DE A wage rise for all grades",
        "- DE No **casual** labour\n",
    ]


@pytest.mark.parametrize("harbour", ["html"], indirect=True)
def test_sentence_mode_marks_each_untranslated_sentence(harbour: Path) -> None:
    set_config(harbour, segmentation="sentence")
    assert run_cli("ingest").exit_code == 0
    translate(catalog_of(harbour, "de", HARBOUR_ID), {"By noon the gates were shut.": "Mittags."})
    result = run_cli("build", "de", f"articles/{HARBOUR_ID}.html", "--keep", "0")
    assert result.exit_code == 0, result.output
    doc = lxml.html.fromstring((harbour / "build" / "de" / f"{HARBOUR_ID}.html").read_bytes())
    paragraph = doc.xpath("//p[span]")[0]
    assert paragraph.get("lang") is None
    assert lxml.html.tostring(paragraph, encoding="unicode", with_tail=False) == (
        '<p>Mittags. <span lang="en"><em>Nothing</em> moved in or out.</span></p>'
    )


# The renderers as functions.


def _units(*texts: str, block: int = 0) -> list[Unit]:
    return [Unit(t, 0, None, "paragraph", 1, n, block=block) for n, t in enumerate(texts)]


def test_sentences_join_as_the_language_writes() -> None:
    units = _units("First sentence here.", "Second one.")
    blocks, percent = assemble(
        units, {"First sentence here.": "最初の文。", "Second one.": "二番目。"}
    )
    assert percent == 100.0
    assert render_text(blocks, make_language("ja")) == "最初の文。二番目。\n"
    blocks, _ = assemble(units, {"First sentence here.": "Erster Satz.", "Second one.": "Zweiter."})
    assert render_text(blocks, make_language("de")) == "Erster Satz. Zweiter.\n"


def test_html_is_right_to_left_for_arabic_and_escapes_text() -> None:
    article = Article("x/y", "articles/x/y.html", "html", ArticleMeta(), ())
    blocks = [
        BuiltBlock("title", "title", (Piece("عنوان", True),)),
        BuiltBlock("paragraph", None, (Piece("a < b & <em>c</em> <script>x</script>", True),)),
        BuiltBlock("paragraph", None, (Piece("unclosed <strong>bold", True),)),
    ]
    document = render_html(blocks, article, make_language("ar"))
    assert '<html lang="ar" dir="rtl">' in document
    assert "<p>a &lt; b &amp; <em>c</em> &lt;script&gt;x&lt;/script&gt;</p>" in document
    assert "<p>unclosed <strong>bold</strong></p>" in document
    etree.fromstring(document.encode("utf-8"))
