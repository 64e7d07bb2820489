"""What ``align`` did, as text lines and as a JSON object (``--format json``)."""

from __future__ import annotations

import json
from typing import Any

from i18n_pipeline.align.run import AlignResult, DocumentResult


def summary_lines(result: AlignResult, *, dry_run: bool = False) -> list[str]:
    """One line per aligned file, for standard output."""
    lines = []
    for doc in result.documents:
        verb = "would align" if dry_run else "aligned"
        parts = [f"{doc.translated} translated", f"{doc.fuzzy} fuzzy"]
        if doc.applied.unchanged:
            parts.append(f"{len(doc.applied.unchanged)} already there")
        if doc.conflicts:
            parts.append(f"{len(doc.conflicts)} conflict(s)")
        if doc.applied.unsure:
            parts.append(f"{doc.applied.unsure} too unsure to write")
        lines.append(
            f"{doc.catalog}: {verb} {doc.aligned_units} of {doc.units} units "
            f"({doc.aligned_percent:.0f}% of words) from {doc.source}: {', '.join(parts)}"
        )
    return lines


def conflict_lines(result: AlignResult) -> list[str]:
    """One line per conflict, ``path:line: conflict: …``, for standard error."""
    return [
        f"{doc.catalog}:{c.line}: conflict: the catalog has another translation; the "
        f"aligned text ({_short(c.aligned)}) was not written"
        for doc in result.documents
        for c in doc.conflicts
    ]


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def summary_json(result: AlignResult, *, dry_run: bool = False) -> str:
    data = {
        "dry_run": dry_run,
        "documents": [_document(doc) for doc in result.documents],
        "errors": [{"path": e.path, "line": e.line, "message": e.message} for e in result.errors],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _document(doc: DocumentResult) -> dict[str, Any]:
    return {
        "article": doc.article_id,
        "language": doc.language,
        "file": doc.path,
        "source": doc.source,
        "catalog": doc.catalog,
        "date": doc.date,
        "units": doc.units,
        "aligned_units": doc.aligned_units,
        "aligned_percent": doc.aligned_percent,
        "translated": doc.translated,
        "fuzzy": doc.fuzzy,
        "suggestions": sum(1 for w in doc.applied.written if w.covers > 1),
        "unchanged": len(doc.applied.unchanged),
        "unsure": doc.applied.unsure,
        "left_out": doc.left_out,
        "memory_pairs": doc.memory_pairs,
        "written": doc.written,
        "conflicts": [
            {
                "line": c.line,
                "msgid": c.msgid,
                "existing": c.existing,
                "aligned": c.aligned,
                "confidence": round(c.confidence, 3),
            }
            for c in doc.conflicts
        ],
    }
