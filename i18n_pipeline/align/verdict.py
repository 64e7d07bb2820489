"""Whether a file is a translation of the article at all.

A translation shares the article's numbers, dates, literals and (in most languages) names,
and its length stands in a plausible ratio to the article's. A file that shares almost
none of them, or whose length is absurd while hardly anything aligns, is another text:
aligning it would fill the catalog with pairs that are chance.
"""

from __future__ import annotations

from collections.abc import Sequence

from i18n_pipeline.align.anchors import anchors
from i18n_pipeline.align.structure import Alignment

#: Characters of a translation per character of English, roughly, by language: a
#: translation whose ratio is further than ABSURD_RATIO from it is not one.
EXPECTED_RATIO = {"ja": 0.45, "zh": 0.32}
ABSURD_RATIO = 2.5
#: Below this share of the article's anchors found in the file, it shares almost none.
FEW_ANCHORS = 0.2
#: Anchors an article needs before their absence says anything.
MIN_ANCHORS = 5
#: Paragraph pairs with names or numbers needed before their sharing none says anything.
MIN_JUDGED = 10
#: Below this share of paired paragraphs sharing a name or number, the pairs are chance.
FEW_ANCHORED = 0.35
#: Below this share of the article's units aligned, hardly anything matched.
FEW_ALIGNED = 0.25


def not_a_translation(
    alignment: Alignment, source: Sequence[str], language: str, *, minimum: float
) -> list[str]:
    """Why the aligned file is not a translation of the article whose unit texts are
    ``source``; empty when it is one."""
    source_anchors = sum(sum(anchors(text).hard.values()) for text in source)
    few_shared = source_anchors >= MIN_ANCHORS and alignment.shared < FEW_ANCHORS
    few_anchored = (
        alignment.judged >= MIN_JUDGED and alignment.anchored < FEW_ANCHORED * alignment.judged
    )
    expected = EXPECTED_RATIO.get(language, 1.1)
    absurd = not (1 / ABSURD_RATIO <= alignment.ratio / expected <= ABSURD_RATIO)
    sure = sum(len(p.source) for p in alignment.pairs if p.confidence >= minimum)
    few_aligned = sure < FEW_ALIGNED * len(source)
    if not (few_shared or few_anchored or (absurd and few_aligned)):
        return []
    reasons = []
    if few_shared:
        reasons.append(
            f"it holds {100 * alignment.shared:.0f}% of the article's numbers and literals"
        )
    if few_anchored:
        reasons.append(
            f"{alignment.anchored} of {alignment.judged} paragraphs with names or numbers "
            "share one with their counterpart"
        )
    if absurd:
        reasons.append(f"it is {alignment.ratio:.2f} times as long")
    if few_aligned:
        reasons.append(f"only {sure} of {len(source)} units align")
    return reasons
