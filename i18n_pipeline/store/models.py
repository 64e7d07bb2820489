"""SQLAlchemy 2.0 typed models. The schema changes only through Alembic migrations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    cast,
    func,
    or_,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class LanguageRow(Base):
    __tablename__ = "languages"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(String(500), unique=True)
    source_path: Mapped[str] = mapped_column(String(1000))
    format: Mapped[str] = mapped_column(String(10))
    source_hash: Mapped[str] = mapped_column(String(64))
    source_language: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    kicker: Mapped[str | None] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    part: Mapped[str | None] = mapped_column(Text)
    publication: Mapped[str | None] = mapped_column(String(200))
    issue: Mapped[str | None] = mapped_column(String(50))
    date: Mapped[str | None] = mapped_column(String(10))
    tags: Mapped[str] = mapped_column(Text, default="")  # space-separated
    units: Mapped[int] = mapped_column(Integer, default=0)
    words: Mapped[int] = mapped_column(Integer, default=0)
    present: Mapped[bool] = mapped_column(Boolean, default=True)  # source file still exists
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SectionRow(Base):
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("article_pk", "index", name="uq_sections_article_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_pk: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    #: The section's active units and their source words, kept by :func:`index.recount`.
    units: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    words: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class UnitRow(Base):
    """A unit of an article. Its row, and so its id, survives edits, moves and obsolescence."""

    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("article_pk", "msgid_hash", name="uq_units_article_msgid"),
        Index("ix_units_msgid_hash", "msgid_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_pk: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    msgid: Mapped[str] = mapped_column(Text)
    msgid_hash: Mapped[str] = mapped_column(String(40))
    words: Mapped[int] = mapped_column(Integer)
    section_index: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    line: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class UnitStateRow(Base):
    """The state of one unit in one language, as the catalog last showed it."""

    __tablename__ = "unit_states"

    unit_pk: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))  # translated, fuzzy, untranslated, obsolete
    msgstr: Mapped[str] = mapped_column(Text, default="")
    #: Fuzzy because the source changed (not because a translator marked it).
    outdated: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SectionCountRow(Base):
    """How many of a section's active units (and of their words) one language has
    translated, fuzzy and outdated: the unit states summed, kept by :func:`index.recount`
    whenever they change, so that a report reads one row per section and language instead
    of every state. A (section, language) with nothing translated or fuzzy has no row."""

    __tablename__ = "section_counts"

    article_pk: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    section_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    translated: Mapped[int] = mapped_column(Integer)
    fuzzy: Mapped[int] = mapped_column(Integer)
    outdated: Mapped[int] = mapped_column(Integer)
    translated_words: Mapped[int] = mapped_column(Integer)
    fuzzy_words: Mapped[int] = mapped_column(Integer)
    outdated_words: Mapped[int] = mapped_column(Integer)


class HistoryRow(Base):
    """One change of a unit's state or text in one language, with its cause."""

    __tablename__ = "history"
    __table_args__ = (Index("ix_history_unit_language", "unit_pk", "language"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_pk: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: source-edit, translator, revived, obsoleted, created, tm
    cause: Mapped[str] = mapped_column(String(20))
    old_state: Mapped[str | None] = mapped_column(String(16))
    new_state: Mapped[str] = mapped_column(String(16))
    old_text: Mapped[str | None] = mapped_column(Text)
    new_text: Mapped[str | None] = mapped_column(Text)
    old_msgid: Mapped[str | None] = mapped_column(Text)
    translator: Mapped[str | None] = mapped_column(String(300))


class CatalogFileRow(Base):
    """What sync last saw of a catalog file, to skip unchanged ones cheaply."""

    __tablename__ = "catalog_files"
    __table_args__ = (Index("ix_catalog_files_synced_at", "synced_at"),)

    path: Mapped[str] = mapped_column(String(1000), primary_key=True)
    language: Mapped[str] = mapped_column(String(16))
    article_id: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(Integer)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SnapshotRow(Base):
    """Coverage of one article in one language at one sync, for trends."""

    __tablename__ = "snapshots"
    __table_args__ = (
        Index("ix_snapshots_language_at", "language", "at"),
        Index("ix_snapshots_article_language", "article_id", "language"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    article_id: Mapped[str] = mapped_column(String(500))
    language: Mapped[str] = mapped_column(String(16))
    units: Mapped[int] = mapped_column(Integer)
    translated: Mapped[int] = mapped_column(Integer)
    fuzzy: Mapped[int] = mapped_column(Integer)
    words: Mapped[int] = mapped_column(Integer)
    translated_words: Mapped[int] = mapped_column(Integer)
    fuzzy_words: Mapped[int] = mapped_column(Integer)
    percent: Mapped[float] = mapped_column(Float)


class PublicationIssueRow(Base):
    """An issue of a publication and the titles of its table of contents."""

    __tablename__ = "publication_issues"
    __table_args__ = (UniqueConstraint("publication", "issue", name="uq_publication_issue"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication: Mapped[str] = mapped_column(String(200))
    issue: Mapped[str] = mapped_column(String(50))
    date: Mapped[str | None] = mapped_column(String(10))
    contents: Mapped[str] = mapped_column(Text, default="")  # one entry per line


class MemoryRow(Base):
    """A translation memory entry imported from elsewhere (TMX); catalogs feed it too."""

    __tablename__ = "memory"
    __table_args__ = (
        UniqueConstraint("language", "source_hash", "target_hash", name="uq_memory_pair"),
        Index("ix_memory_language_source", "language", "source_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    language: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(Text)
    source_hash: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(Text)
    target_hash: Mapped[str] = mapped_column(String(40))
    origin: Mapped[str | None] = mapped_column(String(500))
    words: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SettingRow(Base):
    """A value the index keeps about itself, by key."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CheckCacheRow(Base):
    """What ``check`` found in one file when it had this size and modification time."""

    __tablename__ = "check_cache"

    path: Mapped[str] = mapped_column(String(1000), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[str] = mapped_column(Text)  # read and written by checks.cache
    verdicts: Mapped[str] = mapped_column(Text)  # JSON: wrong-language verdicts by text hash
    sha256: Mapped[str | None] = mapped_column(String(64))  # of the bytes checked


class PublishedRow(Base):
    """A published translation of an article, aligned into its catalog: where it came
    from (a file or a URL), its date, and how much of the article it covered."""

    __tablename__ = "published"
    __table_args__ = (
        UniqueConstraint("article_pk", "language", name="uq_published_article_language"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_pk: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(1000))
    date: Mapped[str | None] = mapped_column(String(10))
    aligned_units: Mapped[int] = mapped_column(Integer)
    aligned_words: Mapped[int] = mapped_column(Integer)
    aligned_percent: Mapped[float] = mapped_column(Float)
    aligned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FetchedRow(Base):
    """A page that ``fetch`` stored: where it came from, the version the file holds (for
    conditional requests), and, for a published translation, the version last aligned."""

    __tablename__ = "fetched"
    __table_args__ = (Index("ix_fetched_article", "article_id"),)

    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # article or published
    article_id: Mapped[str] = mapped_column(String(500))
    language: Mapped[str | None] = mapped_column(String(16))  # of a published translation
    path: Mapped[str] = mapped_column(String(1000))  # the stored file, project-relative
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))  # of the stored file
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    aligned_sha256: Mapped[str | None] = mapped_column(String(64))


def stamp_key(row: type[CatalogFileRow] | type[CheckCacheRow]) -> ColumnElement[str]:
    """``"path\tsize\tmtime_ns"`` of a row that describes a file, made by the database:
    a file on disk with the same key is as the row saw it, and a set of keys is compared
    with the disk's without a step per file."""
    return row.path + "\t" + cast(row.size, String) + "\t" + cast(row.mtime_ns, String)


def path_under(
    row: type[CatalogFileRow] | type[CheckCacheRow], folders: Sequence[str]
) -> ColumnElement[bool]:
    """The row's path begins with one of ``folders`` (each ending with ``/``)."""
    return or_(*(func.substr(row.path, 1, len(folder)) == folder for folder in folders))
