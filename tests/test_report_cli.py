"""``report`` through the CLI on the seed project: every format, the grouping by issue with
the articles its table of contents knows but the project has not ingested, escaping, and the
HTML page of the real project in headless Chromium."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from projects import SEED_ID
from test_coverage import catalog, check_contract, edit_catalog, run_cli, write_article
from test_dashboard_browser import _dump_dom
from test_dashboard_browser import chromium as chromium  # the fixture

SEED_SECTIONS = [
    None,
    "Soviet Dissidents and Trotskyist Defensism",
    "Proletarian Rule and the Early Soviet Republic",
    "Proletarian Justice",
    "Trotskyists Were Main Targets of Stalinist Repression",
    "For New October Revolutions!",
]

#: The seed's issue, WV 863, lists twelve articles; the seed is the one ingested.
MISSING = [
    "Down With Imperialist Nuclear Blackmail! / U.S. Hands Off Iran!",
    "For United Labor Action to Smash the Taylor Law! Break with the Democrats! For a "
    "Workers Party! / Defiant NYC Transit Workers Reject Contract",
    "European Dockers Strike Against Union Busting",
    "Twentieth Annual Holiday Appeal / Free Mumia! Free All Class-War Prisoners!",
    "Black Freedom and the Proletarian Revolution / (Quote of the Week)",
    "The “N” Word: “To This Day, I Wish I’d Never Said the Word” / A Salute to Richard Pryor",
    "On the Anti-Smoking Witchhunt",
    "Fight Racist Reaction on Campus! / (Young Spartacus Pages)",
    "Defend the De Anza 8! / (Young Spartacus Pages)",
    "From Early Soviet Correctional Labor Law",
    "International Solidarity with TWU, ATU",
]


@pytest.fixture
def synced(project: Path) -> Path:
    """The seed project after a run, with part of one section translated into German."""
    assert run_cli("run").exit_code == 0
    edit_catalog(
        catalog(project, "de", SEED_ID),
        {
            "Proletarian Justice": "translated",
            "Soviet Dissidents and Trotskyist Defensism": "fuzzy",
        },
    )
    assert run_cli("sync").exit_code == 0
    return project


def report(*args: str) -> str:
    result = run_cli("report", *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_json_validates_against_the_contract(synced: Path) -> None:
    data = json.loads(report("--format", "json"))
    check_contract(data)
    (article,) = data["articles"]
    assert [s["title"] for s in article["sections"]] == SEED_SECTIONS
    de = article["sections"][3]["languages"]["de"]
    assert (de["translated"], de["translated_words"]) == (1, 2)
    de = article["sections"][1]["languages"]["de"]
    assert (de["fuzzy"], de["fuzzy_words"], de["outdated"]) == (1, 5, 0)


def test_issue_lists_the_articles_of_its_contents_not_ingested(synced: Path) -> None:
    (issue,) = json.loads(report("--format", "json", "--by", "issue"))["issues"]
    assert (issue["publication"], issue["issue"], issue["date"]) == (
        "Workers Vanguard", "863", "2006-02-03",
    )  # fmt: skip
    assert issue["articles"] == [SEED_ID]
    assert issue["missing"] == MISSING

    table = report("--by", "issue")
    assert "Workers Vanguard No. 863" in table
    assert table.count("ingested)") == 11  # "(not ingested)", wrapped or not
    markdown = report("--format", "markdown", "--by", "issue")
    assert markdown.count("(not ingested)") == 11
    assert "↳ *European Dockers Strike Against Union Busting* (not ingested)" in markdown


def test_an_ingested_article_leaves_the_missing_list(synced: Path) -> None:
    write_article(
        synced,
        "wv/863/dockers",
        '---\npublication: Workers Vanguard\nissue: "863"\ndate: 2006-02-03\n'
        "title: European dockers strike against union busting\n---\n\nThe dockers struck.\n",
    )
    assert run_cli("run").exit_code == 0
    (issue,) = json.loads(report("--format", "json", "--by", "issue"))["issues"]
    assert issue["articles"] == [SEED_ID, "wv/863/dockers"]
    assert issue["missing"] == [m for m in MISSING if not m.startswith("European Dockers")]


def test_every_format_and_grouping_renders(synced: Path) -> None:
    for by in ("language", "article", "section", "issue"):
        assert ("Deutsch" if by == "language" else "U.S. Torture Machine") in report("--by", by)
        markdown = report("--format", "markdown", "--by", by)
        assert markdown.startswith("## Translation coverage\n")
        assert report("--format", "html", "--by", by).startswith("<!DOCTYPE html>")
        # JSON and CSV are for tools: the grouping does not change them.
        assert json.loads(report("--format", "json", "--by", by))["articles"][0]["id"] == SEED_ID
        assert len(report("--format", "csv", "--by", by).splitlines()) == 1 + 6 * 3


def test_csv_is_one_row_per_section_and_language(synced: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(report("--format", "csv", "--lang", "de"))))
    assert [(r["section_index"], r["language"]) for r in rows] == [(str(i), "de") for i in range(6)]
    assert [r["section_title"] for r in rows] == [t or "" for t in SEED_SECTIONS]
    assert (rows[3]["translated"], rows[3]["translated_words"]) == ("1", "2")


def test_output_file(synced: Path) -> None:
    result = run_cli("report", "--format", "html", "-o", "reports/coverage.html")
    assert result.exit_code == 0
    assert result.output == "wrote reports/coverage.html\n"
    page = (synced / "reports" / "coverage.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "U.S. Torture Machine" in page


def test_unknown_language_and_bad_date_are_usage_errors(synced: Path) -> None:
    result = run_cli("report", "--lang", "xx")
    assert result.exit_code == 2
    assert result.output == "config.yaml: language 'xx' is not configured\n"
    result = run_cli("report", "--since", "2006-02-31")
    assert result.exit_code == 2
    assert result.output == "error: --since: expected a date like 2024-01-31, not '2006-02-31'\n"


HOSTILE = '<script>alert("x")</script> & <b>Co</b>'


def test_titles_are_escaped_in_html_and_markdown(project: Path) -> None:
    write_article(
        project,
        "wv/1/hostile",
        f"---\ntitle: '{HOSTILE}'\nissue: \"1\"\npublication: Workers Vanguard\n---\n\n"
        "Some text here.\n\n## A <i>heading</i> & more\n\nMore text.\n",
    )
    assert run_cli("run").exit_code == 0
    page = report("--format", "html")
    assert "<script>alert" not in page
    doc = lxml.html.fromstring(page)
    titles = [b.text_content() for b in doc.xpath('//tbody[@data-article="wv/1/hostile"]//button')]
    assert titles == [HOSTILE]
    (tbody,) = doc.xpath('//tbody[@data-article="wv/1/hostile"]')
    assert tbody.get("data-title") == HOSTILE
    markdown = report("--format", "markdown")
    assert "<script>" not in markdown and r"\<script\>" in markdown


# The real project's page in a browser.


def _page(chromium: str, project: Path, *args: str) -> Any:
    out = project / "reports" / f"coverage{len(args)}.html"
    result = run_cli("report", "--format", "html", "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    doc, console = _dump_dom(chromium, out)
    assert console == []
    return doc


@pytest.mark.browser
def test_the_project_report_in_chromium(chromium: str, synced: Path) -> None:
    data = json.loads(report("--format", "json"))
    doc = _page(chromium, synced)
    (article,) = data["articles"]
    for code in ("de", "fr", "ja"):
        (cell,) = doc.xpath(f'//td[@data-article="{SEED_ID}"][@data-lang="{code}"]'
                            "[not(@data-section)]")  # fmt: skip
        assert cell.get("data-percent") == f"{article['languages'][code]['percent']:.1f}"
    # The heatmap shows the seed's sections, open: it is the only article.
    rows = doc.xpath('//tbody[@data-article]/tr[@class="section-row"]')
    assert [r.get("hidden") for r in rows] == [None] * 6
    assert [r.xpath("string(th)") for r in rows] == ["(lead)", *SEED_SECTIONS[1:]]
    (cell,) = doc.xpath(f'//td[@data-article="{SEED_ID}"][@data-section="3"][@data-lang="de"]')
    assert cell.get("data-percent") == f"{article['sections'][3]['languages']['de']['percent']:.1f}"
    totals = {r.get("data-lang"): r.get("data-percent") for r in doc.xpath('//tr[@class="total"]')}
    assert totals == {c: f"{data['totals'][c]['percent']:.1f}" for c in ("de", "fr", "ja")}
    # Two syncs with coverage changes: the trend chart has a line per language.
    assert sorted(doc.xpath('//svg[@class="trend-chart"]/g[@class="series"]/@data-lang')) == [
        "de", "fr", "ja",
    ]  # fmt: skip

    by_issue = _page(chromium, synced, "--by", "issue")
    assert [r.xpath("string(th)") for r in by_issue.xpath('//tr[@class="missing-row"]')] == [
        f"{title} (not ingested yet)" for title in MISSING
    ]
