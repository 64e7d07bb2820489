"""Translation memory: exact and fuzzy fills across articles, the fill on a new catalog at
ingest, and TMX export and import."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from lxml import etree
from projects import FIXTURES, SEED_ID, config_of, make_project, msgfmt_check
from rapidfuzz import fuzz, process
from sqlalchemy import select
from tm_support import (
    CANNON,
    CANNON_QUOTED,
    DZERZHINSKY,
    HEADING,
    SECOND_ID,
    add_article,
    add_second_article,
    catalog_of,
    entry,
    read_catalog,
    run_cli,
    set_config,
    translate,
)

from i18n_pipeline.config import TmConfig
from i18n_pipeline.po.catalog import Catalog, Entry
from i18n_pipeline.sentences import split_sentences
from i18n_pipeline.store.db import make_engine, session_scope
from i18n_pipeline.store.models import HistoryRow, UnitRow, UnitStateRow
from i18n_pipeline.tm import Memory, fill_catalog
from i18n_pipeline.tmx import TmUnit, parse_tmx, render_tmx

TMX14_DTD = etree.DTD(str(FIXTURES / "tmx" / "tmx14.dtd"))

GERMAN = {
    CANNON: "Wie der Gründer des amerikanischen Trotzkismus, James P. Cannon, bekräftigte: "
    "„Wer die russische Frage berührt, berührt eine Revolution.“ Die Sowjetunion mag "
    "untergegangen sein – aber die Notwendigkeit, die Russische Revolution zu verteidigen, ist "
    "so dringend wie eh und je.",
    DZERZHINSKY: "„Alle, die mit Durchsuchungen, Festnahmen und Inhaftierungen beauftragt "
    "sind, sollen sich den Festgenommenen gegenüber fürsorglich verhalten.“",
    HEADING: "Für neue Oktoberrevolutionen!",
}


def pair(source: str, target: str, origin: str | None, changed: str | None = None) -> TmUnit:
    return TmUnit(source, target, "en", "de", origin=origin, changed=changed)


# The memory as a value.


def test_lookup_prefers_exact_then_the_most_similar_above_the_threshold() -> None:
    memory = Memory(
        [
            pair("The workers fought heroically.", "Die Arbeiter kämpften heldenhaft.", "a"),
            pair("The workers fought heroically in 1918.", "… 1918.", "b"),
            pair("Something else entirely.", "Etwas ganz anderes.", "c"),
        ]
    )
    exact = memory.lookup("The workers fought heroically.", threshold=75)
    assert exact is not None and exact.exact and exact.unit.origin == "a"
    assert exact.describe() == "TM: exact match from a"
    near = memory.lookup("The workers fought heroically in 1919.", threshold=75)
    assert near is not None and not near.exact and near.unit.origin == "b"
    assert near.similarity == pytest.approx(
        fuzz.ratio(near.unit.source, "The workers fought heroically in 1919.")
    )
    assert near.describe() == f"TM: {int(near.similarity)}% match from b"
    assert memory.lookup("Nothing like any of them at all.", threshold=75) is None


def test_lookup_never_offers_an_articles_own_units() -> None:
    memory = Memory([pair("Proletarian Justice", "Proletarische Justiz", "wv/863/amnesty2")])
    assert memory.lookup("Proletarian Justice", threshold=75, exclude="wv/863/amnesty2") is None
    found = memory.lookup("Proletarian Justice", threshold=75, exclude="wv/870/other")
    assert found is not None and found.exact


def test_lookup_takes_the_newest_of_several_translations() -> None:
    memory = Memory(
        [
            pair("Part Two", "Zweiter Teil", "a", "2020-01-01T00:00:00Z"),
            pair("Part Two", "Teil zwei", "b", "2024-01-01T00:00:00Z"),
        ]
    )
    found = memory.lookup("Part Two", threshold=75)
    assert found is not None and found.unit.target == "Teil zwei"


def test_a_match_exactly_at_the_threshold_counts() -> None:
    source, text = "abcd", "abce"  # Indel ratio 75.0
    assert fuzz.ratio(source, text) == 75.0
    found = Memory([pair(source, "x", "a")]).lookup(text, threshold=75)
    assert found is not None and found.similarity == 75.0


def test_candidate_search_agrees_with_comparing_every_source() -> None:
    """The rare-word prefilter is a heuristic: on edited sentences of the seed among many
    distractors it finds what a full comparison finds."""
    text = (FIXTURES / "seed" / "amnesty2.txt").read_text("utf-8")
    sentences = [s for p in text.split("\n\n") for s in split_sentences(" ".join(p.split()))]
    sentences = [s for s in dict.fromkeys(sentences) if len(s.split()) >= 4]
    rng = random.Random(863)
    words = " ".join(sentences).split()
    sources = list(sentences)
    for _ in range(3000):  # distractors: shuffled words of the article
        sources.append(" ".join(rng.sample(words, rng.randint(4, 40))))
    memory = Memory(pair(s, f"t{i}", "other") for i, s in enumerate(sources))
    queries = []
    for sentence in sentences:
        tokens = sentence.split()
        tokens[rng.randrange(len(tokens))] = rng.choice(words)
        queries.append(" ".join(tokens))
    found = 0
    for query in queries:
        best = process.extractOne(query, sources, scorer=fuzz.ratio, score_cutoff=75)
        match = memory.lookup(query, threshold=75)
        assert (match.similarity if match else None) == (best[1] if best else None), query
        found += best is not None
    assert found > len(queries) // 2


def test_fill_catalog_leaves_translated_fuzzy_and_plural_entries_alone() -> None:
    memory = Memory([pair("Proletarian Justice", "Proletarische Justiz", "a")])
    catalog = Catalog(
        entries=[
            Entry("Proletarian Justice", msgstr="Schon übersetzt"),
            Entry("Proletarian Justice!", msgstr="Unscharf", flags=["fuzzy"]),
            Entry("Proletarian Justices", msgid_plural="x", msgstr_plural={0: "", 1: ""}),
            Entry("Proletarian Justice.", obsolete=True),
        ]
    )
    assert fill_catalog(catalog, memory, article_id="b", config=TmConfig()) == []
    assert [e.msgstr for e in catalog.entries] == ["Schon übersetzt", "Unscharf", "", ""]


@pytest.mark.parametrize(
    ("exact", "min_words", "short", "long"),
    [
        ("auto", 8, "fuzzy", "translated"),
        ("auto", 3, "translated", "translated"),
        ("translated", 8, "translated", "translated"),
        ("fuzzy", 8, "fuzzy", "fuzzy"),
    ],
)
def test_exact_matches_are_translated_or_fuzzy_as_configured(
    exact: str, min_words: int, short: str, long: str
) -> None:
    memory = Memory(
        [pair(HEADING, GERMAN[HEADING], "a"), pair(DZERZHINSKY, GERMAN[DZERZHINSKY], "a")]
    )
    catalog = Catalog(entries=[Entry(HEADING), Entry(DZERZHINSKY)])
    config = TmConfig(exact_state=exact, exact_min_words=min_words)
    fills = fill_catalog(catalog, memory, article_id="b", config=config)
    assert [f.state for f in fills] == [short, long]
    assert [e.state for e in catalog.entries] == [short, long]
    assert all(e.previous_msgid is None for e in catalog.entries)


# tm fill over a project.


@pytest.fixture
def two_articles(project: Path) -> Path:
    """The seed and a later article quoting it, ingested, with the seed partly in German."""
    return _with_two_articles(project)


@pytest.fixture
def two_articles_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str) -> Path:
    """The same on SQLite and on PostgreSQL."""
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    root = make_project(tmp_path / "proj", languages=("de", "fr", "ja"), database_url=db_url)
    monkeypatch.chdir(root)
    return _with_two_articles(root)


def _with_two_articles(project: Path) -> Path:
    add_second_article(project)
    assert run_cli("ingest").exit_code == 0
    translate(catalog_of(project, "de"), GERMAN)
    assert run_cli("sync").exit_code == 0
    return project


def test_tm_fill_exact_and_fuzzy_across_two_articles(two_articles: Path) -> None:
    result = run_cli("tm", "fill", "--lang", "de")
    assert result.exit_code == 0, result.output
    second = catalog_of(two_articles, "de", SECOND_ID)
    assert result.stdout == f"locales/de/{SECOND_ID}.po: 1 translated, 2 fuzzy\n"
    assert result.stderr == "tm fill: 3 unit(s) filled in 1 catalog(s)\n"
    catalog = read_catalog(second)

    quote = entry(catalog, DZERZHINSKY)  # the shared quotation: exact, 85 words
    assert (quote.state, quote.msgstr) == ("translated", GERMAN[DZERZHINSKY])
    assert quote.translator_comments == [f"TM: exact match from {SEED_ID}"]
    assert quote.previous_msgid is None

    heading = entry(catalog, HEADING)  # exact, but only 4 words
    assert (heading.state, heading.msgstr) == ("fuzzy", GERMAN[HEADING])
    assert heading.translator_comments == [f"TM: exact match from {SEED_ID}"]

    cannon = entry(catalog, CANNON_QUOTED)  # the Cannon paragraph, edited
    similarity = int(fuzz.ratio(CANNON, CANNON_QUOTED))
    assert similarity == 92
    assert (cannon.state, cannon.msgstr) == ("fuzzy", GERMAN[CANNON])
    assert cannon.translator_comments == [f"TM: {similarity}% match from {SEED_ID}"]
    assert cannon.previous_msgid == CANNON

    assert msgfmt_check(second) == ""
    untouched = [e for e in catalog.entries if e.msgid not in GERMAN and e.msgid != CANNON_QUOTED]
    assert all(e.msgstr == "" and not e.translator_comments for e in untouched)
    for language in ("fr", "ja"):  # nothing to offer there
        assert all(
            not e.msgstr
            for e in read_catalog(catalog_of(two_articles, language, SECOND_ID)).entries
        )


def test_tm_fill_records_states_and_history(two_articles_on: Path) -> None:
    assert run_cli("tm", "fill").exit_code == 0
    engine = make_engine(config_of(two_articles_on).database_url)
    with session_scope(engine) as session:
        rows = session.execute(
            select(UnitRow.msgid, UnitStateRow.state, HistoryRow.cause)
            .join(UnitStateRow, UnitStateRow.unit_pk == UnitRow.id)
            .join(HistoryRow, (HistoryRow.unit_pk == UnitRow.id) & (HistoryRow.cause == "tm"))
            .where(UnitStateRow.language == "de")
        ).all()
    assert sorted((msgid[:20], state) for msgid, state, _ in rows) == sorted(
        [(DZERZHINSKY[:20], "translated"), (HEADING[:20], "fuzzy"), (CANNON_QUOTED[:20], "fuzzy")]
    )
    sync = run_cli("sync")
    assert "0 change(s) recorded" in sync.stderr


def test_tm_fill_twice_changes_nothing_and_respects_the_article_glob(two_articles: Path) -> None:
    assert run_cli("tm", "fill", "--article", "wv/863/*").stderr == (
        "tm fill: 0 unit(s) filled in 0 catalog(s)\n"
    )
    assert run_cli("tm", "fill").exit_code == 0
    second = catalog_of(two_articles, "de", SECOND_ID).read_bytes()
    again = run_cli("tm", "fill")
    assert again.stderr == "tm fill: 0 unit(s) filled in 0 catalog(s)\n"
    assert catalog_of(two_articles, "de", SECOND_ID).read_bytes() == second


def test_tm_fill_unknown_language(project: Path) -> None:
    result = run_cli("tm", "fill", "--lang", "xx")
    assert result.exit_code == 2
    assert result.stderr == "config.yaml: language 'xx' is not configured\n"


# The fill of a new catalog at ingest: the issue's "done when".


def test_ingest_offers_the_memory_to_a_new_catalog(project: Path) -> None:
    assert run_cli("ingest").exit_code == 0
    translate(catalog_of(project, "de"), {CANNON: GERMAN[CANNON]})  # not synced yet
    add_second_article(project)
    result = run_cli("ingest", f"articles/{SECOND_ID}.txt")
    assert result.exit_code == 0, result.output
    catalog = read_catalog(catalog_of(project, "de", SECOND_ID))
    cannon = entry(catalog, CANNON_QUOTED)
    assert (cannon.state, cannon.msgstr) == ("fuzzy", GERMAN[CANNON])
    assert cannon.translator_comments == [f"TM: 92% match from {SEED_ID}"]
    assert sum(bool(e.msgstr) for e in catalog.entries) == 1
    assert all(not e.msgstr for e in read_catalog(catalog_of(project, "fr", SECOND_ID)).entries)


def test_ingest_leaves_new_catalogs_empty_when_configured_so(project: Path) -> None:
    set_config(project, tm={"on_new_catalog": False})
    assert run_cli("ingest").exit_code == 0
    translate(catalog_of(project, "de"), GERMAN)
    add_second_article(project)
    assert run_cli("ingest").exit_code == 0
    assert all(not e.msgstr for e in read_catalog(catalog_of(project, "de", SECOND_ID)).entries)


def test_ingest_offers_only_to_new_catalogs(project: Path) -> None:
    add_second_article(project)
    assert run_cli("ingest").exit_code == 0
    translate(catalog_of(project, "de"), GERMAN)
    assert run_cli("ingest").exit_code == 0
    assert all(not e.msgstr for e in read_catalog(catalog_of(project, "de", SECOND_ID)).entries)


# TMX.


def _memory_project(root: Path, database_url: str | None = None) -> Path:
    make_project(root, languages=("de", "fr", "ja"), database_url=database_url)
    add_article(root, FIXTURES / "articles" / "harbour.md", "wv/900/harbour")
    return root


def test_tmx_round_trip_through_an_empty_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    monkeypatch.delenv("I18N_PIPELINE_DATABASE_URL", raising=False)
    first = _memory_project(tmp_path / "first", db_url)  # the second one is on SQLite
    monkeypatch.chdir(first)
    assert run_cli("ingest").exit_code == 0
    translate(catalog_of(first, "de"), GERMAN)
    translate(catalog_of(first, "fr"), {HEADING: "Pour de nouvelles révolutions d’Octobre !"})
    harbour = catalog_of(first, "de", "wv/900/harbour")
    linked = translate(harbour, lambda msgid: f"DE {msgid}" if "<" in msgid else None)
    assert linked  # units with inline markup: <strong>, <a href="…">
    translate(harbour, {"Harbour Strike Spreads": "Hafenstreik weitet sich aus"}, fuzzy=True)
    assert run_cli("sync").exit_code == 0
    exported = run_cli("tm", "export", "--format", "tmx")
    assert exported.exit_code == 0, exported.output
    document = exported.stdout.encode("utf-8")
    assert TMX14_DTD.validate(etree.fromstring(document)), TMX14_DTD.error_log
    units = parse_tmx(document, "first.tmx")
    assert {(u.target_language, u.source) for u in units} == {
        *(("de", source) for source in GERMAN),
        ("fr", HEADING),
        *(("de", source) for source in linked),
    }  # the fuzzy entry is not in the memory
    (tmp_path / "first.tmx").write_bytes(document)

    second = make_project(tmp_path / "second", languages=("de", "fr", "ja"), seed=False)
    monkeypatch.chdir(second)
    imported = run_cli("tm", "import", str(tmp_path / "first.tmx"))
    assert imported.exit_code == 0, imported.output
    assert (
        imported.stdout
        == f"{tmp_path / 'first.tmx'}: {len(units)} pair(s) added, 0 already in the memory\n"
    )
    again = run_cli("tm", "export")
    assert again.stdout.encode("utf-8") == document
    assert parse_tmx(again.stdout.encode("utf-8"), "second.tmx") == units
    twice = run_cli("tm", "import", str(tmp_path / "first.tmx"))
    assert twice.stdout.endswith(f": 0 pair(s) added, {len(units)} already in the memory\n")


def test_imported_pairs_fill_catalogs(project: Path, tmp_path: Path) -> None:
    tmx = tmp_path / "old.tmx"
    heading = "Proletarian Justice"
    memory = TmUnit(heading, "Proletarische Justiz", "en", "de", origin="old-site/justice")
    tmx.write_bytes(render_tmx([memory], tool_version="0"))
    assert run_cli("ingest").exit_code == 0
    assert run_cli("tm", "import", str(tmx)).exit_code == 0
    assert run_cli("tm", "fill", "--lang", "de").exit_code == 0
    filled = entry(read_catalog(catalog_of(project, "de")), heading)
    assert (filled.msgstr, filled.state) == ("Proletarische Justiz", "fuzzy")  # two words
    assert filled.translator_comments == ["TM: exact match from old-site/justice"]


def test_import_skips_languages_the_project_does_not_translate(
    project: Path, tmp_path: Path
) -> None:
    tmx = tmp_path / "mixed.tmx"
    tmx.write_bytes(
        render_tmx(
            [
                TmUnit("Part Two", "Zweiter Teil", "en", "de"),
                TmUnit("Part Two", "Segunda parte", "en", "es"),
                TmUnit("Part Two", "Deuxième partie", "en", "fr"),
            ],
            tool_version="0",
        )
    )
    result = run_cli("tm", "import", str(tmx))
    assert result.exit_code == 0
    assert result.stdout == f"{tmx}: 2 pair(s) added, 0 already in the memory\n"
    assert result.stderr == (
        f"{tmx}: skipped pairs in languages the project does not translate: es (1)\n"
    )


def test_import_refuses_a_malformed_document_and_changes_nothing(project: Path) -> None:
    bad = FIXTURES / "tmx" / "wrong_version.tmx"
    result = run_cli("tm", "import", str(bad))
    assert result.exit_code == 2
    assert result.stderr == f"{bad}:2: <tmx> has version '1.1', expected version '1.4'\n"
    missing = run_cli("tm", "import", "nowhere.tmx")
    assert missing.exit_code == 2
    assert missing.stderr == "nowhere.tmx: no such file\n"
    assert parse_tmx(run_cli("tm", "export").stdout.encode("utf-8"), "empty.tmx") == []
