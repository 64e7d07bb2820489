"""What a fetched page says, as pure functions of its bytes or text: its charset and text,
whether it is HTML, its language, its language bar and an issue's table of contents, and
the bytes ``fetch`` stores (UTF-8, with its provenance line)."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

from i18n_pipeline.errors import FetchError
from i18n_pipeline.model import Language, Provenance, normalize_space
from i18n_pipeline.read.profile import SiteProfile
from i18n_pipeline.read.provenance import provenance_comment, split_provenance

HTML_TYPES = ("text/html", "application/xhtml+xml")

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*(?P<name>[A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["'](?P<name>[^"']+)""")
_DECLARATION = re.compile(
    r"""(?P<head><meta\b[^>]*?\bcharset\s*=\s*["']?\s*)[A-Za-z0-9_.:-]+"""
    r"""|(?P<xml>^\s*<\?xml[^>]*\bencoding\s*=\s*["'])[^"']+""",
    re.IGNORECASE,
)
#: Labels that browsers read as windows-1252, as the WHATWG Encoding Standard says.
_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"}


@dataclass(frozen=True)
class Decoded:
    """A page's text and how it was decoded; ``warning`` when its declaration was wrong
    in a way that could be mended."""

    text: str
    charset: str
    warning: str | None = None


def media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    found = re.search(r"""charset\s*=\s*["']?([^"';\s]+)""", content_type, re.IGNORECASE)
    return found.group(1) if found else None


def check_html(content_type: str | None, content: bytes, url: str) -> None:
    """Refuse what is not an HTML page: by its Content-Type, or by its first bytes when the
    server sends none."""
    kind = media_type(content_type)
    if kind is None:
        start = content[:1024].lstrip().lower()
        if start.startswith((b"<!doctype html", b"<html", b"<!--", b"<?xml")) or b"<html" in start:
            return
        raise FetchError(
            "not an HTML page (no Content-Type, and it does not look like HTML)", path=url
        )
    if kind not in HTML_TYPES:
        raise FetchError(f"not an HTML page (Content-Type {kind})", path=url)


def _codec(name: str, url: str, where: str) -> str:
    label = name.strip().lower()
    if label in _WINDOWS_1252:
        return "windows-1252"
    try:
        codec = codecs.lookup(label).name
    except LookupError as exc:
        raise FetchError(f"{where} declares an unknown charset '{name}'", path=url) from exc
    return "windows-1252" if codec in ("cp1252", "iso8859-1", "latin-1", "ascii") else codec


def _c1_as_latin1(err: UnicodeError) -> tuple[str, int]:
    """windows-1252 bytes that the codec leaves undefined are the C1 controls, as in
    browsers."""
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error("i18n-pipeline-c1", _c1_as_latin1)


def _bad_byte(content: bytes, exc: UnicodeDecodeError) -> str:
    line = content[: exc.start].count(b"\n") + 1
    return f"byte 0x{content[exc.start]:02x} on line {line}"


def decode_page(content: bytes, content_type: str | None, url: str) -> Decoded:
    """The page's text. Its charset is the byte-order mark's, else the HTTP header's, else
    the ``<meta>`` tag's (older pages of the site declare iso-8859-1 or windows-1252 there);
    a page that declares none must be UTF-8. Bytes that are not in the declared charset are
    a :class:`FetchError`, except for a page declared as Latin-1 that is plainly UTF-8:
    it is read as UTF-8, with a warning."""
    if content.startswith(codecs.BOM_UTF8):
        return Decoded(content[3:].decode("utf-8", "replace"), "utf-8")
    declared = header_charset(content_type)
    where = "the HTTP header"
    if declared is None:
        head = content[:4096]
        found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
        if found is not None:
            declared = found["name"].decode("ascii", "replace")
            where = "its <meta> tag"
    if declared is None:
        try:
            return Decoded(content.decode("utf-8"), "utf-8")
        except UnicodeDecodeError as exc:
            raise FetchError(
                f"declares no charset and is not UTF-8 ({_bad_byte(content, exc)})", path=url
            ) from exc
    codec = _codec(declared, url, "the page" if where == "its <meta> tag" else where)
    if codec == "windows-1252" and not content.isascii():
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return Decoded(
                text,
                "utf-8",
                f"declares charset {declared} in {where} but is UTF-8; read as UTF-8",
            )
        return Decoded(content.decode("windows-1252", "i18n-pipeline-c1"), codec)
    try:
        return Decoded(content.decode(codec), codec)
    except UnicodeDecodeError as exc:
        raise FetchError(
            f"declares charset {declared} in {where} but is not {declared} "
            f"({_bad_byte(content, exc)})",
            path=url,
        ) from exc


def stored_page(text: str, provenance: Provenance) -> bytes:
    """The bytes ``fetch`` stores: the page in UTF-8, its charset declaration saying so,
    under its provenance line."""
    _, body = split_provenance(text)

    def utf8(found: re.Match[str]) -> str:
        return (found["head"] or found["xml"]) + "utf-8"

    body = _DECLARATION.sub(utf8, body, count=2)
    return (provenance_comment(provenance) + body).encode("utf-8")


