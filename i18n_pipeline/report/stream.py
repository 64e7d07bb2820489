"""The JSON coverage report written as it is read from the index, for large archives.

:func:`coverage_json_pieces` gives, piece by piece, exactly the text that
``render_json(coverage_json(compute_coverage(...)))`` gives, without building the
report: the section counts are read in article order, one article at a time, and each
article is written out as its line is made. So memory stays flat however many articles
the index holds, and the cost is one pass over the section counts.

The totals come before the articles in the document but are the sum of them, so the
article lines are written to a spool file first (kept in memory while small) and copied
out after the totals. Equal counts are formatted once and their text reused: a section
that a language has not started reads the same in every such language.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, suppress
from datetime import UTC, datetime
from itertools import groupby
from operator import itemgetter
from typing import IO, Any, NamedTuple

from sqlalchemy import Engine, select, true

from i18n_pipeline.config import Config
from i18n_pipeline.model import Counts
from i18n_pipeline.report.coverage import (
    _ARTICLES,
    Coverage,
    Publication,
    ReportOptions,
    _issue_groups,
    _selected,
    article_coverage,
    choosy_languages,
    counts_of,
    coverage_json,
    publications,
    targets_of,
)
from i18n_pipeline.report.render import json_pieces
from i18n_pipeline.store.db import read_scope
from i18n_pipeline.store.models import ArticleRow, PublicationIssueRow, SectionCountRow, SectionRow
from i18n_pipeline.workers import fork_pays

#: Translated, fuzzy, translated words, fuzzy words, outdated, outdated words: none.
_NOTHING = (0, 0, 0, 0, 0, 0)

_COUNTS_TEXT = (
    '{"units": %d, "translated": %d, "fuzzy": %d, "untranslated": %d, "words": %d, '
    '"translated_words": %d, "fuzzy_words": %d, "untranslated_words": %d, "outdated": %d, '
    '"outdated_words": %d, "percent": %r}'
)


def _key_text(key: tuple[int, ...]) -> str:
    """``counts_of(*key).as_dict()`` as ``json.dumps`` writes it, without making the
    Counts (a report has hundreds of thousands)."""
    units, words, translated, fuzzy, translated_words, fuzzy_words, outdated, outdated_words = (
        key if len(key) == 8 else (*key, *_NOTHING)
    )
    return _COUNTS_TEXT % (
        units,
        translated,
        fuzzy,
        units - translated - fuzzy,
        words,
        translated_words,
        fuzzy_words,
        words - translated_words - fuzzy_words,
        outdated,
        outdated_words,
        100.0 if words == 0 else round(100.0 * translated_words / words, 1),
    )


def coverage_json_pieces(
    config: Config, engine: Engine, options: ReportOptions
) -> Iterator[str | bytes]:
    """The JSON report of ``options``' articles and languages, in pieces (see the module):
    text, and the article lines as the UTF-8 bytes they were spooled in, to be copied out
    as they are.

    ``options.change_since`` is not handled here: that report needs the whole coverage.
    From :data:`PARALLEL_ARTICLES` articles on, a second process writes the second half.
    """
    codes = options.languages or config.codes
    generated_at = datetime.now(UTC).replace(microsecond=0)
    with ExitStack() as stack:
        spool = stack.enter_context(
            tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY, mode="w+b")
        )
        with read_scope(engine) as session:
            conn = session.connection()
            present = list(conn.execute(_ARTICLES))
            order = {a.article_id: n for n, a in enumerate(present)}  # the database's order
            articles = [a for a in present if _selected(config, a, options)]
            choosy = choosy_languages(config)
            targets = {a.id: targets_of(config, codes, a, choosy) for a in articles}
            sections: dict[int, list[tuple[int, str | None, int, int]]] = defaultdict(list)
            for pk, *section in conn.execute(_SECTIONS):
                if pk in targets:
                    sections[pk].append(tuple(section))  # type: ignore[arg-type]
            issue_rows = list(session.scalars(select(PublicationIssueRow)))
            published = publications(session, codes)
            half = len(articles) // 2 if len(articles) >= PARALLEL_ARTICLES and fork_pays() else 0
            second = None
            if half:
                url = engine.url.render_as_string(hide_password=False)
                job = _Job(url, codes, articles[half:], order, targets, sections, published)
                second = stack.enter_context(_Half(job))
            mine = _Job("", codes, articles[: half or None], order, targets, sections, published)
            totals = _spool_articles(conn, mine, spool, first=True)
        if second is not None:
            theirs = second.wait()
            totals = {code: totals[code] + theirs[code] for code in codes}
        head = coverage_json(
            Coverage(
                generated_at=generated_at,
                source_language=config.source_language,
                languages=tuple(config.language(c) for c in codes),
                totals=totals,
                articles=(),
                issues=_issue_groups(issue_rows, [article_coverage(a) for a in articles]),
            )
        )
        # The document is the head's, with the spooled lines in place of its empty list.
        text = "".join(json_pieces(head))
        before, empty, after = text.partition(_NO_ARTICLES)
        if not empty or not articles:
            yield text
            return
        yield before + _NO_ARTICLES[:-1]
        spool.seek(0)
        yield from _chunks(spool)
        if second is not None:
            with open(second.path, "rb") as lines:
                yield from _chunks(lines)
        yield "\n  ]" + after


#: An empty list of articles as :func:`json_pieces` writes it: the only one at this indent.
_NO_ARTICLES = '\n  "articles": []'


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    while chunk := spool.read(1 << 20):
        yield chunk


#: From this many articles, a second process writes the lines of the second half.
PARALLEL_ARTICLES = 2000


class _Job(NamedTuple):
    """The lines of some articles to write: what :func:`_spool_articles` reads."""

    url: str  # the database, for a process that opens its own connection
    codes: Sequence[str]
    articles: Sequence[Any]
    order: dict[str, int]
    targets: dict[int, list[str]]
    sections: dict[int, list[tuple[int, str | None, int, int]]]
    published: dict[int, dict[str, Publication]]


class _Half:
    """The article lines of a job written by a forked process into a file while this
    process writes others: :meth:`wait` gives their totals, :meth:`lines` the lines.

    The other process reads in a transaction of its own. Should it fail, this process
    writes the lines itself (and so meets the same error, if it is the database's)."""

    def __init__(self, job: _Job) -> None:
        import multiprocessing

        self.job = job
        fd, self.path = tempfile.mkstemp(prefix="i18n-report-", suffix=".jsonl")
        os.close(fd)
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_write_half, args=(job, self.path, sender))
        self.process.start()
        sender.close()

    def __enter__(self) -> _Half:
        return self

    def wait(self) -> dict[str, Counts]:
        try:
            kind, value = self.receiver.recv()
        except EOFError:  # it died before it could say
            kind, value = "error", None
        self.process.join()
        if kind == "ok":
            return dict(value)
        return _write_job(self.job, self.path)

    def __exit__(self, *exc: object) -> None:
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.receiver.close()
        with suppress(FileNotFoundError):
            os.unlink(self.path)


