"""Reading the site's pages in every edition: language, front matter, title block, chrome.

The pages under ``fixtures/site/`` have the structure of the publisher's pages (language
bar, menu, the edition's own subscription, archive and print links, masthead, date, title
block, body, and the repeated masthead with the issue's contents at the foot) and text of
their own. ``site_pages`` reads and scores them.
"""

from __future__ import annotations

import pytest
from site_pages import HELDOUT, SITE, expected, read_page, score_page

from i18n_pipeline.read import parse_article
from i18n_pipeline.read.profile import DEFAULT_PROFILE
from i18n_pipeline.read.text import read_text

PAGES = expected(SITE)
HELDOUT_PAGES = expected(HELDOUT)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_is_read_as_the_site_prints_it(name):
    score = score_page(SITE / name, PAGES[name])
    assert score.wrong == []


# Written before the reader was tuned and run only once it was (README: "The site profile").
@pytest.mark.parametrize("name", sorted(HELDOUT_PAGES))
def test_heldout_page_is_read_as_the_site_prints_it(name):
    score = score_page(HELDOUT / name, HELDOUT_PAGES[name])
    assert score.wrong == []


def test_every_edition_has_a_page():
    languages = {want["language"] for want in PAGES.values()}
    assert languages == {"en", "de", "fr", "es", "it", "ja", "pl", "pt", "ru", "zh", "id", "tl"}
    assert {name.rsplit(".", 1)[1] for name in PAGES} == {"txt", "html"}


def test_contents_at_the_foot_are_not_body():
    article = read_page(SITE / "de-spk-bahn.txt")
    assert article.meta.issue_contents == (
        "Vor 70 Jahren: Gründung von Trotzkis Vierter Internationale",
        "Lokführerstreik / Die Bahn ist für die Beschäftigten da, nicht für die Börse!",
    )
    texts = [b.text for _, b in article.blocks()]
    assert texts[-1].startswith("Die Regierung und die Medien hetzen")


def test_unknown_localized_chrome_above_the_masthead_is_dropped():
    page = (
        "Menü der Sektion\n\nUnsere Flugblätter\n\nSpartakist Nummer 190\n\nHerbst 2011\n\n"
        "Ein Titel\n\nDer erste Absatz des Artikels, lang genug, um ein Satz zu sein.\n"
    )
    article = read_text(page, article_id="a", source_path="a.txt", profile=DEFAULT_PROFILE)
    assert [b.text for _, b in article.blocks()] == [
        "Ein Titel",
        "Der erste Absatz des Artikels, lang genug, um ein Satz zu sein.",
    ]
    assert (article.meta.issue, article.meta.date) == ("190", "2011-09-01")


def test_a_masthead_of_unknown_shape_name_still_gives_publication_and_issue():
    page = "Workers Bulletin No. 7\n\n1 May 2012\n\nA Title\n\nA paragraph of text here.\n"
    article = read_text(page, article_id="a", source_path="a.txt", profile=DEFAULT_PROFILE)
    assert (article.meta.publication, article.meta.issue) == ("Workers Bulletin", "7")
    assert article.meta.title == "A Title"


@pytest.mark.parametrize(
    ("page", "language"),
    [
        ("派遣切りに反対せよ！\n\n会社は労働者を解雇した。\n", "ja"),
        ("保卫工人！\n\n工人们坚持了两个星期。\n", "zh"),
    ],
)
def test_short_chinese_and_japanese_pages_are_told_by_script(page, language):
    article = parse_article(
        page.encode(),
        article_id="a",
        source_path="a.txt",
        fmt="txt",
        profile=DEFAULT_PROFILE,
        source_language="en",
        candidates=("ja", "zh", "de"),
    )
    assert article.source_language == language


def test_a_short_page_falls_back_to_its_editions_language():
    page = "Spartakist Nummer 175\n\nJanuar 2009\n\nStreik!\n\nJa.\n"
    article = parse_article(
        page.encode(),
        article_id="a",
        source_path="a.txt",
        fmt="txt",
        profile=DEFAULT_PROFILE,
        source_language="en",
        candidates=("de", "fr"),
    )
    assert article.source_language == "de"


