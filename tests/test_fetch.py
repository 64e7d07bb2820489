"""``fetch`` against the miniature site on a loopback server (tests/minisite.py): storing
pages with their provenance, issues, the language bar, conditional requests, charsets, and
every fault the issue lists, each with its one-line message, exit code, and nothing lost."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
import yaml
from click.testing import CliRunner, Result
from minisite import MiniSite, serve
from projects import config_of, make_project, snapshot_tree
from sqlalchemy import select

from i18n_pipeline.cli import main
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.site import FetchOptions, fetch
from i18n_pipeline.store.db import make_engine, session_scope
from i18n_pipeline.store.models import FetchedRow

#: Polite settings that never sleep: tests stay fast.
FAST = {"delay": 0, "backoff": 0, "max_wait": 0, "timeout": 2, "retries": 2, "max_size": 100_000}

DOCKS = "/english/wv/901/docks.html"
TRANSIT = "/english/wv/901/transit.html"
INDEX = "/english/wv/901/index.html"


@pytest.fixture
def site() -> Iterator[MiniSite]:
    yield from serve()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(
        tmp_path / "project", languages=("de", "fr", "es"), seed=False, extra={"fetch": FAST}
    )
    monkeypatch.chdir(root)
    return root


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def errors(result: Result) -> list[str]:
    return [
        line
        for line in result.stderr.splitlines()
        if line and not line.startswith("fetch: ") and ": warning: " not in line
    ]


def configure(root: Path, section: str, **values: object) -> None:
    """Set ``values`` in one section of the project's config.yaml."""
    path = root / "config.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data[section] = {**(data.get(section) or {}), **values}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def fetched_rows(root: Path) -> dict[str, FetchedRow]:
    engine = make_engine(config_of(root).database_url)
    with session_scope(engine) as session:
        rows = {r.url: r for r in session.scalars(select(FetchedRow))}
        session.expunge_all()
    engine.dispose()
    return rows


# -- an article ---------------------------------------------------------------------------


def test_an_article_is_stored_with_its_provenance_and_ingested(site: MiniSite, project: Path):
    result = run_cli("fetch", site.url(DOCKS))
    assert result.exit_code == 0, result.output
    assert f"new: articles/wv/901/docks.html <- {site.url(DOCKS)}" in result.stdout
    stored = (project / "articles/wv/901/docks.html").read_text("utf-8")
    first, rest = stored.split("\n", 1)
    etag = site.routes[DOCKS].etag
    assert first.startswith(f"<!-- i18n-pipeline fetch: url={site.url(DOCKS)}; fetched=20")
    assert f"; etag={etag}; last-modified=Wed, 14 Nov 2007 12:00:00 GMT -->" in first
    assert rest.encode("utf-8") == site.routes[DOCKS].body  # the page itself, unchanged
    template = (project / "locales/templates/wv/901/docks.pot").read_text("utf-8")
    assert f"# Fetched from {site.url(DOCKS)} at 20" in template
    assert f"(ETag {etag}; Last-Modified Wed, 14 Nov 2007 12:00:00 GMT)" in template
    assert 'msgid "Dockers Shut the Port"' in template
    assert (project / "locales/de/wv/901/docks.po").is_file()
    row = fetched_rows(project)[site.url(DOCKS)]
    assert (row.kind, row.article_id, row.language) == ("article", "wv/901/docks", None)
    assert row.path == "articles/wv/901/docks.html"
    assert (row.etag, row.last_modified) == (etag, "Wed, 14 Nov 2007 12:00:00 GMT")


def test_requests_name_the_tool_and_robots_txt_is_read_once(site: MiniSite, project: Path):
    assert run_cli("fetch", site.url(DOCKS), site.url(TRANSIT)).exit_code == 0
    assert [h.path for h in site.hits] == ["/robots.txt", DOCKS, TRANSIT]
    assert all(h.headers["User-Agent"].startswith("i18n-pipeline/") for h in site.hits)


