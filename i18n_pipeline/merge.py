"""Merging a language's catalog with a new template, so that no translation is ever lost.

The rule is GNU msgmerge's: an unchanged unit keeps its translation and state; a unit whose
text changed takes the translation of the most similar old entry as ``fuzzy``, with the old
text as the previous msgid (``#| msgid``) so editors can show the difference; an old entry
that no new unit uses becomes obsolete (``#~``), and comes back with its translation when
its text does. Comments and references always come from the template, so a moved
paragraph's context follows it.

Similarity is rapidfuzz's normalised Indel ratio (0–100), the measure closest to msgmerge's
own ``fstrcmp``. The default threshold, 60, is msgmerge's ``FUZZY_THRESHOLD`` of 0.6: below it
an old translation is more work to adapt than to redo, and the merge agrees with msgmerge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from i18n_pipeline.model import Language
from i18n_pipeline.po.catalog import Catalog, Entry
from i18n_pipeline.template import catalog_headers

DEFAULT_FUZZY_THRESHOLD = 60.0


@dataclass(frozen=True)
class MergeChange:
    """A unit whose state changed because the source changed."""

    msgid: str
    cause: str  # "source-edit", "revived", "obsoleted", "created"
    old_msgid: str | None
    old_state: str | None
    new_state: str
    msgstr: str


def has_translation(entry: Entry) -> bool:
    if entry.msgid_plural is not None:
        return any(entry.msgstr_plural.values())
    return entry.msgstr != ""


def best_match(
    text: str, candidates: list[str], threshold: float
) -> tuple[str, float] | None:
    """The candidate most similar to ``text`` at or above ``threshold`` (ties: first)."""
    if not candidates:
        return None
    found = process.extractOne(text, candidates, scorer=fuzz.ratio, score_cutoff=threshold)
    if found is None:
        return None
    return found[0], float(found[1])


def match_edits(
    old_texts: Iterable[str], new_texts: Iterable[str], threshold: float
) -> dict[str, str]:
    """For each new text that is not among the old ones, the old text it most likely is an
    edit of, among old texts that disappeared. Used to keep a unit's identity."""
    new_list = list(dict.fromkeys(new_texts))
    new_set = set(new_list)
    old_set = set(old_texts)
    gone = [t for t in dict.fromkeys(old_texts) if t not in new_set]
    out: dict[str, str] = {}
    for text in new_list:
        if text in old_set:
            continue
        found = best_match(text, [g for g in gone if g not in out.values()], threshold)
        if found:
            out[text] = found[0]
    return out


def _carry(template_entry: Entry, old: Entry) -> Entry:
    """The template's entry with the old entry's translation, flags and translator notes."""
    return replace(
        template_entry,
        msgstr=old.msgstr,
        msgstr_plural=dict(old.msgstr_plural),
        flags=list(old.flags),
        translator_comments=list(old.translator_comments),
        previous_msgctxt=old.previous_msgctxt if old.fuzzy else None,
        previous_msgid=old.previous_msgid if old.fuzzy else None,
        previous_msgid_plural=old.previous_msgid_plural if old.fuzzy else None,
        obsolete=False,
        line=0,
    )


def _fresh(template_entry: Entry, language: Language) -> Entry:
    entry = replace(template_entry, flags=[f for f in template_entry.flags if f != "fuzzy"], line=0)
    if entry.msgid_plural is not None:
        entry.msgstr_plural = {i: "" for i in range(_nplurals(language))}
    return entry


def _nplurals(language: Language) -> int:
    head = language.plural_forms.split(";")[0]
    try:
        return int(head.split("=")[1])
    except (IndexError, ValueError):
        return 2


def merge_catalog(
    old: Catalog | None,
    template: Catalog,
    language: Language,
    *,
    threshold: float = DEFAULT_FUZZY_THRESHOLD,
) -> tuple[Catalog, list[MergeChange]]:
    """The catalog for ``language`` after ``template`` replaced the old source."""
    changes: list[MergeChange] = []
    old_entries = old.entries if old is not None else []
    active = {e.key: e for e in old_entries if not e.obsolete}
    obsolete = {e.key: e for e in old_entries if e.obsolete and e.key not in active}
    translated_pool = [e for e in old_entries if has_translation(e)]
    pool_texts = [e.msgid for e in translated_pool]
    used: set[tuple[str | None, str]] = set()

    entries: list[Entry] = []
    for tentry in template.entries:
        key = tentry.key
        if key in active:
            entries.append(_carry(tentry, active[key]))
            used.add(key)
            continue
        if key in obsolete:
            revived = _carry(tentry, obsolete[key])
            entries.append(revived)
            used.add(key)
            changes.append(
                MergeChange(tentry.msgid, "revived", None, "obsolete", revived.state, revived.msgstr)
            )
            continue
        found = best_match(tentry.msgid, pool_texts, threshold) if old is not None else None
        if found is not None:
            source = translated_pool[pool_texts.index(found[0])]
            entry = _carry(tentry, source)
            entry.set_fuzzy(True)
            entry.previous_msgctxt = source.msgctxt
            entry.previous_msgid = source.msgid
            entry.previous_msgid_plural = source.msgid_plural
            entries.append(entry)
            used.add(source.key)
            old_state = "obsolete" if source.obsolete else source.state
            changes.append(
                MergeChange(tentry.msgid, "source-edit", source.msgid, old_state, "fuzzy", entry.msgstr)
            )
            continue
        entries.append(_fresh(tentry, language))
        if old is not None:
            changes.append(MergeChange(tentry.msgid, "created", None, None, "untranslated", ""))

    gone: list[Entry] = []
    for entry in old_entries:
        if entry.key in used:
            continue
        if entry.obsolete:
            gone.append(entry)
        elif has_translation(entry):
            gone.append(replace(entry, obsolete=True, line=0))
            changes.append(
                MergeChange(entry.msgid, "obsoleted", None, entry.state, "obsolete", entry.msgstr)
            )
    merged = Catalog(
        headers=catalog_headers(template, language, old),
        header_comments=_header_comments(template, old),
        header_flags=[f for f in (old.header_flags if old else []) if f != "fuzzy"],
        entries=entries + gone,
    )
    return merged, changes


def _header_comments(template: Catalog, old: Catalog | None) -> list[str]:
    if old is not None and old.header_comments:
        return list(old.header_comments)
    return list(template.header_comments)