def page_body(data: bytes) -> bytes:
    """A stored page without its provenance line: what two versions of a page compare by."""
    _, body = split_provenance(data.decode("utf-8", "replace"))
    return body.encode("utf-8")


def _document(text: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(
            text.encode("utf-8", "replace"), parser=lxml.html.HTMLParser(encoding="utf-8")
        )
    except (etree.ParserError, ValueError):
        return None


def page_language(text: str) -> str | None:
    """The language the page declares: ``<html lang>``, ``xml:lang`` or Content-Language."""
    doc = _document(text)
    if doc is None:
        return None
    value = doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not value:
        for meta in doc.iter("meta"):
            if (meta.get("http-equiv") or "").lower() == "content-language":
                value = meta.get("content")
                break
    return value.strip() if value and value.strip() else None


def language_code(tag: str | None, codes: Iterable[str]) -> str | None:
    """The configured code a language tag names: ``de``, ``de-DE`` and ``DE`` are ``de``;
    ``pt-BR`` is ``pt-BR`` when configured, else ``pt``."""
    if not tag:
        return None
    wanted = tag.strip().replace("_", "-").lower()
    by_lower = {c.replace("_", "-").lower(): c for c in codes}
    return by_lower.get(wanted) or by_lower.get(wanted.split("-", 1)[0])


def _fold(text: str) -> str:
    """A label as compared: accents, case and spaces aside."""
    decomposed = unicodedata.normalize("NFKD", normalize_space(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Link:
    """A link of a page: its absolute URL (without fragment), text and ``hreflang``."""

    url: str
    label: str
    hreflang: str | None = None


def _links(doc: lxml.html.HtmlElement, base: str) -> list[tuple[lxml.html.HtmlElement, Link]]:
    out = []
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        url, _ = urldefrag(urljoin(base, href))
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        out.append((a, Link(url, normalize_space(a.text_content()), a.get("hreflang"))))
    return out


@dataclass(frozen=True)
class BarLink:
    """A link of the language bar and the configured language it names, if it says."""

    link: Link
    language: str | None


def language_bar(
    text: str, base: str, languages: Iterable[Language], source_language: str
) -> tuple[BarLink, ...]:
    """The links of the page's language bar: the block that holds the most links naming a
    language by ``hreflang`` or by label (a configured label, or the English name). Each
    is matched to a configured language where its ``hreflang`` or label says which; the
    others (None) are told by the page they lead to. Links to the page itself and to the
    source language are left out."""
    doc = _document(text)
    if doc is None:
        return ()
    languages = tuple(languages)
    codes = [lang.code for lang in languages] + [source_language]
    labels: dict[str, str] = {}
    for lang in languages:
        for name in (lang.label, lang.name, lang.code):
            if name:
                labels.setdefault(_fold(name), lang.code)

    def named(link: Link) -> str | None:
        return language_code(link.hreflang, codes) or labels.get(_fold(link.label))

    links = _links(doc, base)
    votes: dict[lxml.html.HtmlElement, int] = {}
    for a, link in links:
        if named(link) is None:
            continue
        holder = a.getparent()
        while holder is not None and holder.tag in ("a", "span", "b", "i", "em", "strong", "font"):
            holder = holder.getparent()
        if holder is not None:
            votes[holder] = votes.get(holder, 0) + 1
    if not votes:
        return ()
    bar = max(votes, key=lambda el: votes[el])
    page, _ = urldefrag(base)
    out: list[BarLink] = []
    seen: set[str] = set()
    for a, link in links:
        if bar not in a.iterancestors() or link.url == page or link.url in seen:
            continue
        seen.add(link.url)
        code = named(link)
        if code == source_language:
            continue
        out.append(BarLink(link, code))
    return tuple(out)


def is_front_page(url: str) -> bool:
    """Whether a link leads to a folder (an edition's front page), not to a document."""
    path = urlsplit(url).path
    return path == "" or path.endswith("/")


_PRINT = re.compile(r"/print/|[-_.]print\.", re.IGNORECASE)


def issue_links(text: str, base: str, profile: SiteProfile) -> tuple[Link, ...]:
    """The articles an issue's table of contents lists: the links to pages in the issue's
    own folder, after its (last) masthead when the page has one, in their order; print
    versions left out. An article's own trailing contents list the article itself."""
    doc = _document(text)
    if doc is None:
        return ()
    body = doc.find("body")
    root = body if body is not None else doc
    page, _ = urldefrag(base)
    folder = urljoin(page, ".")
    order = {el: n for n, el in enumerate(root.iter())}
    start = -1
    for el, n in order.items():
        if not isinstance(el.tag, str) or el.tag == "a":
            continue
        own = normalize_space(el.text_content())
        if own and len(own) < 120 and profile.masthead(own, generic=False) is not None:
            start = n
    out: list[Link] = []
    seen: set[str] = set()
    for a, link in _links(root, base):
        if order.get(a, -1) <= start:
            continue
        url = link.url.split("?", 1)[0]
        if url in seen or _PRINT.search(url) or is_front_page(url):
            continue
        if not url.startswith(folder):
            continue
        seen.add(url)
        out.append(Link(url, link.label, link.hreflang))
    return tuple(out)