def test_a_second_run_asks_only_for_changes_and_changes_nothing(site: MiniSite, project: Path):
    assert run_cli("fetch", site.url(DOCKS)).exit_code == 0
    before = snapshot_tree(project / "articles"), snapshot_tree(project / "locales")
    result = run_cli("fetch", site.url(DOCKS))
    assert result.exit_code == 0
    again = site.requests(DOCKS)[-1]
    assert again.headers["If-None-Match"] == site.routes[DOCKS].etag
    assert again.headers["If-Modified-Since"] == "Wed, 14 Nov 2007 12:00:00 GMT"
    assert "fetch: 1 page(s): 0 new, 0 changed, 1 unchanged" in result.stderr
    assert (snapshot_tree(project / "articles"), snapshot_tree(project / "locales")) == before


def test_a_changed_page_is_stored_ingested_and_merged(site: MiniSite, project: Path):
    assert run_cli("fetch", site.url(DOCKS)).exit_code == 0
    catalog = project / "locales/de/wv/901/docks.po"
    po = polib.pofile(str(catalog))
    for entry in po:
        if entry.msgid == "Dockers Shut the Port":
            entry.msgstr = "Hafenarbeiter legen den Hafen still"
        elif entry.msgid.startswith("For three days"):
            entry.msgstr = "Seit drei Tagen hat kein einziger Container den Hafen verlassen."
    po.save()
    body = site.routes[DOCKS].body.replace(b"For three days", b"For four days")
    site.page(DOCKS, body)
    result = run_cli("fetch", site.url(DOCKS))
    assert result.exit_code == 0, result.output
    assert f"changed: articles/wv/901/docks.html <- {site.url(DOCKS)}" in result.stdout
    assert b"For four days" in (project / "articles/wv/901/docks.html").read_bytes()
    merged = {e.msgid: e for e in polib.pofile(str(catalog))}
    assert merged["Dockers Shut the Port"].msgstr == "Hafenarbeiter legen den Hafen still"
    (edited,) = [e for e in merged.values() if e.msgid.startswith("For four days")]
    assert edited.fuzzy and edited.previous_msgid.startswith("For three days")
    assert edited.msgstr.startswith("Seit drei Tagen")
    assert fetched_rows(project)[site.url(DOCKS)].etag == site.routes[DOCKS].etag


def test_the_same_page_again_without_validators_is_not_rewritten(site: MiniSite, project: Path):
    site.route(DOCKS, etag=None, last_modified=None)
    assert run_cli("fetch", site.url(DOCKS)).exit_code == 0
    before = snapshot_tree(project / "articles")
    result = run_cli("fetch", site.url(DOCKS))
    assert "If-None-Match" not in site.requests(DOCKS)[-1].headers
    assert "0 new, 0 changed, 1 unchanged" in result.stderr
    assert snapshot_tree(project / "articles") == before


def test_an_old_latin1_page_is_stored_in_utf8(site: MiniSite, project: Path):
    assert b"Pe\xf1a" in site.routes[TRANSIT].body
    assert run_cli("fetch", site.url(TRANSIT)).exit_code == 0
    stored = (project / "articles/wv/901/transit.html").read_text("utf-8")
    assert "Dolores Peña" in stored and "naïve" in stored
    assert 'content="text/html; charset=utf-8"' in stored
    assert "iso-8859-1" not in stored
    template = polib.pofile(str(project / "locales/templates/wv/901/transit.pot"))
    assert any(e.msgid.startswith("After a two-week walkout the city's") for e in template)
    assert any("Dolores Peña, a driver for twenty years" in e.msgid for e in template)


# -- issues and translations ----------------------------------------------------------------


def test_issue_fetches_every_article_of_the_table_of_contents(site: MiniSite, project: Path):
    result = run_cli("fetch", "--issue", site.url(INDEX))
    assert result.exit_code == 0, result.output
    assert (project / "articles/wv/901/docks.html").is_file()
    assert (project / "articles/wv/901/transit.html").is_file()
    assert not (project / "articles/wv/901/index.html").exists()
    assert not site.requests("/english/wv/900/index.html")  # another issue
    assert not site.requests("/english/wv/901/print/docks.html")  # a print version
    report = json.loads(run_cli("report", "--format", "json").stdout)
    (issue,) = report["issues"]
    assert (issue["publication"], issue["issue"]) == ("Workers Vanguard", "901")
    assert sorted(issue["articles"]) == ["wv/901/docks", "wv/901/transit"]
    assert issue["missing"] == []
    table = run_cli("report", "--by", "issue").stdout
    assert "not ingested yet" not in table


