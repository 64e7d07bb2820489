"""Format-string checks as GNU ``msgfmt --check-format`` 0.21 does them (codes E110, E111).

For every format kind an entry is flagged with (``c-format``, ``possible-python-format``, ...),
the msgid side (``msgid_plural`` when there is one) is parsed; when it is a valid format
string of that kind, each msgstr is parsed and compared with it. msgfmt prints only the first
problem of an entry, so :func:`format_problems` returns at most one.

This is our own re-implementation of the rules; the sentences are msgfmt's so that reports
read the same as ``msgfmt -c``. Where msgfmt 0.21 has quirks (directive numbers counted from
0 in Python brace strings, a ``'%c'`` of a NUL cutting a sentence short, ``~\\`` for an
unclosed Lisp ``~[``) they are kept.

All 30 kinds are checked. Where msgfmt's verdict comes from machinery not re-implemented here
(libxml2's recovery from some malformed KDE KUIT markup) or from undefined behaviour of
msgfmt 0.21 (its Lisp and Scheme argument-list inference crashes, aborts or reads past its
lists on some strings: a ``~{`` iteration whose repeated argument list msgfmt builds from
more elements than it has, such as ``~{~2*~}`` or ``~{~A=~S~^, ~}``; a loop rotation that
splits a repeated argument constraint, outside the cases where the split part is never
looked at; a loop period reduction that reads past the loop; ``~V!`` at an unknown argument
position) the entry is left unjudged: no problem is reported rather than a possibly wrong
one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from i18n_pipeline.po.catalog import FORMAT_KINDS

#: The format names msgfmt 0.21 knows, in the order it checks them.
FORMATS: tuple[str, ...] = FORMAT_KINDS

_PRETTY = {
    "c": "C",
    "objc": "Objective C",
    "python": "Python",
    "python-brace": "Python brace",
    "java": "Java MessageFormat",
    "java-printf": "Java printf",
    "csharp": "C#",
    "javascript": "JavaScript",
    "scheme": "Scheme",
    "lisp": "Lisp",
    "elisp": "Emacs Lisp",
    "librep": "librep",
    "ruby": "Ruby",
    "sh": "Shell",
    "awk": "awk",
    "lua": "Lua",
    "object-pascal": "Object Pascal",
    "smalltalk": "Smalltalk",
    "qt": "Qt",
    "qt-plural": "Qt plural",
    "kde": "KDE",
    "kde-kuit": "KDE KUIT",
    "boost": "Boost",
    "tcl": "Tcl",
    "perl": "Perl",
    "perl-brace": "Perl brace",
    "php": "PHP",
    "gcc-internal": "GCC internal",
    "gfc-internal": "GFC internal",
    "ycp": "YCP",
}

#: Problem codes: the directives differ / a msgstr is not a valid format string.
MISMATCH = "E110"
INVALID = "E111"

_RANGE_RE = re.compile(r"^range:\s*(\d+)\s*\.\.\s*(\d+)$")


class _Unjudged(Exception):
    """A string whose verdict msgfmt reaches in a way not re-implemented here: the entry is
    left unjudged rather than judged wrongly."""


class _Invalid(Exception):
    """A string is not a valid format string; ``reason`` is msgfmt's explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- shared sentences ---------------------------------------------------------------------


def _unterminated() -> _Invalid:
    return _Invalid("The string ends in the middle of a directive.")


def _c_printable(ch: str) -> bool:
    return " " <= ch <= "~"


def _quoted_char(ch: str) -> str:
    """``'%c'`` as C prints it: a NUL ends the string, so the sentence stops there.

    msgfmt prints one byte of a non-ASCII character; U+FFFD stands for that lone byte.
    """
    if ch == "":
        return "'"
    return f"'{ch}'" if ch < "\x80" else "'\ufffd'"


def _bad_conversion(number: int, ch: str) -> _Invalid:
    if ch == "":
        return _unterminated()
    if _c_printable(ch):
        return _Invalid(
            f"In the directive number {number}, the character '{ch}' is not a valid "
            "conversion specifier."
        )
    return _Invalid(
        f"The character that terminates the directive number {number} is not a valid "
        "conversion specifier."
    )


_MIXED_NUMBERED = (
    "The string refers to arguments both through absolute argument numbers and through "
    "unnumbered argument specifications."
)


def _count_mismatch(pid: str, pstr: str) -> str:
    return f"number of format specifications in '{pid}' and '{pstr}' does not match"


def _type_mismatch(pid: str, pstr: str, arg: int | str) -> str:
    return f"format specifications in '{pid}' and '{pstr}' for argument {arg} are not the same"


def _at(s: str, i: int) -> str:
    """The character at ``i``, or "" at the end (C's NUL)."""
    return s[i] if i < len(s) else ""


def _digits(s: str, i: int) -> int:
    while i < len(s) and "0" <= s[i] <= "9":
        i += 1
    return i


# --- argument lists -----------------------------------------------------------------------


@dataclass
class _Args:
    """Arguments of a format string: positional types in order, or types by name."""

    positional: list[object] = field(default_factory=list)
    named: dict[str, object] = field(default_factory=dict)
    directives: int = 0
    simple: bool = True
    #: GCC's ``%m`` (errno) or GFC's ``%C`` (the current locus) is used.
    special: bool = False


def _numbered_to_list(numbered: list[tuple[int, object]]) -> list[object]:
    """Numbered arguments as a gap-free list; conflicts and gaps make the string invalid."""
    by_number: dict[int, object] = {}
    for number, kind in sorted(numbered, key=lambda item: item[0]):
        if number in by_number and by_number[number] != kind:
            raise _Invalid(f"The string refers to argument number {number} in incompatible ways.")
        by_number[number] = kind
    result: list[object] = []
    for expected, number in enumerate(sorted(by_number), start=1):
        if number != expected:
            raise _Invalid(
                f"The string refers to argument number {number} but ignores argument number "
                f"{expected}."
            )
        result.append(by_number[number])
    return result


def _check_positional(
    a: list[object], b: list[object], strict: bool, pid: str, pstr: str
) -> str | None:
    """Same count (strict) or no more (relaxed), and the same type for each argument."""
    if (len(a) != len(b)) if strict else (len(a) < len(b)):
        return _count_mismatch(pid, pstr)
    for i, kind in enumerate(b):
        if a[i] != kind:
            return _type_mismatch(pid, pstr, i + 1)
    return None


def _check_names(
    a: Iterable[str],
    b: Iterable[str],
    strict: bool,
    pid: str,
    pstr: str,
    *,
    extra_as_in: bool,
    extra_ok: bool = False,
) -> str | None:
    """Names of msgstr must be in msgid (unless ``extra_ok``); strict: names of msgid must
    be in msgstr.

    Reports the first difference in sorted order, as msgfmt's merge of two sorted lists does.
    """
    left, right = sorted(set(a)), sorted(set(b))
    i = j = 0
    while i < len(left) or j < len(right):
        if j >= len(right) or (i < len(left) and left[i] < right[j]):
            if strict:
                return f"a format specification for argument '{left[i]}' doesn't exist in '{pstr}'"
            i += 1
        elif i >= len(left) or left[i] > right[j]:
            if extra_ok:
                j += 1
                continue
            if extra_as_in:
                return (
                    f"a format specification for argument '{right[j]}', as in '{pstr}', "
                    f"doesn't exist in '{pid}'"
                )
            if strict:
                return f"a format specification for argument '{right[j]}' doesn't exist in '{pid}'"
            j += 1
        else:
            i += 1
            j += 1
    return None


def _check_numbers(
    a: set[int], b: set[int], strict: bool, pid: str, pstr: str, *, bracket: bool = False
) -> str | None:
    """Argument numbers in increasing order: extra in msgstr, or (strict) missing in it."""
    fmt = "{{{}}}" if bracket else "{}"
    for n in sorted(a | b):
        if n in b and n not in a:
            return (
                f"a format specification for argument {fmt.format(n)}, as in '{pstr}', "
                f"doesn't exist in '{pid}'"
            )
        if n in a and n not in b and strict:
            return f"a format specification for argument {fmt.format(n)} doesn't exist in '{pstr}'"
    return None


# --- C and Objective C --------------------------------------------------------------------

_C_SIZES = {
    "hh": "hh",
    "h": "h",
    "l": "l",
    "ll": "ll",
    "L": "ll",
    "q": "ll",
    "j": "j",
    "z": "z",
    "Z": "z",
    "t": "t",
}
_C_MACRO_RE = re.compile(
    r"PRI([diouxX])(8|16|32|64|LEAST(?:8|16|32|64)|FAST(?:8|16|32|64)|MAX|PTR)"
)


def _c_number(s: str, i: int) -> tuple[int, int]:
    """An ``N$`` argument number at ``i``: (number or 0, index after it)."""
    j = _digits(s, i)
    if j > i and _at(s, j) == "$":
        return int(s[i:j]), j + 1
    return 0, i


class _Positions:
    """Arguments a format string names by number (``%1$d``) or takes in order (``%d``):
    one string may not mix the two."""

    def __init__(self) -> None:
        self.numbered: list[tuple[int, object]] = []
        self.unnumbered: list[object] = []

    def add(self, number: int, kind: object) -> None:
        if number:
            if self.unnumbered:
                raise _Invalid(_MIXED_NUMBERED)
            self.numbered.append((number, kind))
        else:
            if self.numbered:
                raise _Invalid(_MIXED_NUMBERED)
            self.unnumbered.append(kind)


def _parse_c(s: str, translated: bool, objc: bool) -> _Args:
    args = _Positions()
    numbered, unnumbered, add = args.numbered, args.unnumbered, args.add
    directives = 0

    i, n = 0, len(s)
    while True:
        i = s.find("%", i)
        if i < 0:
            break
        i += 1
        directives += 1
        number, j = _c_number(s, i)
        if j > i and number == 0:
            raise _Invalid(
                f"In the directive number {directives}, the argument number 0 is not a positive "
                "integer."
            )
        i = j
        while i < n and (s[i] in " +-#0'" or (translated and s[i] == "I")):
            i += 1
        for what in ("width", "precision"):
            if what == "precision":
                if _at(s, i) != ".":
                    break
                i += 1
            if _at(s, i) == "*":
                i += 1
                arg, j = _c_number(s, i)
                if j > i and arg == 0:
                    raise _Invalid(
                        f"In the directive number {directives}, the {what}'s argument number 0 "
                        "is not a positive integer."
                    )
                i = j
                add(arg, ("is", ""))
            else:
                i = _digits(s, i)
        if _at(s, i) == "<":
            i += 1
            m = _C_MACRO_RE.match(s, i)
            if m is None:
                raise _Invalid(
                    f"In the directive number {directives}, the token after '<' is not the name "
                    "of a format specifier macro. The valid macro names are listed in ISO C 99 "
                    "section 7.8.1."
                )
            i = m.end()
            if _at(s, i) != ">":
                raise _Invalid(
                    f"In the directive number {directives}, the token after '<' is not followed "
                    "by '>'."
                )
            signed = "s" if m.group(1) in "di" else "u"
            add(number, ("i" + signed, m.group(2)))
            i += 1
            continue
        size = ""
        while i < n and s[i] in "hlLqjzZt":
            ch = s[i]
            if ch == "h":
                size = "hh" if size in ("h", "hh") else "h"
            elif ch == "l":
                size = "ll" if size in ("l", "ll") else "l"
            else:
                size = _C_SIZES[ch]
            i += 1
        conv = _at(s, i)
        kind: tuple[str, str] | None
        if conv in ("%", "m"):
            kind = None
        elif conv in "cs" and conv:
            kind = (conv, "l" if size in ("l", "ll") else "")
        elif conv in ("C", "S"):
            kind = (conv.lower(), "l")
        elif conv in ("d", "i"):
            kind = ("is", size)
        elif conv and conv in "ouxX":
            kind = ("iu", size)
        elif conv and conv in "eEfFgGaA":
            kind = ("f", "ll" if size == "ll" else "")
        elif conv == "@" and objc:
            kind = ("@", "")
        elif conv == "p":
            kind = ("p", "")
        elif conv == "n":
            kind = ("n", size)
        else:
            raise _bad_conversion(directives, conv)
        if kind is not None:
            add(number, kind)
        i += 1
    if numbered:
        return _Args(positional=_numbered_to_list(numbered))
    return _Args(positional=unnumbered)


