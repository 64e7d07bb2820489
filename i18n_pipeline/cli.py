"""The command line: a thin layer that parses options, calls the library once, and turns
:class:`~i18n_pipeline.errors.PipelineError` into ``path:line: message`` on stderr.

Exit codes: 0 all well, 1 a check found problems, 2 a usage or input error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click

from i18n_pipeline import __version__
from i18n_pipeline.errors import PipelineError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass
class State:
    config_path: Path | None
    debug: bool

    def config(self) -> Any:
        from i18n_pipeline.config import find_config, load_config

        path = self.config_path or find_config(Path.cwd())
        return load_config(path)

    def engine(self, config: Any) -> Any:
        from i18n_pipeline.store.db import make_engine

        return make_engine(config.database_url)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


@contextmanager
def errors_to_exit(state: State | None = None) -> Iterator[None]:
    """Expected failures become one line on stderr and exit 2; never a traceback."""
    try:
        yield
    except PipelineError as exc:
        if state is not None and state.debug:
            raise
        fail(f"error: {exc}" if exc.path is None else str(exc))
    except KeyboardInterrupt:
        fail("interrupted", 130)


def report_errors(errors: list[PipelineError]) -> None:
    for err in errors:
        click.echo(str(err), err=True)


def progress_printer(enabled: bool) -> Callable[[str, int, int], None] | None:
    """A progress line on stderr for long runs, when stderr is a terminal."""
    if not enabled or not sys.stderr.isatty():
        return None

    def show(stage: str, done: int, total: int) -> None:
        if total >= 20 and (done == total or done % max(1, total // 100) == 0):
            end = "\n" if done == total else ""
            sys.stderr.write(f"\r{stage}: {done}/{total} ({100 * done // total}%)" + end)
            sys.stderr.flush()

    return show


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Path of config.yaml (default: the nearest one at or above the current folder).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(__version__, prog_name="i18n-pipeline")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None, debug: bool) -> None:
    """Track the translation of articles into many languages with gettext catalogs."""
    ctx.obj = State(config_path, debug)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.pass_obj
def init(state: State, directory: Path) -> None:
    """Create config.yaml, articles/, locales/ and the database in DIRECTORY."""
    from i18n_pipeline.project import init_project

    with errors_to_exit(state):
        created = init_project(directory)
    for path in created:
        click.echo(f"created {path}")
    if not created:
        click.echo(f"{directory}: already initialised; nothing changed")


def jobs_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--jobs`` of the commands that ingest."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes reading and merging articles (default: the CPU count); "
        "1: all in this process.",
    )(command)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@jobs_option
@click.pass_obj
def ingest(state: State, paths: tuple[Path, ...], quiet: bool, jobs: int | None) -> None:
    """Read articles, write templates and merge every language's catalog."""
    from i18n_pipeline.pipeline import ingest as run_ingest

    with errors_to_exit(state):
        config = state.config()
        result = run_ingest(
            config,
            state.engine(config),
            paths,
            progress=progress_printer(not quiet),
            jobs=jobs,
        )
    _summarise("ingest", result, quiet)
    if not result.ok:
        sys.exit(EXIT_USAGE)


@main.command()
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.pass_obj
def sync(state: State, quiet: bool) -> None:
    """Index the catalogs translators edited and record the history."""
    from i18n_pipeline.sync import sync as run_sync

    with errors_to_exit(state):
        config = state.config()
        result = run_sync(config, state.engine(config), progress=progress_printer(not quiet))
    _summarise("sync", result, quiet)
    if not result.ok:
        sys.exit(EXIT_USAGE)


def _summarise(stage: str, result: Any, quiet: bool) -> None:
    report_errors(result.errors)
    if quiet:
        return
    if stage == "ingest":
        click.echo(
            f"ingest: {result.articles} article(s), {len(result.written)} file(s) written, "
            f"{result.unchanged} catalog(s) unchanged, {len(result.errors)} error(s)",
            err=True,
        )
    else:
        click.echo(
            f"sync: {result.catalogs_read} catalog(s) read, {result.history} change(s) recorded, "
            f"{len(result.errors)} error(s)",
            err=True,
        )


