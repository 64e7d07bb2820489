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

Most catalogs are written by gettext tools in one shape: every keyword at the start of its
line, one space, one string per line, continuation lines that hold only a string. Such a
catalog is counted without the reader (:func:`_scan_canonical`): one regular expression cuts
the text into entries and classifies them, and the rest works on whole columns of strings.
Anything else, and anything that could be an error (a duplicate, a plural form out of order),
goes to the reader of :mod:`~i18n_pipeline.po.parse`, which alone decides what is valid and
which line to blame. The shape that the fast path accepts is a subset of what that reader
accepts, and the two count the same (``tests/test_po_scan_fast.py`` holds them to it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from i18n_pipeline.model import count_words, count_words_many
from i18n_pipeline.po.catalog import Catalog
from i18n_pipeline.po.parse import (
    _SIMPLE_ESCAPES,
    Message,
    _Reader,
    decode_po,
    parse_header,
    split_flags,
)

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
    if not bad_bytes:
        stats = _scan_canonical(text, path)
        if stats is not None:
            return stats
    return _scan_read(text, bad_bytes, path)


def _scan_read(text: str, bad_bytes: bool, path: str) -> PoStats:
    """Count with the reader of :mod:`~i18n_pipeline.po.parse`: any catalog, any error."""
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


# -- the fast path ---------------------------------------------------------------------------

# A string with only the escapes that stand for one character each and no control character
# (a literal tab and "\t" are the same msgid: keeping both out makes the raw text a key).
_CHAR = r'[^"\\\x00-\x1f]'
_STRING = rf'"{_CHAR}*+(?:\\[ntbrfva\\"]{_CHAR}*+)*+"'
_EMPTY = '""\n'


def _strings(prefix: str) -> str:
    """A string that ends its line and the continuation lines after it, with ``prefix``."""
    return rf"{_STRING}\n(?:{re.escape(prefix)}{_STRING}\n)*+"


def _forms(prefix: str, number: int) -> str:
    """Optionally ``msgstr[number]`` and the forms after it, numbered in order up to 9."""
    if number > 9:
        return ""
    form = rf"{re.escape(prefix)}msgstr\[{number}\] {_strings(prefix)}"
    return rf"(?:{form}{_forms(prefix, number + 1)})?"


def _previous(prefix: str) -> str:
    """The ``#|`` strings (previous msgctxt, msgid, msgid_plural) an entry may start with."""
    p = re.escape(prefix)
    strings = _strings(prefix)
    return rf"(?:(?:{p}msgctxt {strings})?{p}msgid {strings}(?:{p}msgid_plural {strings})?)?"


_STRINGS = _strings("")
_OBSOLETE_STRINGS = _strings("#~ ")
# An active entry. Groups: ctxt (its strings), header (a one-line empty msgid with msgstr
# group header_msgstr), msgid, plural, untranslated (the first msgstr has only empty strings).
_ACTIVE = (
    rf"{_previous('#| ')}(?:msgctxt (?P<ctxt>{_STRINGS}))?"
    rf'msgid (?:(?P<header>""\n)(?!")|(?P<msgid>{_STRINGS}))'
    rf"(?(header)msgstr (?P<header_msgstr>{_STRINGS})"
    rf"|(?P<plural>msgid_plural {_STRINGS})?(?(plural)msgstr\[0\] |msgstr )"
    rf'(?:(?P<untranslated>""\n(?:""\n)*+)(?!")|{_STRINGS})(?(plural){_forms("", 1)}))'
)
# An obsolete entry. Groups: obsolete_ctxt, obsolete_msgid.
_OBSOLETE = (
    rf"{_previous('#~| ')}(?:#~ msgctxt (?P<obsolete_ctxt>{_OBSOLETE_STRINGS}))?"
    rf"#~ msgid (?P<obsolete_msgid>{_OBSOLETE_STRINGS})"
    rf"(?:#~ msgstr {_OBSOLETE_STRINGS}"
    rf"|#~ msgid_plural {_OBSOLETE_STRINGS}#~ msgstr\[0\] {_OBSOLETE_STRINGS}{_forms('#~ ', 1)})"
)
# Comments and blank lines, then an entry, a line of another shape (group other) or the end.
# It matches wherever the previous match ended, so findall() cuts the text into consecutive
# pieces, one per entry. (A comment ending in a backslash goes on on the next line.)
_PIECE = re.compile(
    r"(?P<comments>(?:#(?:[^~|\n][^\n]*+)?(?<!\\)\n|\n)*+)"
    rf"(?:{_ACTIVE}|{_OBSOLETE}|(?P<other>[^\n]*+\n)|\Z)"
)
_ESCAPE = re.compile(r"\\(.)")


def _unescape(escape: re.Match[str]) -> str:
    return _SIMPLE_ESCAPES[escape[1]]


def _texts(column: tuple[str, ...], prefix: str = "") -> list[str]:
    """The text of each item's strings, quoted and ending its line, escapes decoded.

    The strings of an item are joined first (two lines ``"a"`` and ``"b"`` become ``"ab"``),
    in one pass over the whole column; items of the pieces that are not of this kind stay
    empty.
    """
    texts = "\x00".join(column).replace(f'"\n{prefix}"', "")
    if "\\" in texts:
        texts = _ESCAPE.sub(_unescape, texts)
    return texts.split("\x00")


def _keys(ctxts: tuple[str, ...], msgids: list[str], prefix: str = "") -> list[str]:
    """The msgctxt and msgid of each message as one string, for the messages that are there."""
    if not any(ctxts):
        return [msgid for msgid in msgids if msgid]
    return [
        f"{ctxt}\x04{msgid}" if ctxt else msgid
        for ctxt, msgid in zip(_texts(ctxts, prefix), msgids, strict=True)
        if msgid
    ]


def _is_fuzzy(comments: str) -> bool:
    return any(
        line[1:2] in (",", "!") and "fuzzy" in split_flags(line[2:])
        for line in comments.split("\n")
    )


def _scan_canonical(text: str, path: str) -> PoStats | None:
    """Count a catalog of the common shape, or return None to leave it to the reader.

    None also for a message defined twice and for an empty msgid that is not a one-line
    header without msgctxt: the reader judges those.
    """
    if "\r" in text:
        if "\\\r\n" in text:
            return None
        text = text.replace("\r\n", "\n")
    if not text.endswith("\n"):
        text += "\n"
    (
        comments,
        ctxts,
        headers,
        msgids,
        header_msgstrs,
        _,  # msgid_plural
        untranslated,
        obsolete_ctxts,
        obsolete_msgids,
        other,
    ) = zip(*_PIECE.findall(text), strict=True)
    if any(other) or any(c for c, h in zip(ctxts, headers, strict=True) if h):
        return None
    active = _texts(msgids)
    obsolete = _texts(obsolete_msgids, "#~ ")
    if _EMPTY in active:
        return None
    header = [msgstr for msgstr in header_msgstrs if msgstr]
    keys = _keys(ctxts, active) + _keys(obsolete_ctxts, obsolete, "#~ ") + [_EMPTY] * len(header)
    if len(set(keys)) != len(keys):
        return None
    messages = list(zip(active, untranslated, comments, strict=True))
    todo = [msgid[1:-2] for msgid, empty, _ in messages if msgid and empty]
    done = [msgid[1:-2] for msgid, empty, _ in messages if msgid and not empty]
    fuzzy = [
        msgid[1:-2]
        for msgid, empty, notes in messages
        if msgid and not empty and "fuzzy" in notes and _is_fuzzy(notes)
    ]
    language = None
    header_msgstr = _texts((header[0],))[0][1:-2] if header else None
    for name, value in parse_header(header_msgstr or ""):
        if name.lower() == "language":
            language = value or None
    untranslated_words = count_words_many(todo)
    fuzzy_words = count_words_many(fuzzy)
    translated_words = count_words_many(done) - fuzzy_words
    return PoStats(
        path=path,
        language=language,
        translated=len(done) - len(fuzzy),
        fuzzy=len(fuzzy),
        untranslated=len(todo) + (header_msgstr == ""),
        obsolete=len(obsolete) - obsolete.count(""),
        words=translated_words + fuzzy_words + untranslated_words,
        translated_words=translated_words,
        fuzzy_words=fuzzy_words,
        untranslated_words=untranslated_words,
    )
