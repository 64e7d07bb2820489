"""Published translations into the catalogs and the memory."""

from i18n_pipeline.align.structure import AlignSettings, Piece, align_documents

__all__ = ["AlignSettings", "Piece", "align_documents"]
