"""``todo LANG`` through the CLI: what a language still needs, by the priorities of
config.yaml, then newest first; what the language does not want is not listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from projects import make_project
from test_coverage import catalog, edit_catalog, run_cli, write_article

PRIORITIES = [
    {"tag": "urgent", "priority": 10},
    {"article": "wv/901/*", "priority": 7},
    {"publication": "sp", "priority": 5},
    {"publication": "wv", "since": "2030-01-01", "priority": 50},  # matches nothing here
]

LANGUAGES = [
    {"code": "de", "label": "Deutsch"},
    {"code": "fr", "label": "Français", "wants": {"publications": ["wv"]}},
    {"code": "ja", "label": "Japanese", "wants": {"tags": ["theory"]}},
]


def article(title: str, *, publication: str | None, date: str | None, tags: list[str],
            body: str) -> str:  # fmt: skip
    front = [f"title: {title}", f"tags: [{', '.join(tags)}]"]
    if publication:
        front.append(f"publication: {publication}")
    if date:
        front.append(f"date: {date}")
    return "---\n" + "\n".join(front) + "\n---\n\n" + body


ARTICLES = {
    "wv/900/docks": article(
        "Dockers Win", publication="Workers Vanguard", date="2008-01-04", tags=["labor"],
        body="The dockers won their strike.\n\n## Pickets\n\nPickets stood at every gate.\n",
    ),
    "wv/902/late": article(
        "Late News", publication="Workers Vanguard", date="2008-02-01", tags=["labor"],
        body="The news came late.\n",
    ),
    "wv/901/rally": article(
        "Rally Held", publication="Workers Vanguard", date="2008-01-18", tags=[],
        body="A rally was held downtown.\n",
    ),
    "sp/60/theory": article(
        "On Theory", publication="Spartacist", date="2007-05-01", tags=["theory"],
        body="Marxism is a guide to action.\n",
    ),
    "wv/899/urgent": article(
        "Defend the Union", publication="Workers Vanguard", date="2007-12-01", tags=["urgent"],
        body="Defend the union now.\n",
    ),
    "misc/note": article(
        "A Note", publication=None, date=None, tags=[], body="This note has no date.\n"
    ),
}  # fmt: skip


@pytest.fixture
def todo_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    root = make_project(
        tmp_path / "proj",
        seed=False,
        extra={
            "languages": LANGUAGES,
            "priorities": PRIORITIES,
            "source_languages": {"*": "en"},
        },
    )
    for article_id, text in ARTICLES.items():
        write_article(root, article_id, text)
    monkeypatch.chdir(root)
    result = run_cli("run")
    assert result.exit_code == 0, result.output
    return root


def todo_json(language: str, *args: str) -> list[dict[str, object]]:
    result = run_cli("todo", language, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["language"] == language
    items: list[dict[str, object]] = data["items"]
    return items


def test_order_is_priority_then_newest_first(todo_project: Path) -> None:
    items = todo_json("de")
    assert [(i["article"], i["section"], i["priority"]) for i in items] == [
        ("wv/899/urgent", 0, 10),  # tag urgent
        ("wv/901/rally", 0, 7),  # article glob
        ("sp/60/theory", 0, 5),  # publication by its code
        ("wv/902/late", 0, 0),  # then newest first
        ("wv/900/docks", 0, 0),
        ("wv/900/docks", 1, 0),
        ("misc/note", 0, 0),  # undated last
    ]


def test_wants_leave_articles_out(todo_project: Path) -> None:
    assert [i["article"] for i in todo_json("fr")] == [
        "wv/899/urgent", "wv/901/rally", "wv/902/late", "wv/900/docks", "wv/900/docks",
    ]  # fmt: skip
    assert [i["article"] for i in todo_json("ja")] == ["sp/60/theory"]
    report = json.loads(run_cli("report", "--format", "json", "--lang", "ja").output)
    assert report["totals"]["ja"]["units"] == 2  # the theory article's title and paragraph


def test_text_lines_give_words_left_fuzzy_and_untranslated(todo_project: Path) -> None:
    de = catalog(todo_project, "de", "wv/900/docks")
    edit_catalog(
        de,
        {
            "Dockers Win": "translated",
            "The dockers won their strike.": "fuzzy",
            "Pickets": "translated",
            "Pickets stood at every gate.": "translated",
        },
    )
    edit_catalog(catalog(todo_project, "de", "wv/902/late"), dict.fromkeys(
        ["Late News", "The news came late."], "translated"
    ))  # fmt: skip
    assert run_cli("sync").exit_code == 0
    result = run_cli("todo", "de")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "priority  date        article        section    words left  fuzzy  outdated  untranslated",
        "      10  2007-12-01  wv/899/urgent  §0 (lead)           7      0         0             2",
        "       7  2008-01-18  wv/901/rally   §0 (lead)           7      0         0             2",
        "       5  2007-05-01  sp/60/theory   §0 (lead)           8      0         0             2",
        "       0  2008-01-04  wv/900/docks   §0 (lead)           5      1         0             0",
        "       0              misc/note      §0 (lead)           7      0         0             2",
        "de: 34 words left in 5 section(s) of 5 article(s): 5 fuzzy (to review), 29 untranslated",
    ]  # fmt: skip


def test_outdated_units_show_in_todo(todo_project: Path) -> None:
    de = catalog(todo_project, "de", "wv/901/rally")
    edit_catalog(de, dict.fromkeys(["Rally Held", "A rally was held downtown."], "translated"))
    assert run_cli("sync").exit_code == 0
    assert "wv/901/rally" not in [i["article"] for i in todo_json("de")]
    source = todo_project / "articles" / "wv" / "901" / "rally.md"
    source.write_text(source.read_text("utf-8").replace("downtown", "in the city centre"), "utf-8")
    assert run_cli("run").exit_code == 0
    (item,) = [i for i in todo_json("de") if i["article"] == "wv/901/rally"]
    assert {k: item[k] for k in ("words_left", "fuzzy", "outdated", "untranslated")} == {
        "words_left": 8,
        "fuzzy": 1,
        "outdated": 1,
        "untranslated": 0,
    }


def test_filters_and_nothing_left(todo_project: Path) -> None:
    assert [i["article"] for i in todo_json("de", "--publication", "sp")] == ["sp/60/theory"]
    assert [i["article"] for i in todo_json("de", "--article", "wv/90[01]/*")] == [
        "wv/901/rally", "wv/900/docks", "wv/900/docks",
    ]  # fmt: skip
    edit_catalog(catalog(todo_project, "ja", "sp/60/theory"), dict.fromkeys(
        ["On Theory", "Marxism is a guide to action."], "translated"
    ))  # fmt: skip
    assert run_cli("sync").exit_code == 0
    result = run_cli("todo", "ja")
    assert (result.exit_code, result.output) == (0, "ja: nothing left to translate\n")


def test_unconfigured_language_is_refused(todo_project: Path) -> None:
    result = run_cli("todo", "pl")
    assert result.exit_code == 2
    assert result.output == "config.yaml: language 'pl' is not configured\n"
