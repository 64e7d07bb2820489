"""Translated articles from the catalogs, in the source's format.

``build LANG`` reads each article's source again, cuts it into units with the configured
segmentation, and looks each unit up in the language's catalog (no database is needed).
An article is written to ``<build>/<lang>/<id>.<ext>`` (``txt``, ``html`` or ``md``, as
its source) only when at least ``keep`` percent of its words are translated, as po4a's
``--keep`` (default 80, ``build.keep`` in config.yaml). Below it the article is not
written and a build left from an earlier run is deleted, unless ``keep_last`` asks to keep
it.

Fuzzy translations are never used. An untranslated unit falls back to the source text;
in HTML it is marked with the source language (``lang="en"``), on its block or, in
sentence mode, on its sentence. The title block (kicker, title, subtitle, part),
headings, paragraphs, quotations, attributions and list items come out in reading order,
with emphasis, strong emphasis and links restored; HTML sets ``lang`` and ``dir`` on its
root element.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from i18n_pipeline.config import Config
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.files import atomic_write, read_snapshot
from i18n_pipeline.layout import SourceFile, catalog_path, discover_sources, relative
from i18n_pipeline.model import Article, Language, Unit, count_words, strip_tags
from i18n_pipeline.pipeline import read_article
from i18n_pipeline.po.catalog import Catalog
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.realign import join_sentences
from i18n_pipeline.segment import segment

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})


@dataclass(frozen=True)
class Piece:
    """The text of one unit in the built article: its translation, or the source text."""

    text: str
    translated: bool


@dataclass(frozen=True)
class BuiltBlock:
    """One block of the translated article."""

    kind: str
    role: str | None
    pieces: tuple[Piece, ...]

    @property
    def translated(self) -> bool:
        return all(p.translated for p in self.pieces)


@dataclass(frozen=True)
class BuildOptions:
    keep: float | None = None  # percent of words; None: the config's build.keep
    keep_last: bool = False  # keep an earlier build of an article now below the threshold


@dataclass(frozen=True)
class ArticleBuild:
    """One article in one language: how complete it is and, when complete enough, its text."""

    article_id: str
    percent: float
    path: Path
    display: str
    text: str | None  # None when below the threshold


@dataclass
class BuildResult:
    language: Language
    keep: float
    written: list[ArticleBuild] = field(default_factory=list)
    refused: list[ArticleBuild] = field(default_factory=list)
    #: Earlier builds of refused articles: deleted, or kept with ``keep_last``.
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    errors: list[PipelineError] = field(default_factory=list)


def build(
    config: Config, code: str, paths: Sequence[Path] = (), options: BuildOptions = BuildOptions()
) -> BuildResult:
    """Write the translated articles of language ``code`` that are complete enough."""
    language = config.language(code)
    keep = config.keep_for(language.code) if options.keep is None else options.keep
    result = BuildResult(language, keep)
    for source in discover_sources(config, paths):
        try:
            built = build_article(config, language, source, keep)
        except PipelineError as exc:
            result.errors.append(exc)
            continue
        if built.text is not None:
            atomic_write(built.path, built.text.encode("utf-8"), shown=built.display)
            result.written.append(built)
            continue
        result.refused.append(built)
        if built.path.exists():
            if options.keep_last:
                result.kept.append(built.display)
            else:
                built.path.unlink()
                result.removed.append(built.display)
    return result


def output_path(config: Config, code: str, article_id: str, fmt: str) -> Path:
    folder = config.build_dir or config.root / "build"
    return folder / code / f"{article_id}.{fmt}"


def build_article(
    config: Config, language: Language, source: SourceFile, keep: float
) -> ArticleBuild:
    """The translated article, rendered when at least ``keep`` percent of its words are
    translated in the language's catalog."""
    article, _ = read_article(config, source)
    units = segment(article, config.segmentation, article.source_language)
    cpath = catalog_path(config, language.code, article.id)
    csnap = read_snapshot(cpath)
    done = translations(parse_po(csnap.data, relative(config, cpath))) if csnap else {}
    blocks, percent = assemble(units, done)
    path = output_path(config, language.code, article.id, article.format)
    text = render(blocks, article, language) if percent >= keep else None
    return ArticleBuild(article.id, percent, path, relative(config, path), text)


def translations(catalog: Catalog) -> dict[str, str]:
    """msgid → msgstr of the entries usable in a build: translated and not fuzzy."""
    return {e.msgid: e.msgstr for e in catalog.entries if e.translated and e.msgid_plural is None}


def assemble(units: Iterable[Unit], done: dict[str, str]) -> tuple[list[BuiltBlock], float]:
    """The blocks of the translated article, and the percentage of its words translated."""
    blocks: list[BuiltBlock] = []
    words = translated_words = 0
    current: list[Unit] = []
    pieces: list[Piece] = []
    for unit in units:
        if current and current[0].block != unit.block:
            blocks.append(BuiltBlock(current[0].kind, current[0].role, tuple(pieces)))
            current, pieces = [], []
        translation = done.get(unit.text)
        n = count_words(unit.text)
        words += n
        if translation is not None:
            translated_words += n
        current.append(unit)
        pieces.append(
            Piece(translation if translation is not None else unit.text, translation is not None)
        )
    if current:
        blocks.append(BuiltBlock(current[0].kind, current[0].role, tuple(pieces)))
    percent = 100.0 if words == 0 else round(100.0 * translated_words / words, 1)
    return blocks, percent