REPORT_FORMATS = ("table", "json", "csv", "markdown", "html")


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="table", show_default=True
)
@click.option(
    "--output",
    "-o",
    "output_arg",
    type=click.Path(),
    help="Write to this file instead of standard output. With --format html, a folder "
    "(DIR/, or a name without .html) gets the dashboard site; FILE.html one page.",
)
@click.option("--lang", "languages", multiple=True, help="Only this language (repeatable).")
@click.option("--article", help="Only articles whose id matches this glob.")
@click.option("--publication", help="Only this publication (name or code, e.g. wv).")
@click.option("--since", help="Only articles dated on or after this date; the change from it.")
@click.option(
    "--change-since",
    metavar="DATE",
    help="The change in coverage since this date, from the snapshots (default: --since).",
)
@click.option(
    "--by",
    type=click.Choice(("language", "article", "section", "issue", "translator")),
    default="article",
    show_default=True,
    help="How to group the table; translator: the team's activity and pace.",
)
@click.option(
    "--period",
    type=click.Choice(("week", "month")),
    default="month",
    show_default=True,
    help="With --by translator: the periods of the activity.",
)
@click.option("--emails", is_flag=True, help="With --by translator: keep translators' addresses.")
@click.pass_obj
def report(
    state: State,
    fmt: str,
    output_arg: str | None,
    languages: tuple[str, ...],
    article: str | None,
    publication: str | None,
    since: str | None,
    change_since: str | None,
    by: str,
    period: str,
    emails: bool,
) -> None:
    """Coverage by language, article and section; or, by translator, the team's activity."""
    from i18n_pipeline.report.activity import ActivityOptions
    from i18n_pipeline.report.coverage import ReportOptions
    from i18n_pipeline.service import report_pieces, write_dashboard

    output = None if output_arg is None else Path(output_arg)
    site = (
        fmt == "html"
        and output is not None
        and by != "translator"
        and (
            output_arg.endswith(("/", os.sep))  # type: ignore[union-attr]
            or output.is_dir()
            or output.suffix.lower() not in (".html", ".htm")
        )
    )
    if output is not None and output.is_dir() and not site:
        fail(f"error: {output}: is a folder; the site is written with --format html")
    activity = ActivityOptions(period=period, emails=emails)
    with errors_to_exit(state):
        config = state.config()
        for code in languages:
            config.language(code)
        options = ReportOptions(
            languages=languages,
            article=article,
            publication=publication,
            since=_date(since),
            change_since=_date(change_since, "--change-since") or since,
        )
        if site:
            assert output is not None
            done = write_dashboard(config, state.engine(config), options, output, activity)
            click.echo(
                f"wrote {output}/: {len(done.written)} file(s) written, "
                f"{len(done.unchanged)} unchanged, {len(done.removed)} removed",
                err=True,
            )
            return
        pieces = report_pieces(
            config,
            state.engine(config),
            options,
            fmt=fmt,
            by=by,
            color=output is None and sys.stdout.isatty(),
            width=_table_width(),
            activity=activity,
        )
        _emit(pieces, output)


def _date(value: str | None, option: str = "--since") -> str | None:
    if value is None:
        return None
    from i18n_pipeline.snapshots import start_of

    try:
        start_of(value)
    except PipelineError:
        fail(f"error: {option}: expected a date like 2024-01-31, not '{value}'")
    return value


def _table_width() -> int:
    """The terminal's width, or room for eleven languages and titles when not a terminal."""
    import shutil

    return max(100, shutil.get_terminal_size((150, 24)).columns)


