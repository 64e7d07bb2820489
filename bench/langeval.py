"""Measures the wrong-language check (W301): catch and false-alarm rates per language.

Two sets of cases: the bundled hand-written segments (every language, with English and
same-script neighbours placed in each catalog), and real translations from the French and
Polish Python documentation catalogs, with their English msgids as English left in the
catalog. Prints a table and writes JSON::

    .venv/bin/python bench/langeval.py [--per-language 300] [--json reports/langeval.json]

``bench/run.py`` calls :func:`run_langeval`, which returns the same data as the JSON file.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polib

from i18n_pipeline.checks.language import (
    Case,
    LangScore,
    LanguageDetector,
    evaluate,
    load_segments,
    segment_cases,
)

LANGUAGES = ("id", "de", "es", "fr", "it", "ja", "pl", "pt", "ru", "zh", "tl")
ROOT = Path(__file__).resolve().parent.parent

# reST inline markup, which article catalogs never carry: literals, roles, link targets.
_REST = re.compile(r"``[^`]*``|:[\w:.-]+:`[^`]*`|`([^`<]*)<[^>]*>`_+|\|[^|\s]+\|")
_MIN_LETTERS = 40


def corpus_root() -> Path | None:
    """The shared Python-docs catalogs: $I18N_CORPORA, ../shared beside the checkout, or
    /work/shared."""
    candidates = [
        Path(os.environ.get("I18N_CORPORA", "")) if os.environ.get("I18N_CORPORA") else None,
        ROOT.parent / "shared" / "corpora" / "python-docs",
        Path("/work/shared/corpora/python-docs"),
    ]
    for path in candidates:
        if path is not None and path.is_dir():
            return path
    return None


def _clean(text: str) -> str:
    return " ".join(_REST.sub(lambda m: m.group(1) or " ", text).split())


def _is_prose(text: str) -> bool:
    """At least 40 letters, and not a code sample (prompts, operators, brackets)."""
    letters = sum(ch.isalpha() for ch in text)
    code = sum(text.count(mark) for mark in (">>>", "=", "(", "{", "[", "::", "\\"))
    return letters >= _MIN_LETTERS and code <= 2 and letters >= 0.7 * len(text.replace(" ", ""))


def python_docs_cases(
    root: Path, language: str, per_language: int, *, seed: int = 0, max_files: int | None = None
) -> list[Case]:
    """``per_language`` translated, non-fuzzy entries with at least 40 letters, sampled
    deterministically: each msgstr in its own catalog and its msgid as English left there."""
    files = sorted((root / language).rglob("*.po"))
    if max_files is not None:
        files = random.Random(seed).sample(files, min(max_files, len(files)))
    pairs: list[tuple[str, str, str]] = []
    for path in files:
        for entry in polib.pofile(str(path)).translated_entries():
            if entry.msgid_plural or "fuzzy" in entry.flags:
                continue
            msgid, msgstr = _clean(entry.msgid), _clean(entry.msgstr)
            if msgid == msgstr or not (_is_prose(msgid) and _is_prose(msgstr)):
                continue
            where = f"{path.relative_to(root)}:{entry.linenum}"
            pairs.append((msgid, msgstr, where))
    chosen = random.Random(seed).sample(pairs, min(per_language, len(pairs)))
    cases: list[Case] = []
    for msgid, msgstr, where in chosen:
        cases.append(Case(msgstr, language, language, where))
        cases.append(Case(msgid, language, "en", where))
    return cases


def render(title: str, scores: dict[str, LangScore]) -> str:
    lines = [title, f"{'lang':<6}{'caught':>14}{'catch':>9}{'alarms':>12}{'false':>9}"]
    for code, s in scores.items():
        lines.append(
            f"{code:<6}{s.caught:>7}/{s.wrong:<6}{s.catch_rate:>9.1%}"
            f"{s.false_alarms:>5}/{s.right:<6}{s.false_alarm_rate:>9.1%}"
        )
    return "\n".join(lines)


def _details(scores: dict[str, LangScore], limit: int) -> str:
    lines = []
    for code, s in scores.items():
        for case in s.missed[:limit]:
            lines.append(f"  missed {case.language} in {code}: {case.text[:110]!r}")
        for case in s.alarmed[:limit]:
            lines.append(f"  alarm  {code}: {case.text[:110]!r}")
    return "\n".join(lines)


def evaluate_all(
    per_language: int = 300, *, corpus: bool = True
) -> dict[str, dict[str, LangScore]]:
    """Scores per case set ("segments", and "python-docs" when the corpus is found)."""
    detector = LanguageDetector(LANGUAGES)
    results: dict[str, dict[str, LangScore]] = {
        "segments": evaluate(detector, segment_cases(load_segments()))
    }
    root = corpus_root() if corpus else None
    if root is not None:
        docs = [c for lang in ("fr", "pl") for c in python_docs_cases(root, lang, per_language)]
        results["python-docs"] = evaluate(detector, docs)
    return results


def as_data(results: dict[str, dict[str, LangScore]]) -> dict[str, dict[str, dict[str, Any]]]:
    return {name: {c: s.as_dict() for c, s in scores.items()} for name, scores in results.items()}


def run_langeval(per_language: int = 300, *, corpus: bool = True) -> dict[str, Any]:
    """The catch rate and false-alarm rate of W301 per case set and catalog language:
    ``{"segments": {"de": {"catch_rate": …, "false_alarm_rate": …, …}, …},
    "python-docs": {…}}`` (the latter only when the corpus is found)."""
    return as_data(evaluate_all(per_language, corpus=corpus))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--per-language", type=int, default=300)
    parser.add_argument("--json", type=Path, default=ROOT / "reports" / "langeval.json")
    parser.add_argument("--details", type=int, default=0, help="show N misses per language")
    parser.add_argument("--no-corpus", action="store_true", help="hand-written segments only")
    args = parser.parse_args(argv)

    results = evaluate_all(args.per_language, corpus=not args.no_corpus)
    for name, scores in results.items():
        print(render(name, scores))
        if args.details:
            print(_details(scores, args.details))
        print()

    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(as_data(results), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
