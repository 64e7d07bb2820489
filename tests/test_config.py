"""config.yaml: the typed config and its errors, which name the file, line and key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n_pipeline.config import DATABASE_ENV, load_config, parse_config
from i18n_pipeline.errors import ConfigError
from i18n_pipeline.project import STARTER_CONFIG

ROOT = Path("/proj")


def test_starter_config_has_the_eleven_languages():
    config = parse_config(STARTER_CONFIG, root=ROOT)
    assert config.codes == ("id", "de", "es", "fr", "it", "ja", "pl", "pt", "ru", "zh", "tl")
    assert config.language("tl").label == "Tagalog"
    assert config.language("tl").plural_forms == "nplurals=2; plural=(n > 1);"
    assert config.language("pl").plural_forms.startswith("nplurals=3;")
    assert config.language("es").label == "Español"
    assert config.source_language == "en"
    assert config.sources == ROOT / "articles"
    assert config.catalogs == ROOT / "locales"
    assert config.database_url == "sqlite:////proj/.i18n/index.db"
    assert config.segmentation == "paragraph"
    assert config.site.publications["Workers Vanguard"] == "wv"


def test_empty_config_takes_defaults():
    config = parse_config("", root=ROOT)
    assert len(config.languages) == 11


def test_environment_overrides_database():
    config = parse_config("", root=ROOT, env={DATABASE_ENV: "postgresql+psycopg://u@h/db"})
    assert config.database_url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "languages:\n  - de\n  - fr\n  - {code: es}\n  - code: xx\n",
            "config.yaml:5: languages[3].code: unknown language 'xx'",
        ),
        ("languages: [de\n", "config.yaml:2: malformed YAML: expected ',' or ']'"),
        ("segmentation: word\n", "config.yaml:1: segmentation: must be one of paragraph, sentence"),
        ("- a\n- b\n", "config.yaml:1: the file must hold a mapping of settings"),
        ("colour: red\n", "config.yaml:1: colour: unknown setting"),
        (
            "languages:\n  - de\n  - de\n",
            "config.yaml:3: languages[1].code: language 'de' is listed twice",
        ),
        ("languages:\n  - en\n", "config.yaml:2: languages[0].code: 'en' is the source language"),
        (
            "languages:\n  - de\n  - {code: fr, plural_forms: 'nplurals=2; plural=n >'}\n",
            "config.yaml:3: languages[1].plural_forms: expected a value in plural expression",
        ),
        (
            "languages:\n  - {code: fr, plural_forms: 'plural=(n > 1);'}\n",
            "config.yaml:2: languages[0].plural_forms: expected 'nplurals=N; plural=EXPR;'",
        ),
        (
            "merge:\n  fuzzy_threshold: 150\n",
            "config.yaml:2: merge.fuzzy_threshold: must be a percentage",
        ),
        (
            "merge:\n  fuzzy_threshold: high\n",
            "config.yaml:2: merge.fuzzy_threshold: must be a number",
        ),
        (
            "thresholds:\n  - {language: xx, min: 5}\n",
            "config.yaml:2: thresholds[0].language: language 'xx' is not configured",
        ),
        (
            "site:\n  masthead: '(unclosed'\n",
            "config.yaml:2: site.masthead: invalid regular expression",
        ),
        (
            "thresholds:\n  - {language: de, since: yesterday, min: 5}\n",
            "config.yaml:2: thresholds[0].since: must be a date",
        ),
    ],
)
def test_errors_name_file_line_and_key(text, message):
    with pytest.raises(ConfigError) as info:
        parse_config(text, root=ROOT)
    assert str(info.value).startswith(message)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="no such file; run 'i18n-pipeline init'"):
        load_config(tmp_path / "config.yaml")


def test_thresholds_and_wants():
    config = parse_config(
        "languages:\n  - {code: de}\n  - {code: tl, wants: {publications: [wv]}}\n"
        "thresholds:\n  - {language: de, min: 100, publication: wv, since: 2024-01-01}\n"
        "  - {language: tl, min: 50}\n",
        root=ROOT,
    )
    de, tl = config.thresholds
    assert (de.language, de.minimum, de.scope.publication, de.scope.since) == (
        "de",
        100.0,
        "wv",
        "2024-01-01",
    )
    assert tl.scope.describe() == "overall"
    assert config.wants["tl"].publications == ("wv",)


def test_build_keep_per_language():
    config = parse_config("build:\n  keep: {default: 70, de: 95}\n", root=ROOT)
    assert config.keep_for("de") == 95.0
    assert config.keep_for("fr") == 70.0
    assert parse_config("build: {keep: 60}\n", root=ROOT).keep_for("ja") == 60.0
    with pytest.raises(ConfigError, match="build.keep.xx: unknown setting"):
        parse_config("build:\n  keep: {xx: 5}\n", root=ROOT)


def test_names_kept_in_every_language_add_to_the_publications():
    config = parse_config("checks:\n  keep: [Human Rights Watch, ' ']\n", root=ROOT)
    assert config.checks.keep == ("Human Rights Watch",)
    assert config.kept_names[0] == "Human Rights Watch"
    assert "Workers Vanguard" in config.kept_names and "Spartacist" in config.kept_names


def test_names_kept_must_be_strings():
    with pytest.raises(ConfigError, match=r"checks\.keep"):
        parse_config("checks:\n  keep: [[nested]]\n", root=ROOT)
