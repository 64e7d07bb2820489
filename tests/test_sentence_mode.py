"""``segmentation: sentence`` through ingest: the seed cut into sentences, and switching
between paragraph and sentence mode without losing a translation."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from projects import SEED_ID, msgfmt_check
from tm_support import catalog_of, read_catalog, run_cli, set_config, translate

from i18n_pipeline.po.catalog import Catalog
from i18n_pipeline.realign import join_sentences
from i18n_pipeline.sentences import split_sentences

TEMPLATE = f"locales/templates/{SEED_ID}.pot"
SOURCE = f"articles/{SEED_ID}.txt"

#: Paragraphs of the seed (by line) and their sentences, checked by hand.
HAND_CHECKED = {
    23: [
        "We print below the conclusion of this article.",
        "Part One appeared in WV No. 862 (20 January).",
    ],
    27: [
        "Baldwin was a contradictory figure.",
        "During World War II, he assisted the Civil Rights Defense Committee, which defended"
        " Trotskyists against Smith Act prosecution for their opposition to U.S. entry into the"
        " interimperialist war.",
        "But he was also head of the ACLU in 1940 when it purged the well-known Communist Party"
        " member Elizabeth Gurley Flynn from its board.",
        "Eleven years later the ACLU incorporated an anti-Communist resolution into its"
        " constitution, and throughout the McCarthyite witchhunts the organization regularly"
        " exchanged confidences and information with J. Edgar Hoover’s FBI.",
        "(Baldwin resigned as ACLU director in 1950 to campaign for international “human rights.”)",
        "Among AI’s other founding fathers was Lord Peter Archer, who went on to serve as"
        " solicitor general in the Labour Party government from 1975 to 1979 as it administered"
        " the British occupation of Northern Ireland, carrying out vicious repression that"
        " included frame-ups and torture of Irish Republican Army members.",
    ],
    87: [
        "When a small Moscow journal, Cheka Weekly, published a letter calling for the use of"
        " torture, the Cheka responded, “The proletariat is merciless in its struggle.",
        "At the same time it is unshakable and strong.",
        "Not a single curse at our most wicked enemies.",
        "No tortures and torments!”",
        "The Presidium of the All-Russian Central Executive Committee, the highest governmental"
        " body, passed a decree that read, “Although the Soviet regime resorts of necessity to"
        " the most drastic measures of conflict with the counterrevolutionary movement, and"
        " remembers that the conflict with the counterrevolution has taken the form of open"
        " armed conflict, in which the proletariat and poor peasants cannot renounce the use of"
        " terror, the Soviet regime fundamentally rejects the measures advocated in the"
        " indicated article, as despicable, dangerous, and contrary to the interests of the"
        " struggle for Communism” (quoted in Roy A. Medvedev, Let History Judge [1972]).",
    ],
    105: [
        "New York Times Moscow correspondent Walter Duranty and U.S. ambassador Joseph E. Davies"
        " were among those who, as Trotsky put it, “assayed the Moscow trials as unalloyed"
        " gold.”",
        "Ambassador Davies’ 1941 book Mission to Moscow, later made into a film, was a"
        " despicable apologia for the purge trials.",
        "Time magazine picked Stalin as their “Man of the Year” for 1939 and 1942.",
        "As Trotsky noted in Their Morals and Ours (1938): “The big bourgeoisie of the"
        " democratic countries watched the execution of the revolutionists in the USSR, not"
        " without pleasure, though feigning abhorrence.”",
    ],
    115: [
        "As the founder of American Trotskyism, James P. Cannon, affirmed, “Who touches the"
        " Russian Question, touches a revolution.”",
        "The Soviet Union may be gone—but the necessity of defending the Russian Revolution is"
        " as vital as ever.",
        "The imperialists and their liberal torchbearers seek to rewrite history in order to"
        " ensure that the rule of capital is never again challenged.",
        "They would like to wipe out of the consciousness among the proletariat and the"
        " oppressed any attachment to the program or ideals of communism.",
    ],
}

#: Abbreviations, initials and numbers the house rules keep inside a sentence.
NOT_CUT = [
    "J. Edgar Hoover’s FBI",
    "James P. Cannon, affirmed",
    "Roy A. Medvedev, Let History Judge",
    "U.S. ambassador Joseph E. Davies were",
    "WV No. 212, 28 July 1978",
    "WV No. 692, 5 June 1998",
    "AI & Co.’s campaigns",
    "Amnesty & Co. so despise",
    "—e.g., the 1918 attempts",
    "in the U.S. and internationally",
]


def units_by_line(template: Catalog) -> dict[int, list[str]]:
    """The template's units by the line of their block in the seed."""
    out: dict[int, list[str]] = defaultdict(list)
    for e in template.entries:
        for ref in e.references:
            path, line = ref.rsplit(":", 1)
            assert path == SOURCE
            out[int(line)].append(e.msgid)
    return out


@pytest.fixture
def switched(project: Path) -> tuple[Path, dict[int, list[str]]]:
    """The seed ingested in paragraph mode, then again in sentence mode; the paragraph
    units by line."""
    assert run_cli("ingest").exit_code == 0
    paragraphs = units_by_line(read_catalog(project / TEMPLATE))
    set_config(project, segmentation="sentence")
    result = run_cli("ingest")
    assert result.exit_code == 0, result.output
    return project, paragraphs


