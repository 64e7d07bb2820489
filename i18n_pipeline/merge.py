"""Merging a language's catalog with a new template, so that no translation is ever lost.

The rules are GNU msgmerge's (``msgmerge --previous``, gettext 0.21), checked against it in
``tests/test_merge_msgmerge.py``:

- an entry whose text is in the template keeps its translation, its state and, when fuzzy,
  its previous msgid; an obsolete (``#~``) entry whose text comes back is revived as it was;
- a template entry with no such old entry takes the translation of the most similar old
  entry that has one (active, fuzzy or obsolete, even one that another entry also used), as
  ``fuzzy``, with the old text as the previous msgid (``#| msgid``) so that editors can
  show the difference;
- an old entry that no template entry used becomes obsolete if it has a translation, and is
  dropped if it has none (it holds nothing a translator wrote; the index keeps the unit);
- comments (``#.``) and references (``#:``) come from the template, so a moved paragraph's
  context follows it; translator comments (``#``) and the fuzzy flag come from the old entry,
  other flags from the template.

Similarity is rapidfuzz's normalised Indel similarity (``fuzz.ratio``, 0-100), the same
measure as msgmerge's ``fstrcmp``: twice the length of the longest common subsequence over
the sum of the lengths. It is computed on characters where msgmerge counts UTF-8 bytes, so
"—" is one edit, not three. The default threshold, 60, is msgmerge's ``FUZZY_THRESHOLD``
(0.6, inclusive): it keeps the two in agreement, still catches a paragraph split in two
(each half scores about 67 against the whole), and below it an old translation is more work
to adapt than to redo.

Deliberate differences from msgmerge, each better for a translator:

- every old translation is a candidate; msgmerge's fuzzy index only offers old entries that
  share a run of four bytes with the new text, so it misses short texts ("1917"/"1918");
- when the old entry was itself fuzzy without a previous msgid (a translator marked it),
  msgmerge writes no ``#|`` line; here its msgid is the previous one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from i18n_pipeline.model import Language
from i18n_pipeline.po.catalog import Catalog, Entry
from i18n_pipeline.po.plurals import PluralSyntaxError, parse_plural_forms
from i18n_pipeline.template import catalog_headers, owned_header

DEFAULT_FUZZY_THRESHOLD = 60.0

Key = tuple[str | None, str]


@dataclass(frozen=True)
class MergeChange:
    """A unit whose state changed because the source changed."""

    msgid: str
    cause: str  # "source-edit", "revived", "obsoleted", "created"
    old_msgid: str | None
    old_state: str | None  # translated, fuzzy, untranslated, obsolete; None when new
    new_state: str
    msgstr: str


def has_translation(entry: Entry) -> bool:
    """Whether the entry holds a translation: its first msgstr is filled, as msgmerge asks
    of a fuzzy-match candidate and of an entry worth keeping obsolete."""
    return entry.first_msgstr != ""


def similarity(a: str, b: str) -> float:
    """0-100: how alike two texts are, as msgmerge's ``fstrcmp`` measures it."""
    return float(fuzz.ratio(a, b))


def best_match(text: str, candidates: list[str], threshold: float) -> tuple[str, float] | None:
    """The candidate most similar to ``text`` at or above ``threshold`` (ties: first)."""
    if not candidates:
        return None
    # rapidfuzz turns a cutoff into a distance with float rounding, which can miss a score
    # exactly at the cutoff; search a hair below it and decide in integers.
    found = process.extractOne(
        text, candidates, scorer=fuzz.ratio, score_cutoff=max(threshold - 1e-6, 0.0)
    )
    if found is None or not _at_least(text, found[0], threshold):
        return None
    return found[0], float(found[1])


def _at_least(a: str, b: str, threshold: float) -> bool:
    total = len(a) + len(b)
    return (total - Indel.distance(a, b)) * 100 >= threshold * total


def match_edits(
    old_texts: Iterable[str], new_texts: Iterable[str], threshold: float
) -> dict[str, str]:
    """For each new text that is not among the old ones, the old text it most likely is an
    edit of, among old texts that disappeared, each used at most once. Used to keep a
    unit's identity across edits."""
    old_list = list(dict.fromkeys(old_texts))
    new_list = list(dict.fromkeys(new_texts))
    new_set = set(new_list)
    old_set = set(old_list)
    gone = [t for t in old_list if t not in new_set]
    out: dict[str, str] = {}
    for text in new_list:
        if text in old_set or not gone:
            continue
        found = best_match(text, gone, threshold)
        if found:
            out[text] = found[0]
            gone.remove(found[0])
    return out


