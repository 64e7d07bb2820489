"""The dashboard site (``report --format html -o DIR/``), the team's activity
(``report --by translator``) and published translations against the catalogs, on the
two-publication project of ``test_coverage``."""

from __future__ import annotations

import csv
import http.server
import io
import json
import re
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import text
from test_coverage import catalog, edit_catalog, make_coverage_project, report_json, run_cli
from test_dashboard_browser import chromium as chromium  # the fixture

from i18n_pipeline.errors import InputError
from i18n_pipeline.files import TREE_MANIFEST, write_tree
from i18n_pipeline.model import Counts, Language
from i18n_pipeline.report.activity import (
    ActivityOptions,
    Change,
    Header,
    activity_json,
    dated,
    parse_header,
    translator_name,
)
from i18n_pipeline.report.coverage import ArticleCoverage, Coverage, SectionCoverage
from i18n_pipeline.report.published import (
    FULLY_ALIGNED,
    NOT_PUBLISHED,
    PARTLY_ALIGNED,
    Published,
    published_state,
    read_published,
)
from i18n_pipeline.report.render_site import site_pages
from i18n_pipeline.report.site import MAX_ARTICLES_PER_PAGE, build_site, group_trends
from i18n_pipeline.store.db import make_engine

DOCKS = "wv/900/docks"
THEORY = "sp/60/theory"
HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> & "Co"'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The coverage project after a run, with German partly translated by a named
    translator, one entry reviewed (fuzzy, then translated) in a second sync."""
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    root = make_coverage_project(tmp_path / "proj")
    monkeypatch.chdir(root)
    assert run_cli("run").exit_code == 0
    path = catalog(root, "de", DOCKS)
    edit_catalog(path, {"The dockers won their strike.": "translated", "Picket Lines": "fuzzy"})
    sign(path, "Anna Becker <anna@example.org>", "2026-03-02 10:00+0000")
    assert run_cli("sync").exit_code == 0
    edit_catalog(path, {"Picket Lines": "translated"})
    sign(path, "Anna Becker <anna@example.org>", "2026-03-20 10:00+0000")
    assert run_cli("sync").exit_code == 0
    return root


def sign(path: Path, translator: str, revised: str) -> None:
    """Set a catalog's Last-Translator and PO-Revision-Date, as an editor does on save."""
    data = path.read_text("utf-8")
    data = re.sub(r'"Last-Translator: [^"]*"', f'"Last-Translator: {translator}\\\\n"', data)
    data = re.sub(r'"PO-Revision-Date: [^"]*"', f'"PO-Revision-Date: {revised}\\\\n"', data)
    stat = path.stat()
    path.write_text(data, "utf-8")
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def write_site(folder: Path, *args: str) -> str:
    result = run_cli("report", "--format", "html", "-o", f"{folder}/", *args)
    assert result.exit_code == 0, result.output
    return result.output


