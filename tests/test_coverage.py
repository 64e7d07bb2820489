"""Coverage counts through the real path (articles → ingest → catalogs edited → sync →
report --format json) on tmp projects with hand-made translations: exact numbers per
section and language, the contract's sums at every level, wants, and outdated units."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from projects import config_of, make_project, msgfmt_check

from i18n_pipeline.cli import main
from i18n_pipeline.model import Counts, count_words
from i18n_pipeline.pipeline import ingest
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.po.render import render_po
from i18n_pipeline.report.coverage import ReportOptions, compute_coverage, coverage_json
from i18n_pipeline.store.db import make_engine
from i18n_pipeline.sync import sync

DOCKS = """\
---
publication: Workers Vanguard
issue: "900"
date: 2008-01-04
title: Dockers Win Strike
tags: [labor]
---

The dockers won their strike.

Their union held firm.

## Picket Lines

Pickets stood at every gate.

## What Next

The fight goes on.
"""

THEORY = """\
---
publication: Spartacist
issue: "60"
date: 2007-05-01
title: On Theory
tags: [theory]
---

Marxism is a guide to action.

## History

History moves in struggle.
"""

#: de takes on everything, fr only Workers Vanguard, ja only articles tagged theory.
LANGUAGES = [
    {"code": "de", "label": "Deutsch"},
    {"code": "fr", "label": "Français", "wants": {"publications": ["wv"]}},
    {"code": "ja", "label": "Japanese", "wants": {"tags": ["theory"]}},
]

#: The counts of a COUNTS object besides percent: the contract's and outdated.
COUNT_KEYS = tuple(f.name for f in fields(Counts))


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write_article(root: Path, article_id: str, text: str) -> Path:
    path = root / "articles" / f"{article_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def make_coverage_project(root: Path, *, database_url: str | None = None) -> Path:
    """Two hand-made articles in two publications; three languages with different wants."""
    make_project(
        root,
        seed=False,
        database_url=database_url,
        extra={"languages": LANGUAGES, "source_languages": {"*": "en"}},
    )
    write_article(root, "wv/900/docks", DOCKS)
    write_article(root, "sp/60/theory", THEORY)
    return root


def catalog(root: Path, language: str, article_id: str) -> Path:
    return root / "locales" / language / f"{article_id}.po"


_touches = iter(range(1, 1 << 30))


def edit_catalog(path: Path, states: Mapping[str, str]) -> None:
    """Set entries (by msgid) to translated, fuzzy (a translator's mark) or untranslated."""
    po = parse_po(path.read_bytes())
    for entry in po.entries:
        state = states.get(entry.msgid)
        if state is None or entry.obsolete:
            continue
        entry.msgstr = "" if state == "untranslated" else f"«{entry.msgid}»"
        entry.set_fuzzy(state == "fuzzy")
    path.write_text(render_po(po), "utf-8")
    # A later mtime than any before, even within the file system's clock resolution.
    stamp = path.stat().st_mtime_ns + next(_touches) * 1_000_000
    os.utime(path, ns=(stamp, stamp))


def counts(**values: int) -> dict[str, int]:
    """A COUNTS object without percent: unspecified counts are 0."""
    return {key: values.get(key, 0) for key in COUNT_KEYS}


def without_percent(c: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in c.items() if k != "percent"}


def check_contract(report: Mapping[str, Any]) -> None:
    """What contracts/coverage.md promises of every report."""
    assert report["schema"] == "i18n-pipeline/coverage/1"
    assert isinstance(report["generated_at"], str) and report["generated_at"].endswith("Z")
    assert isinstance(report["source_language"], str)
    codes = [lang["code"] for lang in report["languages"]]
    for lang in report["languages"]:
        assert set(lang) == {"code", "label", "name"}
    assert list(report["totals"]) == codes
    summed = {code: dict.fromkeys(COUNT_KEYS, 0) for code in codes}
    for article in report["articles"]:
        for key in ("id", "title", "source_language", "source_path", "publication", "issue",
                    "date", "units", "words", "languages", "sections"):  # fmt: skip
            assert key in article, key
        assert article["sections"][0]["index"] == 0
        assert article["sections"][0]["title"] is None
        assert sum(s["units"] for s in article["sections"]) == article["units"]
        assert sum(s["words"] for s in article["sections"]) == article["words"]
        for code, c in article["languages"].items():
            check_counts(c)
            assert (c["units"], c["words"]) == (article["units"], article["words"])
            for key in COUNT_KEYS:
                assert c[key] == sum(s["languages"][code][key] for s in article["sections"])
                summed[code][key] += c[key]
        for section in article["sections"]:
            assert set(section["languages"]) == set(article["languages"])
            for c in section["languages"].values():
                check_counts(c)
                assert (c["units"], c["words"]) == (section["units"], section["words"])
    for code, c in report["totals"].items():
        check_counts(c)
        assert without_percent(c) == summed[code]


def check_counts(c: Mapping[str, Any]) -> None:
    assert set(c) == {*COUNT_KEYS, "percent"}
    assert all(isinstance(c[k], int) and c[k] >= 0 for k in COUNT_KEYS), c
    assert c["units"] == c["translated"] + c["fuzzy"] + c["untranslated"]
    assert c["words"] == c["translated_words"] + c["fuzzy_words"] + c["untranslated_words"]
    assert c["outdated"] <= c["fuzzy"] and c["outdated_words"] <= c["fuzzy_words"]
    expected = 100.0 if c["words"] == 0 else round(100 * c["translated_words"] / c["words"], 1)
    assert c["percent"] == expected


def report_json(*args: str) -> dict[str, Any]:
    result = run_cli("report", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    check_contract(data)
    return data


@pytest.fixture
def coverage_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    root = make_coverage_project(tmp_path / "proj")
    monkeypatch.chdir(root)
    result = run_cli("run")
    assert result.exit_code == 0, result.output
    return root


def sections_of(report: Mapping[str, Any], article_id: str) -> list[dict[str, Any]]:
    (article,) = [a for a in report["articles"] if a["id"] == article_id]
    sections: list[dict[str, Any]] = article["sections"]
    return sections


def test_hand_made_translations_give_exact_counts(coverage_project: Path) -> None:
    root = coverage_project
    edit_catalog(
        catalog(root, "de", "wv/900/docks"),
        {
            "Dockers Win Strike": "translated",
            "The dockers won their strike.": "translated",
            "Their union held firm.": "fuzzy",
            "Picket Lines": "translated",
        },
    )
    edit_catalog(catalog(root, "fr", "wv/900/docks"), {"The fight goes on.": "translated"})
    edit_catalog(catalog(root, "ja", "sp/60/theory"), {"History": "translated"})
    assert run_cli("sync").exit_code == 0
    report = report_json()

    assert [lang["code"] for lang in report["languages"]] == ["de", "fr", "ja"]
    assert [a["id"] for a in report["articles"]] == ["sp/60/theory", "wv/900/docks"]
    docks = sections_of(report, "wv/900/docks")
    assert [(s["index"], s["title"], s["units"], s["words"]) for s in docks] == [
        (0, None, 3, 12),
        (1, "Picket Lines", 2, 7),
        (2, "What Next", 2, 6),
    ]
    assert [without_percent(s["languages"]["de"]) for s in docks] == [
        counts(units=3, translated=2, fuzzy=1, words=12, translated_words=8, fuzzy_words=4),
        counts(units=2, translated=1, untranslated=1, words=7, translated_words=2,
               untranslated_words=5),
        counts(units=2, untranslated=2, words=6, untranslated_words=6),
    ]  # fmt: skip
    assert [without_percent(s["languages"]["fr"]) for s in docks] == [
        counts(units=3, untranslated=3, words=12, untranslated_words=12),
        counts(units=2, untranslated=2, words=7, untranslated_words=7),
        counts(units=2, translated=1, untranslated=1, words=6, translated_words=4,
               untranslated_words=2),
    ]  # fmt: skip
    assert [set(s["languages"]) for s in docks] == [{"de", "fr"}] * 3  # ja does not want it
    theory = sections_of(report, "sp/60/theory")
    assert [(s["index"], s["title"], s["units"], s["words"]) for s in theory] == [
        (0, None, 2, 8),
        (1, "History", 2, 5),
    ]
    assert [set(s["languages"]) for s in theory] == [{"de", "ja"}] * 2  # fr wants wv only
    assert without_percent(theory[1]["languages"]["ja"]) == counts(
        units=2, translated=1, untranslated=1, words=5, translated_words=1, untranslated_words=4
    )
    totals = report["totals"]
    assert totals["de"] == {
        **counts(units=11, translated=3, fuzzy=1, untranslated=7, words=38, translated_words=10,
                 fuzzy_words=4, untranslated_words=24),
        "percent": 26.3,
    }  # fmt: skip
    assert totals["fr"] == {
        **counts(units=7, translated=1, untranslated=6, words=25, translated_words=4,
                 untranslated_words=21),
        "percent": 16.0,
    }  # fmt: skip
    assert totals["ja"] == {
        **counts(units=4, translated=1, untranslated=3, words=13, translated_words=1,
                 untranslated_words=12),
        "percent": 7.7,
    }  # fmt: skip


def test_outdated_units_are_counted_apart_from_a_translators_fuzzy(
    coverage_project: Path,
) -> None:
    root = coverage_project
    de = catalog(root, "de", "wv/900/docks")
    edit_catalog(
        de,
        {
            "The dockers won their strike.": "translated",
            "Their union held firm.": "fuzzy",
            "Pickets stood at every gate.": "translated",
        },
    )
    assert run_cli("sync").exit_code == 0
    source = root / "articles" / "wv" / "900" / "docks.md"
    source.write_text(
        source.read_text("utf-8").replace("won their strike.", "won their long strike."), "utf-8"
    )
    assert run_cli("run").exit_code == 0
    assert msgfmt_check(de) == ""
    lead = sections_of(report_json(), "wv/900/docks")[0]["languages"]
    assert without_percent(lead["de"]) == counts(
        units=3, translated=0, fuzzy=2, untranslated=1, words=13, fuzzy_words=10,
        untranslated_words=3, outdated=1, outdated_words=6,
    )  # fmt: skip
    # fr had no translation of the edited unit: nothing of it is outdated.
    assert lead["fr"]["outdated"] == 0 and lead["fr"]["fuzzy"] == 0

    # The translator reviews the outdated unit: it is translated, no longer outdated, and
    # the fuzzy mark they set themselves stays a plain fuzzy.
    edit_catalog(de, {"The dockers won their long strike.": "translated"})
    assert run_cli("sync").exit_code == 0
    lead = sections_of(report_json(), "wv/900/docks")[0]["languages"]
    assert without_percent(lead["de"]) == counts(
        units=3, translated=1, fuzzy=1, untranslated=1, words=13, translated_words=6,
        fuzzy_words=4, untranslated_words=3,
    )  # fmt: skip


def test_a_translator_marking_an_entry_fuzzy_is_not_outdated(coverage_project: Path) -> None:
    de = catalog(coverage_project, "de", "wv/900/docks")
    edit_catalog(de, {"Pickets stood at every gate.": "translated"})
    assert run_cli("sync").exit_code == 0
    edit_catalog(de, {"Pickets stood at every gate.": "fuzzy"})
    assert run_cli("run").exit_code == 0
    picket = sections_of(report_json(), "wv/900/docks")[1]["languages"]["de"]
    assert (picket["fuzzy"], picket["fuzzy_words"], picket["outdated"]) == (1, 5, 0)


def test_filters_select_articles_and_languages(coverage_project: Path) -> None:
    assert [a["id"] for a in report_json("--publication", "sp")["articles"]] == ["sp/60/theory"]
    assert [a["id"] for a in report_json("--publication", "Workers Vanguard")["articles"]] == [
        "wv/900/docks"
    ]
    assert [a["id"] for a in report_json("--article", "wv/*")["articles"]] == ["wv/900/docks"]
    assert [a["id"] for a in report_json("--since", "2008-01")["articles"]] == ["wv/900/docks"]
    only_ja = report_json("--lang", "ja")
    assert list(only_ja["totals"]) == ["ja"]
    assert [list(a["languages"]) for a in only_ja["articles"]] == [["ja"], []]
    # A language that wants none of the selected articles has nothing counted against it.
    fr = report_json("--lang", "fr", "--publication", "sp")["totals"]["fr"]
    assert fr == {**counts(), "percent": 100.0}


def test_csv_has_one_row_per_article_section_and_wanted_language(coverage_project: Path) -> None:
    result = run_cli("report", "--format", "csv")
    assert result.exit_code == 0
    rows = result.output.splitlines()
    assert rows[0].startswith("article_id,title,publication,issue,date,section_index")
    keys = [tuple(row.split(",")[i] for i in (0, 5, 7)) for row in rows[1:]]
    assert keys == [
        ("sp/60/theory", "0", "de"), ("sp/60/theory", "0", "ja"),
        ("sp/60/theory", "1", "de"), ("sp/60/theory", "1", "ja"),
        ("wv/900/docks", "0", "de"), ("wv/900/docks", "0", "fr"),
        ("wv/900/docks", "1", "de"), ("wv/900/docks", "1", "fr"),
        ("wv/900/docks", "2", "de"), ("wv/900/docks", "2", "fr"),
    ]  # fmt: skip


# The sums, over random catalogs, through ingest, the catalogs on disk, sync and coverage.

STATES = st.sampled_from(["translated", "fuzzy", "untranslated"])
EDITS = [
    ("Their union held firm.", "Their union held firm to the end."),
    ("Pickets stood at every gate.", "Pickets stood at each gate."),
    ("History moves in struggle.", "History moves through class struggle."),
]


def expected_from_catalogs(root: Path, code: str, article_id: str) -> dict[str, int]:
    """Counts of one catalog as the files say, for comparison with the index."""
    c = dict.fromkeys(COUNT_KEYS, 0)
    for entry in parse_po(catalog(root, code, article_id).read_bytes()).entries:
        if entry.obsolete:
            continue
        words = count_words(entry.msgid)
        c["units"] += 1
        c["words"] += words
        c[entry.state] += 1
        c[f"{entry.state}_words"] += words
    return c


# Each example builds a project: no shrinking (minutes); the failing example is printed.
@settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.data(),
    edit=st.sampled_from([None, *range(len(EDITS))]),
)
def test_counts_add_up_over_random_catalogs(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject, edit: int | None
) -> None:
    root = make_coverage_project(tmp_path_factory.mktemp("random") / "proj")
    config = config_of(root)
    engine = make_engine(config.database_url)
    assert ingest(config, engine).ok
    if edit is not None:
        # A translated catalog whose source then changes: outdated units appear.
        for code, article_id in (("de", "wv/900/docks"), ("de", "sp/60/theory")):
            path = catalog(root, code, article_id)
            msgids = [e.msgid for e in parse_po(path.read_bytes()).entries]
            edit_catalog(path, dict.fromkeys(msgids, "translated"))
        assert sync(config, engine).ok
        old, new = EDITS[edit]
        for path in (root / "articles").rglob("*.md"):
            path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
        assert ingest(config, engine).ok
    pairs = [("de", "wv/900/docks"), ("fr", "wv/900/docks"), ("de", "sp/60/theory"),
             ("ja", "sp/60/theory")]  # fmt: skip
    for code, article_id in pairs:
        path = catalog(root, code, article_id)
        msgids = [e.msgid for e in parse_po(path.read_bytes()).entries if not e.obsolete]
        states = data.draw(st.lists(STATES, min_size=len(msgids), max_size=len(msgids)))
        edit_catalog(path, dict(zip(msgids, states, strict=True)))
    assert sync(config, engine).ok

    report = coverage_json(compute_coverage(config, engine, ReportOptions()))
    check_contract(report)
    for code, article_id in pairs:
        (article,) = [a for a in report["articles"] if a["id"] == article_id]
        got = without_percent(article["languages"][code])
        expected = expected_from_catalogs(root, code, article_id)
        assert {k: v for k, v in got.items() if not k.startswith("outdated")} == {
            k: v for k, v in expected.items() if not k.startswith("outdated")
        }
    engine.dispose()
