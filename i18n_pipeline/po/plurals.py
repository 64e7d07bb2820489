"""Plural-Forms expressions: parsed safely and compared by their values, not their text.

``plural=(n != 1)`` and ``plural=n!=1`` are the same rule; a catalog is only wrong when the
rule gives another form for some ``n``. The grammar is gettext's: C's ternary, logical,
comparison and arithmetic operators over ``n`` and integer literals.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Expr = Callable[[int], int]

_TOKEN = re.compile(r"\s*(?:(\d+)|(n)|(\|\||&&|==|!=|<=|>=|[-+*/%<>!?:()]))")
_BINARY = [
    ("||",),
    ("&&",),
    ("==", "!="),
    ("<", ">", "<=", ">="),
    ("+", "-"),
    ("*", "/", "%"),
]


class PluralSyntaxError(ValueError):
    pass


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise PluralSyntaxError(f"unexpected {text[pos : pos + 10]!r} in plural expression")
        out.append(m.group(m.lastindex or 0))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


def _apply(op: str, a: int, b: int) -> int:
    if op in ("/", "%") and b == 0:
        return 0  # gettext would raise SIGFPE; treat as form 0 for comparison
    return {
        "||": lambda: int(bool(a) or bool(b)),
        "&&": lambda: int(bool(a) and bool(b)),
        "==": lambda: int(a == b),
        "!=": lambda: int(a != b),
        "<": lambda: int(a < b),
        ">": lambda: int(a > b),
        "<=": lambda: int(a <= b),
        ">=": lambda: int(a >= b),
        "+": lambda: a + b,
        "-": lambda: a - b,
        "*": lambda: a * b,
        "/": lambda: a // b,
        "%": lambda: a % b,
    }[op]()


def compile_plural(text: str) -> Expr:
    """A function of ``n`` for a gettext plural expression; raises PluralSyntaxError."""
    toks = _tokens(text)
    pos = 0

    def peek() -> str | None:
        return toks[pos] if pos < len(toks) else None

    def take(expected: str | None = None) -> str:
        nonlocal pos
        tok = peek()
        if tok is None or (expected is not None and tok != expected):
            raise PluralSyntaxError(f"expected {expected or 'a value'} in plural expression")
        pos += 1
        return tok

    def ternary() -> Expr:
        cond = binary(0)
        if peek() == "?":
            take("?")
            yes = ternary()
            take(":")
            no = ternary()
            return lambda n: yes(n) if cond(n) else no(n)
        return cond

    def binary(level: int) -> Expr:
        if level == len(_BINARY):
            return unary()
        left = binary(level + 1)
        while peek() in _BINARY[level]:
            op = take()
            right = binary(level + 1)
            left = (lambda lf, rf, o: lambda n: _apply(o, lf(n), rf(n)))(left, right, op)
        return left

    def unary() -> Expr:
        tok = peek()
        if tok == "!":
            take()
            inner = unary()
            return lambda n: int(not inner(n))
        if tok == "(":
            take()
            inner = ternary()
            take(")")
            return inner
        if tok == "n":
            take()
            return lambda n: n
        if tok is not None and tok.isdigit():
            value = int(take())
            return lambda n: value
        raise PluralSyntaxError("expected a value in plural expression")

    expr = ternary()
    if pos != len(toks):
        raise PluralSyntaxError(f"unexpected {toks[pos]!r} in plural expression")
    return expr


_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*$", re.S)


def parse_plural_forms(value: str) -> tuple[int, Expr]:
    """``(nplurals, expression)`` of a Plural-Forms header value."""
    m = _HEADER.match(value)
    if not m:
        raise PluralSyntaxError(f"expected 'nplurals=N; plural=EXPR;', not '{value}'")
    return int(m.group(1)), compile_plural(m.group(2))


def same_rule(a: str, b: str, *, upto: int = 1000) -> bool:
    """True when two Plural-Forms values give the same form for every n in 0..upto."""
    na, fa = parse_plural_forms(a)
    nb, fb = parse_plural_forms(b)
    return na == nb and all(fa(n) == fb(n) for n in range(upto + 1))


#: A plural form is "often" chosen when the rule gives it for at least this many n in 0..1000:
#: msgfmt's test of whether the form stands for infinitely many numbers.
_OFTEN = 5


def plural_distribution(value: str | None) -> tuple[tuple[bool, ...], Expr | None] | None:
    """For each plural form of a catalog's ``Plural-Forms``, whether its rule chooses it
    often, and the rule, as ``msgfmt -c`` works them out before it checks format strings.

    Without a header rule, gettext's default ``(n != 1)`` is assumed. None where msgfmt
    would report the rule instead (it cannot be read, or gives a form it does not have).
    """
    if value is None or "plural=" not in value or "nplurals=" not in value:
        return (False, True), lambda n: int(n != 1)
    try:
        nplurals, expr = parse_plural_forms(value)
    except PluralSyntaxError:
        return None
    counts = [0] * nplurals
    for n in range(1001):
        form = expr(n)
        if not 0 <= form < nplurals:
            return None
        counts[form] += 1
    return tuple(count >= _OFTEN for count in counts), expr
