"""What the markup readers (HTML and Markdown) share: inline text and the article's structure.

Both readers turn their syntax into a flat list of :class:`Draft` blocks, whose text keeps
emphasis, strong emphasis and links as the simple tags ``<em>``, ``<strong>`` and
``<a href="…">`` (:class:`InlineText` builds it), and hand that list to :func:`assemble`,
which applies the site profile the way the plain-text reader does: chrome is dropped,
masthead and date become metadata, the title block (kicker, title, subtitle, part) opens
section 0, each heading opens a section, and a table of contents after a repeated masthead
becomes ``meta.issue_contents``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from i18n_pipeline.errors import ArticleError
from i18n_pipeline.model import Article, ArticleMeta, Block, Section, normalize_space
from i18n_pipeline.read.profile import SiteProfile
from i18n_pipeline.read.text import (
    MAX_TITLE_BLOCKS,
    front_start,
    is_wholly_quoted,
    looks_like_title_part,
    title_roles,
)

#: HTML elements kept as inline tags in block text, by the tag they become (links apart).
INLINE_NAMES = {"em": "em", "i": "em", "strong": "strong", "b": "strong"}

#: The page's <title> names its title among this many blocks at the top.
MAX_HINT_DRAFTS = 16
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HREF_UNSAFE = re.compile(r'[\t\n\f\r "<>]')
_UNSAFE_SCHEME = re.compile(r"\s*(?:javascript|vbscript|data):", re.I)
_OPEN_SPACE = re.compile(r'(<(?:em|strong)>|<a href="[^"]*">)\s+')
_SPACE_CLOSE = re.compile(r"\s+(</(?:em|strong|a)>)")


def safe_href(url: str) -> str | None:
    """The link target as kept in block text, or None for a link that must not be kept."""
    url = url.strip()
    if not url or _UNSAFE_SCHEME.match(url):
        return None
    return _HREF_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url)


@dataclass
class _Piece:
    markup: str
    plain: str = ""
    tag: bool = False


@dataclass
class InlineText:
    """The text of one block, built piece by piece: markup with simple tags, and plain text.

    Text is kept as it is (``<`` stays ``<``): block text is not HTML. Tags left open are
    closed at the end, a close without its open is ignored, and an empty element vanishes.
    """

    _pieces: list[_Piece] = field(default_factory=list)
    _open: list[tuple[str, int]] = field(default_factory=list)
    #: Line breaks: (index of the piece after the break, source line, outside any tag).
    _breaks: list[tuple[int, int | None, bool]] = field(default_factory=list)

    def text(self, text: str) -> None:
        text = _CONTROL.sub("", text)
        if text:
            self._pieces.append(_Piece(text, text))

    def open(self, tag: str, href: str | None = None) -> None:
        markup = f'<a href="{href}">' if tag == "a" else f"<{tag}>"
        self._open.append((tag, len(self._pieces)))
        self._pieces.append(_Piece(markup, tag=True))

    def close(self, tag: str) -> None:
        if not self._open or self._open[-1][0] != tag:
            return
        _, start = self._open.pop()
        inner = self._pieces[start + 1 :]
        if all(not p.tag and not p.plain.strip() for p in inner):
            del self._pieces[start]
            self._breaks = [(at - (at > start), ln, top) for at, ln, top in self._breaks]
        else:
            self._pieces.append(_Piece(f"</{tag}>", tag=True))

    def line_break(self, line: int | None = None) -> None:
        """A line break: a space in the text, where an attribution or an entry may start."""
        self._breaks.append((len(self._pieces), line, not self._open))
        self.text(" ")

    def drafts(
        self,
        kind: str,
        line: int,
        profile: SiteProfile,
        *,
        level: int = 0,
        role: str | None = None,
        outside: bool = False,
    ) -> list[Draft]:
        """The draft blocks of this text: none when it is blank, two when a paragraph or a
        quotation ends in an attribution line (``“…”`` / ``—Author``)."""
        parts = [(0, len(self._pieces), line)]
        if kind in ("paragraph", "quote"):
            parts = self._attribution_split(profile, line) or parts
        drafts = []
        for start, end, at_line in parts:
            unclosed = [t for t, _ in reversed(self._open)] if end == len(self._pieces) else []
            markup, plain = _join(self._pieces[start:end], unclosed)
            if plain:
                lines = self._lines(start, end)
                entry = " / ".join(lines) if len(lines) > 1 else ""
                drafts.append(
                    Draft(kind, markup, plain, at_line, level, role, outside, entry=entry)
                )
        return drafts

    def _attribution_split(
        self, profile: SiteProfile, line: int
    ) -> list[tuple[int, int, int]] | None:
        for at, at_line, top in self._breaks:
            if top and profile.attribution.fullmatch(_plain(self._pieces[at:])):
                if not _plain(self._pieces[:at]):
                    return None
                return [(0, at, line), (at, len(self._pieces), at_line or line)]
        return None

    def _lines(self, start: int, end: int) -> list[str]:
        cuts = [at for at, _, _ in self._breaks if start < at < end]
        bounds = zip([start, *cuts], [*cuts, end], strict=True)
        return [text for a, b in bounds if (text := _plain(self._pieces[a:b]))]


def _plain(pieces: list[_Piece]) -> str:
    return normalize_space("".join(p.plain for p in pieces))


def _join(pieces: list[_Piece], unclosed: list[str]) -> tuple[str, str]:
    markup = "".join(p.markup for p in pieces) + "".join(f"</{t}>" for t in unclosed)
    markup = normalize_space(markup)
    while True:  # move spaces out of tags: "<em> a </em>" -> " <em>a</em> "
        tidy = normalize_space(_SPACE_CLOSE.sub(r"\1 ", _OPEN_SPACE.sub(r" \1", markup)))
        if tidy == markup:
            break
        markup = tidy
    return markup, _plain(pieces)


@dataclass(frozen=True)
class Draft:
    """A block as a markup reader found it, before the site profile is applied.

    ``kind`` is heading, paragraph, quote, list-item or attribution; ``role`` is what the
    markup says the block is (kicker, title, subtitle, part: a class name, a front-matter
    key); ``outside`` marks blocks outside the main content, read only for metadata;
    ``entry`` is the text as a table-of-contents entry when it has several lines.
    """

    kind: str
    text: str
    plain: str
    line: int
    level: int = 0
    role: str | None = None
    outside: bool = False
    entry: str = ""


def _front_fields(draft: Draft, profile: SiteProfile) -> dict[str, str] | None:
    """The metadata of a masthead, issue or date line; None when the draft is none of them."""
    if draft.kind not in ("heading", "paragraph"):
        return None
    if masthead := profile.masthead(draft.plain):
        return {"publication": masthead.publication, "issue": masthead.issue}
    if issue := profile.issue_of_line(draft.plain):
        return {"issue": issue}
    if date := profile.parse_date(draft.plain):
        return {"date": date}
    return None


def _is_front_line(draft: Draft, profile: SiteProfile) -> bool:
    return _front_fields(draft, profile) is not None


def _is_short(draft: Draft) -> bool:
    """A line that may be a kicker or subtitle, by the plain-text reader's measure."""
    return draft.kind in ("heading", "paragraph") and looks_like_title_part(draft.plain)


