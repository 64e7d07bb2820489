"""The W2xx/W301 checks of one entry, the ignore comments, plurals and the code registry."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from i18n_pipeline.checks import CODES, SEVERITIES, Finding, severity_of
from i18n_pipeline.checks.language import LanguageDetector
from i18n_pipeline.checks.quality import check_entry, ignored_codes, number_tokens
from i18n_pipeline.po.catalog import Entry

LANGUAGES = ("id", "de", "es", "fr", "it", "ja", "pl", "pt", "ru", "zh", "tl")

SOURCE = (
    "Amnesty International was launched by a British lawyer in 1961, at the height of the "
    "anti-Soviet Cold War, and it has served imperialist interests ever since."
)
POLISH = (
    "Amnesty International została założona przez brytyjskiego adwokata w 1961 roku, w "
    "szczytowym okresie antyradzieckiej zimnej wojny, i od tamtej pory służy interesom "
    "imperialistów."
)


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector(LANGUAGES)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


# One failing and one passing fixture per code: (code, language, msgid, failing, passing).
CASES = [
    (
        "W201",
        "fr",
        'Read <em>Workers Vanguard</em> and <a href="https://icl-fi.org/">our site</a>.',
        "Lisez Workers Vanguard</em> et <a>notre site</a>.",
        'Lisez <em>Workers Vanguard</em> et <a href="https://icl-fi.org/">notre site</a>.',
    ),
    (
        "W201",
        "de",
        "%(count)s workers struck on {0}.",
        "%(anzahl)s Arbeiter streikten am {0}.",
        "Am {0} streikten %(count)s Arbeiter.",
    ),
    (
        "W201",
        "it",
        "Down with the death penalty!<br/>Free Mumia!",
        "Abbasso la pena di morte! Libertà per Mumia!",
        "Abbasso la pena di morte!<br>Libertà per Mumia!",
    ),
    (
        "W202",
        "es",
        "AI was founded in 1961 and had 40,000 members by 1975.",
        "AI fue fundada en 1916 y tenía 40.000 miembros en 1975.",
        "AI fue fundada en 1961 y tenía 40.000 miembros en 1975.",
    ),
    (
        "W202",
        "ja",
        "On 3 February 2006 more than 40,000 workers went on strike.",
        "2006年2月、4万人以上の労働者がストライキに入った。",
        "2006年2月3日、4万人以上の労働者がストライキに入った。",
    ),
    (
        "W203",
        "pt",
        "Read the archive at https://www.icl-fi.org/english/wv/archives.html today.",
        "Leia o arquivo em https://www.icl-fi.org/portugues/ hoje.",
        "Leia hoje o arquivo em https://www.icl-fi.org/english/wv/archives.html.",
    ),
    (
        "W204",
        "it",
        "The strike goes on. ",
        " Lo sciopero continua.",
        "Lo sciopero continua. ",
    ),
    ("W205", "pl", SOURCE, SOURCE, POLISH),
    (
        "W301",
        "pl",
        SOURCE,
        "Amnesty International was founded by a British lawyer in 1961, at the height of the "
        "anti-Soviet Cold War, and it has served imperialist interests ever since.",
        POLISH,
    ),
    (
        "W301",
        "pt",
        "The union leadership betrayed the strike by signing a contract that cut pensions.",
        "La dirección sindical traicionó la huelga al firmar un contrato que recortaba las "
        "pensiones.",
        "A direção sindical traiu a greve ao assinar um contrato que cortava as aposentadorias.",
    ),
]


@pytest.mark.parametrize(("code", "language", "msgid", "bad", "good"), CASES)
def test_each_code_fails_and_passes(
    detector: LanguageDetector, code: str, language: str, msgid: str, bad: str, good: str
) -> None:
    failing = check_entry(Entry(msgid, bad, line=7), language, detector=detector)
    assert code in codes(failing)
    assert all(f.line == 7 for f in failing)
    assert check_entry(Entry(msgid, good), language, detector=detector) == []


def test_messages_name_what_differs(detector: LanguageDetector) -> None:
    _, language, msgid, bad, _ = CASES[0]
    assert check_entry(Entry(msgid, bad), language, detector=detector) == [
        Finding("W201", "error", "markup differs from the source: missing <em>"),
        Finding("W203", "warning", "URLs differ from the source: missing https://icl-fi.org/"),
    ]
    [numbers] = check_entry(Entry(CASES[3][2], CASES[3][3]), "es")
    assert numbers.message == (
        "numbers differ from the source: missing 1961; not in the source 1916"
    )
    [wrong] = check_entry(Entry(CASES[9][2], CASES[9][3]), "pt", detector=detector)
    assert wrong.message == "the translation looks like es, not pt"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Plus de 40 000 grévistes, soit 3,5 % des salariés."),
        ("fr", "Plus de 40\u202f000 grévistes, soit 3,5\u00a0% des salariés."),
        ("de", "Mehr als 40.000 Streikende, also 3,5 Prozent der Beschäftigten."),
        ("ja", "４万人以上のストライキ参加者、つまり従業員の3.5%。"),
        ("zh", "四万多名罢工者，占雇员的3.5%。"),
    ],
)
def test_numbers_tolerate_locale_formats(language: str, text: str) -> None:
    entry = Entry("More than 40,000 strikers, or 3.5% of employees.", text)
    assert check_entry(entry, language) == []


def test_numbers_tolerate_other_digits_and_roman_centuries() -> None:
    assert number_tokens("١٩٦١ और ४०") == Counter({"1961": 1, "40": 1})
    entry = Entry("The 20th century began in 1901.", "Le XXe siècle a commencé en 1901.")
    assert check_entry(entry, "fr") == []


@given(st.integers(min_value=1000, max_value=10**9), st.sampled_from(",. \u00a0\u202f'"))
def test_grouping_never_changes_a_number(value: int, separator: str) -> None:
    written = f"{value:,}".replace(",", separator)
    assert number_tokens(f"about {written} people") == Counter({str(value): 1})


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_a_copy_never_differs_from_its_source(text: str) -> None:
    found = codes(check_entry(Entry(text or "x", text or "x"), "fr"))
    assert not set(found) & {"W201", "W202", "W203", "W204"}


@pytest.mark.parametrize(
    "copy",
    [
        "Workers Vanguard",
        "Amnesty International USA",
        "Workers Vanguard No. 863",
        "1961–1979",
        "Imperialist Democracy",
    ],
)
def test_names_numbers_and_short_titles_may_stay(copy: str) -> None:
    assert check_entry(Entry(copy, copy), "pl") == []


def test_same_as_source_is_not_checked_for_the_source_language() -> None:
    assert check_entry(Entry(SOURCE, SOURCE), "en") == []


def test_ignore_comment_silences_the_codes_it_lists(detector: LanguageDetector) -> None:
    entry = Entry(SOURCE, SOURCE + " ")
    assert codes(check_entry(entry, "pl", detector=detector)) == ["W204", "W205"]
    entry.extracted_comments = ["Section: lead", "i18n-check: ignore W205,W204"]
    assert ignored_codes(entry) == {"W204", "W205"}
    assert check_entry(entry, "pl", detector=detector) == []


def test_translator_comment_and_ignore_argument_silence_too(detector: LanguageDetector) -> None:
    code, language, msgid, bad, _ = CASES[8]
    entry = Entry(msgid, bad, translator_comments=["i18n-check: ignore w301 W202"])
    assert check_entry(entry, language, detector=detector) == []
    plain = Entry(msgid, bad)
    assert check_entry(plain, language, detector=detector, ignore=frozenset({"W301"})) == []


def test_only_translated_entries_are_checked() -> None:
    assert check_entry(Entry(SOURCE, SOURCE, flags=["fuzzy"]), "pl") == []
    assert check_entry(Entry(SOURCE, ""), "pl") == []
    assert check_entry(Entry(SOURCE, SOURCE, obsolete=True), "pl") == []


def test_severity_overrides() -> None:
    entry = Entry(SOURCE, SOURCE)
    [finding] = check_entry(entry, "pl", severities={"W205": "error"})
    assert finding.severity == "error"
    with pytest.raises(ValueError, match="W205: severity must be one of"):
        check_entry(entry, "pl", severities={"W205": "fatal"})


PLURAL = {"msgid": "%d worker was arrested.", "msgid_plural": "%d workers were arrested."}


def test_plural_forms_are_checked_one_by_one(detector: LanguageDetector) -> None:
    forms = {
        0: "%d robotnik został aresztowany.",
        1: "%d robotników zostało aresztowanych.",
        2: "Robotników aresztowano.",
    }
    entry = Entry(**PLURAL, msgstr_plural=forms)
    [finding] = check_entry(entry, "pl", detector=detector)
    assert finding.code == "W201"
    assert finding.message.startswith("msgstr[2]: markup differs from the source: missing %d")
    entry.msgstr_plural[2] = "%d robotnika zostało aresztowanych."
    assert check_entry(entry, "pl", detector=detector) == []


def test_a_plural_form_may_drop_what_the_singular_source_lacks() -> None:
    entry = Entry(
        "One worker was arrested.",
        msgid_plural="%d workers were arrested.",
        msgstr_plural={0: "Aresztowano jednego robotnika.", 1: "Aresztowano %d robotników."},
    )
    assert check_entry(entry, "pl") == []
    entry.msgstr_plural[0] = "Aresztowano %s robotnika."
    [finding] = check_entry(entry, "pl")
    assert finding.message == "msgstr[0]: markup differs from the source: not in the source %s"


def test_registry_is_the_single_source_of_codes() -> None:
    assert [c for c in CODES if c.startswith("E")] == [f"E{i}" for i in range(101, 113)]
    assert {c for c in CODES if c.startswith("W")} == {
        "W201",
        "W202",
        "W203",
        "W204",
        "W205",
        "W301",
    }
    assert all(c.severity in SEVERITIES and c.name for c in CODES.values())
    assert CODES["E101"].name == "syntax" and CODES["W301"].name == "wrong-language"
    assert severity_of("W202") == "warning"
    assert severity_of("W202", {"W202": "info"}) == "info"