def _emit(pieces: Iterable[str | bytes], output: Path | None) -> None:
    """Write the pieces of a report (text, or UTF-8 bytes to copy as they are) out as they
    come: to stdout, or atomically to ``output`` (the file appears whole, or not at all)."""

    def encoded() -> Iterator[bytes]:
        last = b""
        for piece in pieces:
            data = piece.encode("utf-8") if isinstance(piece, str) else piece
            if data:
                last = data
                yield data
        if not last.endswith(b"\n"):
            yield b"\n"

    if output is None:
        sys.stdout.flush()
        out = sys.stdout.buffer
        for data in encoded():
            out.write(data)
        out.flush()
        return
    from i18n_pipeline.files import atomic_write

    atomic_write(output, encoded())
    click.echo(f"wrote {output}", err=True)


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(REPORT_FORMATS), default="table", show_default=True
)
@jobs_option
@click.pass_obj
def run(state: State, fmt: str, jobs: int | None) -> None:
    """The main job: ingest, sync, then the coverage report."""
    from i18n_pipeline.pipeline import ingest as run_ingest
    from i18n_pipeline.report.coverage import ReportOptions
    from i18n_pipeline.service import report_pieces
    from i18n_pipeline.sync import sync as run_sync

    with errors_to_exit(state):
        config = state.config()
        engine = state.engine(config)
        progress = progress_printer(True)
        ingested = run_ingest(config, engine, progress=progress, jobs=jobs)
        _summarise("ingest", ingested, False)
        synced = run_sync(config, engine, progress=progress)
        _summarise("sync", synced, False)
        pieces = report_pieces(
            config,
            engine,
            ReportOptions(),
            fmt=fmt,
            by="article",
            color=sys.stdout.isatty(),
            width=_table_width(),
        )
        _emit(pieces, None)
    if not (ingested.ok and synced.ok):
        sys.exit(EXIT_USAGE)


@main.command()
@click.argument("language")
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True
)
@click.option("--article", help="Only articles whose id matches this glob.")
@click.option("--publication", help="Only this publication (name or code, e.g. wv).")
@click.pass_obj
def todo(
    state: State, language: str, fmt: str, article: str | None, publication: str | None
) -> None:
    """What LANGUAGE still needs, most important first."""
    from i18n_pipeline.report.coverage import ReportOptions, compute_coverage
    from i18n_pipeline.report.todo import render_todo_json, render_todo_text, todo_items
    from i18n_pipeline.store.db import ensure_schema

    with errors_to_exit(state):
        config = state.config()
        config.language(language)
        engine = state.engine(config)
        ensure_schema(engine)
        options = ReportOptions(languages=(language,), article=article, publication=publication)
        items = todo_items(config, compute_coverage(config, engine, options), language)
    text = (render_todo_json if fmt == "json" else render_todo_text)(items, language)
    click.echo(text, nl=False)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json", "csv")),
    default="table",
    show_default=True,
)
@click.option(
    "--jobs",
    "-j",
    type=int,
    default=None,
    help="Processes counting, this one included (default: auto).",
)
@click.pass_obj
def stats(state: State, paths: tuple[Path, ...], fmt: str, jobs: int | None) -> None:
    """Counts for any .po files or folders, like msgfmt --statistics; no config needed."""
    from i18n_pipeline import stats as st

    with errors_to_exit(state):
        for path in paths:
            if not path.exists():
                fail(f"{path}: no such file or folder")
        result = st.collect_stats(list(paths), jobs=jobs)
    render = {
        "table": st.render_stats_table,
        "json": st.render_stats_json,
        "csv": st.render_stats_csv,
    }[fmt]
    text = render(result)
    click.echo(text, nl=not text.endswith("\n"))
    for warning in result.warnings:
        click.echo(f"{warning.path}:{warning.line}: warning: {warning.message}", err=True)
    if fmt == "table":
        report_errors(list(result.errors))
    if result.errors:
        sys.exit(EXIT_FAILED)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "junit", "github", "markdown")),
    default="text",
    show_default=True,
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file (the exit code still tells the result).",
)
@click.option("--lang", "languages", multiple=True, help="Only this language (repeatable).")
@click.option(
    "--changed-only",
    "changed_ref",
    metavar="REF",
    help="Only catalogs changed against this git ref (for pre-commit).",
)
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
@click.option("--no-stale", is_flag=True, help="Skip the staleness check.")
@click.option(
    "--fresh",
    is_flag=True,
    help="Check every file again instead of reusing the index's findings for unchanged ones.",
)
@click.option(
    "--language/--no-language",
    "wrong_language",
    default=None,
    help="Run the wrong-language check (W301). Default: on for the project, off for PATHs.",
)
@click.pass_obj
def check(
    state: State,
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    languages: tuple[str, ...],
    changed_ref: str | None,
    strict: bool,
    no_stale: bool,
    fresh: bool,
    wrong_language: bool | None,
) -> None:
    """The CI gate: validity, staleness, quality and thresholds. Exit 0, 1 or 2.

    With PATHs it checks those .po files or folders, with no config (--config adds its
    severities and source language); otherwise the project, its staleness and thresholds.
    """
    from i18n_pipeline import checks
    from i18n_pipeline.checks.output import RENDERERS

    with errors_to_exit(state):
        if paths:
            if changed_ref is not None:
                fail("error: --changed-only checks the project; give no PATHs with it")
            options = checks.CheckOptions(wrong_language=wrong_language)
            if state.config_path is not None:
                config = state.config()
                options = checks.CheckOptions(
                    severities=dict(config.checks.severity),
                    wrong_language=wrong_language,
                    source_language=config.source_language,
                    keep=config.kept_names,
                )
            result = checks.check_files(list(paths), options, progress=progress_printer(True))
        else:
            config = state.config()
            for code in languages:
                config.language(code)
            only = checks.changed_files(config.root, changed_ref) if changed_ref else None
            options = checks.CheckOptions(
                languages=languages,
                only=only,
                severities=dict(config.checks.severity),
                wrong_language=wrong_language,
                keep=config.kept_names,
                stale=not no_stale,
                reuse=not fresh,
            )
            result = checks.check_project(config, options, progress=progress_printer(True))
        text = RENDERERS[fmt](result)
        if output is not None:
            _emit([text], output)
            click.echo(RENDERERS["text"](result).splitlines()[-1], err=True)
        else:
            click.echo(text, nl=False)
    sys.exit(EXIT_FAILED if result.failed(strict=strict) else EXIT_OK)


