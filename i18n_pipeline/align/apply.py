"""Aligned pairs into a catalog, in memory: what is written, what conflicts, what is left.

* A one-to-one pair gives the unit its translation: translated when the aligner is at
  least ``accept`` sure, else fuzzy.
* A pair of two units and one paragraph (or one unit and two paragraphs) gives the first
  unit the joined translation as a fuzzy suggestion; its comment names the units it covers.
  The other unit stays untranslated.
* An entry that already has a translation keeps it: a different aligned text is a
  conflict, reported and not written.

Each written entry gets a translator comment naming the file and the confidence:
``Aligned from published/de/wv/863/amnesty2.md (97% sure)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from i18n_pipeline.align.anchors import UNSPACED
from i18n_pipeline.align.structure import Pair
from i18n_pipeline.model import Unit
from i18n_pipeline.po.catalog import Catalog

#: Translator comments written by ``align`` start with this.
COMMENT_PREFIX = "Aligned from "


@dataclass(frozen=True)
class Written:
    """An entry given an aligned translation."""

    msgid: str
    msgstr: str
    state: str  # translated or fuzzy
    confidence: float
    covers: int  # units covered: 1, or 2 for a joined suggestion


@dataclass(frozen=True)
class Conflict:
    """An entry whose translation differs from the aligned text: it was left alone."""

    msgid: str
    line: int
    existing: str
    aligned: str
    confidence: float


@dataclass(frozen=True)
class Applied:
    written: tuple[Written, ...]
    conflicts: tuple[Conflict, ...]
    #: Entries that already held the aligned text.
    unchanged: tuple[str, ...]
    #: Pairs below the minimum confidence: not written.
    unsure: int
    #: Units the published translation covers (pairs at least ``minimum`` sure).
    covered: frozenset[int]


def apply_pairs(
    catalog: Catalog,
    units: Sequence[Unit],
    pairs: Sequence[Pair],
    *,
    origin: str,
    language: str,
    accept: float,
    minimum: float,
) -> Applied:
    """Write ``pairs`` into ``catalog`` (in place). ``accept`` and ``minimum`` are
    probabilities; ``origin`` names the published file or URL in comments."""
    entries = catalog.by_key()
    joiner = "" if language in UNSPACED else " "
    written: list[Written] = []
    conflicts: list[Conflict] = []
    unchanged: list[str] = []
    covered: set[int] = set()
    done: set[str] = set()
    unsure = 0
    for pair in pairs:
        if not pair.source or not pair.target:
            continue
        if pair.confidence < minimum:
            unsure += 1
            continue
        covered.update(pair.source)
        first = units[pair.source[0]]
        if first.text in done:
            continue  # the same text twice in the article is one entry: the first pair wins
        done.add(first.text)
        entry = entries.get((None, first.text))
        if entry is None or entry.msgid_plural is not None:
            continue
        text = joiner.join(pair.target)
        single = len(pair.source) == 1 and len(pair.target) == 1
        if entry.msgstr:
            if entry.msgstr == text:
                unchanged.append(entry.msgid)
            else:
                conflicts.append(
                    Conflict(entry.msgid, entry.line, entry.msgstr, text, pair.confidence)
                )
            continue
        state = "translated" if single and pair.confidence >= accept else "fuzzy"
        comment = f"{COMMENT_PREFIX}{origin} ({_percent(pair.confidence)}% sure)"
        if len(pair.source) > 1:
            others = ", ".join(f"line {units[i].line}" for i in pair.source)
            comment += f": the translation of {len(pair.source)} units joined ({others})"
        elif len(pair.target) > 1:
            comment += f": {len(pair.target)} paragraphs of the translation joined"
        entry.msgstr = text
        entry.set_fuzzy(state == "fuzzy")
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        entry.translator_comments = [
            c for c in entry.translator_comments if not c.startswith(COMMENT_PREFIX)
        ] + [comment]
        written.append(Written(entry.msgid, text, state, pair.confidence, len(pair.source)))
    return Applied(tuple(written), tuple(conflicts), tuple(unchanged), unsure, frozenset(covered))


def _percent(confidence: float) -> int:
    """A confidence as the whole percent shown to users (never 100 unless certain)."""
    return min(99, math.floor(confidence * 100)) if confidence < 1.0 else 100
