"""Quality checks of one translated entry against its source: the W2xx and W301 codes.

Only translated entries are checked. Fuzzy entries are skipped: msgfmt does not ship them,
the translator has already been told to review them, and the staleness check (E108)
counts them; untranslated, obsolete and header entries have nothing to compare.

Plural entries are checked form by form. A form must keep what the singular and plural
sources share and may only add what one of them has, so "one file" / "%d files" lets a
form drop ``%d`` but not invent ``%s``.

An extracted comment (``#.``) or a translator comment (``#``) reading
``i18n-check: ignore W301`` silences the codes it lists (comma or space separated), so a
translator can silence a false alarm in their own file.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache

from i18n_pipeline.checks.cache import Detector
from i18n_pipeline.checks.codes import Finding, severity_of
from i18n_pipeline.checks.language import normalise_code
from i18n_pipeline.po.catalog import Entry

_IGNORE = re.compile(r"i18n-check:\s*ignore\b(.*)", re.IGNORECASE)
_CODE = re.compile(r"\b[EW]\d{3}\b")

_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9]*)"
    r"""(?:\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=]+))?)*\s*/?>"""
)
_PRINTF = re.compile(
    r"%(?:\d+\$)?(?:\([^)]*\))?[-#0+]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlLqjzt]*[diouxXeEfFgGcrsa]"
)
_BRACE = re.compile(r"\{(?:[A-Za-z_][\w.]*|\d+)?(?:\[[^\]]*\])?(?:![rsa])?(?::[^{}]*)?\}")
_HREF = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_URL = re.compile(
    r"""(?:https?|ftp)://[^\s<>"']+|\bwww\.[^\s<>"']+|\bmailto:[^\s<>"']+"""
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_URL_TAIL = ".,;:!?)]}»”’\"'"
#: Texts whose tokens are remembered: an article's msgids, read again for each of its
#: catalogs, which are checked one after the other (the translations are not met again).
_TOKEN_CACHE = 1024
_CJK_MULTIPLIER = re.compile(r"[千万萬亿億]")
_ANY_DIGIT = re.compile(r"\d")
_ASCII_SEPARATORS = str.maketrans("", "", ".,' ")


def _may_have_url(text: str) -> bool:
    """_URL matches nothing without one of these."""
    return "@" in text or "://" in text or "www." in text or "mailto:" in text


def _may_have_href(text: str) -> bool:
    return "href" in text or "src" in text


def _may_have_markup(text: str) -> bool:
    return "<" in text or "%" in text or "{" in text


def _texts(entry: Entry) -> Iterator[str]:
    """The entry's source and its filled forms."""
    yield entry.msgid
    if entry.msgid_plural is not None:
        yield entry.msgid_plural
    for _, text in _forms(entry):
        yield text


def _without_links(text: str) -> str:
    """The text with link targets and URLs blanked out; regexes run only where one may be."""
    if _may_have_href(text):
        text = _HREF.sub(" ", text)
    if _may_have_url(text):
        text = _URL.sub(" ", text)
    return text


_GROUP_SEP = r"(?:[,.'’]|[ \u00a0\u202f\u2009])"
#: Where numbers may be: runs of digits and separators from a digit on (a pattern that
#: begins with a digit is searched for quickly), to which :func:`_number_runs` adds a point
#: or comma before (what _NUMBER looks behind at). _NUMBER finds in the runs what it finds
#: in the text.
_NUMBER_RUN = re.compile(r"\d[\d.,'’ \u00a0\u202f\u2009]*")


def _number_runs(text: str) -> list[str]:
    """The runs of digits and separators, each with the point or comma before it."""
    runs = []
    for match in _NUMBER_RUN.finditer(text):
        start = match.start()
        runs.append(
            text[start - 1 : match.end()] if start and text[start - 1] in ".," else match[0]
        )
    return runs


