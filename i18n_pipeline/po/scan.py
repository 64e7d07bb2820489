"""Counting a PO file without building a catalog: the engine of ``stats``.

:func:`scan_po` is exactly as strict as :func:`~i18n_pipeline.po.parse.parse_po` and blames the
same line, but keeps only counts. The states mean what ``msgfmt --statistics`` means,
including its edge cases:

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
its bytes into entries and classifies them, and the rest works on whole columns of strings,
decoding only the msgids and the header.

Anything else, and anything that could be an error (a duplicate, a plural form out of order),
goes to the reader of :mod:`~i18n_pipeline.po.parse`, which alone decides what is valid and
which line to blame. The shape that the fast path accepts is a subset of what that reader
accepts, and the two count the same (``tests/test_po_scan_fast.py`` holds them to it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress
from operator import not_

from i18n_pipeline.model import TEXT_SEPARATOR, count_words, count_words_utf8
from i18n_pipeline.po.catalog import Catalog
from i18n_pipeline.po.parse import (
    _SIMPLE_ESCAPES,
    Message,
    _Reader,
    decode_po,
    parse_header,
    po_encoding,
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
    #: ``(line, message)`` where the file was read without a declared charset.
    warning: tuple[int, str] | None = field(default=None, compare=False)


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
    stats = _scan_canonical(data, po_encoding(data), path)
    if stats is not None:
        return stats
    text, bad_bytes = decode_po(data)
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
        translated=counts["translated"],
        fuzzy=counts["fuzzy"],
        untranslated=counts["untranslated"],
    )


# -- the fast path ---------------------------------------------------------------------------
#
# The expressions read the bytes of the file: charsets in which a byte below 0x80 is always
# that ASCII character (not Shift_JIS or Big5, where the second byte of a character may be a
# backslash) are decoded only where text is needed, the msgids and the header.


def _ascii_safe(encoding: str) -> bool:
    return encoding in ("utf-8", "ascii") or encoding.startswith(("iso8859-", "cp125", "koi8-"))


# A string with only the escapes that stand for one character each and no control character
# (a literal tab and "\t" are the same msgid: keeping both out makes the raw bytes a key).
_CHAR = r'[^"\\\x00-\x1f]'
_STRING = rf'"{_CHAR}*+(?:\\[ntbrfva\\"]{_CHAR}*+)*+"'


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
# group header_msgstr), msgid, plural, untranslated (a quote if the first msgstr is empty).
_ACTIVE = (
    rf"{_previous('#| ')}(?:msgctxt (?P<ctxt>{_STRINGS}))?"
    rf'msgid (?:(?P<header>""\n)(?!")|(?P<msgid>{_STRINGS}))'
    rf"(?(header)msgstr (?P<header_msgstr>{_STRINGS})"
    rf"|(?P<plural>msgid_plural {_STRINGS})?(?(plural)msgstr\[0\] |msgstr )"
    rf'(?:"(?P<untranslated>")\n(?:""\n)*+(?!")|{_STRINGS})(?(plural){_forms("", 1)}))'
)
# An obsolete entry. Groups: obsolete_ctxt, obsolete_msgid.
_OBSOLETE = (
    rf"{_previous('#~| ')}(?:#~ msgctxt (?P<obsolete_ctxt>{_OBSOLETE_STRINGS}))?"
    rf"#~ msgid (?P<obsolete_msgid>{_OBSOLETE_STRINGS})"
    rf"(?:#~ msgstr {_OBSOLETE_STRINGS}"
    rf"|#~ msgid_plural {_OBSOLETE_STRINGS}#~ msgstr\[0\] {_OBSOLETE_STRINGS}{_forms('#~ ', 1)})"
)
# A comment line (one that ends in a backslash goes on on the next line, so it is not one).
_COMMENT = r"#(?:[^~|\n][^\n]*+)?(?<!\\)\n"
# Comments and blank lines, then an entry, a line of another shape (group other) or the end.
# Group fuzzy holds the comments from the first flag line that mentions "fuzzy" on, if any.
# It matches wherever the previous match ended, so findall() cuts the text into consecutive
# pieces, one per entry.
_PIECE = re.compile(
    (
        r"(?:#(?:[^~|,!\n][^\n]*+)?(?<!\\)\n|#[,!](?:(?!fuzzy)[^\n])*+(?<!\\)\n|\n)*+"
        rf"(?P<fuzzy>#[,!][^\n]*+(?<!\\)\n(?:{_COMMENT}|\n)*+)?"
        rf"(?:{_ACTIVE}|{_OBSOLETE}|(?P<other>[^\n]*+\n)|\Z)"
    ).encode()
)
_EMPTY = b'""\n'
_SEPARATOR = TEXT_SEPARATOR.encode()
_ESCAPE = re.compile(r"\\(.)")


def _unescape(escape: re.Match[str]) -> str:
    return _SIMPLE_ESCAPES[escape[1]]


# Escapes in the bytes of msgids, for counting their words. Every escape stands for a
# character that is no part of a word; what counts is whether it is white space, which may
# open a tag's attributes. The first expression takes the escapes of other characters, and
# "\\\\" with them, so that the second meets only escapes of white space.
_NOT_SPACE_ESCAPE = re.compile(rb'\\[\\"ab]')
_SPACE_ESCAPE = re.compile(rb"\\[ntvfr]")


def _joined(column: Iterable[bytes], prefix: bytes = b"") -> bytes:
    """The items of a column in one text, separated by :data:`TEXT_SEPARATOR`, the strings
    of each joined into one (lines ``"a"`` and ``"b"`` become ``"ab"``), escapes kept."""
    return _SEPARATOR.join(column).replace(b'"\n' + prefix + b'"', b"")


def _text(joined: bytes, encoding: str) -> str:
    """A joined column decoded, escapes and all."""
    text = joined.decode(encoding)
    return _ESCAPE.sub(_unescape, text) if "\\" in text else text


def _words(joined: bytes, encoding: str) -> int:
    """The words of the msgids in a joined column: its quotes and line breaks are separators
    that no tag starts or ends at, so every msgid counts as it would alone."""
    if encoding not in ("utf-8", "ascii"):
        return count_words(_text(joined, encoding))
    if b"\\" in joined:
        joined = _SPACE_ESCAPE.sub(b" ", _NOT_SPACE_ESCAPE.sub(b"\x00", joined))
    return count_words_utf8(joined)


def _keys(ctxts: tuple[bytes, ...], msgids: bytes, prefix: bytes = b"") -> list[bytes]:
    """The msgctxt and msgid of each message of a joined column, as one key (empty for the
    pieces that are not of this kind)."""
    keys = msgids.split(_SEPARATOR)
    if not any(ctxts):
        return keys
    contexts = _joined(ctxts, prefix).split(_SEPARATOR)
    return [c + b"\x04" + m if c else m for c, m in zip(contexts, keys, strict=True)]


def _is_fuzzy(comments: bytes, encoding: str) -> bool:
    """Whether comments that start with a flag line mentioning "fuzzy" have the flag."""
    if comments.startswith((b"#, fuzzy\n", b"#, fuzzy,")):  # as gettext writes it
        return True
    return any(
        line[1:2] in (",", "!") and "fuzzy" in split_flags(line[2:])
        for line in comments.decode(encoding).split("\n")
    )


def _scan_canonical(data: bytes, encoding: str, path: str) -> PoStats | None:
    """Count a catalog of the common shape, or return None to leave it to the reader.

    None also for a charset that is not ASCII-safe, a byte the charset does not allow, a
    message defined twice, and an empty msgid anywhere but in a one-line header without
    msgctxt: the reader judges those.
    """
    if not _ascii_safe(encoding):
        return None
    if not data.isascii():
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            return None
    if b"\r" in data:
        if b"\\\r\n" in data:
            return None
        data = data.replace(b"\r\n", b"\n")
    if not data.endswith(b"\n"):
        data += b"\n"
    (
        fuzzy_comments,
        ctxts,
        headers,
        msgids,
        header_msgstrs,
        _,  # msgid_plural
        untranslated,
        obsolete_ctxts,
        obsolete_msgids,
        other,
    ) = zip(*_PIECE.findall(data), strict=True)
    if any(other) or any(compress(ctxts, headers)):
        return None
    # Group untranslated is set for the untranslated messages, msgid for every message but
    # the header; "done" also holds the empty msgids of the pieces that are no message.
    todo = tuple(compress(msgids, untranslated))
    done = tuple(compress(msgids, map(not_, untranslated)))
    fuzzy = [
        msgid
        for msgid, empty, notes in compress(
            zip(msgids, untranslated, fuzzy_comments, strict=True), fuzzy_comments
        )
        if msgid and not empty and _is_fuzzy(notes, encoding)
    ]
    todo_text = _joined(todo)
    done_text = _joined(done)
    # One key per message, the same for the same msgctxt and msgid however their strings
    # are split; empty for the pieces that are no message of that kind.
    if any(ctxts):
        keys = _keys(ctxts, _joined(msgids))
    else:
        keys = todo_text.split(_SEPARATOR) + done_text.split(_SEPARATOR)
    if _EMPTY in keys:
        return None
    header = [msgstr for msgstr in header_msgstrs if msgstr]
    keys += _keys(obsolete_ctxts, _joined(obsolete_msgids, b"#~ "), b"#~ ")
    keys += [_EMPTY] * len(header)
    distinct = set(keys)
    distinct.discard(b"")
    if len(distinct) != len(keys) - keys.count(b""):
        return None
    language = None
    header_msgstr = _text(_joined(tuple(header[:1])), encoding)[1:-2] if header else None
    for name, value in parse_header(header_msgstr or ""):
        if name.lower() == "language":
            language = value or None
    untranslated_words = _words(todo_text, encoding)
    fuzzy_words = _words(_joined(fuzzy), encoding)
    translated_words = _words(done_text, encoding) - fuzzy_words
    return PoStats(
        path=path,
        language=language,
        translated=len(done) - done.count(b"") - len(fuzzy),
        fuzzy=len(fuzzy),
        untranslated=len(todo) + (header_msgstr == ""),
        obsolete=len(obsolete_msgids) - obsolete_msgids.count(b""),
        words=translated_words + fuzzy_words + untranslated_words,
        translated_words=translated_words,
        fuzzy_words=fuzzy_words,
        untranslated_words=untranslated_words,
    )