@main.command("fetch")
@click.argument("urls", nargs=-1, required=True)
@click.option(
    "--issue", is_flag=True, help="The URLs are tables of contents: fetch every article listed."
)
@click.option(
    "--translations",
    is_flag=True,
    help="Follow each article's language bar: store its published translations and align them.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@jobs_option
@click.pass_obj
def fetch_pages(
    state: State,
    urls: tuple[str, ...],
    issue: bool,
    translations: bool,
    quiet: bool,
    jobs: int | None,
) -> None:
    """Fetch articles from the publisher's site into the sources, and ingest them.

    Pages already stored are asked for only if changed (conditional requests); a page that
    fails is reported and what is stored for it is left as it was.
    """
    from i18n_pipeline.site import FetchOptions, fetch

    options = FetchOptions(urls, issue=issue, translations=translations, jobs=jobs)
    with errors_to_exit(state), fetch_progress(not quiet) as progress:
        config = state.config()
        result = fetch(config, state.engine(config), options, progress=progress)
    if not quiet:
        for page in result.pages:
            if page.status != "unchanged":
                click.echo(f"{page.status}: {page.path} <- {page.url}")
        for done in result.aligned:
            click.echo(
                f"aligned: {done.path} -> {done.catalog}: {done.aligned_units} of "
                f"{done.units} unit(s), {done.aligned_percent:g}% of words"
            )
    for warning in result.warnings:
        click.echo(f"{warning.path}: warning: {warning.message}", err=True)
    report_errors(result.errors)
    if not quiet:
        counts = {status: 0 for status in ("new", "changed", "unchanged")}
        for page in result.pages:
            counts[page.status] += 1
        click.echo(
            f"fetch: {len(result.pages)} page(s): {counts['new']} new, {counts['changed']} "
            f"changed, {counts['unchanged']} unchanged; {len(result.aligned)} aligned; "
            f"{len(result.errors)} error(s)",
            err=True,
        )
    if not result.ok:
        sys.exit(EXIT_USAGE)


@contextmanager
def fetch_progress(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar on stderr (rich) while pages are fetched, when stderr is a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, Any] = {}

        def show(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield show


@main.group()
def tm() -> None:
    """Translation memory: translated units reused across articles, TMX in and out."""


@tm.command("fill")
@click.option("--lang", "languages", multiple=True, help="Only this language (repeatable).")
@click.option("--article", help="Only articles whose id matches this glob.")
@click.pass_obj
def tm_fill(state: State, languages: tuple[str, ...], article: str | None) -> None:
    """Pre-translate untranslated units from the memory: exact and fuzzy matches."""
    from i18n_pipeline.tm import FillOptions, fill

    with errors_to_exit(state):
        config = state.config()
        result = fill(config, state.engine(config), FillOptions(languages, article))
    for done in result.catalogs:
        click.echo(f"{done.path}: {done.translated} translated, {done.fuzzy} fuzzy")
    report_errors(result.errors)
    units = sum(len(done.fills) for done in result.catalogs)
    click.echo(f"tm fill: {units} unit(s) filled in {len(result.catalogs)} catalog(s)", err=True)
    if result.errors:
        sys.exit(EXIT_USAGE)


@tm.command("export")
@click.option("--format", "fmt", type=click.Choice(("tmx",)), default="tmx", show_default=True)
@click.option("--lang", "languages", multiple=True, help="Only this language (repeatable).")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file instead of standard output.",
)
@click.pass_obj
def tm_export(state: State, fmt: str, languages: tuple[str, ...], output: Path | None) -> None:
    """Write the memory as a TMX 1.4 document."""
    from i18n_pipeline.tm import export_tmx

    with errors_to_exit(state):
        config = state.config()
        data = export_tmx(config, state.engine(config), languages)
        _emit([data], output)


@tm.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def tm_import(state: State, file: Path) -> None:
    """Add the translation pairs of a TMX 1.4 FILE to the memory."""
    from i18n_pipeline.tm import import_tmx

    with errors_to_exit(state):
        config = state.config()
        result = import_tmx(config, state.engine(config), file)
    click.echo(f"{file}: {result.added} pair(s) added, {result.present} already in the memory")
    if result.skipped:
        languages = ", ".join(f"{lang} ({n})" for lang, n in result.skipped.items())
        click.echo(
            f"{file}: skipped pairs in languages the project does not translate: {languages}",
            err=True,
        )


@main.command("align")
@click.argument("language")
@click.argument("article_id", required=False)
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    help="Align every file of this folder, laid out like the sources (articles/).",
)
@click.option("--url", help="Where FILE is published: recorded as its source.")
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True
)
@click.option("--dry-run", is_flag=True, help="Align and report, but write nothing.")
@click.option("--force", is_flag=True, help="Align a file even if it reads as another language.")
@click.pass_obj
def align_translation(
    state: State,
    language: str,
    article_id: str | None,
    file: Path | None,
    folder: Path | None,
    url: str | None,
    fmt: str,
    dry_run: bool,
    force: bool,
) -> None:
    """Align FILE, the published LANGUAGE translation of ARTICLE_ID, into its catalog.

    Sure pairs become translations, the others fuzzy; a translation already in the
    catalog is never replaced. With --dir, every file of a folder laid out like the
    sources is aligned with the article of the same id.
    """
    from i18n_pipeline.align import AlignOptions, align
    from i18n_pipeline.align.summary import conflict_lines, summary_json, summary_lines

    if folder is not None and (article_id or file):
        fail("error: give either ARTICLE_ID and FILE, or --dir, not both")
    if folder is None and not (article_id and file):
        fail("error: give ARTICLE_ID and FILE, or --dir DIR")
    options = AlignOptions(language, article_id, file, folder, url, dry_run, force)
    with errors_to_exit(state):
        config = state.config()
        result = align(config, state.engine(config), options)
    if fmt == "json":
        click.echo(summary_json(result, dry_run=dry_run), nl=False)
    else:
        for line in summary_lines(result, dry_run=dry_run):
            click.echo(line)
    for line in conflict_lines(result):
        click.echo(line, err=True)
    report_errors(result.errors)
    if result.errors:
        sys.exit(EXIT_USAGE)


