"""The domain: articles read from sources, the units cut from them, and coverage counts.

All are frozen dataclasses; the database models in :mod:`i18n_pipeline.store.models` are kept
apart and converted in :mod:`i18n_pipeline.store.convert`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from itertools import chain

#: Block kinds a reader may produce, in the words used in catalog comments.
BLOCK_KINDS = ("title", "heading", "paragraph", "quote", "attribution", "list-item")

#: Roles of the blocks of the title block (front matter that is translated).
TITLE_ROLES = ("kicker", "title", "subtitle", "part")


@dataclass(frozen=True)
class Block:
    """One block of an article: its kind, its text (inline markup as simple tags), its line."""

    kind: str
    text: str
    line: int
    role: str | None = None  # for kind "title": kicker, title, subtitle or part


@dataclass(frozen=True)
class Section:
    """A run of blocks under one heading. Section 0 is the lead, before the first heading."""

    index: int
    title: str | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Provenance:
    """Where a page fetched from the publisher's site came from, and which version it is."""

    url: str
    fetched_at: str  # ISO 8601 in UTC, "2026-11-25T14:00:00Z"
    etag: str | None = None
    last_modified: str | None = None  # as the server sent it (an HTTP date)

    def describe(self) -> str:
        """One line for a template's header comment."""
        version = [f"ETag {self.etag}"] if self.etag else []
        if self.last_modified:
            version.append(f"Last-Modified {self.last_modified}")
        extra = f" ({'; '.join(version)})" if version else ""
        return f"Fetched from {self.url} at {self.fetched_at}{extra}"


@dataclass(frozen=True)
class ArticleMeta:
    """Front matter found by the site profile."""

    publication: str | None = None
    issue: str | None = None
    date: str | None = None  # ISO 8601, YYYY-MM-DD
    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None
    part: str | None = None
    tags: tuple[str, ...] = ()
    #: Titles of the issue's articles from its trailing table of contents.
    issue_contents: tuple[str, ...] = ()
    #: For a page fetched from the site: its URL and version.
    provenance: Provenance | None = None


@dataclass(frozen=True)
class Article:
    """An article as read from its source file."""

    id: str
    source_path: str  # relative to the project root, with "/" separators
    format: str  # "txt", "html" or "md"
    meta: ArticleMeta
    sections: tuple[Section, ...]
    source_language: str = "en"

    @property
    def title(self) -> str | None:
        return self.meta.title

    def blocks(self) -> list[tuple[Section, Block]]:
        return [(s, b) for s in self.sections for b in s.blocks]


@dataclass(frozen=True)
class Unit:
    """A translatable unit: what becomes one msgid occurrence in the template."""

    text: str
    section: int
    section_title: str | None
    kind: str
    line: int
    position: int  # order of the unit in the article, from 0
    role: str | None = None
    #: Index of the block within the article (units of one block share it; sentence mode).
    block: int = 0


@dataclass(frozen=True)
class Counts:
    """Units and source words by state, for one language over some scope."""

    units: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    words: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0
    outdated: int = 0
    outdated_words: int = 0

    @property
    def percent(self) -> float:
        if self.words == 0:
            return 100.0
        return round(100.0 * self.translated_words / self.words, 1)

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @classmethod
    def of_unit(cls, state: str, words: int, outdated: bool = False) -> Counts:
        """The counts of a single unit in ``state`` (translated, fuzzy or untranslated)."""
        return cls(
            units=1,
            translated=int(state == "translated"),
            fuzzy=int(state == "fuzzy"),
            untranslated=int(state == "untranslated"),
            words=words,
            translated_words=words if state == "translated" else 0,
            fuzzy_words=words if state == "fuzzy" else 0,
            untranslated_words=words if state == "untranslated" else 0,
            outdated=int(outdated),
            outdated_words=words if outdated else 0,
        )

    def as_dict(self) -> dict[str, int | float]:
        d: dict[str, int | float] = {f.name: getattr(self, f.name) for f in fields(self)}
        d["percent"] = self.percent
        return d


_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
# _TAG over UTF-8 bytes, with \s spelled out as the UTF-8 forms of the characters it matches
# ("<" and ">" are never part of a character of several bytes).
_UTF8_SPACE = (
    rb"[\t-\r\x1c- ]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f"
    rb"|\xe3\x80\x80"
)
_UTF8_TAG = re.compile(rb"</?[A-Za-z][A-Za-z0-9]*(?:(?:" + _UTF8_SPACE + rb")[^<>]*)?/?>")
_SPACE = re.compile(r"\s+")