def _write_half(job: _Job, path: str, sender: Any) -> None:
    try:
        sender.send(("ok", _write_job(job, path)))
    except BaseException as exc:  # the parent does the work itself
        sender.send(("error", repr(exc)))


def _write_job(job: _Job, path: str) -> dict[str, Counts]:
    from i18n_pipeline.store.db import make_engine

    engine = make_engine(job.url)  # a connection of its own, not one the fork copied
    try:
        with (
            read_scope(engine) as session,
            open(path, "wb") as out,
        ):
            return _spool_articles(session.connection(), job, out)
    finally:
        engine.dispose()


#: Bytes of article lines kept in memory before the spool goes to a temporary file.
_SPOOL_IN_MEMORY = 16 * 1024 * 1024

_SECTIONS = select(
    SectionRow.article_pk,
    SectionRow.index,
    SectionRow.title,
    SectionRow.units,
    SectionRow.words,
).order_by(SectionRow.article_pk, SectionRow.index)


def _spool_articles(
    conn: Any, job: _Job, spool: IO[bytes], *, first: bool = False
) -> dict[str, Counts]:
    """Write one JSON line per article of ``job``, from the section counts read in article
    order (the rows of articles left out of the report are passed over), each after the
    separator the document puts before it (the ``first`` of the document's has no comma);
    return the totals."""
    codes, articles, order, targets, sections, published = job[1:]
    rows = (
        select(
            ArticleRow.article_id,
            SectionCountRow.article_pk,
            SectionCountRow.section_index,
            SectionCountRow.language,
            SectionCountRow.translated,
            SectionCountRow.fuzzy,
            SectionCountRow.translated_words,
            SectionCountRow.fuzzy_words,
            SectionCountRow.outdated,
            SectionCountRow.outdated_words,
        )
        .join(ArticleRow, ArticleRow.id == SectionCountRow.article_pk)
        .where(
            ArticleRow.present.is_(True),
            SectionCountRow.language.in_(codes),
            # In the database's order, from the first of these articles to the last.
            ArticleRow.article_id >= articles[0].article_id if articles else true(),
            ArticleRow.article_id <= articles[-1].article_id if articles else true(),
        )
        .order_by(ArticleRow.article_id, SectionCountRow.section_index)
    )
    line = _Lines()
    per_language: dict[str, list[tuple[int, ...]]] = {c: [] for c in codes}
    result = conn.execution_options(stream_results=True, yield_per=5000).execute(rows)
    groups = (list(g) for _, g in groupby(result, key=itemgetter(1)))
    group = next(groups, None)  # the rows of one article, in the articles' order
    for a in articles:
        here = order[a.article_id]
        found: dict[int, dict[str, tuple[int, ...]]] = {}
        while group is not None:
            if group[0][1] == a.id:
                for row in group:
                    found.setdefault(row[2], {})[row[3]] = tuple(row[4:])
            elif order[group[0][0]] > here:
                break  # a later article's: this one has nothing translated
            group = next(groups, None)  # this article's, or one left out of the report
        text, article_counts = line.article(
            a, targets[a.id], sections.get(a.id, ()), found, published.get(a.id)
        )
        spool.write(("\n    " if first else ",\n    ").encode() + text.encode())
        first = False
        for code, numbers in article_counts.items():
            per_language[code].append(numbers)
    return {
        code: counts_of(*map(sum, zip(*rows, strict=True))) if rows else counts_of(0, 0)
        for code, rows in per_language.items()
    }


