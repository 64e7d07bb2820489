"""The merge against GNU msgmerge --previous on before/after pairs of the seed article.

Both merge the same old catalog (translated, untranslated, translator-fuzzy and obsolete
entries) with the same new template; the results must have the same msgids in the same
states (translated, fuzzy, untranslated), the same obsolete entries, the same translation in
each entry and the same previous msgid on each fuzzy one.

Deliberate differences, none of which these pairs meet (the checks would show them):

- similarity is counted in characters, msgmerge counts UTF-8 bytes; the two can fall on
  different sides of the threshold for an edit of non-ASCII text;
- an old entry that was fuzzy without a previous msgid passes its msgid on as the previous
  one, where msgmerge writes no ``#|`` line (see ``test_merge.py``);
- msgmerge's fuzzy index only considers old entries that share a run of four bytes with the
  new text; here every old translation is compared, so a short text such as "1918" can
  find "1917" where msgmerge finds nothing (shown by a test below);
- ties between equally similar old entries go to the first in the old catalog; msgmerge's
  fuzzy index may pick another.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from merge_support import HAVE_MSGMERGE, SEED_TEXT, msgmerge, states, template_of
from projects import config_of, make_project

from i18n_pipeline.config import Config
from i18n_pipeline.merge import merge_catalog
from i18n_pipeline.po.catalog import Catalog, Entry

pytestmark = pytest.mark.skipif(not HAVE_MSGMERGE, reason="GNU msgmerge is not installed")

Edit = Callable[[list[str]], list[str]]


def _at(blocks: list[str], start: str) -> int:
    (index,) = [i for i, block in enumerate(blocks) if block.startswith(start)]
    return index


def replace_in(start: str, old: str, new: str) -> Edit:
    def edit(blocks: list[str]) -> list[str]:
        i = _at(blocks, start)
        assert old in blocks[i]
        return blocks[:i] + [blocks[i].replace(old, new)] + blocks[i + 1 :]

    return edit


def delete(start: str) -> Edit:
    return lambda blocks: [b for b in blocks if not b.startswith(start)]


def move(start: str, after: str) -> Edit:
    def edit(blocks: list[str]) -> list[str]:
        moved = blocks.pop(_at(blocks, start))
        blocks.insert(_at(blocks, after) + 1, moved)
        return blocks

    return edit


def insert(text: str, after: str) -> Edit:
    def edit(blocks: list[str]) -> list[str]:
        blocks.insert(_at(blocks, after) + 1, text)
        return blocks

    return edit


def split(start: str, at: str) -> Edit:
    def edit(blocks: list[str]) -> list[str]:
        i = _at(blocks, start)
        head, tail = blocks[i].split(at, 1)
        return blocks[:i] + [head.rstrip(), (at + tail).lstrip()] + blocks[i + 1 :]

    return edit


def join(start: str) -> Edit:
    def edit(blocks: list[str]) -> list[str]:
        i = _at(blocks, start)
        return blocks[:i] + [blocks[i] + " " + blocks[i + 1]] + blocks[i + 2 :]

    return edit


def duplicate(start: str, after: str) -> Edit:
    def edit(blocks: list[str]) -> list[str]:
        blocks.insert(_at(blocks, after) + 1, blocks[_at(blocks, start)])
        return blocks

    return edit


def everywhere(old: str, new: str) -> Edit:
    return lambda blocks: [b.replace(old, new) for b in blocks]


def apply(text: str, *edits: Edit) -> str:
    blocks = text.split("\n\n")
    for edit in edits:
        blocks = edit(list(blocks))
    return "\n\n".join(blocks)


REWRITTEN = (
    "Liberal critics of the war in Iraq later asked why the organization said so little, "
    "so late; the answer lies in the class interests it has served since its founding."
)
HALF = "Significantly, the imperialist “democracies” had little problem with the Moscow Trials."
LOST = "The Cheka Weekly was closed down"

# name: (edits from the seed to the old article, edits from the seed to the new one)
PAIRS: dict[str, tuple[tuple[Edit, ...], tuple[Edit, ...]]] = {
    "sentence changed": (
        (),
        (replace_in("Baldwin was", "a contradictory figure", "a deeply contradictory man"),),
    ),
    "paragraph deleted": ((), (delete("Also excluded from AI"),)),
    "paragraph moved to another section": (
        (),
        (move(LOST, "Soviet Dissidents and Trotskyist Defensism"),),
    ),
    "paragraph split": ((), (split("Baldwin was", "But he was also"),)),
    "paragraphs joined": ((), (join("One prominent member of AI"),)),
    "paragraph duplicated": ((), (duplicate("For this task not only", "Prisoners were"),)),
    "paragraph rewritten": (
        (),
        (
            replace_in("In the past period", "In the past period", REWRITTEN),
            delete("In the past period"),
        ),
    ),
    "paragraph inserted": ((), (insert(REWRITTEN, "Proletarian Justice"),)),
    "heading edited": (
        (),
        (replace_in("Proletarian Justice", "Proletarian Justice", "Proletarian Justice in 1918"),),
    ),
    "sections reordered": (
        (),
        (
            move("Proletarian Justice", "Soviet Dissidents and Trotskyist Defensism"),
            move("It would have been a crime", "Proletarian Justice"),
        ),
    ),
    "small fixes everywhere": ((), (everywhere(" AI ", " Amnesty "),)),
    "half of a paragraph rewritten": (
        (),
        (
            replace_in(
                "Significantly,",
                "The conservative Kremlin bureaucracy",
                "Washington and London saw in Stalin a partner for the status quo. The "
                "conservative Kremlin bureaucracy",
            ),
            replace_in("Significantly,", HALF, "The Western press applauded the verdicts."),
        ),
    ),
    "the demo edit: change, delete, move": (
        (),
        (
            replace_in("Baldwin was", "a contradictory figure", "a deeply contradictory man"),
            delete("Also excluded from AI"),
            move(LOST, "Soviet Dissidents and Trotskyist Defensism"),
        ),
    ),
    "a deleted paragraph comes back": ((delete(LOST),), ()),
    "an edited paragraph is edited again": (
        (replace_in("Baldwin was", "a contradictory figure", "a contradictory man"),),
        (replace_in("Baldwin was", "a contradictory figure", "an odd figure"),),
    ),
}


def old_catalog(config: Config, before: str, seed_template: Catalog) -> Catalog:
    """The German catalog of ``before``, partly translated, with a history of obsolete
    entries: one per seed paragraph ``before`` lacks, and a few that are long gone."""
    fresh, _ = merge_catalog(None, template_of(config, before), config.language("de"))
    for i, entry in enumerate(fresh.entries):
        if i % 4 == 3:
            continue
        entry.msgstr = f"DE{i:03d} {entry.msgid[:24]}"
        if i % 5 == 1:
            entry.set_fuzzy(True)
            if i % 10 == 1:
                entry.previous_msgid = entry.msgid.split(" ", 1)[-1]
    present = {e.msgid for e in fresh.entries}
    gone = [e.msgid for e in seed_template.entries if e.msgid not in present]
    fresh.entries += [
        Entry(msgid=text, msgstr=f"DE-OBS {text[:24]}", obsolete=True) for text in gone
    ]
    fresh.entries += [
        Entry(msgid="A paragraph the article lost long ago.", msgstr="Längst weg.", obsolete=True),
        Entry(msgid="A paragraph nobody translated before it went.", obsolete=True),
        Entry(
            msgid="Proletarian Justice and Soviet Law",
            msgstr="Proletarische Justiz und Sowjetrecht",
            flags=["fuzzy"],
            obsolete=True,
        ),
    ]
    return fresh


def disagreements(old: Catalog, ours: Catalog, theirs: Catalog) -> list[str]:
    """Each way in which the two merges differ, one line per entry, but for the documented
    previous msgid of an entry whose old entry was fuzzy without one."""
    marked_fuzzy = {e.msgid for e in old.entries if e.fuzzy and e.previous_msgid is None}
    out: list[str] = []
    (our_states, our_obsolete), (their_states, their_obsolete) = states(ours), states(theirs)
    for msgid in sorted(set(our_states) | set(their_states)):
        if our_states.get(msgid) != their_states.get(msgid):
            out.append(f"state {our_states.get(msgid)} != {their_states.get(msgid)}: {msgid[:50]}")
    for msgid in sorted(our_obsolete ^ their_obsolete):
        out.append(
            f"obsolete only in {'ours' if msgid in our_obsolete else 'msgmerge'}: {msgid[:50]}"
        )
    theirs_by = {(e.obsolete, e.msgid): e for e in theirs.entries}
    for entry in ours.entries:
        other = theirs_by.get((entry.obsolete, entry.msgid))
        if other is None:
            continue
        if entry.msgstr != other.msgstr:
            out.append(f"msgstr {entry.msgstr[:20]!r} != {other.msgstr[:20]!r}: {entry.msgid[:50]}")
        documented = other.previous_msgid is None and entry.previous_msgid in marked_fuzzy
        if entry.previous_msgid != other.previous_msgid and not documented:
            out.append(f"previous msgid differs: {entry.msgid[:50]}")
    return out


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    return config_of(make_project(tmp_path_factory.mktemp("msgmerge"), seed=False))


@pytest.mark.parametrize("name", list(PAIRS))
def test_merge_agrees_with_msgmerge(config: Config, tmp_path: Path, name: str) -> None:
    before_edits, after_edits = PAIRS[name]
    seed_template = template_of(config, SEED_TEXT)
    old = old_catalog(config, apply(SEED_TEXT, *before_edits), seed_template)
    new_template = template_of(config, apply(SEED_TEXT, *after_edits))

    ours, _ = merge_catalog(old, new_template, config.language("de"))
    theirs = msgmerge(old, new_template, tmp_path)

    assert disagreements(old, ours, theirs) == []
    assert [e.msgid for e in ours.entries if not e.obsolete] == [
        e.msgid for e in new_template.entries
    ]


def test_the_pairs_exercise_every_rule(config: Config) -> None:
    """Across the pairs, the merge keeps, fuzzy-matches, obsoletes, drops and revives."""
    seed_template = template_of(config, SEED_TEXT)
    seen: set[str] = set()
    for before_edits, after_edits in PAIRS.values():
        old = old_catalog(config, apply(SEED_TEXT, *before_edits), seed_template)
        _, changes = merge_catalog(
            old, template_of(config, apply(SEED_TEXT, *after_edits)), config.language("de")
        )
        seen |= {f"{c.cause}:{c.old_state}" for c in changes}
    assert {
        "source-edit:translated",
        "source-edit:fuzzy",
        "source-edit:obsolete",
        "obsoleted:translated",
        "revived:obsolete",
        "created:None",
    } <= seen


@pytest.mark.parametrize("tenth", [2, 3, 7, 13])
def test_a_score_exactly_at_the_threshold_matches_as_in_msgmerge(
    config: Config, tmp_path: Path, tenth: int
) -> None:
    """0.6 is inclusive in msgmerge: ``6k`` shared of ``10k`` characters is similar enough,
    one character fewer is not, at every length (no rounding on either side)."""
    old_text = "a" * (5 * tenth)
    at = "a" * (3 * tenth) + "b" * (2 * tenth)
    below = "a" * (3 * tenth - 1) + "b" * (2 * tenth + 1)
    for text, state in ((at, "fuzzy"), (below, "untranslated")):
        old = Catalog(entries=[Entry(msgid=old_text, msgstr="fünf")])
        new = Catalog(entries=[Entry(msgid=text)])
        ours, _ = merge_catalog(old, new, config.language("de"))
        theirs = msgmerge(old, new, tmp_path)
        assert states(ours) == states(theirs)
        assert states(ours)[0] == {text: state}


def test_msgmerge_misses_similar_texts_that_share_no_four_bytes(
    config: Config, tmp_path: Path
) -> None:
    """The documented difference: msgmerge's fuzzy index only looks at old entries sharing a
    run of four bytes with the new text, so it never offers "1917" for "1918" (75 %
    alike). The merge here compares with every old translation."""
    old = Catalog(entries=[Entry(msgid="1917", msgstr="1917")])
    new = Catalog(entries=[Entry(msgid="1918")])
    ours, _ = merge_catalog(old, new, config.language("de"))
    theirs = msgmerge(old, new, tmp_path)
    assert states(ours) == ({"1918": "fuzzy"}, set())
    assert states(theirs) == ({"1918": "untranslated"}, {"1917"})
