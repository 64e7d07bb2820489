"""Writing a catalog as PO text, formatted the way GNU msgcat and msgmerge format it.

The layout follows gettext 0.21's ``write-po.c``: comments in the order translator ``#``,
extracted ``#.``, references ``#:`` (wrapped at the page width, duplicates dropped), flags
``#,`` (``fuzzy`` first, then known flags in gettext's order), previous ``#|`` strings, then
``msgctxt``/``msgid``/``msgid_plural``/``msgstr``. Strings are escaped like gettext and cut
into lines of at most 79 columns at the break opportunities of the Unicode line breaking
algorithm (UAX #14, gnulib's pair table), a string that needs more than one line starting
with an empty ``""``. Active entries come first, then the obsolete ones as ``#~`` lines.

Deliberate differences from msgcat, which rewrites content while formatting:

- unknown flags are kept (after the known ones) where msgcat drops them;
- obsolete entries with an empty msgstr are written, where msgcat drops them;
- breaks inside format directives of ``c-format`` and similar strings are not avoided,
  and character classes outside Latin, Greek, Cyrillic and CJK are approximated from
  Unicode general categories, so rare scripts may wrap differently.

A comment line ending in a backslash is written with a space after it (msgfmt would join
the next line to it). As msgcat does, ``fuzzy`` is not written on an entry whose first
msgstr is empty (msgfmt counts such an entry as untranslated anyway). The output is a pure
function of the catalog.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from i18n_pipeline.po.catalog import FORMAT_KINDS, Catalog, Entry

__all__ = ["render_po"]

# Format flags in gettext 0.21's order (``format_language`` in message.c).
_FORMATS = FORMAT_KINDS
_SYNTAX_CHECKS = ("ellipsis-unicode", "space-ellipsis", "quote-unicode", "bullet-unicode")
_ESCAPES = {
    "\a": "a",
    "\b": "b",
    "\f": "f",
    "\n": "n",
    "\r": "r",
    "\t": "t",
    "\v": "v",
    '"': '"',
    "\\": "\\",
}
_ESCAPE_TABLE = str.maketrans({char: "\\" + code for char, code in _ESCAPES.items()})


def render_po(catalog: Catalog, *, width: int = 79) -> str:
    """The PO text of ``catalog``: header, active entries, then obsolete entries."""
    blocks: list[list[str]] = []
    if catalog.headers or catalog.header_comments or catalog.header_flags:
        header_text = "".join(f"{key}: {value}\n" for key, value in catalog.headers)
        header = Entry(
            msgid="",
            msgstr=header_text,
            flags=list(catalog.header_flags),
            translator_comments=list(catalog.header_comments),
        )
        blocks.append(_entry_lines(header, width))
    blocks.extend(_entry_lines(e, width) for e in catalog.entries if not e.obsolete)
    blocks.extend(_entry_lines(e, width) for e in catalog.entries if e.obsolete)
    return "\n".join("".join(line + "\n" for line in block) for block in blocks)


def _entry_lines(entry: Entry, width: int) -> list[str]:
    lines: list[str] = []
    for comment in entry.translator_comments:
        lines.extend(_comment_lines("#", comment))
    for comment in entry.extracted_comments:
        lines.extend(_comment_lines("#.", comment))
    lines.extend(_reference_lines(entry.references, width))
    flags, wrap = _flags(entry.flags, entry.first_msgstr != "")
    if flags:
        lines.append("#, " + ", ".join(flags))
    page = width if wrap else 1 << 30
    prev = "#~| " if entry.obsolete else "#| "
    prefix = "#~ " if entry.obsolete else ""
    if entry.previous_msgctxt is not None:
        lines.extend(_wrap(prev, "msgctxt", entry.previous_msgctxt, page))
    if entry.previous_msgid is not None:
        lines.extend(_wrap(prev, "msgid", entry.previous_msgid, page))
    if entry.previous_msgid_plural is not None:
        lines.extend(_wrap(prev, "msgid_plural", entry.previous_msgid_plural, page))
    if entry.msgctxt is not None:
        lines.extend(_wrap(prefix, "msgctxt", entry.msgctxt, page))
    lines.extend(_wrap(prefix, "msgid", entry.msgid, page))
    if entry.msgid_plural is None:
        lines.extend(_wrap(prefix, "msgstr", entry.msgstr, page))
    else:
        lines.extend(_wrap(prefix, "msgid_plural", entry.msgid_plural, page))
        forms = entry.msgstr_plural or {0: ""}
        for index in sorted(forms):
            lines.extend(_wrap(prefix, f"msgstr[{index}]", forms[index], page))
    return lines


def _comment_lines(mark: str, comment: str) -> list[str]:
    """One line per line of the comment; a trailing backslash gets a space after it, since
    msgfmt would otherwise join the next line to the comment."""
    return [
        (f"{mark} {part} " if part.endswith("\\") else f"{mark} {part}") if part else mark
        for part in comment.split("\n")
    ]


def _reference_lines(references: Iterable[str], width: int) -> list[str]:
    """``#:`` lines: references in order without repeats, a new line before overflowing."""
    lines: list[str] = []
    line = "#:"
    column = 2
    seen: set[str] = set()
    for reference in references:
        while reference.startswith("./"):
            reference = reference[2:]
        if reference in seen:
            continue
        seen.add(reference)
        size = len(reference.encode("utf-8")) + 1
        if column > 2 and column + size > width:
            lines.append(line)
            line = "#:"
            column = 2
        line += " " + reference
        column += size
    if column > 2:
        lines.append(line)
    return lines


