"""Language codes, the site's labels, and the plural rules the project owns.

Plural rules come from :data:`PLURAL_FORMS`, a table with the values GNU gettext's
``msginit`` writes, so that a catalog's ``Plural-Forms`` is what translators' tools
(Poedit, Lokalize, msgfmt, Weblate) expect and never changes with the installed Babel.
Babel's CLDR data, which changes between releases, only fills in languages outside it.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

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

_ONE = "nplurals=1; plural=0;"
_NOT_ONE = "nplurals=2; plural=(n != 1);"
_ABOVE_ONE = "nplurals=2; plural=(n > 1);"
_EAST_SLAVIC = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
_CZECH = "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"

#: ``Plural-Forms`` by language, as GNU gettext's ``msginit`` writes them (its table of
#: known plural forms, from the manual's node "Plural forms"), with four additions:
#:
#: - ``id`` and ``zh``: one form, as the manual describes the languages without plurals
#:   and as their translation teams write it (Django's Indonesian and Chinese catalogs);
#: - ``th``: one form, named in the same node of the manual;
#: - ``tl``: two forms with the singular for zero and one, the rule Tagalog translators
#:   use: translate-toolkit's and the Localization Guide's Filipino (``fil``) entry, and
#:   MediaWiki's Tagalog ("use singular form for zero"). CLDR's rule for ``fil`` depends
#:   on the last digit; no gettext tool writes it.
PLURAL_FORMS: dict[str, str] = {
    "ja": _ONE,
    "vi": _ONE,
    "ko": _ONE,
    "th": _ONE,
    "id": _ONE,
    "zh": _ONE,
    "en": _NOT_ONE,
    "de": _NOT_ONE,
    "nl": _NOT_ONE,
    "sv": _NOT_ONE,
    "da": _NOT_ONE,
    "no": _NOT_ONE,
    "nb": _NOT_ONE,
    "nn": _NOT_ONE,
    "fo": _NOT_ONE,
    "es": _NOT_ONE,
    "pt": _NOT_ONE,
    "it": _NOT_ONE,
    "bg": _NOT_ONE,
    "el": _NOT_ONE,
    "fi": _NOT_ONE,
    "et": _NOT_ONE,
    "he": _NOT_ONE,
    "eo": _NOT_ONE,
    "hu": _NOT_ONE,
    "tr": _NOT_ONE,
    "ca": _NOT_ONE,
    "pt_BR": _ABOVE_ONE,
    "fr": _ABOVE_ONE,
    "tl": _ABOVE_ONE,
    "lv": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n != 0 ? 1 : 2);",
    "ga": "nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;",
    "ro": "nplurals=3; plural=n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2;",
    "lt": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "ru": _EAST_SLAVIC,
    "uk": _EAST_SLAVIC,
    "be": _EAST_SLAVIC,
    "sr": _EAST_SLAVIC,
    "hr": _EAST_SLAVIC,
    "cs": _CZECH,
    "sk": _CZECH,
    "pl": (
        "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "sl": "nplurals=4; plural=(n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3);",
}

#: English names of the table's languages, so that reports do not change with Babel either.
ENGLISH_NAMES: dict[str, str] = {
    "ja": "Japanese", "vi": "Vietnamese", "ko": "Korean", "th": "Thai", "id": "Indonesian",
    "zh": "Chinese", "en": "English", "de": "German", "nl": "Dutch", "sv": "Swedish",
    "da": "Danish", "no": "Norwegian", "nb": "Norwegian Bokmål", "nn": "Norwegian Nynorsk",
    "fo": "Faroese", "es": "Spanish", "pt": "Portuguese", "it": "Italian", "bg": "Bulgarian",
    "el": "Greek", "fi": "Finnish", "et": "Estonian", "he": "Hebrew", "eo": "Esperanto",
    "hu": "Hungarian", "tr": "Turkish", "ca": "Catalan", "pt_BR": "Brazilian Portuguese",
    "fr": "French", "tl": "Tagalog", "lv": "Latvian", "ga": "Irish", "ro": "Romanian",
    "lt": "Lithuanian", "ru": "Russian", "uk": "Ukrainian", "be": "Belarusian",
    "sr": "Serbian", "hr": "Croatian", "cs": "Czech", "sk": "Slovak", "pl": "Polish",
    "sl": "Slovenian",
}  # fmt: skip

#: Codes Babel knows under another name. Babel has Tagalog only as Filipino.
_BABEL_ALIASES = {"tl": "fil"}


def _babel_code(code: str) -> str:
    return _BABEL_ALIASES.get(code, code).replace("-", "_")


def is_known(code: str) -> bool:
    """True when the language is in the plural table or Babel knows it."""
    if table_plural_forms(code) is not None:
        return True
    try:
        Locale.parse(_babel_code(code))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def table_plural_forms(code: str) -> str | None:
    """The table's rule for ``code`` (``pt_BR`` first, then ``pt``), or None."""
    code = code.replace("-", "_")
    return PLURAL_FORMS.get(code) or PLURAL_FORMS.get(code.split("_")[0].lower())


@cache
def plural_forms(code: str) -> str:
    """The ``Plural-Forms`` value for ``code``: the table's, else Babel's CLDR rule."""
    found = table_plural_forms(code)
    if found is not None:
        return found
    from babel.messages.plurals import get_plural

    return str(get_plural(_babel_code(code)).plural_forms)


@cache
def english_name(code: str) -> str:
    """The language's English name: the table's, else Babel's, else the code."""
    if code.replace("-", "_") in ENGLISH_NAMES:
        return ENGLISH_NAMES[code.replace("-", "_")]
    try:
        name = Locale.parse(code.replace("-", "_")).english_name
    except (UnknownLocaleError, ValueError):
        return code
    return name or code


def make_language(code: str, label: str | None = None, rule: str | None = None) -> Language:
    """The language ``code``; ``rule`` (from ``languages[].plural_forms``) overrides the
    table's plural rule."""
    return Language(
        code=code,
        label=label or english_name(code),
        name=english_name(code),
        plural_forms=rule or plural_forms(code),
    )
