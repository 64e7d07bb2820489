"""A strict, fast reader of gettext PO files.

The reader accepts exactly what ``msgfmt --check-format`` accepts as syntax and reports the
first error on the line msgfmt blames, so a catalog that passes here also compiles. It is a
token-level port of msgfmt's grammar (``po-gram-gen.y``) driven line by line: canonical lines
(``msgid "text"``, ``"text"``, ``# comment``, their ``#~`` and ``#|`` forms) are tokenized
with ``str`` methods only; anything else goes through a general lexer that follows msgfmt's
``po-lex.c`` (escapes, several tokens on a line, keywords split by tabs, backslash-newline).

Syntax rules enforced, as msgfmt does: unterminated strings (blamed on the next line, like
msgfmt), invalid escapes such as ``\\q``, unknown keywords, stray characters, missing
``msgstr``/``msgid_plural``/``msgstr[]`` sections, wrong plural indexes, ``#~`` used on only
part of an entry, a ``#|`` previous string with no message after it, a file cut off inside an
entry, and a message defined twice ("duplicate message definition"; obsolete entries count).
After an error the reader resynchronises the way bison does (tokens are dropped until one
can start an entry, and errors stay silent for the next three tokens), so
:func:`parse_po_errors` lists the errors msgfmt would list.

Not checked here: format strings (``c-format``, ``python-format``), the leading/trailing
``\\n`` agreement and header fields, which ``msgfmt --check-format`` also reports but which
are semantic checks, not syntax. A ``domain`` directive is accepted and ignored.

Encoding: the file is decoded with the charset of its header (UTF-8 when none is declared);
bytes that are not valid in it are errors outside comments ("invalid multibyte sequence").
Line endings may be LF or CRLF.

Byte-order mark: rejected, as msgfmt rejects it (``1:2: syntax error``). A UTF-8 BOM makes
msgfmt fail, so accepting it here would let a catalog through that cannot be compiled; the
error says what the problem is instead of msgfmt's bare "syntax error".
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from typing import NamedTuple

from i18n_pipeline.errors import PoSyntaxError
from i18n_pipeline.po.catalog import Catalog, Entry

__all__ = ["parse_po", "parse_po_errors", "decode_po", "po_encoding"]

# Token kinds. PREV_* come from "#|" lines; NAME is an unknown keyword, JUNK a stray character.
COMMENT = 0
DOMAIN = 1
MSGCTXT = 2
MSGID = 3
MSGID_PLURAL = 4
MSGSTR = 5
LBRACKET = 6
RBRACKET = 7
NUMBER = 8
STRING = 9
PREV_MSGCTXT = 10
PREV_MSGID = 11
PREV_MSGID_PLURAL = 12
PREV_STRING = 13
NAME = 14
JUNK = 15
EOF = 16

_TOKEN_NAMES = {
    COMMENT: "comment",
    DOMAIN: "'domain'",
    MSGCTXT: "'msgctxt'",
    MSGID: "'msgid'",
    MSGID_PLURAL: "'msgid_plural'",
    MSGSTR: "'msgstr'",
    LBRACKET: "'['",
    RBRACKET: "']'",
    NUMBER: "number",
    STRING: "string",
    PREV_MSGCTXT: "'#| msgctxt'",
    PREV_MSGID: "'#| msgid'",
    PREV_MSGID_PLURAL: "'#| msgid_plural'",
    PREV_STRING: "'#|' string",
    NAME: "unknown keyword",
    JUNK: "stray character",
    EOF: "end of file",
}

_KEYWORDS = {
    "domain": DOMAIN,
    "msgctxt": MSGCTXT,
    "msgid": MSGID,
    "msgid_plural": MSGID_PLURAL,
    "msgstr": MSGSTR,
}
_PREV_KEYWORDS = {
    "msgctxt": PREV_MSGCTXT,
    "msgid": PREV_MSGID,
    "msgid_plural": PREV_MSGID_PLURAL,
}
# Keywords of canonical lines; -N-1 encodes "msgstr[N]".
_FAST_KEYWORDS: dict[str, int] = {
    "msgid": MSGID,
    "msgstr": MSGSTR,
    "msgctxt": MSGCTXT,
    "msgid_plural": MSGID_PLURAL,
    **{f"msgstr[{n}]": -n - 1 for n in range(10)},
}
_FAST_PREV_KEYWORDS = {"msgid": PREV_MSGID, "msgctxt": PREV_MSGCTXT}

# Parser states: which part of an entry the next strings belong to.
IDLE = 0
IN_DOMAIN = 1
IN_PREV_CTXT = 2
IN_PREV_ID = 3
IN_PREV_PLURAL = 4
IN_CTXT = 5
IN_ID = 6
IN_PLURAL = 7
IN_MSGSTR = 8  # after msgid: its strings, or "[" for a plural form without msgid_plural
FORM_OPEN = 9  # "msgstr" after msgid_plural or a form: "[" follows
FORM_INDEX = 10  # "[": a number follows
FORM_CLOSE = 11  # number: "]" follows
IN_FORM = 12  # "msgstr[N]": its strings
_LIST_STATES = frozenset(
    {
        IN_DOMAIN,
        IN_PREV_CTXT,
        IN_PREV_ID,
        IN_PREV_PLURAL,
        IN_CTXT,
        IN_ID,
        IN_PLURAL,
        IN_MSGSTR,
        IN_FORM,
    }
)

_IDENT_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$")
_IDENT = _IDENT_START | frozenset("0123456789")
_DIGITS = frozenset("0123456789")
_OCTAL = frozenset("01234567")
_HEX = frozenset("0123456789abcdefABCDEF")
_WHITE = frozenset(" \t\r\f\v")
_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "b": "\b",
    "r": "\r",
    "f": "\f",
    "v": "\v",
    "a": "\a",
    "\\": "\\",
    '"': '"',
}
_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:+-]+)")
_SURROGATE = re.compile("[\udc80-\udcff]")
_BOM = "\ufeff"

LexError = tuple[str, int, bool]  # message, line, whether msgfmt gives a column
Token = tuple[int, object, int, bool, "list[LexError] | None"]


def declared_encoding(data: bytes) -> str | None:
    """The codec the header's charset names, or None when it names none Python knows (no
    charset, ``charset=`` empty, ``CHARSET`` as in a template, or an unknown name)."""
    at = data.find(b"charset=")
    if at >= 0:
        match = _CHARSET.match(data, at)
        if match:
            try:
                return codecs.lookup(match.group(1).decode("ascii")).name
            except LookupError:
                pass
    return None


def po_encoding(data: bytes) -> str:
    """The codec of a PO file: its header's charset, UTF-8 when none is declared or known."""
    return declared_encoding(data) or "utf-8"