def _check_positional_args(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    return _check_positional(a.positional, b.positional, strict, pid, pstr)


# --- Python -------------------------------------------------------------------------------


def _parse_python(s: str, translated: bool) -> _Args:
    named: dict[str, object] = {}
    unnamed: list[object] = []
    directives = 0
    mixed = _Invalid(
        "The string refers to arguments both through argument names and through unnamed "
        "argument specifications."
    )
    i, n = 0, len(s)
    while True:
        i = s.find("%", i)
        if i < 0:
            break
        i += 1
        directives += 1
        name: str | None = None
        if _at(s, i) == "(":
            depth, j = 0, i
            while True:
                ch = _at(s, j)
                if ch == "":
                    raise _unterminated()
                if ch == "(":
                    depth += 1
                elif ch == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            name = s[i + 1 : j]
            i = j + 1
        while i < n and s[i] in " -+#0":
            i += 1
        for part in ("width", "precision"):
            if part == "precision":
                if _at(s, i) != ".":
                    break
                i += 1
            if _at(s, i) == "*":
                if named:
                    raise mixed
                unnamed.append("i")
                i += 1
            else:
                i = _digits(s, i)
        if _at(s, i) in ("h", "l", "L") and i < n:
            i += 1
        conv = _at(s, i)
        kind: str | None
        if conv == "%":
            kind = None
        elif conv == "c":
            kind = "c"
        elif conv in ("s", "r"):
            kind = "s"
        elif conv and conv in "diouxX":
            kind = "i"
        elif conv and conv in "eEfFgG":
            kind = "f"
        else:
            raise _bad_conversion(directives, conv)
        i += 1
        if name is not None:
            if unnamed:
                raise mixed
            if name in named and named[name] != kind:
                raise _Invalid(
                    f"The string refers to the argument named '{name}' in incompatible ways."
                )
            named[name] = kind
        elif kind is not None:
            if named:
                raise mixed
            unnamed.append(kind)
    return _Args(positional=unnamed, named=named)


def _check_python(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    if a.named and b.positional:
        return (
            f"format specifications in '{pid}' expect a mapping, those in '{pstr}' expect a tuple"
        )
    if a.positional and b.named:
        return (
            f"format specifications in '{pid}' expect a tuple, those in '{pstr}' expect a mapping"
        )
    if a.named or b.named:
        problem = _check_names(a.named, b.named, strict, pid, pstr, extra_as_in=True)
        if problem:
            return problem
        for name in sorted(set(a.named) & set(b.named)):
            if a.named[name] != b.named[name]:
                return _type_mismatch(pid, pstr, f"'{name}'")
    if a.positional or b.positional:
        # A tuple must match exactly: Python rejects unused arguments at run time.
        return _check_positional(a.positional, b.positional, True, pid, pstr)
    return None


# --- Python brace -------------------------------------------------------------------------

_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER_RE = re.compile(r"[0-9]+")


def _parse_python_brace(s: str, translated: bool) -> _Args:
    names: dict[str, object] = {}
    counted: list[int] = []

    def field_name(i: int, what: str, allow_number: bool) -> int:
        m = _IDENT_RE.match(s, i) or (_NUMBER_RE.match(s, i) if allow_number else None)
        if m is None:
            raise _Invalid(
                f"In the directive number {len(counted)}, {_quoted_char(_at(s, i))}"
                + ("" if _at(s, i) == "" else f" cannot start a {what}.")
            )
        return m.end()

    def directive(i: int, toplevel: bool) -> int:
        # i is at the '{'; returns the index after the directive.
        i += 1
        if _at(s, i) == "{":
            return i + 1
        start = i
        i = field_name(i, "field name", True)
        while True:
            ch = _at(s, i)
            if ch == ".":
                i = field_name(i + 1, "getattr argument", False)
            elif ch == "[":
                i = field_name(i + 1, "getitem argument", True)
                if _at(s, i) != "]":
                    raise _unterminated()
                i += 1
            else:
                break
        if _at(s, i) == ":":
            if not toplevel:
                raise _Invalid(
                    f"In the directive number {len(counted)}, no more nesting is allowed in a "
                    "format specifier."
                )
            i += 1
            if _at(s, i) == "{":
                i = directive(i, False)
            else:
                if _at(s, i) == "":
                    raise _unterminated()
                if _at(s, i + 1) in ("<", ">", "=", "^") and i + 1 < len(s):
                    i += 2
                elif s[i] in "<>=^":
                    i += 1
                for flag in "+- ", "#", "0":
                    if _at(s, i) in flag and i < len(s):
                        i += 1
                i = _digits(s, i)
                if _at(s, i) == ".":
                    i = _digits(s, i + 1)
                if _at(s, i) in "bcdoxXneEfFgG%" and i < len(s):
                    i += 1
            if _at(s, i) != "}":
                raise _unterminated()
        if _at(s, i) != "}":
            raise _Invalid(
                f"In the directive number {len(counted)}, there is an unterminated format "
                "directive."
            )
        if toplevel:
            names[s[start:i]] = None
            counted.append(start)
        return i + 1

    i = 0
    while True:
        i = s.find("{", i)
        if i < 0:
            break
        i = directive(i, True)
    return _Args(named=names)


def _check_python_brace(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    return _check_names(a.named, b.named, strict, pid, pstr, extra_as_in=False)


# --- printf-like languages with numbered arguments ----------------------------------------


@dataclass(frozen=True)
class _Printf:
    """How one printf-like language spells its directives.

    ``conversions`` maps a conversion character to its argument type (None: no argument).
    ``position`` is "$" for ``%N$``, ":" for Object Pascal's ``%N:``, "" for none.
    """

    conversions: dict[str, str | None]
    flags: str = " +-#0"
    position: str = "$"
    mix_ok: bool = False
    star: bool = True
    sizes: tuple[str, ...] = ()
    sized: bool = False
    first: int = 1
    positional_check: bool = False
    early_mix: bool = False
    star_position: bool = True
    count_percent: bool = True
    precision_needs_digits: bool = False
    own_counter: bool = False


def _parse_printf(spec: _Printf, s: str) -> _Args:
    numbered: dict[int, object] = {}
    unnumbered: list[object] = []
    used_numbers = False
    next_arg = spec.first
    directives = 0
    conflicts: list[int] = []

    def add(number: int | None, kind: object) -> None:
        nonlocal next_arg, used_numbers
        if number is None:
            if used_numbers and not spec.mix_ok:
                raise _Invalid(_MIXED_NUMBERED)
            number = spec.first + len(unnumbered) if spec.own_counter else next_arg
            unnumbered.append(kind)
        elif unnumbered and not spec.mix_ok:
            raise _Invalid(_MIXED_NUMBERED)
        else:
            used_numbers = True
        if number in numbered and numbered[number] != kind:
            conflicts.append(number)
        numbered[number] = kind
        next_arg = number + 1

    def position(i: int) -> tuple[int | None, int]:
        if not spec.position:
            return None, i
        j = _digits(s, i)
        if j > i and _at(s, j) == spec.position:
            number = int(s[i:j])
            if number < spec.first:
                raise _Invalid(
                    f"In the directive number {directives}, the argument number 0 is not a "
                    "positive integer."
                )
            return number, j + 1
        return None, i

    i, n = 0, len(s)
    while True:
        i = s.find("%", i)
        if i < 0:
            break
        i += 1
        if _at(s, i) == "%":
            directives += spec.count_percent
            i += 1
            continue
        directives += 1
        number, i = position(i)
        mixes = used_numbers if number is None else bool(unnumbered)
        if spec.early_mix and mixes:
            raise _Invalid(_MIXED_NUMBERED)
        while i < n and s[i] in spec.flags:
            i += 1
        for part in ("width", "precision"):
            if part == "precision":
                if _at(s, i) != ".":
                    break
                i += 1
            if (
                part == "precision"
                and spec.precision_needs_digits
                and _digits(s, i) == i
                and not (spec.star and _at(s, i) == "*")
            ):
                raise _bad_conversion(directives, ".")
            if spec.star and _at(s, i) == "*":
                i += 1
                star_number, i = position(i) if spec.star_position else (None, i)
                add(star_number, "i")
            else:
                i = _digits(s, i)
        size = ""
        for candidate in spec.sizes:
            if s.startswith(candidate, i):
                size = candidate
                i += len(candidate)
                break
        conv = _at(s, i)
        if conv == "" or conv not in spec.conversions:
            raise _bad_conversion(directives, conv)
        kind = spec.conversions[conv]
        if kind is not None:
            add(number, kind + size if spec.sized else kind)
        i += 1
    if conflicts:
        raise _Invalid(
            f"The string refers to argument number {min(conflicts)} in incompatible ways."
        )
    if spec.positional_check:
        return _Args(positional=[numbered[k] for k in sorted(numbered)])
    return _Args(named={str(k): v for k, v in numbered.items()})


def _check_numbered(
    a: _Args,
    b: _Args,
    strict: bool,
    pid: str,
    pstr: str,
    *,
    always_strict: bool = False,
    bracket: bool = False,
) -> str | None:
    """Arguments by number: first extra or (strict) missing ones, then differing types.

    ``bracket`` spells argument N as ``{N}``, as Java's MessageFormat does.
    """
    strict = strict or always_strict
    left = {int(k): v for k, v in a.named.items()}
    right = {int(k): v for k, v in b.named.items()}
    problem = _check_numbers(set(left), set(right), strict, pid, pstr, bracket=bracket)
    if problem:
        return problem
    for number in sorted(right):
        if left[number] != right[number]:
            return _type_mismatch(pid, pstr, f"{{{number}}}" if bracket else number)
    return None


def _check_in_order(a: _Args, b: _Args, pid: str, pstr: str) -> str | None:
    """Lua: arguments compared one by one, always strictly."""
    left = [a.named[k] for k in sorted(a.named, key=int)]
    right = [b.named[k] for k in sorted(b.named, key=int)]
    for i in range(max(len(left), len(right))):
        if i >= len(left):
            return (
                f"a format specification for argument {i + 1}, as in '{pstr}', "
                f"doesn't exist in '{pid}'"
            )
        if i >= len(right):
            return f"a format specification for argument {i + 1} doesn't exist in '{pstr}'"
        if left[i] != right[i]:
            return _type_mismatch(pid, pstr, i + 1)
    return None


def _conversions(**groups: str) -> dict[str, str | None]:
    """``_conversions(i="di", s="s")``: each character of a group has that type."""
    table: dict[str, str | None] = {}
    for kind, chars in groups.items():
        for ch in chars:
            table[ch] = None if kind == "none" else kind
    return table


_AWK = _Printf(_conversions(c="c", s="s", i="di", u="ouxX", f="eEfFgG"))
_TCL = _Printf(
    _conversions(c="c", s="s", i="di", u="ouxX", f="eEfgG"),
    sizes=("h", "l"),
    early_mix=True,
    star_position=False,
)
_PHP = _Printf(
    _conversions(i="bdouxX", c="c", f="ef", s="s"),
    flags="-+ 0",
    mix_ok=True,
    star=False,
    sizes=("l",),
    own_counter=True,
    precision_needs_digits=True,
)
_LUA = _Printf(
    _conversions(i="diouxX", c="c", s="sq", f="aAeEfgG"),
    flags="",
    count_percent=False,
    position="",
    star=False,
)
_JAVASCRIPT = _Printf(_conversions(c="c", s="s", i="bdoxX", f="f", j="j"), flags="-+ 0", star=False)
_PASCAL = _Printf(
    _conversions(i="duxDUX", f="efgmnEFGMN", s="sS", p="pP"),
    flags="-",
    position=":",
    mix_ok=True,
    first=0,
    own_counter=True,
    precision_needs_digits=True,
)


# --- Shell, Perl brace, Qt, KDE: substitutions by name or number --------------------------


def _parse_sh(s: str, translated: bool) -> _Args:
    """``$name`` and ``${name}`` with ASCII names; no ``$1``, ``$$`` or ``${a:-b}``."""
    non_ascii = _Invalid("The string refers to a shell variable with a non-ASCII name.")
    context = _Invalid(
        "The string refers to a shell variable whose value may be different inside shell functions."
    )
    names: dict[str, object] = {}
    directives = 0
    i, n = 0, len(s)
    while True:
        i = s.find("$", i)
        if i < 0:
            break
        i += 1
        directives += 1
        ch = _at(s, i)
        if ch == "{":
            start = i = i + 1
            while i < n and s[i] != "}":
                ch = s[i]
                if not ch.isascii():
                    raise non_ascii
                if i > start and ch in "-=+?:":
                    raise _Invalid(
                        "The string refers to a shell variable with complex shell brace syntax. "
                        "This syntax is unsupported here due to security reasons."
                    )
                if not (ch.isalnum() or ch == "_") or (i == start and ch.isdigit()):
                    raise context
                i += 1
            if i >= n:
                raise _unterminated()
            if i == start:
                raise _Invalid("The string refers to a shell variable with an empty name.")
            names[s[start:i]] = None
            i += 1
        elif ch.isascii() and (ch.isalpha() or ch == "_"):
            m = _SH_NAME_RE.match(s, i)
            assert m is not None
            names[m.group()] = None
            i = m.end()
        elif ch == "":
            raise _unterminated()
        else:
            raise context if ch.isascii() else non_ascii
    return _Args(named=names, directives=directives)


_SH_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PERL_BRACE_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _parse_perl_brace(s: str, translated: bool) -> _Args:
    """``{name}``; anything else is literal text, so no string is invalid."""
    names: dict[str, object] = {}
    if "{" in s:
        names = {m.group(1): None for m in _PERL_BRACE_RE.finditer(s)}
    return _Args(named=names)


def _check_sh(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    return _check_names(a.named, b.named, strict, pid, pstr, extra_as_in=True)


def _check_perl_brace(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    # A name msgid lacks expands to itself at run time.
    return _check_names(a.named, b.named, strict, pid, pstr, extra_as_in=True, extra_ok=True)


_QT_RE = re.compile(r"%(L?)([0-9])([0-9]?)")


def _parse_qt(s: str, translated: bool) -> _Args:
    """``%N`` and ``%NN`` (0 to 99), optionally ``%L``; a lone ``%`` is text."""
    used: dict[str, object] = {}
    simple = True
    for m in _QT_RE.finditer(s) if "%" in s else ():
        if m.group(1) or m.group(3):
            simple = False
        used[str(int(m.group(2) + m.group(3)))] = None
    return _Args(named=used, simple=simple)


def _check_qt(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    if a.simple and not b.simple:
        return (
            f"'{pid}' is a simple format string, but '{pstr}' is not: it contains an 'L' flag "
            "or a double-digit argument number"
        )
    # Every argument must be used in both: QString::arg warns of a missing one.
    return _check_numbers({int(k) for k in a.named}, {int(k) for k in b.named}, True, pid, pstr)


def _parse_qt_plural(s: str, translated: bool) -> _Args:
    """``%n`` or ``%Ln``, all standing for the one number."""
    return _Args(directives=len(re.findall(r"%L?n", s)) if "%" in s else 0)


def _check_qt_plural(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    if (a.directives == 0 and b.directives > 0) or (
        strict and a.directives > 0 and b.directives == 0
    ):
        return _count_mismatch(pid, pstr)
    return None


_KDE_RE = re.compile(r"%([1-9][0-9]*)")


def _parse_kde(s: str, translated: bool) -> _Args:
    """``%N`` from 1; the numbers used must be 1..n, or 1..n but one."""
    numbers = sorted({int(m.group(1)) for m in _KDE_RE.finditer(s)}) if "%" in s else []
    gap = 0
    for i, number in enumerate(numbers):
        if gap == 0 and number > i + 1:
            gap = i + 1
        if gap and number > i + 2:
            raise _Invalid(
                f"The string refers to argument number {number} but ignores the arguments "
                f"{gap} and {i + 2}."
            )
    return _Args(named={str(k): None for k in numbers})


# --- KDE KUIT -----------------------------------------------------------------------------
#
# msgfmt wraps the string in a root element, turns each '&' that does not start a character
# reference into '&amp;', and has libxml2 parse it; the string must also be a KDE format
# string. libxml2 goes on after an error and msgfmt prints the last one. What is judged
# here: text, character references, comments, processing instructions, CDATA sections and
# tags with plain ASCII names and quoted attributes, including tags that do not match, end
# tags without a start and bare '<'; anything else raises _Unjudged.

_KUIT_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_KUIT_CHARREF_RE = re.compile(r"&#(?:x([0-9A-Fa-f]*)|([0-9]+));")
_KUIT_ATTRIBUTE_RE = re.compile(
    r"([ \t\n]+)([A-Za-z_][A-Za-z0-9_.-]*)[ \t\n]*=[ \t\n]*(?:\"([^<\"]*)\"|'([^<']*)')"
)
_KUIT_NOT_A_NAME = " \t\n0123456789%<>=&.-,;()[]{}\"'+*#@$^|~`\\"


def _xml_char(code: int) -> bool:
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _kuit_charref(m: re.Match[str]) -> str | None:
    """libxml2's complaint about a character reference, if any."""
    digits, base = (m.group(1), 16) if m.group(1) is not None else (m.group(2), 10)
    value = int(digits, base) if digits else 0
    if value >= 0x110000:
        return "xmlParseCharRef: character reference out of bounds"
    if not _xml_char(value):
        return f"xmlParseCharRef: invalid xmlChar value {value}"
    return None


def _kuit_attributes(s: str, i: int) -> int:
    """Attributes of a start tag from ``i``: where the tag should end ('>', '/>', or the
    '<' or end of string of a tag left open)."""
    names: set[str] = set()
    while True:
        m = _KUIT_ATTRIBUTE_RE.match(s, i)
        if m is None:
            break
        name = m.group(2)
        value = m.group(3) if m.group(3) is not None else m.group(4)
        if name in names or name == "xmlns":
            raise _Unjudged
        names.add(name)
        for ref in _KUIT_CHARREF_RE.finditer(value):
            if _kuit_charref(ref) is not None:
                raise _Unjudged
        i = m.end()
    while _at(s, i) in (" ", "\t", "\n") and i < len(s):
        i += 1
    if i < len(s) and s[i] != "<" and s[i] != ">" and not s.startswith("/>", i):
        raise _Unjudged
    return i


def _kuit_error(s: str) -> str | None:
    """libxml2's last complaint about the string as KUIT markup, or None if well-formed."""
    if "\r" in s or any(not _xml_char(ord(ch)) for ch in s):
        raise _Unjudged
    errors: list[str] = []
    # Open elements: (name, line); the root is the wrapper msgfmt adds.
    stack: list[tuple[str, int]] = [("kuit", 1)]
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch == "&":
            m = _KUIT_CHARREF_RE.match(s, i)
            if m is not None:
                problem = _kuit_charref(m)
                if problem is not None:
                    errors.append(problem)
                i = m.end()
            else:
                i += 1
            continue
        if ch == "]" and s.startswith("]]>", i):
            errors.append("Sequence ']]>' not allowed in content")
            i += 1
            continue
        if ch != "<":
            i += 1
            continue
        nxt = _at(s, i + 1)
        line = s.count("\n", 0, i) + 1
        if nxt == "/":
            if len(stack) == 1:
                # The root is closed early: what follows is extra content, unless it starts
                # with a comment or a processing instruction, which libxml2 parses first.
                if "<?" in s[i:] or "<!" in s[i:]:
                    raise _Unjudged
                return "Extra content at the end of the document"
            open_name, open_line = stack.pop()
            j = i + 2
            if s.startswith(open_name, j) and _at(s, j + len(open_name)) in (">", " ", "\t", "\n"):
                name = open_name
                j += len(open_name)
            else:
                m = _KUIT_NAME_RE.match(s, j)
                name = m.group(0) if m else "unparsable"
                j = m.end() if m else j
                if _at(s, j) == ":" or _at(s, j) >= "\x80":
                    raise _Unjudged
            while _at(s, j) in (" ", "\t", "\n") and j < n:
                j += 1
            if _at(s, j) == ">":
                j += 1
            else:
                errors.append("expected '>'")
            if open_name != name:
                errors.append(
                    f"Opening and ending tag mismatch: {open_name} line {open_line} and {name}"
                )
            i = j
        elif nxt == "!":
            if s.startswith("<!--", i):
                end = s.find("-->", i + 4)
                if end < 0 or "--" in s[i + 4 : end] or s[end - 1] == "-":
                    raise _Unjudged
                i = end + 3
            elif s.startswith("<![CDATA[", i):
                end = s.find("]]>", i + 9)
                if end < 0:
                    raise _Unjudged
                i = end + 3
            else:
                raise _Unjudged
        elif nxt == "?":
            m = _KUIT_NAME_RE.match(s, i + 2)
            end = s.find("?>", i + 2)
            if (
                m is None
                or end < 0
                or m.group(0).lower() == "xml"
                or (m.end() < end and s[m.end()] not in " \t\n")
                or m.end() > end
            ):
                raise _Unjudged
            i = end + 2
        elif nxt == "" or nxt in _KUIT_NOT_A_NAME:
            errors.append("StartTag: invalid element name")
            i += 1
        else:
            m = _KUIT_NAME_RE.match(s, i + 1)
            if m is None:
                raise _Unjudged
            end = _kuit_attributes(s, m.end())
            if end < n and s[end] == ">":
                stack.append((m.group(0), line))
                i = end + 1
            elif s.startswith("/>", end):
                i = end + 2
            else:
                # '<' or the end of the string where the tag should end: libxml2 drops the
                # element and goes on from there.
                errors.append(f"Couldn't find end of Start Tag {m.group(0)} line {line}")
                i = end
    if len(stack) > 1:
        open_name, open_line = stack.pop()
        errors.append(f"Opening and ending tag mismatch: {open_name} line {open_line} and gt:kuit")
        errors.append(f"Premature end of data in tag {stack[-1][0]} line {stack[-1][1]}")
    return errors[-1] if errors else None


def _parse_kde_kuit(s: str, translated: bool) -> _Args:
    problem = _kuit_error(s)
    if problem is not None:
        raise _Invalid(f"error while parsing: {problem}")
    return _parse_kde(s, translated)


def _check_kde(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    left = sorted(int(k) for k in a.named)
    right = sorted(int(k) for k in b.named)
    missing = 0
    i = j = 0
    while i < len(left) or j < len(right):
        if j >= len(right) or (i < len(left) and left[i] < right[j]):
            if strict:
                return f"a format specification for argument {left[i]} doesn't exist in '{pstr}'"
            if missing:
                return (
                    f"a format specification for arguments {missing} and {left[i]} doesn't "
                    f"exist in '{pstr}', only one argument may be ignored"
                )
            missing = left[i]
            i += 1
        elif i >= len(left) or left[i] > right[j]:
            return (
                f"a format specification for argument {right[j]}, as in '{pstr}', "
                f"doesn't exist in '{pid}'"
            )
        else:
            i += 1
            j += 1
    return None


# --- Java MessageFormat, Java printf, C# --------------------------------------------------


def _java_quote(s: str, i: int, quoting: bool) -> tuple[int, bool]:
    """At a quote, step over it; a lone one toggles quoting, the first of ``''`` does not."""
    if _at(s, i) == "'":
        i += 1
        if _at(s, i) != "'":
            quoting = not quoting
    return i, quoting


def _java_escape(s: str, i: int) -> int:
    """Step over one character, or a backslash escape (``\\uXXXX`` or two characters)."""
    if s[i] == "\\":
        if _at(s, i + 1) == "u" and re.match(r"[0-9A-Fa-f]{4}", s[i + 2 : i + 6]):
            return i + 6
        return i + 2
    return i + 1


def _java_number_style(s: str) -> bool:
    """Whether ``s`` is a DecimalFormat pattern as msgfmt reads it."""
    i, q = _java_quote(s, 0, False)

    def run(i: int, q: bool, ch: str, comma: bool) -> tuple[int, bool]:
        while not q and _at(s, i) == ch:
            i, q = _java_quote(s, i + 1, q)
            if comma and not q and _at(s, i) == ",":
                i, q = _java_quote(s, i + 1, q)
        return i, q

    while True:
        while _at(s, i) != "" and (q or _at(s, i) not in ("0", "#")):
            i, q = _java_quote(s, _java_escape(s, i), q)
        if q or _at(s, i) not in ("0", "#"):
            return False
        i, q = run(i, q, "#", True)
        i, q = run(i, q, "0", True)
        if not q and _at(s, i) == ".":
            i, q = _java_quote(s, i + 1, q)
            i, q = run(i, q, "0", False)
            i, q = run(i, q, "#", False)
        if not q and _at(s, i) == "E":
            save = i
            i, q = _java_quote(s, i + 1, q)
            if not q and _at(s, i) == "0":
                i, q = run(i, q, "0", False)
            else:
                i, q = save, False
        while _at(s, i) != "" and (q or _at(s, i) != ";"):
            i, q = _java_quote(s, _java_escape(s, i), q)
        if q or _at(s, i) != ";":
            break
    return _at(s, i) == ""


class _JavaMessage:
    """A MessageFormat pattern's arguments ``{N}``, ``{N,number}``, ``{N,choice,...}``."""

    def __init__(self) -> None:
        self.directives = 0
        self.args: list[tuple[int, object]] = []

    def parse(self, s: str) -> None:
        q = False
        i = 0
        while True:
            i, q = _java_quote(s, i, q)
            ch = _at(s, i)
            if not q and ch == "{":
                self.directives += 1
                start = i + 1
                depth = 0
                i = start
                while i < len(s):
                    if s[i] == "{":
                        depth += 1
                    elif s[i] == "}":
                        if depth == 0:
                            break
                        depth -= 1
                    i += 1
                if i >= len(s):
                    raise _Invalid(
                        "The string ends in the middle of a directive: found '{' without "
                        "matching '}'."
                    )
                self.element(s[start:i])
                i += 1
            elif not q and ch == "}":
                raise _Invalid(
                    "The string starts in the middle of a directive: found '}' without "
                    "matching '{'."
                )
            elif ch != "":
                i += 1
            else:
                return

    def element(self, element: str) -> None:
        number = self.directives
        m = re.match(r"[0-9]+", element)
        if m is None:
            raise _Invalid(
                f"In the directive number {number}, '{{' is not followed by an argument number."
            )
        rest = element[m.end() :]
        kind = "object"
        if rest:
            word = next(
                (w for w in ("time", "date", "number", "choice") if rest.startswith("," + w)), ""
            )
            if not word:
                raise _Invalid(
                    f"In the directive number {number}, the argument number is not followed by "
                    'a comma and one of "time", "date", "number", "choice".'
                )
            after = rest[len(word) + 1 :]
            if after and after[0] != ",":
                raise _Invalid(
                    f'In the directive number {number}, "{word}" is not followed by a comma.'
                )
            style = after[1:]
            kind = "date" if word in ("time", "date") else "number"
            if word == "number" and after:
                if style not in ("currency", "percent", "integer") and not _java_number_style(
                    style
                ):
                    raise _Invalid(
                        f'In the directive number {number}, the substring "{style}" is not a '
                        "valid number style."
                    )
            elif word == "choice" and after:
                self.choice(style)
        self.args.append((int(m.group()), kind))

    def choice(self, s: str) -> None:
        i, q = _java_quote(s, 0, False)
        if _at(s, i) == "":
            return
        while True:
            nonempty = False
            while _at(s, i) != "" and (q or not (s[i] in "<#|" or s.startswith("\\u2264", i))):
                i, q = _java_quote(s, _java_escape(s, i), q)
                nonempty = True
            if _at(s, i) == "":
                return
            if not nonempty:
                raise _Invalid(
                    f"In the directive number {self.directives}, a choice contains no number."
                )
            if s[i] in "<#":
                i += 1
            elif s.startswith("\\u2264", i):
                i += 6
            else:
                raise _Invalid(
                    f"In the directive number {self.directives}, a choice contains a number "
                    "that is not followed by '<', '#' or '\\u2264'."
                )
            i, q = _java_quote(s, i, q)
            text: list[str] = []
            while _at(s, i) != "" and (q or s[i] != "|"):
                text.append(s[i])
                i, q = _java_quote(s, i + 1, q)
            self.parse("".join(text))
            if _at(s, i) == "":
                return
            i, q = _java_quote(s, i + 1, q)


def _merge_types(args: Iterable[tuple[int, object]], wildcard: object) -> dict[str, object]:
    """One type per argument number; two different types (but ``wildcard``) are an error."""
    merged: dict[int, object] = {}
    bad: list[int] = []
    for number, kind in args:
        old = merged.get(number)
        if old is None or old == wildcard:
            merged[number] = kind
        elif kind != old and kind != wildcard:
            bad.append(number)
    if bad:
        raise _Invalid(f"The string refers to argument number {min(bad)} in incompatible ways.")
    return {str(k): v for k, v in merged.items()}


def _parse_java(s: str, translated: bool) -> _Args:
    message = _JavaMessage()
    message.parse(s)
    return _Args(named=_merge_types(message.args, "object"))


_JAVA_PRINTF_TYPES = _conversions(
    none="%n", general="bBhHsS", char="cC", int="doxX", float="eEfgGaA", date="tT"
)
_JAVA_PRINTF_FLAGS = "#0- +,("
#: The flags, then width (W) and precision (P), each conversion rejects.
_JAVA_PRINTF_INVALID = {
    "%": "#0 +,(P",
    "n": "#0- +,(WP",
    **dict.fromkeys("bBhHsS", "0 +,("),
    **dict.fromkeys("cCtT", "#0 +,(P"),
    "d": "#P",
    **dict.fromkeys("oxX", ",P"),
    **dict.fromkeys("efgGE", ""),
    **dict.fromkeys("aA", ",("),
}
_JAVA_DATE_SUFFIXES = "HIklMSLNpzZsQBbhAaCYyjmdeRTrDFc"


def _parse_java_printf(s: str, translated: bool) -> _Args:
    args: list[tuple[int, object]] = []
    unnumbered = last = directives = 0
    i = 0
    while True:
        i = s.find("%", i)
        if i < 0:
            break
        i += 1
        directives += 1
        number = 0
        if _at(s, i) == "<":
            if last == 0:
                raise _Invalid(
                    f"In the directive number {directives}, the reference to the argument of "
                    "the previous directive is invalid."
                )
            number = last
            i += 1
        else:
            j = _digits(s, i)
            if j > i and _at(s, j) == "$":
                number = int(s[i:j])
                if number == 0:
                    raise _Invalid(
                        f"In the directive number {directives}, the argument number 0 is not a "
                        "positive integer."
                    )
                i = j + 1
        used = ""
        while _at(s, i) in _JAVA_PRINTF_FLAGS and i < len(s):
            used += s[i]
            i += 1
        j = _digits(s, i)
        if j > i:
            used += "W"
            i = j
        if _at(s, i) == ".":
            i += 1
            j = _digits(s, i)
            if j == i:
                if i >= len(s):
                    raise _unterminated()
                raise _Invalid(f"In the directive number {directives}, the precision is missing.")
            used += "P"
            i = j
        conv = _at(s, i)
        if conv == "" or conv not in _JAVA_PRINTF_TYPES:
            raise _bad_conversion(directives, conv)
        for bad in _JAVA_PRINTF_INVALID[conv]:
            if bad not in used:
                continue
            if bad == "W":
                what = "a width is invalid"
            elif bad == "P":
                what = "a precision is invalid"
            else:
                what = f"the flag '{bad}' is invalid"
            raise _Invalid(
                f"In the directive number {directives}, {what} for the conversion '{conv}'."
            )
        kind = _JAVA_PRINTF_TYPES[conv]
        if kind == "date":
            i += 1
            suffix = _at(s, i)
            if suffix == "":
                raise _unterminated()
            if suffix not in _JAVA_DATE_SUFFIXES:
                raise _Invalid(
                    f"In the directive number {directives}, for the conversion '{conv}', the "
                    f"character {_quoted_char(suffix)} is not a valid conversion suffix."
                )
        if kind is not None:
            if number == 0:
                unnumbered += 1
                number = unnumbered
            args.append((number, kind))
            last = number
        i += 1
    return _Args(named=_merge_types(args, None))


def _parse_csharp(s: str, translated: bool) -> _Args:
    """``{N}``, ``{N,width}``, ``{N:format}``; ``{{`` and ``}}`` are braces."""
    directives = count = 0
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        i += 1
        if ch == "{":
            if _at(s, i) == "{":
                i += 1
                continue
            directives += 1
            j = _digits(s, i)
            if j == i:
                raise _Invalid(
                    f"In the directive number {directives}, '{{' is not followed by an argument "
                    "number."
                )
            number = int(s[i:j])
            i = j
            if _at(s, i) == ",":
                i += 1
                if _at(s, i) == "-":
                    i += 1
                j = _digits(s, i)
                if j == i:
                    raise _Invalid(
                        f"In the directive number {directives}, ',' is not followed by a number."
                    )
                i = j
            if _at(s, i) == ":":
                j = s.find("}", i + 1)
                i = n if j < 0 else j
            if i >= n:
                raise _Invalid(
                    "The string ends in the middle of a directive: found '{' without matching '}'."
                )
            if s[i] != "}":
                if _c_printable(s[i]):
                    raise _Invalid(
                        f"The directive number {directives} ends with an invalid character "
                        f"'{s[i]}' instead of '}}'."
                    )
                raise _Invalid(
                    f"The directive number {directives} ends with an invalid character instead "
                    "of '}'."
                )
            i += 1
            count = max(count, number + 1)
        elif ch == "}":
            if _at(s, i) == "}":
                i += 1
                continue
            if directives == 0:
                raise _Invalid(
                    "The string starts in the middle of a directive: found '}' without "
                    "matching '{'."
                )
            raise _Invalid(f"The string contains a lone '}}' after directive number {directives}.")
    return _Args(directives=count)


def _check_csharp(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    if (a.directives != b.directives) if strict else (a.directives < b.directives):
        return _count_mismatch(pid, pstr)
    return None


# --- Perl, Boost, YCP and Smalltalk -------------------------------------------------------

# Perl's argument types, as bits: a base type, unsigned, a size.
_PL_INT, _PL_DOUBLE, _PL_CHAR, _PL_STRING, _PL_VECTOR, _PL_POINTER, _PL_COUNT = range(1, 8)
_PL_UNSIGNED = 8
_PL_SIZES = {"h": 16, "V": 32, "I": 48, "l": 64, "ll": 80, "L": 80, "q": 80, "I64": 80, "I32": 0}
_PL_TYPES = {
    "c": _PL_CHAR,
    "s": _PL_STRING,
    "_": _PL_VECTOR,
    "p": _PL_POINTER,
    "D": _PL_INT | 32,
    "U": _PL_INT | _PL_UNSIGNED | 32,
    "O": _PL_INT | _PL_UNSIGNED | 32,
}
_PL_SIZE_RE = re.compile(r"I64|I32|ll|[hlLqVI]")


def _nonzero_number(s: str, i: int, end: str) -> tuple[int, int]:
    """``N`` + ``end`` with N not starting with 0: (N or 0, index after it)."""
    if "1" <= _at(s, i) <= "9":
        j = _digits(s, i)
        if _at(s, j) == end:
            return int(s[i:j]), j + 1
    return 0, i


def _parse_perl(s: str, translated: bool) -> _Args:
    args: list[tuple[int, object]] = []
    unnumbered = directives = 0

    def add(number: int, kind: int) -> None:
        nonlocal unnumbered
        if not number:
            unnumbered += 1
            number = unnumbered
        args.append((number, kind))

    i = 0
    while True:
        i = s.find("%", i)
        if i < 0:
            break
        i += 1
        directives += 1
        number, i = _nonzero_number(s, i, "$")
        while _at(s, i) in (" ", "+", "-", "#", "0") and i < len(s):
            i += 1
        vector = False
        if _at(s, i) == "v":
            i += 1
            vector = True
        elif _at(s, i) == "*":
            if _at(s, i + 1) == "v":
                i += 2
                vector = True
                add(0, _PL_VECTOR)
            else:
                vector_number, j = _nonzero_number(s, i + 1, "$")
                if vector_number and _at(s, j) == "v":
                    i = j + 1
                    vector = True
                    add(vector_number, _PL_VECTOR)
        if vector:
            add(number, _PL_VECTOR)
        if _at(s, i) == "*":
            width_number, i = _nonzero_number(s, i + 1, "$")
            add(width_number, _PL_INT)
        elif "1" <= _at(s, i) <= "9":
            i = _digits(s, i)
        if _at(s, i) == ".":
            i += 1
            if _at(s, i) == "*":
                precision_number, i = _nonzero_number(s, i + 1, "$")
                add(precision_number, _PL_INT)
            else:
                i = _digits(s, i)
        size = 0
        m = _PL_SIZE_RE.match(s, i)
        if m:
            size = _PL_SIZES[m.group()]
            i = m.end()
        conv = _at(s, i)
        kind: int | None
        if conv == "%":
            kind = None
        elif conv in _PL_TYPES and conv:
            kind = _PL_TYPES[conv]
        elif conv and conv in "id":
            kind = _PL_INT | size
        elif conv and conv in "ubxoX":
            kind = _PL_INT | _PL_UNSIGNED | size
        elif conv and conv in "eEfFgG":
            if size in (16, 64):
                raise _Invalid(
                    f"In the directive number {directives}, the size specifier is incompatible "
                    f"with the conversion specifier '{conv}'."
                )
            kind = _PL_DOUBLE | size
        elif conv == "n":
            kind = _PL_COUNT | size
        else:
            raise _bad_conversion(directives, conv)
        if kind is not None and not vector:
            add(number, kind)
        i += 1
    return _Args(named=_merge_types(args, None))


_BOOST_TYPES = _conversions(char="cC", any="sS", int="idouxX", float="eEfgG", ptr="p", none="tn")


def _parse_boost(s: str, translated: bool) -> _Args:
    args = _Positions()
    numbered, unnumbered, add = args.numbered, args.unnumbered, args.add
    directives = 0

    def star(i: int, zero: str) -> int:
        j = _digits(s, i)
        if j > i and _at(s, j) == "$":
            if int(s[i:j]) == 0:
                raise _Invalid(
                    f"In the directive number {directives}, the {zero}argument number 0 is not "
                    "a positive integer."
                )
            add(int(s[i:j]), "int")
            return j + 1
        add(0, "int")
        return i

    i, n = 0, len(s)
    while True:
        i = s.find("%", i)
        if i < 0:
            break
        i += 1
        directives += 1
        if _at(s, i) == "%":
            i += 1
            continue
        brackets = _at(s, i) == "|"
        if brackets:
            i += 1
        number = 0
        kind: object = None
        if "1" <= _at(s, i) <= "9":
            j = _digits(s, i)
            end = _at(s, j)
            if end == "$" or (end == "%" and not brackets):
                number = int(s[i:j])
                i = j + 1
                if end == "%":
                    add(number, "any")
                    continue
        while i < n and s[i] in " +-#0'_=hl":
            i += 1
        i = star(i + 1, "width's ") if _at(s, i) == "*" else _digits(s, i)
        if _at(s, i) == ".":
            i += 1
            i = star(i + 1, "precision's ") if _at(s, i) == "*" else _digits(s, i)
        while i < n and s[i] in "hlL":
            i += 1
        conv = _at(s, i)
        i += 1
        if conv == "T":
            if i >= n:
                raise _unterminated()
            i += 1
        elif conv == "|" and brackets:
            i -= 1
            kind = "any"
        elif conv == "" or conv not in _BOOST_TYPES:
            raise _bad_conversion(directives, conv)
        else:
            kind = _BOOST_TYPES[conv]
        if brackets:
            if _at(s, i) != "|":
                if i >= n:
                    raise _unterminated()
                raise _Invalid(
                    f"The directive number {directives} starts with | but does not end with |."
                )
            i += 1
        if kind is not None:
            add(number, kind)
    if unnumbered:
        return _Args(named={str(k): v for k, v in enumerate(unnumbered, start=1)})
    return _Args(named=_merge_types(numbered, "any"))


def _parse_ycp(s: str, translated: bool) -> _Args:
    """``%1`` to ``%9`` and ``%%``; YCP's and Smalltalk's syntax."""
    used: dict[str, object] = {}
    directives = 0
    i = 0
    while True:
        i = s.find("%", i)
        if i < 0:
            break
        i += 1
        directives += 1
        ch = _at(s, i)
        if "1" <= ch <= "9":
            used[ch] = None
        elif ch != "%":
            if ch == "":
                raise _unterminated()
            if _c_printable(ch):
                raise _Invalid(
                    f"In the directive number {directives}, the character '{ch}' is not a digit "
                    "between 1 and 9."
                )
            raise _Invalid(
                f"The character that terminates the directive number {directives} is not a "
                "digit between 1 and 9."
            )
        i += 1
    return _Args(named=used)


def _check_ycp(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    return _check_numbers({int(k) for k in a.named}, {int(k) for k in b.named}, strict, pid, pstr)


# --- Ruby ---------------------------------------------------------------------------------

_RUBY_TYPES = _conversions(
    none="%\n", any="s", escaped="p", char="c", int="diuoxXbB", float="fgGeEaA"
)
_MIXED_NAMED = (
    "The string refers to arguments both through argument names and through unnamed argument "
    "specifications."
)


class _RubyDirective:
    """What one Ruby directive has seen so far, and the string's arguments before it."""

    def __init__(
        self,
        number: int,
        numbered: list[tuple[int, object]],
        unnumbered: list[object],
        named: list[tuple[str, object]],
    ) -> None:
        self.directive = number
        self.numbered, self.unnumbered, self.named = numbered, unnumbered, named
        self.name: str | None = None
        self.number = self.width_number = self.precision_number = 0
        self.width = self.precision = self.width_next = self.precision_next = False

    def invalid(self, what: str) -> _Invalid:
        return _Invalid(f"In the directive number {self.directive}, {what}.")

    def no_numbers(self) -> None:
        """Before a name: nothing numbered or unnumbered may have been seen."""
        if (
            self.numbered
            or self.number
            or self.width_number
            or self.precision_number
            or self.unnumbered
            or self.width_next
            or self.precision_next
        ):
            raise _Invalid(_MIXED_NAMED)
        if self.name is not None:
            raise self.invalid("two names are given for the same argument")

    def numbered_ok(self) -> None:
        """Before an ``N$``: nothing named or unnumbered may have been seen."""
        if self.named or self.name is not None:
            raise _Invalid(_MIXED_NAMED)
        if self.unnumbered or self.width_next or self.precision_next:
            raise _Invalid(_MIXED_NUMBERED)

    def unnumbered_ok(self) -> None:
        """Before a ``*``: nothing named or numbered may have been seen."""
        if self.named or self.name is not None:
            raise _Invalid(_MIXED_NAMED)
        if self.numbered or self.number or self.width_number or self.precision_number:
            raise _Invalid(_MIXED_NUMBERED)

    def width_ok(self) -> None:
        if self.precision:
            raise self.invalid("the width is given after the precision")
        if self.width:
            raise self.invalid("a width is given twice")

    def precision_ok(self) -> None:
        if self.precision:
            raise self.invalid("a precision is given twice")

    def star(self, s: str, i: int, *, precision: bool) -> int:
        """A width or precision ``*`` at ``i`` (the next argument) or ``*N$``: where it ends."""
        number, j = _dollar(s, i + 1)
        (self.numbered_ok if number >= 0 else self.unnumbered_ok)()
        (self.precision_ok if precision else self.width_ok)()
        if number == 0:
            raise self.invalid("the argument number 0 is not a positive integer")
        if precision:
            self.precision = True
            if number > 0:
                self.precision_number = number
            else:
                self.precision_next = True
        else:
            self.width = True
            if number > 0:
                self.width_number = number
            else:
                self.width_next = True
        return j + 1 if number > 0 else i + 1


def _dollar(s: str, i: int) -> tuple[int, int]:
    """A ``N$`` at ``i``: (N, index of the '$'), or (-1, i)."""
    j = _digits(s, i)
    if j > i and _at(s, j) == "$":
        return int(s[i:j]), j
    return -1, i


def _parse_ruby(s: str, translated: bool) -> _Args:
    """``%s``, ``%1$s``, ``%<name>s`` and ``%{name}``: all numbered, unnumbered or named."""
    numbered: list[tuple[int, object]] = []
    unnumbered: list[object] = []
    named: list[tuple[str, object]] = []
    directives = 0
    i = 0
    while True:
        i = s.find("%", i)
        if i < 0:
            break
        i += 1
        directives += 1
        d = _RubyDirective(directives, numbered, unnumbered, named)
        while True:
            ch = _at(s, i)
            if ch != "" and ch in " #+-0":
                if d.width:
                    raise d.invalid("a flag is given after the width")
                if d.precision:
                    raise d.invalid("a flag is given after the precision")
                i += 1
            elif ch == "<":
                d.no_numbers()
                j = s.find(">", i + 1)
                if j < 0:
                    raise _unterminated()
                d.name = s[i + 1 : j]
                i = j + 1
            elif "0" <= ch <= "9" and ch:
                j = _digits(s, i)
                if _at(s, j) == "$":
                    d.numbered_ok()
                    if d.number:
                        raise d.invalid("two numbers are given for the same argument")
                    d.number = int(s[i:j])
                    i = j + 1
                else:
                    d.width_ok()
                    d.width = True
                    i = j
            elif ch == "*":
                i = d.star(s, i, precision=False)
            elif ch == ".":
                i += 1
                if _at(s, i) == "*":
                    i = d.star(s, i, precision=True)
                else:
                    i = _digits(s, i)
                    d.precision_ok()
                    d.precision = True
            else:
                break
        conv = _at(s, i)
        kind: object
        if conv == "{":
            d.no_numbers()
            j = s.find("}", i + 1)
            if j < 0:
                raise _unterminated()
            d.name = s[i + 1 : j]
            i = j
            kind = "any"
        elif conv == "" or conv not in _RUBY_TYPES:
            raise _bad_conversion(directives, conv)
        else:
            kind = _RUBY_TYPES[conv]
        for seen, taken, next_one in (
            (d.width, d.width_number, d.width_next),
            (d.precision, d.precision_number, d.precision_next),
        ):
            if seen and taken:
                numbered.append((taken, "int"))
            elif seen and next_one:
                unnumbered.append("int")
        if kind is not None:
            if d.name is not None:
                named.append((d.name, kind))
            elif d.number:
                numbered.append((d.number, kind))
            else:
                if named:
                    raise _Invalid(_MIXED_NAMED)
                if numbered:
                    raise _Invalid(_MIXED_NUMBERED)
                unnumbered.append(kind)
        i += 1
    if unnumbered:
        positional = unnumbered
    else:
        merged = _merge_types(numbered, None)
        positional = [merged[k] for k in sorted(merged, key=int)]
    names: dict[str, object] = {}
    bad: list[str] = []
    for key, kind in named:
        if key in names and names[key] != kind:
            bad.append(key)
        names.setdefault(key, kind)
    if bad:
        raise _Invalid(
            f"The string refers to the argument named '{min(bad)}' in incompatible ways."
        )
    return _Args(positional=positional, named=names)


def _check_ruby(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    if a.named and b.positional:
        return (
            f"format specifications in '{pid}' expect a hash table, those in '{pstr}' expect "
            "individual arguments"
        )
    if a.positional and b.named:
        return (
            f"format specifications in '{pid}' expect individual arguments, those in '{pstr}' "
            "expect a hash table"
        )
    if a.named or b.named:
        problem = _check_names(a.named, b.named, strict, pid, pstr, extra_as_in=True)
        if problem:
            return problem
        for key in sorted(b.named):
            if a.named[key] != b.named[key]:
                return _type_mismatch(pid, pstr, f"'{key}'")
    if a.positional or b.positional:
        # Compared in order, whatever the numbers: msgfmt 0.21 does the same.
        return _check_positional(a.positional, b.positional, True, pid, pstr)
    return None


# --- Emacs Lisp and librep ----------------------------------------------------------------

_ELISP_TYPES = _conversions(none="%", char="c", int="dixXo", float="eEfgG", pretty="s", object="S")
_LIBREP_TYPES = _conversions(none="%", char="c", int="dxXo", pretty="s", object="S")


def _parse_lisp_printf(s: str, types: dict[str, str | None], flags: str, star: bool) -> _Args:
    """``%N$`` sets the current argument number; each argument taken moves it on by one."""
    args: list[tuple[int, object]] = []
    current = 1
    directives = 0
    i, n = 0, len(s)
    while True:
        i = s.find("%", i)
        if i < 0:
            break
        i += 1
        directives += 1
        j = _digits(s, i)
        if j > i and _at(s, j) == "$" and int(s[i:j]) > 0:
            current = int(s[i:j])
            i = j + 1
        while i < n and s[i] in flags:
            i += 1
        for part in ("width", "precision"):
            if part == "precision":
                if _at(s, i) != ".":
                    break
                i += 1
            if star and _at(s, i) == "*":
                args.append((current, "int"))
                current += 1
                i += 1
            else:
                i = _digits(s, i)
        conv = _at(s, i)
        if conv == "" or conv not in types:
            raise _bad_conversion(directives, conv)
        kind = types[conv]
        if kind is not None:
            args.append((current, kind))
            current += 1
        i += 1
    return _Args(named=_merge_types(args, None))


# --- GCC and GFC internal -----------------------------------------------------------------

_GCC_TYPES: dict[str, object] = {
    "c": "char",
    "s": "string",
    "p": "pointer",
    "H": "location",
    "J": "decl",
    "K": "statement",
    "D": "decl",
    "F": "funcdecl",
    "T": "type",
    "E": "expression",
    "A": "argument",
    "C": "code",
    "L": "languages",
    "O": "binop",
    "P": "funcparam",
    "Q": "assop",
    "V": "cv",
}
_GCC_SIZES = {(0, 0): "", (1, 0): "l", (2, 0): "ll", (0, 1): "w"}


def _argno_0(directives: int, what: str = "") -> _Invalid:
    return _Invalid(
        f"In the directive number {directives}, the {what}argument number 0 is not a positive "
        "integer."
    )


def _merge_numbered(numbered: list[tuple[int, object]]) -> dict[str, object]:
    """Numbered arguments by number (gaps allowed); a number used with two types is invalid."""
    merged: dict[int, object] = {}
    for number, kind in sorted(numbered, key=lambda item: item[0]):
        if number in merged and merged[number] != kind:
            raise _Invalid(f"The string refers to argument number {number} in incompatible ways.")
        merged[number] = kind
    return {str(number): kind for number, kind in merged.items()}


def _parse_gcc_internal(s: str, translated: bool) -> _Args:
    args = _Positions()
    directives = 0
    uses_errno = False
    i = 0
    while True:
        i = s.find("%", i)
        if i < 0:
            break
        i += 1
        directives += 1
        ch = _at(s, i)
        if ch in ("%", "<", ">", "'", "m"):
            uses_errno = uses_errno or ch == "m"
            i += 1
            continue
        number = 0
        j = _digits(s, i)
        if j > i and _at(s, j) == "$":
            number = int(s[i:j])
            if number == 0:
                raise _argno_0(directives)
            i = j + 1
        seen = {"q": 0, "l": 0, "w": 0, "+": 0, "#": 0}
        while (ch := _at(s, i)) in seen and ch:
            if (
                (ch == "l" and (seen["l"] > 1 or seen["w"]))
                or (ch == "w" and seen["l"])
                or (ch != "l" and seen[ch])
            ):
                raise _Invalid(
                    f"In the directive number {directives}, the flags combination is invalid."
                )
            seen[ch] += 1
            i += 1
        size = _GCC_SIZES[seen["l"], seen["w"]]
        ch = _at(s, i)
        kind: object
        if ch == ".":
            i += 1
            ch = _at(s, i)
            if "0" <= ch <= "9" and ch:
                i = _digits(s, i)
                if _at(s, i) != "s":
                    if _at(s, i) == "":
                        raise _unterminated()
                    raise _Invalid(
                        f"In the directive number {directives}, a precision is not allowed "
                        f"before {_quoted_char(s[i])}."
                    )
            elif ch == "*":
                i += 1
                precision = 0
                j = _digits(s, i)
                if j > i and _at(s, j) == "$":
                    m = int(s[i:j])
                    if m == 0:
                        raise _argno_0(directives, "width's ")
                    if args.unnumbered or number == 0:
                        raise _Invalid(_MIXED_NUMBERED)
                    if m != number - 1:
                        raise _Invalid(
                            f"In the directive number {directives}, the argument number for "
                            f"the precision must be equal to {number - 1}."
                        )
                    precision = m
                    i = j + 1
                args.add(precision, ("int", ""))
                if _at(s, i) != "s":
                    if _at(s, i) == "":
                        raise _unterminated()
                    raise _Invalid(
                        f"In the directive number {directives}, a precision specification is "
                        f"not allowed before {_quoted_char(s[i])}."
                    )
            else:
                raise _Invalid(
                    f"In the directive number {directives}, the precision specification is invalid."
                )
            kind = "string"
        elif ch in ("i", "d"):
            kind = ("int", size)
        elif ch in ("o", "u", "x"):
            kind = ("unsigned", size)
        elif ch in _GCC_TYPES:
            kind = _GCC_TYPES[ch]
        else:
            raise _bad_conversion(directives, ch)
        args.add(number, kind)
        i += 1
    if args.unnumbered:
        named = {str(k): kind for k, kind in enumerate(args.unnumbered, start=1)}
    else:
        named = _merge_numbered(args.numbered)
    return _Args(named=named, special=uses_errno)


def _check_gcc_internal(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    problem = _check_numbered(a, b, strict, pid, pstr)
    if problem is None and a.special != b.special:
        if a.special:
            return f"'{pid}' uses %m but '{pstr}' doesn't"
        return f"'{pid}' does not use %m but '{pstr}' uses %m"
    return problem


def _parse_gfc_internal(s: str, translated: bool) -> _Args:
    """``%N$`` sets the current argument number; ``%C`` takes one without a value."""
    numbered: list[tuple[int, object]] = []
    directives = 0
    current = 1
    uses_locus = False
    i = 0
    while True:
        i = s.find("%", i)
        if i < 0:
            break
        i += 1
        directives += 1
        if _at(s, i) == "%":
            i += 1
            continue
        j = _digits(s, i)
        if j > i and _at(s, j) == "$":
            current = int(s[i:j])
            if current == 0:
                raise _argno_0(directives)
            i = j + 1
        ch = _at(s, i)
        kind: object
        if ch == "C":
            kind = None
            uses_locus = True
        elif ch in ("L", "c", "s"):
            kind = ch
        else:
            size = ""
            if ch == "l":
                i += 1
                size = "l"
                ch = _at(s, i)
            if ch in ("i", "d"):
                kind = ("int", size)
            elif ch == "u":
                kind = ("unsigned", size)
            else:
                raise _bad_conversion(directives, ch)
        numbered.append((current, kind))
        current += 1
        i += 1
    merged = _merge_numbered(numbered)
    for expected, number in enumerate(sorted(merged, key=int), start=1):
        if int(number) != expected:
            raise _Invalid(
                f"The string refers to argument number {number} but ignores argument number "
                f"{expected}."
            )
    positional = [merged[k] for k in sorted(merged, key=int) if merged[k] is not None]
    return _Args(positional=positional, special=uses_locus)


def _check_gfc_internal(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    problem = _check_positional(a.positional, b.positional, strict, pid, pstr)
    if problem is None and a.special != b.special:
        if a.special:
            return f"'{pid}' uses %C but '{pstr}' doesn't"
        return f"'{pid}' does not use %C but '{pstr}' uses %C"
    return problem


# --- Common Lisp FORMAT and Scheme --------------------------------------------------------
#
# msgfmt infers, from a string's directives, a constraint on the argument list it is called
# with: a possibly infinite list of arguments, each of some type and either required or
# optional (the list may end before it). Such a list is ultimately periodic: an initial
# segment, then a segment repeated without end (empty for a finite list). Conditionals
# (~[ ~]) take the union of their clauses' constraints, iterations (~{ ~}) make lists of
# sublists or repeated lists, ~^ adds escape points, and so on. The list algebra below
# (intersection, union, repetition, normalization) follows msgfmt 0.21's closely, its bugs
# included where their effect is defined (a loop period is only ever reduced to 2, a loop of
# one element keeps its count, an iteration's repeated list is built from the initial
# segment's elements), so that the inferred lists, and their comparison, are msgfmt's.
# Where msgfmt 0.21 crashes or reads undefined memory, _Unjudged is raised.

# Argument types: Object, Character-or-Integer-or-Nil, Character-or-Nil, Character,
# Integer-or-Nil, Integer, Real, List, Format string, fuNction; Scheme's Complex.
_L_COMPLEX = "Z"
_L_OBJECT, _L_CIN, _L_CN, _L_CHAR, _L_IN, _L_INT, _L_REAL, _L_LIST, _L_FORMAT, _L_FUNC = (
    "O",
    "CIN",
    "CN",
    "C",
    "IN",
    "I",
    "R",
    "L",
    "F",
    "N",
)
_L_NULLABLE = (_L_CIN, _L_CN, _L_IN)


class _LArg:
    """``rep`` consecutive arguments of one type; ``req``: the list cannot end before them;
    ``sub``: for a list, the constraint on its elements."""

    __slots__ = ("rep", "req", "type", "sub")

    def __init__(self, rep: int, req: bool, type_: str, sub: _LList | None = None) -> None:
        self.rep = rep
        self.req = req
        self.type = type_
        self.sub = sub

    def copy(self) -> _LArg:
        return _LArg(self.rep, self.req, self.type, self.sub.copy() if self.sub else None)


class _LList:
    """An argument list constraint: ``ini``, then ``rep`` repeated endlessly."""

    __slots__ = ("ini", "rep")

    def __init__(self, ini: list[_LArg] | None = None, rep: list[_LArg] | None = None) -> None:
        self.ini: list[_LArg] = ini if ini is not None else []
        self.rep: list[_LArg] = rep if rep is not None else []

    def copy(self) -> _LList:
        return _LList([e.copy() for e in self.ini], [e.copy() for e in self.rep])

    def ini_len(self) -> int:
        return sum(e.rep for e in self.ini)

    def rep_len(self) -> int:
        return sum(e.rep for e in self.rep)


def _l_unconstrained() -> _LList:
    return _LList([], [_LArg(1, False, _L_OBJECT)])


def _l_same(e1: _LArg, e2: _LArg) -> bool:
    """The same constraint, whatever the repetition count."""
    return (
        e1.req == e2.req
        and e1.type == e2.type
        and (e1.type != _L_LIST or _l_equal(_l_sub(e1), _l_sub(e2)))
    )


def _l_sub(e: _LArg) -> _LList:
    assert e.sub is not None
    return e.sub


def _l_equal(a: _LList, b: _LList) -> bool:
    for x, y in ((a.ini, b.ini), (a.rep, b.rep)):
        if len(x) != len(y):
            return False
        if not all(e1.rep == e2.rep and _l_same(e1, e2) for e1, e2 in zip(x, y, strict=True)):
            return False
    return True


def _l_combine(seg: list[_LArg]) -> list[_LArg]:
    out: list[_LArg] = []
    for e in seg:
        if out and _l_same(e, out[-1]):
            out[-1].rep += e.rep
        else:
            out.append(e)
    return out


def _l_normalize_outermost(lst: _LList) -> None:
    lst.ini = _l_combine(lst.ini)
    lst.rep = _l_combine(lst.rep)
    if not lst.rep:
        return
    # Reduce the loop period. msgfmt 0.21 only ever tries a period of 2 elements, on the
    # first even count n >= 4 (its loop steps n instead of the divisor); a failed try is
    # repeated until n wraps around, to no effect. A try that reads past the loop is
    # undefined, and so is a reduction found past the real count.
    r = lst.rep
    n = len(r)
    extra = 0
    if n > 1 and _l_same(r[0], r[n - 1]):
        extra = r[n - 1].rep
        n -= 1
    if n >= 4:
        even = n + n % 2
        for i in range(even - 2):
            if i + 2 >= len(r):
                raise _Unjudged
            if not (
                r[i].rep + (extra if i == 0 else 0) == r[i + 2].rep and _l_same(r[i], r[i + 2])
            ):
                break
        else:
            if even != n:
                raise _Unjudged
            lst.rep = r = r[:2] + r[n:]
    # Roll as much as possible of the initial segment's tail into the loop.
    ini = lst.ini
    if len(r) == 1:
        if ini and _l_same(ini[-1], r[0]):
            ini.pop()
        return
    while ini and _l_same(ini[-1], r[-1]):
        moved = min(ini[-1].rep, r[-1].rep)
        if _l_same(r[0], r[-1]):
            r[0].rep += moved
        else:
            first = r[-1].copy()
            first.rep = moved
            r.insert(0, first)
        r[-1].rep -= moved
        if r[-1].rep == 0:
            r.pop()
        ini[-1].rep -= moved
        if ini[-1].rep == 0:
            ini.pop()


def _l_normalize(lst: _LList) -> None:
    for e in lst.ini + lst.rep:
        if e.type == _L_LIST:
            _l_normalize(_l_sub(e))
    _l_normalize_outermost(lst)


def _l_unfold(lst: _LList, m: int) -> None:
    if m > 1:
        lst.rep = lst.rep + [e.copy() for _ in range(m - 1) for e in lst.rep]


def _l_rotate(lst: _LList, m: int, harmless: bool = False) -> None:
    """Make the initial segment ``m`` long, taking from the loop.

    msgfmt 0.21 loses the piece of a loop element it splits while rotating the loop, which
    leaves a list it then aborts on, or computes with, in ways not followed here: unless the
    caller is about to use only the loop's first element (``harmless``), such a rotation
    leaves the string unjudged.
    """
    length = lst.ini_len()
    if m == length:
        return
    if len(lst.rep) == 1:
        e = lst.rep[0].copy()
        e.rep = m - length
        lst.ini.append(e)
        return
    q, r = divmod(m - length, lst.rep_len())
    t, s = r, 0
    while s < len(lst.rep) and t >= lst.rep[s].rep:
        t -= lst.rep[s].rep
        s += 1
    for _ in range(q):
        lst.ini.extend(e.copy() for e in lst.rep)
    lst.ini.extend(e.copy() for e in lst.rep[:s])
    if t > 0:
        e = lst.rep[s].copy()
        e.rep = t
        lst.ini.append(e)
    if r > 0:
        if t > 0 and not harmless:
            raise _Unjudged
        new = lst.rep[s:] + lst.rep[:s]
        if t > 0:
            tail = new[0].copy()
            new[0].rep -= t
            tail.rep = t
            new.append(tail)
        lst.rep = new


def _l_split(lst: _LList, n: int, harmless: bool = False) -> int:
    """Make index ``n`` of the initial segment start an element; its index."""
    if n > lst.ini_len():
        _l_rotate(lst, n, harmless)
    t, s = n, 0
    while s < len(lst.ini) and t >= lst.ini[s].rep:
        t -= lst.ini[s].rep
        s += 1
    if t == 0:
        return s
    second = lst.ini[s].copy()
    second.rep = lst.ini[s].rep - t
    lst.ini[s].rep = t
    lst.ini.insert(s + 1, second)
    return s + 1


def _l_unshare(lst: _LList, n: int) -> int:
    """Make index ``n`` of the initial segment an element of its own; its index."""
    if n >= lst.ini_len():
        _l_rotate(lst, n + 1)
    t, s = n, 0
    while s < len(lst.ini) and t >= lst.ini[s].rep:
        t -= lst.ini[s].rep
        s += 1
    old = lst.ini[s].rep
    if old > 1:
        if t in (0, old - 1):
            lst.ini.insert(s + 1, lst.ini[s].copy())
            lst.ini[s].rep, lst.ini[s + 1].rep = (1, old - 1) if t == 0 else (old - 1, 1)
        else:
            lst.ini.insert(s + 1, lst.ini[s].copy())
            lst.ini.insert(s + 2, lst.ini[s].copy())
            lst.ini[s].rep, lst.ini[s + 1].rep, lst.ini[s + 2].rep = t, 1, old - 1 - t
        if t > 0:
            s += 1
    return s


def _l_starts_required(lst: _LList) -> bool:
    if lst.ini:
        return lst.ini[0].req
    return bool(lst.rep) and lst.rep[0].req


def _l_meet_empty(lst: _LList) -> _LList | None:
    return None if _l_starts_required(lst) else _LList()


def _l_meet(e1: _LArg, e2: _LArg) -> tuple[bool, str | None, _LList | None]:
    """Both constraints on one argument: (required, type, sublist); type None when they
    contradict."""
    req = e1.req or e2.req
    t1, t2 = e1.type, e2.type
    if t1 == _L_OBJECT:
        return req, t2, _l_sub(e2).copy() if t2 == _L_LIST else None
    if t2 == _L_OBJECT:
        return req, t1, _l_sub(e1).copy() if t1 == _L_LIST else None
    if t1 == _L_LIST and t2 in _L_NULLABLE:
        sub = _l_meet_empty(_l_sub(e1))
        return req, _L_LIST if sub else None, sub
    if t2 == _L_LIST and t1 in _L_NULLABLE:
        sub = _l_meet_empty(_l_sub(e2))
        return req, _L_LIST if sub else None, sub
    for a, b in ((t1, t2), (t2, t1)):
        if (
            (a == _L_CIN and b in (_L_CN, _L_CHAR, _L_IN, _L_INT))
            or (a == _L_CN and b == _L_CHAR)
            or (a == _L_IN and b == _L_INT)
            or (a == _L_REAL and b == _L_INT)
            or (a == _L_COMPLEX and b in (_L_REAL, _L_INT))
        ):
            return req, b, None
    if t1 == t2:
        if t1 == _L_LIST:
            sub = _l_intersect(_l_sub(e1).copy(), _l_sub(e2).copy())
            return req, _L_LIST if sub else None, sub
        return req, t1, None
    return req, None, None


def _l_backtrack(lst: _LList) -> _LList | None:
    """After a contradiction: end the list at its last optional argument, if any."""
    while lst.ini:
        e = lst.ini[-1]
        if e.req:
            lst.ini.pop()
            continue
        if e.rep > 1:
            e.rep -= 1
        else:
            lst.ini.pop()
        return lst
    return None


def _l_intersect(l1: _LList, l2: _LList) -> _LList | None:
    """Both constraints (consumes the lists); None for a contradiction."""
    if l1.rep and l2.rep:
        n1, n2 = l1.rep_len(), l2.rep_len()
        g = math.gcd(n1, n2)
        _l_unfold(l1, n2 // g)
        _l_unfold(l2, n1 // g)
    if l1.rep or l2.rep:
        # With one finite list, only the first element of the other's loop is looked at.
        harmless = not (l1.rep and l2.rep)
        m = max(l1.ini_len(), l2.ini_len())
        if l1.rep:
            _l_rotate(l1, m, harmless)
        if l2.rep:
            _l_rotate(l2, m, harmless)
    result: _LList | None = _LList()
    assert result is not None

    def walk(a: list[_LArg], b: list[_LArg], out: list[_LArg]) -> tuple[int, int, bool | None]:
        i = j = 0
        while i < len(a) and j < len(b):
            e1, e2 = a[i], b[j]
            rep = min(e1.rep, e2.rep)
            req, t, sub = _l_meet(e1, e2)
            if t is None:
                return i, j, req
            out.append(_LArg(rep, req, t, sub))
            e1.rep -= rep
            e2.rep -= rep
            if e1.rep == 0:
                i += 1
            if e2.rep == 0:
                j += 1
        return i, j, None

    i, j, failed = walk(l1.ini, l2.ini, result.ini)
    if failed is not None:
        if failed:
            result = _l_backtrack(result)
    elif not l1.rep and not l2.rep:
        if (i < len(l1.ini) and l1.ini[i].req) or (
            i >= len(l1.ini) and j < len(l2.ini) and l2.ini[j].req
        ):
            result = _l_backtrack(result)
    elif not l1.rep:
        if (l2.ini[j] if j < len(l2.ini) else l2.rep[0]).req:
            result = _l_backtrack(result)
    elif not l2.rep:
        if (l1.ini[i] if i < len(l1.ini) else l1.rep[0]).req:
            result = _l_backtrack(result)
    else:
        _, _, failed = walk(l1.rep, l2.rep, result.rep)
        if failed is not None:
            result.ini.extend(result.rep)
            result.rep = []
            if failed:
                result = _l_backtrack(result)
    if result is not None:
        _l_normalize_outermost(result)
    return result


def _l_join(e1: _LArg, e2: _LArg) -> tuple[bool, str, _LList | None]:
    """Either constraint on one argument: (required, type, sublist)."""
    req = e1.req and e2.req
    t1, t2 = e1.type, e2.type
    if t1 == t2:
        if t1 == _L_LIST:
            return req, t1, _l_union(_l_sub(e1).copy(), _l_sub(e2).copy())
        return req, t1, None
    for a, b in ((t1, t2), (t2, t1)):
        if (
            (a == _L_CIN and b in (_L_CN, _L_CHAR, _L_IN, _L_INT))
            or (a == _L_CN and b == _L_CHAR)
            or (a == _L_IN and b == _L_INT)
            or (a == _L_REAL and b == _L_INT)
            or (a == _L_COMPLEX and b in (_L_REAL, _L_INT))
        ):
            return req, a, None
    for a, b, ea in ((t1, t2, e1), (t2, t1, e2)):
        if a == _L_LIST and not _l_sub(ea).ini and not _l_sub(ea).rep:
            if b in _L_NULLABLE:
                return req, b, None
            return req, {_L_CHAR: _L_CN, _L_INT: _L_IN}.get(b, _L_OBJECT), None
    if (t1 in (_L_CHAR, _L_CN) and t2 in (_L_INT, _L_IN)) or (
        t2 in (_L_CHAR, _L_CN) and t1 in (_L_INT, _L_IN)
    ):
        return req, _L_CIN, None
    return req, _L_OBJECT, None


def _l_join_runs(a: list[_LArg], b: list[_LArg], out: list[_LArg]) -> tuple[int, int]:
    """Join two lists of runs element by element into ``out`` (consuming their repeat
    counts) until one ends; where each stopped."""
    i = j = 0
    while i < len(a) and j < len(b):
        rep = min(a[i].rep, b[j].rep)
        req, t, sub = _l_join(a[i], b[j])
        out.append(_LArg(rep, req, t, sub))
        a[i].rep -= rep
        b[j].rep -= rep
        if a[i].rep == 0:
            i += 1
        if b[j].rep == 0:
            j += 1
    return i, j


def _l_union(l1: _LList, l2: _LList) -> _LList:
    """Either constraint (consumes the lists)."""
    if l1.rep and l2.rep:
        n1, n2 = l1.rep_len(), l2.rep_len()
        g = math.gcd(n1, n2)
        _l_unfold(l1, n2 // g)
        _l_unfold(l2, n1 // g)
        m = max(l1.ini_len(), l2.ini_len())
        _l_rotate(l1, m)
        _l_rotate(l2, m)
    else:
        for x, y in ((l1, l2), (l2, l1)):
            if x.rep and y.ini_len() >= x.ini_len():
                _l_rotate(x, y.ini_len())
                if x.rep[0].req:
                    _l_rotate(x, x.ini_len() + 1)
    result = _LList()
    a, b = l1.ini, l2.ini
    i, j = _l_join_runs(a, b, result.ini)
    for seg, k in ((a, i), (b, j)):
        if k < len(seg):
            # The other list has ended: the rest is optional from here.
            if seg[k].req:
                first = seg[k].copy()
                first.req = False
                first.rep = 1
                result.ini.append(first)
                seg[k].rep -= 1
                if seg[k].rep == 0:
                    k += 1
            result.ini.extend(e.copy() for e in seg[k:])
    if l1.rep and l2.rep:
        _l_join_runs(l1.rep, l2.rep, result.rep)
    elif l1.rep or l2.rep:
        result.rep = [e.copy() for e in (l1.rep or l2.rep)]
    _l_normalize_outermost(result)
    return result


def _l_union_empty(lst: _LList) -> _LList:
    """Either the constraint or no arguments at all."""
    if _l_starts_required(lst):
        _l_split(lst, 1)
        lst.ini[0].req = False
        _l_normalize_outermost(lst)
    return lst


def _l_either(l1: _LList | None, l2: _LList | None) -> _LList | None:
    if l1 is not None and l2 is not None:
        return _l_union(l1, l2)
    return l1 if l1 is not None else l2


def _l_is_required(lst: _LList, n: int) -> bool:
    """Arguments 0..n are all required."""
    t = n + 1
    for seg, last in ((lst.ini, False), (lst.rep, True)):
        if last and not seg:
            return False
        s = 0
        while s < len(seg) and t >= seg[s].rep:
            if not seg[s].req:
                return False
            t -= seg[s].rep
            s += 1
        if t == 0:
            return True
        if s < len(seg):
            return seg[s].req
    return True


def _l_require(lst: _LList | None, n: int) -> _LList | None:
    """Arguments 0..n are present."""
    if lst is None or (not lst.rep and lst.ini_len() <= n):
        return None
    _l_split(lst, n + 1)
    i, rest = 0, n + 1
    while rest > 0:
        lst.ini[i].req = True
        rest -= lst.ini[i].rep
        i += 1
    return lst


def _l_end(lst: _LList | None, n: int) -> _LList | None:
    """Argument n is never present."""
    if lst is None or (not lst.rep and lst.ini_len() <= n):
        return lst
    s = _l_split(lst, n, harmless=True)
    required = (lst.ini[s] if s < len(lst.ini) else lst.rep[0]).req
    del lst.ini[s:]
    lst.rep = []
    return _l_backtrack(lst) if required else lst


def _l_typed(lst: _LList | None, n: int, type_: str, sub: _LList | None = None) -> _LList | None:
    """Argument n is present and of the given type."""
    lst = _l_require(lst, n)
    if lst is None:
        return None
    s = _l_unshare(lst, n)
    _, t, newsub = _l_meet(lst.ini[s], _LArg(1, False, type_, sub))
    if t is None:
        return _l_end(lst, n)
    lst.ini[s].type = t
    lst.ini[s].sub = newsub
    return lst


def _l_list_of_lists(sub: _LList | None) -> _LList:
    if sub is None:
        return _LList()
    return _LList([], [_LArg(1, False, _L_LIST, sub)])


def _l_repeated(sub: _LList, period: int) -> _LList:
    """The union of (), L, L and (*^period L), L and (*^period L) and (*^2period L), ..."""
    if not sub.rep:
        if sub.ini_len() < period:
            return _l_union_empty(sub)
        src = sub.ini
        p = period
    else:
        lp = sub.rep_len()
        m = period // math.gcd(period, lp)
        _l_unfold(sub, m)
        p = m * lp
        # msgfmt 0.21 takes the initial segment's elements where the loop's belong (and
        # reads past them if there are fewer), but counts the arguments of both.
        if len(sub.ini) < len(sub.rep):
            raise _Unjudged
        src = sub.ini + [e.copy() for e in sub.ini[: len(sub.rep)]]
    n = sub.ini_len() + sub.rep_len()
    lst = _LList()
    i = ti = si = 0
    while i < p:
        if si >= len(src):
            raise _Unjudged  # msgfmt reads past its segment
        k = min(src[si].rep - ti, p - i)
        e = src[si].copy()
        e.rep = k
        lst.ini.append(e)
        i += k
        ti += k
        if ti == src[si].rep:
            ti = 0
            si += 1
    if lst.ini[0].req:
        _l_split(lst, 1)
        lst.ini[0].req = False
    ended = False
    tj = sj = 0
    while i < n:
        if si >= len(src):
            raise _Unjudged  # msgfmt reads past its segment
        k = min(src[si].rep - ti, lst.ini[sj].rep - tj)
        req, t, newsub = _l_meet(src[si], lst.ini[sj])
        if t is None:
            if req:
                back = _l_backtrack(lst)
                if back is None:
                    raise _Unjudged  # msgfmt aborts
                return back
            ended = True
            break
        lst.ini.append(_LArg(k, req, t, newsub))
        i += k
        ti += k
        if ti == src[si].rep:
            ti = 0
            si += 1
        tj += k
        if tj == lst.ini[sj].rep:
            tj = 0
            sj += 1
    if not ended and lst.ini_len() != n:
        raise _Unjudged  # msgfmt aborts
    # Optional exit points at 0, period, 2*period, ...
    i = 0
    while i < lst.ini_len():
        lst.ini[_l_unshare(lst, i)].req = False
        i += period
    if not ended:
        # msgfmt 0.21 moves elements up to index n (a count of arguments) into the loop:
        # past the list when some element stands for several arguments.
        if n != len(lst.ini):
            raise _Unjudged
        split = _l_split(lst, n - p)
        lst.ini, lst.rep = lst.ini[:split], lst.ini[split:]
    return lst


_LISP_PARAMS: dict[str, tuple[str, ...]] = {
    "I": (_L_IN,),
    "II": (_L_IN, _L_IN),
    "ICCI": (_L_IN, _L_CN, _L_CN, _L_IN),
    "IIIC": (_L_IN, _L_IN, _L_IN, _L_CN),
    "IICCI": (_L_IN, _L_IN, _L_CN, _L_CN, _L_IN),
    "IIICC": (_L_IN, _L_IN, _L_IN, _L_CN, _L_CN),
    "IIIICCC": (_L_IN, _L_IN, _L_IN, _L_IN, _L_CN, _L_CN, _L_CN),
    "THREE": (_L_CIN, _L_CIN, _L_CIN),
    "IIC": (_L_IN, _L_IN, _L_CN),
}
# Parameters as (kind, value): kind "" (absent), "c", "i", "#" or "v" (value: position).


class _LispParse:
    """State of one parse: the string, where it is, the known argument position (-1:
    unknown), the constraint on the arguments (None: a contradiction) and the union of the
    constraints at the pending ~^ exits."""

    def __init__(self, s: str, scheme: bool) -> None:
        self.s = s
        self.i = 0
        self.scheme = scheme
        self.position = 0
        self.list: _LList | None = _l_unconstrained()
        self.escape: _LList | None = None

    def take(self, kind: str, sub: _LList | None = None) -> None:
        """The next argument is consumed, as ``kind``."""
        if self.position >= 0:
            self.list = _l_typed(self.list, self.position, kind, sub)
            self.position += 1


def _lisp_check_params(
    p: _LispParse, params: list[tuple[str, int]], types: tuple[str, ...], number: int
) -> None:
    for k, (kind, value) in enumerate(params):
        if k < len(types):
            wanted = types[k]
            if wanted == _L_CN and kind in ("i", "#"):
                raise _Invalid(
                    f"In the directive number {number}, parameter {k + 1} is of type 'integer' "
                    "but a parameter of type 'character' is expected."
                )
            if wanted == _L_IN and kind == "c":
                raise _Invalid(
                    f"In the directive number {number}, parameter {k + 1} is of type "
                    "'character' but a parameter of type 'integer' is expected."
                )
            if kind == "v" and value >= 0:
                p.list = _l_typed(p.list, value, wanted)
        elif kind in ("c", "i", "#"):
            plural = "parameter" if len(types) == 1 else "parameters"
            raise _Invalid(
                f"In the directive number {number}, too many parameters are given; expected "
                f"at most {len(types)} {plural}."
            )
        elif kind == "v" and value >= 0:
            # An unexpected V parameter must be nil.
            p.list = _l_typed(p.list, value, _L_LIST, _LList())


class _Counter:
    def __init__(self) -> None:
        self.directives = 0


_LISP_OBJECT_DIRECTIVES = {
    "A": "IIIC",
    "S": "IIIC",
    "D": "ICCI",
    "B": "ICCI",
    "O": "ICCI",
    "X": "ICCI",
    "R": "IICCI",
    "F": "IIICC",
    "E": "IIIICCC",
    "G": "IIIICCC",
    "$": "IIIC",
}
_LISP_ARG_TYPES = {
    "A": _L_OBJECT,
    "S": _L_OBJECT,
    "W": _L_OBJECT,
    "D": _L_INT,
    "B": _L_INT,
    "O": _L_INT,
    "X": _L_INT,
    "R": _L_INT,
    "C": _L_CHAR,
    "F": _L_REAL,
    "E": _L_REAL,
    "G": _L_REAL,
    "$": _L_REAL,
}
_LISP_ENDS = {")": "(", "]": "[", "}": "{", ">": "<"}


def _lisp_sub(
    p: _LispParse, spec: _Counter, position: int, lst: _LList | None, separator: bool
) -> tuple[int, int, _LList | None]:
    """Parse one clause up to ``~]`` from the given state: (separator, position, list)."""
    p.position, p.list = position, lst
    sep = _lisp_upto(p, spec, "]", separator)
    return sep, p.position, p.list


def _lisp_conditional(
    p: _LispParse, spec: _Counter, params: list[tuple[str, int]], colon: bool, atsign: bool
) -> None:
    number = spec.directives
    if atsign and colon:
        raise _Invalid(
            f"In the directive number {number}, both the @ and the : modifiers are given."
        )
    if atsign:
        # ~@[: the argument is nil, or the clause is used (and sees the argument again).
        _lisp_check_params(p, params, (), number)
        position, lst = p.position, p.list
        nil_list = lst.copy() if lst is not None else None
        if position >= 0:
            nil_list = _l_typed(nil_list, position, _L_LIST, _LList())
        _, sub_position, sub_list = _lisp_sub(
            p, spec, position, lst.copy() if lst is not None else None, False
        )
        if position >= 0:
            position = position + 1 if sub_list is None or sub_position == position + 1 else -1
        p.position, p.list = position, _l_either(nil_list, sub_list)
        return
    if colon:
        _lisp_check_params(p, params, (), number)
        p.take(_L_OBJECT)
        position, lst = p.position, p.list
        # The false clause: the argument is nil.
        first = lst.copy() if lst is not None else None
        if position >= 0:
            first = _l_typed(first, position - 1, _L_LIST, _LList())
        sep, sub_position, sub_list = _lisp_sub(p, spec, position, first, True)
        if not sep:
            raise _Invalid(
                f"In the directive number {spec.directives}, '~:[' is not followed by two "
                "clauses, separated by '~;'."
            )
        union_position = sub_position if sub_list is not None else -2
        either = sub_list
        _, sub_position, sub_list = _lisp_sub(
            p, spec, position, lst.copy() if lst is not None else None, False
        )
        if sub_list is not None:
            if union_position == -2:
                union_position = sub_position
            elif sub_position < 0 or sub_position != union_position:
                union_position = -1
        p.position = union_position if union_position != -2 else position
        p.list = _l_either(either, sub_list)
        return
    _lisp_check_params(p, params, _LISP_PARAMS["I"], number)
    # Without a parameter, the argument chooses the clause.
    arg_position = -1
    if not (params and params[0][0] != "") and p.position >= 0:
        arg_position = p.position
        p.take(_L_OBJECT)
    position, lst = p.position, p.list
    union_position = -2
    union_list: _LList | None = None
    last = False
    while True:
        sep, sub_position, sub_list = _lisp_sub(
            p, spec, position, lst.copy() if lst is not None else None, not last
        )
        if not last and arg_position >= 0:
            sub_list = _l_typed(sub_list, arg_position, _L_INT)
        if sub_list is not None:
            if union_position == -2:
                union_position = sub_position
            elif sub_position < 0 or sub_position != union_position:
                union_position = -1
        union_list = _l_either(union_list, sub_list)
        if sep == 2:
            last = True
        if not sep:
            break
    if not last:
        # An implicit default clause: none is used.
        if union_position == -2:
            union_position = position
        elif position < 0 or position != union_position:
            union_position = -1
        if lst is not None:
            union_list = _l_either(union_list, lst.copy())
    p.position = union_position if union_position != -2 else position
    p.list = union_list


def _lisp_iteration(
    p: _LispParse, spec: _Counter, params: list[tuple[str, int]], colon: bool, atsign: bool
) -> None:
    _lisp_check_params(p, params, _LISP_PARAMS["I"], spec.directives)
    start = p.i
    position, lst, escape = p.position, p.list, p.escape
    sub = _Counter()
    p.position, p.list, p.escape = 0, _l_unconstrained(), None
    _lisp_upto(p, sub, "}", False)
    sub_position, sub_escape = p.position, p.escape
    sub_list: _LList | None = p.list
    p.position, p.list, p.escape = position, lst, escape
    spec.directives += sub.directives
    if _at(p.s, start) == "~" and sub.directives == 1:
        # ~{~}: the format string is an argument.
        p.take(_L_FORMAT)
    # ~{ catches ~^.
    sub_list = _l_either(sub_list, sub_escape)
    if colon:
        # Each iteration uses a sublist.
        looplist = _l_list_of_lists(sub_list)
    elif sub_list is None:
        looplist = _LList()
    elif sub_position <= 0:
        # As msgfmt: only the constraints of 0 or 1 iterations are kept.
        looplist = _l_union_empty(sub_list)
    else:
        looplist = _l_repeated(sub_list, sub_position)
    if atsign:
        # The remaining arguments are used.
        if p.list is not None and p.position >= 0:
            if p.position > 0:
                looplist.ini.insert(0, _LArg(p.position, True, _L_OBJECT))
                _l_normalize_outermost(looplist)
            p.list = _l_intersect(p.list, looplist)
        p.position = -1
    else:
        p.take(_L_LIST, looplist)


def _lisp_justification(p: _LispParse, spec: _Counter, params: list[tuple[str, int]]) -> None:
    _lisp_check_params(p, params, _LISP_PARAMS["IIIC"], spec.directives)
    escape = p.escape
    p.escape = None
    while _lisp_upto(p, spec, ">", True):
        pass
    sub_escape = p.escape
    p.escape = escape
    # ~< catches ~^.
    if sub_escape is not None:
        p.position = -1
    p.list = _l_either(p.list, sub_escape)


def _lisp_upto(p: _LispParse, spec: _Counter, terminator: str, separator: bool) -> int:
    """Parse until ``terminator`` (or the end); returns 2 or 1 if a ~:; or ~; ended it."""
    s, n = p.s, len(p.s)
    while p.i < n:
        ch = s[p.i]
        p.i += 1
        if ch != "~":
            continue
        colon = atsign = False
        spec.directives += 1
        number = spec.directives
        params: list[tuple[str, int]] = []
        while True:
            kind, value = "", 0
            c = _at(s, p.i)
            if c and "0" <= c <= "9":
                j = _digits(s, p.i)
                kind, value = "i", int(s[p.i : j])
                p.i = j
            elif c in ("+", "-") and c:
                p.i += 1
                if not ("0" <= _at(s, p.i) <= "9" and _at(s, p.i)):
                    if _at(s, p.i) == "":
                        raise _unterminated()
                    raise _Invalid(
                        f"In the directive number {number}, {_quoted_char(c)} is not followed "
                        "by a digit."
                    )
                j = _digits(s, p.i)
                kind, value = "i", int(s[p.i : j]) * (-1 if c == "-" else 1)
                p.i = j
            elif c == "'":
                p.i += 1
                if _at(s, p.i) == "":
                    raise _unterminated()
                kind = "c"
                p.i += 1
            elif c in ("V", "v") and c:
                kind, value = "v", p.position
                p.i += 1
                if p.position >= 0:
                    p.position += 1
            elif c == "#":
                kind = "#"
                p.i += 1
            params.append((kind, value))
            if _at(s, p.i) == ",":
                p.i += 1
            else:
                break
        while _at(s, p.i) in (":", "@") and p.i < n:
            colon = colon or s[p.i] == ":"
            atsign = atsign or s[p.i] == "@"
            p.i += 1
        d = _at(s, p.i)
        p.i += 1
        up = d.upper() if d.isascii() else d
        if p.scheme and up in ("W", "<", ">", "!", "I", "T", "C", "Y", "Q", "K", "/", "_"):
            up = {"<": "", ">": "", "W": ""}.get(up, "scheme-" + up)
            d = "" if not up else d
        if up == "scheme-I":
            _lisp_check_params(p, params, _LISP_PARAMS["IIICC"], number)
            p.take(_L_COMPLEX)
        elif up == "scheme-C":
            _lisp_check_params(p, params, _LISP_PARAMS["I"], number)
            if len(params) == 1 and params[0][0] == "":
                p.take(_L_CHAR)
        elif up == "scheme-Y":
            _lisp_check_params(p, params, (), number)
            p.take(_L_OBJECT)
        elif up in ("scheme-_", "scheme-/"):
            _lisp_check_params(p, params, _LISP_PARAMS["I"], number)
        elif up in ("scheme-!", "scheme-Q"):
            _lisp_check_params(p, params, (), number)
        elif up == "scheme-T":
            _lisp_check_params(p, params, _LISP_PARAMS["IIC"], number)
        elif up in _LISP_ARG_TYPES and up != "W" and up != "C":
            _lisp_check_params(p, params, _LISP_PARAMS[_LISP_OBJECT_DIRECTIVES[up]], number)
            p.take(_LISP_ARG_TYPES[up])
        elif up in ("W", "C"):
            _lisp_check_params(p, params, (), number)
            p.take(_LISP_ARG_TYPES[up])
        elif up == "P":
            _lisp_check_params(p, params, (), number)
            if colon and p.position > 0:
                p.position -= 1
            p.take(_L_OBJECT)
        elif d in ("%", "&", "|", "~") or up == "I":
            _lisp_check_params(p, params, _LISP_PARAMS["I"], number)
        elif d in ("\n", "_"):
            _lisp_check_params(p, params, (), number)
        elif up == "T":
            _lisp_check_params(p, params, _LISP_PARAMS["II"], number)
        elif d == "*":
            _lisp_check_params(p, params, _LISP_PARAMS["I"], number)
            first = params[0][0]
            if first in ("", "i"):
                count = params[0][1] if first == "i" else (0 if atsign else 1)
                if count < 0:
                    raise _Invalid(
                        f"In the directive number {number}, the argument {count} is negative."
                    )
                if atsign:
                    p.position = count
                elif colon:
                    if count > 0:
                        p.position = max(p.position - count, 0) if p.position >= 0 else -1
                elif p.position >= 0:
                    p.position += count
            else:
                p.position = -1
        elif d == "?" or up == "scheme-K":
            # Indirection: a format string, then its arguments as a list (or the rest).
            _lisp_check_params(p, params, (), number)
            p.take(_L_FORMAT)
            if atsign:
                p.position = -1
            else:
                p.take(_L_LIST, _l_unconstrained())
        elif d == "/":
            _lisp_check_params(p, params, (), number)
            p.take(_L_OBJECT)
            end = s.find("/", p.i)
            if end < 0:
                raise _Invalid("The string ends in the middle of a ~/.../ directive.")
            p.i = end + 1
        elif d == "(":
            _lisp_check_params(p, params, (), number)
            _lisp_upto(p, spec, ")", False)
        elif d in _LISP_ENDS:
            if terminator != d:
                raise _Invalid(f"Found '~{d}' without matching '~{_LISP_ENDS[d]}'.")
            _lisp_check_params(p, params, (), number)
            return 0
        elif d == "[":
            _lisp_conditional(p, spec, params, colon, atsign)
        elif d == "{":
            _lisp_iteration(p, spec, params, colon, atsign)
        elif d == "<":
            _lisp_justification(p, spec, params)
        elif d == "^":
            _lisp_check_params(p, params, _LISP_PARAMS["THREE"], number)
            if p.position >= 0 and p.list is not None and _l_is_required(p.list, p.position):
                continue  # this ~^ is never taken
            if p.list is not None:
                exit_list: _LList | None = p.list.copy()
                if p.position >= 0:
                    exit_list = _l_end(exit_list, p.position)
                p.escape = _l_either(p.escape, exit_list)
            if p.position >= 0:
                p.list = _l_require(p.list, p.position)
        elif d == ";":
            if not separator:
                raise _Invalid(
                    f"In the directive number {number}, '~;' is used in an invalid position."
                )
            _lisp_check_params(p, params, _LISP_PARAMS["I"] if terminator == ">" else (), number)
            return 2 if colon else 1
        elif d == "!":
            for kind, value in params:
                if kind == "v":
                    if value < 0:
                        # msgfmt 0.21 takes the unknown position for a huge one.
                        raise _Unjudged
                    p.list = _l_typed(p.list, value, _L_CIN)
            p.take(_L_FUNC)
            p.take(_L_OBJECT)
        else:
            p.i -= 1
            raise _bad_conversion(number, s[p.i] if p.i < n else "")
    if terminator:
        raise _Invalid(f"Found '~{chr(ord(terminator) - 1)}' without matching '~{terminator}'.")
    return 0


def _parse_lisp_kind(s: str, scheme: bool) -> _Args:
    p = _LispParse(s, scheme)
    try:
        _lisp_upto(p, _Counter(), "", False)
        # The ~^ exits are ways the string can end too.
        lst = _l_either(p.list, p.escape)
        if lst is None:
            raise _Invalid("The string refers to some argument in incompatible ways.")
        _l_normalize(lst)
    except RecursionError:
        # Nesting deeper than Python's stack, which msgfmt's is not bound by.
        raise _Unjudged from None
    return _Args(positional=[lst])


def _parse_lisp(s: str, translated: bool) -> _Args:
    return _parse_lisp_kind(s, False)


def _parse_scheme(s: str, translated: bool) -> _Args:
    return _parse_lisp_kind(s, True)


def _check_lisp(a: _Args, b: _Args, strict: bool, pid: str, pstr: str) -> str | None:
    left, right = a.positional[0], b.positional[0]
    assert isinstance(left, _LList) and isinstance(right, _LList)
    if strict:
        if not _l_equal(left, right):
            return f"format specifications in '{pid}' and '{pstr}' are not equivalent"
        return None
    # msgid's constraints, added to msgstr's, must leave msgstr's unchanged.
    both = _l_intersect(left.copy(), right.copy())
    if both is not None:
        _l_normalize(both)
    if both is None or not _l_equal(both, right):
        return f"format specifications in '{pstr}' are not a subset of those in '{pid}'"
    return None


# --- the table ----------------------------------------------------------------------------

_Parser = Callable[[str, bool], _Args]
_Checker = Callable[[_Args, _Args, bool, str, str], "str | None"]


@dataclass(frozen=True)
class _Kind:
    parse: _Parser
    check: _Checker


_KINDS: dict[str, _Kind] = {
    "c": _Kind(lambda s, t: _parse_c(s, t, False), _check_positional_args),
    "objc": _Kind(lambda s, t: _parse_c(s, t, True), _check_positional_args),
    "python": _Kind(_parse_python, _check_python),
    "python-brace": _Kind(_parse_python_brace, _check_python_brace),
    "awk": _Kind(lambda s, t: _parse_printf(_AWK, s), _check_numbered),
    "tcl": _Kind(lambda s, t: _parse_printf(_TCL, s), _check_numbered),
    "php": _Kind(lambda s, t: _parse_printf(_PHP, s), _check_numbered),
    "lua": _Kind(
        lambda s, t: _parse_printf(_LUA, s),
        lambda a, b, strict, pid, pstr: _check_in_order(a, b, pid, pstr),
    ),
    "javascript": _Kind(lambda s, t: _parse_printf(_JAVASCRIPT, s), _check_numbered),
    "object-pascal": _Kind(lambda s, t: _parse_printf(_PASCAL, s), _check_numbered),
    "sh": _Kind(_parse_sh, _check_sh),
    "perl-brace": _Kind(_parse_perl_brace, _check_perl_brace),
    "qt": _Kind(_parse_qt, _check_qt),
    "qt-plural": _Kind(_parse_qt_plural, _check_qt_plural),
    "kde": _Kind(_parse_kde, _check_kde),
    "kde-kuit": _Kind(_parse_kde_kuit, _check_kde),
    "java": _Kind(
        _parse_java,
        lambda a, b, strict, pid, pstr: _check_numbered(a, b, strict, pid, pstr, bracket=True),
    ),
    "java-printf": _Kind(_parse_java_printf, _check_numbered),
    "csharp": _Kind(_parse_csharp, _check_csharp),
    "perl": _Kind(_parse_perl, _check_numbered),
    "boost": _Kind(_parse_boost, _check_numbered),
    "ycp": _Kind(_parse_ycp, _check_ycp),
    "smalltalk": _Kind(_parse_ycp, _check_ycp),
    "ruby": _Kind(_parse_ruby, _check_ruby),
    "elisp": _Kind(
        lambda s, t: _parse_lisp_printf(s, _ELISP_TYPES, " +-#0", True), _check_numbered
    ),
    "librep": _Kind(
        lambda s, t: _parse_lisp_printf(s, _LIBREP_TYPES, "-^0+ ", False), _check_numbered
    ),
    "scheme": _Kind(_parse_scheme, _check_lisp),
    "lisp": _Kind(_parse_lisp, _check_lisp),
    "gcc-internal": _Kind(_parse_gcc_internal, _check_gcc_internal),
    "gfc-internal": _Kind(_parse_gfc_internal, _check_gfc_internal),
}


def _range(flags: Iterable[str]) -> tuple[int, int] | None:
    for flag in flags:
        if flag.startswith("range:"):
            m = _RANGE_RE.match(flag)
            if m:
                return int(m.group(1)), int(m.group(2))
    return None


def _kinds_to_check(flags: Iterable[str]) -> list[str]:
    """The kinds flagged ``X-format`` or ``possible-X-format``, not negated, in msgfmt's order."""
    wanted: set[str] = set()
    negated: set[str] = set()
    for flag in flags:
        if not flag.endswith("-format"):
            continue
        name = flag[: -len("-format")]
        if name.startswith("possible-"):
            wanted.add(name[len("possible-") :])
        elif name.startswith(("no-", "impossible-")):
            negated.add(name.split("-", 1)[1])
        else:
            wanted.add(name)
    if not wanted:
        return []
    return [kind for kind in FORMATS if kind in wanted and kind not in negated]


def format_problems(
    msgid: str,
    msgid_plural: str | None,
    msgstrs: Sequence[str],
    flags: Iterable[str],
    often: Sequence[bool] | None,
    plural: Callable[[int], int] | None = None,
) -> list[tuple[str, str]]:
    """(code, message) for the problem msgfmt would report for this entry's format strings.

    ``code`` is ``E110`` when a msgstr's directives do not match the msgid's (count, types,
    names) and ``E111`` when a msgstr is not a valid format string of the kind. msgfmt prints
    only the first problem of an entry, so the list has at most one element.
    """
    flags = list(flags)
    kinds = _kinds_to_check(flags)
    if not kinds or msgid == "":
        # msgfmt does not check an empty msgid (it takes it for a header).
        return []
    span = _range(flags)
    source = msgid_plural if msgid_plural is not None else msgid
    pid = "msgid_plural" if msgid_plural is not None else "msgid"
    several = len(msgstrs) > 1
    for name in kinds:
        kind = _KINDS.get(name)
        if kind is None:
            continue
        try:
            source_args = kind.parse(source, False)
        except _Invalid:
            continue
        except _Unjudged:
            return []
        for j, text in enumerate(msgstrs):
            pstr = f"msgstr[{j}]" if msgid_plural is not None else "msgstr"
            try:
                args = kind.parse(text, True)
            except _Unjudged:
                return []
            except _Invalid as invalid:
                return [
                    (
                        INVALID,
                        f"'{pstr}' is not a valid {_PRETTY[name]} format string, unlike "
                        f"'{pid}'. Reason: {invalid.reason}",
                    )
                ]
            strict = (
                msgid_plural is None
                or not several
                or (
                    often is not None
                    and j < len(often)
                    and often[j]
                    and not (
                        span is not None
                        and plural is not None
                        and sum(1 for k in range(span[0], span[1] + 1) if plural(k) == j) <= 1
                    )
                )
            )
            problem = kind.check(source_args, args, strict, pid, pstr)
            if problem is not None:
                return [(MISMATCH, problem)]
    return []


__all__ = ["FORMATS", "INVALID", "MISMATCH", "format_problems"]


def newline_problem(msgid: str, msgid_plural: str | None, msgstrs: Sequence[str]) -> str | None:
    """msgfmt's first complaint (code E112) when the strings of an entry do not all begin,
    or all end, with a newline as the msgid does; msgfmt checks this on every translated
    entry, with or without ``--check-format``."""
    if not msgid:
        return None
    begins = msgid.startswith("\n")
    ends = msgid.endswith("\n")
    for side, test, want in (("begin", str.startswith, begins), ("end", str.endswith, ends)):
        if msgid_plural is not None:
            if test(msgid_plural, "\n") != want:
                return f"'msgid' and 'msgid_plural' entries do not both {side} with '\\n'"
            for j, text in enumerate(msgstrs):
                if test(text, "\n") != want:
                    return f"'msgid' and 'msgstr[{j}]' entries do not both {side} with '\\n'"
        elif test(msgstrs[0], "\n") != want:
            return f"'msgid' and 'msgstr' entries do not both {side} with '\\n'"
    return None