def merge_catalog(
    old: Catalog | None,
    template: Catalog,
    language: Language,
    *,
    threshold: float = DEFAULT_FUZZY_THRESHOLD,
) -> tuple[Catalog, list[MergeChange]]:
    """The catalog for ``language`` after ``template`` replaced the old source, and the
    units whose state the merge changed."""
    nplurals = _nplurals(owned_header(old, "Plural-Forms") or language.plural_forms)
    old_entries = old.entries if old is not None else []
    by_key: dict[Key, Entry] = {}
    for entry in old_entries:  # the parser refuses duplicates; an active one would win
        by_key.setdefault(entry.key, entry)
    pool = [e for e in old_entries if has_translation(e)]
    pool_texts = [e.msgid for e in pool]
    used: set[int] = set()
    changes: list[MergeChange] = []

    entries: list[Entry] = []
    for tentry in template.entries:
        old_entry = by_key.get(tentry.key)
        if old_entry is not None:
            entry = _carry(tentry, old_entry, nplurals, fuzzy=old_entry.fuzzy)
            entry.previous_msgctxt = old_entry.previous_msgctxt
            entry.previous_msgid = old_entry.previous_msgid
            entry.previous_msgid_plural = old_entry.previous_msgid_plural
            entries.append(_settle(entry))
            used.add(id(old_entry))
            if old_entry.obsolete:
                changes.append(
                    MergeChange(
                        tentry.msgid, "revived", None, "obsolete", entry.state, entry.msgstr
                    )
                )
            continue
        found = best_match(tentry.msgid, pool_texts, threshold) if pool else None
        if found is None:
            entries.append(_fresh(tentry, nplurals))
            if old is not None:
                changes.append(MergeChange(tentry.msgid, "created", None, None, "untranslated", ""))
            continue
        source = pool[pool_texts.index(found[0])]
        entry = _carry(tentry, source, nplurals, fuzzy=True)
        if source.fuzzy and source.previous_msgid is not None:
            entry.previous_msgctxt = source.previous_msgctxt
            entry.previous_msgid = source.previous_msgid
            entry.previous_msgid_plural = source.previous_msgid_plural
        else:
            entry.previous_msgctxt = source.msgctxt
            entry.previous_msgid = source.msgid
            entry.previous_msgid_plural = source.msgid_plural
        entries.append(_settle(entry))
        used.add(id(source))
        old_state = "obsolete" if source.obsolete else source.state
        changes.append(
            MergeChange(tentry.msgid, "source-edit", source.msgid, old_state, "fuzzy", entry.msgstr)
        )

    obsolete: list[Entry] = []
    for entry in old_entries:
        if id(entry) in used or not has_translation(entry):
            continue
        if entry.obsolete:
            obsolete.append(entry)
            continue
        obsolete.append(
            replace(
                entry,
                flags=list(entry.flags),
                translator_comments=list(entry.translator_comments),
                extracted_comments=[],
                references=[],
                obsolete=True,
                line=0,
            )
        )
        changes.append(
            MergeChange(entry.msgid, "obsoleted", None, entry.state, "obsolete", entry.msgstr)
        )
    merged = Catalog(
        headers=catalog_headers(template, language, old),
        header_comments=_header_comments(template, old),
        header_flags=[f for f in (old.header_flags if old else []) if f != "fuzzy"],
        entries=entries + obsolete,
    )
    return merged, changes


def _carry(template_entry: Entry, old: Entry, nplurals: int, *, fuzzy: bool) -> Entry:
    """The template's entry with the old entry's translation and translator comments."""
    entry = replace(
        template_entry,
        flags=[f for f in template_entry.flags if f != "fuzzy"],
        translator_comments=list(old.translator_comments),
        extracted_comments=list(template_entry.extracted_comments),
        references=list(template_entry.references),
        previous_msgctxt=None,
        previous_msgid=None,
        previous_msgid_plural=None,
        obsolete=False,
        line=0,
    )
    if template_entry.msgid_plural is None:
        entry.msgstr, entry.msgstr_plural = old.first_msgstr, {}
        fuzzy = fuzzy or old.msgid_plural is not None
    else:
        forms = old.msgstr_plural if old.msgid_plural is not None else {0: old.msgstr}
        entry.msgstr = ""
        entry.msgstr_plural = {i: forms.get(i, "") for i in range(nplurals)}
        fuzzy = fuzzy or old.msgid_plural != template_entry.msgid_plural
    entry.set_fuzzy(fuzzy)
    return entry


def _settle(entry: Entry) -> Entry:
    """An untranslated entry is neither fuzzy nor has a previous msgid (as msgmerge writes
    it, and as the catalog reads back after writing)."""
    if entry.first_msgstr == "":
        entry.set_fuzzy(False)
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
    elif not entry.fuzzy:
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
    return entry


def _fresh(template_entry: Entry, nplurals: int) -> Entry:
    entry = replace(
        template_entry,
        flags=[f for f in template_entry.flags if f != "fuzzy"],
        extracted_comments=list(template_entry.extracted_comments),
        references=list(template_entry.references),
        line=0,
    )
    if entry.msgid_plural is not None:
        entry.msgstr_plural = {i: "" for i in range(nplurals)}
    return entry


def _nplurals(rule: str) -> int:
    """The number of forms of a catalog's plural rule (2 where it cannot be read: the
    catalog's own entries then keep what they have, and ``check`` reports the header)."""
    try:
        return parse_plural_forms(rule)[0]
    except PluralSyntaxError:
        return 2


def _header_comments(template: Catalog, old: Catalog | None) -> list[str]:
    if old is not None and old.header_comments:
        return list(old.header_comments)
    return list(template.header_comments)
