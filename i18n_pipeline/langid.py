"""Deterministic language identification with langdetect, restricted to known candidates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

_CJK_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ALIASES = {"zh-cn": "zh", "zh-tw": "zh", "fil": "tl"}


@lru_cache(maxsize=1)
def _factory() -> Any:
    from langdetect.detector_factory import DetectorFactory, PROFILES_DIRECTORY

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0
    return factory


def probabilities(text: str) -> dict[str, float]:
    """langdetect's probabilities with codes mapped to ours (``zh-cn`` → ``zh``); seeded."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(text)
    try:
        found = detector.get_probabilities()
    except LangDetectException:
        return {}
    out: dict[str, float] = {}
    for item in found:
        code = _ALIASES.get(item.lang, item.lang)
        out[code] = out.get(code, 0.0) + item.prob
    return out


def detect(text: str, candidates: Iterable[str]) -> str | None:
    """The most probable language among ``candidates``; None when nothing can be said."""
    allowed = list(dict.fromkeys(candidates))
    if _CJK_KANA.search(text) and "ja" in allowed:
        return "ja"
    if _HAN.search(text) and "zh" in allowed and len(_HAN.findall(text)) > len(text) // 4:
        return "zh"
    probs = probabilities(text)
    best = max(allowed, key=lambda c: probs.get(c, 0.0), default=None)
    if best is None or probs.get(best, 0.0) == 0.0:
        return None
    return best