def _flags(flags: list[str], has_msgstr: bool) -> tuple[list[str], bool]:
    """The flags to write, in gettext's order, and whether strings may be wrapped."""
    formats: dict[str, str] = {}
    checks: dict[str, str] = {}
    wrap = True
    range_flag: str | None = None
    unknown: list[str] = []
    for flag in flags:
        if flag == "fuzzy":
            continue
        if flag in ("wrap", "no-wrap"):
            wrap = flag == "wrap"
        elif flag.startswith("range: "):
            range_flag = flag
        elif flag.endswith("-format"):
            name = flag[:-7]
            for negation in ("no-", "possible-", "impossible-"):
                if name.startswith(negation) and name[len(negation) :] in _FORMATS:
                    formats[name[len(negation) :]] = negation
                    break
            else:
                if name in _FORMATS:
                    formats[name] = ""
                elif flag not in unknown:
                    unknown.append(flag)
        elif flag.endswith("-check"):
            name = flag[:-6]
            negated = name.startswith("no-")
            base = name[3:] if negated else name
            if base in _SYNTAX_CHECKS:
                checks[base] = "no-" if negated else ""
            elif flag not in unknown:
                unknown.append(flag)
        elif flag not in unknown:
            unknown.append(flag)
    out = ["fuzzy"] if "fuzzy" in flags and has_msgstr else []
    for name in _FORMATS:
        kind = formats.get(name)
        if kind is None or kind == "impossible-":
            continue
        out.append(("no-" if kind == "no-" else "") + name + "-format")
    if range_flag:
        out.append(range_flag)
    if not wrap:
        out.append("no-wrap")
    for name in _SYNTAX_CHECKS:
        if name in checks:
            out.append(checks[name] + name + "-check")
    out.extend(unknown)
    return out, wrap


# -- string wrapping -----------------------------------------------------------------------

_PROHIBITED = 0
_POSSIBLE = 1
_MANDATORY = 2


def _wrap(line_prefix: str, name: str, value: str, width: int) -> list[str]:
    """``name "value"`` as gettext's ``wrap_string`` lays it out, one item per line."""
    return list(_wrap_cached(line_prefix, name, value, width))


@lru_cache(maxsize=8192)
def _wrap_cached(line_prefix: str, name: str, value: str, width: int) -> tuple[str, ...]:
    """:func:`_wrap`, remembered: a template and its catalogs repeat every msgid."""
    if "\n" not in value:
        escaped = value.translate(_ESCAPE_TABLE)
        columns = len(escaped) if escaped.isascii() else sum(map(_char_width, escaped))
        if len(line_prefix) + len(name) + 3 + columns <= width - 1:
            # It fits: no break opportunity can be taken, so no need to look for one.
            return (f'{line_prefix}{name} "{escaped}"',)
    return tuple(_wrap_slow(line_prefix, name, value, width))


