"""``fetch``: articles of the publisher's site into the sources, and with ``translations``
their published translations into ``published/<lang>/`` and, aligned, into the catalogs.

A page is stored whole, in UTF-8, under a provenance line (URL, fetch time, ETag,
Last-Modified), and the index records its version, so the next run asks the site only for
what changed (conditional GET): a 304 changes nothing, a changed page is stored, ingested
and merged again. Each page is written atomically and recorded after it is written, so a
run that is interrupted loses nothing and the next one takes up where it stopped. A page
that fails is reported and what is stored for it stays as it was; a stored file edited by
hand is never replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from i18n_pipeline.config import Config
from i18n_pipeline.errors import FetchError, InputError, PipelineError
from i18n_pipeline.files import FileSnapshot, atomic_write, project_lock, read_snapshot, sha256
from i18n_pipeline.layout import relative
from i18n_pipeline.model import Provenance
from i18n_pipeline.pipeline import ingest
from i18n_pipeline.read import FORMATS
from i18n_pipeline.read.provenance import split_provenance
from i18n_pipeline.site.http import Response, SiteClient, Version
from i18n_pipeline.site.pages import (
    check_html,
    decode_page,
    is_front_page,
    issue_links,
    language_bar,
    language_code,
    page_body,
    page_language,
    stored_page,
)
from i18n_pipeline.site.publish import Aligned, align_published
from i18n_pipeline.site.urls import article_id_of, check_url, host_of, site_hosts
from i18n_pipeline.store import fetched
from i18n_pipeline.store.db import ensure_schema, read_scope, session_scope

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FetchOptions:
    """What to fetch: article pages, or with ``issue`` the articles that tables of contents
    list; with ``translations`` also the translations their language bars link."""

    urls: tuple[str, ...]
    issue: bool = False
    translations: bool = False
    jobs: int | None = None  # ingest's worker processes


@dataclass(frozen=True)
class FetchedPage:
    """One page of the site and what became of it: ``new``, ``changed`` (stored again) or
    ``unchanged`` (304, or the same text)."""

    url: str
    article_id: str
    language: str | None  # of a published translation; None for an article
    path: str  # the stored file, project-relative
    status: str


@dataclass
class FetchResult:
    pages: list[FetchedPage] = field(default_factory=list)
    ingested: int = 0  # articles ingest read (unchanged ones included)
    written: list[str] = field(default_factory=list)  # templates and catalogs ingest wrote
    aligned: list[Aligned] = field(default_factory=list)
    warnings: list[PipelineError] = field(default_factory=list)
    errors: list[PipelineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Source:
    """An article fetched (or found unchanged) in this run, with its page's text."""

    url: str  # as fetched, the base of its links
    article_id: str
    text: str
    path: Path  # the source file ingest reads


def fetch(
    config: Config, engine: Engine, options: FetchOptions, *, progress: Progress | None = None
) -> FetchResult:
    """Fetch the pages ``options`` names, ingest the articles, and store and align their
    translations. Problems with single pages are collected in the result; a bad URL given
    is an :class:`InputError` before anything is fetched."""
    urls = [check_url(url) for url in options.urls]
    if not urls:
        raise InputError("give the URL of at least one page")
    ensure_schema(engine)
    result = FetchResult()
    with SiteClient(config.fetch, site_hosts(urls, config)) as client:
        run = _Run(config, engine, client, result)
        articles = run.issue_articles(urls) if options.issue else urls
        sources: list[_Source] = []
        for number, url in enumerate(articles, start=1):
            try:
                sources.append(run.article(url))
            except PipelineError as exc:
                result.errors.append(exc)
            if progress:
                progress("fetch", number, len(articles))
        if sources:
            ingested = ingest(
                config, engine, list(dict.fromkeys(s.path for s in sources)), jobs=options.jobs
            )
            result.ingested = ingested.articles
            result.written.extend(ingested.written)
            result.errors.extend(ingested.errors)
        if options.translations:
            for number, source in enumerate(sources, start=1):
                run.translations(source)
                if progress:
                    progress("translations", number, len(sources))
    return result


