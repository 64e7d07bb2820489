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


def catalog_headers(
    template: Catalog, language: Language, existing: Catalog | None
) -> list[tuple[str, str]]:
    """Headers of a language's catalog: the translator's own values are kept; the template's
    date, the language, the team, charset and Plural-Forms are set."""
    creation = template.header("POT-Creation-Date") or po_date()
    fixed = {
        "Project-Id-Version": template.header("Project-Id-Version") or "",
        "POT-Creation-Date": creation,
        "Language": language.code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": language.plural_forms,
    }
    kept = {
        "PO-Revision-Date": creation,
        "Last-Translator": "",
        "Language-Team": language.label,
    }
    if existing is not None:
        for key in kept:
            value = existing.header(key)
            if value is not None and value not in (TEMPLATE_REVISION_DATE, TEMPLATE_TRANSLATOR):
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
    headers = [(key, values[key]) for key in order]
    if existing is not None:  # any extra headers a tool added (X-Generator, …) stay
        known = {k.lower() for k in order}
        headers += [(k, v) for k, v in existing.headers if k.lower() not in known]
    return headers
