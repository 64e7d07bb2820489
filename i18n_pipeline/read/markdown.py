"""Read an article from Markdown, with markdown-it-py, and its optional YAML front matter.

Front matter (between ``---`` lines at the top) may give ``publication``, ``issue``,
``date``, ``kicker``, ``title``, ``subtitle``, ``part``, ``tags`` and ``language``. Without a
title there, the first ``#`` heading is the title. Other headings open sections; block
quotes give quotes, list items list items; emphasis, strong emphasis and links are kept as
``<em>``, ``<strong>`` and ``<a href="…">``; code is kept as its text; raw HTML blocks are
read as HTML. :mod:`i18n_pipeline.read.inline` turns the blocks into sections.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from i18n_pipeline.errors import ArticleError
from i18n_pipeline.model import Article, ArticleMeta, normalize_space
from i18n_pipeline.read.html import html_drafts
from i18n_pipeline.read.inline import INLINE_NAMES, Draft, InlineText, assemble, safe_href
from i18n_pipeline.read.profile import SiteProfile

FRONT_MATTER_KEYS = (
    "publication",
    "issue",
    "date",
    "kicker",
    "title",
    "subtitle",
    "part",
    "tags",
    "language",
)
_TITLE_KEYS = ("kicker", "title", "subtitle", "part")
_PARSER = MarkdownIt("commonmark").enable("table")
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>", re.S)
_HREF = re.compile(r"""\bhref\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""", re.I)


def read_markdown(text: str, *, article_id: str, source_path: str, profile: SiteProfile) -> Article:
    """The article in the Markdown document ``text``; :class:`ArticleError` for bad front
    matter (with its line) or a document without text."""
    # Lines as markdown-it counts them: only \n, \r\n and \r end a line.
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    front = _front_matter(lines, source_path, profile)
    body = "\n".join(lines[front.body_line - 1 :])
    drafts = _drafts(_PARSER.parse(body), front.body_line, profile)
    if front.meta.title is not None:  # the same title again as a heading is no new section
        first = next((i for i, d in enumerate(drafts) if d.level == 1), None)
        if first is not None and drafts[first].plain == front.meta.title:
            del drafts[first]
    return assemble(
        [*front.drafts, *drafts],
        article_id=article_id,
        source_path=source_path,
        fmt="md",
        profile=profile,
        meta=front.meta,
        source_language=front.language or "en",
    )


def _drafts(tokens: list[Token], first_line: int, profile: SiteProfile) -> list[Draft]:
    """Draft blocks of the token stream; lines count from ``first_line``."""
    kinds = ["paragraph"]  # the kind of a paragraph here: inside quotes, list items
    level = 0
    drafts: list[Draft] = []
    for token in tokens:
        line = first_line + (token.map[0] if token.map else 0)
        if token.type == "blockquote_open":
            kinds.append("quote")
        elif token.type == "list_item_open":
            kinds.append("list-item")
        elif token.type in ("blockquote_close", "list_item_close"):
            kinds.pop()
        elif token.type == "heading_open":
            level = int(token.tag[1:])
        elif token.type == "heading_close":
            level = 0
        elif token.type == "inline":
            kind = "heading" if level else kinds[-1]
            drafts += _inline(token, line).drafts(kind, line, profile, level=level)
        elif token.type in ("fence", "code_block"):
            code = InlineText()
            code.text(token.content)
            drafts += code.drafts(kinds[-1], line, profile)
        elif token.type == "html_block":
            drafts += html_drafts(token.content, line=line, kind=kinds[-1], profile=profile)
    return drafts


def _inline(token: Token, line: int) -> InlineText:
    """The text of an inline token: emphasis, strong emphasis and links as simple tags."""
    out = InlineText()
    raw_skip = False  # inside raw <script> or <style>
    for child in token.children or []:
        if child.type == "html_inline":
            raw_skip = _html_inline(child.content, out, line, raw_skip)
        elif raw_skip:
            continue
        elif child.type in ("text", "code_inline"):
            out.text(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            line += 1
            out.line_break(line)
        elif child.type in ("em_open", "strong_open"):
            out.open(child.tag)
        elif child.type in ("em_close", "strong_close"):
            out.close(child.tag)
        elif child.type == "link_open":
            href = safe_href(str(child.attrGet("href") or ""))
            if href is not None:
                out.open("a", href)
        elif child.type == "link_close":
            out.close("a")
    return out


def _html_inline(tag: str, out: InlineText, line: int, raw_skip: bool) -> bool:
    """Apply one raw inline HTML tag; returns whether text is now skipped (script, style)."""
    m = _HTML_TAG.fullmatch(tag.strip())
    if m is None:  # a comment, a declaration
        return raw_skip
    closing, name = m[1] == "/", m[2].lower()
    if name in ("script", "style"):
        return not closing
    if raw_skip:
        return True
    if name == "br":
        out.line_break(line)
    elif name in INLINE_NAMES:
        (out.close if closing else out.open)(INLINE_NAMES[name])
    elif name == "a" and closing:
        out.close("a")
    elif name == "a" and (href := _HREF.search(m[3])):
        url = safe_href(html.unescape(href[1].strip("\"'")))
        if url is not None:
            out.open("a", url)
    return False


@dataclass(frozen=True)
class _FrontMatter:
    meta: ArticleMeta  # publication, issue, date, tags; title lines come as drafts
    drafts: tuple[Draft, ...] = ()
    language: str | None = None
    body_line: int = 1  # the first line after the front matter


def _front_matter(lines: list[str], path: str, profile: SiteProfile) -> _FrontMatter:
    """The YAML front matter, if the document opens with a ``---`` line."""
    if lines[0].rstrip() != "---":
        return _FrontMatter(ArticleMeta())
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise ArticleError("front matter: no closing '---' line", path=path, line=1)
    values = _load("\n".join(lines[1:end]), path)

    def text_of(key: str) -> str | None:
        return _text(*values.get(key, (None, 0)), key, path)

    drafts = []
    for role in _TITLE_KEYS:
        if value := text_of(role):
            drafts.append(Draft("paragraph", value, value, values[role][1], role=role))
    meta = ArticleMeta(
        publication=text_of("publication"),
        issue=text_of("issue"),
        date=_date(*values.get("date", (None, 0)), profile, path),
        title=text_of("title"),
        tags=_tags(*values.get("tags", (None, 0)), path),
    )
    language = text_of("language")
    return _FrontMatter(meta, tuple(drafts), language and language.lower(), end + 2)


def _load(source: str, path: str) -> dict[str, tuple[object, int]]:
    """Each key's value and line; :class:`ArticleError` at the line of a problem. The front
    matter's text starts on the document's line 2."""
    loader = yaml.SafeLoader(source)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise ArticleError(
                "front matter must be a mapping of keys to values", path=path, line=2
            )
        values: dict[str, tuple[object, int]] = {}
        for key_node, value_node in node.value:
            key, line = str(key_node.value), key_node.start_mark.line + 2
            if key not in FRONT_MATTER_KEYS:
                known = ", ".join(FRONT_MATTER_KEYS)
                raise ArticleError(
                    f"front matter: unknown key '{key}' (known: {known})", path=path, line=line
                )
            try:
                value = loader.construct_object(value_node, deep=True)
            except ValueError as err:  # a date YAML cannot build, such as 2006-02-30
                raise ArticleError(f"front matter: '{key}': {err}", path=path, line=line) from err
            values[key] = (value, value_node.start_mark.line + 2)
        return values
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err)
        line = mark.line + 2 if mark is not None else 2
        raise ArticleError(f"front matter: {problem}", path=path, line=line) from err
    except RecursionError as err:
        raise ArticleError("front matter: nested too deeply", path=path, line=2) from err
    finally:
        loader.dispose()


def _text(value: object, line: int, key: str, path: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return normalize_space(str(value)) or None
    raise ArticleError(f"front matter: '{key}' must be text", path=path, line=line)


def _date(value: object, line: int, profile: SiteProfile, path: str) -> str | None:
    """ISO date from a YAML date, an ISO string or a date as the site writes it."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        if found := profile.parse_date(normalize_space(value)):
            return found
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ArticleError(
        f"front matter: 'date' must be a date like 2006-02-03, not {value!r}",
        path=path,
        line=line,
    )


def _tags(value: object, line: int, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if isinstance(items, list) and all(isinstance(t, str | int | float) for t in items):
        return tuple(t for t in (normalize_space(str(t)) for t in items) if t)
    raise ArticleError("front matter: 'tags' must be a list of words", path=path, line=line)
