"""The pure parts of fetch: ids from URLs, charsets, the language bar, a table of contents,
the provenance line, and the wait before a retry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from minisite import PAGES

from i18n_pipeline.config import FetchConfig, parse_config
from i18n_pipeline.errors import FetchError, InputError
from i18n_pipeline.model import Provenance
from i18n_pipeline.project import STARTER_CONFIG
from i18n_pipeline.read.provenance import provenance_comment, split_provenance
from i18n_pipeline.site.http import retry_wait
from i18n_pipeline.site.pages import (
    decode_page,
    issue_links,
    language_bar,
    language_code,
    page_body,
    page_language,
    stored_page,
)
from i18n_pipeline.site.urls import article_id_of, check_url

CONFIG = parse_config(STARTER_CONFIG, root=Path("/srv/project"))
SITE = "https://www.icl-fi.org"


@pytest.mark.parametrize(
    ("path", "article_id"),
    [
        ("/english/wv/863/amnesty2.html", "wv/863/amnesty2"),
        ("/deutsch/spk/175/folter.htm", "spk/175/folter"),
        ("/espanol/esp/40/puertos.html", "esp/40/puertos"),
        ("/francais/lebol/230/x.html", "lebol/230/x"),
        ("/bahasa/spi/3/buruh.html", "spi/3/buruh"),
        ("/english/wv/863/", "wv/863/index"),
        ("/wv/863/amnesty2.html", "wv/863/amnesty2"),
        ("/english.html", "english"),
        ("/english/wv/863/amnesty2.html?print=1#top", "wv/863/amnesty2"),
    ],
)
def test_the_id_is_the_path_without_the_edition_folder(path: str, article_id: str):
    assert article_id_of(SITE + path, CONFIG) == article_id


@pytest.mark.parametrize(
    "path", ["/english/../../etc/passwd.html", "/english/wv/%2e%2e/%2E%2E/x.html", "/a/..%2F..%2Fb"]
)
def test_an_id_that_escapes_is_refused(path: str):
    with pytest.raises(FetchError, match="escapes articles/"):
        article_id_of(SITE + path, CONFIG)


@pytest.mark.parametrize("url", ["www.icl-fi.org/x.html", "file:///etc/passwd", "https:///x"])
def test_only_web_urls_are_taken(url: str):
    with pytest.raises(InputError, match="not an http:// or https:// URL"):
        check_url(url)


def test_retry_wait_doubles_the_backoff_and_honours_retry_after():
    settings = FetchConfig(backoff=2.0, max_wait=60.0)
    assert [retry_wait(n, None, settings) for n in (1, 2, 3)] == [2.0, 4.0, 8.0]
    assert retry_wait(1, "30", settings) == 30.0
    assert retry_wait(3, "1", settings) == 8.0  # the backoff when longer
    assert retry_wait(1, "3600", settings) == 60.0  # never more than max_wait
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    assert 17.0 <= retry_wait(1, later, settings) <= 20.0
    assert retry_wait(1, "soon", settings) == 2.0
    assert retry_wait(5, "10", FetchConfig(backoff=0, max_wait=0)) == 0.0


def test_charsets():
    latin1 = '<meta charset="iso-8859-1"><p>Señor</p>'.encode("latin-1")
    assert decode_page(latin1, None, "u").text.endswith("Señor</p>")
    cp1252 = b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">\x93x\x94'
    assert decode_page(cp1252, None, "u").text.endswith("“x”")
    assert decode_page(b"\x81", "text/html; charset=windows-1252", "u").text == "\x81"
    header_wins = decode_page(
        '<meta charset="utf-8">é'.encode("latin-1"), "text/html; charset=latin1", "u"
    )
    assert header_wins.text.endswith("é") and header_wins.charset == "windows-1252"
    assert decode_page("\ufeffé".encode(), None, "u").text == "é"
    russian = "<meta charset=koi8-r><p>Привет</p>".encode("koi8-r")
    assert decode_page(russian, None, "u").text.endswith("Привет</p>")


def test_the_stored_page_is_utf8_under_its_provenance_line():
    provenance = Provenance(
        "https://h/english/a;b-->c.html", "2026-12-06T10:00:00Z", 'W/"x; y"', "Tue, 1 Jan 2008"
    )
    text = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    data = stored_page(text + "<p>café</p>", provenance)
    first, body = data.decode("utf-8").split("\n", 1)
    assert first.count("-->") == 1 and first.endswith(" -->")
    assert body == text.replace("iso-8859-1", "utf-8") + "<p>café</p>"
    assert split_provenance(data.decode("utf-8")) == (provenance, body)
    assert stored_page(data.decode("utf-8"), provenance) == data  # one line, never two
    assert page_body(data) == body.encode("utf-8")
    assert provenance_comment(Provenance("https://h/x", "t")) == (
        "<!-- i18n-pipeline fetch: url=https://h/x; fetched=t -->\n"
    )


def test_language_codes():
    codes = ("de", "pt-BR", "zh")
    assert language_code("DE-de", codes) == "de"
    assert language_code("pt_BR", codes) == "pt-BR"
    assert language_code("zh-Hant", codes) == "zh"
    assert language_code("fr", codes) is None
    assert page_language('<html lang="ja"><p>x</p></html>') == "ja"
    assert page_language('<html><meta http-equiv="Content-Language" content="pl"></html>') == "pl"
    assert page_language("<html><p>x</p></html>") is None


def test_the_language_bar_matches_hreflang_labels_and_leaves_the_rest_to_the_page():
    text = (PAGES / "english/wv/901/docks.html").read_text("utf-8")
    bar = language_bar(text, SITE + "/english/wv/901/docks.html", CONFIG.languages, "en")
    assert [(b.link.url.removeprefix(SITE), b.language) for b in bar] == [
        ("/bahasa/", "id"),
        ("/deutsch/spk/171/hafen.html", "de"),
        ("/espanol/esp/40/puertos.html", None),
        ("/francais/lebol/183/dockers.html", "fr"),
        ("/italiano/", "it"),
    ]
    # the menu's links are not the bar, and a page with no bar has none
    assert (
        language_bar(
            "<html><body><p><a href='/x.html'>Home</a></p></body></html>",
            SITE,
            CONFIG.languages,
            "en",
        )
        == ()
    )


def test_the_table_of_contents_lists_the_issues_articles():
    text = (PAGES / "english/wv/901/index.html").read_text("utf-8")
    links = issue_links(text, SITE + "/english/wv/901/index.html", CONFIG.site)
    assert [(link.url.removeprefix(SITE), link.label) for link in links] == [
        ("/english/wv/901/docks.html", "Harbor StrikeDockers Shut the Port"),
        ("/english/wv/901/transit.html", "Bus Drivers Win Their Contract"),
    ]
    article = (PAGES / "english/wv/901/transit.html").read_bytes().decode("latin-1")
    trailing = issue_links(article, SITE + "/english/wv/901/transit.html", CONFIG.site)
    assert [link.url.rsplit("/", 1)[1] for link in trailing] == ["docks.html", "transit.html"]
