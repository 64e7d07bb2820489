"""URLs of the site: checking what the user gave, the site's hosts for a run, and the
article id a page's URL gives (its path without the edition's language folder)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from i18n_pipeline.config import Config
from i18n_pipeline.errors import FetchError, InputError
from i18n_pipeline.languages import english_name
from i18n_pipeline.read import validate_article_id

#: Suffixes of page names that are dropped from an id (the page is stored as .html).
PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".php", ".asp", ".aspx")


def check_url(url: str) -> str:
    """An absolute http(s) URL, or an :class:`InputError` naming it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("not an http:// or https:// URL", path=url)
    return url.strip()


def host_of(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


def site_hosts(urls: Iterable[str], config: Config) -> frozenset[str]:
    """The site for one run: the hosts of the URLs given and those of ``site.hosts``."""
    return frozenset(host_of(u) for u in urls) | frozenset(config.fetch.hosts)


def _slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def edition_folders(config: Config) -> frozenset[str]:
    """Names a language edition's folder may have on the site: a language's code, its
    label or the label's first word (``deutsch``, ``espanol``, ``bahasa``), or its English
    name (``english``, ``german``)."""
    names: set[str] = set()
    for lang in config.languages:
        names.update({lang.code.lower(), _slug(lang.label), _slug(lang.name)})
        if lang.label.split():
            names.add(_slug(lang.label.split()[0]))
    names.update({config.source_language, _slug(english_name(config.source_language))})
    names.discard("")
    return frozenset(names)


def article_id_of(url: str, config: Config) -> str:
    """The id of the page at ``url``: its path without the edition's language folder and
    without the page's suffix (``…/english/wv/863/amnesty2.html`` is ``wv/863/amnesty2``).
    An id that would lead out of the sources folder is a :class:`FetchError`."""
    raw = urlsplit(url).path
    parts = [unquote(p) for p in raw.split("/") if p]
    if any(p in (".", "..") or "/" in p or "\\" in p for p in parts):
        raise FetchError(
            f"the page's path '{raw}' would give an id that escapes {_sources(config)}/", path=url
        )
    if len(parts) > 1 and _slug(parts[0]) in edition_folders(config):
        parts = parts[1:]
    if not parts:
        parts = ["index"]
    elif raw.endswith("/"):
        parts.append("index")
    last = parts[-1]
    for suffix in PAGE_SUFFIXES:
        if last.lower().endswith(suffix) and len(last) > len(suffix):
            parts[-1] = last[: -len(suffix)]
            break
    article_id = "/".join(parts)
    try:
        validate_article_id(article_id, path=url)
    except InputError as exc:
        raise FetchError(exc.message, path=url) from exc
    sources = config.sources.resolve()
    target = (config.sources / f"{article_id}.html").resolve()
    if not target.is_relative_to(sources):
        raise FetchError(f"the id '{article_id}' would escape {_sources(config)}/", path=url)
    return article_id


def _sources(config: Config) -> str:
    try:
        return config.sources.resolve().relative_to(config.root).as_posix()
    except ValueError:
        return str(config.sources)


def stored_path(folder: Path, article_id: str) -> Path:
    return folder / f"{article_id}.html"
