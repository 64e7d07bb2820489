"""What ``check`` found in each file, kept in the index and reused while the file is as it
was: same size and modification time, same rules, same settings.

A file's payload holds its problems (severity already applied), its word counts for the
thresholds, and the wrong-language verdicts of its entries by the hash of what was judged.
The verdicts are reused on their own when the file changed or another rule was released:
an edited catalog only runs the detector on the entries that changed, and a new release of
the other rules does not run it again. The keys that say when a payload is still good:

- ``rules``: :data:`RULES_VERSION` and the settings the findings depend on;
- ``detector``: the detector's :data:`~i18n_pipeline.checks.language.VERSION`, its
  candidate languages and the source language.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

#: Raised whenever a rule other than the wrong-language check may find other problems.
RULES_VERSION = "1"


def settings_key(*parts: object) -> str:
    """A short digest of settings, stable across processes and runs."""
    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=repr).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class FileFindings:
    """What one file was found to hold; ``coverage`` is the word counts' fields and the line
    of the first entry not translated, or None when the file was not counted."""

    rules: str
    detector: str
    problems: tuple[tuple[int | None, str, str, str], ...]  # line, severity, code, message
    coverage: tuple[tuple[int, ...], int | None] | None
    verdicts: Mapping[str, str] = field(default_factory=dict)

    def encode(self) -> tuple[str, str]:
        """``rules|detector|{json}``, and the verdicts as JSON apart. The keys come first,
        so that a reader can tell a payload is still good, and that it holds no problem,
        without decoding it; the verdicts are only read for a file checked again."""
        body = json.dumps(
            {"p": self.problems, "c": self.coverage}, separators=(",", ":"), ensure_ascii=False
        )
        verdicts = json.dumps(self.verdicts, separators=(",", ":"), ensure_ascii=False)
        return f"{self.rules}|{self.detector}|{body}", verdicts

    @classmethod
    def decode(cls, payload: str, verdicts: str = "{}") -> FileFindings | None:
        """The findings a payload holds, or None when it cannot be read (then the file is
        simply checked again)."""
        try:
            rules, detector, body = payload.split("|", 2)
            data = json.loads(body)
            coverage = data["c"]
            return cls(
                rules=rules,
                detector=detector,
                problems=tuple(
                    (line, str(severity), str(code), str(message))
                    for line, severity, code, message in data["p"]
                ),
                coverage=None if coverage is None else (tuple(coverage[0]), coverage[1]),
                verdicts={} if verdicts == "{}" else dict(json.loads(verdicts)),
            )
        except (ValueError, KeyError, TypeError):
            return None


def detector_of(payload: str) -> str | None:
    """The detector key a payload was found under, without decoding it."""
    parts = payload.split("|", 2)
    return parts[1] if len(parts) == 3 else None


class Detector(Protocol):
    def is_wrong(self, text: str, expected: str, *, source: str | None = None) -> str | None: ...


class RememberingDetector:
    """A wrong-language detector that answers from earlier verdicts where it can.

    ``known`` maps the hash of (expected language, text, msgid) to the language found, or
    ``""`` for none; ``used`` collects the verdicts of this file, old and new, to be stored.
    """

    def __init__(self, detector: Detector, known: Mapping[str, str]) -> None:
        self.detector = detector
        self.known = known
        self.used: dict[str, str] = {}
        self.computed = 0

    def is_wrong(self, text: str, expected: str, *, source: str | None = None) -> str | None:
        key = hashlib.sha1(f"{expected}\0{text}\0{source}".encode()).hexdigest()[:20]
        verdict = self.known.get(key)
        if verdict is None:
            verdict = self.used.get(key)
        if verdict is None:
            verdict = self.detector.is_wrong(text, expected, source=source) or ""
            self.computed += 1
        self.used[key] = verdict
        return verdict or None
