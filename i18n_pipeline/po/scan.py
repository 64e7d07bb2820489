"""Counting a PO file without building a catalog: the engine of ``stats``.

:func:`scan_po` reads with the same reader as :func:`~i18n_pipeline.po.parse.parse_po` (so it
is exactly as strict and blames the same line) but keeps only counts. The states mean what
``msgfmt --statistics`` means, including its edge cases:

- an entry whose first ``msgstr`` (``msgstr[0]`` for plurals) is empty is *untranslated*,
  even when it is marked fuzzy or when other plural forms are filled;
- otherwise a fuzzy entry is *fuzzy*, and anything else is *translated* (a plural entry
  with ``msgstr[0]`` filled counts as translated even if a later form is empty);
- obsolete (``#~``) entries are counted apart, never as untranslated;
- the header is not counted, except that msgfmt counts a header with an empty msgstr as
  one untranslated message (with no words); a fuzzy header is not counted.

Words are :func:`~i18n_pipeline.model.count_words` of the msgid (for plurals, of the
singular msgid only), for active entries other than the header.
"""

from __future__ import annotations

from dataclasses import dataclass

from i18n_pipeline.model import count_words
from i18n_pipeline.po.catalog import Catalog
from i18n_pipeline.po.parse import Message, _Reader, decode_po, parse_header, split_flags

__all__ = ["PoStats", "scan_po", "catalog_stats"]


@dataclass(frozen=True)
class PoStats:
    """Message and source-word counts of one catalog, by state."""

    path: str
    language: str | None
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    words: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0


class _Counter(_Reader):
    """The consumer of :func:`scan_po`: counts messages as they are read."""

    def __init__(self, path: str) -> None:
        super().__init__(path, fail_fast=True)
        self.language: str | None = None
        self.have_header = False
        self.translated = self.fuzzy = self.untranslated = self.obsolete = 0
        self.translated_words = self.fuzzy_words = self.untranslated_words = 0

    def _message(self, message: Message) -> None:
        obsolete, msgctxt, msgid, _, msgstrs, comments = message[:6]
        if obsolete:
            self.obsolete += 1
            return
        first = msgstrs[0] if msgstrs else ""
        if msgid == "" and msgctxt is None and not self.have_header:
            self.have_header = True
            for key, value in parse_header(first):
                if key.lower() == "language":
                    self.language = value or None
            if first == "":
                self.untranslated += 1
            return
        words = count_words(msgid)
        if first == "":
            self.untranslated += 1
            self.untranslated_words += words
            return
        for comment in comments:
            if (
                comment[:1] in (",", "!")
                and "fuzzy" in comment
                and "fuzzy" in split_flags(comment[1:])
            ):
                self.fuzzy += 1
                self.fuzzy_words += words
                return
        self.translated += 1
        self.translated_words += words

    def result(self) -> PoStats:
        return PoStats(
            path=self.path,
            language=self.language,
            translated=self.translated,
            fuzzy=self.fuzzy,
            untranslated=self.untranslated,
            obsolete=self.obsolete,
            words=self.translated_words + self.fuzzy_words + self.untranslated_words,
            translated_words=self.translated_words,
            fuzzy_words=self.fuzzy_words,
            untranslated_words=self.untranslated_words,
        )


def scan_po(data: bytes, path: str = "<string>") -> PoStats:
    """Count the messages and words of a PO file by state; raise :class:`PoSyntaxError`."""
    text, bad_bytes = decode_po(data)
    counter = _Counter(path)
    counter.run(text, bad_bytes)
    return counter.result()


def catalog_stats(catalog: Catalog, path: str = "<string>") -> PoStats:
    """The same counts from a parsed catalog (its header is never counted)."""
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    words = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    obsolete = 0
    for entry in catalog.entries:
        if entry.obsolete:
            obsolete += 1
            continue
        state = entry.state
        counts[state] += 1
        words[state] += count_words(entry.msgid)
    language = catalog.header("Language")
    return PoStats(
        path=path,
        language=language or None,
        obsolete=obsolete,
        words=sum(words.values()),
        translated_words=words["translated"],
        fuzzy_words=words["fuzzy"],
        untranslated_words=words["untranslated"],
        **counts,
    )
