"""``align``: a published translation of an ingested article into its catalog, the
memory and the index.

For each file: read it with the readers that read sources (its chrome dropped, in its own
language too), make sure it is in the language asked for and is a translation of the
article at all, align it, write the catalog with the usual safe, atomic write, put the
sure pairs into the memory, and record that the article is published in that language.
Any problem with the input is an :class:`InputError` and nothing of that file is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from i18n_pipeline.align.apply import Applied, Conflict, apply_pairs
from i18n_pipeline.align.structure import (
    Alignment,
    AlignSettings,
    Piece,
    align_documents,
)
from i18n_pipeline.align.verdict import not_a_translation
from i18n_pipeline.config import Config
from i18n_pipeline.errors import InputError, PipelineError
from i18n_pipeline.files import FileSnapshot, atomic_write, iter_files, project_lock, read_snapshot
from i18n_pipeline.languages import english_name
from i18n_pipeline.merge import merge_catalog
from i18n_pipeline.model import Article, Block, Unit, count_words, strip_tags
from i18n_pipeline.pipeline import (
    SourceFile,
    catalog_path,
    read_article,
    relative,
    template_path,
)
from i18n_pipeline.po.catalog import Catalog
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.po.render import render_po
from i18n_pipeline.read import FORMATS, read_document, validate_article_id
from i18n_pipeline.segment import segment
from i18n_pipeline.store import index
from i18n_pipeline.store import memory as stored
from i18n_pipeline.store.db import ensure_schema, read_scope, session_scope
from i18n_pipeline.store.models import ArticleRow, PublishedRow
from i18n_pipeline.tmx import TmUnit


@dataclass(frozen=True)
class AlignOptions:
    """One published translation (``article_id`` and ``path``), or a folder of them laid
    out like the sources (``folder``), in ``language``."""

    language: str
    article_id: str | None = None
    path: Path | None = None
    folder: Path | None = None
    url: str | None = None  # where the translation is published, recorded as its source
    dry_run: bool = False
    force: bool = False  # align a file that reads as another language


@dataclass(frozen=True)
class DocumentResult:
    """What aligning one published translation did (or, in a dry run, would do)."""

    article_id: str
    language: str
    path: str  # the published file, as shown
    source: str  # the file, or the URL given, as recorded
    catalog: str
    date: str | None
    units: int
    words: int
    aligned_units: int
    aligned_words: int
    applied: Applied
    left_out: int  # paragraphs of the translation not paired with the article
    ratio: float
    memory_pairs: int
    written: bool

    @property
    def aligned_percent(self) -> float:
        return round(100.0 * self.aligned_words / self.words, 1) if self.words else 100.0

    @property
    def translated(self) -> int:
        return sum(w.state == "translated" for w in self.applied.written)

    @property
    def fuzzy(self) -> int:
        return sum(w.state == "fuzzy" for w in self.applied.written)

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return self.applied.conflicts


@dataclass
class AlignResult:
    documents: list[DocumentResult] = field(default_factory=list)
    errors: list[PipelineError] = field(default_factory=list)


def align(config: Config, engine: Engine, options: AlignOptions) -> AlignResult:
    """Align one published translation, or every one in a folder, into the project."""
    language = config.language(options.language)
    if language.code == config.source_language:
        raise InputError(
            f"'{language.code}' is the source language; give the language of the translation"
        )
    if options.folder is not None:
        if not options.folder.is_dir():
            raise InputError("no such folder", path=str(options.folder))
        jobs = [
            (path.relative_to(options.folder).with_suffix("").as_posix(), path)
            for path in iter_files(options.folder, tuple(FORMATS))
        ]
    elif options.article_id is not None and options.path is not None:
        jobs = [(options.article_id, options.path)]
    else:
        raise InputError("give an article id and a file, or a folder")
    result = AlignResult()
    ensure_schema(engine)
    with project_lock(config.state_dir, what="align"):
        for article_id, path in jobs:
            try:
                result.documents.append(_align_file(config, engine, options, article_id, path))
            except PipelineError as exc:
                result.errors.append(exc)
    return result


def _align_file(
    config: Config, engine: Engine, options: AlignOptions, article_id: str, path: Path
) -> DocumentResult:
    code = options.language
    shown = relative(config, path)
    origin = options.url if options.url and options.folder is None else shown
    snap = read_snapshot(path)
    if snap is None:
        raise InputError("no such file", path=shown)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"unknown format '{path.suffix}' (expected {', '.join(FORMATS)})", path=shown
        )
    validate_article_id(article_id, path=shown)
    source = _source_file(config, article_id, shown)
    translation = read_document(
        snap.data,
        article_id=article_id,
        source_path=shown,
        fmt=fmt,
        profile=config.site.for_language(code),
    )
    blocks = [block for _, block in translation.blocks()]
    if not blocks:
        raise InputError("no text to align (only site chrome or blank lines)", path=shown)
    if not options.force:
        _check_language(config, code, blocks, shown)

    article, _ = read_article(config, source)
    units = segment(article, config.segmentation, article.source_language)
    catalog, catalog_snap, cpath = _catalog(config, code, article, units)
    with read_scope(engine) as session:
        memory = _memory(session, config, code, article, units, catalog)
    settings = AlignSettings(accept=config.align.accept / 100, minimum=config.align.minimum / 100)
    alignment = align_documents(
        [Piece(u.text, u.kind, u.block) for u in units],
        [Piece(b.text, b.kind, n) for n, b in enumerate(blocks)],
        target_language=code,
        sentences=config.segmentation == "sentence",
        settings=settings,
        memory=memory,
    )
    _check_translation(alignment, units, code, shown, settings.minimum)
    applied = apply_pairs(
        catalog,
        units,
        alignment.pairs,
        origin=origin,
        language=code,
        accept=settings.accept,
        minimum=settings.minimum,
    )
    covered_texts = {units[i].text for i in applied.covered}
    words = sum(count_words(u.text) for u in units)
    aligned_words = sum(count_words(u.text) for u in units if u.text in covered_texts)
    aligned_units = sum(1 for u in units if u.text in covered_texts)
    pairs = _memory_pairs(alignment, units, article.source_language, code, origin, settings)
    result = DocumentResult(
        article_id=article.id,
        language=code,
        path=shown,
        source=origin,
        catalog=relative(config, cpath),
        date=translation.meta.date,
        units=len(units),
        words=words,
        aligned_units=aligned_units,
        aligned_words=aligned_words,
        applied=applied,
        left_out=len(alignment.unlinked_target),
        ratio=alignment.ratio,
        memory_pairs=len(pairs),
        written=False,
    )
    if options.dry_run:
        return result
    if applied.written:
        data = render_po(catalog).encode("utf-8")
        atomic_write(cpath, data, expected=catalog_snap, shown=result.catalog)
        if applied.conflicts:  # their lines in the file as written
            lines = {e.msgid: e.line for e in parse_po(data, result.catalog).entries}
            conflicts = tuple(replace(c, line=lines[c.msgid]) for c in applied.conflicts)
            result = replace(result, applied=replace(applied, conflicts=conflicts))
    with session_scope(engine) as session:
        _record(session, result, catalog, pairs)
    return replace(result, written=bool(applied.written))


def _source_file(config: Config, article_id: str, shown: str) -> SourceFile:
    """The source of an ingested article; an error naming the file otherwise."""
    for suffix, fmt in FORMATS.items():
        candidate = config.sources / f"{article_id}{suffix}"
        if candidate.is_file() and template_path(config, article_id).is_file():
            return SourceFile(candidate, article_id, fmt)
    sources = relative(config, config.sources)
    raise InputError(
        f"unknown article '{article_id}': no ingested article of that id under {sources}/",
        path=shown,
    )


def _check_language(config: Config, code: str, blocks: Sequence[Block], shown: str) -> None:
    """Refuse a file that reads, surely, as another language than ``code``."""
    from i18n_pipeline.checks.language import LanguageDetector

    texts = [strip_tags(b.text) for b in blocks if b.kind in ("paragraph", "quote", "list-item")]
    sample = " ".join(texts)[:4000]
    candidates = tuple(c for c in config.codes if c != config.source_language)
    try:
        detector = LanguageDetector(candidates, config.source_language, name_share=1.0)
    except ValueError:
        return  # a language without a model: nothing to compare with
    found = detector.analyse(sample, code)
    wrong = detector.judge(found, code) if code in detector.languages else None
    if wrong is not None:
        raise InputError(
            f"the file reads as {english_name(wrong)} ({wrong}), not {english_name(code)} "
            f"({code}); give --force to align it anyway",
            path=shown,
        )


def _check_translation(
    alignment: Alignment, units: Sequence[Unit], code: str, shown: str, minimum: float
) -> None:
    reasons = not_a_translation(alignment, [u.text for u in units], code, minimum=minimum)
    if reasons:
        raise InputError(
            "not a translation of the article (" + "; ".join(reasons) + "); nothing written",
            path=shown,
        )


def _catalog(
    config: Config, code: str, article: Article, units: Sequence[Unit]
) -> tuple[Catalog, FileSnapshot | None, Path]:
    """The article's catalog in ``code`` as on disk (a fresh one from the template when
    there is none yet), its snapshot, and its path."""
    tpath = template_path(config, article.id)
    tsnap = read_snapshot(tpath)
    if tsnap is None:
        raise InputError("not ingested yet: run ingest first", path=article.source_path)
    template = parse_po(tsnap.data, relative(config, tpath))
    cpath = catalog_path(config, code, article.id)
    snap = read_snapshot(cpath)
    shown = relative(config, cpath)
    if snap is not None:
        catalog = parse_po(snap.data, shown)
    else:
        catalog, _ = merge_catalog(
            None, template, config.language(code), threshold=config.fuzzy_threshold
        )
    known = {e.msgid for e in catalog.entries if not e.obsolete}
    missing = [u for u in units if u.text not in known]
    if missing:
        raise InputError(
            "the article changed since it was ingested (its catalog lacks the unit at line "
            f"{missing[0].line}); run ingest first",
            path=article.source_path,
        )
    return catalog, snap, cpath


def _memory(
    session: Session,
    config: Config,
    code: str,
    article: Article,
    units: Sequence[Unit],
    catalog: Catalog,
) -> dict[int, str]:
    """Known translations of the article's units, by unit: the catalog's own, else the
    memory's best match."""
    from i18n_pipeline.tm import load_memory

    entries = catalog.by_key()
    known: dict[int, str] = {}
    for i, unit in enumerate(units):
        entry = entries.get((None, unit.text))
        if entry is not None and entry.translated and entry.msgid_plural is None:
            known[i] = entry.msgstr
    memory, _ = load_memory(session, config, code, article.source_language)
    if len(memory):
        for i, unit in enumerate(units):
            if i not in known:
                match = memory.lookup(unit.text, threshold=config.tm.fuzzy_threshold)
                if match is not None:
                    known[i] = match.unit.target
    return known


