"""The merge of a language's catalog with a new template: the rules, one by one, and a
property test over random edit histories that no translation is ever lost."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from merge_support import SEED_TEXT, template_of, translations, write_checked
from projects import config_of, make_project

from i18n_pipeline.config import Config
from i18n_pipeline.merge import (
    DEFAULT_FUZZY_THRESHOLD,
    match_edits,
    merge_catalog,
    similarity,
)
from i18n_pipeline.model import Language
from i18n_pipeline.po.catalog import Catalog, Entry
from i18n_pipeline.po.render import render_po

DE = Language("de", "Deutsch", "German", "nplurals=2; plural=(n != 1);")

BALDWIN = "Baldwin was a contradictory figure in the history of civil liberties."
BALDWIN_EDITED = "Baldwin was a deeply contradictory figure in the history of civil liberties."
CHEKA = "The Cheka Weekly was closed down and the authors of the letter dismissed."
OTHER = "Prisoners were offered full opportunities for moral regeneration."


def template(*msgids: str, refs: dict[str, list[str]] | None = None) -> Catalog:
    refs = refs or {}
    return Catalog(
        headers=[("Project-Id-Version", "wv/1/a"), ("POT-Creation-Date", "2026-01-01 00:00+0000")],
        entries=[
            Entry(
                msgid=m,
                extracted_comments=[f"Section {i}: (lead)", "Block: paragraph"],
                references=refs.get(m, [f"articles/wv/1/a.txt:{10 * i + 1}"]),
            )
            for i, m in enumerate(msgids)
        ],
    )


def translated(catalog: Catalog, texts: dict[str, str], *, fuzzy: bool = False) -> Catalog:
    for entry in catalog.entries:
        if entry.msgid in texts:
            entry.msgstr = texts[entry.msgid]
            entry.set_fuzzy(fuzzy)
    return catalog


def merged(old: Catalog | None, new: Catalog, **kwargs: float) -> Catalog:
    return merge_catalog(old, new, DE, **kwargs)[0]


def by_msgid(catalog: Catalog) -> dict[tuple[bool, str], Entry]:
    return {(e.obsolete, e.msgid): e for e in catalog.entries}


def test_unchanged_unit_keeps_translation_state_and_notes_and_takes_new_context() -> None:
    old = translated(merged(None, template(BALDWIN, CHEKA)), {BALDWIN: "Baldwin war …"})
    old.entries[0].translator_comments = ["checked by Rosa"]
    translated(old, {CHEKA: "Die Cheka …"}, fuzzy=True)
    moved = template(CHEKA, OTHER, BALDWIN, refs={BALDWIN: ["articles/wv/1/a.txt:99"]})

    new, changes = merge_catalog(old, moved, DE)

    entries = by_msgid(new)
    baldwin, cheka = entries[False, BALDWIN], entries[False, CHEKA]
    assert (baldwin.msgstr, baldwin.state, baldwin.translator_comments) == (
        "Baldwin war …",
        "translated",
        ["checked by Rosa"],
    )
    assert baldwin.references == ["articles/wv/1/a.txt:99"]
    assert baldwin.extracted_comments == ["Section 2: (lead)", "Block: paragraph"]
    assert (cheka.msgstr, cheka.state) == ("Die Cheka …", "fuzzy")
    assert [e.msgid for e in new.entries] == [CHEKA, OTHER, BALDWIN]
    assert [(c.cause, c.msgid) for c in changes] == [("created", OTHER)]


def test_edited_unit_becomes_fuzzy_with_old_translation_and_previous_msgid() -> None:
    old = translated(merged(None, template(BALDWIN, OTHER)), {BALDWIN: "Baldwin war …"})

    new, changes = merge_catalog(old, template(BALDWIN_EDITED, OTHER), DE)

    entry = by_msgid(new)[False, BALDWIN_EDITED]
    assert (entry.msgstr, entry.state, entry.previous_msgid) == (
        "Baldwin war …",
        "fuzzy",
        BALDWIN,
    )
    assert not new.obsolete()  # the old entry's translation lives on in the fuzzy one
    assert [(c.cause, c.old_msgid, c.old_state) for c in changes] == [
        ("source-edit", BALDWIN, "translated")
    ]
    assert '#| "Baldwin was a contradictory figure' in render_po(new)


def test_below_the_threshold_an_edit_is_new_text_and_the_old_translation_obsolete() -> None:
    old = translated(merged(None, template(BALDWIN)), {BALDWIN: "Baldwin war …"})
    score = similarity(BALDWIN, BALDWIN_EDITED)
    assert DEFAULT_FUZZY_THRESHOLD < score < 100

    strict = merged(old, template(BALDWIN_EDITED), threshold=score + 0.1)

    assert by_msgid(strict)[False, BALDWIN_EDITED].state == "untranslated"
    assert by_msgid(strict)[True, BALDWIN].msgstr == "Baldwin war …"
    assert (
        by_msgid(merged(old, template(BALDWIN_EDITED), threshold=score))[
            False, BALDWIN_EDITED
        ].state
        == "fuzzy"
    )


def test_default_threshold_is_the_configured_default(tmp_path: Path) -> None:
    assert config_of(make_project(tmp_path, seed=False)).fuzzy_threshold == DEFAULT_FUZZY_THRESHOLD


def test_similarity_counts_characters_not_bytes() -> None:
    # One edit of "—" to "-" is one character of three each side (msgmerge: 3 bytes of 5).
    assert similarity("a—b", "a-b") == pytest.approx(100 * 4 / 6)


def test_disappeared_unit_is_obsolete_if_translated_and_dropped_if_not() -> None:
    old = merged(None, template(BALDWIN, CHEKA, OTHER))
    translated(old, {BALDWIN: "Baldwin war …"})
    old.entries[0].translator_comments = ["keep"]

    new, changes = merge_catalog(old, template(OTHER), DE)

    (gone,) = new.obsolete()
    assert (gone.msgid, gone.msgstr, gone.translator_comments) == (
        BALDWIN,
        "Baldwin war …",
        ["keep"],
    )
    assert gone.references == [] and gone.extracted_comments == []  # no place in the source
    assert [(c.cause, c.msgid) for c in changes] == [("obsoleted", BALDWIN)]
    assert '#~ "Baldwin was a contradictory figure' in render_po(new)


def test_obsolete_entries_stay_until_their_text_or_a_similar_one_comes_back() -> None:
    old = translated(merged(None, template(BALDWIN, OTHER)), {BALDWIN: "Baldwin war …"})
    old = merged(merged(old, template(BALDWIN_EDITED, OTHER)), template(OTHER))
    (gone,) = old.obsolete()  # the fuzzy edit, with where its translation came from
    assert (gone.msgid, gone.fuzzy, gone.previous_msgid) == (BALDWIN_EDITED, True, BALDWIN)
    assert merged(old, template(OTHER, CHEKA)).obsolete() == [gone]


def test_obsolete_unit_coming_back_is_revived_with_its_translation_and_state() -> None:
    old = translated(merged(None, template(BALDWIN, OTHER)), {BALDWIN: "Baldwin war …"})
    without = merged(old, template(OTHER))
    translated(without, {OTHER: "Gefangene …"}, fuzzy=True)

    back, changes = merge_catalog(without, template(BALDWIN, OTHER), DE)

    assert by_msgid(back)[False, BALDWIN].state == "translated"
    assert by_msgid(back)[False, OTHER].state == "fuzzy"
    assert back.obsolete() == []
    assert [(c.cause, c.msgid, c.new_state) for c in changes] == [
        ("revived", BALDWIN, "translated")
    ]


def test_fuzzy_matching_reaches_obsolete_and_already_used_entries() -> None:
    old = translated(merged(None, template(BALDWIN)), {BALDWIN: "Baldwin war …"})
    gone = merged(old, template(OTHER))
    # The obsolete entry is the only translated one like the new text.
    assert by_msgid(merged(gone, template(BALDWIN_EDITED)))[False, BALDWIN_EDITED].msgstr == (
        "Baldwin war …"
    )
    # Kept and copied: a duplicated then edited paragraph starts from the same translation.
    both = merged(old, template(BALDWIN, BALDWIN_EDITED))
    assert [e.state for e in both.entries] == ["translated", "fuzzy"]
    assert {e.msgstr for e in both.entries} == {"Baldwin war …"}


def test_previous_msgid_is_the_text_the_translation_was_made_for() -> None:
    old = translated(merged(None, template(BALDWIN)), {BALDWIN: "Baldwin war …"})
    once = merged(old, template(BALDWIN_EDITED))
    twice = merged(once, template(BALDWIN_EDITED + " Really."))
    (entry,) = twice.entries
    assert (entry.state, entry.previous_msgid) == ("fuzzy", BALDWIN)
    # A translator marked it fuzzy without a previous msgid (msgmerge would write none):
    # its own text is what the translation was made for.
    marked = translated(merged(None, template(BALDWIN)), {BALDWIN: "Baldwin?"}, fuzzy=True)
    (entry,) = merged(marked, template(BALDWIN_EDITED)).entries
    assert (entry.state, entry.previous_msgid) == ("fuzzy", BALDWIN)


def test_confirmed_or_untranslated_entries_carry_no_previous_msgid() -> None:
    old = translated(merged(None, template(BALDWIN)), {BALDWIN: "Baldwin war …"})
    fuzzy = merged(old, template(BALDWIN_EDITED))
    fuzzy.entries[0].set_fuzzy(False)  # the translator confirms it
    (entry,) = merged(fuzzy, template(BALDWIN_EDITED)).entries
    assert (entry.state, entry.previous_msgid) == ("translated", None)
    emptied = merged(old, template(BALDWIN_EDITED))
    emptied.entries[0].msgstr = ""
    (entry,) = merged(emptied, template(BALDWIN_EDITED)).entries
    assert (entry.state, entry.flags, entry.previous_msgid) == ("untranslated", [], None)


def test_duplicate_text_is_one_entry_with_every_reference(config: Config) -> None:
    blocks = SEED_TEXT.split("\n\n")
    cheka = next(i for i, b in enumerate(blocks) if b.startswith("The Cheka Weekly"))
    text = "\n\n".join(blocks[: cheka + 1] + [blocks[cheka]] + blocks[cheka + 1 :])
    catalog = merged(None, template_of(config, text))
    (entry,) = [e for e in catalog.entries if e.msgid.startswith("The Cheka Weekly")]
    assert len(entry.references) == 2


def test_plural_entries_keep_their_forms_and_change_shape_as_fuzzy() -> None:
    plural = Catalog(entries=[Entry(msgid="one prisoner", msgid_plural="{n} prisoners")])
    old = merged(None, plural)
    old.entries[0].msgstr_plural = {0: "ein Gefangener", 1: "{n} Gefangene"}
    (kept,) = merged(old, plural).entries
    assert (kept.state, kept.msgstr_plural) == (
        "translated",
        {0: "ein Gefangener", 1: "{n} Gefangene"},
    )
    (single,) = merged(old, Catalog(entries=[Entry(msgid="one prisoner")])).entries
    assert (single.state, single.msgstr) == ("fuzzy", "ein Gefangener")


def test_merging_again_changes_no_byte(config: Config) -> None:
    new = template_of(config, SEED_TEXT)
    first = merged(None, new)
    translated(first, {first.entries[3].msgid: "Übersetzt"})
    once = merged(first, new)
    assert render_po(merged(once, new)) == render_po(once)


def test_match_edits_pairs_each_old_text_once() -> None:
    assert match_edits([BALDWIN, OTHER], [BALDWIN_EDITED, BALDWIN_EDITED + " Yes.", OTHER], 60) == {
        BALDWIN_EDITED: BALDWIN
    }
    assert match_edits([BALDWIN], [CHEKA], 60) == {}


# -- property: random edit histories ------------------------------------------------------

KINDS = (
    "insert",
    "delete",
    "edit",
    "rewrite",
    "move",
    "split",
    "join",
    "duplicate",
    "translate",
    "translate",
)
Step = tuple[str, int, int, int]
steps = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.integers(0, 99),
        st.integers(0, 99),
        st.integers(0, 2**16),
    ),
    min_size=1,
    max_size=10,
)
WORDS = sorted(set(re.findall(r"[A-Za-z]{3,}", SEED_TEXT)))
PREAMBLE_BLOCKS = 11  # chrome, masthead, date, titles, "Part Two", the first paragraph
HEADINGS = ("Proletarian Justice", "Soviet Dissidents and Trotskyist Defensism")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS).lower() for _ in range(rng.randint(6, 14))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(1, 3)))


def edit_blocks(body: list[str], kind: str, i: int, j: int, rng: random.Random) -> list[str]:
    """``body`` after one edit of the given kind; headings are moved around but not edited."""
    body = list(body)
    paragraphs = [n for n, block in enumerate(body) if block not in HEADINGS]
    if kind == "insert" or not paragraphs:
        body.insert(i % (len(body) + 1), paragraph(rng))
        return body
    p = paragraphs[i % len(paragraphs)]
    if kind == "delete" and len(paragraphs) > 1:
        del body[p]
    elif kind == "edit":
        words = body[p].split(" ")
        for _ in range(rng.randint(1, 3)):
            k = rng.randrange(len(words))
            words[k] = rng.choice(WORDS).lower() + ("." if words[k].endswith(".") else "")
        body[p] = " ".join(words)
    elif kind == "rewrite":
        body[p] = paragraph(rng)
    elif kind == "move":
        block = body.pop(p)
        body.insert(j % (len(body) + 1), block)
    elif kind == "split":
        cut = body[p].find(". ")
        if cut > 0:
            body[p : p + 1] = [body[p][: cut + 1], body[p][cut + 2 :]]
    elif kind == "join" and p + 1 < len(body) and body[p + 1] not in HEADINGS:
        body[p : p + 2] = [body[p] + " " + body[p + 1]]
    elif kind == "duplicate":
        body.insert(j % (len(body) + 1), body[p])
    return body


def translate(catalog: Catalog, i: int, rng: random.Random, serial: list[int]) -> None:
    """A translator's session: new translations, confirmations, replacements."""
    for entry in catalog.active():
        if rng.random() < 0.5:
            continue
        choice = rng.random()
        if entry.state == "fuzzy" and choice < 0.5:
            entry.set_fuzzy(False)  # confirmed as it is
            continue
        serial[0] += 1
        entry.msgstr = f"Ü{serial[0]} {entry.msgid[: i % 20]}"
        entry.set_fuzzy(choice > 0.9)
        entry.previous_msgid = None