def _neighbour(drafts: list[Draft], at: int, step: int, profile: SiteProfile) -> int | None:
    """Index of the nearest draft from ``at`` in direction ``step`` that is not a masthead
    or date line, nor outside the content."""
    while 0 <= at < len(drafts):
        d = drafts[at]
        if not d.outside and not _is_front_line(d, profile):
            return at
        at += step
    return None


def _find_title(drafts: list[Draft], profile: SiteProfile, hint: str | None) -> int | None:
    """The title: the first draft marked as such; else the heading or line near the top that
    the page's ``<title>`` (``hint``) names; else the first level-1 heading that no other
    heading precedes (but one just before it, which is its kicker)."""
    for i, d in enumerate(drafts):
        if d.role == "title" and not d.outside:
            return i
    if hint:
        named = [
            i
            for i, d in enumerate(drafts[:MAX_HINT_DRAFTS])
            if not d.outside and _is_short(d) and not _is_front_line(d, profile)
            if d.plain == hint or (len(d.plain) >= 8 and d.plain in hint)
        ]
        if named:
            return max(named, key=lambda i: len(drafts[i].plain))
    for i, d in enumerate(drafts):
        if d.outside or d.kind != "heading":
            continue
        if d.level == 1:
            return i
        if (n := _neighbour(drafts, i + 1, 1, profile)) is None or drafts[n].level != 1:
            return None
    return None


def _title_group(drafts: list[Draft], title: int, profile: SiteProfile) -> dict[int, str]:
    """Roles of the title block by draft index: kicker, title, subtitle, part."""
    group = {title: "title"}
    # A title marked as such (front matter, <title>) takes only lines marked as its own.
    marked = drafts[title].role == "title"
    before = _neighbour(drafts, title - 1, -1, profile)
    if before is not None and _is_kicker(drafts[before], marked):
        group[before] = "kicker"
    stacked = before in group and drafts[before].kind == "heading"
    nxt = _neighbour(drafts, title + 1, 1, profile)
    if nxt is not None and _is_subtitle(drafts, nxt, profile, marked, stacked):
        group[nxt] = "subtitle"
        nxt = _neighbour(drafts, nxt + 1, 1, profile)
    if nxt is not None and _is_part(drafts[nxt], profile):
        group[nxt] = "part"
    return group


def _lines_group(drafts: list[Draft], profile: SiteProfile) -> dict[int, str]:
    """Without a marked title or a heading, the title block is the short lines at the top,
    read as the plain-text reader reads them."""
    lines: list[int] = []
    for i, d in enumerate(drafts):
        if d.outside or _is_front_line(d, profile):
            if lines:
                break
            continue
        if len(lines) == MAX_TITLE_BLOCKS or not _is_short(d) or d.role is not None:
            break
        if profile.attribution.fullmatch(d.plain):
            break
        lines.append(i)
        if profile.is_part(d.plain):
            break
    roles = title_roles([drafts[i].plain for i in lines], profile)
    return dict(zip(lines, roles, strict=True))


