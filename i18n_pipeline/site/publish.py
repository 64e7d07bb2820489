"""Aligning a published translation that ``fetch`` stored: the one call into ``align``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from i18n_pipeline.align import AlignOptions, align
from i18n_pipeline.config import Config


@dataclass(frozen=True)
class Aligned:
    """What aligning one published translation did."""

    article_id: str
    language: str
    path: str  # the published file, as shown
    catalog: str
    units: int
    aligned_units: int
    aligned_percent: float


def align_published(
    config: Config, engine: Engine, *, language: str, article_id: str, path: Path, url: str
) -> Aligned:
    """Align the translation in ``path`` (published at ``url``, recorded as its source)
    into the article's catalog and the memory, and register the article as published in
    ``language``. Whatever align refuses is raised as its error."""
    result = align(
        config, engine, AlignOptions(language=language, article_id=article_id, path=path, url=url)
    )
    if result.errors:
        raise result.errors[0]
    doc = result.documents[0]
    return Aligned(
        article_id=doc.article_id,
        language=doc.language,
        path=doc.path,
        catalog=doc.catalog,
        units=doc.units,
        aligned_units=doc.aligned_units,
        aligned_percent=doc.aligned_percent,
    )