@main.command("build")
@click.argument("language")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--keep",
    type=click.FloatRange(0, 100),
    default=None,
    help="Percent of words that must be translated (default: build.keep, 80).",
)
@click.option(
    "--keep-last",
    is_flag=True,
    help="Keep the earlier build of an article now below the threshold.",
)
@click.pass_obj
def build_articles(
    state: State, language: str, paths: tuple[Path, ...], keep: float | None, keep_last: bool
) -> None:
    """Write LANGUAGE's translated articles to build/LANGUAGE/ from the catalogs.

    An article less translated than the threshold is not written; the exit code is then 1.
    """
    from i18n_pipeline.build import BuildOptions, build

    with errors_to_exit(state):
        result = build(state.config(), language, paths, BuildOptions(keep, keep_last))
    lang = f"{result.language.label} ({result.language.code})"
    for done in result.written:
        click.echo(f"wrote {done.display} ({done.percent:.1f}% translated)")
    for refused in result.refused:
        click.echo(
            f"{refused.article_id}: not built: {refused.percent:.1f}% of its words are "
            f"translated into {lang}, below the {result.keep:g}% threshold",
            err=True,
        )
    for path in result.removed:
        click.echo(f"removed {path}, an earlier build now below the threshold", err=True)
    for path in result.kept:
        click.echo(f"kept {path} from an earlier build (--keep-last)", err=True)
    report_errors(result.errors)
    if result.errors:
        sys.exit(EXIT_USAGE)
    if result.refused:
        sys.exit(EXIT_FAILED)