def test_translations_follow_the_language_bar(site: MiniSite, project: Path):
    result = run_cli("fetch", "--translations", site.url(DOCKS))
    published = project / "published"
    assert sorted(p.relative_to(published).as_posix() for p in published.rglob("*.html")) == [
        "de/wv/901/docks.html",  # by hreflang
        "es/wv/901/docks.html",  # "Castellano": by the lang of the page it leads to
        "fr/wv/901/docks.html",  # by its label in config.yaml
    ]
    german = (published / "de/wv/901/docks.html").read_text("utf-8")
    assert f"url={site.url('/deutsch/spk/171/hafen.html')}" in german.split("\n", 1)[0]
    assert not site.requests("/italiano/") and not site.requests("/bahasa/")  # front pages
    rows = fetched_rows(project)
    assert rows[site.url("/espanol/esp/40/puertos.html")].language == "es"
    assert rows[site.url("/espanol/esp/40/puertos.html")].kind == "published"
    assert result.exit_code == 0, result.output
    for code in ("de", "es", "fr"):
        assert (
            f"aligned: published/{code}/wv/901/docks.html -> locales/{code}/wv/901/docks.po: "
        ) in result.stdout


def test_issue_with_translations_to_the_report(site: MiniSite, project: Path):
    result = run_cli("fetch", "--issue", "--translations", site.url(INDEX))
    assert result.exit_code == 0, result.output
    report = json.loads(run_cli("report", "--format", "json").stdout)
    assert report["issues"][0]["missing"] == []
    published = {a["id"]: a.get("published", {}) for a in report["articles"]}
    assert sorted(published["wv/901/docks"]) == ["de", "es", "fr"]
    assert sorted(published["wv/901/transit"]) == ["de"]
    docks_de = published["wv/901/docks"]["de"]
    assert docks_de["source"] == site.url("/deutsch/spk/171/hafen.html")
    assert (docks_de["aligned_units"], docks_de["aligned_percent"]) == (6, 100.0)
    assert published["wv/901/transit"]["de"]["source"] == site.url(
        "/deutsch/spk/171/busfahrer.html"
    )
    table = run_cli("report", "--by", "issue").stdout
    assert "published, aligned" in table and "not ingested yet" not in table
    de = next(a for a in report["articles"] if a["id"] == "wv/901/docks")["languages"]["de"]
    assert de["translated"] + de["fuzzy"] > 0
    again = run_cli("fetch", "--issue", "--translations", site.url(INDEX))
    assert again.exit_code == 0
    assert "aligned:" not in again.stdout  # nothing changed: nothing aligned again


def test_a_language_bar_link_that_leaves_the_site_is_not_followed(site: MiniSite, project: Path):
    body = site.routes[DOCKS].body.replace(
        b'href="/deutsch/spk/171/hafen.html"', b'href="http://mirror.example/deutsch/hafen.html"'
    )
    site.page(DOCKS, body)
    result = run_cli("fetch", "--translations", site.url(DOCKS))
    assert result.exit_code == 2
    assert (
        f"{site.url(DOCKS)}: the language bar's link 'Deutsch' leaves the site "
        "(mirror.example); not followed"
    ) in errors(result)
    assert not (project / "published/de").exists()
    assert (project / "articles/wv/901/docks.html").is_file()


def test_site_hosts_in_config_make_other_hosts_part_of_the_site(site: MiniSite, project: Path):
    port = site.root.rsplit(":", 1)[1]
    body = site.routes[DOCKS].body.replace(
        b'href="/deutsch/spk/171/hafen.html"',
        f'href="http://localhost:{port}/deutsch/spk/171/hafen.html"'.encode(),
    )
    site.page(DOCKS, body)
    result = run_cli("fetch", "--translations", site.url(DOCKS))
    assert any("leaves the site (localhost:" in line for line in errors(result))
    configure(project, "site", hosts=[f"localhost:{port}"])
    result = run_cli("fetch", "--translations", site.url(DOCKS))
    assert not any("leaves the site" in line for line in errors(result))
    assert (project / "published/de/wv/901/docks.html").is_file()