def page(folder: Path, name: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((folder / name).read_text("utf-8"))


def grid_cells(doc: lxml.html.HtmlElement, row: lxml.html.HtmlElement) -> dict[str, str]:
    """A grid row's cells by language code, from the grid's header."""
    codes = doc.xpath('//table[@id="grid"]/thead/tr/th/@data-lang')
    cells = row.xpath("./td[contains(@class, 'c')]")
    return dict(zip(codes, (c.text_content() for c in cells), strict=True))


# -- the site -----------------------------------------------------------------------


def test_site_pages_link_down_and_up_with_the_reports_numbers(
    project: Path, tmp_path: Path
) -> None:
    data = report_json()
    site = tmp_path / "site"
    write_site(site)
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert names == [
        TREE_MANIFEST,
        "activity.html",
        "assets/site.css",
        "assets/site.js",
        "index.html",
        "pub/sp/60.html",
        "pub/sp/index.html",
        "pub/wv/900.html",
        "pub/wv/index.html",
    ]
    overview = page(site, "index.html")
    (row,) = overview.xpath('//table[@id="grid"]/tbody/tr[@data-title="Workers Vanguard"]')
    assert row.xpath(".//a/@href") == ["pub/wv/index.html"]
    docks = next(a for a in data["articles"] if a["id"] == DOCKS)
    assert grid_cells(overview, row) == {
        "de": f"{docks['languages']['de']['percent']:.1f}%",
        "fr": f"{docks['languages']['fr']['percent']:.1f}%",
        "ja": "—",
    }
    totals = {
        r.get("data-lang"): r.get("data-percent") for r in overview.xpath('//tr[@class="total"]')
    }
    assert totals == {c: f"{t['percent']:.1f}" for c, t in data["totals"].items()}

    publication = page(site, "pub/wv/index.html")
    (issue,) = publication.xpath('//tbody[@class="year"]/tr[not(@class)]')
    assert issue.xpath(".//a/@href") == ["900.html"]
    assert publication.xpath('//tbody[@class="year"]/@data-year') == ["2008"]
    assert publication.xpath('//nav[@class="crumbs"]/a/@href')[0] == "../../index.html"

    issue_page = page(site, "pub/wv/900.html")
    (body,) = issue_page.xpath(f'//tbody[@data-article="{DOCKS}"]')
    assert grid_cells(issue_page, body.xpath("./tr")[0])["de"] == (
        f"{docks['languages']['de']['percent']:.1f}%"
    )
    for row, section in zip(
        body.xpath('./tr[@class="section-row"]'), docks["sections"], strict=True
    ):
        assert grid_cells(issue_page, row)["de"] == f"{section['languages']['de']['percent']:.1f}%"
    assert issue_page.xpath('//nav[@class="crumbs"]//a/@href') == [
        "../../index.html",
        "index.html",
        "../../index.html",
        "../../activity.html",
    ]


def test_every_link_stays_in_the_folder_and_nothing_is_fetched(
    project: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    write_site(site)
    for path in site.rglob("*.html"):
        doc = lxml.html.fromstring(path.read_text("utf-8"))
        for attr in ("href", "src"):
            for value in doc.xpath(f"//@{attr}"):
                assert not re.match(r"[a-z]+:|//", value), (path, value)
                target = (path.parent / value.split("#")[0]).resolve()
                assert target.is_file() and site.resolve() in target.parents, (path, value)


def test_second_run_rewrites_only_pages_whose_numbers_changed(
    project: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert "8 file(s) written, 0 unchanged" in write_site(site)
    assert "0 file(s) written, 8 unchanged" in write_site(site)
    edit_catalog(catalog(project, "ja", THEORY), {"History": "translated"})
    assert run_cli("sync").exit_code == 0
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    write_site(site)
    changed = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.stat().st_mtime_ns != before[p]
    )
    # The new snapshot moves "as of" on every page, but Workers Vanguard's numbers did not.
    assert (
        "pub/wv/900.html" not in changed
        and "pub/wv/index.html" not in changed
        or (changed == sorted(before))
    )
    assert {"index.html", "pub/sp/index.html", "pub/sp/60.html"} <= set(changed)


def test_titles_cannot_inject_markup(project: Path, tmp_path: Path) -> None:
    from test_coverage import write_article

    write_article(
        project,
        "wv/900/hostile",
        f"---\ntitle: '{HOSTILE}'\nissue: \"900\"\npublication: Workers Vanguard\n---\n\n"
        "Some text.\n\n## A <i>heading</i>\n\nMore.\n",
    )
    assert run_cli("run").exit_code == 0
    site = tmp_path / "site"
    write_site(site)
    text_ = (site / "pub/wv/900.html").read_text("utf-8")
    assert "<script>window" not in text_ and "<img" not in text_ and "<i>heading" not in text_
    doc = lxml.html.fromstring(text_)
    (button,) = doc.xpath('//tbody[@data-article="wv/900/hostile"]//button')
    assert button.text_content() == HOSTILE
    assert doc.xpath("//script/@src") == ["../../assets/site.js"]
    assert not doc.xpath("//script[not(@src)]")


def test_site_and_one_file_page_are_told_apart_by_the_output(project: Path) -> None:
    out = project / "reports"
    result = run_cli("report", "--format", "html", "-o", str(out / "one.html"))
    assert result.exit_code == 0 and (out / "one.html").is_file()
    result = run_cli("report", "--format", "html", "-o", str(out / "site"))
    assert result.exit_code == 0 and (out / "site" / "index.html").is_file()
    result = run_cli("report", "--format", "json", "-o", str(out / "site"))
    assert result.exit_code == 2
    assert "is a folder" in result.output


def test_write_tree_removes_what_it_wrote_before_and_only_that(tmp_path: Path) -> None:
    first = write_tree(tmp_path, {"a.html": "A", "sub/b.html": "B"})
    assert first.written == ("a.html", "sub/b.html")
    (tmp_path / "mine.txt").write_text("kept")
    second = write_tree(tmp_path, {"a.html": "A2"})
    assert (second.written, second.unchanged, second.removed) == (("a.html",), (), ("sub/b.html",))
    assert (tmp_path / "mine.txt").read_text() == "kept"
    with pytest.raises(InputError):
        write_tree(tmp_path, {"../out.html": "x"})


def _article(article_id: str, issue: str | None, date: str | None) -> ArticleCoverage:
    counts = Counts(units=2, untranslated=2, words=10, untranslated_words=10)
    section = SectionCoverage(0, None, 2, 10, {"de": counts})
    return ArticleCoverage(
        id=article_id,
        title=article_id,
        source_language="en",
        source_path=f"articles/{article_id}.md",
        publication="Workers Vanguard",
        issue=issue,
        date=date,
        tags=(),
        units=2,
        words=10,
        languages={"de": counts},
        sections=(section,),
    )


def test_no_page_holds_more_than_one_issue_or_a_page_of_articles() -> None:
    loose = [
        _article(f"wv/x/{n:03d}", None, "2006-02-03") for n in range(MAX_ARTICLES_PER_PAGE + 5)
    ]
    coverage = Coverage(
        generated_at=datetime(2026, 1, 1, tzinfo=UTC),
        source_language="en",
        languages=(Language("de", "Deutsch"),),
        totals={"de": Counts()},
        articles=(_article("wv/1/a", "1", "2006-01-06"), _article("wv/2/b", "2", None), *loose),
    )
    site = build_site(coverage, publication_codes={"Workers Vanguard": "wv"})
    (pub,) = site.publications
    sizes = {node.path: len(node.articles) for node in pub.issues}
    assert sizes == {
        "pub/wv/1.html": 1,
        "pub/wv/no-issue-1.html": MAX_ARTICLES_PER_PAGE,
        "pub/wv/no-issue-2.html": 5,
        "pub/wv/2.html": 1,  # undated: last
    }
    pages = site_pages(site)
    assert set(sizes) < set(pages)


def test_trends_are_summed_per_page_in_one_pass() -> None:
    day = datetime(2026, 1, 5, tzinfo=UTC)
    later = datetime(2026, 1, 6, 12, tzinfo=UTC)
    rows = [
        (day, "a", "de", 10, 100),
        (day, "b", "de", 0, 100),
        (later, "a", "de", 50, 100),
    ]
    trends = group_trends(rows, {"a": ["all", "p1"], "b": ["all", "p2"]})
    assert [p["percent"] for p in trends["all"]["series"]["de"]] == [5.0, 25.0]
    assert [p["percent"] for p in trends["p1"]["series"]["de"]] == [10.0, 50.0]
    assert [p["percent"] for p in trends["p2"]["series"]["de"]] == [0.0]
    since = group_trends(rows, {"a": ["all"], "b": ["all"]}, since="2026-01-06")
    assert [(p["at"], p["percent"]) for p in since["all"]["series"]["de"]] == [
        ("2026-01-06T00:00:00Z", 5.0),  # the coverage then
        ("2026-01-06T12:00:00Z", 25.0),
    ]


# -- team activity --------------------------------------------------------------------


def translator_report(*args: str) -> str:
    result = run_cli("report", "--by", "translator", *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_translator_json_counts_translated_and_reviewed_words(project: Path) -> None:
    data = json.loads(translator_report("--format", "json", "--period", "month"))
    assert data["schema"] == "i18n-pipeline/activity/1"
    (anna,) = [p for p in data["translators"] if p["language"] == "de"]
    assert anna["translator"] == "Anna Becker"
    assert (anna["translated_units"], anna["translated_words"]) == (1, 5)
    assert (anna["reviewed_units"], anna["reviewed_words"]) == (1, 2)
    assert anna["articles"] == [DOCKS] and anna["articles_touched"] == 1
    # The second sync's change is dated by the catalog's revision date; the first by its
    # sync (earlier than now, so in the current month).
    periods = {b["period"]: b for b in anna["periods"]}
    assert periods["2026-03"]["reviewed_words"] == 2
    assert "anna@example.org" not in json.dumps(data)
    pace = data["pace"]["de"]
    assert pace["target"] == 100.0
    assert pace["words_needed"] == pace["words"] - pace["translated_words"]


def test_addresses_only_with_emails(project: Path) -> None:
    for fmt in ("table", "json", "csv", "markdown", "html"):
        assert "anna@example.org" not in translator_report("--format", fmt), fmt
        assert "anna@example.org" in translator_report("--format", fmt, "--emails"), fmt


def test_translator_report_in_every_format(project: Path) -> None:
    table = translator_report()
    assert "Anna Becker" in table and "Projection" in table
    rows = list(csv.DictReader(io.StringIO(translator_report("--format", "csv"))))
    assert {(r["translator"], r["language"]) for r in rows} == {("Anna Becker", "de")}
    assert sum(int(r["reviewed_words"]) for r in rows) == 2
    assert "| Anna Becker | de |" in translator_report("--format", "markdown")
    doc = lxml.html.fromstring(translator_report("--format", "html"))
    assert doc.xpath('//table[@id="translator-table"]//th[@scope="row"]/text()') == ["Anna Becker"]
    week = json.loads(translator_report("--format", "json", "--period", "week"))
    assert all(re.fullmatch(r"\d{4}-W\d\d", b["period"]) for p in week["translators"]
               for b in p["periods"])  # fmt: skip


def test_catalog_header_dates_the_latest_changes_only() -> None:
    synced = datetime(2026, 4, 1, tzinfo=UTC)
    earlier = datetime(2026, 2, 1, tzinfo=UTC)
    changes = [
        Change("a", "de", earlier, None, "translated", 1, 4),
        Change("a", "de", synced, None, "reviewed", 1, 3),
    ]
    revised = datetime(2026, 3, 15, tzinfo=UTC)
    out = dated(changes, {("a", "de"): Header(revised, "Li Wei <li@example.org>")})
    assert [(c.at, c.translator) for c in out] == [
        (earlier, None),
        (revised, "Li Wei <li@example.org>"),
    ]
    head = b'msgid ""\nmsgstr ""\n"PO-Revision-Date: 2026-03-15 00:00+0000\\n"\n'
    head += b'"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"\n'
    assert parse_header(head) == Header(revised, None)
    assert parse_header(b'"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"\n') == Header(None, None)


def test_translator_names_keep_no_address() -> None:
    assert translator_name("Anna Becker <anna@example.org>") == "Anna Becker"
    assert translator_name("anna@example.org").startswith("(unnamed ")
    assert "@" not in translator_name("<anna@example.org>")
    assert translator_name(None) == "(unknown)"
    assert translator_name("A <a@b>", emails=True) == "A <a@b>"


def test_projection_at_the_pace_of_the_window() -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    recent = datetime(2026, 5, 1, tzinfo=UTC)
    changes = [Change("a", "de", recent, "X", "translated", 9, 900)]
    totals = {
        "de": Counts(words=10_000, translated_words=6_000, untranslated_words=4_000),
        "fr": Counts(words=100, translated_words=100),
    }
    data = activity_json(
        changes,
        languages=(Language("de", "Deutsch"), Language("fr", "Français")),
        totals=totals,
        targets={"de": 80.0, "fr": 90.0},
        options=ActivityOptions(window_days=90),
        now=now,
    )
    de = data["pace"]["de"]
    assert (de["words_needed"], de["recent_words"], de["words_per_day"]) == (2000, 900, 10.0)
    assert de["projected"] == "2026-12-18"  # 200 days at 10 words a day
    assert data["pace"]["fr"]["reached"] is True and data["pace"]["fr"]["projected"] is None


# -- published against catalogued ----------------------------------------------------


def register_published(root: Path, article_id: str, code: str, percent: float) -> None:
    """A row as ``align`` registers it (its migration's ``published`` table)."""
    engine = make_engine(f"sqlite:///{root}/.i18n/index.db")
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS published (id INTEGER PRIMARY KEY, "
                "article_pk INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE, "
                "language VARCHAR(16) NOT NULL, source VARCHAR(1000) NOT NULL, "
                "date VARCHAR(10), aligned_units INTEGER NOT NULL, "
                "aligned_words INTEGER NOT NULL, aligned_percent FLOAT NOT NULL, "
                "aligned_at DATETIME NOT NULL, UNIQUE (article_pk, language))"
            )
        )
        conn.execute(
            text(
                "INSERT INTO published (article_pk, language, source, date, aligned_units, "
                "aligned_words, aligned_percent, aligned_at) SELECT id, :code, :source, "
                "'2008-02-01', 3, 7, :percent, '2026-01-01 00:00:00' FROM articles "
                "WHERE article_id = :article"
            ),
            {
                "code": code,
                "source": f"published/{code}/{article_id}.html",
                "percent": percent,
                "article": article_id,
            },  # fmt: skip
        )
    engine.dispose()


def test_published_rows_are_read_and_shown_beside_the_coverage(
    project: Path, tmp_path: Path
) -> None:
    engine = make_engine(f"sqlite:///{project}/.i18n/index.db")
    assert read_published(engine, ["de"]) == {}  # no table yet
    register_published(project, DOCKS, "de", 100.0)
    register_published(project, DOCKS, "fr", 62.5)
    found = read_published(engine, ["de", "fr", "ja"])
    engine.dispose()
    assert found == {
        DOCKS: {
            "de": Published(f"published/de/{DOCKS}.html", "2008-02-01", 3, 100.0),
            "fr": Published(f"published/fr/{DOCKS}.html", "2008-02-01", 3, 62.5),
        }
    }
    assert [published_state(found[DOCKS].get(c)) for c in ("de", "fr", "ja")] == [
        FULLY_ALIGNED,
        PARTLY_ALIGNED,
        NOT_PUBLISHED,
    ]
    site = tmp_path / "site"
    write_site(site)
    issue = page(site, "pub/wv/900.html")
    (row,) = issue.xpath('//tr[@class="published-row"]')
    assert grid_cells(issue, row) == {"de": "✓ 100.0%", "fr": "62.5%", "ja": "—"}
    words = next(a["words"] for a in report_json()["articles"] if a["id"] == DOCKS)
    summary = {
        r.get("data-lang"): [td.text_content() for td in r.xpath("./td")]
        for r in page(site, "index.html").xpath('//table[@id="published-table"]/tbody/tr')
    }
    assert summary["de"][:4] == ["2", "1", "0", "0"]  # two articles: one fully aligned
    assert summary["fr"][:4] == ["1", "0", "1", str(round(words * 0.375))]  # to bring in


# -- the site in headless Chromium ----------------------------------------------------

# Written into each page the test opens: whether a title's markup ran, and the links.
PROBE = """
<script>
window.addEventListener("load", () => {
  const probe = document.createElement("pre");
  probe.id = "probe";
  probe.textContent = JSON.stringify({
    pwned: window.pwned || null,
    links: Array.from(document.querySelectorAll("a.in")).map((a) => a.getAttribute("href")),
  });
  document.body.append(probe);
});
</script>
"""


_BROWSER_HOME = re.compile(r"[./](google\.com|googleapis\.com|gstatic\.com|gvt1\.com)[:/ ]")


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A proxy that answers nothing and remembers every request sent through it."""

    seen: list[str] = []

    def _record(self) -> None:
        # Chromium's own calls home (time, accounts, components) are not the page's.
        if not _BROWSER_HOME.search(self.requestline):
            self.seen.append(self.requestline)
        self.send_error(404)

    do_GET = do_POST = do_HEAD = do_CONNECT = _record

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    """A proxy for Chromium: any request that leaves the folder arrives here."""
    seen: list[str] = []
    handler = type("Handler", (_Recorder,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def _dump_dom(
    chromium: str, page: Path, proxy: str, fragment: str = ""
) -> tuple[lxml.html.HtmlElement, list[str]]:
    """The DOM after the page's scripts ran, with every request sent through ``proxy``."""
    from test_dashboard_browser import FLAGS

    proc = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={page.parent / 'profile'}",
         f"--proxy-server=http://{proxy}", "--proxy-bypass-list=<-loopback>",
         "--virtual-time-budget=2000", "--dump-dom", page.as_uri() + fragment],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return lxml.html.fromstring(proc.stdout), console


@pytest.mark.browser
def test_the_site_in_chromium(
    chromium: str, recorder: tuple[str, list[str]], project: Path, tmp_path: Path
) -> None:
    from test_coverage import write_article

    proxy, seen = recorder

    write_article(
        project,
        "wv/900/hostile",
        f"---\ntitle: '{HOSTILE}'\nissue: \"900\"\npublication: Workers Vanguard\n---\n\n"
        "Some text.\n",
    )
    assert run_cli("run").exit_code == 0
    data = report_json()
    site = tmp_path / "site"
    write_site(site)
    for path in site.rglob("*.html"):
        path.write_text(path.read_text("utf-8").replace("</body>", PROBE + "</body>"), "utf-8")

    # The control: a page that fetches from elsewhere is caught.
    control = site / "control.html"
    control.write_text('<img src="http://example.invalid/x.png">', "utf-8")
    _dump_dom(chromium, control, proxy)
    assert [line.split()[1] for line in seen] == ["http://example.invalid/x.png"]
    control.unlink()
    seen.clear()

    def open_page(path: Path, fragment: str = "") -> tuple[lxml.html.HtmlElement, dict]:
        doc, console = _dump_dom(chromium, path, proxy, fragment)
        assert console == []
        probe = json.loads(doc.xpath('//pre[@id="probe"]')[0].text_content())
        assert probe["pwned"] is None
        assert seen == []  # nothing fetched from outside the folder
        return doc, probe

    overview, probe = open_page(site / "index.html", "#lang=de,ja")
    assert overview.xpath('//section[@id="controls"]/@hidden') == []  # the script ran
    (selected,) = overview.xpath('//output[@id="selected-percent"]')
    words = sum(data["totals"][c]["words"] for c in ("de", "ja"))
    done = sum(data["totals"][c]["translated_words"] for c in ("de", "ja"))
    assert selected.get("data-percent") == f"{100 * done / words:.1f}"
    # The filter travels with the links, down the hierarchy.
    (link,) = [h for h in probe["links"] if h.startswith("pub/wv/")]
    assert link == "pub/wv/index.html#lang=de,ja"

    publication, probe = open_page(site / link.split("#")[0], "#lang=de,ja")
    (issue_link,) = [h for h in probe["links"] if h.startswith("900.html")]
    issue, _ = open_page(site / "pub/wv" / issue_link.split("#")[0])
    for article in data["articles"]:
        if article["issue"] != "900":
            continue
        (body,) = issue.xpath(f'//tbody[@data-article="{article["id"]}"]')
        rows = body.xpath("./tr")
        assert grid_cells(issue, rows[0]) == {
            c: f"{article['languages'][c]['percent']:.1f}%" if c in article["languages"] else "—"
            for c in ("de", "fr", "ja")
        }
        sections = body.xpath('./tr[@class="section-row"]')
        assert all(r.get("hidden") is not None for r in sections)  # folded
        for row, section in zip(sections, article["sections"], strict=True):
            assert grid_cells(issue, row)["de"] == f"{section['languages']['de']['percent']:.1f}%"
    (button,) = issue.xpath('//tbody[@data-article="wv/900/hostile"]//button')
    assert button.text_content() == HOSTILE
    assert issue.xpath("//img") == []
    # Up again: the crumbs lead back to the publication and the overview.
    assert issue.xpath('//nav[@class="crumbs"]/a/@href') == ["../../index.html", "index.html"]
    assert publication.xpath('//nav[@class="crumbs"]/a/@href') == ["../../index.html#lang=de,ja"]
