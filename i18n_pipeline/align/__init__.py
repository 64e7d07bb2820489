"""Published translations into the catalogs and the memory.

:func:`align` is the entry point: one published translation of an ingested article, or a
folder of them, aligned into the article's catalog, the translation memory and the index.
The alignment itself (:mod:`.structure`, :mod:`.score`, :mod:`.dp`) is pure: units and
blocks in, pairs out.
"""

from i18n_pipeline.align.run import AlignOptions, AlignResult, DocumentResult, align
from i18n_pipeline.align.structure import AlignSettings, Piece, align_documents

__all__ = [
    "AlignOptions",
    "AlignResult",
    "AlignSettings",
    "DocumentResult",
    "Piece",
    "align",
    "align_documents",
]