# -- faults ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message"),
    [(404, "not found (HTTP 404)"), (410, "gone (HTTP 410): the site has removed it")],
)
def test_a_missing_page_is_reported_and_nothing_stored_is_touched(
    site: MiniSite, project: Path, status: int, message: str
):
    assert run_cli("fetch", site.url(DOCKS)).exit_code == 0
    before = snapshot_tree(project / "articles"), snapshot_tree(project / "locales")
    site.route(DOCKS, status=status)
    result = run_cli("fetch", site.url(DOCKS))
    assert result.exit_code == 2
    assert errors(result) == [f"{site.url(DOCKS)}: {message}"]
    assert (snapshot_tree(project / "articles"), snapshot_tree(project / "locales")) == before
    assert run_cli("report", "--format", "json").exit_code == 0


def test_server_errors_are_retried_with_backoff(site: MiniSite, project: Path):
    site.route(DOCKS, fail=2, fail_status=503)
    result = run_cli("fetch", site.url(DOCKS))
    assert result.exit_code == 0, result.output
    assert len(site.requests(DOCKS)) == 3
    assert (project / "articles/wv/901/docks.html").is_file()


def test_429_is_retried_after_what_retry_after_asks(site: MiniSite, project: Path):
    site.route(DOCKS, fail=1, fail_status=429, retry_after="0")
    assert run_cli("fetch", site.url(DOCKS)).exit_code == 0
    assert len(site.requests(DOCKS)) == 2


def test_a_server_error_that_lasts_is_reported(site: MiniSite, project: Path):
    site.route(DOCKS, fail=10, fail_status=500)
    result = run_cli("fetch", site.url(DOCKS), site.url(TRANSIT))
    assert result.exit_code == 2
    assert errors(result) == [f"{site.url(DOCKS)}: HTTP 500 Internal Server Error; tried 3 times"]
    assert len(site.requests(DOCKS)) == 3
    assert (project / "articles/wv/901/transit.html").is_file()  # the rest goes on


def test_a_timeout_is_retried_then_reported(site: MiniSite, project: Path):
    configure(project, "fetch", timeout=0.1, retries=1)
    site.route(DOCKS, sleep=0.4)
    result = run_cli("fetch", site.url(DOCKS))
    assert result.exit_code == 2
    assert errors(result) == [f"{site.url(DOCKS)}: timed out; tried 2 times"]
    assert not (project / "articles/wv").exists()


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ({"content_type": "application/pdf"}, "not an HTML page (Content-Type application/pdf)"),
        (
            {"content_type": None, "body": b"%PDF-1.4 binary"},
            "not an HTML page (no Content-Type, and it does not look like HTML)",
        ),
        (
            {"body": b"<html><body>" + b"x" * 200_000 + b"</body></html>"},
            "the page is 200,026 bytes, over the cap of 100,000 (fetch.max_size)",
        ),
        (
            {"body": b"<html><body>" + b"x" * 200_000 + b"</body></html>", "chunked": True},
            "the page is over the cap of 100,000 bytes (fetch.max_size)",
        ),
        (
            {"body": b'<html><head><meta charset="utf-8"></head>\n<body><p>Pe\xf1a</p></html>'},
            "declares charset utf-8 in its <meta> tag but is not utf-8 (byte 0xf1 on line 2)",
        ),
        (
            {"content_type": "text/html; charset=utf-8", "body": b"<html><p>Pe\xf1a</p></html>"},
            "declares charset utf-8 in the HTTP header but is not utf-8 (byte 0xf1 on line 1)",
        ),
        (
            {"body": b"<html><body>\n<p>Se\xf1or Pe\xf1a</p></body></html>"},
            "declares no charset and is not UTF-8 (byte 0xf1 on line 2)",
        ),
        (
            {"body": b'<html><head><meta charset="klingon-8"></head><p>x</p></html>'},
            "the page declares an unknown charset 'klingon-8'",
        ),
    ],
    ids=[
        "pdf",
        "sniffed",
        "too-large",
        "too-large-chunked",
        "bad-meta",
        "bad-header",
        "none",
        "unknown",
    ],
)
def test_pages_that_cannot_be_used_are_refused(
    site: MiniSite, project: Path, route: dict[str, object], message: str
):
    assert run_cli("fetch", site.url(DOCKS)).exit_code == 0
    before = snapshot_tree(project / "articles")
    site.page(DOCKS, site.routes[DOCKS].body)  # a new version, so the page is sent
    site.route(DOCKS, etag='"other"', **route)
    result = run_cli("fetch", site.url(DOCKS))
    assert result.exit_code == 2
    assert errors(result) == [f"{site.url(DOCKS)}: {message}"]
    assert snapshot_tree(project / "articles") == before


