"""``sync``: index the catalogs translators edited, incrementally, and record history.

A catalog whose size and mtime match what the index saw is not opened; one whose bytes
hash the same is not parsed. Deleted catalogs are noticed.
"""

from __future__ import annotations

from sqlalchemy import Engine, select

from i18n_pipeline.config import Config
from i18n_pipeline.errors import CatalogError
from i18n_pipeline.files import project_lock, read_snapshot
from i18n_pipeline.pipeline import Progress, RunResult, catalog_files, relative
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.store import index
from i18n_pipeline.store.db import ensure_schema, session_scope
from i18n_pipeline.store.models import ArticleRow, CatalogFileRow, UnitRow


def sync(config: Config, engine: Engine, *, progress: Progress | None = None) -> RunResult:
    """Index the catalogs translators edited. Unchanged files (same size and mtime, or same
    content hash) are not parsed; deleted catalogs are noticed."""
    result = RunResult()
    with project_lock(config.state_dir, what="sync"):
        ensure_schema(engine)
        files = catalog_files(config)
        with session_scope(engine) as session:
            known = {row.path: row for row in session.scalars(select(CatalogFileRow))}
            articles = {
                row.article_id: row.id
                for row in session.scalars(select(ArticleRow).where(ArticleRow.present.is_(True)))
            }
            seen: set[str] = set()
            changed_articles: set[tuple[str, str]] = set()
            for number, (code, article_id, path) in enumerate(files, start=1):
                if progress:
                    progress("sync", number, len(files))
                shown = relative(config, path)
                seen.add(shown)
                row = known.get(shown)
                try:
                    st = path.stat()
                except FileNotFoundError:
                    continue
                if row is not None and row.size == st.st_size and row.mtime_ns == st.st_mtime_ns:
                    continue
                snap = read_snapshot(path)
                if snap is None:
                    continue
                if row is not None and row.sha256 == snap.sha256:
                    row.mtime_ns, row.size = snap.mtime_ns, snap.size
                    continue
                result.catalogs_read += 1
                try:
                    catalog = parse_po(snap.data, shown)
                except CatalogError as exc:
                    result.errors.append(exc)
                    continue
                article_pk = articles.get(article_id)
                if article_pk is None:
                    continue  # a catalog for an article not ingested (yet): nothing to index
                units = {
                    u.msgid: u
                    for u in session.scalars(select(UnitRow).where(UnitRow.article_pk == article_pk))
                }
                states = {
                    e.msgid: index.entry_state(e) for e in catalog.entries if not e.obsolete
                }
                wanted = {t: u for t, u in units.items() if t in states}
                n = index.apply_states(
                    session, language=code, units=wanted, states=states, cause="translator",
                    translator=catalog.header("Last-Translator") or None,
                )
                result.history += n
                if n:
                    changed_articles.add((article_id, code))
                index.record_catalog_file(
                    session, path=shown, language=code, article_id=article_id, size=snap.size,
                    mtime_ns=snap.mtime_ns, sha256=snap.sha256,
                )
            for shown, row in known.items():
                if shown not in seen and row.language in config.codes:
                    session.delete(row)
                    pk = articles.get(row.article_id)
                    if pk is not None:
                        result.history += index.reset_states(session, pk, row.language)
                        changed_articles.add((row.article_id, row.language))
            result.articles = len({a for a, _ in changed_articles})
        from i18n_pipeline.snapshots import record_snapshots

        record_snapshots(config, engine)  # what ingest changed since the last sync too
    return result