def charset_warning(data: bytes) -> tuple[int, str] | None:
    """``(line, message)`` when the header declares no charset Python knows: msgfmt then
    warns and reads the bytes as they are, and so does :func:`decode_po`."""
    if declared_encoding(data) is not None:
        return None
    at = data.find(b"charset=")
    if at < 0:
        at = data.find(b"Content-Type:")
        message = "no charset in the header's Content-Type"
    else:
        name = _CHARSET.match(data, at)
        message = (
            f"charset '{name.group(1).decode('ascii')}' is not a known encoding"
            if name
            else "the header's charset is empty"
        )
    line = data.count(b"\n", 0, at) + 1 if at >= 0 else 1
    return line, f"{message}; bytes outside UTF-8 are read as they are, as msgfmt reads them"


def decode_po(data: bytes) -> tuple[str, bool]:
    """The text of a PO file, decoded with its header's charset, and whether bytes were bad.

    Undecodable bytes are kept as lone surrogates (``surrogateescape``) so the reader can
    blame their line. A file that declares no charset is not held to one: like msgfmt, which
    then passes its bytes through, it is read as UTF-8 where it is valid, else byte by byte.
    """
    encoding = declared_encoding(data)
    try:
        return data.decode(encoding or "utf-8"), False
    except UnicodeDecodeError:
        if encoding is None:
            return data.decode("latin-1"), False
        return data.decode(encoding, "surrogateescape"), True


