"""Helpers for tests of the index: editing catalogs as a translator does, reading the
index back in a form two databases can be compared in, counting what a run does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.po.render import render_po
from i18n_pipeline.store.db import read_scope
from i18n_pipeline.store.models import (
    ArticleRow,
    CatalogFileRow,
    HistoryRow,
    SnapshotRow,
    UnitRow,
    UnitStateRow,
)


def translate(
    path: Path,
    translations: dict[str, str],
    *,
    translator: str | None = None,
    fuzzy: bool = False,
) -> None:
    """Edit a catalog as a translator's editor does: set msgstrs and Last-Translator."""
    catalog = parse_po(path.read_bytes())
    found = set()
    for entry in catalog.entries:
        if entry.msgid in translations and not entry.obsolete:
            entry.msgstr = translations[entry.msgid]
            entry.set_fuzzy(fuzzy)
            found.add(entry.msgid)
    assert found == set(translations), set(translations) - found
    if translator is not None:
        catalog.set_header("Last-Translator", translator)
    path.write_text(render_po(catalog), "utf-8")


def msgids(path: Path, count: int, *, skip: int = 0) -> list[str]:
    """The first ``count`` active msgids of a catalog (after ``skip``)."""
    entries = [e.msgid for e in parse_po(path.read_bytes()).entries if not e.obsolete]
    return entries[skip : skip + count]


def index_state(engine: Engine) -> dict[str, Any]:
    """Everything the index holds, without row ids and times, to compare two databases."""
    with read_scope(engine) as session:
        units = {
            pk: (article, msgid)
            for pk, article, msgid in session.execute(
                select(UnitRow.id, ArticleRow.article_id, UnitRow.msgid).join(
                    ArticleRow, ArticleRow.id == UnitRow.article_pk
                )
            )
        }
        articles = sorted(
            session.execute(select(ArticleRow.article_id, ArticleRow.present, ArticleRow.units))
        )
        unit_rows = Counter(
            (units[pk], active)
            for pk, active in session.execute(select(UnitRow.id, UnitRow.active))
        )
        states = sorted(
            (units[r.unit_pk], r.language, r.state, r.msgstr, r.outdated)
            for r in session.scalars(select(UnitStateRow))
        )
        history = Counter(
            (
                units[r.unit_pk],
                r.language,
                r.cause,
                r.old_state,
                r.new_state,
                r.old_text,
                r.new_text,
                r.translator,
            )
            for r in session.scalars(select(HistoryRow))
        )
        files = sorted(
            session.execute(
                select(CatalogFileRow.path, CatalogFileRow.language, CatalogFileRow.sha256)
            )
        )
        snapshots = Counter(
            session.execute(
                select(SnapshotRow.article_id, SnapshotRow.language, SnapshotRow.translated)
            )
        )
    return {
        "articles": articles,
        "units": unit_rows,
        "states": states,
        "history": history,
        "files": files,
        "snapshots": snapshots,
    }


def history_rows(engine: Engine) -> list[HistoryRow]:
    with read_scope(engine) as session:
        return list(session.scalars(select(HistoryRow).order_by(HistoryRow.id)))


@contextmanager
def counting_writes(engine: Engine) -> Iterator[list[str]]:
    """The INSERT, UPDATE and DELETE statements run on ``engine`` inside the block."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


class Calls:
    """Counts the calls of a wrapped function, and the first argument of each."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, target: str) -> None:
        module_name, name = target.rsplit(".", 1)
        module = __import__(module_name, fromlist=[name])
        self.function = getattr(module, name)
        self.args: list[Any] = []
        monkeypatch.setattr(module, name, self)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.args.append(args)
        return self.function(*args, **kwargs)

    @property
    def count(self) -> int:
        return len(self.args)

    def reset(self) -> None:
        self.args.clear()