def _wrap_slow(line_prefix: str, name: str, value: str, width: int) -> list[str]:
    lines: list[str] = []
    after_break = len(line_prefix) + 1
    room = width - 1 - after_break
    first_line = True
    portions = value.split("\n")
    # A portion ends after each newline; a trailing newline does not start another one.
    pieces = [part + "\n" for part in portions[:-1]]
    if portions[-1] or not pieces:
        pieces.append(portions[-1])
    for number, piece in enumerate(pieces):
        more = number < len(pieces) - 1
        chars, overrides = _escaped_chars(piece)
        # Break opportunities and widths do not depend on where the line starts.
        widths = [1] * len(chars) if piece.isascii() else [_char_width(c) for c in chars]
        total = sum(widths)
        kinds: list[int] | None = None
        while True:
            start = len(line_prefix) + (len(name) + 1 if first_line else 0) + 1 - after_break
            if start + total <= room:
                # Every line so far fits, so the greedy filling takes no break: no need to
                # find the opportunities (a header's short lines, mostly).
                breaks = [False] * len(chars)
            else:
                if kinds is None:
                    kinds = [
                        _PROHIBITED if override else kind
                        for kind, override in zip(
                            _possible_linebreaks(chars), overrides, strict=True
                        )
                    ]
                breaks = _greedy_breaks(kinds, widths, room, start)
            if first_line and chars and (more or start > room or any(breaks)):
                lines.append(f'{line_prefix}{name} ""')
                first_line = False
                continue
            break
        head = f'{line_prefix}{name} "' if first_line else f'{line_prefix}"'
        first_line = False
        bounds = [0, *(index for index, cut in enumerate(breaks) if cut), len(chars)]
        for number, (begin, end) in enumerate(itertools.pairwise(bounds)):
            text = "".join(chars[begin:end])
            lines.append(f'{head}{text}"' if number == 0 else f'{line_prefix}"{text}"')
    return lines


def _escaped_chars(piece: str) -> tuple[list[str], list[bool]]:
    """The characters of ``piece`` as written, and for each whether a line must not break
    before it (inside an escape, and before the newline that ends a piece)."""
    if not any(char in piece for char in _ESCAPES):
        return list(piece), [False] * len(piece)
    chars: list[str] = []
    overrides: list[bool] = []
    for char in piece:
        escape = _ESCAPES.get(char)
        if escape is None:
            chars.append(char)
            overrides.append(False)
        else:
            chars.append("\\")
            chars.append(escape)
            overrides.append(False)
            overrides.append(True)
    if piece.endswith("\n"):
        overrides[-2] = True
    return chars, overrides


def _width_linebreaks(
    chars: list[str], overrides: list[bool], width: int, start_column: int
) -> list[bool]:
    """Where to break (before which character) so lines fit in ``width`` columns.

    Greedy over break opportunities, as gnulib's ``u8_width_linebreaks``.
    """
    kinds = [
        _PROHIBITED if override else kind
        for kind, override in zip(_possible_linebreaks(chars), overrides, strict=True)
    ]
    return _greedy_breaks(kinds, [_char_width(c) for c in chars], width, start_column)


def _greedy_breaks(
    kinds: list[int], widths: list[int], width: int, start_column: int
) -> list[bool]:
    """The greedy line filling of :func:`_width_linebreaks` over precomputed opportunities."""
    breaks = [False] * len(kinds)
    last_break = -1
    column = start_column
    piece = 0
    for index, kind in enumerate(kinds):
        if kind != _PROHIBITED:
            if last_break >= 0 and column + piece > width:
                breaks[last_break] = True
                column = 0
            if kind == _MANDATORY:
                last_break = -1
                column = 0
                piece = 0
                continue
            last_break = index
            column += piece
            piece = 0
        piece += widths[index]
    if last_break >= 0 and column + piece > width:
        breaks[last_break] = True
    return breaks


