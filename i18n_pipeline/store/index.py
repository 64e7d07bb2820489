"""Writing the index: articles, sections, units and per-language states, with history.

This is the one module that converts between the domain (:mod:`i18n_pipeline.model`, catalog
entries) and the database rows (:mod:`i18n_pipeline.store.models`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    event,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from i18n_pipeline.model import Article, Language, Unit, count_words
from i18n_pipeline.po.catalog import Entry
from i18n_pipeline.store.models import (
    ArticleRow,
    CatalogFileRow,
    HistoryRow,
    LanguageRow,
    PublicationIssueRow,
    SectionCountRow,
    SectionRow,
    UnitRow,
    UnitStateRow,
    path_under,
    stamp_key,
)


def now() -> datetime:
    return datetime.now(UTC)


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# Section counts ------------------------------------------------------------------------
#
# ``sections.units``/``words`` and ``section_counts`` sum the unit states per section and
# language, for reports. Every function here that changes units or states marks the
# article; the marked articles are counted again, from their units and states, just before
# the transaction commits. So the counts are right whatever the caller did, and an article
# changed a thousand times in one transaction is counted once.

_MARKED = "i18n_recount"


def mark_for_recount(session: Session, article_pks: Iterable[int]) -> None:
    """Have these articles' section counts recomputed when ``session`` commits."""
    session.info.setdefault(_MARKED, set()).update(article_pks)


@event.listens_for(Session, "before_commit")
def _recount_marked(session: Session) -> None:
    marked = session.info.pop(_MARKED, None)
    if marked:
        session.flush()
        recount(session, marked)


@event.listens_for(Session, "after_rollback")
def _forget_marked(session: Session) -> None:
    session.info.pop(_MARKED, None)


def recount(session: Session, article_pks: Iterable[int]) -> None:
    """Compute the section counts of these articles again from their units and states."""
    pks = sorted(set(article_pks))
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        _recount_sections(session, chunk)
        session.execute(delete(SectionCountRow).where(SectionCountRow.article_pk.in_(chunk)))
        session.execute(insert(SectionCountRow).from_select(_COUNT_COLUMNS, _summed_states(chunk)))


def _recount_sections(session: Session, chunk: Sequence[int]) -> None:
    totals = {
        (pk, index): (n, int(words or 0))
        for pk, index, n, words in session.execute(
            select(UnitRow.article_pk, UnitRow.section_index, func.count(), func.sum(UnitRow.words))
            .where(UnitRow.active.is_(True), UnitRow.article_pk.in_(chunk))
            .group_by(UnitRow.article_pk, UnitRow.section_index)
        )
    }
    for row in session.scalars(select(SectionRow).where(SectionRow.article_pk.in_(chunk))):
        units, words = totals.pop((row.article_pk, row.index), (0, 0))
        if (row.units, row.words) != (units, words):
            row.units, row.words = units, words
    session.add_all(  # units in a section the reader no longer has: counted, untitled
        SectionRow(article_pk=pk, index=index, title=None, units=units, words=words)
        for (pk, index), (units, words) in sorted(totals.items())
    )
    session.flush()


_COUNT_COLUMNS = [
    "article_pk",
    "section_index",
    "language",
    "translated",
    "fuzzy",
    "outdated",
    "translated_words",
    "fuzzy_words",
    "outdated_words",
]


def _summed_states(chunk: Sequence[int]) -> Any:
    def total(condition: ColumnElement[bool], value: Any) -> Any:
        return func.coalesce(func.sum(case((condition, value), else_=0)), 0)

    translated = UnitStateRow.state == "translated"
    fuzzy = UnitStateRow.state == "fuzzy"
    outdated = and_(fuzzy, UnitStateRow.outdated.is_(True))
    one = literal(1)
    return (
        select(
            UnitRow.article_pk,
            UnitRow.section_index,
            UnitStateRow.language,
            total(translated, one),
            total(fuzzy, one),
            total(outdated, one),
            total(translated, UnitRow.words),
            total(fuzzy, UnitRow.words),
            total(outdated, UnitRow.words),
        )
        .join(UnitStateRow, UnitStateRow.unit_pk == UnitRow.id)
        .where(
            UnitRow.active.is_(True),
            UnitRow.article_pk.in_(chunk),
            UnitStateRow.state.in_(("translated", "fuzzy")),
        )
        .group_by(UnitRow.article_pk, UnitRow.section_index, UnitStateRow.language)
    )


