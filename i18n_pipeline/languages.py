"""Language codes, the site's labels, and plural rules taken from Babel."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural

from i18n_pipeline.model import Language

#: The publisher's eleven target languages, in the order of the site's language bar.
DEFAULT_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("id", "Bahasa Indonesia"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("ja", "Japanese"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ru", "Russian"),
    ("zh", "Chinese"),
    ("tl", "Tagalog"),
)

#: Codes Babel knows under another name. Babel has Tagalog only as Filipino.
_BABEL_ALIASES = {"tl": "fil"}
_NAME_OVERRIDES = {"tl": "Tagalog"}


def is_known(code: str) -> bool:
    """True when Babel knows the language (``tl`` through its Filipino alias)."""
    try:
        Locale.parse(_BABEL_ALIASES.get(code, code).replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


@cache
def plural_forms(code: str) -> str:
    """The Plural-Forms header value for ``code``, from Babel's CLDR data."""
    return str(get_plural(_BABEL_ALIASES.get(code, code).replace("-", "_")).plural_forms)


@cache
def nplurals(code: str) -> int:
    return int(get_plural(_BABEL_ALIASES.get(code, code).replace("-", "_")).num_plurals)


@cache
def english_name(code: str) -> str:
    if code in _NAME_OVERRIDES:
        return _NAME_OVERRIDES[code]
    try:
        name = Locale.parse(code.replace("-", "_")).english_name
    except (UnknownLocaleError, ValueError):
        return code
    return name or code


def make_language(code: str, label: str | None = None) -> Language:
    return Language(
        code=code,
        label=label or english_name(code),
        name=english_name(code),
        plural_forms=plural_forms(code),
    )