class _Lines:
    """Makes article lines, remembering the text of counts it wrote before."""

    def __init__(self) -> None:
        self.texts: dict[tuple[int, ...], str] = {}
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
        self.names: dict[str, str] = {}

    def counts(self, key: tuple[int, ...]) -> str:
        """The text of :func:`counts_of` ``(*key)``, formatted once per distinct key."""
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = _key_text(key)
        return text

    def name(self, code: str) -> str:
        name = self.names.get(code)
        if name is None:
            name = self.names[code] = f"{self.dumps(code)}: "
        return name

    def article(
        self,
        a: Any,
        languages: Sequence[str],
        sections: Sequence[tuple[int, str | None, int, int]],
        found: dict[int, dict[str, tuple[int, ...]]],
        published: dict[str, Publication] | None = None,
    ) -> tuple[str, dict[str, tuple[int, ...]]]:
        """The article's line and, per language, its counts as :func:`counts_of` takes them."""
        names = [self.name(code) for code in languages]
        pairs = list(zip(names, languages, strict=True))
        counts = self.counts
        parts = []
        all_units = all_words = 0
        for index, title, units, words in sections:
            all_units += units
            all_words += words
            blank = counts((units, words))
            by_language = found.get(index)
            if by_language is None:
                cells = [name + blank for name in names]
            else:
                get = by_language.get
                cells = [
                    name + (blank if (n := get(code)) is None else counts((units, words, *n)))
                    for name, code in pairs
                ]
            parts.append(
                f'{{"index": {index}, "title": {self.dumps(title)}, "units": {units}, '
                f'"words": {words}, "languages": {{{", ".join(cells)}}}}}'
            )
        done: dict[str, list[tuple[int, ...]]] = {code: [] for code in languages}
        listed = {index for index, *_ in sections}
        for index, by_language in found.items():
            if index in listed:
                for code, numbers in by_language.items():
                    if code in done:
                        done[code].append(numbers)
        article_counts = {
            code: (all_units, all_words, *(map(sum, zip(*done[code], strict=True))))
            if done[code]
            else (all_units, all_words, *_NOTHING)
            for code in languages
        }
        article_cells = ", ".join(
            name + _key_text(article_counts[code])
            for name, code in zip(names, languages, strict=True)
        )
        head = self.dumps(
            {
                "id": a.article_id,
                "title": a.title,
                "source_language": a.source_language,
                "source_path": a.source_path,
                "publication": a.publication,
                "issue": a.issue,
                "date": a.date,
                "units": a.units,
                "words": a.words,
            }
        )
        tags = a.tags.split() if a.tags else []
        text = (
            f'{head[:-1]}, "languages": {{{article_cells}}}, "sections": [{", ".join(parts)}], '
            f'"tags": {self.dumps(tags)}'
        )
        if published:
            by_code = {code: p.as_dict() for code, p in published.items()}
            text += f', "published": {self.dumps(by_code)}'
        return text + "}", article_counts