_NUMBER = re.compile(
    rf"(?<![\d.,])\d{{1,3}}(?:{_GROUP_SEP}\d{{3}})+(?:[.,]\d+)?(?!\d)"  # 1,000 1.000 1 000
    r"|\d+(?:[.,]\d+)*"  # 1961, 3.5, 3,5
)
_CJK_MULTIPLIED = re.compile(r"(\d+(?:[.,]\d+)?)\s*([千万萬亿億])")
_CJK_NUMERAL = re.compile(r"[〇零一二两兩三四五六七八九十百千万萬亿億]+")
_ROMAN = re.compile(r"\b([IVXLCDM]{1,7})(?:e|er|ème|o|a|º|ª)?\b")
_CJK_DIGITS = {
    c: i
    for i, cs in enumerate(["〇零", "一", "二两兩", "三", "四", "五", "六", "七", "八", "九"])
    for c in cs
}
_CJK_UNITS = {"十": 10, "百": 100, "千": 1000}
_CJK_LARGE = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")


def check_entry(
    entry: Entry,
    language: str,
    *,
    ignore: frozenset[str] = frozenset(),
    detector: Detector | None = None,
    severities: Mapping[str, str] | None = None,
    source_language: str = "en",
) -> list[Finding]:
    """The W2xx findings of a translated entry, and W301 when a ``detector`` is given.

    ``ignore`` holds codes not to report; so do the entry's ``i18n-check: ignore`` comments.
    ``severities`` overrides the registry's default severity of a code.
    """
    if entry.obsolete or not entry.msgid or not entry.translated:
        return []
    language, source_language = _normalised(language), _normalised(source_language)
    skipped = ignore | ignored_codes(entry)
    same_language = language == source_language
    found: list[tuple[str, str]] = []
    found += _markup(entry)
    found += _numbers(entry)
    found += _urls(entry, (language, source_language))
    found += _whitespace(entry)
    same = [] if same_language else _same_as_source(entry)
    found += same
    if detector is not None and not same_language and not same:
        found += _wrong_language(entry, language, detector)
    line = entry.line or None
    return [
        Finding(code, severity_of(code, severities), message, line)
        for code, message in found
        if code not in skipped
    ]


_normalised = lru_cache(maxsize=64)(normalise_code)


def ignored_codes(entry: Entry) -> frozenset[str]:
    """The codes silenced by the entry's ``i18n-check: ignore CODE[, CODE…]`` comments."""
    codes: set[str] = set()
    for comment in (*entry.extracted_comments, *entry.translator_comments):
        match = _IGNORE.search(comment)
        if match:
            codes.update(_CODE.findall(match.group(1).upper()))
    return frozenset(codes)


# -- comparing what a source and its translation contain --------------------------------------


def _forms(entry: Entry) -> Iterator[tuple[str, str]]:
    """(label, text) of each filled form; the label is empty for a singular entry."""
    if entry.msgid_plural is None:
        yield "", entry.msgstr
    else:
        for index, text in sorted(entry.msgstr_plural.items()):
            if text:
                yield f"msgstr[{index}]: ", text


def _bounds(entry: Entry, extract: Callable[[str], Counter[str]]) -> tuple[Counter[str], ...]:
    """What every form must contain, and all it may contain."""
    one = extract(entry.msgid)
    if entry.msgid_plural is None:
        return one, one
    many = extract(entry.msgid_plural)
    return one & many, one | many


def _listing(items: Counter[str]) -> str:
    return ", ".join(sorted(items.elements()))


def _differences(
    entry: Entry, extract: Callable[[str], Counter[str]], what: str
) -> Iterator[tuple[str, str]]:
    required, allowed = _bounds(entry, extract)
    for label, text in _forms(entry):
        have = extract(text)
        missing, extra = required - have, have - allowed
        parts = []
        if missing:
            parts.append(f"missing {_listing(missing)}")
        if extra:
            parts.append(f"not in the source {_listing(extra)}")
        if parts:
            yield label, f"{what} from the source: {'; '.join(parts)}"


