"""Read an article from an HTML page, with lxml.

The page is walked in document order into draft blocks (:mod:`i18n_pipeline.read.inline`
turns them into sections). Site furniture is left out: ``nav``, ``aside``, ``form``, scripts,
the page's ``footer`` (a ``blockquote``'s footer is its attribution), and any small element
whose text is chrome in the site profile. The main content is the ``article`` (or else
``main``) that holds the title, else the body. The rest of the page, the page's ``header``
included (an ``article``'s own header is content), is read only for the masthead, the date
and the issue's table of contents.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from i18n_pipeline.errors import ArticleError
from i18n_pipeline.model import Article, ArticleMeta, normalize_space
from i18n_pipeline.read.inline import INLINE_NAMES, Draft, InlineText, assemble, safe_href
from i18n_pipeline.read.profile import SiteProfile

_HEADINGS = frozenset(f"h{n}" for n in range(1, 7))


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


_BLOCK = _HEADINGS | _names(
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form header hgroup hr html legend li main menu nav "
    "noscript ol p pre section summary table tbody td tfoot th thead tr ul"
)
#: Site furniture, dropped with what it holds (but see _Walker.dropped for header and footer).
_DROP = _names(
    "nav header footer aside script style noscript form template iframe object embed svg "
    "math canvas video audio select button input textarea head title meta link"
)
#: Containers whose articles are teasers, not the page's content.
_FURNITURE = _names("nav aside header footer form")
#: Class-name words that say what a block of the title is.
_CLASS_ROLES = {
    "title": "title",
    "headline": "title",
    "kicker": "kicker",
    "overline": "kicker",
    "eyebrow": "kicker",
    "subtitle": "subtitle",
    "subhead": "subtitle",
    "standfirst": "subtitle",
    "dek": "subtitle",
    "deck": "subtitle",
    "part": "part",
}
#: Longest text of an element that may be dropped whole as chrome: a language bar or a
#: menu, never a stretch of the article that starts with the same words.
_CHROME_MAX_CHARS = 500


def read_html(text: str, *, article_id: str, source_path: str, profile: SiteProfile) -> Article:
    """The article in the HTML page ``text``; :class:`ArticleError` when it holds no text."""
    doc = _parse(text, source_path)
    body = doc.find("body")
    if body is None:
        raise ArticleError("no article text found", path=source_path)
    root = _main_content(body)
    walker = _Walker(profile, root)
    walker.block(body, _Context(outside=root is not body))
    return assemble(
        walker.drafts,
        article_id=article_id,
        source_path=source_path,
        fmt="html",
        profile=profile,
        meta=ArticleMeta(tags=_keywords(doc)),
        source_language=_language(doc),
        page_title=_page_title(doc),
    )


def html_drafts(source: str, *, line: int, kind: str, profile: SiteProfile) -> list[Draft]:
    """Draft blocks of an HTML fragment embedded in another document, starting at ``line``;
    ``kind`` is the kind of its paragraphs there (e.g. "quote" inside a block quote)."""
    root = lxml.html.fragment_fromstring(_utf8(source), create_parent="div", parser=_parser())
    walker = _Walker(profile, root, first_line=line)
    walker.block(root, _Context(kind=kind))
    return walker.drafts


def _parse(text: str, source_path: str) -> lxml.html.HtmlElement:
    try:
        return lxml.html.document_fromstring(_utf8(text), parser=_parser())
    except etree.ParserError as err:  # nothing but white space or comments
        raise ArticleError("no article text found", path=source_path) from err


# lxml is given bytes with a declared encoding: it refuses a str that holds an XML
# declaration, and a <meta charset> in the page must not override what the text already is.
def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(encoding="utf-8")


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "replace")


def _main_content(body: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    for tag in ("article", "main"):
        found = [
            el for el in body.iter(tag) if not any(a.tag in _FURNITURE for a in el.iterancestors())
        ]
        if found:
            return next((el for el in found if el.find(".//h1") is not None), found[0])
    return body


def _page_title(doc: lxml.html.HtmlElement) -> Draft | None:
    """The page's ``<title>``, which names the article's title (see ``assemble``)."""
    title = doc.find("head/title")
    if title is None or not (text := normalize_space(title.text_content())):
        return None
    return Draft("heading", text, text, title.sourceline or 1, level=1, role="title")


def _keywords(doc: lxml.html.HtmlElement) -> tuple[str, ...]:
    tags: list[str] = []
    for meta in doc.iterfind("head/meta[@name='keywords']"):
        tags += (normalize_space(t) for t in meta.get("content", "").split(","))
    return tuple(t for t in tags if t)


def _language(doc: lxml.html.HtmlElement) -> str:
    lang = doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    return lang.strip().split("-")[0].lower() or "en"


def _class_role(el: lxml.html.HtmlElement) -> str | None:
    for name in el.get("class", "").lower().split():
        for word in name.replace("_", "-").split("-"):
            if word in _CLASS_ROLES:
                return _CLASS_ROLES[word]
    return None


@dataclass(frozen=True)
class _Context:
    """What the enclosing elements say about the blocks below them."""

    kind: str = "paragraph"
    role: str | None = None
    outside: bool = False


@dataclass
class _Run:
    """Inline content between two block elements: one paragraph in the making."""

    line: int
    text: InlineText = field(default_factory=InlineText)
    after_break: bool = False


class _Walker:
    """Collects the draft blocks below an element, in document order."""

    def __init__(
        self, profile: SiteProfile, root: lxml.html.HtmlElement, first_line: int = 1
    ) -> None:
        self.profile = profile
        self.root = root
        self.content_chain = {root, *root.iterancestors()}
        self.offset = first_line - 1
        self.last_line = first_line
        self.drafts: list[Draft] = []

    def line(self, el: lxml.html.HtmlElement) -> int:
        if el.sourceline is not None:
            self.last_line = el.sourceline + self.offset
        return self.last_line

    def tail_line(self, el: lxml.html.HtmlElement) -> int:
        """The line where the text after an empty element (``<br>``) starts."""
        tail = el.tail or ""
        return self.line(el) + tail[: len(tail) - len(tail.lstrip())].count("\n")

    def block(self, el: lxml.html.HtmlElement, ctx: _Context) -> None:
        """Draft blocks of a block element: its headings, runs of inline text, children."""
        if el.tag in _HEADINGS:
            out = InlineText()
            self.inline_content(el, out)
            level = int(el.tag[1])
            self.drafts += out.drafts(
                "heading",
                self.line(el),
                self.profile,
                level=level,
                role=ctx.role,
                outside=ctx.outside,
            )
            return
        start = len(self.drafts)
        run = _Run(self.line(el))
        run.text.text(el.text or "")
        for child in el:
            if isinstance(child.tag, str) and not self.dropped(child):
                if child.tag in _BLOCK:
                    self.flush(run, ctx)
                    self.block(child, self.context(child, ctx))
                    run = _Run(self.line(child))
                elif child.tag != "br":
                    self.inline(child, run.text)
                    run.after_break = False
                elif run.after_break:  # <br><br>: a paragraph break in old pages
                    self.flush(run, ctx)
                    run = _Run(self.tail_line(child))
                else:
                    run.text.line_break(self.tail_line(child))
                    run.after_break = True
            run.text.text(child.tail or "")
            run.after_break = run.after_break and not (child.tail or "").strip()
        self.flush(run, ctx)
        if el.tag in ("hgroup", "header"):
            self.mark_title_group(start)

    def flush(self, run: _Run, ctx: _Context) -> None:
        self.drafts += run.text.drafts(
            ctx.kind, run.line, self.profile, role=ctx.role, outside=ctx.outside
        )

    def inline(self, el: lxml.html.HtmlElement, out: InlineText) -> None:
        """Inline markup: em/i, strong/b and links kept as tags, other elements unwrapped."""
        if not isinstance(el.tag, str) or el.tag in _DROP:
            return
        if el.tag == "br":
            out.line_break(self.tail_line(el))
            return
        name = INLINE_NAMES.get(el.tag)
        href = safe_href(el.get("href", "")) if el.tag == "a" else None
        if href is not None:
            name = "a"
        if name:
            out.open(name, href)
        self.inline_content(el, out)
        if name:
            out.close(name)

    def inline_content(self, el: lxml.html.HtmlElement, out: InlineText) -> None:
        out.text(el.text or "")
        for child in el:
            spaced = child.tag in _BLOCK
            if spaced:
                out.text(" ")
            self.inline(child, out)
            if spaced:
                out.text(" ")
            out.text(child.tail or "")

    def dropped(self, el: lxml.html.HtmlElement) -> bool:
        """True for furniture: see the module docstring."""
        if el in self.content_chain:
            return False
        if el.tag == "header":  # see context(): the page's header is read for metadata only
            return False
        if el.tag == "footer":
            return not any(a.tag == "blockquote" for a in el.iterancestors())
        if el.tag in _DROP:
            return True
        if el.tag not in _BLOCK or any(d.tag in _HEADINGS for d in el.iterdescendants()):
            return False
        text = normalize_space(el.text_content())
        return len(text) <= _CHROME_MAX_CHARS and self.profile.is_chrome(text)

    def context(self, el: lxml.html.HtmlElement, ctx: _Context) -> _Context:
        kind = ctx.kind
        if el.tag == "blockquote":
            kind = "quote"
        elif el.tag == "li":
            kind = "list-item"
        elif el.tag == "footer" and kind == "quote":
            kind = "attribution"
        outside = ctx.outside and el is not self.root
        if el.tag == "header" and not any(a.tag in ("article", "main") for a in el.iterancestors()):
            outside = True
        return _Context(kind, _class_role(el) or ctx.role, outside)

    def mark_title_group(self, start: int) -> None:
        """In an ``hgroup`` or an article's ``header``, what stands before the title is its
        kicker and what follows its subtitle, unless a class name says otherwise."""
        group = self.drafts[start:]
        title = next((i for i, d in enumerate(group) if d.level == 1), None)
        if title is None:
            return
        for i, d in enumerate(group):
            if d.role is None and i != title:
                role = "kicker" if i < title else "subtitle"
                self.drafts[start + i] = dataclasses.replace(d, role=role)