def _possible_linebreaks(chars: list[str]) -> list[int]:
    """Break opportunities before each character (UAX #14 with gnulib's pair table)."""
    result = [_PROHIBITED] * len(chars)
    last = _BK
    seen_space = -1
    seen_space2 = -1
    known = _class_cache
    classes = [known[char] if char in known else _line_class(char) for char in chars]
    for index, prop in enumerate(classes):
        if prop == _BK:
            result[index] = _MANDATORY
            last = _BK
            seen_space = seen_space2 = -1
            continue
        at = index
        if prop == _SP:
            seen_space2 = seen_space
            seen_space = index
            continue
        if prop == _ZW:
            last = _ZW
            seen_space = seen_space2 = -1
            continue
        if prop == _CM:
            if last == _ZW:
                result[index] = _POSSIBLE
                last = _ID
                continue
            if seen_space < 0:
                continue
            at = seen_space
            seen_space = seen_space2
            prop = _ID
        if last == _BK:
            result[at] = _PROHIBITED
        elif last == _ZW:
            result[at] = _POSSIBLE
        else:
            rule = _PAIRS[last][prop]
            if rule == "D" or (rule == "I" and seen_space >= 0):
                result[at] = _POSSIBLE
        last = prop
        seen_space = seen_space2 = -1
    return result


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    code = ord(char)
    if 0x20 <= code < 0x7F:
        return 1
    if code < 0x20 or 0x7F <= code < 0xA0:
        return 0
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0 if code != 0xAD else 1
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


# Line breaking classes in the order of gnulib's pair table (lbrktables.c, Unicode 9),
# with LB24 of later versions (no break between letters and a prefix or postfix sign).
(_WJ, _GL, _B2, _BA, _BB, _HY, _CL, _CP, _EX, _IN, _NS, _OP, _QU, _IS, _NU, _PO, _PR, _SY) = range(
    18
)
(_AL, _H2, _H3, _ID, _JL, _JV, _JT, _HL, _RI, _EB, _EM, _ZWJ) = range(18, 30)
_SP, _BK, _CM, _ZW = 30, 31, 32, 33

# Rows: class before; columns: class after. D: break, I: break only across spaces, P: none.
_PAIRS = [
    row.replace(" ", "")
    for row in (
        "P I I I I I P P P I I I I P I I I P I I I I I I I I I I I I",  # WJ
        "P I I I I I P P P I I I I P I I I P I I I I I I I I I I I I",  # GL
        "P I P I D I P P P D I D I P D D D P D D D D D D D D D D D I",  # B2
        "P D D I D I P P P D I D I P D D D P D D D D D D D D D D D I",  # BA
        "P I I I I I P P P I I I I P I I I P I I I I I I I I I I I I",  # BB
        "P D D I D I P P P D I D I P I D D P D D D D D D D D D D D I",  # HY
        "P I D I D I P P P D P D I P D I I P D D D D D D D D D D D I",  # CL
        "P I D I D I P P P D P D I P I I I P I D D D D D D I D D D I",  # CP
        "P I D I D I P P P I I D I P D D D P D D D D D D D D D D D I",  # EX
        "P I D I D I P P P I I D I P D D D P D D D D D D D D D D D I",  # IN
        "P I D I D I P P P D I D I P D D D P D D D D D D D D D D D I",  # NS
        "P P P P P P P P P P P P P P P P P P P P P P P P P P P P P P",  # OP
        "P I I I I I P P P I I P I P I I I P I I I I I I I I I I I I",  # QU
        "P I D I D I P P P D I D I P I D D P D D D D D D D D D D D I",  # IS
        "P I D I D I P P P I I I I P I I I P I D D D D D D I D D D I",  # NU
        "P I D I D I P P P D I I I P I D D P I D D D D D D I D D D I",  # PO
        "P I D I D I P P P D I I I P I D D P I I I I I I I I D I I I",  # PR
        "P I D I D I P P P D I D I P I D D P D D D D D D D I D D D I",  # SY
        "P I D I D I P P P I I I I P I I I P I D D D D D D I D D D I",  # AL
        "P I D I D I P P P I I D I P D I D P D D D D D I I D D D D I",  # H2
        "P I D I D I P P P I I D I P D I D P D D D D D D I D D D D I",  # H3
        "P I D I D I P P P I I D I P D I D P D D D D D D D D D D D I",  # ID
        "P I D I D I P P P I I D I P D I D P D I I D I I D D D D D I",  # JL
        "P I D I D I P P P I I D I P D I D P D D D D D I I D D D D I",  # JV
        "P I D I D I P P P I I D I P D I D P D D D D D D I D D D D I",  # JT
        "P I D I D I P P P I I I I P I I I P I D D D D D D I D D D I",  # HL
        "P I D I D I P P P D I D I P D D D P D D D D D D I D I D D I",  # RI
        "P I D I D I P P P I I D I P D I D P D D D D D D I D I D I I",  # EB
        "P I D I D I P P P I I D I P D I D P D D D D D D I D I D D I",  # EM
        "P I D I D I P P P D I D I P D D D P D D D I D D I D I I I I",  # ZWJ
    )
]