def test_a_page_declared_latin1_that_is_utf8_is_read_as_utf8(site: MiniSite, project: Path):
    body = site.routes[DOCKS].body.replace(b"charset=utf-8", b"charset=iso-8859-1")
    site.page(DOCKS, body.replace(b"For three days", "For three days (café)".encode()))
    result = run_cli("fetch", site.url(DOCKS))
    assert result.exit_code == 0
    assert (
        f"{site.url(DOCKS)}: warning: declares charset iso-8859-1 in its <meta> tag but is "
        "UTF-8; read as UTF-8"
    ) in result.stderr
    assert "(café)" in (project / "articles/wv/901/docks.html").read_text("utf-8")


def test_a_redirect_within_the_site_is_followed(site: MiniSite, project: Path):
    site.route("/english/wv/901/old-docks.html", status=301, headers={"Location": DOCKS})
    result = run_cli("fetch", site.url("/english/wv/901/old-docks.html"))
    assert result.exit_code == 0, result.output
    assert (project / "articles/wv/901/old-docks.html").is_file()


def test_a_redirect_to_another_host_is_refused_unless_allowed(site: MiniSite, project: Path):
    port = site.root.rsplit(":", 1)[1]
    other = f"http://localhost:{port}{DOCKS}"
    site.route("/english/wv/901/moved.html", status=302, headers={"Location": other})
    result = run_cli("fetch", site.url("/english/wv/901/moved.html"))
    assert result.exit_code == 2
    assert errors(result) == [
        f"{site.url('/english/wv/901/moved.html')}: redirected to another host "
        f"(localhost:{port}); refused: add it to site.hosts or fetch.redirect_hosts to allow it"
    ]
    assert not site.requests(DOCKS)
    configure(project, "fetch", redirect_hosts=[f"localhost:{port}"])
    again = run_cli("fetch", site.url("/english/wv/901/moved.html"))
    assert again.exit_code == 0, again.output
    assert (project / "articles/wv/901/moved.html").is_file()


def test_robots_txt_is_obeyed(site: MiniSite, project: Path):
    site.page("/english/private/notes.html", site.routes[DOCKS].body)
    result = run_cli("fetch", site.url("/english/private/notes.html"))
    assert result.exit_code == 2
    assert errors(result) == [
        f"{site.url('/english/private/notes.html')}: robots.txt does not allow fetching this page"
    ]
    assert not site.requests("/english/private/notes.html")


def test_a_site_whose_robots_txt_fails_is_not_fetched(site: MiniSite, project: Path):
    site.route("/robots.txt", fail=10, fail_status=500)
    result = run_cli("fetch", site.url(DOCKS))
    assert errors(result) == [
        f"{site.url(DOCKS)}: the site's robots.txt could not be read (server error); not fetched"
    ]
    assert not site.requests(DOCKS)


def test_a_site_without_robots_txt_is_fetched(site: MiniSite, project: Path):
    del site.routes["/robots.txt"]
    assert run_cli("fetch", site.url(DOCKS)).exit_code == 0


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/english/%2e%2e/%2e%2e/etc/passwd.html", "would give an id that escapes articles/"),
        ("/english/wv/a%2Fb/../x.html", "would give an id that escapes articles/"),
        ("/english/wv/901/docks%20two.html", "has characters outside [A-Za-z0-9._/-]: ' '"),
    ],
)
def test_an_id_that_would_escape_the_sources_is_refused(
    site: MiniSite, project: Path, path: str, message: str
):
    result = run_cli("fetch", site.url(path))
    assert result.exit_code == 2
    (line,) = errors(result)
    assert line.startswith(f"{site.url(path)}: ") and message in line
    assert site.requests(path) == []
    assert not any(project.parent.rglob("passwd*"))