class Message(NamedTuple):
    """One message as read, before it becomes an :class:`Entry` or a count."""

    obsolete: bool
    msgctxt: str | None
    msgid: str
    msgid_plural: str | None
    msgstrs: list[str]  # the msgstr, or the plural forms in order
    comments: list[str]  # comment lines without their "#"
    prev_ctxt: list[str] | None  # "#|" strings, not yet joined
    prev_id: list[str] | None
    prev_plural: list[str] | None
    line: int


class _Reader:
    """msgfmt's grammar as a state machine fed token by token; subclasses consume messages.

    ``_message`` is called once per well-formed, non-duplicate message, in file order.
    """

    def __init__(self, path: str, fail_fast: bool) -> None:
        self.path = path
        self.errors: list[PoSyntaxError] = []
        self._fail_fast = fail_fast
        self._state = IDLE
        self._target: list[str] | None = None  # where the next STRING goes, if anywhere
        self._recovering = 0  # bison's yyerrstatus: tokens to shift before errors count again
        self._aborted = False
        self._last_error_line = 0
        self._seen: dict[tuple[str | None, str], int] = {}
        self._reset()

    # -- the entry being read --------------------------------------------------------------

    def _reset(self) -> None:
        self._state = IDLE
        self._target = None
        # The target when a plain (not "#~") STRING may be appended without any check.
        self._fast_target: list[str] | None = None
        self._comments: list[str] = []
        self._obsolete = False
        self._line = 0  # first keyword of the message (msgctxt or msgid)
        self._id_line = 0
        self._prev_ctxt: list[str] | None = None
        self._prev_id: list[str] | None = None
        self._prev_plural: list[str] | None = None
        self._ctxt: list[str] | None = None
        self._id: list[str] = []
        self._plural: list[str] | None = None
        self._strs: list[list[str]] = []
        self._form_lines: list[int] = []
        self._started = False
        self._mixed = False  # some token's "#~" differs from the entry's
        self._list_obsolete = False  # "#~" on the first string of the current list
        self._late_checks: list[int] = []  # inconsistent "#~" msgfmt reports at the end

    def _start(self, obsolete: bool) -> None:
        if not self._started:
            self._started = True
            self._obsolete = obsolete

    # -- errors ----------------------------------------------------------------------------

    def _report(self, message: str, line: int, *, column_style: bool = False) -> None:
        """Record an error; like msgfmt (glibc's ``error_one_per_line``), an error without a
        column is not repeated for the line of the previous such error."""
        if not column_style:
            if line == self._last_error_line:
                return
            self._last_error_line = line
        error = PoSyntaxError(message, path=self.path, line=line)
        if self._fail_fast:
            raise error
        self.errors.append(error)

    def _syntax_error(self, kind: int, value: object, line: int, obsolete: bool) -> None:
        """A token the grammar cannot take here: report it and resynchronise like bison."""
        if not self._recovering:
            if kind == JUNK and value == _BOM and line == 1:
                message = "byte-order mark at the start of the file (msgfmt rejects it)"
            elif kind == JUNK:
                message = f"syntax error: unexpected character {value!r}"
            else:
                message = f"syntax error: unexpected {_TOKEN_NAMES[kind]}"
                if self._state != IDLE:
                    message += f" {_EXPECTING[self._state]}"
            self._report(message, line, column_style=True)
        discard = self._recovering == 3
        self._recovering = 3
        self._reset()
        if discard or kind not in _STARTERS:
            if kind == EOF:
                self._aborted = True
            return
        self._token(kind, value, line, obsolete)

    # -- the grammar -----------------------------------------------------------------------

    def _token(self, kind: int, value: object, line: int, obsolete: bool) -> None:
        """Feed one token (``value`` is the text of STRING, COMMENT and NUMBER tokens)."""
        if self._aborted:
            return
        state = self._state
        if kind in (STRING, PREV_STRING):
            target = self._target
            if target is not None and (kind == PREV_STRING) == (state <= IN_PREV_PLURAL):
                if not target:
                    self._list_obsolete = obsolete
                    self._check_obsolete(obsolete, line)
                elif obsolete != self._list_obsolete:
                    self._mixed = True
                    self._fast_target = None
                    self._report("inconsistent use of #~", line)
                target.append(value)  # type: ignore[arg-type]
            elif state == IN_DOMAIN and kind == STRING:
                self._state = IDLE
            else:
                self._syntax_error(kind, value, line, obsolete)
                return
        elif state == IDLE:
            if kind == COMMENT:
                self._comments.append(value)  # type: ignore[arg-type]
            elif kind == MSGID:
                self._start(obsolete)
                self._line = self._id_line = line
                self._enter(IN_ID, self._id)
            elif kind == MSGCTXT:
                self._start(obsolete)
                self._line = line
                self._ctxt = []
                self._enter(IN_CTXT, self._ctxt)
            elif kind == PREV_MSGID:
                self._start(obsolete)
                self._prev_id = []
                self._enter(IN_PREV_ID, self._prev_id)
            elif kind == PREV_MSGCTXT:
                self._start(obsolete)
                self._prev_ctxt = []
                self._enter(IN_PREV_CTXT, self._prev_ctxt)
            elif kind == DOMAIN:
                self._state = IN_DOMAIN
            elif kind != EOF:
                self._syntax_error(kind, value, line, obsolete)
                return
        elif not self._target and state in _LIST_STATES:
            if state == IN_MSGSTR and kind == LBRACKET:
                # "msgstr[" after a msgid without msgid_plural: a plural form after all.
                self._strs.pop()
                self._leave(FORM_INDEX)
            else:  # a keyword that needs a string got something else
                self._syntax_error(kind, value, line, obsolete)
                return
        elif state in (IN_MSGSTR, IN_FORM):
            if kind == MSGSTR and state == IN_FORM:
                self._check_obsolete(obsolete, line)
                self._form_lines.append(line)
                self._leave(FORM_OPEN)
            else:
                self._finish()
                self._resume(kind, value, line, obsolete)
                return
        elif state == IN_ID:
            if kind == MSGSTR:
                self._check_obsolete(obsolete, line)
                self._form_lines.append(line)
                self._strs.append([])
                self._enter(IN_MSGSTR, self._strs[-1])
            elif kind == MSGID_PLURAL:
                self._check_obsolete(obsolete, line)
                self._plural = []
                self._enter(IN_PLURAL, self._plural)
            else:
                self._report("missing 'msgstr' section", self._id_line)
                self._resume(kind, value, line, obsolete)
                return
        elif state == IN_PLURAL:
            if kind == MSGSTR:
                self._check_obsolete(obsolete, line)
                self._form_lines.append(line)
                self._leave(FORM_OPEN)
            else:
                self._report("missing 'msgstr[]' section", self._id_line)
                self._resume(kind, value, line, obsolete)
                return
        elif state == FORM_OPEN:
            if kind != LBRACKET:
                self._syntax_error(kind, value, line, obsolete)
                return
            self._state = FORM_INDEX
        elif state == FORM_INDEX:
            if kind != NUMBER:
                self._syntax_error(kind, value, line, obsolete)
                return
            expected = len(self._strs)
            if value != expected:
                self._report(
                    "first plural form has nonzero index"
                    if expected == 0
                    else "plural form has wrong index",
                    self._form_lines[-1],
                )
            self._state = FORM_CLOSE
        elif state == FORM_CLOSE:
            if kind != RBRACKET:
                self._syntax_error(kind, value, line, obsolete)
                return
            self._strs.append([])
            self._enter(IN_FORM, self._strs[-1])
        elif state == IN_CTXT:
            if kind != MSGID:
                self._syntax_error(kind, value, line, obsolete)
                return
            self._check_obsolete(obsolete, line)
            self._id_line = line
            self._enter(IN_ID, self._id)
        elif state == IN_PREV_CTXT:
            if kind != PREV_MSGID:
                self._syntax_error(kind, value, line, obsolete)
                return
            self._check_obsolete(obsolete, line)
            self._prev_id = []
            self._enter(IN_PREV_ID, self._prev_id)
        elif kind == PREV_MSGID_PLURAL and state == IN_PREV_ID:
            self._check_obsolete(obsolete, line)
            self._prev_plural = []
            self._enter(IN_PREV_PLURAL, self._prev_plural)
        elif kind == MSGID:  # after a "#|" previous string
            self._check_obsolete(obsolete, line)
            self._line = self._id_line = line
            self._enter(IN_ID, self._id)
        elif kind == MSGCTXT:
            self._check_obsolete(obsolete, line)
            self._line = line
            self._ctxt = []
            self._enter(IN_CTXT, self._ctxt)
        else:
            self._syntax_error(kind, value, line, obsolete)
            return
        if self._recovering:
            self._recovering -= 1

    def _enter(self, state: int, target: list[str]) -> None:
        """Start a list of strings."""
        self._state = state
        self._target = target
        plain = state > IN_PREV_PLURAL and not (self._obsolete or self._mixed or self._recovering)
        self._fast_target = target if plain else None

    def _leave(self, state: int) -> None:
        """Go to a state that takes no strings."""
        self._state = state
        self._target = self._fast_target = None

    def _check_obsolete(self, obsolete: bool, line: int) -> None:
        """A keyword or list whose "#~" differs from the entry's: msgfmt says so at the end."""
        if obsolete != self._obsolete:
            self._mixed = True
            self._fast_target = None
            self._late_checks.append(line)

    def _resume(self, kind: int, value: object, line: int, obsolete: bool) -> None:
        """The entry ended before this token: start afresh and feed it again."""
        self._reset()
        self._token(kind, value, line, obsolete)

    def _finish(self) -> None:
        """A complete message: check it and pass it on."""
        for line in self._late_checks:
            self._report("inconsistent use of #~", line)
        if self._plural is None and self._state == IN_FORM:
            self._report("missing 'msgid_plural' section", self._id_line)
            return
        msgid = "".join(self._id)
        ctxt = None if self._ctxt is None else "".join(self._ctxt)
        key = (ctxt, msgid)
        first = self._seen.get(key)
        if first is not None:
            self._report(
                f"duplicate message definition (first defined at line {first})", self._id_line
            )
            self._last_error_line = first  # msgfmt names that line next
            return
        self._seen[key] = self._form_lines[0]
        self._message(
            Message(
                self._obsolete,
                ctxt,
                msgid,
                None if self._plural is None else "".join(self._plural),
                ["".join(parts) for parts in self._strs],
                self._comments,
                self._prev_ctxt,
                self._prev_id,
                self._prev_plural,
                self._line,
            )
        )

    def _message(self, message: Message) -> None:
        raise NotImplementedError

    # -- lines -----------------------------------------------------------------------------

    def run(self, text: str, bad_bytes: bool = False) -> None:
        """Read a whole decoded file."""
        if "\r" in text and "\\\r\n" not in text:
            text = text.replace("\r\n", "\n")
        lines = text.split("\n")
        count = len(lines)
        if "\\\n" in text or "\x04" in text or bad_bytes:
            self._run_general(lines, bad_bytes)
            return
        token = self._token
        for lineno, raw in enumerate(lines, 1):
            if not raw:
                continue
            first_char = raw[0]
            if first_char == '"':
                if raw[-1] == '"' and len(raw) > 1:
                    inner = raw[1:-1]
                    if '"' not in inner and "\\" not in inner:
                        target = self._fast_target
                        if target is not None:
                            target.append(inner)
                        else:
                            token(STRING, inner, lineno, False)
                        continue
            elif first_char == "m":
                space = raw.find(" ")
                if space > 0 and raw[-1] == '"' and len(raw) > space + 2 and raw[space + 1] == '"':
                    kind = _FAST_KEYWORDS.get(raw[:space])
                    inner = raw[space + 2 : -1]
                    if kind is not None and '"' not in inner and "\\" not in inner:
                        if kind >= 0:
                            token(kind, None, lineno, False)
                        else:
                            self._plural_form(-kind - 1, lineno, False)
                        target = self._fast_target
                        if target is not None and not target:
                            target.append(inner)
                        else:
                            token(STRING, inner, lineno, False)
                        continue
            elif first_char == "#":
                second = raw[1:2]
                if second == "~":
                    if self._prefixed(raw, lineno, True):
                        continue
                elif second == "|":
                    if self._prefixed(raw, lineno, False):
                        continue
                elif self._state == IDLE and not (self._recovering or self._aborted):
                    self._comments.append(raw[1:])  # what _token does with it, sooner
                    continue
                else:
                    # msgfmt blames the line after a comment (the lexer has read its newline).
                    token(COMMENT, raw[1:], lineno if lineno == count else lineno + 1, False)
                    continue
            self._lex(raw, lineno, None, lineno == count)
        token(EOF, None, count, False)

    def _run_general(self, lines: list[str], bad_bytes: bool) -> None:
        """Every line through the general lexer: backslash-newline, EOT, undecodable bytes."""
        count = len(lines)
        index = 0
        while index < count:
            raw = lines[index]
            index += 1
            first = index
            breaks: list[int] = []
            while raw[-1:] == "\\" and index < count:
                # msgfmt joins a line ending in a backslash with the next one, anywhere.
                breaks.append(len(raw) - 1)
                raw = raw[:-1] + lines[index]
                index += 1
            if bad_bytes and _SURROGATE.search(raw) and not _is_comment(raw):
                self._report("invalid multibyte sequence", first)
            self._lex(raw, first, breaks, index == count)
        self._token(EOF, None, count, False)

    def _plural_form(self, number: int, line: int, obsolete: bool) -> None:
        token = self._token
        token(MSGSTR, None, line, obsolete)
        token(LBRACKET, None, line, obsolete)
        token(NUMBER, number, line, obsolete)
        token(RBRACKET, None, line, obsolete)

    def _prefixed(self, raw: str, line: int, obsolete: bool) -> bool:
        """Canonical ``#~`` and ``#|`` lines; False sends the line to the general lexer."""
        prev = not obsolete
        body = raw[2:]
        if obsolete and body[:1] == "|":
            prev = True
            body = body[1:]
        if body[:1] != " ":
            return False
        body = body[1:]
        if not body or body[-1] != '"':
            return False
        if body[0] == '"':
            inner = body[1:-1]
            if len(body) < 2 or '"' in inner or "\\" in inner:
                return False
            self._token(PREV_STRING if prev else STRING, inner, line, obsolete)
            return True
        space = body.find(" ")
        if space <= 0 or body[space + 1 : space + 2] != '"' or len(body) < space + 3:
            return False
        inner = body[space + 2 : -1]
        if '"' in inner or "\\" in inner:
            return False
        word = body[:space]
        if prev:
            kind = _FAST_PREV_KEYWORDS.get(word)
            if kind is None:
                return False
            self._token(kind, None, line, obsolete)
            self._token(PREV_STRING, inner, line, obsolete)
            return True
        kind = _FAST_KEYWORDS.get(word)
        if kind is None:
            return False
        if kind >= 0:
            self._token(kind, None, line, obsolete)
        else:
            self._plural_form(-kind - 1, line, obsolete)
        self._token(STRING, inner, line, obsolete)
        return True

    def _lex(self, raw: str, line: int, breaks: list[int] | None, last: bool) -> None:
        """msgfmt's lexer on one (joined) line; each token's errors come just before it."""
        for kind, value, at, obs, errors in _tokenize(raw, line, breaks, last):
            if errors:
                for message, error_line, column_style in errors:
                    self._report(message, error_line, column_style=column_style)
            self._token(kind, value, at, obs)