def test_sentence_mode_cuts_the_seeds_paragraphs_into_sentences(
    switched: tuple[Path, dict[int, list[str]]],
) -> None:
    root, paragraphs = switched
    template = read_catalog(root / TEMPLATE)
    by_line = units_by_line(template)
    for line, sentences in HAND_CHECKED.items():
        assert by_line[line] == sentences, line
    assert by_line.keys() == paragraphs.keys()
    for line, (paragraph,) in paragraphs.items():
        if len(set(by_line[line])) == len(by_line[line]):  # a repeated text is one entry
            assert " ".join(by_line[line]) == paragraph, line
    assert len(template.entries) == 150
    assert msgfmt_check(root / TEMPLATE) == ""
    assert msgfmt_check(catalog_of(root, "de")) == ""


def test_abbreviations_initials_and_numbers_are_not_cut(
    switched: tuple[Path, dict[int, list[str]]],
) -> None:
    msgids = [e.msgid for e in read_catalog(switched[0] / TEMPLATE).entries]
    for phrase in NOT_CUT:
        assert any(phrase in msgid for msgid in msgids), phrase


def test_headings_and_the_title_block_are_never_cut(
    switched: tuple[Path, dict[int, list[str]]],
) -> None:
    template = read_catalog(switched[0] / TEMPLATE)
    whole = {
        e.msgid
        for e in template.entries
        if any(c.startswith(("Block: title", "Block: heading")) for c in e.extracted_comments)
    }
    assert whole == {
        'Imperialist "Democracy" at Work',
        "U.S. Torture Machine",
        'Amnesty International: "Gulag" and Anti-Communism',
        "Part Two",
        "Soviet Dissidents and Trotskyist Defensism",
        "Proletarian Rule and the Early Soviet Republic",
        "Proletarian Justice",
        "Trotskyists Were Main Targets of Stalinist Repression",
        "For New October Revolutions!",
    }


# Switching modes.


def german(msgid: str) -> str:
    """A stand-in German translation with as many sentences as its source; a quotation
    stays one quotation („…“), which German sentence rules do not cut."""
    sentences = split_sentences(msgid)
    text = " ".join(
        f"Satz {n} von {len(sentences)} in {len(msgid)}." for n in range(1, len(sentences) + 1)
    )
    return f"„{text}“" if msgid.startswith("“") and len(sentences) > 1 else text


def japanese(msgid: str) -> str:
    """A stand-in Japanese translation: sentences run together, as Japanese writes them."""
    return "".join(f"訳{n}。" for n, _ in enumerate(split_sentences(msgid), start=1))


def test_switching_to_sentences_keeps_every_translation_as_a_suggestion(project: Path) -> None:
    assert run_cli("ingest").exit_code == 0
    de = translate(catalog_of(project, "de"), german)
    ja = translate(catalog_of(project, "ja"), japanese)
    assert run_cli("sync").exit_code == 0
    set_config(project, segmentation="sentence")
    result = run_cli("ingest")
    assert result.exit_code == 0, result.output

    catalog = read_catalog(catalog_of(project, "de"))
    assert msgfmt_check(catalog_of(project, "de")) == ""
    active = {e.msgid: e for e in catalog.entries if not e.obsolete}
    obsolete = {e.msgid: e for e in catalog.entries if e.obsolete}
    aligned = 0
    for paragraph, translation in de.items():
        sentences = split_sentences(paragraph)
        if len(sentences) == 1:  # the same unit in both modes
            assert active[paragraph].state == "translated"
            assert active[paragraph].msgstr == translation
            continue
        pieces = split_sentences(translation, "de")
        if len(pieces) != len(sentences):  # a quotation: each sentence gets all of it
            pieces = [translation] * len(sentences)
        else:
            aligned += 1
            assert join_sentences((active[s].msgstr for s in sentences), "de") == translation
        for sentence, piece in zip(sentences, pieces, strict=True):
            entry = active[sentence]
            assert entry.state == "fuzzy", sentence
            assert entry.msgstr == piece  # its own sentence of the translation
            if sentences.count(sentence) == 1:
                assert entry.previous_msgid == paragraph
        if paragraph in obsolete:  # and when the merge did not use it, it is kept whole
            assert obsolete[paragraph].msgstr == translation
    assert aligned > 20
    assert all(e.msgstr for e in active.values())

    japanese_catalog = read_catalog(catalog_of(project, "ja"))
    ja_active = {e.msgid: e for e in japanese_catalog.entries if not e.obsolete}
    for paragraph, translation in ja.items():
        for sentence in split_sentences(paragraph):
            entry = ja_active[sentence]
            assert entry.msgstr == translation  # not cut: the whole paragraph, to adapt
            assert entry.state == ("translated" if sentence == paragraph else "fuzzy")


def test_switching_back_restores_the_paragraph_translations(project: Path) -> None:
    assert run_cli("ingest").exit_code == 0
    de = translate(catalog_of(project, "de"), german)
    set_config(project, segmentation="sentence")
    assert run_cli("ingest").exit_code == 0
    set_config(project, segmentation="paragraph")
    assert run_cli("ingest").exit_code == 0
    catalog = read_catalog(catalog_of(project, "de"))
    active = {e.msgid: e for e in catalog.entries if not e.obsolete}
    assert active.keys() == de.keys()
    for paragraph, translation in de.items():
        assert active[paragraph].msgstr == translation, paragraph
        # Revived from the obsolete paragraph, or joined from the sentence suggestions.
        assert active[paragraph].state in ("translated", "fuzzy")
    revived = [e for e in active.values() if e.state == "translated"]
    assert len(revived) > len(de) // 2
