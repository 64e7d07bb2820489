"""The registry of check codes and the :class:`Finding` a rule reports.

Codes are the single source of truth for every check, whichever module runs it:

* ``E1xx`` catalog syntax, headers, format strings, staleness and thresholds
  (:mod:`~i18n_pipeline.checks.engine`, :mod:`~i18n_pipeline.checks.formats`);
* ``W2xx`` a translation against its source (:mod:`i18n_pipeline.checks.quality`);
* ``W3xx`` the language a translation is written in (:mod:`i18n_pipeline.checks.language`).

A check reports a :class:`Finding` with the code's default severity unless the caller maps
the code to another one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One problem found in a catalog. ``line`` is the entry's line in its file, if known."""

    code: str
    severity: str
    message: str
    line: int | None = None


@dataclass(frozen=True)
class CheckCode:
    code: str
    name: str
    severity: str
    summary: str


def _registry(*codes: CheckCode) -> Mapping[str, CheckCode]:
    return MappingProxyType({c.code: c for c in codes})


#: Every check code, by code.
CODES: Mapping[str, CheckCode] = _registry(
    CheckCode("E101", "syntax", "error", "the file is not valid PO syntax"),
    CheckCode("E102", "header-language", "error", "the Language header is missing or wrong"),
    CheckCode("E103", "plural-forms", "error", "the Plural-Forms header is missing or wrong"),
    CheckCode("E104", "charset", "error", "the charset is not UTF-8"),
    CheckCode("E105", "plural-count", "error", "an entry has the wrong number of plural forms"),
    CheckCode("E106", "duplicate", "error", "two entries have the same context and msgid"),
    CheckCode("E107", "escape", "error", "a string has an invalid escape sequence"),
    CheckCode("E108", "stale", "error", "the catalog is out of date with its template"),
    CheckCode("E109", "threshold", "error", "completeness is below the configured threshold"),
    CheckCode("E110", "format", "error", "format directives differ from the source's"),
    CheckCode("E111", "format-syntax", "error", "the translation is not a valid format string"),
    CheckCode("E112", "newline", "error", "the msgid and msgstr do not both begin or end with \\n"),
    CheckCode("W201", "markup", "error", "tags or placeholders differ from the source"),
    CheckCode("W202", "numbers", "warning", "numbers of the source are missing or altered"),
    CheckCode("W203", "urls", "warning", "URLs or e-mail addresses differ from the source"),
    CheckCode("W204", "whitespace", "warning", "leading or trailing whitespace differs"),
    CheckCode("W205", "same-as-source", "warning", "the translation is the source text"),
    CheckCode("W301", "wrong-language", "warning", "the translation is in another language"),
)


def severity_of(code: str, overrides: Mapping[str, str] | None = None) -> str:
    """The severity of ``code``: the caller's override, else the registry's default."""
    if overrides and code in overrides:
        severity = overrides[code]
        if severity not in SEVERITIES:
            raise ValueError(f"{code}: severity must be one of {', '.join(SEVERITIES)}")
        return severity
    return CODES[code].severity