def test_a_bad_url_is_a_usage_error(project: Path):
    result = run_cli("fetch", "ftp://example.org/x.html")
    assert result.exit_code == 2
    assert result.stderr == "ftp://example.org/x.html: not an http:// or https:// URL\n"


def test_a_stored_file_edited_by_hand_is_not_replaced(site: MiniSite, project: Path):
    assert run_cli("fetch", site.url(DOCKS)).exit_code == 0
    stored = project / "articles/wv/901/docks.html"
    stored.write_text(stored.read_text("utf-8").replace("three days", "3 days"), "utf-8")
    edited = stored.read_bytes()
    site.page(DOCKS, site.routes[DOCKS].body.replace(b"For three days", b"For four days"))
    result = run_cli("fetch", site.url(DOCKS))
    assert result.exit_code == 2
    assert errors(result) == [
        "articles/wv/901/docks.html: edited since it was fetched, or not fetched from this "
        "URL; left as it is (move it away to store the page)"
    ]
    assert stored.read_bytes() == edited


def test_an_article_saved_in_another_format_is_kept(site: MiniSite, project: Path):
    saved = project / "articles/wv/901/docks.txt"
    saved.parent.mkdir(parents=True)
    saved.write_text("Workers Vanguard No. 901\n\nDockers Shut the Port\n\nA saved page.\n")
    result = run_cli("fetch", site.url(DOCKS))
    assert result.exit_code == 0
    assert (
        f"{site.url(DOCKS)}: warning: articles/wv/901/docks.txt already holds article "
        "'wv/901/docks'; the page was not stored (its translations still are)"
    ) in result.stderr
    assert not (project / "articles/wv/901/docks.html").exists()


def test_an_interrupted_run_resumes_where_it_stopped(site: MiniSite, project: Path):
    config = config_of(project)
    engine = make_engine(config.database_url)
    articles = (site.url(DOCKS), site.url(TRANSIT))

    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "fetch" and done == 1:  # the first page is stored, the second not yet
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fetch(config, engine, FetchOptions(articles), progress=interrupt)
    assert (project / "articles/wv/901/docks.html").is_file()
    assert not (project / "articles/wv/901/transit.html").exists()
    assert not list((project / "articles").rglob(".*.tmp"))
    result = fetch(config, engine, FetchOptions(articles))
    engine.dispose()
    assert result.ok, [str(e) for e in result.errors]
    assert [(p.article_id, p.status) for p in result.pages] == [
        ("wv/901/docks", "unchanged"),
        ("wv/901/transit", "new"),
    ]
    assert "If-None-Match" in site.requests(DOCKS)[-1].headers
    assert result.ingested == 2
    assert (project / "locales/templates/wv/901/docks.pot").is_file()  # ingested after all


def test_the_library_raises_for_no_urls(project: Path):
    config = config_of(project)
    with pytest.raises(PipelineError, match="give the URL of at least one page"):
        fetch(config, make_engine(config.database_url), FetchOptions(()))


def test_config_errors_name_the_key(project: Path):
    configure(project, "fetch", delay=-1)
    result = run_cli("fetch", "http://127.0.0.1:9/x.html")
    assert result.exit_code == 2
    lines = (project / "config.yaml").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "delay: -1" in text)
    assert result.stderr == f"config.yaml:{line}: fetch.delay: must not be negative\n"
    configure(project, "fetch", delay=0)
    configure(project, "site", hosts=["http://www.icl-fi.org/"])
    result = run_cli("fetch", "http://127.0.0.1:9/x.html")
    assert result.stderr.endswith(
        "site.hosts[0]: must be a host name such as www.icl-fi.org, not 'http://www.icl-fi.org/'\n"
    )


def test_no_proxy_from_the_environment_is_used(
    site: MiniSite, project: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    assert run_cli("fetch", site.url(DOCKS)).exit_code == 0
    assert os.environ["HTTP_PROXY"]
