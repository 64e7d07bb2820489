"""Translations carried across a change of segmentation: paragraphs cut into sentences
(``segmentation: sentence``), sentences joined back into paragraphs, a paragraph split in
two or a sentence dropped by an editor.

The merge compares whole texts, so a sentence scores poorly against the paragraph it was
cut from (a third of a paragraph scores about 50) and is left untranslated, or, when it is
long enough to pass, gets the whole paragraph's translation. After the merge,
:func:`offer_sentence_translations` looks at each unit whose text is new: when every
sentence of it is a sentence of an old entry with a translation, it gets those sentences'
translations, as ``fuzzy``, with the old text as the previous msgid. It does so for a unit
the merge left untranslated, and for one the merge filled only when each of its sentences
has a translation of its own. Units whose text the old catalog has are left to the merge.

An old translation is cut into sentences too. When it has as many sentences as its source,
sentence *i* is taken as the translation of source sentence *i*; otherwise every sentence
is offered the whole translation, for the translator to cut. Since
``" ".join(split_sentences(text)) == text``, joining the sentences of a paragraph gives its
translation back whole: switching segmentation and back loses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from i18n_pipeline.merge import MergeChange
from i18n_pipeline.po.catalog import Catalog, Entry
from i18n_pipeline.sentences import split_sentences

#: Languages written without spaces between sentences.
UNSPACED_LANGUAGES = frozenset({"ja", "zh", "th", "lo", "km", "my", "bo"})


def join_sentences(sentences: Iterable[str], language: str) -> str:
    """Sentences of ``language`` run together into one paragraph."""
    primary = language.replace("_", "-").split("-")[0].lower()
    return ("" if primary in UNSPACED_LANGUAGES else " ").join(sentences)


@dataclass(frozen=True)
class _Piece:
    """The translation of one source sentence, from one old entry."""

    entry: Entry
    text: str
    aligned: bool  # text is the sentence's own translation, not the whole entry's

    @property
    def rank(self) -> tuple[bool, bool, bool]:
        return (not self.aligned, self.entry.fuzzy, self.entry.obsolete)


def offer_sentence_translations(
    old: Catalog | None,
    merged: Catalog,
    changes: list[MergeChange],
    *,
    source_language: str,
    language: str,
) -> list[MergeChange]:
    """Carry sentence translations into ``merged`` (in place); returns ``changes`` with the
    changes of the units it filled updated.

    A new unit whose sentences are all sentences of old entries with a translation gets
    their translations, as fuzzy: when the merge left it untranslated, and also when the
    merge gave it a similar entry's whole translation but each sentence has its own.
    """
    if old is None or not changes:
        return changes
    entries = {e.msgid: e for e in merged.entries if not e.obsolete and e.msgid_plural is None}
    pieces: dict[str, _Piece] | None = None
    updated: list[MergeChange] = []
    for change in changes:
        entry = entries.get(change.msgid)
        if entry is not None and change.cause in ("created", "source-edit"):
            if pieces is None:
                pieces = _sentence_index(old, source_language, language)
            found = _pieces(entry.msgid, pieces, source_language)
            if found and (change.cause == "created" or all(p.aligned for p in found)):
                change = _offer(entry, found, language)
        updated.append(change)
    return updated


def _pieces(text: str, pieces: dict[str, _Piece], source_language: str) -> list[_Piece]:
    """The translation of each sentence of ``text``, or nothing when one has none."""
    found = [pieces.get(sentence) for sentence in _source_sentences(text, source_language)]
    return [piece for piece in found if piece is not None] if all(found) else []


def _offer(entry: Entry, found: list[_Piece], language: str) -> MergeChange:
    """Fill ``entry`` with the translations of its sentences, as fuzzy."""
    texts: list[str] = []
    sources: list[Entry] = []
    for piece in found:
        if not sources or sources[-1] is not piece.entry:
            sources.append(piece.entry)
        if texts and piece.text == texts[-1] and (not piece.aligned or piece.entry.fuzzy):
            continue  # the same whole translation, or the same suggestion, once is enough
        texts.append(piece.text)
    entry.msgstr = join_sentences(texts, language)
    entry.set_fuzzy(True)
    entry.previous_msgctxt = entry.previous_msgid_plural = None
    previous = " ".join(source.msgid for source in sources)
    entry.previous_msgid = previous if previous != entry.msgid else None
    old_state = "obsolete" if all(s.obsolete for s in sources) else sources[0].state
    return MergeChange(entry.msgid, "source-edit", previous, old_state, "fuzzy", entry.msgstr)


def _sentence_index(old: Catalog, source_language: str, language: str) -> dict[str, _Piece]:
    """Each sentence of an old entry with a translation → its translation. A sentence's own
    translation wins over a whole entry's, then a translated entry over a fuzzy one, then an
    active entry over an obsolete one."""
    index: dict[str, _Piece] = {}
    for entry in old.entries:
        if entry.msgid_plural is not None or not entry.msgstr:
            continue
        sources = _source_sentences(entry.msgid, source_language)
        targets = split_sentences(entry.msgstr, language) if len(sources) > 1 else [entry.msgstr]
        aligned = len(targets) == len(sources)
        for number, sentence in enumerate(sources):
            piece = _Piece(entry, targets[number] if aligned else entry.msgstr, aligned)
            known = index.get(sentence)
            if known is None or piece.rank < known.rank:
                index[sentence] = piece
    return index


@lru_cache(maxsize=8192)
def _source_sentences(text: str, language: str) -> tuple[str, ...]:
    """The sentences of a source text (the same cut for every language's catalog)."""
    return tuple(split_sentences(text, language))