def render(blocks: list[BuiltBlock], article: Article, language: Language) -> str:
    """The translated article in the format of its source."""
    if article.format == "html":
        return render_html(blocks, article, language)
    if article.format == "md":
        return render_markdown(blocks, language)
    return render_text(blocks, language)


def _joined(block: BuiltBlock, language: Language) -> str:
    return join_sentences((p.text for p in block.pieces), language.code)


def render_text(blocks: list[BuiltBlock], language: Language) -> str:
    return "\n\n".join(strip_tags(_joined(b, language)) for b in blocks) + "\n"


def render_markdown(blocks: list[BuiltBlock], language: Language) -> str:
    out = []
    for b in blocks:
        text = _markdown_inline(_joined(b, language))
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
    """A standalone HTML document (also well-formed XML) of the translated article."""
    source = article.source_language
    direction = "rtl" if language.code.split("-")[0] in RTL_LANGUAGES else "ltr"
    title = next((b for b in blocks if b.kind == "title" and b.role == "title"), None)
    head_title = strip_tags(_joined(title, language)) if title else article.id
    header: list[str] = []
    body: list[str] = []
    in_list = False
    for b in blocks:
        attrs, inner = _html_content(b, language, source)
        if b.kind == "list-item" and not in_list:
            body.append("<ul>")
            in_list = True
        elif b.kind != "list-item" and in_list:
            body.append("</ul>")
            in_list = False
        if b.kind == "title":
            tag = "h1" if b.role == "title" else "p"
            cls = f' class="{html.escape(b.role or "")}"' if b.role != "title" else ""
            header.append(f"<{tag}{cls}{attrs}>{inner}</{tag}>")
        elif b.kind == "heading":
            body.append(f"<h2{attrs}>{inner}</h2>")
        elif b.kind == "quote":
            body.append(f"<blockquote{attrs}><p>{inner}</p></blockquote>")
        elif b.kind == "attribution":
            body.append(f'<p class="attribution"{attrs}>{inner}</p>')
        elif b.kind == "list-item":
            body.append(f"<li{attrs}>{inner}</li>")
        else:
            body.append(f"<p{attrs}>{inner}</p>")
    if in_list:
        body.append("</ul>")
    parts = ["<article>"]
    if header:
        parts += ["<header>", *header, "</header>"]
    parts += [*body, "</article>"]
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(language.code)}" dir="{direction}">\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{html.escape(head_title)}</title>\n</head>\n'
        "<body>\n" + "\n".join(parts) + "\n</body>\n</html>\n"
    )


def _html_content(block: BuiltBlock, language: Language, source: str) -> tuple[str, str]:
    """The attributes and the inner HTML of a block's element. An untranslated block says
    it is in the ``source`` language; in a partly translated one, each untranslated
    sentence does, in a ``<span>``."""
    if block.translated:
        return "", _safe_inline(_joined(block, language))
    mark = f' lang="{html.escape(source)}"'
    if not any(piece.translated for piece in block.pieces):
        return mark, _safe_inline(_joined(block, language))
    inner = (
        _safe_inline(p.text) if p.translated else f"<span{mark}>{_safe_inline(p.text)}</span>"
        for p in block.pieces
    )
    return "", join_sentences(inner, language.code)


_INLINE_TAG = re.compile(r'<(/?)(em|strong|a)(?:\s+href="([^"]*)")?\s*>')


def _safe_inline(text: str) -> str:
    """Escape text but keep the inline tags the readers keep, balanced: a closing tag with
    no opening one is dropped, and tags left open are closed at the end."""
    out: list[str] = []
    open_tags: list[str] = []
    pos = 0
    for m in _INLINE_TAG.finditer(text):
        out.append(html.escape(text[pos : m.start()], quote=False))
        closing, name, href = m.groups()
        if closing:
            if name in open_tags:
                while open_tags:
                    last = open_tags.pop()
                    out.append(f"</{last}>")
                    if last == name:
                        break
        elif name == "a":
            out.append(f'<a href="{html.escape(href or "")}">')
            open_tags.append(name)
        else:
            out.append(f"<{name}>")
            open_tags.append(name)
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    out.extend(f"</{name}>" for name in reversed(open_tags))
    return "".join(out)


def _markdown_inline(text: str) -> str:
    # Links need their href at the closing bracket: rewrite <a href="u">x</a> first.
    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', lambda m: f"[{m[2]}]({m[1]})", text)

    def swap(m: re.Match[str]) -> str:
        name = m.group(2)
        return {"em": "*", "strong": "**"}.get(name, "")

    return _INLINE_TAG.sub(swap, text)
