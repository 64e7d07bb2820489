"""Measures the aligner (``i18n-pipeline align``) on real translations, beside Gale–Church.

Documents come from real catalogs: the Python documentation in French and Polish
(``../shared/corpora/python-docs``, one document per catalog) and the Django
documentation in Japanese, Chinese, Indonesian, Portuguese, Spanish and Italian
(``../shared/corpora/django-docs``, whose catalogs are cut into documents of consecutive
translated entries). The English is the msgids, the published translation the msgstrs,
both written as Markdown (a short entry without closing punctuation as a heading) and
read back by the project's Markdown reader, as ``align`` reads them. The translation is
then edited as translators do: paragraphs left out, two joined, one split at a sentence.

The gold pairs are the one-to-one pairs that survive the edits. Precision and recall are
those of the one-to-one pairs each aligner gives (for ours, those it writes into the
catalog: at least ``align.minimum`` sure). Two sets:

* tuning: half of the French, Japanese and Indonesian documents (the weights were set on
  these);
* held-out: the other half of those, and every Polish, Chinese, Portuguese, Spanish and
  Italian document, never looked at while tuning.

    .venv/bin/python bench/align_eval.py [--docs 40] [--json reports/align-eval.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from i18n_pipeline.align.structure import (
    AlignSettings,
    Piece,
    align_documents,
    split_target_sentences,
)
from i18n_pipeline.align.verdict import not_a_translation
from i18n_pipeline.model import Article
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.read import parse_article
from i18n_pipeline.read.profile import DEFAULT_PROFILE
from i18n_pipeline.segment import segment

ROOT = Path(__file__).resolve().parent.parent
#: (code, corpus, folder) of each language measured.
SOURCES = (
    ("fr", "python-docs", "fr"),
    ("pl", "python-docs", "pl"),
    ("ja", "django-docs", "ja"),
    ("zh", "django-docs", "zh_Hans"),
    ("id", "django-docs", "id"),
    ("pt", "django-docs", "pt_BR"),
    ("es", "django-docs", "es"),
    ("it", "django-docs", "it"),
)
TUNING_LANGUAGES = ("fr", "ja", "id")
#: Edits per paragraph of the translation.
LEAVE_OUT, JOIN, SPLIT = 0.05, 0.03, 0.03
MIN_UNITS, MAX_UNITS = 12, 160


def corpora_root() -> Path | None:
    for path in (ROOT.parent / "shared" / "corpora", Path("/work/shared/corpora")):
        if path.is_dir():
            return path
    return None


@dataclass(frozen=True)
class Document:
    language: str
    name: str
    english: tuple[str, ...]
    translation: tuple[str, ...]

    @property
    def tuning(self) -> bool:
        digest = hashlib.sha256(self.name.encode()).digest()
        return self.language in TUNING_LANGUAGES and digest[0] % 2 == 0


def documents(root: Path, code: str, corpus: str, folder: str) -> Iterator[Document]:
    """Runs of translated entries, as documents of MIN_UNITS to MAX_UNITS paragraphs."""
    base = root / corpus / folder
    for path in sorted(base.rglob("*.po")):
        catalog = parse_po(path.read_bytes(), str(path))
        pairs = [
            (_flat(e.msgid), _flat(e.msgstr))
            for e in catalog.entries
            if e.msgid and e.translated and e.msgid_plural is None and not e.obsolete
        ]
        pairs = [(s, t) for s, t in pairs if s and t and _plain_block(s) and _plain_block(t)]
        for n, start in enumerate(range(0, len(pairs), MAX_UNITS)):
            chunk = pairs[start : start + MAX_UNITS]
            if len(chunk) >= MIN_UNITS:
                name = f"{corpus}/{folder}/{path.relative_to(base)}#{n}"
                yield Document(code, name, *map(tuple, zip(*chunk, strict=True)))


def _flat(text: str) -> str:
    return " ".join(text.split())


_BLOCK_START = re.compile(r"^(?:[#>*+=|-]|\d+[.)]\s|\s*$)|^(?:\S+\s*){0,1}$|[`*_]{3}")


def _plain_block(text: str) -> bool:
    """An entry that Markdown reads as one paragraph of text (not a list, rule, table)."""
    return not _BLOCK_START.search(text) and "<" not in text and "\\" not in text


def _is_heading(text: str) -> bool:
    return len(text.split()) <= 6 and not re.search(r"[.:;,!?。：]$", text) and "`" not in text


@dataclass
class Edited:
    """The translation after a translator's edits, and the gold one-to-one pairs
    (English index → translated block index)."""

    blocks: list[str]
    headings: list[bool]
    gold: dict[int, int]


def edit(doc: Document, rng: random.Random) -> Edited:
    blocks: list[str] = []
    headings: list[bool] = []
    gold: dict[int, int] = {}
    i = 0
    n = len(doc.translation)
    joiner = "" if doc.language in ("ja", "zh") else " "
    while i < n:
        text = doc.translation[i]
        heading = _is_heading(doc.english[i])
        roll = rng.random()
        if i > 0 and not heading and roll < LEAVE_OUT:
            i += 1
            continue
        roll -= LEAVE_OUT
        if not heading and i + 1 < n and not _is_heading(doc.english[i + 1]) and 0 <= roll < JOIN:
            blocks.append(text + joiner + doc.translation[i + 1])
            headings.append(False)
            i += 2
            continue
        roll -= JOIN
        if not heading and 0 <= roll < SPLIT:
            parts = split_target_sentences(text, doc.language)
            if len(parts) >= 2:
                half = len(parts) // 2
                for part in (parts[:half], parts[half:]):
                    blocks.append(joiner.join(part))
                    headings.append(False)
                i += 1
                continue
        gold[i] = len(blocks)
        blocks.append(text)
        headings.append(heading)
        i += 1
    return Edited(blocks, headings, gold)


def markdown(texts: Sequence[str], headings: Sequence[bool], *, flat: bool = False) -> str:
    """The document as Markdown: the first entry as its title and headings as headings,
    or, ``flat``, every entry as a paragraph."""
    lines = []
    for number, (text, heading) in enumerate(zip(texts, headings, strict=True)):
        if flat:
            lines.append(text)
        elif number == 0:
            lines.append(f"# {text}")
        else:
            lines.append(f"## {text}" if heading else text)
    return "\n\n".join(lines) + "\n"


def read(text: str, name: str) -> Article:
    return parse_article(
        text.encode("utf-8"),
        article_id="doc",
        source_path=name,
        fmt="md",
        profile=DEFAULT_PROFILE,
        source_language="en",
    )


# Gale–Church, as published (1993): costs from the length difference and the priors of
# each link shape, over the whole matrix. The ratio of the pair is the document's.
_GC_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2,
              (1, 2): 0.089 / 2}  # fmt: skip
_GC_VARIANCE = 6.8


def gale_church(source: Sequence[int], target: Sequence[int]) -> list[tuple[int, int]]:
    """The one-to-one pairs Gale and Church's algorithm finds between lengths."""
    n, m = len(source), len(target)
    c = (sum(target) / sum(source)) if sum(source) and sum(target) else 1.0
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0

    def match(ls: int, lt: int) -> float:
        if ls == 0 and lt == 0:
            return 0.0
        mean = (ls + lt / c) / 2
        delta = (lt - ls * c) / math.sqrt(max(mean, 1e-9) * _GC_VARIANCE * c)
        p = 2 * (1 - 0.5 * (1 + math.erf(abs(delta) / math.sqrt(2))))
        return -math.log(max(p, 1e-300))

    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            for (di, dj), prior in _GC_PRIORS.items():
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or cost[pi][pj] == inf:
                    continue
                total = cost[pi][pj] - math.log(prior)
                total += match(sum(source[pi:i]), sum(target[pj:j]))
                if total < cost[i][j]:
                    cost[i][j], back[i][j] = total, (pi, pj)
    pairs = []
    cell = (n, m)
    while cell != (0, 0):
        prev = back[cell[0]][cell[1]]
        assert prev is not None
        if cell[0] - prev[0] == 1 and cell[1] - prev[1] == 1:
            pairs.append((prev[0], prev[1]))
        cell = prev
    return pairs


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    correct: int = 0
    documents: int = 0
    seconds: float = 0.0

    def add(self, gold: dict[int, int], found: Sequence[tuple[int, int]]) -> None:
        self.documents += 1
        self.gold += len(gold)
        self.found += len(found)
        self.correct += sum(1 for s, t in found if gold.get(s) == t)

    @property
    def precision(self) -> float:
        return 100.0 * self.correct / self.found if self.found else 100.0

    @property
    def recall(self) -> float:
        return 100.0 * self.correct / self.gold if self.gold else 100.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "gold": self.gold,
            "found": self.found,
            "correct": self.correct,
            "precision": round(self.precision, 1),
            "recall": round(self.recall, 1),
        }