def _is_kicker(draft: Draft, marked: bool) -> bool:
    return draft.role == "kicker" or (not marked and draft.role is None and _is_short(draft))


def _is_part(draft: Draft, profile: SiteProfile) -> bool:
    return draft.role == "part" or (
        draft.kind in ("heading", "paragraph") and profile.is_part(draft.plain)
    )


def _is_subtitle(
    drafts: list[Draft], at: int, profile: SiteProfile, marked: bool, stacked: bool
) -> bool:
    """A subtitle is marked as one, or is a short paragraph, or a heading that the part
    follows or that closes a stack of headings (kicker, title, subtitle)."""
    d = drafts[at]
    if _is_part(d, profile):
        return False
    if d.role == "subtitle":
        return True
    if marked or d.role is not None or not _is_short(d):
        return False
    if d.kind == "paragraph" or stacked:
        return True
    after = _neighbour(drafts, at + 1, 1, profile)
    return after is not None and _is_part(drafts[after], profile)


def _front_start(drafts: list[Draft], profile: SiteProfile) -> int:
    """Where the page's front matter starts; see :func:`text.front_start`."""
    return front_start([d.plain for d in drafts], profile)


def _body_kind(draft: Draft, profile: SiteProfile) -> str:
    if draft.kind in ("paragraph", "quote") and profile.attribution.fullmatch(draft.plain):
        return "attribution"
    if draft.kind == "paragraph" and is_wholly_quoted(draft.plain):
        return "quote"
    return draft.kind


def assemble(
    drafts: list[Draft],
    *,
    article_id: str,
    source_path: str,
    fmt: str,
    profile: SiteProfile,
    meta: ArticleMeta | None = None,
    source_language: str = "en",
    page_title: Draft | None = None,
) -> Article:
    """The article made of ``drafts`` in source order (see the module docstring).

    ``meta`` is what is known from elsewhere (front matter, ``<meta>`` tags): its fields win
    over what the blocks say. ``page_title`` is the page's ``<title>``: it names the title
    among the lines at the top, and is the title itself when no line can be. Raises
    :class:`ArticleError` when no block of text is left.
    """
    drafts = [d for d in drafts if d.plain and not profile.is_chrome(d.plain)]
    drafts = drafts[_front_start(drafts, profile) :]
    hint = page_title.plain if page_title is not None else None
    title = _find_title(drafts, profile, hint)
    if title is not None:
        group = _title_group(drafts, title, profile)
    else:
        group = _lines_group(drafts, profile)
    if not group and page_title is not None:
        drafts.insert(0, page_title)
        group = {0: "title"}
    found: dict[str, str] = {}
    masthead: str | None = None  # the masthead line, to know it again at the foot
    sections: list[tuple[str | None, list[Block]]] = [(None, [])]
    contents: list[str] | None = None
    first = min(group, default=None)
    front = True  # before the first block of the body: masthead and date lines are meta
    for i, d in enumerate(drafts):
        if contents is not None:
            if not _is_front_line(d, profile) and d.plain != masthead:
                contents.append(d.entry or d.plain)
        elif i in group:
            found[group[i]] = d.plain
            sections[0][1].append(Block("title", d.text, d.line, role=group[i]))
        elif front and (fields := _front_fields(d, profile)) is not None:
            if "publication" in fields and masthead is None:
                masthead = d.plain
            found.update({k: v for k, v in fields.items() if k not in found})
        elif not front and _opens_contents(d, profile, masthead):
            contents = []
        elif not d.outside:
            front = front and first is not None and i < first
            if d.kind == "heading":
                sections.append((d.plain, [Block("heading", d.text, d.line)]))
            else:
                sections[-1][1].append(Block(_body_kind(d, profile), d.text, d.line))
    if not any(blocks for _, blocks in sections):
        raise ArticleError("no article text found", path=source_path)
    return Article(
        id=article_id,
        source_path=source_path,
        format=fmt,
        meta=_merge_meta(found, tuple(contents or ()), meta or ArticleMeta()),
        sections=tuple(Section(n, t, tuple(b)) for n, (t, b) in enumerate(sections)),
        source_language=source_language,
    )


def _opens_contents(draft: Draft, profile: SiteProfile, masthead: str | None) -> bool:
    """A masthead (or issue line) after the body opens the issue's table of contents."""
    return bool(
        profile.masthead(draft.plain, generic=False)
        or draft.plain == masthead
        or profile.is_issue_line(draft.plain)
    )


def _merge_meta(
    found: dict[str, str], contents: tuple[str, ...], given: ArticleMeta
) -> ArticleMeta:
    """``given`` completed with what the blocks say."""
    fields: dict[str, Any] = {k: v for k, v in found.items() if getattr(given, k) is None}
    return dataclasses.replace(given, **fields, issue_contents=given.issue_contents or contents)
