"""The cost of linking source items to target items: length, anchors, memory.

* Length: the log of the target's length over the source's times the ratio of the
  language pair (estimated from the document), against a normal distribution whose
  spread is wider for short items, as in Gale and Church's model.
* Anchors (:mod:`i18n_pipeline.align.anchors`): each anchor the two sides share lowers
  the cost, each hard anchor found on one side only raises it. An anchor is weighted by
  how rare it is in the document: a number found in one paragraph says more than the
  product's name found in all of them.
* Memory: where the project's memory has a translation of the source item, how much the
  target resembles it lowers the cost.

Costs are in nats (negative log-probabilities, up to a constant): 0 for a typical good
pair, a few units for an unlikely one.
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz.fuzz import ratio as similarity

from i18n_pipeline.align.anchors import NON_LATIN, Anchors, plain


@dataclass(frozen=True)
class Weights:
    """The model's constants; the defaults are those measured by ``bench/align_eval.py``."""

    skip: float = 3.0  # leaving one item unlinked
    merge: float = 3.0  # a 2-1 or 1-2 link, beyond its length and anchors
    sigma: float = 0.22  # spread of the log length ratio of long items
    short: float = 12.0  # extra variance of short items, in characters
    smooth: float = 15.0  # characters added to both lengths
    shared_hard: float = 2.5
    unmatched_hard: float = 1.2
    shared_soft: float = 1.2
    punctuation: float = 0.8
    cognates: float = 0.5
    memory: float = 4.0
    temperature: float = 1.0


class Scorer:
    """Costs of links between ``source`` and ``target`` items (their anchors)."""

    def __init__(
        self,
        source: Sequence[Anchors],
        target: Sequence[Anchors],
        *,
        target_language: str,
        ratio: float | None = None,
        weights: Weights = Weights(),
        memory: Mapping[int, str] | None = None,
        target_texts: Sequence[str] = (),
    ) -> None:
        self.source = source
        self.target = target
        self.weights = weights
        self.non_latin = target_language.split("-")[0].split("_")[0] in NON_LATIN
        self.ratio = ratio or estimate_ratio(source, target)
        self.memory = {i: plain(t) for i, t in (memory or {}).items()}
        self.target_plain = [plain(t) for t in target_texts] if self.memory else []
        df: Counter[str] = Counter()
        for side in (source, target):
            seen: Counter[str] = Counter()
            for item in side:
                seen.update(set(item.hard) | item.names | (item.words if self.non_latin else set()))
                seen.update("~" + c for c in item.cognates)
            for key, count in seen.items():
                df[key] = max(df[key], count)
        self._weight = {key: 1.0 / count for key, count in df.items()}
        #: What does not depend on the ratio, by span: kept when the ratio changes.
        self._evidence: dict[tuple[int, int, int, int], tuple[int, int, float]] = {}
        self._joined: dict[tuple[int, int, int], Anchors] = {}

    def with_ratio(self, ratio: float) -> Scorer:
        """The same scorer with another length ratio, sharing what it has computed."""
        other = copy.copy(self)
        other.ratio = ratio
        return other

    def __call__(self, i0: int, i1: int, j0: int, j1: int) -> float:
        key = (i0, i1, j0, j1)
        found = self._evidence.get(key)
        if found is None:
            s = self.source[i0] if i1 - i0 == 1 else self._join(0, i0, i1)
            t = self.target[j0] if j1 - j0 == 1 else self._join(1, j0, j1)
            evidence = self.anchor_cost(s, t)
            if i1 - i0 > 1 or j1 - j0 > 1:
                evidence += self.weights.merge
            if self.memory:
                evidence -= self.memory_bonus(i0, i1, j0, j1)
            found = self._evidence[key] = (s.length, t.length, evidence)
        return self.length_cost(found[0], found[1]) + found[2]

    def _join(self, side: int, start: int, end: int) -> Anchors:
        key = (side, start, end)
        found = self._joined.get(key)
        if found is None:
            items = (self.source, self.target)[side]
            found = self._joined[key] = _joined(items[start:end])
        return found

    def length_cost(self, source: int, target: int) -> float:
        w = self.weights
        d = math.log((target + w.smooth * self.ratio) / (self.ratio * (source + w.smooth)))
        variance = w.sigma**2 + w.short / (source + w.smooth)
        return d * d / (2 * variance) + 0.5 * math.log(variance / w.sigma**2)

    def anchor_cost(self, s: Anchors, t: Anchors) -> float:
        w = self.weights
        weight = self._weight
        shared = unmatched = 0.0
        for key, count in s.hard.items():
            other = t.hard.get(key, 0)
            shared += min(count, other) * weight.get(key, 1.0)
            unmatched += max(0, count - other) * weight.get(key, 1.0)
        for key, count in t.hard.items():
            unmatched += max(0, count - s.hard.get(key, 0)) * weight.get(key, 1.0)
        soft = s.words if self.non_latin else s.names
        names = sum(weight.get(word, 1.0) for word in soft if word in t.stems or word in t.words)
        cognates = 0.0
        if not self.non_latin and s.cognates:
            cognates = sum(weight.get("~" + c, 1.0) for c in s.cognates & t.cognates)
        cost = (
            -w.shared_hard * shared
            + w.unmatched_hard * unmatched
            - w.shared_soft * names
            - w.cognates * cognates
        )
        for a, b in ((s.questions, t.questions), (s.exclamations, t.exclamations)):
            if a or b:
                cost += w.punctuation if (a == 0) != (b == 0) else -w.punctuation
        return cost

    def shares(self, s: Anchors, t: Anchors) -> bool | None:
        """Whether ``t`` holds one of the anchors of ``s``; None when ``s`` has none."""
        soft = s.words if self.non_latin else s.names
        if not s.hard and not soft:
            return None
        return any(k in t.hard for k in s.hard) or any(
            word in t.stems or word in t.words for word in soft
        )

    def memory_bonus(self, i0: int, i1: int, j0: int, j1: int) -> float:
        best = 0.0
        for i in range(i0, i1):
            known = self.memory.get(i)
            if known is None:
                continue
            text = " ".join(self.target_plain[j0:j1])
            best = max(best, similarity(known, text) / 100.0)
        return self.weights.memory * max(0.0, (best - 0.5) / 0.5)


def estimate_ratio(source: Sequence[Anchors], target: Sequence[Anchors]) -> float:
    """Characters of the target per character of the source, over the whole document."""
    s = sum(a.length for a in source)
    t = sum(a.length for a in target)
    return t / s if s and t else 1.0


def _joined(items: Sequence[Anchors]) -> Anchors:
    out = items[0]
    for item in items[1:]:
        out = out + item
    return out