def _is_comment(raw: str) -> bool:
    stripped = raw.lstrip(" \t\r\f\v")
    return stripped[:1] == "#" and stripped[1:2] not in ("~", "|")


def _tokenize(raw: str, line: int, breaks: list[int] | None, last: bool) -> list[Token]:
    """Split one line into tokens the way ``po-lex.c`` does.

    ``breaks`` holds the offsets where backslash-newline joined physical lines, so tokens
    keep their own line numbers; ``last`` says no newline follows (errors name the file's end).
    """

    def line_at(pos: int) -> int:
        return line + bisect_right(breaks, pos) if breaks else line

    tokens: list[Token] = []
    obsolete = False
    prev = False
    pos = 0
    end = len(raw)
    while pos < end:
        char = raw[pos]
        if char in _WHITE:
            pos += 1
        elif char == "#":
            following = raw[pos + 1 : pos + 2]
            if following == "~":
                obsolete = True
                pos += 2
                if raw[pos : pos + 1] == "|":
                    prev = True
                    pos += 1
            elif following == "|":
                prev = True
                pos += 2
            else:
                at = line_at(end) if last else line_at(end) + 1
                tokens.append((COMMENT, raw[pos + 1 :], at, obsolete, None))
                break
        elif char == '"':
            value, pos, errors = _lex_string(raw, pos + 1, line_at, last)
            tokens.append(
                (PREV_STRING if prev else STRING, value, line_at(pos - 1), obsolete, errors)
            )
        elif char in _IDENT_START:
            start = pos
            pos += 1
            while pos < end and raw[pos] in _IDENT:
                pos += 1
            word = raw[start:pos]
            kind = (_PREV_KEYWORDS if prev else _KEYWORDS).get(word)
            at = line_at(pos - 1)
            if kind is None:
                tokens.append(
                    (NAME, word, at, obsolete, [(f'keyword "{word}" unknown', at, False)])
                )
            else:
                tokens.append((kind, None, at, obsolete, None))
        elif char in _DIGITS:
            start = pos
            pos += 1
            while pos < end and raw[pos] in _DIGITS:
                pos += 1
            tokens.append((NUMBER, int(raw[start:pos]), line_at(pos - 1), obsolete, None))
        elif char == "[":
            tokens.append((LBRACKET, None, line_at(pos), obsolete, None))
            pos += 1
        elif char == "]":
            tokens.append((RBRACKET, None, line_at(pos), obsolete, None))
            pos += 1
        else:
            tokens.append((JUNK, char, line_at(pos), obsolete, None))
            pos += 1
    return tokens


