"""config.yaml's ``site:`` section: it adds to the bundled site profile, and its errors
name the file, the line and the key path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from i18n_pipeline.config import parse_config
from i18n_pipeline.errors import ConfigError
from i18n_pipeline.project import STARTER_CONFIG
from i18n_pipeline.read.profile import DEFAULT_PROFILE
from i18n_pipeline.read.text import read_text

ROOT = Path("/proj")
REPO = Path(__file__).parent.parent


def read(config_text: str, page: str):
    profile = parse_config(config_text, root=ROOT).site
    return read_text(page, article_id="a", source_path="a.txt", profile=profile)


def test_committed_config_and_starter_config_agree_on_the_site():
    committed = yaml.safe_load((REPO / "config.yaml").read_text("utf-8"))["site"]
    assert committed == yaml.safe_load(STARTER_CONFIG)["site"]
    profile = parse_config(STARTER_CONFIG, root=ROOT).site
    assert profile.masthead("Spartakist Nummer 175") == DEFAULT_PROFILE.masthead(
        "Spartakist Nummer 175"
    )


def test_a_user_adds_a_publication_chrome_and_a_language():
    config = (
        "site:\n"
        "  chrome: ['Lisez aussi']\n"
        "  publications:\n"
        "    - {name: Red Flag, code: rf, language: fr, masthead: ['Red Flag'], short: [RF]}\n"
        "  languages:\n"
        "    fr:\n"
        "      part: ['Épisode \\d+']\n"
        "      seasons: {spring: [Renouveau]}\n"
    )
    page = (
        "Lisez aussi\n\nRed Flag nº 12\n\nRenouveau 2020\n\nLe titre\n\nÉpisode 2\n\n"
        "Le premier paragraphe, qui est une phrase.\n\nRF 12\n\nUn autre article\n"
    )
    article = read(config, page)
    meta = article.meta
    assert (meta.publication, meta.issue, meta.date) == ("Red Flag", "12", "2020-03-01")
    assert (meta.title, meta.part) == ("Le titre", "Épisode 2")
    assert meta.issue_contents == ("Un autre article",)
    assert article.source_language == "fr"
    # The bundled profile is still there: its mastheads and dates are read as before.
    profile = parse_config(config, root=ROOT).site
    assert profile.parse_date("Januar 2009") == "2009-01-01"
    assert profile.publications["Red Flag"] == "rf"
    assert profile.publications["Spartakist"] == "spk"


def test_a_known_publication_given_a_new_code_keeps_its_masthead():
    profile = parse_config("site:\n  publications: {Spartakist: sk}\n", root=ROOT).site
    assert profile.publications["Spartakist"] == "sk"
    assert profile.masthead("Spartakist Nummer 175") is not None


def test_defaults_false_starts_from_nothing():
    profile = parse_config("site:\n  defaults: false\n  chrome: ['Menu']\n", root=ROOT).site
    assert profile.is_chrome("Menu")
    assert not profile.is_chrome("Druckversion dieses Artikels")
    assert profile.parse_date("Januar 2009") is None


def test_legacy_single_patterns_still_work():
    config = (
        "site:\n"
        "  masthead: '(?P<publication>Red Flag) Issue (?P<issue>\\d+)'\n"
        "  date: '(?P<month>\\d{2})/(?P<day>\\d{2})/(?P<year>\\d{4})'\n"
    )
    article = read(config, "Red Flag Issue 4\n\n02/03/2006\n\nTitle\n\nText of it, here.\n")
    assert (article.meta.publication, article.meta.issue) == ("Red Flag", "4")
    assert article.meta.date == "2006-02-03"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("site:\n  colour: red\n", "config.yaml:2: site.colour: unknown setting"),
        (
            "site:\n  chrome:\n    - 'ok'\n    - '(unclosed'\n",
            "config.yaml:4: site.chrome[1]: invalid regular expression",
        ),
        (
            "site:\n  languages:\n    de:\n      part: ['[bad']\n",
            "config.yaml:4: site.languages.de.part[0]: invalid regular expression",
        ),
        (
            "site:\n  languages:\n    de:\n      months: [Januar, Februar]\n",
            "config.yaml:4: site.languages.de.months: must list the twelve months",
        ),
        (
            "site:\n  languages:\n    de:\n      seasons: {lenz: [Lenz]}\n",
            "config.yaml:4: site.languages.de.seasons.lenz: unknown setting",
        ),
        (
            "site:\n  languages:\n    de:\n      extra_months: {Lenzing: 13}\n",
            "config.yaml:4: site.languages.de.extra_months.Lenzing: must be a month's number",
        ),
        (
            "site:\n  publications:\n    - {name: Red Flag}\n",
            "config.yaml:3: site.publications[0]: needs a name and a code",
        ),
        (
            "site:\n  publications:\n    - {name: R, code: r, masthead: ['(x']}\n",
            "config.yaml:3: site.publications[0].masthead[0]: invalid regular expression",
        ),
        (
            "site:\n  masthead: 'Red Flag No\\. \\d+'\n",
            "config.yaml:2: site.masthead: needs the named group (?P<issue>...)",
        ),
        ("site:\n  defaults: maybe\n", "config.yaml:2: site.defaults: must be true or false"),
    ],
)
def test_site_errors_name_file_line_and_key(text, message):
    with pytest.raises(ConfigError) as info:
        parse_config(text, root=ROOT)
    assert str(info.value).startswith(message)