# A word is a match of ``[^\W_](?:[\w'’.-]*[^\W_])?``, counted without running it: characters
# fall into three classes, letters and digits (``[^\W_]``), joiners (the other characters of
# ``[\w'’.-]``) and separators. A match is a run of letters and joiners that holds a letter, so
# with the joiners deleted the words are the runs of letters. ``bytes.translate`` turns the
# UTF-8 bytes into one byte per character, 1 for a letter and 0 for a separator (a character
# outside ASCII becomes 2, from its lead byte, then its own class); read as one big integer,
# each run sets two bits of ``x ^ (x << 8)``, where it starts and just after it ends.
_LETTER = re.compile(r"[^\W_]")
_JOINER = re.compile(r"[\w'’.-]")
_NOT_ASCII = bytes(range(128))
_CONTINUATION = bytes(range(0x80, 0xC0))
_OTHER = b"\x02"  # a character outside ASCII, to be classified on its own


def _char_class(char: str) -> bytes:
    if _LETTER.match(char):
        return b"\x01"
    if _JOINER.match(char):
        return b""
    return b"\x00"


def _byte_classes() -> tuple[bytes, bytes]:
    table = bytearray(_OTHER * 256)
    delete = bytearray(_CONTINUATION)
    for code in range(128):
        kind = _char_class(chr(code))
        if kind:
            table[code] = kind[0]
        else:
            delete.append(code)
    return bytes(table), bytes(delete)


class _CharClasses(dict[str, bytes]):
    """The class of each character outside ASCII met so far."""

    def __missing__(self, char: str) -> bytes:
        kind = self[char] = _char_class(char)
        return kind


_BYTE_CLASS, _BYTE_DELETE = _byte_classes()
_CHAR_CLASS = _CharClasses()

#: Text that no word and no tag runs across, so ``count_words(a + TEXT_SEPARATOR + b)`` is
#: ``count_words(a) + count_words(b)``: "<" before a line break opens no tag and closes none,
#: and neither is part of a word.
TEXT_SEPARATOR = "\n<\n"


def normalize_space(text: str) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return _SPACE.sub(" ", text).strip()


def strip_tags(text: str) -> str:
    """Drop the simple inline tags (``<em>``, ``<a href=…>``) kept in unit text."""
    return _TAG.sub("", text)


def count_words(text: str) -> int:
    r"""Words of a source text: runs of letters or digits, inner ``'’.-`` allowed, tags ignored.

    ``don’t``, ``U.S.``, ``1923-24`` and ``anti-Soviet`` are one word each; punctuation and
    dashes standing alone are none. The count is that of the regular expression
    ``[^\W_](?:[\w'’.-]*[^\W_])?`` over the text without its tags, found without running it.
    """
    return count_words_utf8(text.encode("utf-8", "surrogatepass"))


def count_words_many(texts: Iterable[str]) -> int:
    """The sum of :func:`count_words` over ``texts``, counted in one pass."""
    return count_words(TEXT_SEPARATOR.join(texts))


def count_words_utf8(data: bytes) -> int:
    """:func:`count_words` of UTF-8 text (lone surrogates as ``surrogatepass`` writes them),
    counted without decoding it."""
    if b"<" in data:
        data = _UTF8_TAG.sub(b"", data)
    classes = data.translate(_BYTE_CLASS, _BYTE_DELETE)
    if not data.isascii():  # put in the classes of the characters outside ASCII
        others = data.translate(None, _NOT_ASCII).decode("utf-8", "surrogatepass")
        kinds = [_CHAR_CLASS[char] for char in others]
        kinds.append(b"")
        classes = b"".join(chain.from_iterable(zip(classes.split(_OTHER), kinds, strict=True)))
    letters = int.from_bytes(classes, "little")
    return (letters ^ (letters << 8)).bit_count() >> 1


@dataclass(frozen=True)
class Language:
    """A target language as configured: code, the site's label, Babel's English name."""

    code: str
    label: str
    name: str = ""
    plural_forms: str = field(default="nplurals=2; plural=(n != 1);", compare=False)
