"""Translated articles from the catalogs, in the source's format.

An article is written to ``build/<lang>/<id>.<ext>`` only when at least ``keep`` percent of
its words are translated (po4a's ``--keep``; default 80). Fuzzy translations are never used;
an untranslated unit falls back to the English, marked ``lang="en"`` in HTML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from i18n_pipeline.model import Article, Language, Unit, count_words
from i18n_pipeline.po.catalog import Catalog

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "yi", "ps", "sd", "ug"})
EXTENSIONS = {"txt": "txt", "html": "html", "md": "md"}


@dataclass(frozen=True)
class BuiltBlock:
    kind: str
    role: str | None
    text: str
    translated: bool  # every unit of the block translated


@dataclass(frozen=True)
class BuildOutcome:
    article_id: str
    language: str
    percent: float
    written: bool
    path: Path | None
    text: str | None


def translations(catalog: Catalog) -> dict[str, str]:
    """msgid → msgstr of the entries usable in a build: translated and not fuzzy."""
    return {e.msgid: e.msgstr for e in catalog.entries if e.translated and e.msgid_plural is None}


def assemble(units: list[Unit], done: dict[str, str]) -> tuple[list[BuiltBlock], float]:
    """Blocks of the translated article, and the percentage of words translated."""
    blocks: list[BuiltBlock] = []
    words = translated_words = 0
    current: list[tuple[Unit, str | None]] = []

    def flush() -> None:
        if not current:
            return
        first = current[0][0]
        text = " ".join(t if t is not None else u.text for u, t in current)
        blocks.append(BuiltBlock(first.kind, first.role, text, all(t is not None for _, t in current)))
        current.clear()

    for unit in units:
        if current and current[0][0].block != unit.block:
            flush()
        translation = done.get(unit.text)
        n = count_words(unit.text)
        words += n
        if translation is not None:
            translated_words += n
        current.append((unit, translation))
    flush()
    percent = 100.0 if words == 0 else round(100.0 * translated_words / words, 1)
    return blocks, percent


def render_text(blocks: list[BuiltBlock]) -> str:
    return "\n\n".join(_strip_tags(b.text) for b in blocks) + "\n"


def render_markdown(blocks: list[BuiltBlock]) -> str:
    out = []
    for b in blocks:
        text = _markdown_inline(b.text)
        if b.kind == "title" and b.role == "title":
            out.append(f"# {text}")
        elif b.kind == "title":
            out.append(f"*{text}*" if b.role in ("kicker", "part") else f"**{text}**")
        elif b.kind == "heading":
            out.append(f"## {text}")
        elif b.kind == "quote":
            out.append(f"> {text}")
        elif b.kind == "list-item":
            out.append(f"- {text}")
        else:
            out.append(text)
    return "\n\n".join(out) + "\n"


def render_html(blocks: list[BuiltBlock], article: Article, language: Language) -> str:
    direction = "rtl" if language.code.split("-")[0] in RTL_LANGUAGES else "ltr"
    title = next((b for b in blocks if b.kind == "title" and b.role == "title"), None)
    head_title = _strip_tags(title.text) if title else article.id
    body = []
    in_list = False
    for b in blocks:
        fallback = "" if b.translated else ' lang="en"'
        inner = _safe_inline(b.text)
        if b.kind == "list-item" and not in_list:
            body.append("<ul>")
            in_list = True
        elif b.kind != "list-item" and in_list:
            body.append("</ul>")
            in_list = False
        if b.kind == "title":
            tag = "h1" if b.role == "title" else "p"
            cls = f' class="{b.role}"' if b.role != "title" else ""
            body.append(f"<{tag}{cls}{fallback}>{inner}</{tag}>")
        elif b.kind == "heading":
            body.append(f"<h2{fallback}>{inner}</h2>")
        elif b.kind == "quote":
            body.append(f"<blockquote{fallback}><p>{inner}</p></blockquote>")
        elif b.kind == "attribution":
            body.append(f'<p class="attribution"{fallback}>{inner}</p>')
        elif b.kind == "list-item":
            body.append(f"<li{fallback}>{inner}</li>")
        else:
            body.append(f"<p{fallback}>{inner}</p>")
    if in_list:
        body.append("</ul>")
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(language.code)}" dir="{direction}">\n'
        f'<head>\n<meta charset="utf-8">\n<title>{html.escape(head_title)}</title>\n</head>\n'
        f"<body>\n<article>\n" + "\n".join(body) + "\n</article>\n</body>\n</html>\n"
    )


_TAG = re.compile(r"<(/?)(em|strong|a)(?:\s+href=\"([^\"]*)\")?\s*>")


def _safe_inline(text: str) -> str:
    """Escape text but restore the simple inline tags the readers keep."""
    out, pos = [], 0
    for m in _TAG.finditer(text):
        out.append(html.escape(text[pos : m.start()], quote=False))
        closing, name, href = m.groups()
        if closing:
            out.append(f"</{name}>")
        elif name == "a":
            out.append(f'<a href="{html.escape(href or "")}">')
        else:
            out.append(f"<{name}>")
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _strip_tags(text: str) -> str:
    return _TAG.sub("", text)


def _markdown_inline(text: str) -> str:
    def swap(m: re.Match[str]) -> str:
        closing, name, href = m.groups()
        if name == "em":
            return "*"
        if name == "strong":
            return "**"
        return f"]({href or ''})" if closing else "["

    # Links need their href at the closing bracket: rewrite <a href="u">x</a> first.
    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', lambda m: f"[{m[2]}]({m[1]})", text)
    return _TAG.sub(swap, text)
