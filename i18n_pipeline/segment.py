"""Cutting an article into translatable units: one per block, or one per sentence."""

from __future__ import annotations

from i18n_pipeline.model import Article, Unit

#: Block kinds that are never split into sentences.
WHOLE_KINDS = frozenset({"title", "heading", "attribution"})


def segment(article: Article, mode: str = "paragraph", language: str = "en") -> list[Unit]:
    """The article's units in reading order. ``mode`` is ``paragraph`` or ``sentence``."""
    units: list[Unit] = []
    block_index = 0
    for section in article.sections:
        for block in section.blocks:
            if mode == "sentence" and block.kind not in WHOLE_KINDS:
                from i18n_pipeline.sentences import split_sentences

                pieces = split_sentences(block.text, language)
            else:
                pieces = [block.text]
            for piece in pieces:
                if not piece.strip():
                    continue
                units.append(
                    Unit(
                        text=piece,
                        section=section.index,
                        section_title=section.title,
                        kind=block.kind,
                        line=block.line,
                        position=len(units),
                        role=block.role,
                        block=block_index,
                    )
                )
            block_index += 1
    return units
