"""Published translations against what the catalogs hold.

``align`` registers, per article and language, the published translation it aligned into
the catalog (the ``published`` table, and the ``published`` field of the coverage JSON:
``{"source", "date", "aligned_units", "aligned_percent"}``). :func:`read_published` is the
one place the reports read it from the index; :func:`published_state` sorts an article's
language into one of three states for the dashboard.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Engine, select

from i18n_pipeline.report.coverage import Publication, publications
from i18n_pipeline.store.db import read_scope
from i18n_pipeline.store.models import ArticleRow

#: A published translation of an article in one language, as ``align`` registered it.
Published = Publication

#: The three states of an article in a language, as the dashboard names them.
FULLY_ALIGNED = "published, fully aligned"
PARTLY_ALIGNED = "published, partly aligned"
NOT_PUBLISHED = "not published"


def read_published(engine: Engine, codes: Collection[str]) -> dict[str, dict[str, Published]]:
    """Per article id, its registered publications in ``codes``."""
    with read_scope(engine) as session:
        found = publications(session, sorted(codes))
        if not found:
            return {}
        rows = session.execute(
            select(ArticleRow.id, ArticleRow.article_id).where(ArticleRow.id.in_(found))
        )
        ids = {pk: article_id for pk, article_id in rows}
    return {ids[pk]: dict(by_language) for pk, by_language in found.items() if pk in ids}


def published_state(published: Published | None) -> str:
    """:data:`FULLY_ALIGNED`, :data:`PARTLY_ALIGNED` or :data:`NOT_PUBLISHED`."""
    if published is None:
        return NOT_PUBLISHED
    return FULLY_ALIGNED if published.aligned_percent >= 100.0 else PARTLY_ALIGNED
