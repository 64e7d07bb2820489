"""The language detector: scripts, restraint, determinism, and its measured catch rates."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import polib
import pytest

from i18n_pipeline.checks.language import (
    Case,
    LangScore,
    LanguageDetector,
    evaluate,
    load_segments,
    segment_cases,
)

LANGUAGES = ("id", "de", "es", "fr", "it", "ja", "pl", "pt", "ru", "zh", "tl")
BENCH = Path(__file__).resolve().parent.parent / "bench" / "langeval.py"


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector(LANGUAGES)


@pytest.fixture(scope="module")
def langeval() -> ModuleType:
    spec = importlib.util.spec_from_file_location("langeval", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("帝国主義軍はイラクとアフガニスタンから今すぐ撤退せよ！", "ja"),
        ("工人运动必须保卫中国畸形工人国家，反对帝国主义的进攻。", "zh"),
        ("全世界無產者，聯合起來！你們失去的只是鎖鏈。", "zh"),  # traditional, short: langdetect
        ("Рабочее движение должно защищать рабочее государство.", "ru"),
        ("The police are the armed fist of the capitalist state.", "en"),
        ("Polisi adalah tinju bersenjata negara kapitalis dan kelas penguasa.", "id"),
        ("Ang pulis ay ang armadong kamao ng kapitalistang estado.", "tl"),
    ],
)
def test_detects_each_script_and_language(
    detector: LanguageDetector, text: str, language: str
) -> None:
    assert detector.detect(text) == language


@pytest.mark.parametrize(
    "text",
    [
        # Korean: not a candidate
        "노동자 운동은 제국주의 공격에 맞서 중국 노동자 국가를 방어해야 한다.",
        "Free Mumia!",  # too short
        "<em>1961</em> https://www.icl-fi.org/english/ %(n)s",  # no words at all
        "Mumia Abu-Jamal, Leonard Peltier",  # names only
    ],
)
def test_does_not_judge_what_it_cannot(detector: LanguageDetector, text: str) -> None:
    assert detector.analyse(text).scores == {}
    assert detector.detect(text) is None
    assert detector.is_wrong(text, "pl") is None


def test_flags_english_and_neighbours_but_not_the_right_language(
    detector: LanguageDetector,
) -> None:
    assert detector.is_wrong("The bosses' profits come from the unpaid labor of workers.", "pt")
    spanish = "El capitalismo no puede ser reformado: la crisis de la humanidad es la crisis."
    assert detector.is_wrong(spanish, "pt") == "es"
    assert detector.is_wrong(spanish, "es") is None
    indonesian = "Kapitalisme tidak dapat direformasi: krisis umat manusia adalah krisis."
    assert detector.is_wrong(indonesian, "tl") == "id"
    assert detector.is_wrong("老板的利润来自工人的无偿劳动。", "ja") == "zh"
    assert detector.is_wrong("経営者の利潤は労働者の不払い労働から生まれる。", "zh") == "ja"


def test_short_neighbours_and_short_english_are_flagged(detector: LanguageDetector) -> None:
    assert detector.is_wrong("Pela defesa militar incondicional", "es") == "pt"
    assert detector.is_wrong("Por la defensa militar incondicional", "es") is None
    assert detector.is_wrong("For the unconditional defense", "es") == "en"


def test_codes_are_normalised_and_unknown_ones_refused() -> None:
    detector = LanguageDetector(["pt_BR", "zh-TW", "fil"])
    assert detector.languages == ("en", "pt", "zh", "tl")
    with pytest.raises(ValueError, match="no language model for: xx"):
        LanguageDetector(["pl", "xx"])
    with pytest.raises(ValueError, match="'de' is not one of the detector's languages"):
        detector.is_wrong("Der Kapitalismus lässt sich nicht reformieren.", "de")


def test_detection_is_deterministic_and_leaves_langdetect_global_state_alone() -> None:
    from langdetect import detector_factory

    text = "Abbasso la pena di morte razzista! Libertà subito per Mumia Abu-Jamal!"
    first = [LanguageDetector(LANGUAGES, seed=3).analyse(text) for _ in range(3)]
    assert first[0] == first[1] == first[2]
    assert LanguageDetector(LANGUAGES, seed=3).is_wrong(text, "es") == "it"
    assert detector_factory._factory is None
    assert detector_factory.DetectorFactory.seed is None


def test_evaluate_counts_catches_and_false_alarms(detector: LanguageDetector) -> None:
    english = "The union leadership betrayed the strike by signing a rotten contract."
    polish = "Kierownictwo związku zdradziło strajk, podpisując umowę."
    scores = evaluate(detector, [Case(english, "pl", "en"), Case(polish, "pl", "pl")])
    assert scores == {"pl": LangScore("pl", wrong=1, caught=1, right=1, false_alarms=0)}
    assert scores["pl"].catch_rate == 1.0 and scores["pl"].false_alarm_rate == 0.0


def test_segment_cases_pair_each_language_with_english_and_its_script() -> None:
    cases = segment_cases([{"en": "E", "pt": "P", "es": "S", "ru": "R"}])
    assert {(c.catalog, c.language) for c in cases} == {
        ("pt", "pt"),
        ("pt", "en"),
        ("pt", "es"),
        ("es", "es"),
        ("es", "en"),
        ("es", "pt"),
        ("ru", "ru"),
        ("ru", "en"),
    }


#: Floors a little under the measured rates (all 100% caught, no false alarm, on 200
#: wrong and 26 right segments per Latin-script language).
SEGMENT_FLOOR = 0.98
SEGMENT_MAX_FALSE_ALARMS = 0


def test_hand_written_segments_meet_the_targets(detector: LanguageDetector) -> None:
    segments = load_segments()
    assert {lang for item in segments for lang in item} == {"en", *LANGUAGES}
    scores = evaluate(detector, segment_cases(segments))
    assert sorted(scores) == sorted(LANGUAGES)
    for code, score in scores.items():
        assert score.right >= 20, code
        assert score.catch_rate >= SEGMENT_FLOOR, (code, score.missed)
        assert score.false_alarms <= SEGMENT_MAX_FALSE_ALARMS, (code, score.alarmed)


def test_short_english_left_in_is_caught_with_its_msgid(detector: LanguageDetector) -> None:
    assert detector.is_wrong("Save changes", "de", source="Save changes") == "en"
    assert detector.is_wrong("Save changes", "ja", source="Save changes") == "en"
    assert detector.is_wrong("Edit this page", "pt", source="Edit this page") == "en"
    assert detector.is_wrong("Änderungen speichern", "de", source="Save changes") is None
    # a label in headline case that reads as English, copied or not
    assert detector.is_wrong("Password Reset", "de", source="Password Reset") == "en"
    assert detector.is_wrong("Confirm Reset", "fr", source="Reset all") == "en"


@pytest.mark.parametrize(
    ("text", "catalog", "found"),
    [
        ("Guardar alterações", "es", "pt"),
        ("I-save ang mga pagbabago", "id", "tl"),
        ("Zapisz zmiany", "ru", "pl"),
        ("Сохранить изменения", "pl", "ru"),
        ("変更を保存", "zh", "ja"),
    ],
)
def test_short_neighbour_intruders_are_caught(
    detector: LanguageDetector, text: str, catalog: str, found: str
) -> None:
    assert detector.is_wrong(text, catalog, source="Save changes") == found


@pytest.mark.parametrize(
    ("text", "catalog", "source"),
    [
        ("Änderungen speichern", "de", "Save changes"),
        ("Guardar cambios", "es", "Save changes"),
        ("Simpan perubahan", "id", "Save changes"),
        ("Сохранить изменения", "ru", "Save changes"),
        ("保存更改", "zh", "Save changes"),
        ("保存", "ja", "Save"),  # kanji alone: Japanese as well as Chinese
        ("Django-Administration", "de", "Django administration"),
        ("Mumia Abu-Jamal", "de", "Mumia Abu-Jamal"),  # a word no list knows: a name
        ("URL API", "fr", "API URL"),
        ("Bitbucket", "ja", "Bitbucket"),  # one word: a name as often as not
        ("Code source :", "fr", "Source code:"),  # the same words, translated
        (">>> fib(500) 0 1 1 2 3 5", "pl", ">>> fib(500) 0 1 1 2 3 5"),
    ],
)
def test_correct_translations_names_and_code_do_not_alarm(
    detector: LanguageDetector, text: str, catalog: str, source: str
) -> None:
    assert detector.is_wrong(text, catalog, source=source) is None


def test_single_words_are_not_judged(detector: LanguageDetector) -> None:
    assert detector.is_wrong("Cancel", "de", source="Cancel") is None
    assert detector.is_wrong("Annuler", "es", source="Cancel") is None


def test_read_project_pairs_catalogs_by_msgid(langeval: ModuleType, tmp_path: Path) -> None:
    for locale, text in [("es", "Guardar cambios"), ("pt_BR", "Salvar alterações")]:
        folder = tmp_path / "app" / "locale" / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        catalog = polib.POFile()
        catalog.append(polib.POEntry(msgid="Save changes", msgstr=text))
        catalog.save(str(folder / "django.po"))
    project = langeval.Project("app", ("app/locale/{locale}/LC_MESSAGES/django.po",), True)
    languages = langeval.read_project(project, tmp_path)
    cases = {(c.catalog, c.language, c.text) for c in langeval.catalog_cases("app", languages)}
    assert cases == {
        ("es", "es", "Guardar cambios"),
        ("es", "en", "Save changes"),
        ("es", "pt", "Salvar alterações"),
        ("pt", "pt", "Salvar alterações"),
        ("pt", "en", "Save changes"),
        ("pt", "es", "Guardar cambios"),
    }
    assert {c.source for c in langeval.catalog_cases("app", languages)} == {"Save changes"}


def test_bench_data_keeps_the_shape_bench_run_reads(langeval: ModuleType) -> None:
    scores = {"held-out": {"pl": LangScore("pl", wrong=2, caught=2, right=4, false_alarms=1)}}
    data = langeval.as_data(langeval.Results(scores, 1000.0, 2_000_000))
    assert data["held-out"]["pl"]["catch_rate"] == 1.0
    assert data["held-out"]["pl"]["false_alarm_rate"] == 0.25
    parts = [value for value in data.values() if isinstance(value, dict)]
    assert all(isinstance(s, dict) for part in parts for s in part.values())
    assert data["detector_install_mb"] == 2.0


#: "Delete the selected files" in each catalog language, written for these tests.
DELETE_SELECTED = {
    "de": "Ausgewählte Dateien löschen",
    "es": "Eliminar los archivos seleccionados",
    "fr": "Supprimer les fichiers sélectionnés",
    "it": "Elimina i file selezionati",
    "pt": "Excluir os arquivos selecionados",
    "pl": "Usuń zaznaczone pliki",
    "ru": "Удалить выбранные файлы",
    "id": "Hapus berkas yang dipilih",
    "tl": "Burahin ang mga napiling file",
    "ja": "選択したファイルを削除",
    "zh": "删除所选文件",
}


@pytest.mark.parametrize("catalog", LANGUAGES)
def test_short_translations_pass_and_short_english_is_caught_in_every_language(
    detector: LanguageDetector, catalog: str
) -> None:
    source = "Delete the selected files"
    assert detector.is_wrong(DELETE_SELECTED[catalog], catalog, source=source) is None
    assert detector.is_wrong(source, catalog, source=source) == "en"
    # English that is not the entry's msgid, in lower and in headline case
    assert detector.is_wrong("Show hidden files", catalog, source=source) == "en"
    assert detector.is_wrong("Remove Security Key", catalog, source=source) == "en"


@pytest.mark.parametrize(
    ("catalog", "language"),
    [
        ("es", "it"),
        ("es", "pt"),
        ("pt", "es"),
        ("pt", "it"),
        ("it", "es"),
        ("it", "pt"),
        ("id", "tl"),
        ("tl", "id"),
        ("pl", "ru"),
        ("ru", "pl"),
        ("ja", "zh"),
        ("zh", "ja"),
    ],
)
def test_short_neighbours_are_caught(
    detector: LanguageDetector, catalog: str, language: str
) -> None:
    text = DELETE_SELECTED[language]
    assert detector.is_wrong(text, catalog, source="Delete the selected files") == language


def test_paragraphs_in_the_wrong_language_are_caught(detector: LanguageDetector) -> None:
    source = "The configuration file is read when the server starts."
    english = (
        "When the import finishes, the report lists every entry that could not be read, "
        "with the line where it starts and the reason, so that the file can be fixed and "
        "imported again without touching the entries that were already saved."
    )
    portuguese = (
        "Quando a importação termina, o relatório lista cada entrada que não pôde ser lida, "
        "com a linha onde começa e o motivo, para que o arquivo possa ser corrigido e "
        "importado de novo sem mexer nas entradas que já foram salvas."
    )
    spanish = (
        "Cuando termina la importación, el informe enumera cada entrada que no se pudo leer, "
        "con la línea donde empieza y el motivo, para que el archivo pueda corregirse e "
        "importarse de nuevo sin tocar las entradas que ya se guardaron."
    )
    assert detector.is_wrong(english, "de", source=source) == "en"
    assert detector.is_wrong(portuguese, "es", source=source) == "pt"
    assert detector.is_wrong(spanish, "it", source=source) == "es"
    assert detector.is_wrong(spanish, "es", source=source) is None
    assert detector.is_wrong(portuguese, "pt", source=source) is None


@pytest.mark.parametrize("catalog", ["de", "fr", "pl", "id", "ja"])
def test_headline_english_with_a_rarer_word_is_caught(
    detector: LanguageDetector, catalog: str
) -> None:
    # two of three words among the commonest of English ("remote" is rarer): not a name
    assert detector.is_wrong("Rename Remote Branch", catalog, source="Open file") == "en"


def test_names_the_project_keeps_are_read_past() -> None:
    kept = LanguageDetector(LANGUAGES, keep=["Workers Vanguard", "Amnesty International"])
    plain = LanguageDetector(LANGUAGES)
    # common English words in headline case: a label left in, unless the project keeps it
    assert plain.is_wrong("Workers Vanguard", "de", source="Workers Vanguard") == "en"
    assert kept.is_wrong("Workers Vanguard", "de", source="Workers Vanguard") is None
    assert kept.is_wrong("Amnesty International", "ja", source="Amnesty International") is None
    # only the name is read past: the rest of the text is judged
    text = "Workers Vanguard: the union leadership betrayed the strike"
    assert kept.is_wrong(text, "de", source="Workers Vanguard No. 863") == "en"
    assert (
        kept.is_wrong("Workers Vanguard Nr. 863", "de", source="Workers Vanguard No. 863") is None
    )


@pytest.mark.parametrize(
    ("text", "catalog"),
    [
        ("Sierra Leone", "it"),
        ("El Salvador", "pl"),  # reads as Spanish, not English
        ("Bitbucket Data Center", "fr"),  # mostly unknown words
    ],
)
def test_names_kept_from_the_msgid_do_not_alarm(
    detector: LanguageDetector, text: str, catalog: str
) -> None:
    assert detector.is_wrong(text, catalog, source=text) is None


def test_han_forms_tell_japanese_from_chinese(detector: LanguageDetector) -> None:
    # simplified forms (选, 择, 项) are not Japanese; Japanese forms (訳, 済) not Chinese
    assert detector.is_wrong("选择一项", "ja", source="Choose an item") == "zh"
    assert detector.is_wrong("翻訳済", "zh", source="Translated") == "ja"
    # traditional forms (規) are Japanese in a simplified Chinese catalog, not in zh_TW's
    assert detector.is_wrong("利用規約", "zh", source="Terms of use") == "ja"
    assert detector.is_wrong("利用規約", "zh_TW", source="Terms of use") is None
    assert detector.is_wrong("利用規約", "ja", source="Terms of use") is None


def test_han_words_tell_japanese_from_chinese(detector: LanguageDetector) -> None:
    # forms both languages write, read as words of each: 字符串 is Chinese, 水曜日 Japanese
    assert detector.is_wrong("字符串位置", "ja", source="String location") == "zh"
    assert detector.is_wrong("水曜日", "zh", source="Wednesday") == "ja"
    # a compound the Chinese list holds whole and the Japanese one cuts: either language
    assert detector.is_wrong("第二部", "ja", source="Part Two") is None
    assert detector.is_wrong("删除", "zh", source="Delete") is None
    assert detector.is_wrong("削除", "ja", source="Delete") is None
    assert detector.is_wrong("位置", "ja", source="Location") is None
    assert detector.is_wrong("位置", "zh", source="Location") is None


def test_compounds_and_tagalog_affixes(detector: LanguageDetector) -> None:
    # a compound's parts are words: "Read-only" is two, "E-mail" one
    assert detector.is_wrong("Read-only", "fr", source="Read-only") == "en"
    assert detector.is_wrong("E-mail", "de", source="Email") is None
    assert detector.is_wrong("Bem-vindo", "es", source="Welcome") == "pt"
    # Tagalog joins its affixes to loanwords with a hyphen; Indonesian does not
    assert detector.is_wrong("I-save", "id", source="Save") == "tl"
    assert detector.is_wrong("Mag-sign in", "id", source="Sign in") == "tl"
    assert detector.is_wrong("Masuk", "id", source="Sign in") is None
    assert detector.is_wrong("kata-kata sandi", "id", source="passwords") is None


def test_one_word_beside_acronyms_is_judged_when_the_catalog_language_lacks_it(
    detector: LanguageDetector,
) -> None:
    assert detector.is_wrong("Indirizzo IP", "es", source="IP address") == "it"
    assert detector.is_wrong("Dirección IP", "es", source="IP address") is None
    assert detector.is_wrong("Password SAP", "it", source="SAP password") is None


def test_latin_words_in_a_catalog_of_another_script(detector: LanguageDetector) -> None:
    # untranslated labels and names alike: a name kept in Latin letters takes an ignore
    assert detector.is_wrong("Password Reset", "ru", source="Password Reset") == "en"
    assert detector.is_wrong("American Samoa", "zh", source="Lebanon") == "en"
    assert detector.is_wrong("Bitbucket Cloud", "ja", source="Bitbucket Cloud") == "en"
    assert detector.is_wrong("URL obrazu", "ru", source="Image URL") == "pl"
    # one word, words no list knows, or among the catalog's own script: not judged
    assert detector.is_wrong("Ctrl+S", "ja", source="Ctrl+S") is None
    assert detector.is_wrong("gettext PO", "zh", source="gettext PO") is None


def test_accelerators_slashes_and_mixed_scripts(detector: LanguageDetector) -> None:
    assert detector.is_wrong("_Guardar cambios", "es", source="_Save changes") is None
    assert detector.is_wrong("Salvar alte_rações", "es", source="_Save changes") == "pt"
    assert detector.is_wrong("Uno/pochi/molti/altro", "es", source="One/few/many/other") == "it"
    assert detector.is_wrong("Войти в Wagtail", "ru", source="Sign in to Wagtail") is None
