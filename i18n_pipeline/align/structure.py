"""Structure first: the title block, then the headings, then the paragraphs between them,
then (in sentence mode) the sentences inside each pair of paragraphs.

The headings of both sides are aligned with each other first, on their own text and the
length of the sections they open; each heading pair the aligner is sure of splits the
documents, so a paragraph is only ever paired within its section, and each search is
short. A translation whose headings do not match (a heading left out, or one the reader
did not recognise) loses nothing: its sections are aligned together.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from i18n_pipeline.align import dp
from i18n_pipeline.align.anchors import UNSPACED, Anchors, anchors
from i18n_pipeline.align.score import Scorer, Weights, estimate_ratio

#: Heading pairs at least this sure split the documents into spans.
SPLIT_CONFIDENCE = 0.9
#: Added to a 1-1 link between a heading and a block that is not one.
KIND_MISMATCH = 2.0


@dataclass(frozen=True)
class AlignSettings:
    """How sure a link must be: ``accept`` to be written as translated, ``minimum`` to be
    written at all (as fuzzy below ``accept``); and the model's weights."""

    accept: float = 0.9
    minimum: float = 0.5
    weights: Weights = Weights()


@dataclass(frozen=True)
class Piece:
    """One item of a side: a unit of the article, or a block of the translation. Pieces
    of one block (sentences, in sentence mode) share ``block``."""

    text: str
    kind: str = "paragraph"
    block: int = 0


@dataclass(frozen=True)
class Pair:
    """Source pieces (their indices) paired with target text (the translation's pieces
    that cover them, in order), and how sure the aligner is of it, from 0 to 1."""

    source: tuple[int, ...]
    target: tuple[str, ...]
    confidence: float


@dataclass(frozen=True)
class Alignment:
    """Every link of a document. ``ratio`` is the target's length per source character;
    ``shared`` the share of the source's hard anchors found in the target; ``anchored``
    how many of the paired paragraphs whose source has rare anchors share one, of
    ``judged`` such pairs."""

    pairs: tuple[Pair, ...]
    ratio: float
    shared: float
    anchored: int
    judged: int
    source_blocks: int
    target_blocks: int
    unlinked_target: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Block:
    text: str
    kind: str
    pieces: tuple[int, ...]  # the source pieces it holds


def align_documents(
    source: Sequence[Piece],
    target: Sequence[Piece],
    *,
    target_language: str,
    sentences: bool = False,
    settings: AlignSettings = AlignSettings(),
    memory: Mapping[int, str] | None = None,
) -> Alignment:
    """Align the translation's blocks ``target`` with the article's units ``source``.

    ``memory`` gives known translations of source pieces (by index). With ``sentences``
    the source pieces are sentences, and the target blocks are cut into sentences inside
    each aligned pair of paragraphs."""
    blocks = _blocks(source)
    tblocks = [Block(p.text, p.kind, ()) for p in target]
    block_memory: dict[int, str] = {}
    if memory:
        for b, block in enumerate(blocks):
            known = [memory.get(i) for i in block.pieces]
            if all(k is not None for k in known):
                block_memory[b] = " ".join(k for k in known if k is not None)
    weights = settings.weights
    sa = [anchors(b.text) for b in blocks]
    ta = [anchors(b.text) for b in tblocks]
    scorer = Scorer(
        sa,
        ta,
        target_language=target_language,
        weights=weights,
        memory=block_memory,
        target_texts=[b.text for b in tblocks],
    )
    links = _structured(blocks, tblocks, scorer)
    # The ratio again, from the pairs found: left-out paragraphs no longer weigh on it.
    sure = [k for k in links if k.shape == (1, 1) and k.confidence >= 0.9]
    if len(sure) >= 5:
        ratio = estimate_ratio([sa[k.source[0]] for k in sure], [ta[k.target[0]] for k in sure])
        if abs(ratio / scorer.ratio - 1) > 0.03:
            scorer = scorer.with_ratio(ratio)
            links = _structured(blocks, tblocks, scorer)

    pairs: list[Pair] = []
    unlinked: list[str] = []
    judged = anchored = 0
    for link in links:
        if link.shape == (1, 1) and blocks[link.source[0]].kind not in ("title", "heading"):
            found_anchor = scorer.shares(sa[link.source[0]], ta[link.target[0]])
            if found_anchor is not None:
                judged += 1
                anchored += found_anchor
        if not link.source:
            unlinked.extend(tblocks[j].text for j in link.target)
            continue
        if not link.target:
            continue
        pieces = [i for b in link.source for i in blocks[b].pieces]
        texts = [tblocks[j].text for j in link.target]
        if sentences and (len(pieces) > 1 or len(link.source) > 1):
            pairs.extend(
                _sentences(source, pieces, texts, link.confidence, scorer, target_language)
            )
        else:
            pairs.append(Pair(tuple(pieces), tuple(texts), link.confidence))
    total = sum(sum(a.hard.values()) for a in sa)
    found = sum(min(c, sum(t.hard.get(k, 0) for t in ta)) for a in sa for k, c in a.hard.items())
    return Alignment(
        tuple(pairs),
        scorer.ratio,
        found / total if total else 1.0,
        anchored,
        judged,
        len(blocks),
        len(tblocks),
        tuple(unlinked),
    )


