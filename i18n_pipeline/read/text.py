"""Plain-text pages, as a browser's "save as text" or a copy from the site gives them.

Blocks are separated by blank lines and hard-wrapped lines inside a block are joined. The
site profile names the chrome to drop and the front matter to lift into metadata; a
heuristic recognises headings (short, title-cased, no closing full stop), quotations (a
paragraph that is wholly one quotation) and attributions (a line opening with a dash).
Short lines above the masthead or date at the top are chrome, whatever their language. What
follows a repeated masthead at the end is the issue's table of contents, not article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from i18n_pipeline.errors import ArticleError
from i18n_pipeline.model import Article, ArticleMeta, Block, Section, normalize_space
from i18n_pipeline.read.profile import SiteProfile

#: At most this many short blocks after the masthead make up the title block.
MAX_TITLE_BLOCKS = 4
MAX_HEADING_WORDS = 15
MAX_TITLE_WORDS = 20
#: The front matter is looked for among this many blocks at the top, after chrome lines
#: that stand before it of at most this many words.
MAX_FRONT_BLOCKS = 12
MAX_CHROME_WORDS = 30


@dataclass(frozen=True)
class RawBlock:
    """Lines between blank lines: their joined text, first line number and the blank
    lines that preceded them (a wider gap separates entries of a table of contents)."""

    text: str
    line: int
    gap: int
    lines: int


def split_blocks(text: str) -> list[RawBlock]:
    """Cut text into blocks at blank lines, joining the lines of each block."""
    blocks: list[RawBlock] = []
    current: list[str] = []
    start = gap = 0
    blank_run = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not current:
                start, gap = number, blank_run
            current.append(line.strip())
            blank_run = 0
        else:
            if current:
                blocks.append(
                    RawBlock(normalize_space(" ".join(current)), start, gap, len(current))
                )
                current = []
            blank_run += 1
    if current:
        blocks.append(RawBlock(normalize_space(" ".join(current)), start, gap, len(current)))
    return blocks


def drop_chrome(blocks: list[RawBlock], text: str, profile: SiteProfile) -> list[RawBlock]:
    """Remove chrome lines (a block left empty disappears), and cut a block where its lines
    are plainly blocks of their own: a masthead or date line, or a Chinese or Japanese line
    that ends a sentence (pages saved without blank lines between paragraphs)."""
    lines = text.splitlines()
    out = []
    for block in blocks:
        kept = [
            (block.line + i, raw.strip())
            for i, raw in enumerate(lines[block.line - 1 : block.line - 1 + block.lines])
            if not profile.is_chrome(normalize_space(raw))
        ]
        runs: list[list[tuple[int, str]]] = [[]]
        for number, line in kept:
            alone = profile.masthead(normalize_space(line)) or profile.parse_date(
                normalize_space(line)
            )
            if alone and runs[-1]:
                runs.append([])
            runs[-1].append((number, line))
            if alone or _CJK_SENTENCE_END.search(line):
                runs.append([])
        runs = [run for run in runs if run]
        if len(runs) == 1 and len(kept) == block.lines:
            out.append(block)
            continue
        for n, run in enumerate(runs):
            joined = normalize_space(" ".join(t for _, t in run))
            out.append(RawBlock(joined, run[0][0], block.gap if n == 0 else 0, len(run)))
    return out


_OPEN_QUOTES = '“"«„'
_CLOSE_QUOTES = '”"»“'
_SENTENCE_END = re.compile(r"[.,;:。，；：、]$")
_CJK_SENTENCE_END = re.compile(r"[。！？」』]$")
_WORDS = re.compile(r"\S+")
_WIDE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def is_wholly_quoted(text: str) -> bool:
    """True when the whole paragraph is one quotation: “…”, with any inner quotes nested."""
    if len(text) < 2 or text[0] not in _OPEN_QUOTES or text[-1] not in _CLOSE_QUOTES:
        return False
    if text[0] == '"':
        return text.count('"') == 2 or text.count('"') % 2 == 0 and text[1:-1].count('"') == 0
    depth = 0
    for i, ch in enumerate(text):
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return depth == 0


def word_count(text: str) -> int:
    """Words as a reader counts them: two Chinese or Japanese characters make one."""
    wide = len(_WIDE.findall(text))
    return len(_WORDS.findall(_WIDE.sub(" ", text))) + (wide + 1) // 2


def looks_like_heading(text: str) -> bool:
    """Short, no closing full stop or comma, and mostly capitalised content words."""
    words = _WORDS.findall(text)
    if not words or len(words) > MAX_HEADING_WORDS or _SENTENCE_END.search(text):
        return False
    if text[0] in _OPEN_QUOTES or not (text[0].isupper() or text[0].isdigit()):
        return False
    content = [w.strip("“”\"'‘’()!?") for w in words]
    content = [w for w in content if len(w) >= 4]
    if not content:
        return True
    capitalised = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return capitalised / len(content) >= 0.75


def looks_like_title_part(text: str) -> bool:
    """A line that may stand in a title block: short, and not ending like a sentence."""
    return 0 < word_count(text) <= MAX_TITLE_WORDS and not _SENTENCE_END.search(text)


def title_roles(lines: list[str], profile: SiteProfile) -> list[str]:
    """Name the lines of a title block: [kicker,] title[, subtitle][, part].

    One line is the title; two are kicker and title (the site's kicker is often the longer
    line, a slogan), unless the second is a rubric in parentheses; three or more are
    kicker, title and subtitles. A last "Part N" line is the part.
    """
    has_part = bool(lines) and profile.is_part(lines[-1])
    n = len(lines) - int(has_part)
    if n == 2 and lines[1].startswith("(") and lines[1].endswith(")"):
        head = ["title", "subtitle"]
    else:
        head = {0: [], 1: ["title"], 2: ["kicker", "title"]}.get(
            n, ["kicker", "title"] + ["subtitle"] * (n - 2)
        )
    return head + (["part"] if has_part else [])


def front_start(texts: list[str], profile: SiteProfile) -> int:
    """Where the front matter starts: at the first masthead or date line near the top, when
    only short lines stand before it (a localized menu, subscription and archive links:
    chrome the profile may not know). 0 when there is none."""
    for i, text in enumerate(texts[:MAX_FRONT_BLOCKS]):
        if profile.masthead(text) or profile.parse_date(text):
            return i
        if word_count(text) > MAX_CHROME_WORDS:
            return 0
    return 0


def _toc_entries(blocks: list[RawBlock]) -> tuple[str, ...]:
    """Group the table of contents into entries: a wider gap separates two articles."""
    if not blocks:
        return ()
    wide = any(b.gap >= 2 for b in blocks[1:])
    entries: list[list[str]] = []
    for i, block in enumerate(blocks):
        if i == 0 or not wide or block.gap >= 2:
            entries.append([])
        entries[-1].append(block.text)
    return tuple(" / ".join(e) for e in entries)


def _contents_start(
    blocks: list[RawBlock], start: int, front: str | None, profile: SiteProfile
) -> int:
    """Where the body ends: at the repeated masthead (or short issue line) that opens the
    issue's table of contents, else at a wide gap after which only short lines follow (a
    list of related articles). ``len(blocks)`` when the body runs to the end."""
    for j in range(start, len(blocks)):
        text = blocks[j].text
        masthead = profile.masthead(text, generic=False)
        if masthead or text == front or (j > start and profile.is_issue_line(text)):
            return j
    for j in range(start + 1, len(blocks)):
        if blocks[j].gap >= 2 and all(looks_like_title_part(b.text) for b in blocks[j:]):
            return j
    return len(blocks)


def read_text(text: str, *, article_id: str, source_path: str, profile: SiteProfile) -> Article:
    """Read a plain-text page into an :class:`Article`."""
    blocks = drop_chrome(split_blocks(text), text, profile)
    blocks = blocks[front_start([b.text for b in blocks], profile) :]
    if not blocks:
        raise ArticleError(
            "no article text found (only site chrome or blank lines)", path=source_path
        )

    meta: dict[str, object] = {}
    front: str | None = None  # the masthead line, to know it again at the foot
    i = 0
    # Front matter: masthead, short issue line and date, in any order, at the top.
    while i < len(blocks) and i < 4:
        masthead = profile.masthead(blocks[i].text)
        date = profile.parse_date(blocks[i].text)
        if masthead and "publication" not in meta:
            meta["publication"] = masthead.publication
            meta["issue"] = masthead.issue
            front = blocks[i].text
        elif date and "date" not in meta:
            meta["date"] = date
        elif not (front and profile.is_issue_line(blocks[i].text)):
            break
        i += 1

    # The title block: up to four short lines, ended early by "Part N".
    title_blocks: list[RawBlock] = []
    while (
        i < len(blocks)
        and len(title_blocks) < MAX_TITLE_BLOCKS
        and looks_like_title_part(blocks[i].text)
        and not profile.attribution.fullmatch(blocks[i].text)
    ):
        title_blocks.append(blocks[i])
        i += 1
        if profile.is_part(title_blocks[-1].text):
            break
    roles = title_roles([b.text for b in title_blocks], profile)

    end = _contents_start(blocks, i, front, profile)
    toc = blocks[end:]
    while toc and (
        profile.masthead(toc[0].text, generic=False)
        or toc[0].text == front
        or profile.is_issue_line(toc[0].text)
        or profile.parse_date(toc[0].text)
    ):
        toc = toc[1:]

    lead: list[Block] = [
        Block("title", b.text, b.line, role) for b, role in zip(title_blocks, roles, strict=True)
    ]
    sections: list[Section] = []
    current_title: str | None = None
    current: list[Block] = lead
    for block in blocks[i:end]:
        kind = _kind(block.text, profile)
        if kind == "heading":
            sections.append(Section(len(sections), current_title, tuple(current)))
            current_title = block.text
            current = [Block("heading", block.text, block.line)]
        else:
            current.append(Block(kind, block.text, block.line))
    sections.append(Section(len(sections), current_title, tuple(current)))

    for block, role in zip(title_blocks, roles, strict=True):
        meta.setdefault(role, block.text)
    return Article(
        id=article_id,
        source_path=source_path,
        format="txt",
        meta=ArticleMeta(
            publication=_str(meta.get("publication")),
            issue=_str(meta.get("issue")),
            date=_str(meta.get("date")),
            kicker=_str(meta.get("kicker")),
            title=_str(meta.get("title")),
            subtitle=_str(meta.get("subtitle")),
            part=_str(meta.get("part")),
            issue_contents=_toc_entries(toc),
        ),
        sections=tuple(sections),
        source_language=profile.language_of(_str(meta.get("publication"))) or "en",
    )


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _kind(text: str, profile: SiteProfile) -> str:
    if profile.attribution.fullmatch(text):
        return "attribution"
    if is_wholly_quoted(text):
        return "quote"
    if looks_like_heading(text):
        return "heading"
    return "paragraph"
