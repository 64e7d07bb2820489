"""Reading articles: bytes of a txt, html or md file in, an :class:`Article` out.

The readers are pure functions of text; :func:`decode_article` checks the bytes first so
that an empty, binary or wrongly encoded file gives one clear error naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Any

from i18n_pipeline.errors import InputError
from i18n_pipeline.model import Article
from i18n_pipeline.read.profile import SiteProfile
from i18n_pipeline.read.provenance import split_provenance
from i18n_pipeline.read.text import read_text

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
}

_ID = re.compile(r"[A-Za-z0-9._/-]+")


def validate_article_id(article_id: str, *, path: str | None = None) -> str:
    """Check an article id before any path is built from it."""
    where = path or article_id
    if not article_id:
        raise InputError("empty article id", path=where)
    if article_id.startswith("/") or re.match(r"[A-Za-z]:", article_id):
        raise InputError(f"article id '{article_id}' must be relative", path=where)
    if not _ID.fullmatch(article_id):
        bad = sorted({c for c in article_id if not _ID.fullmatch(c)})
        raise InputError(
            f"article id '{article_id}' has characters outside [A-Za-z0-9._/-]: "
            + " ".join(repr(c) for c in bad),
            path=where,
        )
    for part in article_id.split("/"):
        if part in ("", ".", ".."):
            raise InputError(
                f"article id '{article_id}' has an empty, '.' or '..' part", path=where
            )
    return article_id


def decode_article(data: bytes, path: str) -> str:
    """UTF-8 text of an article file, or an :class:`InputError` naming what is wrong."""
    if not data.strip():
        raise InputError("empty file", path=path)
    if b"\x00" in data[:8192]:
        raise InputError("binary file (it contains NUL bytes), not an article", path=path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); convert the file to UTF-8, "
            "for example with 'iconv -f latin1 -t utf-8'",
            path=path,
            line=line,
        ) from exc
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > 8 and controls > len(text[:8192]) // 100:
        raise InputError("binary file (control characters), not an article", path=path)
    return text


def _reader(fmt: str) -> Callable[..., Article]:
    if fmt == "html":
        from i18n_pipeline.read.html import read_html

        return read_html
    if fmt == "md":
        from i18n_pipeline.read.markdown import read_markdown

        return read_markdown
    return read_text


def parse_article(
    data: bytes,
    *,
    article_id: str,
    source_path: str,
    fmt: str,
    profile: SiteProfile,
    source_language: str,
    candidates: tuple[str, ...] = (),
    pinned: Mapping[str, str] | None = None,
) -> Article:
    """Decode and read one article, then settle its source language."""
    article = read_document(
        data, article_id=article_id, source_path=source_path, fmt=fmt, profile=profile
    )
    language = _pinned_language(article_id, pinned or {})
    if language is None:
        hint = profile.language_of(article.meta.publication)
        language = detect_language(article, candidates, default=source_language, hint=hint)
    return replace(article, source_language=language)


def read_document(
    data: bytes, *, article_id: str, source_path: str, fmt: str, profile: SiteProfile
) -> Article:
    """Decode and read one document (an article, or a published translation of one) as
    it is, without settling its language."""
    validate_article_id(article_id, path=source_path)
    text = decode_article(data, source_path)
    article = _reader(fmt)(text, article_id=article_id, source_path=source_path, profile=profile)
    if fmt == "html":  # a page that fetch stored says where it came from
        provenance, _ = split_provenance(text)
        if provenance is not None:
            article = replace(article, meta=replace(article.meta, provenance=provenance))
    return article


def _pinned_language(article_id: str, pinned: Mapping[str, str]) -> str | None:
    for glob, code in pinned.items():
        if fnmatchcase(article_id, glob):
            return code
    return None


def detect_language(
    article: Article, candidates: tuple[str, ...], *, default: str, hint: str | None = None
) -> str:
    """The article's language among ``default`` and ``candidates``, from its text only.

    The body (paragraphs and quotations) is judged; a page with too little body is judged on
    all its text. Chinese and Japanese are told by their script, however short the page;
    other scripts by langdetect, seeded. When the detector is unsure, ``hint`` (the
    language of the page's edition, from its masthead) decides if it is a candidate, and
    else ``default``. Site chrome never reaches the article, so it is never judged.
    """
    from i18n_pipeline.checks.language import SCRIPTS

    known = tuple(c for c in candidates if c in SCRIPTS and c != default)
    if not known or default not in SCRIPTS:
        return default
    body = [b.text for _, b in article.blocks() if b.kind in ("paragraph", "quote")]
    sample = " ".join(body)
    if sum(c.isalpha() for c in sample) < MIN_BODY_LETTERS:
        sample = " ".join(b.text for _, b in article.blocks())
    found = _detector(default, known).analyse(sample[:4000])
    best = found.best
    if best is not None and (found.scores[best] >= SURE or found.script == "CJK"):
        return best
    if hint is not None and hint in (default, *known):
        return hint
    return default


#: Below this many letters of paragraphs, the whole text of a page is judged.
MIN_BODY_LETTERS = 200
#: How sure langdetect must be before its answer beats the edition's language.
SURE = 0.9


@lru_cache(maxsize=8)
def _detector(default: str, candidates: tuple[str, ...]) -> Any:
    from i18n_pipeline.checks.language import LanguageDetector

    return LanguageDetector(candidates, default, name_share=1.0)
