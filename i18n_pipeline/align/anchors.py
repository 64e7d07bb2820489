"""What a paragraph and its translation share, whatever the language: anchors.

Numbers, URLs, code and literals survive translation unchanged, as do most proper names
in languages written in the Latin script (and, in Japanese, Chinese or Russian, every word
left in Latin letters). Question and exclamation marks and quotations usually survive too.
Text is NFKC-normalised first, so full-width digits and punctuation (``２００６``, ``？``)
read as their ASCII forms.

*Hard* anchors (numbers, URLs, code) should appear on both sides: one found on a side
only counts against a pairing. *Soft* anchors (names, words in Latin letters) only count
for it: German capitalises every noun, Russian transliterates names.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from i18n_pipeline.model import normalize_space, strip_tags

_HREF = re.compile(r"""<a\s[^>]*?href="([^"]*)\"""")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Code and literals: identifiers joined by dots, slashes, colons or underscores, calls,
# inner capitals (OSError), and anything between backticks or in <code>.
_CODE = re.compile(
    r"[A-Za-z_][\w]*(?:(?:\.|::|/|->)[A-Za-z_][\w]*)+(?:\(\))?"
    r"|[A-Za-z_]\w*\(\)"
    r"|\b\w*_\w+\b"
    r"|\b[a-z]+[A-Z]\w*\b"
    r"|\b[A-Z][a-z]+[A-Z]\w*\b"
)
_NUMBER = re.compile(r"\d+")
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ][A-Za-zÀ-ÖØ-öø-ÿĀ-ſ'’-]*[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ]")
#: What comes before the first word of a sentence: nothing, or an end of sentence, with
#: any opening quotes or brackets.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\s[-–—]\s)[\s“\"«„‘'(\[¿¡]*$")
_QUOTES = re.compile(r"[“”„‟«»「」『』\"]")
#: Languages not written in the Latin script: any Latin word in them is an anchor.
NON_LATIN = frozenset({"ja", "zh", "ru", "uk", "bg", "el", "ko", "ar", "he", "fa", "hi", "th"})
#: Languages written without spaces between words.
UNSPACED = frozenset({"ja", "zh", "th"})


@dataclass(frozen=True)
class Anchors:
    """The anchors of one piece of text, and its length in characters (tags aside)."""

    length: int
    hard: Counter[str]
    names: frozenset[str]  # capitalised Latin words, not at the start of a sentence
    words: frozenset[str]  # every Latin word of two letters or more
    #: The words and their beginnings from three letters: a name found inflected
    #: (Python in "Pythonie", Benenson in "Benensons") is found among them.
    stems: frozenset[str]
    #: Lower-cased words of six letters or more, accents dropped, cut to their first five:
    #: cognates ("position", "arguments"/"argumentos") share them across languages.
    cognates: frozenset[str]
    questions: int
    exclamations: int
    quotes: int

    def __add__(self, other: Anchors) -> Anchors:
        return Anchors(
            self.length + other.length + 1,
            self.hard + other.hard,
            self.names | other.names,
            self.words | other.words,
            self.stems | other.stems,
            self.cognates | other.cognates,
            self.questions + other.questions,
            self.exclamations + other.exclamations,
            self.quotes + other.quotes,
        )


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plain(text: str) -> str:
    """``text`` without tags, NFKC-normalised, its white space collapsed."""
    return normalize_space(unicodedata.normalize("NFKC", strip_tags(text)))


def anchors(text: str) -> Anchors:
    """The anchors of ``text``."""
    hard: Counter[str] = Counter("u:" + h for h in _HREF.findall(text))
    flat = plain(text)
    rest = flat
    for url in _URL.findall(flat):
        hard["u:" + url.rstrip(".,;:")] += 1
        rest = rest.replace(url, " ")
    for code in _CODE.findall(rest):
        hard["c:" + code] += 1
    for number in _NUMBER.findall(rest):
        hard["n:" + (number.lstrip("0") or "0")] += 1
    found = list(_LATIN_WORD.finditer(rest))
    names = frozenset(
        m[0] for m in found if m[0][0].isupper() and not _SENTENCE_START.search(rest, 0, m.start())
    )
    return Anchors(
        len(flat),
        hard,
        names,
        frozenset(m[0] for m in found),
        frozenset(m[0][:n] for m in found for n in range(3, len(m[0]) + 1)),
        frozenset(_fold(m[0])[:5] for m in found if len(m[0]) >= 6),
        flat.count("?"),
        flat.count("!"),
        len(_QUOTES.findall(flat)) // 2,
    )