def _lex_string(
    raw: str, pos: int, line_at: object, last: bool
) -> tuple[str, int, list[LexError] | None]:
    """A string body from ``pos`` (after the opening quote): text, end position, errors."""
    assert callable(line_at)
    parts: list[str] = []
    errors: list[LexError] | None = None
    end = len(raw)
    while True:
        quote = raw.find('"', pos)
        backslash = raw.find("\\", pos, quote if quote >= 0 else end)
        if backslash < 0:
            if quote < 0:
                parts.append(raw[pos:])
                errors = errors or []
                if last:
                    errors.append(("end-of-file within string", line_at(end), False))
                else:
                    errors.append(("end-of-line within string", line_at(end) + 1, False))
                pos = end
                break
            parts.append(raw[pos:quote])
            pos = quote + 1
            break
        parts.append(raw[pos:backslash])
        pos = backslash + 1
        char = raw[pos : pos + 1]
        simple = _SIMPLE_ESCAPES.get(char)
        if simple is not None:
            parts.append(simple)
            pos += 1
        elif char in _OCTAL and char:
            stop = pos + 1
            while stop < end and stop < pos + 3 and raw[stop] in _OCTAL:
                stop += 1
            parts.append(chr(int(raw[pos:stop], 8)))
            pos = stop
        elif char == "x" and raw[pos + 1 : pos + 2] in _HEX and raw[pos + 1 : pos + 2]:
            stop = pos + 1
            while stop < end and raw[stop] in _HEX:
                stop += 1
            parts.append(chr(int(raw[pos + 1 : stop], 16) & 0xFF))
            pos = stop
        else:
            errors = errors or []
            errors.append(("invalid control sequence", line_at(pos), True))
            parts.append(" ")
    value = "".join(parts)
    if "\x04" in value:
        errors = errors or []
        errors.append(("context separator <EOT> within string", line_at(pos - 1), False))
    return value, pos, errors


