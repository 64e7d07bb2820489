"""Sentence segmentation: golden rules, the publisher's abbreviations, real paragraphs."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from i18n_pipeline.sentences import (
    RULES_VERSION,
    SEGMENTER_NAME,
    SEGMENTER_VERSION,
    split_sentences,
)

ARTICLE = Path(__file__).resolve().parents[1] / "articles" / "wv" / "863" / "amnesty2.txt"
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*?)?(/?)>")


def known_miss(text: str, expected: list[str], reason: str) -> object:
    return pytest.param(text, expected, marks=pytest.mark.xfail(strict=True, reason=reason))


# The English golden rules of the Pragmatic Segmenter, as pySBD tests them.
GOLDEN_RULES = [
    ("Hello World. My name is Jonas.", ["Hello World.", "My name is Jonas."]),
    ("What is your name? My name is Jonas.", ["What is your name?", "My name is Jonas."]),
    ("There it is! I found it.", ["There it is!", "I found it."]),
    ("My name is Jonas E. Smith.", ["My name is Jonas E. Smith."]),
    ("Please turn to p. 55.", ["Please turn to p. 55."]),
    ("Were Jane and co. at the party?", ["Were Jane and co. at the party?"]),
    (
        "They closed the deal with Pitt, Briggs & Co. at noon.",
        ["They closed the deal with Pitt, Briggs & Co. at noon."],
    ),
    ("Let's ask Jane and co. They should know.", ["Let's ask Jane and co.", "They should know."]),
    (
        "They closed the deal with Pitt, Briggs & Co. It closed yesterday.",
        ["They closed the deal with Pitt, Briggs & Co.", "It closed yesterday."],
    ),
    ("I can see Mt. Fuji from here.", ["I can see Mt. Fuji from here."]),
    (
        "St. Michael's Church is on 5th st. near the light.",
        ["St. Michael's Church is on 5th st. near the light."],
    ),
    ("That is JFK Jr.'s book.", ["That is JFK Jr.'s book."]),
    ("I visited the U.S.A. last year.", ["I visited the U.S.A. last year."]),
    ("I live in the E.U. How about you?", ["I live in the E.U.", "How about you?"]),
    ("I live in the U.S. How about you?", ["I live in the U.S.", "How about you?"]),
    (
        "I work for the U.S. Government in Virginia.",
        ["I work for the U.S. Government in Virginia."],
    ),
    ("I have lived in the U.S. for 20 years.", ["I have lived in the U.S. for 20 years."]),
    known_miss(
        "At 5 a.m. Mr. Smith went to the bank. He left the bank at 6 P.M. Mr. Smith then went "
        "to the store.",
        [
            "At 5 a.m. Mr. Smith went to the bank.",
            "He left the bank at 6 P.M.",
            "Mr. Smith then went to the store.",
        ],
        "a title after a dotted abbreviation is never taken to start a sentence",
    ),
    ("She has $100.00 in her bag.", ["She has $100.00 in her bag."]),
    ("She has $100.00. It is in her bag.", ["She has $100.00.", "It is in her bag."]),
    (
        "He teaches science (He previously worked for 5 years as an engineer.) at the local "
        "University.",
        [
            "He teaches science (He previously worked for 5 years as an engineer.) at the local "
            "University."
        ],
    ),
    (
        "Her email is Jane.Doe@example.com. I sent her an email.",
        ["Her email is Jane.Doe@example.com.", "I sent her an email."],
    ),
    (
        "The site is: https://www.example.50.com/new-site/awesome_content.html. Please check "
        "it out.",
        [
            "The site is: https://www.example.50.com/new-site/awesome_content.html.",
            "Please check it out.",
        ],
    ),
    (
        "She turned to him, 'This is great.' she said.",
        ["She turned to him, 'This is great.' she said."],
    ),
    (
        'She turned to him, "This is great." she said.',
        ['She turned to him, "This is great." she said.'],
    ),
    (
        'She turned to him, "This is great." She held the book out to show him.',
        ['She turned to him, "This is great."', "She held the book out to show him."],
    ),
    ("Hello!! Long time no see.", ["Hello!!", "Long time no see."]),
    ("Hello?? Who is there?", ["Hello??", "Who is there?"]),
    ("Hello!? Is that you?", ["Hello!?", "Is that you?"]),
    ("Hello?! Is that you?", ["Hello?!", "Is that you?"]),
    ("1.) The first item 2.) The second item", ["1.) The first item", "2.) The second item"]),
    (
        "1.) The first item. 2.) The second item.",
        ["1.) The first item.", "2.) The second item."],
    ),
    ("1) The first item 2) The second item", ["1) The first item", "2) The second item"]),
    ("1) The first item. 2) The second item.", ["1) The first item.", "2) The second item."]),
    known_miss(
        "1. The first item 2. The second item",
        ["1. The first item", "2. The second item"],
        "a numbered list run into one paragraph; lists are blocks of their own here",
    ),
    ("1. The first item. 2. The second item.", ["1. The first item.", "2. The second item."]),
    (
        "• 9. The first item • 10. The second item",
        ["• 9. The first item", "• 10. The second item"],
    ),
    known_miss(
        "⁃9. The first item ⁃10. The second item",
        ["⁃9. The first item", "⁃10. The second item"],
        "a numbered list run into one paragraph",
    ),
    known_miss(
        "a. The first item b. The second item c. The third list item",
        ["a. The first item", "b. The second item", "c. The third list item"],
        "a lettered list run into one paragraph",
    ),
    (
        "You can find it at N°. 1026.253.553. That is where the treasure is.",
        ["You can find it at N°. 1026.253.553.", "That is where the treasure is."],
    ),
    (
        "She works at Yahoo! in the accounting department.",
        ["She works at Yahoo! in the accounting department."],
    ),
    (
        "We make a good team, you and I. Did you see Albert I. Jones yesterday?",
        ["We make a good team, you and I.", "Did you see Albert I. Jones yesterday?"],
    ),
    (
        "Thoreau argues that by simplifying one’s life, “the laws of the universe will appear "
        "less complex. . . .”",
        [
            "Thoreau argues that by simplifying one’s life, “the laws of the universe will "
            "appear less complex. . . .”"
        ],
    ),
    (
        '"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).',
        ['"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).'],
    ),
    (
        "If words are left off at the end of a sentence, and that is all that is omitted, "
        "indicate the omission with ellipsis marks (preceded and followed by a space) and then "
        "indicate the end of the sentence with a period . . . . Next sentence.",
        [
            "If words are left off at the end of a sentence, and that is all that is omitted, "
            "indicate the omission with ellipsis marks (preceded and followed by a space) and "
            "then indicate the end of the sentence with a period . . . .",
            "Next sentence.",
        ],
    ),
    (
        "I never meant that.... She left the store.",
        ["I never meant that....", "She left the store."],
    ),
    (
        "I wasn’t really ... well, what I mean...see . . . what I'm saying, the thing is . . . "
        "I didn’t mean it.",
        [
            "I wasn’t really ... well, what I mean...see . . . what I'm saying, the thing is "
            ". . . I didn’t mean it."
        ],
    ),
    known_miss(
        "One further habit which was somewhat weakened . . . was that of combining words into "
        "self-interpreting compounds. . . . The practice was not abandoned. . . .",
        [
            "One further habit which was somewhat weakened . . . was that of combining words "
            "into self-interpreting compounds.",
            ". . . The practice was not abandoned. . . .",
        ],
        "a cut between a period and a spaced ellipsis",
    ),
]


@pytest.mark.parametrize(("text", "expected"), GOLDEN_RULES)
def test_golden_rules(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


# The publisher's style: abbreviations, quotations and citations as they occur in WV.
HOUSE_STYLE = [
    (
        "Part One appeared in WV No. 862 (20 January). It was long.",
        ["Part One appeared in WV No. 862 (20 January).", "It was long."],
    ),
    (
        "Read Workers Vanguard No. 863 today. It is out.",
        ["Read Workers Vanguard No. 863 today.", "It is out."],
    ),
    (
        "As we wrote (WV No. 692, 5 June 1998): it held.",
        ["As we wrote (WV No. 692, 5 June 1998): it held."],
    ),
    (
        "They opposed U.S. entry into the war. It was 1941.",
        ["They opposed U.S. entry into the war.", "It was 1941."],
    ),
    (
        "U.S. ambassador Joseph E. Davies praised the trials. He lied.",
        ["U.S. ambassador Joseph E. Davies praised the trials.", "He lied."],
    ),
    ("The U.S. Army and the U.S. Senate agreed.", ["The U.S. Army and the U.S. Senate agreed."]),
    (
        "He helped set up a section in the U.S. The next year he left.",
        ["He helped set up a section in the U.S.", "The next year he left."],
    ),
    (
        "He helped set up a section in the U.S. Baldwin left.",
        ["He helped set up a section in the U.S. Baldwin left."],
    ),
    ("It waged the U.S.’ dirty war. It lost.", ["It waged the U.S.’ dirty war.", "It lost."]),
    (
        "They dealt with J. Edgar Hoover’s FBI. It spied.",
        ["They dealt with J. Edgar Hoover’s FBI.", "It spied."],
    ),
    (
        "As James P. Cannon affirmed, it was so. It is.",
        ["As James P. Cannon affirmed, it was so.", "It is."],
    ),
    ("J. A. Hobson wrote on imperialism.", ["J. A. Hobson wrote on imperialism."]),
    (
        "(quoted in Roy A. Medvedev, Let History Judge [1972]). Next.",
        ["(quoted in Roy A. Medvedev, Let History Judge [1972]).", "Next."],
    ),
    (
        "AI & Co.’s campaigns serve the rulers. They fail.",
        ["AI & Co.’s campaigns serve the rulers.", "They fail."],
    ),
    (
        "That is why Amnesty & Co. so despise it. They do.",
        ["That is why Amnesty & Co. so despise it.", "They do."],
    ),
    (
        "Atrocities increased—e.g., the 1918 attempts. Then more.",
        ["Atrocities increased—e.g., the 1918 attempts.", "Then more."],
    ),
    ("Some cases, e.g. Shcharansky, were famous.", ["Some cases, e.g. Shcharansky, were famous."]),
    (
        "The Cheka, i.e. The Extraordinary Commission, acted. It ended.",
        ["The Cheka, i.e. The Extraordinary Commission, acted.", "It ended."],
    ),
    (
        "Mr. Baldwin and Dr. Flynn met on St. Mark’s Place. They argued.",
        ["Mr. Baldwin and Dr. Flynn met on St. Mark’s Place.", "They argued."],
    ),
    (
        "The Cheka replied (“No tortures and torments!”) he wrote. Then it closed.",
        ["The Cheka replied (“No tortures and torments!”) he wrote.", "Then it closed."],
    ),
    (
        "Those who demonise it are “determined to prove that there is none.” The rulers lie.",
        ["Those who demonise it are “determined to prove that there is none.”", "The rulers lie."],
    ),
    ("He asked, “Is it true?” Nobody answered.", ["He asked, “Is it true?”", "Nobody answered."]),
    (
        "The leaflet read “Defeat Yeltsin-Bush Counterrevolution!” It was 1991.",
        ["The leaflet read “Defeat Yeltsin-Bush Counterrevolution!”", "It was 1991."],
    ),
    (
        "Leaflets titled “Soviet Workers: Defeat Counterrevolution!” calling for it.",
        ["Leaflets titled “Soviet Workers: Defeat Counterrevolution!” calling for it."],
    ),
    ("They wanted more… The workers refused.", ["They wanted more…", "The workers refused."]),
    (
        "They wanted more... The workers refused.",
        ["They wanted more...", "The workers refused."],
    ),
    (
        "to remain bourgeois” (James Bunyan, The Origin of Forced Labor in the Soviet State "
        "1917-1921 [1967]). Prisoners were offered more.",
        [
            "to remain bourgeois” (James Bunyan, The Origin of Forced Labor in the Soviet State "
            "1917-1921 [1967]).",
            "Prisoners were offered more.",
        ],
    ),
    (
        "(Baldwin resigned in 1950 to campaign for “human rights.”) Among the founders was Archer.",
        [
            "(Baldwin resigned in 1950 to campaign for “human rights.”)",
            "Among the founders was Archer.",
        ],
    ),
    (
        "(see “Shcharansky Is Guilty As Hell!” WV No. 212, 28 July 1978). Next.",
        ["(see “Shcharansky Is Guilty As Hell!” WV No. 212, 28 July 1978).", "Next."],
    ),
    (
        "as its motto: ‘He shall not eat who does not work’.” In a speech, Trotsky spoke.",
        ["as its motto: ‘He shall not eat who does not work’.”", "In a speech, Trotsky spoke."],
    ),
    (
        "the Cheka responded, “The proletariat is merciless. At the same time it is strong.”",
        ["the Cheka responded, “The proletariat is merciless.", "At the same time it is strong.”"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), HOUSE_STYLE)
def test_house_style(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def article_paragraph(opening: str) -> str:
    """The block of the sample article that starts with ``opening``, whitespace-normalised."""
    blocks = [" ".join(block.split()) for block in ARTICLE.read_text("utf-8").split("\n\n")]
    [paragraph] = [block for block in blocks if block.startswith(opening)]
    return paragraph


# Counted by hand; a quotation of several sentences counts each of them.
HAND_COUNTS = [
    ("We print below", 2),
    ("Amnesty International (AI) was launched", 2),
    ("Baldwin was a contradictory", 6),
    ("From its inception", 4),
    ("Also excluded from", 2),
    ("AI has repeatedly", 4),
    ("In 1996, AI sponsored", 4),
    ("One prominent member", 3),
    ("In contrast to the bourgeois", 1),
    ("“We repeat the warning", 3),
    ("In their efforts to undermine", 4),
    ("Common to the entire spectrum", 3),
    ("In the London Guardian", 3),
    ("Repression of counterrevolutionaries", 4),
    ("It would have been a crime", 3),
    ("When a small Moscow journal", 5),
    ("The Cheka Weekly was closed", 3),
    ("The revolutionary Bolsheviks intended", 5),
    ("New York Times Moscow", 4),
    ("While Amnesty International takes", 4),
    ("We fought for the defense", 4),
    ("As the founder of American", 4),
    ("Our aim is to educate", 3),
]


@pytest.mark.parametrize(("opening", "count"), HAND_COUNTS)
def test_article_paragraph_counts(opening: str, count: int) -> None:
    paragraph = article_paragraph(opening)
    sentences = split_sentences(paragraph)
    assert len(sentences) == count, sentences
    assert " ".join(sentences) == paragraph


EXACT = [
    (
        "Baldwin was a contradictory",
        [
            "Baldwin was a contradictory figure.",
            "During World War II, he assisted the Civil Rights Defense Committee, which defended "
            "Trotskyists against Smith Act prosecution for their opposition to U.S. entry into the "
            "interimperialist war.",
            "But he was also head of the ACLU in 1940 when it purged the well-known Communist "
            "Party member Elizabeth Gurley Flynn from its board.",
            "Eleven years later the ACLU incorporated an anti-Communist resolution into its "
            "constitution, and throughout the McCarthyite witchhunts the organization regularly "
            "exchanged confidences and information with J. Edgar Hoover’s FBI.",
            "(Baldwin resigned as ACLU director in 1950 to campaign for international “human "
            "rights.”)",
            "Among AI’s other founding fathers was Lord Peter Archer, who went on to serve as "
            "solicitor general in the Labour Party government from 1975 to 1979 as it "
            "administered the British occupation of Northern Ireland, carrying out vicious "
            "repression that included frame-ups and torture of Irish Republican Army members.",
        ],
    ),
    (
        "When a small Moscow journal",
        [
            "When a small Moscow journal, Cheka Weekly, published a letter calling for the use of "
            "torture, the Cheka responded, “The proletariat is merciless in its struggle.",
            "At the same time it is unshakable and strong.",
            "Not a single curse at our most wicked enemies.",
            "No tortures and torments!”",
            "The Presidium of the All-Russian Central Executive Committee, the highest "
            "governmental body, passed a decree that read, “Although the Soviet regime resorts of "
            "necessity to the most drastic measures of conflict with the counterrevolutionary "
            "movement, and remembers that the conflict with the counterrevolution has taken the "
            "form of open armed conflict, in which the proletariat and poor peasants cannot "
            "renounce the use of terror, the Soviet regime fundamentally rejects the measures "
            "advocated in the indicated article, as despicable, dangerous, and contrary to the "
            "interests of the struggle for Communism” (quoted in Roy A. Medvedev, Let History "
            "Judge [1972]).",
        ],
    ),
    (
        "The revolutionary Bolsheviks intended",
        [
            "The revolutionary Bolsheviks intended their prisons to isolate counterrevolutionaries "
            "and rehabilitate them with the aim of reintegration into the society.",
            "What anti-communist ideologues portray as the “regime of forced labor” for "
            "counterrevolutionary prisoners was based on the idea that productive labor is the "
            "norm for all able-bodied citizens of a workers state.",
            "Article Two, point 18 of the 1918 Soviet Constitution explained, “The Russian "
            "Socialist Federated Soviet Republic considers work the duty of every citizen of the "
            "Republic, and proclaims as its motto: ‘He shall not eat who does not work’.”",
            "In a 29 June 1918 speech, Trotsky stated, “For centuries the workers and peasants "
            "have been cleaning the dirt of the ruling classes, but now let [the former ruling "
            "classes] clean [the dirt] which we are leaving behind, until such time as they join "
            "the working class in the pursuit of a common goal.",
            "We must place them in such conditions that they will lose the desire to remain "
            "bourgeois” (James Bunyan, The Origin of Forced Labor in the Soviet State 1917-1921 "
            "[1967]).",
        ],
    ),
]


@pytest.mark.parametrize(("opening", "expected"), EXACT)
def test_article_paragraph_sentences(opening: str, expected: list[str]) -> None:
    assert split_sentences(article_paragraph(opening)) == expected


# Inline tags.


def test_tags_are_cut_around_not_inside() -> None:
    assert split_sentences("In the <em>U.S.</em> The next day. Done.") == [
        "In the <em>U.S.</em>",
        "The next day.",
        "Done.",
    ]
    assert split_sentences("<em>First one. Second one.</em> Third one.") == [
        "<em>First one. Second one.</em>",
        "Third one.",
    ]
    assert split_sentences('<a href="http://example.org/a. B">Link.</a> Next one.') == [
        '<a href="http://example.org/a. B">Link.</a>',
        "Next one.",
    ]


def test_unclosed_element_keeps_the_rest_together() -> None:
    assert split_sentences("One here. Open <em>never closed. Next one.") == [
        "One here.",
        "Open <em>never closed. Next one.",
    ]


def test_void_and_self_closing_tags_do_not_nest() -> None:
    assert split_sentences("One line.<br> Two lines.<br/> Three.") == [
        "One line.<br>",
        "Two lines.<br/>",
        "Three.",
    ]


# Other languages and edge cases.


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "„Das ist gut.“ Nächste Frage. Dr. Müller kommt.",
            "de-DE",
            ["„Das ist gut.“", "Nächste Frage.", "Dr. Müller kommt."],
        ),
        ("你好。 我很好。再见。", "zh", ["你好。", "我很好。再见。"]),
        ("", "en", []),
        ("No end", "en", ["No end"]),
        ("Ends. ", "en", ["Ends. "]),
        ("Two  spaces.  Stay together.", "en", ["Two  spaces.  Stay together."]),
        ("Not cut.\u00a0At a no-break space.", "en", ["Not cut.\u00a0At a no-break space."]),
    ],
)
def test_languages_and_edges(text: str, language: str, expected: list[str]) -> None:
    assert split_sentences(text, language) == expected


def test_segmenter_is_recorded() -> None:
    assert SEGMENTER_NAME == "sentencex"
    assert version("sentencex") == SEGMENTER_VERSION
    assert RULES_VERSION


# Properties.

FRAGMENTS = [
    "the", "The", "It", "war", "U.S.", "No.", "863", "J.", "Edgar", "Mr.", "e.g.", "Co.’s",
    "end.", "end!", "end?", "“Quote.", "quote.”", "Yes!”", "(see", "it).", "[1967]).", "more…",
    "...", ". . .", "a.", "1.", "2)", "WV", "torments!”)", "he", "wrote.", "—", "’", "‘", "(", ")",
]  # fmt: skip


def paragraph_strategy() -> st.SearchStrategy[str]:
    word = st.sampled_from(FRAGMENTS) | st.text(min_size=1, max_size=6).filter(
        lambda s: not any(c.isspace() for c in s) and "<" not in s and ">" not in s
    )
    tagged = (
        st.lists(word, min_size=1, max_size=5)
        .map(" ".join)
        .flatmap(
            lambda inner: st.sampled_from(
                [inner, f"<em>{inner}</em>", f'<a href="http://example.org/x. Y">{inner}</a>']
            )
        )
    )
    return st.lists(tagged, min_size=1, max_size=25).map(" ".join)


@given(st.text())
def test_any_text_is_given_back(text: str) -> None:
    assert " ".join(split_sentences(text)) == text


@given(paragraph_strategy(), st.sampled_from(["en", "de", "fr", "ru", "en-US"]))
def test_paragraph_is_given_back_in_whole_sentences(paragraph: str, language: str) -> None:
    sentences = split_sentences(paragraph, language)
    assert " ".join(sentences) == paragraph
    for sentence in sentences:
        assert sentence and sentence == sentence.strip()
        assert tags_balanced(sentence), sentence


def tags_balanced(sentence: str) -> bool:
    """True when every tag in ``sentence`` is whole and every element closes within it."""
    if TAG.sub("", sentence).count("<") or TAG.sub("", sentence).count(">"):
        return False
    open_elements: list[str] = []
    for tag in TAG.finditer(sentence):
        if not tag.group(1):
            open_elements.append(tag.group(2))
        elif not open_elements or open_elements.pop() != tag.group(2):
            return False
    return not open_elements