class _Run:
    """One run's client, project and result."""

    def __init__(
        self, config: Config, engine: Engine, client: SiteClient, result: FetchResult
    ) -> None:
        self.config = config
        self.engine = engine
        self.client = client
        self.result = result

    # -- the pages to fetch -------------------------------------------------------------

    def issue_articles(self, urls: Sequence[str]) -> list[str]:
        """The article URLs the tables of contents at ``urls`` list, each once."""
        found: list[str] = []
        for url in urls:
            try:
                response = self.client.get(url)
                text = self._text(response)
            except PipelineError as exc:
                self.result.errors.append(exc)
                continue
            links = issue_links(text, response.final_url, self.config.site)
            if not links:
                self.result.errors.append(
                    FetchError("no articles found on this table of contents page", path=url)
                )
            found.extend(link.url for link in links)
        return list(dict.fromkeys(found))

    def _text(self, response: Response) -> str:
        check_html(response.content_type, response.content, response.url)
        decoded = decode_page(response.content, response.content_type, response.url)
        if decoded.warning:
            self.result.warnings.append(FetchError(decoded.warning, path=response.url))
        return decoded.text

    # -- articles -----------------------------------------------------------------------

    def article(self, url: str) -> _Source:
        article_id = article_id_of(url, self.config)
        target = self.config.sources / f"{article_id}.html"
        other = self._other_source(article_id)
        if other is not None:
            response = self.client.get(url)
            self.result.warnings.append(
                FetchError(
                    f"{relative(self.config, other)} already holds article '{article_id}'; "
                    "the page was not stored (its translations still are)",
                    path=url,
                )
            )
            return _Source(response.final_url, article_id, self._text(response), other)
        text = self._store(url, article_id, None, target)
        return _Source(url, article_id, text, target)

    def _other_source(self, article_id: str) -> Path | None:
        """A source of ``article_id`` in another format than the HTML that fetch stores."""
        for suffix in FORMATS:
            candidate = self.config.sources / f"{article_id}{suffix}"
            if suffix != ".html" and candidate.is_file():
                return candidate
        return None

    # -- translations -------------------------------------------------------------------

    def translations(self, source: _Source) -> None:
        config = self.config
        bar = language_bar(source.text, source.url, config.languages, config.source_language)
        for entry in bar:
            link = entry.link
            if is_front_page(link.url):
                continue  # an edition's front page: no translation of this article
            if not self.client.on_site(link.url):
                self.result.errors.append(
                    FetchError(
                        f"the language bar's link '{link.label}' leaves the site "
                        f"({host_of(link.url)}); not followed",
                        path=source.url,
                    )
                )
                continue
            try:
                self._translation(source, link.url, entry.language)
            except PipelineError as exc:
                self.result.errors.append(exc)

    def _translation(self, source: _Source, url: str, code: str | None) -> None:
        config = self.config
        with read_scope(self.engine) as session:
            known = fetched.records(session, [url]).get(url)
        if code is None and known is not None:
            code = known.language
        response = None
        if code is None:  # told by the page it leads to
            response = self.client.get(url)
            code = language_code(page_language(self._text(response)), config.codes)
            if code is None or code == config.source_language:
                return  # not one of the project's languages
        target = config.published_dir / code / f"{source.article_id}.html"
        self._store(url, source.article_id, code, target, response)
        self._align(url, source.article_id, code, target)

    def _align(self, url: str, article_id: str, code: str, path: Path) -> None:
        snap = read_snapshot(path)
        with read_scope(self.engine) as session:
            record = fetched.records(session, [url]).get(url)
        if snap is None or record is None or record.aligned_sha256 == snap.sha256:
            return  # aligned as it is already
        aligned = align_published(
            self.config, self.engine, language=code, article_id=article_id, path=path, url=url
        )
        self.result.aligned.append(aligned)
        with session_scope(self.engine) as session:
            fetched.save(session, replace(record, aligned_sha256=snap.sha256))

    # -- storing a page -----------------------------------------------------------------

    def _store(
        self,
        url: str,
        article_id: str,
        language: str | None,
        target: Path,
        response: Response | None = None,
    ) -> str:
        """Fetch ``url`` (conditionally when the stored file is the version the index
        knows; ``response`` when it was fetched already), store it in ``target`` when it is
        new or changed, and record it. The page's text, as stored."""
        config = self.config
        shown = relative(config, target)
        snap = read_snapshot(target)
        with read_scope(self.engine) as session:
            record = fetched.records(session, [url]).get(url)
        ours = _ours(snap, record, url)
        version = (
            Version(record.etag, record.last_modified)
            if record is not None and snap is not None and record.sha256 == snap.sha256
            else None
        )
        if response is None:
            response = self.client.get(url, version)
        now = datetime.now(UTC)
        kind = "article" if language is None else "published"
        if response.not_modified and snap is not None and record is not None:
            self._record(replace(record, checked_at=now))
            self._page(url, article_id, language, shown, "unchanged")
            return snap.data.decode("utf-8", "replace")
        text = self._text(response)
        provenance = Provenance(url, _iso(now), response.etag, response.last_modified)
        data = stored_page(text, provenance)

        def record_of(digest: str, fetched_at: datetime) -> fetched.FetchRecord:
            return fetched.FetchRecord(
                url=url,
                kind=kind,
                article_id=article_id,
                language=language,
                path=shown,
                etag=response.etag,
                last_modified=response.last_modified,
                sha256=digest,
                fetched_at=fetched_at,
                checked_at=now,
                aligned_sha256=record.aligned_sha256 if record is not None else None,
            )

        if snap is not None and page_body(snap.data) == page_body(data):
            self._record(record_of(snap.sha256, record.fetched_at if record is not None else now))
            self._page(url, article_id, language, shown, "unchanged")
            return snap.data.decode("utf-8", "replace")
        if snap is not None and not ours:
            raise FetchError(
                "edited since it was fetched, or not fetched from this URL; left as it is "
                "(move it away to store the page)",
                path=shown,
            )
        with project_lock(config.state_dir, what="fetch"):
            atomic_write(target, data, expected=snap, shown=shown)
            self._record(record_of(sha256(data), now))
        self._page(url, article_id, language, shown, "new" if snap is None else "changed")
        return data.decode("utf-8")

    def _record(self, record: fetched.FetchRecord) -> None:
        with session_scope(self.engine) as session:
            fetched.save(session, record)

    def _page(
        self, url: str, article_id: str, language: str | None, shown: str, status: str
    ) -> None:
        self.result.pages.append(FetchedPage(url, article_id, language, shown, status))


def _ours(snap: FileSnapshot | None, record: fetched.FetchRecord | None, url: str) -> bool:
    """Whether the stored file is as fetch left it: the version the index records, or,
    with no record (a rebuilt index), a page fetched from ``url``."""
    if snap is None:
        return True
    if record is not None:
        return record.sha256 == snap.sha256
    provenance, _ = split_provenance(snap.data.decode("utf-8", "replace"))
    return provenance is not None and provenance.url == url


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