_STARTERS = frozenset({COMMENT, DOMAIN, MSGCTXT, MSGID, PREV_MSGCTXT, PREV_MSGID})
_EXPECTING = {
    IN_DOMAIN: "(a string must follow 'domain')",
    IN_PREV_CTXT: "(expected a string or '#| msgid')",
    IN_PREV_ID: "(expected a string, '#| msgid_plural', 'msgctxt' or 'msgid')",
    IN_PREV_PLURAL: "(expected a string, 'msgctxt' or 'msgid')",
    IN_CTXT: "(expected a string or 'msgid')",
    IN_ID: "(expected a string)",
    IN_PLURAL: "(expected a string)",
    IN_MSGSTR: "(expected a string after 'msgstr')",
    FORM_OPEN: "(expected '[' after 'msgstr' of a plural message)",
    FORM_INDEX: "(expected a plural form index)",
    FORM_CLOSE: "(expected ']')",
    IN_FORM: "(expected a string)",
}


# -- building the catalog ------------------------------------------------------------------

_FLAG_SEPARATORS = re.compile(r"[\s,]+")


def split_flags(comment: str) -> list[str]:
    """The flags of a ``#,`` comment body (the text after ``#,``); ``range: 1..3`` is one."""
    flags = [flag for flag in _FLAG_SEPARATORS.split(comment) if flag]
    if "range:" in flags:
        at = flags.index("range:")
        if at + 1 < len(flags):
            flags[at : at + 2] = [f"range: {flags[at + 1]}"]
    return flags


