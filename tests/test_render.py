"""The report renderers, on a coverage report built by hand.

Two articles of three sections each, in three languages. Every unit of the first article has
50 source words, every unit of the second 40, so the expected percents can be worked out
by hand (they are, beside ``STATES``).
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from html.parser import HTMLParser
from typing import Any

import lxml.etree
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from i18n_pipeline.model import Counts
from i18n_pipeline.report import (
    GROUPINGS,
    render_csv,
    render_html,
    render_json,
    render_markdown,
    render_table,
)
from i18n_pipeline.report.render_markdown import escape_markdown

SCRIPT_TITLE = "<script>alert(1)</script>"
PIPE_TITLE = "Left | Right: *bold* [claims]"
LANGUAGES = ("de", "fr", "ja")

# (article id, title, publication, issue, date, words per unit, sections as (title, units))
ARTICLES = (
    ("wv/863/amnesty2", SCRIPT_TITLE, "Workers Vanguard", "863", "2006-02-03", 50,
     ((None, 4), ("Soviet Dissidents", 2), ("A | B", 1))),
    ("wv/864/labor", PIPE_TITLE, "Workers Vanguard", "864", "2006-02-17", 40,
     ((None, 3), ("The Unions", 2), ("What Is To Be Done", 1))),
)  # fmt: skip

# (article, section, language) -> (translated units, fuzzy units, outdated units); the rest
# are untranslated. Percents of words, by article: amnesty2 de 200/350 = 57.1, fr 100.0,
# ja 0.0; labor de 160/240 = 66.7, fr 0.0, ja 160/240 = 66.7. Totals over 590 words:
# de 360 = 61.0, fr 350 = 59.3, ja 160 = 27.1.
STATES = {
    (0, 0, "de"): (3, 1, 1), (0, 1, "de"): (1, 0, 0), (0, 2, "de"): (0, 0, 0),
    (0, 0, "fr"): (4, 0, 0), (0, 1, "fr"): (2, 0, 0), (0, 2, "fr"): (1, 0, 0),
    (0, 0, "ja"): (0, 0, 0), (0, 1, "ja"): (0, 1, 0), (0, 2, "ja"): (0, 0, 0),
    (1, 0, "de"): (1, 1, 0), (1, 1, "de"): (2, 0, 0), (1, 2, "de"): (1, 0, 0),
    (1, 0, "fr"): (0, 0, 0), (1, 1, "fr"): (0, 0, 0), (1, 2, "fr"): (0, 0, 0),
    (1, 0, "ja"): (3, 0, 0), (1, 1, "ja"): (1, 1, 0), (1, 2, "ja"): (0, 0, 0),
}  # fmt: skip


def _section_counts(units: int, words: int, translated: int, fuzzy: int, outdated: int) -> Counts:
    states = ["translated"] * translated + ["fuzzy"] * fuzzy
    states += ["untranslated"] * (units - len(states))
    return sum(
        (Counts.of_unit(s, words, outdated=i < outdated) for i, s in enumerate(states)), Counts()
    )


def sample_report(*, issues: bool = True) -> dict[str, Any]:
    """The coverage report dict, as ``report/coverage.py`` would give it."""
    totals = dict.fromkeys(LANGUAGES, Counts())
    articles = []
    for a, (article_id, title, publication, issue, date, per_unit, sections) in enumerate(ARTICLES):
        article_totals = dict.fromkeys(LANGUAGES, Counts())
        section_dicts = []
        for s, (section_title, units) in enumerate(sections):
            counts = {
                lang: _section_counts(units, per_unit, *STATES[a, s, lang]) for lang in LANGUAGES
            }
            for lang in LANGUAGES:
                article_totals[lang] += counts[lang]
            section_dicts.append(
                {
                    "index": s,
                    "title": section_title,
                    "units": units,
                    "words": units * per_unit,
                    "languages": {lang: c.as_dict() for lang, c in counts.items()},
                }
            )
        for lang in LANGUAGES:
            totals[lang] += article_totals[lang]
        articles.append(
            {
                "id": article_id,
                "title": title,
                "source_language": "en",
                "source_path": f"articles/{article_id}.txt",
                "publication": publication,
                "issue": issue,
                "date": date,
                "units": sum(u for _, u in sections),
                "words": sum(u for _, u in sections) * per_unit,
                "languages": {lang: c.as_dict() for lang, c in article_totals.items()},
                "sections": section_dicts,
            }
        )
    report: dict[str, Any] = {
        "schema": "i18n-pipeline/coverage/1",
        "generated_at": "2026-11-25T14:00:00Z",
        "source_language": "en",
        "languages": [
            {"code": "de", "label": "Deutsch", "name": "German"},
            {"code": "fr", "label": "Français", "name": "French"},
            {"code": "ja", "label": "Japanese", "name": "Japanese"},
        ],
        "totals": {lang: c.as_dict() for lang, c in totals.items()},
        "articles": articles,
    }
    if issues:
        report["issues"] = [
            {
                "publication": "Workers Vanguard",
                "issue": "863",
                "date": "2006-02-03",
                "articles": ["wv/863/amnesty2"],
                "missing": ["Mexico: <b>Down</b> With the Wall!"],
            }
        ]
    return report


TRENDS = {
    "since": "2026-11-01",
    "series": {
        "de": [
            {"at": "2026-11-02T10:00:00Z", "percent": 40.0, "translated_words": 236, "words": 590},
            {"at": "2026-11-20T10:00:00Z", "percent": 61.0, "translated_words": 360, "words": 590},
        ],
        "fr": [
            {"at": "2026-11-10T10:00:00Z", "percent": 59.3, "translated_words": 350, "words": 590}
        ],
        "ja": [],
    },
}


#: Titles full of what HTML and Markdown would read as markup, and any other text.
_PIECES = (
    "<", ">", "&", "&amp;", "&#60;", "<b>", "</b>", "<script>", "<!--", "|", "\\|", "*", "_",
    "[", "](x)", "`", "\\", "!", "#", "~~", " ", "a", "é", "中", "1.", ";", '"', "'",
)  # fmt: skip
TITLES = st.one_of(
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12).map("".join),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=30),
)


@pytest.fixture
def report() -> dict[str, Any]:
    return sample_report()


# JSON


def test_json_round_trips_in_contract_order(report: dict[str, Any]) -> None:
    text = render_json(report)
    assert text.endswith("}\n")
    assert "Français" in text  # not \u00e7
    data = json.loads(text)
    assert data == report
    assert list(data) == [
        "schema", "generated_at", "source_language", "languages", "totals", "articles", "issues"
    ]  # fmt: skip
    assert list(data["totals"]["de"]) == [
        "units", "translated", "fuzzy", "untranslated", "words", "translated_words",
        "fuzzy_words", "untranslated_words", "outdated", "outdated_words", "percent",
    ]  # fmt: skip
    article = data["articles"][0]
    assert list(article)[:3] == ["id", "title", "source_language"]
    assert list(article["sections"][0]) == ["index", "title", "units", "words", "languages"]


def test_json_puts_keys_in_contract_order_whatever_the_input_order(
    report: dict[str, Any],
) -> None:
    shuffled = {k: report[k] for k in reversed(list(report))}
    shuffled["articles"] = [{k: a[k] for k in reversed(list(a))} for a in report["articles"]]
    assert render_json(shuffled) == render_json(report)


# CSV


def test_csv_has_a_row_per_article_section_and_language(report: dict[str, Any]) -> None:
    text = render_csv(report)
    assert "\r" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2 * 3 * 3
    lead_de = rows[0]
    assert lead_de == {
        "article_id": "wv/863/amnesty2",
        "title": SCRIPT_TITLE,
        "publication": "Workers Vanguard",
        "issue": "863",
        "date": "2006-02-03",
        "section_index": "0",
        "section_title": "",
        "language": "de",
        "units": "4",
        "translated": "3",
        "fuzzy": "1",
        "untranslated": "0",
        "outdated": "1",
        "words": "200",
        "translated_words": "150",
        "fuzzy_words": "50",
        "untranslated_words": "0",
        "outdated_words": "50",
        "percent": "75.0",
    }
    by_key = {(r["article_id"], r["section_index"], r["language"]): r for r in rows}
    pipe = by_key["wv/863/amnesty2", "2", "fr"]
    assert (pipe["section_title"], pipe["percent"]) == ("A | B", "100.0")
    labor = by_key["wv/864/labor", "1", "ja"]
    assert (labor["title"], labor["translated_words"], labor["percent"]) == (
        PIPE_TITLE,
        "40",
        "50.0",
    )


# Markdown

_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _table_rows(markdown: str) -> list[list[str]]:
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    return [[c.strip() for c in _CELL_SPLIT.split(line)[1:-1]] for line in lines]


def test_markdown_article_table_cells(report: dict[str, Any]) -> None:
    rows = _table_rows(render_markdown(report))
    assert rows[0] == ["Article", "Words", "de", "fr", "ja"]
    assert rows[2] == ["**\\<script\\>alert(1)\\</script\\>**", "350", "57.1%", "100.0%", "0.0%"]
    assert rows[3] == ["↳ (lead)", "200", "75.0%", "100.0%", "0.0%"]
    assert rows[5] == ["↳ A \\| B", "50", "0.0%", "100.0%", "0.0%"]
    assert rows[6][0] == "**Left \\| Right: \\*bold\\* \\[claims\\]**"
    assert rows[-1] == ["**Total**", "590", "**61.0%**", "**59.3%**", "**27.1%**"]


@pytest.mark.parametrize("by", GROUPINGS)
def test_markdown_tables_are_rectangular(report: dict[str, Any], by: str) -> None:
    rows = _table_rows(render_markdown(report, by=by))
    assert len({len(row) for row in rows}) == 1
    assert rows[1][0] == ":---"


def test_markdown_by_issue_lists_missing_articles(report: dict[str, Any]) -> None:
    rows = _table_rows(render_markdown(report, by="issue"))
    labels = [row[0] for row in rows]
    assert labels[2:7] == [
        "**Workers Vanguard No. 863 (2006-02-03)**",
        "↳ \\<script\\>alert(1)\\</script\\>",
        "↳ *Mexico: \\<b\\>Down\\</b\\> With the Wall\\!* (not ingested)",
        "**Workers Vanguard No. 864 (2006-02-17)**",
        "↳ Left \\| Right: \\*bold\\* \\[claims\\]",
    ]
    assert rows[4][2:] == ["—", "—", "—"]


def test_markdown_by_issue_without_issues_key_groups_by_article_fields() -> None:
    rows = _table_rows(render_markdown(sample_report(issues=False), by="issue"))
    assert [row[0] for row in rows if row[0].startswith("**Workers")] == [
        "**Workers Vanguard No. 863 (2006-02-03)**",
        "**Workers Vanguard No. 864 (2006-02-17)**",
    ]
    assert not any("not ingested" in row[0] for row in rows)


def test_markdown_by_language(report: dict[str, Any]) -> None:
    rows = _table_rows(render_markdown(report, by="language"))
    assert rows[0] == [
        "Language", "Units", "Translated", "Fuzzy", "Untranslated", "Outdated", "Words",
        "Translated words", "Coverage",
    ]  # fmt: skip
    assert rows[2] == ["Deutsch (`de`)", "13", "8", "2", "3", "1", "590", "360", "61.0%"]
    assert rows[-1][0] == "**All languages**"
    assert rows[-1][-1] == "**49.2%**"  # 870 of 1,770


@settings(max_examples=80, deadline=None)
@given(TITLES)
def test_markdown_title_renders_as_itself(title: str) -> None:
    source = f"| a | b |\n| --- | --- |\n| {escape_markdown(title)} | x |\n"
    rendered = MarkdownIt("commonmark").enable("table").render(source)
    cells = lxml.html.fromstring(rendered).xpath("//tbody/tr/td")
    assert [c.text_content() for c in cells] == [" ".join(title.split()), "x"]


# Table


def _line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.lstrip().startswith(start))


def test_table_plain_text_has_percents_and_total_row(report: dict[str, Any]) -> None:
    text = render_table(report, color=False)
    assert "\x1b" not in text
    assert re.findall(r"\d+\.\d%", _line(text, "Total")) == ["61.0%", "59.3%", "27.1%"]
    assert re.findall(r"\d+\.\d%", _line(text, "<script>")) == ["57.1%", "100.0%", "0.0%"]
    assert re.findall(r"\d+\.\d%", _line(text, "(lead)")) == ["75.0%", "100.0%", "0.0%"]
    assert "Soviet Dissidents" in text
    assert render_table(report, color=False) == text


@pytest.mark.parametrize("by", GROUPINGS)
def test_table_every_grouping_renders(report: dict[str, Any], by: str) -> None:
    text = render_table(report, by=by, color=False, width=100)
    assert "61.0%" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_table_by_issue_shows_missing_titles(report: dict[str, Any]) -> None:
    text = render_table(report, by="issue", color=False, width=160)
    assert "Mexico: <b>Down</b> With the Wall! (not ingested)" in text
    assert "Workers Vanguard No. 864 (2006-02-17)" in text


def test_table_by_language_counts(report: dict[str, Any]) -> None:
    text = render_table(report, by="language", color=False)
    assert "Coverage" in _line(text, "Language")
    line = _line(text, "Deutsch (de)")
    assert line.split()[2:10] == ["13", "8", "2", "3", "1", "590", "360", "61.0%"]


def test_table_in_colour_and_narrow(report: dict[str, Any]) -> None:
    assert "\x1b[" in render_table(report, color=True)
    narrow = render_table(report, color=False, width=60)
    assert max(len(line) for line in narrow.splitlines()) <= 60
    assert "61.0%" in _line(narrow, "Total")


def test_unknown_grouping_is_refused(report: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="by must be one of"):
        render_table(report, by="publication")
    with pytest.raises(ValueError, match="by must be one of"):
        render_html(report, by="section")


# HTML


class _TagBalance(HTMLParser):
    """Records every end tag that does not close the innermost open element."""

    VOID = frozenset({"meta", "input", "br", "img", "link", "hr", "wbr", "source", "col"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> at {self.getpos()} closes {self.stack[-1:]}")
        else:
            self.stack.pop()


def _parse(page: str) -> lxml.html.HtmlElement:
    parser = lxml.etree.HTMLParser(recover=False)
    lxml.etree.fromstring(page, parser)
    assert list(parser.error_log) == []
    balance = _TagBalance()
    balance.feed(page)
    balance.close()
    assert balance.problems == []
    assert balance.stack == []
    return lxml.html.fromstring(page)


def test_html_escapes_titles(report: dict[str, Any]) -> None:
    page = render_html(report, trends=TRENDS, by="issue")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Down</b>" not in page
    doc = _parse(page)
    assert len(doc.xpath("//script")) == 1
    toggle = doc.xpath('//tbody[@data-article="wv/863/amnesty2"]//button[@class="toggle"]')
    assert [b.text_content() for b in toggle] == [SCRIPT_TITLE]


def test_html_cells_carry_their_numbers(report: dict[str, Any]) -> None:
    doc = _parse(render_html(report))
    article = doc.xpath(
        '//td[@data-article="wv/863/amnesty2"][@data-lang="de"][not(@data-section)]'
    )
    assert [(td.get("data-percent"), td.text) for td in article] == [("57.1", "57.1%")]
    (lead,) = doc.xpath('//td[@data-article="wv/863/amnesty2"][@data-lang="de"][@data-section="0"]')
    assert (lead.get("data-percent"), "outdated" in lead.get("class")) == ("75.0", True)
    totals = doc.xpath('//tr[@class="total"]')
    assert [(t.get("data-lang"), t.get("data-percent")) for t in totals] == [
        ("de", "61.0"),
        ("fr", "59.3"),
        ("ja", "27.1"),
    ]
    (selected,) = doc.xpath('//output[@id="selected-percent"]')
    assert selected.get("data-percent") == "49.2"
    footer = doc.xpath("//footer")[0].text_content()
    assert "2026-11-25T14:00:00Z" in footer
    assert "i18n-pipeline/coverage/1" in footer


def test_html_is_self_contained(report: dict[str, Any]) -> None:
    page = render_html(report, trends=TRENDS)
    doc = _parse(page)
    assert doc.xpath("//link | //script[@src] | //img | //iframe") == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page
    assert render_html(report, trends=TRENDS) == page


def test_html_trend_chart(report: dict[str, Any]) -> None:
    doc = _parse(render_html(report, trends=TRENDS))
    series = doc.xpath('//svg//g[@class="series"]')
    assert [g.get("data-lang") for g in series] == ["de", "fr"]
    assert [len(g.xpath("circle")) for g in series] == [2, 1]
    legend = [li.text_content() for li in doc.xpath('//ul[@class="legend"]/li')]
    assert legend == ["Deutsch 61.0%", "Français 59.3%"]


@pytest.mark.parametrize("trends", [None, {"since": "2026-11-01", "series": {"de": []}}])
def test_html_trend_empty_state(report: dict[str, Any], trends: dict[str, Any] | None) -> None:
    doc = _parse(render_html(report, trends=trends))
    assert doc.xpath("//svg") == []
    assert "No coverage snapshots recorded" in doc.xpath('//p[@class="empty"]')[0].text_content()


def test_html_by_issue_groups_and_missing_rows(report: dict[str, Any]) -> None:
    doc = _parse(render_html(report, by="issue"))
    bodies = [
        (b.get("class"), b.get("data-group")) for b in doc.xpath("//table[@id='heatmap']/tbody")
    ]
    assert bodies == [
        ("issue", "g1"),
        ("article", "g1"),
        ("missing", "g1"),
        ("issue", "g2"),
        ("article", "g2"),
    ]
    sections = doc.xpath("//tbody[@data-article='wv/864/labor']/tr[@class='section-row']/th")
    assert [th.text_content() for th in sections] == ["(lead)", "The Unions", "What Is To Be Done"]
    (missing,) = doc.xpath("//tr[@class='missing-row']/th")
    assert missing.text_content() == "Mexico: <b>Down</b> With the Wall! (not ingested yet)"
    issue_de = doc.xpath("//tr[@class='issue-row'][1]/td[@data-lang='de']")[0]
    assert issue_de.get("data-percent") == "57.1"


def test_html_without_issues_key_and_without_languages() -> None:
    report = sample_report(issues=False)
    doc = _parse(render_html(report, by="issue"))
    assert len(doc.xpath("//tbody[@class='issue']")) == 2
    bare = copy.deepcopy(report)
    del bare["languages"]
    doc = _parse(render_html(bare))
    assert [th.get("data-lang") for th in doc.xpath("//thead/tr/th[@data-lang]")] == [
        "de",
        "fr",
        "ja",
    ]


@settings(max_examples=80, deadline=None)
@given(TITLES)
def test_html_title_renders_as_text(title: str) -> None:
    report = sample_report()
    report["articles"][0]["title"] = title
    doc = lxml.html.fromstring(render_html(report))
    (toggle,) = doc.xpath('//tbody[@data-article="wv/863/amnesty2"]//button[@class="toggle"]')
    assert toggle.text_content() == title
    assert len(doc.xpath("//script")) == 1


def test_html_trend_of_one_snapshot_without_since(report: dict[str, Any]) -> None:
    point = {"at": "2026-11-02T10:00:00Z", "percent": 61.0, "translated_words": 360, "words": 590}
    doc = _parse(render_html(report, trends={"since": None, "series": {"de": [point]}}))
    (circle,) = doc.xpath("//svg//circle")
    assert circle.get("cx") == "394.0"  # the middle of the drawing area, 44 + 700 / 2
    assert doc.xpath("//section[@id='trend']/h2")[0].text_content() == "Trend"
