"""Which language a translation is written in, for the wrong-language check (W301).

The script decides first: kana means Japanese, Han without kana Chinese, Cyrillic Russian
when Russian is the only Cyrillic candidate. Within one script (Latin above all) langdetect
decides, restricted to the project's languages and the source language: its probabilities
are renormalised over those candidates, and a segment is called wrong only when the margin
is wide. Short segments and name-only segments are not judged: a false alarm in a CI gate
costs more than a miss.

The langdetect profiles are read once per process, lazily, and every detector has its own
``DetectorFactory`` with its own seed, so detection is deterministic and langdetect's global
factory is never touched.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

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

    def is_wrong(self, text: str, expected: str) -> str | None:
        """The language ``text`` is written in if it is surely not ``expected``, else None."""
        return self.judge(self.analyse(text, normalise_code(expected)), expected)


# -- evaluation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A segment found in ``catalog``'s catalog, really written in ``language``."""

    text: str
    catalog: str
    language: str
    origin: str = ""

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
    """Catch and false-alarm counts per catalog language; each text is detected once."""
    scores: dict[str, LangScore] = {}
    seen: dict[str, Detection] = {}
    for case in cases:
        if case.text not in seen:
            seen[case.text] = detector.analyse(case.text)
        flagged = detector.judge(seen[case.text], case.catalog) is not None
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