def check_merge(old: Catalog, template: Catalog, new: Catalog, written: Catalog) -> None:
    # Every translation the old catalog held is still there: translated, fuzzy or obsolete.
    assert translations(old) <= translations(new)
    for entry in new.entries:
        assert entry.obsolete or entry.state in ("translated", "fuzzy", "untranslated")
        assert not entry.obsolete or entry.msgstr  # nothing kept that holds no translation
    # The template's units in its order, each once; no text twice in the file.
    assert [e.msgid for e in new.active()] == [e.msgid for e in template.entries]
    assert len({e.msgid for e in new.entries}) == len(new.entries)
    # An unchanged unit keeps translation and state; a fuzzy one shows where it came from.
    before = {e.msgid: e for e in old.active()}
    for entry in new.active():
        if entry.msgid in before:
            assert (entry.msgstr, entry.state) == (
                before[entry.msgid].msgstr,
                before[entry.msgid].state,
            )
        if entry.state == "fuzzy" and entry.msgid not in before:
            assert entry.previous_msgid is not None
    # What was written reads back as the same catalog.
    assert render_po(written) == render_po(new)


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    return config_of(make_project(tmp_path_factory.mktemp("merge"), seed=False))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(history=steps)
def test_no_translation_is_ever_lost(config: Config, tmp_path: Path, history: list[Step]) -> None:
    blocks = SEED_TEXT.split("\n\n")
    preamble = blocks[:PREAMBLE_BLOCKS]
    body = [
        blocks[n].replace("\n", " ")
        for n in range(PREAMBLE_BLOCKS, PREAMBLE_BLOCKS + 40)
        if blocks[n] in HEADINGS or n % 4 == 0
    ]
    languages = [config.language("de"), config.language("ja")]
    template = template_of(config, "\n\n".join(preamble + body))
    catalogs = {lang.code: merge_catalog(None, template, lang)[0] for lang in languages}
    serial = [0]
    for kind, i, j, seed in history:
        rng = random.Random(seed)
        for lang in languages:
            path = tmp_path / f"{lang.code}.po"
            if kind == "translate":
                translate(catalogs[lang.code], i, rng, serial)
                catalogs[lang.code] = write_checked(catalogs[lang.code], path)
                continue
            if lang is languages[0]:
                body = edit_blocks(body, kind, i, j, rng)
                template = template_of(config, "\n\n".join(preamble + body))
            old = catalogs[lang.code]
            new, _ = merge_catalog(old, template, lang)
            written = write_checked(new, path)
            check_merge(old, template, new, written)
            catalogs[lang.code] = written