@dataclass(frozen=True)
class UnitState:
    """What a catalog says of one unit."""

    state: str  # translated, fuzzy, untranslated
    msgstr: str


def entry_state(entry: Entry) -> UnitState:
    text = (
        entry.msgstr
        if entry.msgid_plural is None
        else "\x00".join(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
    )
    return UnitState(entry.state, text)


def sync_languages(session: Session, languages: Sequence[Language]) -> None:
    existing = {row.code: row for row in session.scalars(select(LanguageRow))}
    for lang in languages:
        row = existing.get(lang.code)
        if row is None:
            session.add(LanguageRow(code=lang.code, label=lang.label, name=lang.name))
        elif (row.label, row.name) != (lang.label, lang.name):
            row.label, row.name = lang.label, lang.name


def upsert_article(
    session: Session,
    article: Article,
    units: Sequence[Unit],
    *,
    source_hash: str,
    renamed: Mapping[str, str],
) -> tuple[ArticleRow, dict[str, UnitRow]]:
    """Store the article, its sections and its units; return the unit rows by text.

    ``renamed`` maps a new unit text to the old text it was edited from, so the unit keeps
    its row (and its history) across the edit. Units no longer in the article are kept,
    inactive, with their states.
    """
    meta = article.meta
    words_by_text = {u.text: count_words(u.text) for u in units}
    row = session.scalar(select(ArticleRow).where(ArticleRow.article_id == article.id))
    values: dict[str, object] = dict(
        source_path=article.source_path,
        format=article.format,
        source_hash=source_hash,
        source_language=article.source_language,
        title=meta.title,
        kicker=meta.kicker,
        subtitle=meta.subtitle,
        part=meta.part,
        publication=meta.publication,
        issue=meta.issue,
        date=meta.date,
        tags=" ".join(meta.tags),
        units=len(words_by_text),
        words=sum(words_by_text.values()),
        present=True,
        updated_at=now(),
    )
    if row is None:
        row = ArticleRow(article_id=article.id, **values)
        session.add(row)
        session.flush()
    else:
        for key, value in values.items():
            setattr(row, key, value)

    session.execute(delete(SectionRow).where(SectionRow.article_pk == row.id))
    session.add_all(
        SectionRow(article_pk=row.id, index=s.index, title=s.title) for s in article.sections
    )
    if meta.publication and meta.issue:
        _upsert_issue(session, meta.publication, meta.issue, meta.date, meta.issue_contents)

    existing = {
        u.msgid_hash: u
        for u in session.scalars(select(UnitRow).where(UnitRow.article_pk == row.id))
    }
    first: dict[str, Unit] = {}
    for unit in units:
        first.setdefault(unit.text, unit)
    by_text: dict[str, UnitRow] = {}
    for text, unit in first.items():
        h = text_hash(text)
        unit_row = existing.get(h)
        if unit_row is None and text in renamed:
            candidate = existing.get(text_hash(renamed[text]))
            if candidate is not None and candidate.msgid_hash not in {text_hash(t) for t in first}:
                unit_row = candidate
                del existing[candidate.msgid_hash]
                unit_row.msgid, unit_row.msgid_hash = text, h
                existing[h] = unit_row
        fields: dict[str, object] = dict(
            words=words_by_text[text],
            section_index=unit.section,
            kind=unit.kind,
            position=unit.position,
            line=unit.line,
            active=True,
        )
        if unit_row is None:
            unit_row = UnitRow(article_pk=row.id, msgid=text, msgid_hash=h, **fields)
            session.add(unit_row)
            existing[h] = unit_row
        else:
            for key, value in fields.items():
                if getattr(unit_row, key) != value:
                    setattr(unit_row, key, value)
        by_text[text] = unit_row
    mark_for_recount(session, [row.id])
    live = {id(r) for r in by_text.values()}
    for unit_row in existing.values():
        if id(unit_row) not in live and unit_row.active:
            unit_row.active = False
    session.flush()
    return row, by_text


def active_unit_texts(session: Session, article_id: str) -> list[str]:
    """The texts of the article's units that the index holds as present, in reading order."""
    return list(
        session.scalars(
            select(UnitRow.msgid)
            .join(ArticleRow, ArticleRow.id == UnitRow.article_pk)
            .where(ArticleRow.article_id == article_id, UnitRow.active.is_(True))
            .order_by(UnitRow.position)
        )
    )


def _upsert_issue(
    session: Session, publication: str, issue: str, date: str | None, contents: Iterable[str]
) -> None:
    row = session.scalar(
        select(PublicationIssueRow).where(
            PublicationIssueRow.publication == publication, PublicationIssueRow.issue == issue
        )
    )
    text = "\n".join(contents)
    if row is None:
        session.add(
            PublicationIssueRow(publication=publication, issue=issue, date=date, contents=text)
        )
    else:
        if text:
            row.contents = text
        if date:
            row.date = date


def load_states(
    session: Session, unit_ids: Iterable[int], language: str
) -> dict[int, UnitStateRow]:
    ids = list(unit_ids)
    if not ids:
        return {}
    rows = session.scalars(
        select(UnitStateRow).where(UnitStateRow.language == language, UnitStateRow.unit_pk.in_(ids))
    )
    return {r.unit_pk: r for r in rows}


def load_all_states(
    session: Session, unit_ids: Iterable[int]
) -> dict[str, dict[int, UnitStateRow]]:
    """The states of these units in every language, by language and unit: one query where
    :func:`load_states` for each language would make one each."""
    ids = list(unit_ids)
    out: dict[str, dict[int, UnitStateRow]] = {}
    if ids:
        for row in session.scalars(select(UnitStateRow).where(UnitStateRow.unit_pk.in_(ids))):
            out.setdefault(row.language, {})[row.unit_pk] = row
    return out


def apply_states(
    session: Session,
    *,
    language: str,
    units: Mapping[str, UnitRow],
    states: Mapping[str, UnitState],
    cause: str,
    translator: str | None = None,
    outdated: Iterable[str] = (),
    old_msgids: Mapping[str, str] | None = None,
    current: Mapping[int, UnitStateRow] | None = None,
) -> int:
    """Set each unit's state in ``language``; record a history row for each change.

    ``cause`` names why states changed (``source-edit`` for a merge, ``translator`` for a
    sync); ``outdated`` lists unit texts made fuzzy by a source edit. ``current`` holds the
    units' states in ``language`` when the caller has read them (with
    :func:`load_all_states`) and changed none since. Returns the number of history rows
    written.
    """
    stamp = now()
    outdated_set = set(outdated)
    old_msgids = old_msgids or {}
    if current is None:
        current = load_states(session, (u.id for u in units.values()), language)
    mark_for_recount(session, {u.article_pk for u in units.values()})
    history = 0
    new_rows: list[dict[str, Any]] = []
    new_history: list[dict[str, Any]] = []
    for text, unit_row in units.items():
        new = states.get(text)
        if new is None:
            continue
        row = current.get(unit_row.id)
        is_outdated = text in outdated_set
        if row is None:
            # New states go in with one executemany: a cold ingest writes thousands.
            new_rows.append(
                {
                    "unit_pk": unit_row.id,
                    "language": language,
                    "state": new.state,
                    "msgstr": new.msgstr,
                    "outdated": is_outdated and new.state == "fuzzy",
                    "updated_at": stamp,
                }
            )
            if cause != "source-edit" or is_outdated:
                new_history.append(
                    {
                        "unit_pk": unit_row.id,
                        "language": language,
                        "at": stamp,
                        "cause": cause,
                        "old_state": None,
                        "new_state": new.state,
                        "old_text": None,
                        "new_text": new.msgstr,
                        "translator": translator,
                        "old_msgid": old_msgids.get(text),
                    }
                )
                history += 1
            continue
        if row.state == new.state and row.msgstr == new.msgstr:
            continue
        this_cause = cause
        if row.state == "obsolete":
            this_cause = "revived" if cause == "source-edit" else cause
        session.add(
            _history(
                unit_row.id,
                language,
                stamp,
                this_cause,
                row.state,
                new,
                row.msgstr,
                translator,
                old_msgids.get(text),
            )
        )
        history += 1
        if cause == "source-edit":
            row.outdated = is_outdated and new.state == "fuzzy"
        elif new.state != "fuzzy":
            row.outdated = False
        row.state, row.msgstr, row.updated_at = new.state, new.msgstr, stamp
    if new_rows:
        session.execute(insert(UnitStateRow), new_rows)
    if new_history:
        session.execute(insert(HistoryRow), new_history)
    return history


def obsolete_states(
    session: Session, unit_ids: Iterable[int], *, cause: str = "source-edit"
) -> int:
    """Mark every language's state of these (now inactive) units obsolete, with history."""
    ids = list(unit_ids)
    if not ids:
        return 0
    stamp = now()
    rows = list(
        session.scalars(
            select(UnitStateRow).where(
                UnitStateRow.unit_pk.in_(ids), UnitStateRow.state != "obsolete"
            )
        )
    )
    mark_for_recount(
        session, session.scalars(select(UnitRow.article_pk).where(UnitRow.id.in_(ids)).distinct())
    )
    for row in rows:
        session.add(
            HistoryRow(
                unit_pk=row.unit_pk,
                language=row.language,
                at=stamp,
                cause=cause,
                old_state=row.state,
                new_state="obsolete",
                old_text=row.msgstr,
                new_text=row.msgstr,
            )
        )
        row.state, row.updated_at, row.outdated = "obsolete", stamp, False
    return len(rows)


def _history(
    unit_pk: int,
    language: str,
    at: datetime,
    cause: str,
    old_state: str | None,
    new: UnitState,
    old_text: str | None,
    translator: str | None,
    old_msgid: str | None,
) -> HistoryRow:
    return HistoryRow(
        unit_pk=unit_pk,
        language=language,
        at=at,
        cause=cause,
        old_state=old_state,
        new_state=new.state,
        old_text=old_text,
        new_text=new.msgstr,
        translator=translator,
        old_msgid=old_msgid,
    )


def record_catalog_file(
    session: Session,
    *,
    path: str,
    language: str,
    article_id: str,
    size: int,
    mtime_ns: int,
    sha256: str,
) -> None:
    row = session.get(CatalogFileRow, path)
    stamp = now()
    if row is None:
        session.add(
            CatalogFileRow(
                path=path,
                language=language,
                article_id=article_id,
                size=size,
                mtime_ns=mtime_ns,
                sha256=sha256,
                synced_at=stamp,
            )
        )
    else:
        row.language, row.article_id, row.size, row.mtime_ns, row.sha256 = (
            language,
            article_id,
            size,
            mtime_ns,
            sha256,
        )
        row.synced_at = stamp


def record_catalog_files(session: Session, files: Iterable[IndexedFile]) -> None:
    """:func:`record_catalog_file` for many files, with one query for those known."""
    wanted = {f.path: f for f in files}
    if not wanted:
        return
    stamp = now()
    known = {
        row.path: row
        for row in session.scalars(
            select(CatalogFileRow).where(CatalogFileRow.path.in_(list(wanted)))
        )
    }
    for path, file in wanted.items():
        row = known.get(path)
        if row is None:
            row = CatalogFileRow(path=path)
            session.add(row)
        row.language, row.article_id, row.size, row.mtime_ns, row.sha256 = (
            file.language,
            file.article_id,
            file.size,
            file.mtime_ns,
            file.sha256,
        )
        row.synced_at = stamp


def forget_article(session: Session, article_id: str) -> None:
    """Mark an article whose source file disappeared; its rows and history stay."""
    session.execute(
        update(ArticleRow).where(ArticleRow.article_id == article_id).values(present=False)
    )


def reset_states(session: Session, article_pk: int, language: str) -> int:
    """A catalog was deleted: its units are untranslated again (history records it)."""
    stamp = now()
    mark_for_recount(session, [article_pk])
    rows = session.scalars(
        select(UnitStateRow)
        .join(UnitRow, UnitRow.id == UnitStateRow.unit_pk)
        .where(
            UnitRow.article_pk == article_pk,
            UnitStateRow.language == language,
            UnitStateRow.state.in_(("translated", "fuzzy")),
        )
    ).all()
    for row in rows:
        session.add(
            HistoryRow(
                unit_pk=row.unit_pk,
                language=language,
                at=stamp,
                cause="catalog-deleted",
                old_state=row.state,
                new_state="untranslated",
                old_text=row.msgstr,
                new_text="",
            )
        )
        row.state, row.msgstr, row.outdated, row.updated_at = "untranslated", "", False, stamp
    return len(rows)


def article_fingerprints(session: Session) -> dict[str, str]:
    """Each present article's fingerprint as last ingested."""
    rows = session.execute(
        select(ArticleRow.article_id, ArticleRow.source_hash).where(ArticleRow.present.is_(True))
    )
    return {article_id: digest for article_id, digest in rows}


def article_meta(session: Session) -> dict[str, tuple[str | None, tuple[str, ...], str | None]]:
    """Publication, tags and date of each present article, as last ingested."""
    rows = session.execute(
        select(
            ArticleRow.article_id, ArticleRow.publication, ArticleRow.tags, ArticleRow.date
        ).where(ArticleRow.present.is_(True))
    )
    return {
        article_id: (publication, tuple(tags.split()), date)
        for article_id, publication, tags, date in rows
    }


def catalog_file_stats(
    session: Session, *, article_id: str | None = None
) -> dict[str, tuple[int, int]]:
    """Size and mtime of every file the index last saw (of one article), by path."""
    query = select(CatalogFileRow.path, CatalogFileRow.size, CatalogFileRow.mtime_ns)
    if article_id is not None:
        query = query.where(CatalogFileRow.article_id == article_id)
    rows = session.execute(query)
    return {path: (size, mtime) for path, size, mtime in rows}


@dataclass(frozen=True)
class IndexedFile:
    """What the index last saw of a catalog (or template) file."""

    path: str
    language: str
    article_id: str
    size: int
    mtime_ns: int
    sha256: str


def stamp_keys(
    session: Session, languages: Sequence[str] | None, *, under: Sequence[str] = ()
) -> set[str]:
    """``"path\tsize\tmtime_ns"`` of every file of these languages (None: of every
    language, and the templates; ``under``: only paths that begin with one of those) the
    index has seen:
    a file on disk with the same key is as the index saw it. The keys are made by the
    database, so reading them costs one short string per file."""
    query = select(stamp_key(CatalogFileRow))
    if languages is not None:
        query = query.where(CatalogFileRow.language.in_(languages))
    if under:
        query = query.where(path_under(CatalogFileRow, under))
    return set(session.connection().execute(query).scalars())


def file_hashes(
    session: Session, paths: Sequence[str] | None, *, under: Sequence[str] = ()
) -> dict[str, tuple[int, str]]:
    """``(size, sha256)`` by path of each of ``paths`` the index has seen, or (None) of
    every file whose path begins with one of ``under``."""
    query = select(CatalogFileRow.path, CatalogFileRow.size, CatalogFileRow.sha256)
    if paths is None:
        found = session.execute(query.where(path_under(CatalogFileRow, under)))
        return {path: (size, sha) for path, size, sha in found}
    out: dict[str, tuple[int, str]] = {}
    for start in range(0, len(paths), 2000):
        chunk = paths[start : start + 2000]
        rows = session.execute(query.where(CatalogFileRow.path.in_(chunk)))
        out.update((path, (size, sha)) for path, size, sha in rows)
    return out


def count_files(session: Session) -> int:
    """How many files the index has seen."""
    return session.scalar(select(func.count()).select_from(CatalogFileRow)) or 0


def indexed_files(session: Session, paths: Iterable[str]) -> dict[str, IndexedFile]:
    """The files of ``paths`` that the index has seen, by project-relative path."""
    query = select(
        CatalogFileRow.path,
        CatalogFileRow.language,
        CatalogFileRow.article_id,
        CatalogFileRow.size,
        CatalogFileRow.mtime_ns,
        CatalogFileRow.sha256,
    )
    wanted = list(paths)
    out: dict[str, IndexedFile] = {}
    for start in range(0, len(wanted), 500):
        chunk = query.where(CatalogFileRow.path.in_(wanted[start : start + 500]))
        out.update((row.path, IndexedFile(*row)) for row in session.execute(chunk))
    return out


def present_articles(session: Session) -> dict[str, tuple[int, str]]:
    """Each present article's id → (row id, source path)."""
    rows = session.execute(
        select(ArticleRow.article_id, ArticleRow.id, ArticleRow.source_path).where(
            ArticleRow.present.is_(True)
        )
    )
    return {article_id: (pk, source_path) for article_id, pk, source_path in rows}


def units_by_text(session: Session, article_pk: int) -> dict[str, UnitRow]:
    return {
        u.msgid: u for u in session.scalars(select(UnitRow).where(UnitRow.article_pk == article_pk))
    }


def delete_catalog_file(session: Session, path: str) -> None:
    session.execute(delete(CatalogFileRow).where(CatalogFileRow.path == path))


def renamed_articles(session: Session) -> list[tuple[str, str]]:
    """(old id, new id) of each article whose source disappeared while a present article
    has the same fingerprint (the same bytes under the same settings): a rename.

    Only one-to-one matches count; copies are left alone.
    """
    rows = session.execute(
        select(ArticleRow.article_id, ArticleRow.source_hash, ArticleRow.present)
    )
    gone: dict[str, list[str]] = {}
    here: dict[str, list[str]] = {}
    for article_id, digest, present in rows:
        (here if present else gone).setdefault(digest, []).append(article_id)
    return sorted(
        (old[0], here[digest][0])
        for digest, old in gone.items()
        if len(old) == 1 and len(here.get(digest, ())) == 1
    )


def merge_renamed_article(session: Session, old_id: str, new_id: str) -> None:
    """Fold the row of a renamed article into the row of its new id, keeping the history.

    A unit of the old row whose text the new row has gives its history to that unit; any
    other (an obsolete unit) moves over with its states and history. The old row goes.
    """
    old_pk = session.scalar(select(ArticleRow.id).where(ArticleRow.article_id == old_id))
    new_pk = session.scalar(select(ArticleRow.id).where(ArticleRow.article_id == new_id))
    if old_pk is None or new_pk is None:
        return
    mark_for_recount(session, [new_pk])
    twins: dict[str, int] = {
        digest: pk
        for digest, pk in session.execute(
            select(UnitRow.msgid_hash, UnitRow.id).where(UnitRow.article_pk == new_pk)
        )
    }
    moved: list[int] = []
    for unit_pk, digest in session.execute(
        select(UnitRow.id, UnitRow.msgid_hash).where(UnitRow.article_pk == old_pk)
    ):
        twin = twins.get(digest)
        if twin is None:
            moved.append(unit_pk)
            continue
        session.execute(
            update(HistoryRow).where(HistoryRow.unit_pk == unit_pk).values(unit_pk=twin)
        )
        session.execute(delete(UnitRow).where(UnitRow.id == unit_pk))
    if moved:
        session.execute(update(UnitRow).where(UnitRow.id.in_(moved)).values(article_pk=new_pk))
    session.execute(delete(SectionRow).where(SectionRow.article_pk == old_pk))
    session.execute(delete(SectionCountRow).where(SectionCountRow.article_pk == old_pk))
    session.execute(delete(ArticleRow).where(ArticleRow.id == old_pk))