@lru_cache(maxsize=_TOKEN_CACHE)
def markup_tokens(text: str, flags: frozenset[str] = frozenset()) -> Counter[str]:
    """Simple tags (attributes left out: URLs are W203's) and printf/brace placeholders,
    except in a string flagged as a format (``c-format``, …), whose directives E110 checks."""
    tokens: Counter[str] = Counter()
    tagged = "<" in text
    if tagged:
        for closing, name in _TAG.findall(text):
            tokens[f"<{closing}{name.lower()}>"] += 1  # <br/> is <br>
    if any(f.endswith("-format") and not f.startswith("no-") for f in flags):
        return tokens  # a declared format string's directives are E110's, as msgfmt checks them
    percent, brace = "%" in text, "{" in text
    if not (percent or brace):
        return tokens
    if tagged:
        text = _TAG.sub(" ", text)
    if _may_have_url(text):
        text = _URL.sub(" ", text)  # %C4%85 in a URL is no placeholder
    if percent and not flags & {"no-c-format", "no-python-format"}:
        tokens.update(_PRINTF.findall(text.replace("%%", "")))
    if brace and "no-python-brace-format" not in flags:
        tokens.update(_BRACE.findall(text.replace("{{", "").replace("}}", "")))
    return tokens


def _markup(entry: Entry) -> list[tuple[str, str]]:
    if not any(_may_have_markup(text) for text in _texts(entry)):
        return []
    flags = frozenset(entry.flags)
    return [
        ("W201", label + message)
        for label, message in _differences(
            entry, lambda t: markup_tokens(t, flags), "markup differs"
        )
    ]


@lru_cache(maxsize=_TOKEN_CACHE)
def url_tokens(text: str, languages: tuple[str, ...] = ()) -> Counter[str]:
    """URLs, link targets and e-mail addresses. A path segment or host label naming one of
    ``languages`` stands for any of them: ``/en/`` may become ``/pl/``, ``en-us`` ``fr-fr``."""
    tokens: Counter[str] = Counter()
    if _may_have_href(text):
        for double, single in _HREF.findall(text):
            tokens[double or single] += 1
        text = _HREF.sub(" ", text)
    if _may_have_url(text):
        for url in _URL.findall(text):
            tokens[url.rstrip(_URL_TAIL)] += 1
    if not languages or not tokens:
        return tokens
    segment = _language_segment(languages)
    return Counter({segment.sub("{lang}", url): n for url, n in tokens.items()})


@lru_cache(maxsize=64)
def _language_segment(languages: tuple[str, ...]) -> re.Pattern[str]:
    """A path segment or host label that names one of ``languages`` (``/en/``, ``fr-fr.``)."""
    codes = "|".join(map(re.escape, languages))
    return re.compile(rf"(?<=[/.])(?:{codes})(?:[-_][A-Za-z]{{2,4}})?(?=[/.?#]|$)", re.I)


def _urls(entry: Entry, languages: tuple[str, ...]) -> list[tuple[str, str]]:
    if not any(_may_have_url(text) or _may_have_href(text) for text in _texts(entry)):
        return []
    return [
        ("W203", label + message)
        for label, message in _differences(entry, lambda t: url_tokens(t, languages), "URLs differ")
    ]


# -- numbers ----------------------------------------------------------------------------------


def _digits(token: str) -> str:
    """A number as its digits in ASCII, group and decimal separators dropped."""
    if token.isascii():
        return token.translate(_ASCII_SEPARATORS).lstrip("0") or "0"
    digits = "".join(str(unicodedata.decimal(ch)) for ch in token if ch.isdecimal())
    return digits.lstrip("0") or "0"


@lru_cache(maxsize=_TOKEN_CACHE)
def number_tokens(text: str) -> Counter[str]:
    """The numbers written in digits, in any script, whatever the locale's separators."""
    if _ANY_DIGIT.search(text) is None:
        return Counter()
    text = _without_links(text)
    multiplied: Counter[str] = Counter()
    if _CJK_MULTIPLIER.search(text) is not None:
        for number, unit in _CJK_MULTIPLIED.findall(text):
            value = float(number.replace(",", ".")) * (_CJK_UNITS | _CJK_LARGE)[unit]
            multiplied[str(round(value))] += 1
        text = _CJK_MULTIPLIED.sub(" ", text)
    # The runs joined by a character that is neither a digit nor a separator: _NUMBER looks
    # no further than a run's ends, so it finds in the joined runs what it finds in each.
    tokens = _NUMBER.findall("\0".join(_number_runs(text)))
    found = Counter(map(_digits, tokens))
    return found + multiplied if multiplied else found