def _blocks(source: Sequence[Piece]) -> list[Block]:
    out: list[Block] = []
    current: list[int] = []
    for i, piece in enumerate(source):
        if current and source[current[-1]].block != piece.block:
            out.append(_block(source, current))
            current = []
        current.append(i)
    if current:
        out.append(_block(source, current))
    return out


def _block(source: Sequence[Piece], pieces: list[int]) -> Block:
    first = source[pieces[0]]
    return Block(" ".join(source[i].text for i in pieces), first.kind, tuple(pieces))


def _structured(source: list[Block], target: list[Block], scorer: Scorer) -> list[dp.Link]:
    """Links of the title blocks, the headings, and the spans between them."""
    links: list[dp.Link] = []
    s_title = _title_length(source)
    t_title = _title_length(target)
    start_s = start_t = 0
    if s_title and t_title:
        links += _span(source, target, scorer, 0, s_title, 0, t_title)
        start_s, start_t = s_title, t_title
    splits = _heading_splits(source, target, scorer, start_s, start_t)
    for hs, ht, confidence, cost in splits:
        links += _span(source, target, scorer, start_s, hs, start_t, ht)
        links.append(dp.Link((hs,), (ht,), cost, confidence))
        start_s, start_t = hs + 1, ht + 1
    links += _span(source, target, scorer, start_s, len(source), start_t, len(target))
    return links


def _title_length(blocks: list[Block]) -> int:
    n = 0
    while n < len(blocks) and blocks[n].kind == "title":
        n += 1
    return n


def _span(
    source: list[Block], target: list[Block], scorer: Scorer, s0: int, s1: int, t0: int, t1: int
) -> list[dp.Link]:
    def cost(i0: int, i1: int, j0: int, j1: int) -> float:
        if i1 - i0 > 1 or j1 - j0 > 1:  # a heading is never joined to anything
            kinds = [b.kind for b in (*source[s0 + i0 : s0 + i1], *target[t0 + j0 : t0 + j1])]
            if "heading" in kinds or "title" in kinds:
                return dp.INF
        c = scorer(s0 + i0, s0 + i1, t0 + j0, t0 + j1)
        if (source[s0 + i0].kind == "heading") != (target[t0 + j0].kind == "heading"):
            c += KIND_MISMATCH
        return c

    w = scorer.weights
    found = dp.align(s1 - s0, t1 - t0, cost, skip=w.skip, temperature=w.temperature)
    return [
        dp.Link(
            tuple(s0 + i for i in k.source), tuple(t0 + j for j in k.target), k.cost, k.confidence
        )
        for k in found
    ]


def _heading_splits(
    source: list[Block], target: list[Block], scorer: Scorer, start_s: int, start_t: int
) -> list[tuple[int, int, float, float]]:
    """Heading pairs sure enough to split the documents: (source block, target block,
    confidence, cost)."""
    hs = [i for i in range(start_s, len(source)) if source[i].kind == "heading"]
    ht = [j for j in range(start_t, len(target)) if target[j].kind == "heading"]
    if not hs or not ht:
        return []
    s_body = _section_lengths(source, hs, scorer.source)
    t_body = _section_lengths(target, ht, scorer.target)

    def cost(i0: int, i1: int, j0: int, j1: int) -> float:
        if i1 - i0 != 1 or j1 - j0 != 1:
            return dp.INF
        c = scorer(hs[i0], hs[i0] + 1, ht[j0], ht[j0] + 1)
        return c + 0.5 * scorer.length_cost(s_body[i0], t_body[j0])

    found = dp.align(
        len(hs), len(ht), cost, skip=scorer.weights.skip, temperature=scorer.weights.temperature
    )
    return [
        (hs[k.source[0]], ht[k.target[0]], k.confidence, k.cost)
        for k in found
        if k.shape == (1, 1) and k.confidence >= SPLIT_CONFIDENCE
    ]


def _section_lengths(
    blocks: list[Block], headings: list[int], found: Sequence[Anchors]
) -> list[int]:
    ends = [*headings[1:], len(blocks)]
    return [sum(found[k].length for k in range(h, e)) for h, e in zip(headings, ends, strict=True)]


_CJK_STOP = re.compile(r"(?<=[。！？!?])(?=[^。！？!?」』）)\s])")


def split_target_sentences(text: str, language: str) -> list[str]:
    """The sentences of a translated paragraph: the project's splitter, and for languages
    written without spaces a cut after each full stop, question or exclamation mark."""
    from i18n_pipeline.sentences import split_sentences

    out: list[str] = []
    for sentence in split_sentences(text, language):
        if language in UNSPACED:
            out.extend(p for p in _CJK_STOP.split(sentence) if p.strip())
        else:
            out.append(sentence)
    return out


def _sentences(
    source: Sequence[Piece],
    pieces: list[int],
    texts: list[str],
    confidence: float,
    scorer: Scorer,
    language: str,
) -> list[Pair]:
    """Sentence pairs inside a pair of paragraphs."""
    targets = [s for text in texts for s in split_target_sentences(text, language)]
    sa = [anchors(source[i].text) for i in pieces]
    ta = [anchors(t) for t in targets]
    inner = Scorer(sa, ta, target_language=language, ratio=scorer.ratio, weights=scorer.weights)
    w = scorer.weights
    found = dp.align(len(sa), len(ta), inner, skip=w.skip, temperature=w.temperature)
    return [
        Pair(
            tuple(pieces[i] for i in k.source),
            tuple(targets[j] for j in k.target),
            confidence * k.confidence,
        )
        for k in found
        if k.source and k.target
    ]