def test_chrome_is_judged_never_the_body():
    body = "The strike is solid and the pickets hold every gate of the yard. " * 3
    page = (
        "Documents in: Deutsch Français\n\nAbonniert Spartakist\n\nArchiv\n\n"
        "Druckversion dieses Artikels\n\nWorkers Vanguard No. 900\n\n14 March 2008\n\n"
        f"A Title\n\n{body}\n"
    )
    article = parse_article(
        page.encode(),
        article_id="a",
        source_path="a.txt",
        fmt="txt",
        profile=DEFAULT_PROFILE,
        source_language="en",
        candidates=("de", "fr"),
    )
    assert article.source_language == "en"
    assert [b.text for _, b in article.blocks()] == ["A Title", body.strip()]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("3 February 2006", "2006-02-03"),
        ("Spring 2006", "2006-03-01"),
        ("Winter 2010/2011", "2010-12-01"),
        ("Winter 2010", "2010-01-01"),
        ("Januar 2009", "2009-01-01"),
        ("7. April 2009", "2009-04-07"),
        ("Juli/August 2009", "2009-07-01"),
        ("février 2019", "2019-02-01"),
        ("Automne 2011", "2011-09-01"),
        ("3 de febrero de 2006", "2006-02-03"),
        ("Primavera-Verano de 2009", "2009-03-01"),
        ("Settembre 2009", "2009-09-01"),
        ("2009年1月", "2009-01-01"),
        ("2009年1月15日", "2009-01-15"),
        ("2010年冬", "2010-01-01"),
        ("Wiosna 2008", "2008-03-01"),
        ("3 lutego 2006", "2006-02-03"),
        ("Outubro de 2009", "2009-10-01"),
        ("Весна 2010 г.", "2010-03-01"),
        ("3 февраля 2006 г.", "2006-02-03"),
        ("Januari 2009", "2009-01-01"),
        ("Enero 2010", "2010-01-01"),
        ("Part Two", None),
        ("2006", None),
        ("31 Smarch 2006", None),
    ],
)
def test_dates_in_every_edition(text, iso):
    assert DEFAULT_PROFILE.parse_date(text) == iso


@pytest.mark.parametrize(
    ("line", "publication", "issue", "language"),
    [
        ("Workers Vanguard No. 863", "Workers Vanguard", "863", "en"),
        ("Spartakist Nummer 175", "Spartakist", "175", "de"),
        ("Le Bolchévik nº 230", "Le Bolchévik", "230", "fr"),
        ("Australasian Spartacist No. 196", "Australasian Spartacist", "196", "en"),
        ("Spartacist English edition No. 66", "Spartacist", "66", "en"),
        ("Spartacist, édition française, numéro 40", "Spartacist (édition française)", "40", "fr"),
        ("Espartaco No. 34", "Espartaco", "34", "es"),
        ("Spartaco n. 73", "Spartaco", "73", "it"),
        ("スパルタシスト 第37号", "スパルタシスト", "37", "ja"),
        ("Platforma Spartakusowców nr 20", "Platforma Spartakusowców", "20", "pl"),
        ("Бюллетень спартаковцев № 12", "Бюллетень спартаковцев", "12", "ru"),
        ("斯巴达克思 第9期", "斯巴达克思", "9", "zh"),
    ],
)
def test_mastheads_of_every_edition(line, publication, issue, language):
    masthead = DEFAULT_PROFILE.masthead(line)
    assert masthead is not None
    assert (masthead.publication, masthead.issue, masthead.language) == (
        publication,
        issue,
        language,
    )
    assert DEFAULT_PROFILE.publications[publication]


def test_a_page_saved_without_blank_lines_is_cut_at_dates_and_sentences():
    page = (
        "1999年5月1日\n国際共産主義者同盟の宣言\n"
        "帝国主義を打倒せよ！\n"
        "帝国主義戦争は、ヨーロッパで最も大きな戦争となっている。\n"
        "我々は労働者革命のために闘う。\n"
    )
    article = read_text(page, article_id="a", source_path="a.txt", profile=DEFAULT_PROFILE)
    assert article.meta.date == "1999-05-01"
    assert article.meta.title == "国際共産主義者同盟の宣言 帝国主義を打倒せよ！"
    assert [b.kind for _, b in article.blocks()][-2:] == ["paragraph", "paragraph"]
