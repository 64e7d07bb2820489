"""``sync``: index the catalogs translators edited, incrementally, and record history.

Sync works in two steps.

1. The scan reads, and takes no lock. A catalog whose size and mtime are what the index
   saw is not opened; one whose bytes hash the same is not parsed (only its new size and
   mtime are noted); a catalog of an article the index does not hold (not ingested yet,
   or whose source is gone) is left for ingest. Catalogs the index knows that are no
   longer on disk, and articles whose source file is gone, are noted. Templates are
   walked too, only so that one whose bytes are unchanged takes its new size and mtime
   (after a fresh clone, which gives every file a new mtime); adding, changing or removing
   a template is ingest's.
2. One write transaction applies what the scan found. It holds the database's write lock
   and checks each change against the index as it is then, so that a change another
   process applied in the meantime is not applied twice. Each translator edit becomes a
   history row (unit, language, old and new state and text, time, ``Last-Translator``).
   A deleted catalog makes its units untranslated again, with history. An article
   renamed without a change (its new id has the same fingerprint as a vanished one) is
   folded into the new id, with its history.

A run that finds nothing changed writes nothing and reads no catalog. On PostgreSQL, a
sync holds the database's run lock throughout, so syncs from two checkouts take turns.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from i18n_pipeline.config import Config
from i18n_pipeline.errors import CatalogError
from i18n_pipeline.files import file_stamps, project_lock, read_snapshot
from i18n_pipeline.layout import relative
from i18n_pipeline.pipeline import Progress, RunResult
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.store import index
from i18n_pipeline.store.db import ensure_schema, exclusive_run, read_scope, run_write
from i18n_pipeline.workers import fork_pays

#: Changed catalogs written per transaction: bounds a sync's memory (the rows a batch loads),
#: not its outcome. 100 keeps a first sync of 1,000 articles 90 MB lower than 500, at the
#: same speed.
BATCH = 100


@dataclass
class SyncResult(RunResult):
    """What sync did. ``catalogs_read`` counts the catalogs parsed."""

    opened: int = 0  # catalogs whose bytes were read: size or mtime had changed
    deleted: list[str] = field(default_factory=list)  # catalogs gone from disk
    missing_articles: list[str] = field(default_factory=list)  # sources gone from disk
    renamed_articles: list[tuple[str, str]] = field(default_factory=list)  # (old, new) ids
    waiting: int = 0  # catalogs of articles the index does not hold: ingest's business


@dataclass(frozen=True)
class CatalogEdit:
    """A catalog whose bytes, or only whose size or mtime, differ from what the index saw."""

    file: index.IndexedFile  # as it is on disk now
    parsed: bool = True  # False: the same bytes as indexed, only the size or mtime differ
    states: dict[str, index.UnitState] = field(default_factory=dict)
    translator: str | None = None


@dataclass
class SyncPlan:
    """What the scan found to write; empty when nothing changed."""

    edits: list[CatalogEdit] = field(default_factory=list)
    touched: list[CatalogEdit] = field(default_factory=list)  # same bytes, new size or mtime
    deleted: list[index.IndexedFile] = field(default_factory=list)
    missing_articles: list[str] = field(default_factory=list)
    renamed_articles: list[tuple[str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (self.edits, self.touched, self.deleted, self.missing_articles, self.renamed_articles)
        )


def sync(config: Config, engine: Engine, *, progress: Progress | None = None) -> SyncResult:
    """Index the catalogs translators edited and record their history (see the module)."""
    result = SyncResult()
    with project_lock(config.state_dir, what="sync"), exclusive_run(engine):
        ensure_schema(engine)
        with read_scope(engine) as session:
            articles = index.present_articles(session)
            renamed = index.renamed_articles(session)
            indexed = index.count_files(session)
        changed: set[tuple[str, str]] = set()

        def write(part: SyncPlan) -> None:
            if not part:
                return
            done = SyncResult()
            changed.update(run_write(engine, lambda session: apply(session, part, done)))
            result.history += done.history
            result.deleted += done.deleted
            result.missing_articles += done.missing_articles
            result.renamed_articles += done.renamed_articles

        def rows(paths: list[str]) -> dict[str, index.IndexedFile]:
            with read_scope(engine) as session:
                return index.indexed_files(session, paths)

        plan = SyncPlan()
        root = str(config.root)
        for article_id, (_, source_path) in sorted(articles.items()):
            if not os.path.exists(os.path.join(root, source_path)):
                plan.missing_articles.append(article_id)
        present = articles.keys() - set(plan.missing_articles)
        found = walk(config, engine, present, parallel=indexed >= PARALLEL_FILES)
        if progress:
            progress("sync: scan", 1, 1)
        result.waiting += found.waiting
        plan = read_changed(config, found, plan, result, rows, progress=progress, write=write)
        plan.renamed_articles = renamed
        write(plan)
        result.articles = len({article_id for article_id, _ in changed})
        from i18n_pipeline.snapshots import record_snapshots

        record_snapshots(config, engine, changed)  # and what ingest or tm changed
    return result


#: The index's language of template rows: sync gives a template whose bytes are unchanged
#: its new size and mtime (after a fresh clone), and leaves any other change to ingest.
TEMPLATES = "templates"

#: From this many catalogs in the index, two processes compare the disk with it.
PARALLEL_FILES = 20_000


@dataclass
class Walk:
    """What a walk of the catalog folders found against the index."""

    #: (path, path as shown, language, article id) whose size or mtime are not the index's
    suspects: list[tuple[str, str, str, str]] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)  # indexed, no longer on disk
    waiting: int = 0  # catalogs of articles the index does not hold


def walk(config: Config, engine: Engine, present: Collection[str], *, parallel: bool) -> Walk:
    """Walk the configured languages' catalog folders and compare each file's size and
    mtime with the index's. With ``parallel`` (a large index, and a machine with more
    than one processor that can fork), a second process takes half the languages: both
    the walk and the index rows they are compared with are split."""
    codes = [*config.codes, TEMPLATES]
    if not (parallel and len(codes) > 1 and fork_pays()):
        return _walk_languages(config, engine, codes, present)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    url = engine.url.render_as_string(hide_password=False)
    half = len(codes) // 2  # the larger half, the templates with it: this process's
    theirs, mine = codes[:half], codes[half:]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        other = pool.submit(_walk_in_child, config, url, theirs, present)
        found = _walk_languages(config, engine, mine, present)
        part = other.result()
    found.suspects += part.suspects
    found.vanished += part.vanished
    found.waiting += part.waiting
    return found


def _walk_in_child(config: Config, url: str, codes: list[str], present: Collection[str]) -> Walk:
    from i18n_pipeline.store.db import make_engine

    engine = make_engine(url)  # the parent's connections stay the parent's
    try:
        return _walk_languages(config, engine, codes, present)
    finally:
        engine.dispose()


def _walk_languages(
    config: Config, engine: Engine, codes: list[str], present: Collection[str]
) -> Walk:
    """Compare what is on disk with the index as two sets of "path, size, mtime" keys
    (:func:`index.stamp_keys`): only the keys in one set and not in the other need a look,
    and a set difference finds them without a step per file."""
    with read_scope(engine) as session:
        recorded = index.stamp_keys(session, codes)
    found = Walk()
    on_disk: list[str] = []
    waiting: set[str] = set()
    folders = {}
    for code in codes:
        folder = str(config.templates if code == TEMPLATES else config.catalogs / code)
        suffix = ".pot" if code == TEMPLATES else ".po"
        shown = relative(config, Path(folder))
        folders[shown] = (code, folder)
        start = len(folder) + 1
        for path, size, mtime_ns in file_stamps(folder, suffix):
            article_id = path[start : -len(suffix)]
            if os.sep != "/":
                article_id = article_id.replace(os.sep, "/")
            if article_id in present:
                on_disk.append(f"{shown}/{article_id}{suffix}\t{size}\t{mtime_ns}")
            elif code != TEMPLATES:  # a template without its article: ingest's to remove
                waiting.add(f"{shown}/{article_id}{suffix}")
    found.waiting = len(waiting)
    disk = set(on_disk)
    changed = {key.rsplit("\t", 2)[0] for key in disk - recorded}
    for shown in changed:
        prefix, _, rest = shown.partition("/")
        while prefix not in folders:  # the language folder's shown path, then the article
            head, _, rest = rest.partition("/")
            prefix = f"{prefix}/{head}"
        code, folder = folders[prefix]
        suffix = ".pot" if code == TEMPLATES else ".po"
        article_id = rest[: -len(suffix)]
        path = os.path.join(folder, *article_id.split("/")) + suffix
        found.suspects.append((path, shown, code, article_id))
    gone = {key.rsplit("\t", 2)[0] for key in recorded - disk}
    # a template gone from disk is ingest's to notice; only catalogs are forgotten here
    found.vanished = sorted(g for g in gone - changed - waiting if not g.endswith(".pot"))
    return found


def read_changed(
    config: Config,
    found: Walk,
    plan: SyncPlan,
    result: SyncResult,
    rows: Callable[[list[str]], dict[str, index.IndexedFile]],
    *,
    progress: Progress | None = None,
    write: Callable[[SyncPlan], None] | None = None,
) -> SyncPlan:
    """Read the catalogs the walk suspects; parse those whose bytes changed. ``rows`` gives
    the index's whole rows of some files: it is asked for a batch at a time.

    With ``write``, every :data:`BATCH` changed catalogs are handed to it as a plan of
    their own, so that memory stays flat however many catalogs changed; what is left
    (with the deleted catalogs) is returned."""
    suspects = sorted(found.suspects, key=lambda suspect: suspect[1].split("/"))
    found.suspects = []
    known: dict[str, index.IndexedFile] = {}
    loaded: set[str] = set()
    for number, (path, shown, code, article_id) in enumerate(suspects, start=1):
        if progress:
            progress("sync: read", number, len(suspects))
        if shown not in loaded:  # the index's rows of the next batch of suspects
            batch = [s for _, s, _, _ in suspects[number - 1 : number - 1 + BATCH]]
            known, loaded = rows(batch), set(batch)
        edit = _read_if_changed(Path(path), shown, code, article_id, known.get(shown), result)
        if edit is None:
            continue
        (plan.edits if edit.parsed else plan.touched).append(edit)
        if write is not None and len(plan.edits) + len(plan.touched) >= BATCH:
            write(plan)
            plan = SyncPlan()
    vanished = sorted(found.vanished)
    deleted = rows(vanished)
    plan.deleted = [deleted[path] for path in vanished if path in deleted]
    return plan


def _read_if_changed(
    path: Path,
    shown: str,
    code: str,
    article_id: str,
    row: index.IndexedFile | None,
    result: SyncResult,
) -> CatalogEdit | None:
    """The catalog's states when its bytes changed; an unparsed edit when only its size or
    mtime did; None when it is as the index saw it (or unreadable: then in ``result``)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    if row is not None and (row.size, row.mtime_ns) == (st.st_size, st.st_mtime_ns):
        return None
    snap = read_snapshot(path)
    if snap is None:
        return None
    result.opened += 1
    on_disk = index.IndexedFile(shown, code, article_id, snap.size, snap.mtime_ns, snap.sha256)
    if row is not None and row.sha256 == snap.sha256:
        return CatalogEdit(on_disk, parsed=False)
    if code == TEMPLATES:
        return None  # a template's bytes are ingest's to change
    result.catalogs_read += 1
    try:
        catalog = parse_po(snap.data, shown)
    except CatalogError as exc:
        result.errors.append(exc)
        return None
    return CatalogEdit(
        on_disk,
        states={e.msgid: index.entry_state(e) for e in catalog.entries if not e.obsolete},
        translator=catalog.header("Last-Translator") or None,
    )


