"""The plural table the project owns: gettext's values, config overrides, no Babel in it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from i18n_pipeline import languages
from i18n_pipeline.config import parse_config
from i18n_pipeline.languages import PLURAL_FORMS, plural_forms, table_plural_forms
from i18n_pipeline.po.plurals import parse_plural_forms

ROOT = Path("/proj")

#: The source language and the eleven targets, as translators' tools write them.
EXPECTED = {
    "en": "nplurals=2; plural=(n != 1);",
    "id": "nplurals=1; plural=0;",
    "de": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "it": "nplurals=2; plural=(n != 1);",
    "ja": "nplurals=1; plural=0;",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "pt": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "zh": "nplurals=1; plural=0;",
    "tl": "nplurals=2; plural=(n > 1);",
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_the_twelve_languages_have_gettexts_rules(code: str) -> None:
    assert plural_forms(code) == EXPECTED[code]


def test_regional_codes_fall_back_to_the_language() -> None:
    assert table_plural_forms("pt_BR") == "nplurals=2; plural=(n > 1);"
    assert table_plural_forms("pt-PT") == "nplurals=2; plural=(n != 1);"
    assert table_plural_forms("zh_Hant") == "nplurals=1; plural=0;"
    assert table_plural_forms("xx") is None


#: Languages the table adds to gettext's own (msginit writes nothing for them).
_ADDED = {"id", "zh", "th", "tl"}
#: In the table of newer gettext releases than 0.21 (Debian 12's).
_NEWER = {"ca"}


@pytest.mark.skipif(shutil.which("msginit") is None, reason="GNU gettext's msginit is missing")
@pytest.mark.parametrize("code", sorted(set(PLURAL_FORMS) - _ADDED))
def test_the_table_is_what_msginit_writes(code: str, tmp_path: Path) -> None:
    pot = tmp_path / "t.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    out = subprocess.run(
        ["msginit", "-i", str(pot), "-l", code, "--no-translator", "--no-wrap", "-o", "-"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},
    ).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith('"Plural-Forms: ')), None)
    if line is None and code in _NEWER:
        pytest.skip(f"this msginit predates the table's rule for '{code}'")
    assert line is not None, out
    assert line[len('"Plural-Forms: ') : -len('\\n"')] == PLURAL_FORMS[code]


@pytest.mark.parametrize("rule", sorted(set(PLURAL_FORMS.values())))
def test_every_rule_reads_and_chooses_a_form_it_has(rule: str) -> None:
    nplurals, choose = parse_plural_forms(rule)
    assert {choose(n) for n in range(1001)} == set(range(nplurals))


def test_config_overrides_the_table() -> None:
    config = parse_config(
        "languages:\n  - {code: tl, plural_forms: 'nplurals=2; plural=(n != 1)'}\n  - fr\n",
        root=ROOT,
    )
    assert config.language("tl").plural_forms == "nplurals=2; plural=(n != 1);"
    assert config.language("fr").plural_forms == "nplurals=2; plural=(n > 1);"


def test_babel_only_fills_in_languages_outside_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    class Fake:
        plural_forms = "nplurals=4; plural=n%4;"

    monkeypatch.setattr("babel.messages.plurals.get_plural", lambda locale=None: Fake())
    plural_forms.cache_clear()
    try:
        assert "ar" not in PLURAL_FORMS
        assert plural_forms("ar") == Fake.plural_forms
        assert plural_forms("fr") == EXPECTED["fr"]
    finally:
        plural_forms.cache_clear()
    assert languages.english_name("tl") == "Tagalog"
