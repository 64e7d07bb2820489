"""From units to catalogs: the article's template and a fresh catalog for each language."""

from __future__ import annotations

from datetime import UTC, datetime

from i18n_pipeline.model import Article, Language, Unit
from i18n_pipeline.po.catalog import Catalog, Entry

TEMPLATE_REVISION_DATE = "YEAR-MO-DA HO:MI+ZONE"
TEMPLATE_TRANSLATOR = "FULL NAME <EMAIL@ADDRESS>"
TEMPLATE_TEAM = "LANGUAGE <LL@li.org>"


def po_date(moment: datetime | None = None) -> str:
    """A gettext header date, ``2026-11-25 14:00+0000``."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def section_comment(unit: Unit) -> str:
    title = unit.section_title if unit.section_title is not None else "(lead)"
    return f"Section {unit.section}: {title}"


def block_comment(unit: Unit) -> str:
    kind = f"{unit.kind} ({unit.role})" if unit.role else unit.kind
    return f"Block: {kind}"


def build_template(article: Article, units: list[Unit], *, creation_date: str) -> Catalog:
    """The template of ``article``: one entry per distinct unit text, in reading order.

    Identical text twice is one entry with both references and both comments.
    """
    entries: dict[str, Entry] = {}
    for unit in units:
        ref = f"{article.source_path}:{unit.line}"
        comments = [section_comment(unit), block_comment(unit)]
        entry = entries.get(unit.text)
        if entry is None:
            entries[unit.text] = Entry(
                msgid=unit.text, extracted_comments=comments, references=[ref]
            )
            continue
        for comment in comments:
            if comment not in entry.extracted_comments:
                entry.extracted_comments.append(comment)
        if ref not in entry.references:
            entry.references.append(ref)
    return Catalog(
        headers=template_headers(article, creation_date),
        header_comments=header_comments(article),
        header_flags=["fuzzy"],
        entries=list(entries.values()),
    )


def header_comments(article: Article, language: Language | None = None) -> list[str]:
    title = article.meta.title or article.id
    lines = [f"{title}", f"Source: {article.source_path}"]
    meta = article.meta
    if meta.publication:
        issue = f" No. {meta.issue}" if meta.issue else ""
        date = f", {meta.date}" if meta.date else ""
        lines.append(f"{meta.publication}{issue}{date}")
    if meta.provenance is not None:
        lines.append(meta.provenance.describe())
    if language is not None:
        lines[0] = f"{title} ({language.name})"
    return lines


def template_headers(article: Article, creation_date: str) -> list[tuple[str, str]]:
    return [
        ("Project-Id-Version", article.id),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", creation_date),
        ("PO-Revision-Date", TEMPLATE_REVISION_DATE),
        ("Last-Translator", TEMPLATE_TRANSLATOR),
        ("Language-Team", TEMPLATE_TEAM),
        ("Language", ""),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ]


#: Headers a translator or a tool owns: an existing catalog's value is never replaced.
TRANSLATOR_HEADERS = ("PO-Revision-Date", "Last-Translator", "Language-Team", "Plural-Forms")
_PLACEHOLDERS = (
    TEMPLATE_REVISION_DATE,
    TEMPLATE_TRANSLATOR,
    TEMPLATE_TEAM,
    "nplurals=INTEGER; plural=EXPRESSION;",
)


def owned_header(existing: Catalog | None, key: str) -> str | None:
    """The existing catalog's own value of ``key``: None when it has none, or only the
    placeholder a template carries."""
    if existing is None:
        return None
    value = existing.header(key)
    return None if value is None or value in _PLACEHOLDERS else value


def catalog_headers(
    template: Catalog, language: Language, existing: Catalog | None
) -> list[tuple[str, str]]:
    """Headers of a language's catalog. The template's date, the language and the charset
    are set; the translator's own headers (revision date, translator, team, plural rule,
    and any ``X-`` or other field a tool added) are kept as the existing catalog has them.
    A new catalog gets the language's plural rule from the project's table."""
    creation = template.header("POT-Creation-Date") or po_date()
    fixed = {
        "Project-Id-Version": template.header("Project-Id-Version") or "",
        "POT-Creation-Date": creation,
        "Language": language.code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    kept = {
        "PO-Revision-Date": creation,
        "Last-Translator": "",
        "Language-Team": language.label,
        "Plural-Forms": language.plural_forms,
    }
    for key in TRANSLATOR_HEADERS:
        value = owned_header(existing, key)
        if value is not None:
            kept[key] = value
    order = [
        "Project-Id-Version",
        "Report-Msgid-Bugs-To",
        "POT-Creation-Date",
        "PO-Revision-Date",
        "Last-Translator",
        "Language-Team",
        "Language",
        "MIME-Version",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Plural-Forms",
    ]
    values = {
        **kept,
        **fixed,
        "Report-Msgid-Bugs-To": template.header("Report-Msgid-Bugs-To") or "",
    }
    if existing is None:
        return [(key, values[key]) for key in order]
    # The existing catalog's fields in its own order and spelling; missing ones appended.
    canonical = {key.lower(): key for key in order}
    headers = [
        (key, values[canonical[key.lower()]]) if key.lower() in canonical else (key, value)
        for key, value in existing.headers
    ]
    present = {key.lower() for key, _ in existing.headers}
    headers += [(key, values[key]) for key in order if key.lower() not in present]
    return headers