@dataclass
class Results:
    ours: dict[tuple[str, str], Score] = field(default_factory=dict)
    baseline: dict[tuple[str, str], Score] = field(default_factory=dict)
    position: dict[tuple[str, str], Score] = field(default_factory=dict)
    skipped: int = 0
    #: Real translations the aligner refused as not being one.
    refused: int = 0
    #: (confidence, right) of every one-to-one pair found, for choosing align.accept.
    confidences: list[tuple[float, bool]] = field(default_factory=list)
    #: Unrelated documents (an article and another's translation): how many, refused.
    unrelated: int = 0
    unrelated_refused: int = 0


def evaluate(
    docs: Sequence[Document],
    settings: AlignSettings,
    *,
    seed: int = 0,
    baseline: bool = True,
    flat: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Results:
    results = Results()
    for doc in docs:
        rng = random.Random(f"{seed}:{doc.name}")
        edited = edit(doc, rng)
        heads = [_is_heading(t) for t in doc.english]
        english = read(markdown(doc.english, heads, flat=flat), doc.name)
        units = segment(english, "paragraph")
        translation = read(markdown(edited.blocks, edited.headings, flat=flat), doc.name + ".tr")
        blocks = [b for _, b in translation.blocks()]
        if len(units) != len(doc.english) or len(blocks) != len(edited.blocks):
            results.skipped += 1
            continue
        split = "tuning" if doc.tuning else "held-out"
        key = (doc.language, split)
        source = [Piece(u.text, u.kind, u.block) for u in units]
        target = [Piece(b.text, b.kind, n) for n, b in enumerate(blocks)]
        started = time.perf_counter()
        alignment = align_documents(source, target, target_language=doc.language, settings=settings)
        elapsed = time.perf_counter() - started
        reasons = not_a_translation(
            alignment, [u.text for u in units], doc.language, minimum=settings.minimum
        )
        if reasons:
            results.refused += 1
            if progress:
                progress(f"{doc.name}: refused: {'; '.join(reasons)}")
        index = {text: n for n, text in reversed(list(enumerate(b.text for b in blocks)))}
        ones = [p for p in alignment.pairs if len(p.source) == 1 and len(p.target) == 1]
        for p in ones:
            right = edited.gold.get(p.source[0]) == index[p.target[0]]
            results.confidences.append((p.confidence, right))
        found = [
            (p.source[0], index[p.target[0]]) for p in ones if p.confidence >= settings.minimum
        ]
        score = results.ours.setdefault(key, Score())
        score.add(edited.gold, found)
        score.seconds += elapsed
        if baseline:
            lengths = [len(u.text) for u in units], [len(b.text) for b in blocks]
            results.baseline.setdefault(key, Score()).add(edited.gold, gale_church(*lengths))
            results.position.setdefault(key, Score()).add(
                edited.gold, [(i, i) for i in range(min(len(units), len(blocks)))]
            )
    _unrelated(docs, settings, results, flat=flat)
    return results


def _unrelated(
    docs: Sequence[Document], settings: AlignSettings, results: Results, *, flat: bool
) -> None:
    """Each document's English against the next document's translation, same language."""
    by_language: dict[str, list[Document]] = {}
    for doc in docs:
        by_language.setdefault(doc.language, []).append(doc)
    for language, found in by_language.items():
        for doc, other in zip(found, found[1:], strict=False):
            heads = [_is_heading(t) for t in doc.english]
            english = read(markdown(doc.english, heads, flat=flat), doc.name)
            units = segment(english, "paragraph")
            other_heads = [_is_heading(t) for t in other.english]
            translation = read(markdown(other.translation, other_heads, flat=flat), other.name)
            alignment = align_documents(
                [Piece(u.text, u.kind, u.block) for u in units],
                [Piece(b.text, b.kind, n) for n, (_, b) in enumerate(translation.blocks())],
                target_language=language,
                settings=settings,
            )
            results.unrelated += 1
            results.unrelated_refused += bool(
                not_a_translation(alignment, [u.text for u in units], language, minimum=0.5)
            )


def calibration(results: Results) -> str:
    """Precision and share of the right pairs kept at each confidence threshold."""
    lines = ["| threshold | pairs kept | precision | right pairs kept |", "|---|---|---|---|"]
    right_total = sum(1 for _, right in results.confidences if right)
    for threshold in (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99):
        kept = [right for c, right in results.confidences if c >= threshold]
        precision = 100.0 * sum(kept) / len(kept) if kept else 100.0
        share = 100.0 * sum(kept) / right_total if right_total else 100.0
        lines.append(f"| {threshold:.2f} | {len(kept)} | {precision:.2f} | {share:.1f} |")
    return "\n".join(lines)


def load(root: Path, per_language: int) -> list[Document]:
    out: list[Document] = []
    for code, corpus, folder in SOURCES:
        found = list(documents(root, code, corpus, folder))
        random.Random(code).shuffle(found)
        out.extend(found[:per_language])
    return out


def table(results: Results) -> str:
    lines = [
        "| language | set | documents | gold pairs | ours P | ours R | Gale–Church P | "
        "Gale–Church R | by position P |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for split in ("tuning", "held-out"):
        keys = sorted(k for k in results.ours if k[1] == split)
        for key in [*keys, ("all", split)]:
            if key[0] == "all":
                ours = _total(results.ours, split)
                base = _total(results.baseline, split)
                pos = _total(results.position, split)
            else:
                ours = results.ours[key]
                base = results.baseline.get(key, Score())
                pos = results.position.get(key, Score())
            lines.append(
                f"| {key[0]} | {split} | {ours.documents} | {ours.gold} | {ours.precision:.1f} | "
                f"{ours.recall:.1f} | {base.precision:.1f} | {base.recall:.1f} | "
                f"{pos.precision:.1f} |"
            )
    return "\n".join(lines)


def _total(scores: dict[tuple[str, str], Score], split: str) -> Score:
    out = Score()
    for (_, s), score in scores.items():
        if s == split:
            out.documents += score.documents
            out.gold += score.gold
            out.found += score.found
            out.correct += score.correct
            out.seconds += score.seconds
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=40, help="documents per language")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--verbose", action="store_true", help="name refused documents")
    parser.add_argument("--flat", action="store_true", help="no title or headings")
    parser.add_argument("--split", choices=("tuning", "held-out", "all"), default="all")
    args = parser.parse_args(argv)
    root = corpora_root()
    if root is None:
        print("no corpora found (../shared/corpora)", file=sys.stderr)
        return 2
    docs = load(root, args.docs)
    if args.split != "all":
        docs = [d for d in docs if d.tuning == (args.split == "tuning")]
    results = evaluate(
        docs,
        AlignSettings(),
        seed=args.seed,
        flat=args.flat,
        progress=(lambda line: print(line, file=sys.stderr)) if args.verbose else None,
    )
    print(table(results))
    print()
    print(calibration(results))
    ours = _total(results.ours, "tuning")
    ours_h = _total(results.ours, "held-out")
    units = ours.gold + ours_h.gold
    print(
        f"\n{len(docs) - results.skipped} documents ({results.skipped} skipped: Markdown did "
        f"not read them as one block per entry); aligner time "
        f"{1000 * (ours.seconds + ours_h.seconds) / max(units, 1):.2f} ms per pair; "
        f"{results.refused} refused as not a translation; {results.unrelated_refused} of "
        f"{results.unrelated} unrelated documents refused"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        data = {
            name: {f"{k[0]}/{k[1]}": s.as_dict() for k, s in scores.items()}
            for name, scores in (
                ("ours", results.ours),
                ("gale_church", results.baseline),
                ("position", results.position),
            )
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