def apply(session: Session, plan: SyncPlan, result: SyncResult) -> set[tuple[str, str]]:
    """Write what the scan found, checked against the index as it is now (under the write
    lock). Returns the (article, language) pairs whose states changed.

    It may run again after a conflict, so it sets, rather than adds to, the counts it keeps.
    """
    known = index.indexed_files(
        session, [e.file.path for e in plan.touched + plan.edits] + [g.path for g in plan.deleted]
    )
    articles = index.present_articles(session)
    changed: set[tuple[str, str]] = set()
    result.history = 0
    result.missing_articles = [a for a in plan.missing_articles if a in articles]
    for article_id in result.missing_articles:
        index.forget_article(session, article_id)
        del articles[article_id]
    result.renamed_articles = []
    for old, new in plan.renamed_articles:
        if old not in articles and new in articles:
            index.merge_renamed_article(session, old, new)
            result.renamed_articles.append((old, new))
    for edit in plan.touched + plan.edits:
        on_disk = edit.file
        row = known.get(on_disk.path)
        if row is not None and row.sha256 == on_disk.sha256:
            if (row.size, row.mtime_ns) != (on_disk.size, on_disk.mtime_ns):
                _record(session, on_disk)
            continue  # as the index holds it: only touched, or applied by another process
        if not edit.parsed or on_disk.article_id not in articles:
            continue  # the index changed under the scan; the next sync looks again
        units = index.units_by_text(session, articles[on_disk.article_id][0])
        written = index.apply_states(
            session,
            language=on_disk.language,
            units={text: unit for text, unit in units.items() if text in edit.states},
            states=edit.states,
            cause="translator",
            translator=edit.translator,
        )
        result.history += written
        if written:
            changed.add((on_disk.article_id, on_disk.language))
        _record(session, on_disk)
    result.deleted = []
    for gone in plan.deleted:
        if gone.path not in known:
            continue  # another process noticed first
        index.delete_catalog_file(session, gone.path)
        result.deleted.append(gone.path)
        owner = articles.get(gone.article_id)
        if owner is not None:
            written = index.reset_states(session, owner[0], gone.language)
            result.history += written
            if written:
                changed.add((gone.article_id, gone.language))
    return changed


def _record(session: Session, file: index.IndexedFile) -> None:
    index.record_catalog_file(
        session,
        path=file.path,
        language=file.language,
        article_id=file.article_id,
        size=file.size,
        mtime_ns=file.mtime_ns,
        sha256=file.sha256,
    )