def _cjk_value(run: str) -> int:
    if not any(ch in _CJK_UNITS or ch in _CJK_LARGE for ch in run):
        return int("".join(str(_CJK_DIGITS[ch]) for ch in run))  # 一九六一
    total = section = digit = 0
    for ch in run:
        if ch in _CJK_DIGITS:
            digit = _CJK_DIGITS[ch]
        elif ch in _CJK_UNITS:
            section += (digit or 1) * _CJK_UNITS[ch]
            digit = 0
        else:
            total += (section + digit or 1) * _CJK_LARGE[ch]
            section = digit = 0
    return total + section + digit


def _roman_value(numeral: str) -> int | None:
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    total = sum(
        -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
    )
    return total if total > 0 and _to_roman(total) == numeral else None


def _to_roman(value: int) -> str:
    out = ""
    for number, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while value >= number:
            out += letters
            value -= number
    return out


def spelled_numbers(text: str) -> set[str]:
    """Numbers written without digits: CJK numerals (二十, 四万) and Roman ones (XXe siècle).
    They may stand for a number of the source but are never reported as extra."""
    values = {str(_cjk_value(run)) for run in _CJK_NUMERAL.findall(text)}
    for numeral in _ROMAN.findall(text):
        value = _roman_value(numeral)
        if value is not None:
            values.add(str(value))
    return values


def _numbers(entry: Entry) -> list[tuple[str, str]]:
    """Numbers of the source missing from a form. Numbers a translation adds are reported
    only beside a missing one (an altered number): dates and counts are often written out
    in one language and in digits in another."""
    if _ANY_DIGIT.search(entry.msgid) is None and (
        entry.msgid_plural is None or _ANY_DIGIT.search(entry.msgid_plural) is None
    ):
        return []  # nothing can be missing
    required, allowed = _bounds(entry, number_tokens)
    found = []
    for label, text in _forms(entry):
        have = number_tokens(text)
        missing = required - have
        if missing:
            spelled = spelled_numbers(text)
            missing = Counter({n: c for n, c in missing.items() if n not in spelled})
        if not missing:
            continue
        message = f"numbers differ from the source: missing {_listing(missing)}"
        extra = have - allowed
        if extra:
            message += f"; not in the source {_listing(extra)}"
        found.append(("W202", label + message))
    return found


# -- whitespace, copies, language --------------------------------------------------------------


def _edges(text: str) -> tuple[tuple[bool, int], tuple[bool, int]]:
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return (bool(lead), lead.count("\n")), (bool(trail), trail.count("\n"))


def _whitespace(entry: Entry) -> list[tuple[str, str]]:
    sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
    allowed = [_edges(s) for s in sources]
    found = []
    for label, text in _forms(entry):
        lead, trail = _edges(text)
        for side, index, have in (("leading", 0, lead), ("trailing", 1, trail)):
            if all(edges[index] != have for edges in allowed):
                found.append(("W204", f"{label}{side} whitespace differs from the source"))
    return found


def is_name_like(text: str) -> bool:
    """No letters, at most three words, or only capitalised words (names, acronyms):
    text that may rightly stay as it is in a translation."""
    words = _NAME_WORD.findall(_URL.sub(" ", _TAG.sub(" ", text)))
    return len(words) <= 3 or all(w[0].isupper() for w in words)


def _same_as_source(entry: Entry) -> list[tuple[str, str]]:
    sources = {entry.msgid.strip()}
    if entry.msgid_plural is not None:
        sources.add(entry.msgid_plural.strip())
    return [
        ("W205", f"{label}the translation is the source text")
        for label, text in _forms(entry)
        if text.strip() in sources and not is_name_like(text)
    ]


def _wrong_language(entry: Entry, language: str, detector: Detector) -> list[tuple[str, str]]:
    """W301 for each form, judged with its msgid: a short copy of the msgid ("Save
    changes") is English left in unless it reads as the catalog's language."""
    found = []
    sources = {entry.msgid.strip(), (entry.msgid_plural or "").strip()}
    for label, text in _forms(entry):
        if text.strip() in sources and not is_name_like(text):
            continue  # W205 already reports this copy
        plural = entry.msgid_plural is not None and label != "msgstr[0]: "
        source = entry.msgid_plural if plural else entry.msgid
        wrong = detector.is_wrong(text, language, source=source)
        if wrong is not None:
            found.append(("W301", f"{label}the translation looks like {wrong}, not {language}"))
    return found
