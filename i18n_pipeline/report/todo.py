"""What one language still needs, most important first.

One item per section with words left: its fuzzy units (they need review; ``outdated`` of
them became fuzzy because the source changed) and its untranslated units. Items come by the
priority ``config.yaml`` gives their article (``priorities``: by publication, tag or article
glob; the highest matching rule wins), then newest article first, then in article order.
Articles the language does not want are not listed, as the coverage leaves them out.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from i18n_pipeline.config import Config
from i18n_pipeline.report.coverage import ArticleCoverage, Coverage, scope_matches


@dataclass(frozen=True)
class TodoItem:
    article: str
    title: str | None
    date: str | None
    priority: int
    section: int
    section_title: str | None
    words_left: int
    fuzzy: int
    fuzzy_words: int
    outdated: int
    untranslated: int
    untranslated_words: int

    @property
    def section_label(self) -> str:
        return f"§{self.section} {self.section_title or '(lead)'}"


def priority_of(config: Config, article: ArticleCoverage) -> int:
    """The highest priority of the config rules that match the article (0 when none)."""
    found = [
        rule.priority
        for rule in config.priorities
        if scope_matches(
            config,
            rule.scope,
            article_id=article.id,
            publication=article.publication,
            tags=article.tags,
            date=article.date,
        )
    ]
    return max(found, default=0)


def todo_items(config: Config, coverage: Coverage, language: str) -> list[TodoItem]:
    """Sections with words left in ``language``: by priority, then newest article first."""
    items = []
    for article in coverage.articles:
        if language not in article.languages:
            continue  # the article's own language, or one this language does not want
        priority = priority_of(config, article)
        for section in article.sections:
            counts = section.languages[language]
            if counts.translated == counts.units:
                continue
            items.append(
                TodoItem(
                    article=article.id,
                    title=article.title,
                    date=article.date,
                    priority=priority,
                    section=section.index,
                    section_title=section.title,
                    words_left=counts.words - counts.translated_words,
                    fuzzy=counts.fuzzy,
                    fuzzy_words=counts.fuzzy_words,
                    outdated=counts.outdated,
                    untranslated=counts.untranslated,
                    untranslated_words=counts.untranslated_words,
                )
            )
    items.sort(key=lambda i: (-i.priority, _newest_first(i.date), i.article, i.section))
    return items


def _newest_first(date: str | None) -> tuple[int, str]:
    """A sort key putting later ISO dates first and undated articles last."""
    if not date:
        return (1, "")
    return (0, "".join(chr(0x10FFFF - ord(c)) for c in date))


_HEADINGS = ("priority", "date", "article", "section", "words left", "fuzzy", "outdated",
             "untranslated")  # fmt: skip


def render_todo_text(items: list[TodoItem], language: str) -> str:
    """A fixed-width table, one line per section, and a summary line."""
    if not items:
        return f"{language}: nothing left to translate\n"
    rows = [
        (
            str(i.priority),
            i.date or "",
            i.article,
            i.section_label[:60],
            f"{i.words_left:,}",
            str(i.fuzzy),
            str(i.outdated),
            str(i.untranslated),
        )
        for i in items
    ]
    widths = [max(len(h), *(len(r[n]) for r in rows)) for n, h in enumerate(_HEADINGS)]
    numeric = {0, 4, 5, 6, 7}

    def line(cells: tuple[str, ...]) -> str:
        parts = [
            c.rjust(w) if n in numeric else c.ljust(w)
            for n, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    fuzzy_words = sum(i.fuzzy_words for i in items)
    untranslated_words = sum(i.untranslated_words for i in items)
    articles = len({i.article for i in items})
    summary = (
        f"{language}: {fuzzy_words + untranslated_words:,} words left in {len(items)} "
        f"section(s) of {articles} article(s): {fuzzy_words:,} fuzzy (to review), "
        f"{untranslated_words:,} untranslated"
    )
    return "\n".join([line(_HEADINGS), *(line(r) for r in rows), summary]) + "\n"


def render_todo_json(items: list[TodoItem], language: str) -> str:
    """``{"language": code, "items": [{article, section, words_left, fuzzy, …}, …]}``."""
    data = {"language": language, "items": [asdict(i) for i in items]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