_ASCII_CLASSES = {
    " ": _SP,
    "!": _EX,
    '"': _QU,
    "$": _PR,
    "%": _PO,
    "'": _QU,
    "(": _OP,
    ")": _CP,
    "+": _PR,
    ",": _IS,
    "-": _HY,
    ".": _IS,
    "/": _SY,
    ":": _IS,
    ";": _IS,
    "?": _EX,
    "[": _OP,
    "\\": _PR,
    "]": _CP,
    "{": _OP,
    "|": _BA,
    "}": _CL,
    **{str(d): _NU for d in range(10)},
}
_OTHER_CLASSES = {
    "\u00a0": _GL,
    "\u00a1": _OP,
    "\u00a2": _PO,
    "\u00a3": _PR,
    "\u00a4": _PR,
    "\u00a5": _PR,
    "\u00ab": _QU,
    "\u00ad": _BA,
    "\u00b0": _PO,
    "\u00b1": _PR,
    "\u00b4": _BB,
    "\u00bb": _QU,
    "\u00bf": _OP,
    "\u2007": _GL,
    "\u200b": _ZW,
    "\u200d": _ZWJ,
    "\u2010": _BA,
    "\u2011": _GL,
    "\u2012": _BA,
    "\u2013": _BA,
    "\u2014": _B2,
    "\u2018": _QU,
    "\u2019": _QU,
    "\u201a": _OP,
    "\u201b": _QU,
    "\u201c": _QU,
    "\u201d": _QU,
    "\u201e": _OP,
    "\u201f": _QU,
    "\u2024": _IN,
    "\u2025": _IN,
    "\u2026": _IN,
    "\u2030": _PO,
    "\u2031": _PO,
    "\u2032": _PO,
    "\u2033": _PO,
    "\u2039": _QU,
    "\u203a": _QU,
    "\u2044": _IS,
    "\u2060": _WJ,
    "\u202f": _GL,
    "\u20ac": _PR,
    "\u2116": _PR,
    "\u2212": _PR,
    "\u3000": _BA,
    "\u3001": _CL,
    "\u3002": _CL,
    "\ufeff": _WJ,
}
_CATEGORY_CLASSES = {
    "Mn": _CM,
    "Me": _CM,
    "Mc": _CM,
    "Cc": _CM,
    "Nd": _NU,
    "Ps": _OP,
    "Pe": _CL,
    "Pi": _QU,
    "Pf": _QU,
    "Pd": _BA,
    "Zs": _BA,
    "Zl": _BK,
    "Zp": _BK,
}


def _line_class(char: str) -> int:
    """The UAX #14 class of a character (exact for ASCII, approximated elsewhere)."""
    cached = _class_cache.get(char)
    if cached is not None:
        return cached
    prop = _OTHER_CLASSES.get(char)
    if prop is None:
        prop = _CATEGORY_CLASSES.get(unicodedata.category(char), _AL)
        if prop == _AL and unicodedata.east_asian_width(char) in ("W", "F"):
            prop = _ID
    _class_cache[char] = prop
    return prop


#: Each character's class once found: every ASCII character from the start.
_class_cache: dict[str, int] = {
    chr(code): _CM if code < 0x20 or code == 0x7F else _ASCII_CLASSES.get(chr(code), _AL)
    for code in range(0x80)
}
