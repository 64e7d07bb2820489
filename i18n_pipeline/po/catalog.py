"""The in-memory gettext catalog: entries and headers, independent of any file.

Parsing lives in :mod:`i18n_pipeline.po.parse`, writing in :mod:`i18n_pipeline.po.render`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The kinds of format string gettext 0.21 knows (``c`` for ``c-format``), in the order its
#: tools write the flags and msgfmt checks them.
FORMAT_KINDS: tuple[str, ...] = (
    "c",
    "objc",
    "python",
    "python-brace",
    "java",
    "java-printf",
    "csharp",
    "javascript",
    "scheme",
    "lisp",
    "elisp",
    "librep",
    "ruby",
    "sh",
    "awk",
    "lua",
    "object-pascal",
    "smalltalk",
    "qt",
    "qt-plural",
    "kde",
    "kde-kuit",
    "boost",
    "tcl",
    "perl",
    "perl-brace",
    "php",
    "gcc-internal",
    "gfc-internal",
    "ycp",
)


@dataclass
class Entry:
    """One message. Strings are unescaped Python text; ``line`` is the 1-based line of its
    first keyword (``msgctxt`` or ``msgid``) in the file it was read from, 0 when built."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    translator_comments: list[str] = field(default_factory=list)  # "# " lines
    extracted_comments: list[str] = field(default_factory=list)  # "#." lines
    references: list[str] = field(default_factory=list)  # "#:" items, e.g. "a.txt:12"
    previous_msgctxt: str | None = None  # "#| msgctxt"
    previous_msgid: str | None = None  # "#| msgid"
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    line: int = 0

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def first_msgstr(self) -> str:
        """``msgstr``, or ``msgstr[0]`` of a plural entry: the one msgfmt's counts look at."""
        if self.msgid_plural is not None:
            return self.msgstr_plural.get(0, "")
        return self.msgstr

    @property
    def translated(self) -> bool:
        """Translated as msgfmt counts it: not fuzzy, not obsolete, first msgstr non-empty.

        Like ``msgfmt --statistics``, a plural entry counts as translated when
        ``msgstr[0]`` is filled, even if a later form is still empty.
        """
        return not (self.obsolete or self.fuzzy) and self.first_msgstr != ""

    @property
    def state(self) -> str:
        """``translated``, ``fuzzy`` or ``untranslated`` (obsolete entries are not counted).

        As in msgfmt, an empty first msgstr is untranslated even when marked fuzzy.
        """
        if self.first_msgstr == "":
            return "untranslated"
        return "fuzzy" if self.fuzzy else "translated"

    def set_fuzzy(self, value: bool) -> None:
        if value and "fuzzy" not in self.flags:
            self.flags.insert(0, "fuzzy")
        elif not value and "fuzzy" in self.flags:
            self.flags.remove("fuzzy")


@dataclass
class Catalog:
    """A whole .po/.pot file: the header entry and the messages, in file order."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    header_comments: list[str] = field(default_factory=list)  # "# " lines above the header
    header_flags: list[str] = field(default_factory=list)  # e.g. ["fuzzy"] on a fresh .pot
    entries: list[Entry] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    def set_header(self, name: str, value: str) -> None:
        lowered = name.lower()
        for i, (key, _) in enumerate(self.headers):
            if key.lower() == lowered:
                self.headers[i] = (key, value)
                return
        self.headers.append((name, value))

    def active(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]

    def obsolete(self) -> list[Entry]:
        return [e for e in self.entries if e.obsolete]

    def by_key(self) -> dict[tuple[str | None, str], Entry]:
        return {e.key: e for e in self.entries if not e.obsolete}