def parse_header(msgstr: str) -> list[tuple[str, str]]:
    """``Key: value`` lines of a header msgstr, in order."""
    headers = []
    for line in msgstr.split("\n"):
        if line:
            key, _, value = line.partition(":")
            headers.append((key.strip(), value.strip()))
    return headers


class _CatalogBuilder(_Reader):
    """The consumer of :func:`parse_po`: turns messages into a :class:`Catalog`."""

    def __init__(self, path: str, fail_fast: bool) -> None:
        super().__init__(path, fail_fast)
        self.catalog = Catalog()
        self._have_header = False

    def _message(self, message: Message) -> None:
        obsolete, msgctxt, msgid, msgid_plural, msgstrs, comments = message[:6]
        translator: list[str] = []
        extracted: list[str] = []
        references: list[str] = []
        flags: list[str] = []
        for comment in comments:
            kind = comment[:1]
            if kind == ".":
                extracted.append(comment[2:] if comment[1:2] == " " else comment[1:])
            elif kind == ":":
                references.extend(comment[1:].split())
            elif kind == "," or kind == "!":
                flags.extend(split_flags(comment[1:]))
            else:
                translator.append(comment[1:] if kind == " " else comment)
        catalog = self.catalog
        if msgctxt is None and msgid == "" and not obsolete and not self._have_header:
            self._have_header = True
            catalog.headers = parse_header(msgstrs[0] if msgstrs else "")
            catalog.header_comments = translator
            catalog.header_flags = flags
            return
        entry = Entry(
            msgid=msgid,
            msgctxt=msgctxt,
            flags=flags,
            translator_comments=translator,
            extracted_comments=extracted,
            references=references,
            obsolete=obsolete,
            line=message.line,
        )
        if msgid_plural is None:
            entry.msgstr = msgstrs[0]
        else:
            entry.msgid_plural = msgid_plural
            entry.msgstr_plural = dict(enumerate(msgstrs))
        if message.prev_ctxt is not None:
            entry.previous_msgctxt = "".join(message.prev_ctxt)
        if message.prev_id is not None:
            entry.previous_msgid = "".join(message.prev_id)
        if message.prev_plural is not None:
            entry.previous_msgid_plural = "".join(message.prev_plural)
        catalog.entries.append(entry)


def parse_po(data: bytes, path: str = "<string>") -> Catalog:
    """Parse a PO file; raise :class:`PoSyntaxError` on the first error msgfmt would report."""
    text, bad_bytes = decode_po(data)
    builder = _CatalogBuilder(path, fail_fast=True)
    builder.run(text, bad_bytes)
    return builder.catalog


def parse_po_errors(
    data: bytes, path: str = "<string>"
) -> tuple[Catalog | None, list[PoSyntaxError]]:
    """Parse a PO file and collect every syntax error, as msgfmt lists them, for linters.

    The catalog holds the messages that were read; it is ``None`` when there were errors,
    since a catalog that msgfmt rejects must not be used as if it were whole.
    """
    text, bad_bytes = decode_po(data)
    builder = _CatalogBuilder(path, fail_fast=False)
    builder.run(text, bad_bytes)
    return (None if builder.errors else builder.catalog), builder.errors