def _memory_pairs(
    alignment: Alignment,
    units: Sequence[Unit],
    source_language: str,
    code: str,
    origin: str,
    settings: AlignSettings,
) -> list[TmUnit]:
    """The one-to-one pairs the aligner is sure of, for the memory."""
    return [
        TmUnit(units[p.source[0]].text, p.target[0], source_language, code, origin=origin)
        for p in alignment.pairs
        if len(p.source) == 1 and len(p.target) == 1 and p.confidence >= settings.accept
    ]


def _record(
    session: Session, result: DocumentResult, catalog: Catalog, pairs: Sequence[TmUnit]
) -> None:
    """The new states, the memory's pairs and the registration, in one transaction."""
    article = session.scalar(select(ArticleRow).where(ArticleRow.article_id == result.article_id))
    if article is None:
        return  # ingested files not indexed yet: the next sync indexes the catalog
    written = {w.msgid for w in result.applied.written}
    if written:
        rows = index.units_by_text(session, article.id)
        index.apply_states(
            session,
            language=result.language,
            units={text: row for text, row in rows.items() if text in written and row.active},
            states={e.msgid: index.entry_state(e) for e in catalog.entries if e.msgid in written},
            cause="align",
        )
    stored.store_pairs(session, pairs)
    row = session.scalar(
        select(PublishedRow).where(
            PublishedRow.article_pk == article.id, PublishedRow.language == result.language
        )
    )
    if row is None:
        row = PublishedRow(article_pk=article.id, language=result.language)
        session.add(row)
    row.source = result.source
    row.date = result.date
    row.aligned_units = result.aligned_units
    row.aligned_words = result.aligned_words
    row.aligned_percent = result.aligned_percent
    row.aligned_at = index.now()
