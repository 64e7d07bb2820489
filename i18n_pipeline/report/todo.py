"""What one language still needs, most important first."""

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


def priority_of(config: Config, article: ArticleCoverage) -> int:
    """The highest priority of the config rules that match the article (0 when none)."""
    found = [
        rule.priority
        for rule in config.priorities
        if scope_matches(config, rule.scope, article_id=article.id, publication=article.publication,
                         tags=article.tags, date=article.date)
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
            left = counts.words - counts.translated_words
            if counts.units == counts.translated:
                continue
            items.append(
                TodoItem(
                    article=article.id, title=article.title, date=article.date,
                    priority=priority, section=section.index, section_title=section.title,
                    words_left=left, fuzzy=counts.fuzzy, fuzzy_words=counts.fuzzy_words,
                    outdated=counts.outdated, untranslated=counts.untranslated,
                    untranslated_words=counts.untranslated_words,
                )
            )
    items.sort(key=lambda i: (-i.priority, _neg_date(i.date), i.article, i.section))
    return items


def _neg_date(date: str | None) -> tuple[int, str]:
    # Newest first; undated articles last.
    if not date:
        return (1, "")
    return (0, "".join(chr(0x10FFFF - ord(c)) for c in date))


def render_todo_text(items: list[TodoItem], language: str) -> str:
    if not items:
        return f"{language}: nothing left to translate\n"
    lines = []
    width = max(len(i.article) for i in items)
    for i in items:
        section = f"§{i.section} {i.section_title or '(lead)'}"
        review = f"{i.fuzzy} fuzzy" + (f" ({i.outdated} outdated)" if i.outdated else "")
        lines.append(
            f"{i.article:<{width}}  {section[:60]:<60}  {i.words_left:>6} words left  "
            f"{review}, {i.untranslated} untranslated"
        )
    total = sum(i.words_left for i in items)
    lines.append(f"{language}: {len(items)} section(s), {total} words left")
    return "\n".join(lines) + "\n"


def render_todo_json(items: list[TodoItem], language: str) -> str:
    return json.dumps({"language": language, "items": [asdict(i) for i in items]},
                      ensure_ascii=False, indent=2) + "\n"
