"""Published translations against what the catalogs hold.

``align`` registers, per article and language, the published translation it aligned into
the catalog (the ``published`` table, and the ``published`` field of the coverage JSON:
``{"source", "date", "aligned_units", "aligned_percent"}``). :func:`read_published` is the
one place the reports read it from the index; :func:`published_state` sorts an article's
language into one of three states for the dashboard.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, column, inspect, select, table

from i18n_pipeline.store.db import read_scope

#: The columns of the ``published`` table that the reports read.
_PUBLISHED = table(
    "published",
    column("article_pk"),
    column("language"),
    column("source"),
    column("date"),
    column("aligned_units"),
    column("aligned_percent"),
)
_ARTICLES = table("articles", column("id"), column("article_id"))

#: The three states of an article in a language, as the dashboard names them.
FULLY_ALIGNED = "published, fully aligned"
PARTLY_ALIGNED = "published, partly aligned"
NOT_PUBLISHED = "not published"


@dataclass(frozen=True)
class Published:
    """A published translation of an article in one language, as ``align`` registered it."""

    source: str
    date: str | None
    aligned_units: int
    aligned_percent: float

    def as_dict(self) -> dict[str, Any]:
        """The contract's ``published[code]`` object."""
        return {
            "source": self.source,
            "date": self.date,
            "aligned_units": self.aligned_units,
            "aligned_percent": self.aligned_percent,
        }


def read_published(engine: Engine, codes: Collection[str]) -> dict[str, dict[str, Published]]:
    """Per article id, its registered publications in ``codes``; empty while the index
    has no ``published`` table (before the migration that adds it)."""
    if not inspect(engine).has_table("published"):
        return {}
    query = (
        select(
            _ARTICLES.c.article_id,
            _PUBLISHED.c.language,
            _PUBLISHED.c.source,
            _PUBLISHED.c.date,
            _PUBLISHED.c.aligned_units,
            _PUBLISHED.c.aligned_percent,
        )
        .join(_ARTICLES, _ARTICLES.c.id == _PUBLISHED.c.article_pk)
        .where(_PUBLISHED.c.language.in_(sorted(codes)))
    )
    out: dict[str, dict[str, Published]] = {}
    with read_scope(engine) as session:
        for article_id, code, source, date, units, percent in session.execute(query):
            out.setdefault(article_id, {})[code] = Published(
                str(source), date, int(units or 0), float(percent or 0.0)
            )
    return out


def published_from_json(article: Mapping[str, Any]) -> dict[str, Published]:
    """An article's ``published`` field of the coverage JSON, read back."""
    return {
        code: Published(
            str(p.get("source", "")),
            p.get("date"),
            int(p.get("aligned_units", 0)),
            float(p.get("aligned_percent", 0.0)),
        )
        for code, p in (article.get("published") or {}).items()
    }


def published_state(published: Published | None) -> str:
    """:data:`FULLY_ALIGNED`, :data:`PARTLY_ALIGNED` or :data:`NOT_PUBLISHED`."""
    if published is None:
        return NOT_PUBLISHED
    return FULLY_ALIGNED if published.aligned_percent >= 100.0 else PARTLY_ALIGNED