@main.group()
def db() -> None:
    """The database: migrations and rebuilding the index."""


@db.command("upgrade")
@click.argument("revision", default="head")
@click.pass_obj
def db_upgrade(state: State, revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    from i18n_pipeline.store import db as store

    with errors_to_exit(state):
        config = state.config()
        engine = state.engine(config)
        store.upgrade(engine, revision)
        click.echo(f"database at revision {store.current_revision(engine)}")


@db.command("downgrade")
@click.argument("revision", default="-1")
@click.pass_obj
def db_downgrade(state: State, revision: str) -> None:
    """Revert migrations down to REVISION (default: one step; 'base' for all)."""
    from i18n_pipeline.store import db as store

    with errors_to_exit(state):
        config = state.config()
        engine = state.engine(config)
        store.downgrade(engine, revision)
        click.echo(f"database at revision {store.current_revision(engine) or 'base'}")


@db.command("current")
@click.pass_obj
def db_current(state: State) -> None:
    """Print the database's migration revision and the latest one."""
    from i18n_pipeline.store import db as store

    with errors_to_exit(state):
        config = state.config()
        engine = state.engine(config)
        current = store.current_revision(engine)
        head = store.head_revision(engine)
    click.echo(f"current: {current or 'base (empty)'}\nhead: {head}")


@db.command("rebuild")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def db_rebuild(state: State, yes: bool) -> None:
    """Recreate the index from the files alone. History and snapshots are lost."""
    from i18n_pipeline.service import rebuild

    with errors_to_exit(state):
        config = state.config()
        if not yes and sys.stdin.isatty():
            click.confirm("This drops the history and snapshots; continue?", abort=True)
        result = rebuild(config, state.engine(config))
    _summarise("ingest", result, False)
    if not result.ok:
        sys.exit(EXIT_USAGE)


def entry() -> None:  # pragma: no cover - console script shim
    main(prog_name=os.path.basename(sys.argv[0]) or "i18n-pipeline")
