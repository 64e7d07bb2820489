"""The main job's stages over a project: ingest (sources → template → catalogs → index)
and sync (catalogs edited by translators → index). The CLI calls these; they never print.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import multiprocessing
import os
import pickle
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from i18n_pipeline.config import Config
from i18n_pipeline.errors import CatalogError, InputError, PipelineError, WorkerError
from i18n_pipeline.files import (
    FileSnapshot,
    atomic_write,
    close_inherited_locks,
    project_lock,
    read_snapshot,
    remove_stale_temporaries,
)
from i18n_pipeline.layout import (
    SourceFile,
    catalog_path,
    discover_sources,
    relative,
    template_path,
)
from i18n_pipeline.merge import match_edits, merge_catalog
from i18n_pipeline.model import Article, Language
from i18n_pipeline.po.catalog import Catalog, Entry
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.po.render import render_po
from i18n_pipeline.read import parse_article
from i18n_pipeline.realign import offer_sentence_translations
from i18n_pipeline.segment import segment
from i18n_pipeline.store import index
from i18n_pipeline.store.db import ensure_schema, session_scope
from i18n_pipeline.store.models import ArticleRow, UnitRow
from i18n_pipeline.template import build_template, po_date
from i18n_pipeline.tm import CatalogPrefill
from i18n_pipeline.workers import available_cpus, can_fork

Progress = Callable[[str, int, int], None]
#: Fills a new catalog (in place) for (catalog, language, article id, source language).
Prefill = Callable[[Catalog, str, str, str], object]


@dataclass
class RunResult:
    """What a stage did, for the CLI to report."""

    articles: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    catalogs_read: int = 0
    history: int = 0
    errors: list[PipelineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_catalog(snapshot: FileSnapshot, display: str) -> Catalog:
    return parse_po(snapshot.data, display)


@dataclass
class PlannedWrite:
    path: Path
    display: str
    data: bytes
    expected: FileSnapshot | None


@dataclass
class ArticlePlan:
    """Everything ingest will change for one article, computed before anything is written."""

    article: Article
    source_hash: str
    units: list
    template_write: PlannedWrite | None
    catalogs: dict[str, tuple[Catalog, list, PlannedWrite | None, FileSnapshot | None]]
    errors: list[PipelineError]
    #: The catalogs as they were on disk, by language, before the merge.
    previous: dict[str, Catalog] = field(default_factory=dict)


def read_article(
    config: Config, source: SourceFile, *, detect_language: bool = True
) -> tuple[Article, FileSnapshot]:
    """The article in ``source`` as the project's settings read it, and the bytes read.

    Without ``detect_language`` the article is taken to be in the source language (or its
    pinned one): cheaper, for callers that need only the metadata."""
    snap = read_snapshot(source.path)
    if snap is None:
        raise InputError("no such file", path=relative(config, source.path))
    article = parse_article(
        snap.data,
        article_id=source.article_id,
        source_path=relative(config, source.path),
        fmt=source.fmt,
        profile=config.site,
        source_language=config.source_language,
        candidates=config.codes if detect_language else (),
        pinned=config.source_languages,
    )
    return article, snap


def plan_article(
    config: Config, source: SourceFile, *, prefill: Prefill | None = None
) -> ArticlePlan:
    """Read, segment and merge one article in memory. ``prefill`` fills the catalogs that
    do not exist yet (from the translation memory)."""
    article, snap = read_article(config, source)
    units = segment(article, config.segmentation, article.source_language)
    errors: list[PipelineError] = []

    tpath = template_path(config, article.id)
    old_tsnap = read_snapshot(tpath)
    old_template: Catalog | None = None
    if old_tsnap is not None:
        old_template = parse_po(old_tsnap.data, relative(config, tpath))
    creation = (old_template.header("POT-Creation-Date") if old_template else None) or po_date()
    template = build_template(article, units, creation_date=creation)
    template_write = None
    unchanged = old_template is not None and same_catalog(old_template, template)
    data = b"" if unchanged else render_po(template).encode("utf-8")
    if old_tsnap is None or (
        not unchanged and old_tsnap.data != data and _semantic_change(old_template, data)
    ):
        if old_tsnap is not None:
            template = build_template(article, units, creation_date=po_date())
            data = render_po(template).encode("utf-8")
        template_write = PlannedWrite(tpath, relative(config, tpath), data, old_tsnap)

    catalogs: dict[str, tuple[Catalog, list, PlannedWrite | None, FileSnapshot | None]] = {}
    previous: dict[str, Catalog] = {}
    for language in config.languages:
        if language.code == article.source_language:
            continue
        path = catalog_path(config, language.code, article.id)
        shown = relative(config, path)
        snap_c = read_snapshot(path)
        try:
            old = parse_po(snap_c.data, shown) if snap_c is not None else None
        except CatalogError as exc:
            errors.append(exc)
            continue
        merged, changes = merge_catalog(old, template, language, threshold=config.fuzzy_threshold)
        changes = offer_sentence_translations(
            old, merged, changes, source_language=article.source_language, language=language.code
        )
        if old is not None:
            previous[language.code] = old
        elif prefill is not None:
            prefill(merged, language.code, article.id, article.source_language)
        write = None
        if old is None or not same_catalog(old, merged):
            rendered = render_po(merged).encode("utf-8")
            if snap_c is None or (snap_c.data != rendered and _semantic_change(old, rendered)):
                write = PlannedWrite(path, shown, rendered, snap_c)
        catalogs[language.code] = (merged, changes, write, snap_c)
    return ArticlePlan(
        article,
        fingerprint(config, snap.data),
        units,
        template_write,
        catalogs,
        errors,
        previous,
    )


def _entry_signature(entry: Entry) -> tuple[object, ...]:
    return (
        entry.msgid,
        entry.msgstr,
        entry.msgctxt,
        entry.msgid_plural,
        entry.msgstr_plural,
        entry.flags,
        entry.translator_comments,
        entry.extracted_comments,
        entry.references,
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.previous_msgid_plural,
        entry.obsolete,
    )


def same_catalog(a: Catalog, b: Catalog) -> bool:
    """Whether two catalogs say the same, whatever lines they were read from: then the
    file need not be rendered again to know it is unchanged."""
    return (
        a.headers == b.headers
        and a.header_comments == b.header_comments
        and a.header_flags == b.header_flags
        and len(a.entries) == len(b.entries)
        and all(
            _entry_signature(x) == _entry_signature(y)
            for x, y in zip(a.entries, b.entries, strict=True)
        )
    )


def _semantic_change(old: Catalog | None, rendered: bytes) -> bool:
    """Whether ``rendered`` says more than another layout of ``old`` (an editor's wrapping).

    A catalog Poedit or Lokalize saved with other line breaks is not rewritten for that.
    """
    return old is None or render_po(old).encode("utf-8") != rendered


#: Raised when the layout of templates or catalogs changes, so every article is redone.
OUTPUT_VERSION = "1"


def fingerprint(config: Config, source: bytes) -> str:
    """What an article's outputs depend on: its bytes and the settings that shape them."""
    site = config.site
    settings = repr(
        (
            OUTPUT_VERSION,
            config.segmentation,
            config.fuzzy_threshold,
            config.source_language,
            [(lang.code, lang.label, lang.plural_forms) for lang in config.languages],
            sorted(config.source_languages.items()),
            site.key,
        )
    ).encode("utf-8")
    return hashlib.sha256(settings + b"\0" + source).hexdigest()


def unchanged_article(
    config: Config,
    source: SourceFile,
    known: dict[str, str],
    files: dict[str, tuple[int, int]],
) -> int | None:
    """The number of catalogs of an article that ingest can skip, or None when it cannot:
    the source and settings are as last ingested and no output file changed since."""
    previous = known.get(source.article_id)
    if previous is None:
        return None
    snap = read_snapshot(source.path)
    if snap is None or fingerprint(config, snap.data) != previous:
        return None
    paths = [template_path(config, source.article_id)] + [
        catalog_path(config, code, source.article_id) for code in config.codes
    ]
    seen = 0
    for path in paths:
        recorded = files.get(relative(config, path))
        try:
            st = path.stat()
        except FileNotFoundError:
            if recorded is None and path.suffix == ".po":
                continue  # a language the article does not need (its own)
            return None
        if recorded != (st.st_size, st.st_mtime_ns):
            return None
        seen += 1
    return seen - 1


def ingest(
    config: Config,
    engine: Engine,
    paths: Sequence[Path] = (),
    *,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> RunResult:
    """Read articles, write their templates, merge every language's catalog, index it all.

    With many articles to do, ``jobs`` worker processes (default: the CPUs this process
    may use) read, merge and write them while this one indexes them, in the same order
    and with the same outcome as one process would; ``jobs=1`` does all here.
    """
    result = RunResult()
    sources = discover_sources(config, paths)
    with project_lock(config.state_dir, what="ingest"):
        ensure_schema(engine)
        remove_stale_temporaries(config.catalogs)
        with session_scope(engine) as session:
            index.sync_languages(session, config.languages)
            known = index.article_fingerprints(session)
            files = index.catalog_file_stats(session)
        skips = [unchanged_article(config, s, known, files) for s in sources]
        todo = [s for s, skipped in zip(sources, skips, strict=True) if skipped is None]
        prefill = _prefill(config, engine, todo)
        with closing(_outcomes(config, engine, todo, prefill, jobs)) as outcomes:
            batch: list[ArticleOutcome] = []
            broken = False
            for number, skipped in enumerate(skips, start=1):
                if progress:
                    progress("ingest", number, len(sources))
                if skipped is not None:
                    result.unchanged += skipped
                    result.articles += 1
                    continue
                if broken:
                    continue
                try:
                    outcome = next(outcomes)
                except WorkerError as exc:
                    result.errors.append(exc)
                    broken = True
                    continue
                if isinstance(outcome, PipelineError):
                    result.errors.append(outcome)
                    continue
                _take(outcome, result)
                if not outcome.refused:
                    batch.append(outcome)
                if len(batch) >= INDEX_BATCH:
                    _index_batch(config, engine, batch, result)
                    batch = []
        _index_batch(config, engine, batch, result)
        if not paths:
            _forget_missing(engine, {s.article_id for s in sources})
    return result


#: Below this many articles to do, all is done in the calling process.
PARALLEL_MIN_ARTICLES = 8
#: Articles a worker process is given at a time.
CHUNK_ARTICLES = 4


def _outcomes(
    config: Config,
    engine: Engine,
    sources: Sequence[SourceFile],
    prefill: Prefill | None,
    jobs: int | None,
) -> Generator[_Outcome, None, None]:
    """Each article planned and written, in the order of ``sources``; in worker processes
    when there are enough of them. Raises :class:`WorkerError` if a worker dies."""
    workers = min(jobs or available_cpus(), math.ceil(len(sources) / CHUNK_ARTICLES))
    if workers <= 1 or len(sources) < PARALLEL_MIN_ARTICLES or not can_fork():
        for source in sources:
            yield _ingest_article(config, source, prefill)
        return
    chunks = iter([sources[i : i + CHUNK_ARTICLES] for i in range(0, len(sources), CHUNK_ARTICLES)])
    # Enough chunks ahead to keep the workers busy while this process indexes a batch,
    # and no more, so that memory stays flat however many articles there are.
    ahead = 2 * workers + math.ceil(INDEX_BATCH / CHUNK_ARTICLES)
    with tempfile.TemporaryDirectory(prefix="i18n-ingest-") as folder:
        numbers = itertools.count()
        # Workers are forked: they inherit the settings and the memory without pickling.
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(config, prefill, engine),
        )

        def submit(chunk: Sequence[SourceFile]) -> tuple[Sequence[SourceFile], Future[str]]:
            out = os.path.join(folder, f"{next(numbers)}.pickle")
            return chunk, pool.submit(_ingest_chunk, chunk, out)

        try:
            pending = deque(submit(chunk) for chunk in itertools.islice(chunks, ahead))
            while pending:
                chunk, future = pending.popleft()
                try:
                    out = future.result()
                except BrokenProcessPool as exc:
                    raise WorkerError(
                        f"a worker process ended unexpectedly ({exc}); this article and the "
                        "others left were not ingested, run ingest again",
                        path=relative(config, chunk[0].path),
                    ) from exc
                pending.extend(submit(chunk) for chunk in itertools.islice(chunks, 1))
                with open(out, "rb") as fh:
                    done: list[_Outcome] = pickle.load(fh)
                os.unlink(out)
                yield from done
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


#: What a worker process plans with: set when it starts.
_worker: tuple[Config, Prefill | None] | None = None


def _start_worker(config: Config, prefill: Prefill | None, engine: Engine) -> None:
    global _worker
    # The parent's connections are not this process's to use or close.
    engine.dispose(close=False)
    close_inherited_locks()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the run
    # A handler the parent installed (to clean up what it started) is not the worker's
    # to run: the executor ends workers with SIGTERM when one of them dies.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker = (config, prefill)


def _ingest_chunk(sources: Sequence[SourceFile], out: str) -> str:
    """Ingest ``sources`` and leave their outcomes in the file ``out``.

    Only the name goes back through the executor's pipe: a message that small is written
    at once, so a worker killed while answering cannot leave the reader waiting for the
    rest of it (it would wait for ever).
    """
    assert _worker is not None, "not in a worker process"
    config, prefill = _worker
    with open(out, "wb") as fh:
        pickle.dump([_ingest_article(config, source, prefill) for source in sources], fh)
    return out


#: Articles indexed in one transaction. Their files are written before it begins, so a
#: run that dies before the commit leaves files the next run finds and indexes again.
INDEX_BATCH = 50


def _prefill(config: Config, engine: Engine, sources: Sequence[SourceFile]) -> Prefill | None:
    """What fills new catalogs from the translation memory (``tm.on_new_catalog``): the
    memory of each language that one of ``sources`` has no catalog in yet, as it is when
    the run starts, so that the order in which articles are planned does not matter."""
    if not config.tm.on_new_catalog:
        return None
    needed = [
        code
        for code in config.codes
        if any(not catalog_path(config, code, s.article_id).exists() for s in sources)
    ]
    return CatalogPrefill(config, engine, needed)


def _indexed_file(
    config: Config, snap: FileSnapshot, language: str, article_id: str
) -> index.IndexedFile:
    """A file as this run left it on disk, for the index (an empty one has no sha256)."""
    digest = snap.sha256 if snap.data else ""
    path = relative(config, snap.path)
    return index.IndexedFile(path, language, article_id, snap.size, snap.mtime_ns, digest)


@dataclass(frozen=True)
class CatalogOutcome:
    """One language's catalog of an article after the run's writes: what the index keeps."""

    language: str
    path: str  # project-relative
    states: dict[str, index.UnitState]
    outdated: list[str]
    old_msgids: dict[str, str]
    #: The file on disk now (None if it went away); its sha256 is empty for an empty file.
    file: index.IndexedFile | None
    #: Size and mtime of the catalog as read before the merge, with what it said (its
    #: states and Last-Translator), when there was one that parsed.
    read: tuple[int, int] | None = None
    previous: dict[str, index.UnitState] | None = None
    translator: str | None = None


@dataclass
class ArticleOutcome:
    """An article whose files are written: what the run reports of it and what the index
    is told. It holds no catalogs, so that worker processes hand it back cheaply."""

    article: Article
    source_hash: str
    units: list
    template: index.IndexedFile | None
    catalogs: list[CatalogOutcome]
    written: list[str]
    unchanged: int
    errors: list[PipelineError]
    #: The template could not be written: nothing of the article is indexed.
    refused: bool = False


_Outcome = ArticleOutcome | PipelineError


def _ingest_article(config: Config, source: SourceFile, prefill: Prefill | None) -> _Outcome:
    try:
        plan = plan_article(config, source, prefill=prefill)
    except PipelineError as exc:
        return exc
    return _write_plan(config, plan)


def _write_plan(config: Config, plan: ArticlePlan) -> ArticleOutcome:
    """Write the template and catalogs of ``plan``; a refused write is an error, and a
    refused template leaves the catalogs alone too."""
    article = plan.article
    outcome = ArticleOutcome(
        article, plan.source_hash, plan.units, None, [], [], 0, list(plan.errors)
    )
    if plan.template_write is not None:
        try:
            _write(plan.template_write, outcome.written)
        except PipelineError as exc:
            outcome.errors.append(exc)
            outcome.refused = True
            return outcome
    tsnap = read_snapshot(template_path(config, article.id))
    if tsnap is not None:
        outcome.template = _indexed_file(config, tsnap, "templates", article.id)
    for code, (merged, changes, write, snap) in plan.catalogs.items():
        if write is not None:
            try:
                _write(write, outcome.written)
            except PipelineError as exc:
                outcome.errors.append(exc)
                continue
        else:
            outcome.unchanged += 1
        path = write.path if write is not None else catalog_path(config, code, article.id)
        written = read_snapshot(write.path) if write is not None else snap
        edited = plan.previous.get(code)
        read = previous = translator = None
        if edited is not None and snap is not None:
            read = (snap.size, snap.mtime_ns)
            previous = _states(edited)
            translator = edited.header("Last-Translator") or None
        outcome.catalogs.append(
            CatalogOutcome(
                language=code,
                path=relative(config, path),
                states=_states(merged),
                outdated=[c.msgid for c in changes if c.cause == "source-edit"],
                old_msgids={c.msgid: c.old_msgid for c in changes if c.old_msgid},
                file=_indexed_file(config, written, code, article.id) if written else None,
                read=read,
                previous=previous,
                translator=translator,
            )
        )
    return outcome


def _states(catalog: Catalog) -> dict[str, index.UnitState]:
    return {e.msgid: index.entry_state(e) for e in catalog.entries if not e.obsolete}


def _take(outcome: ArticleOutcome, result: RunResult) -> None:
    """Count an article's files and errors in ``result``."""
    result.errors.extend(outcome.errors)
    result.written.extend(outcome.written)
    result.unchanged += outcome.unchanged
    result.articles += 1


def _apply_plan(config: Config, engine: Engine, plan: ArticlePlan, result: RunResult) -> None:
    """Write the template and catalogs, then update the index in one transaction."""
    outcome = _write_plan(config, plan)
    result.errors.extend(outcome.errors)
    result.written.extend(outcome.written)
    result.unchanged += outcome.unchanged
    if not outcome.refused:
        _index_batch(config, engine, [outcome], result)


def _index_batch(
    config: Config, engine: Engine, outcomes: Sequence[ArticleOutcome], result: RunResult
) -> None:
    """Index articles whose files are written, in one transaction."""
    if not outcomes:
        return
    with session_scope(engine) as session:
        for outcome in outcomes:
            result.history += _index_article(config, session, outcome)


def _index_article(config: Config, session: Session, outcome: ArticleOutcome) -> int:
    """Store an article, its units and each language's states; returns the history rows."""
    article = outcome.article
    history = 0
    files_seen = index.catalog_file_stats(session, article_id=article.id)
    # Edits are matched against the units the index holds, not the old template: after
    # a run that wrote the template but died before committing, they are still known.
    indexed = index.active_unit_texts(session, article.id)
    renamed = match_edits(indexed, [u.text for u in outcome.units], config.fuzzy_threshold)
    _, unit_rows = index.upsert_article(
        session, article, outcome.units, source_hash=outcome.source_hash, renamed=renamed
    )
    inactive = (
        list(
            session.scalars(
                select(UnitRow.id).where(
                    UnitRow.article_pk == unit_rows[next(iter(unit_rows))].article_pk,
                    UnitRow.active.is_(False),
                )
            )
        )
        if unit_rows
        else []
    )
    current = index.load_all_states(session, (u.id for u in unit_rows.values()))
    for catalog in outcome.catalogs:
        seen = files_seen.get(catalog.path)
        passes: list[tuple[dict[str, index.UnitState], str, str | None, list[str], dict]] = [
            (catalog.states, "source-edit", None, catalog.outdated, catalog.old_msgids)
        ]
        if catalog.previous is not None and seen is not None and seen != catalog.read:
            # A translator changed the catalog since it was indexed: record that as
            # their edit before the merge's changes.
            passes.insert(0, (catalog.previous, "translator", catalog.translator, [], {}))
        for number, (states, cause, translator, outdated, old_msgids) in enumerate(passes):
            history += index.apply_states(
                session,
                language=catalog.language,
                units=unit_rows,
                states=states,
                cause=cause,
                translator=translator,
                outdated=outdated,
                old_msgids=old_msgids,
                # What was read holds until the first pass has changed it.
                current=current.get(catalog.language, {}) if number == 0 else None,
            )
    files = [outcome.template] + [catalog.file for catalog in outcome.catalogs]
    index.record_catalog_files(session, (f for f in files if f is not None))
    return history + index.obsolete_states(session, inactive)


def _write(write: PlannedWrite, written: list[str]) -> None:
    atomic_write(write.path, write.data, expected=write.expected, shown=write.display)
    written.append(write.display)


def _forget_missing(engine: Engine, present: set[str]) -> None:
    with session_scope(engine) as session:
        for row in session.scalars(select(ArticleRow).where(ArticleRow.present.is_(True))):
            if row.article_id not in present:
                row.present = False


def configured_language(config: Config, code: str) -> Language:
    return config.language(code)
