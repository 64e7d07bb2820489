"""Translation memory exchange: TMX 1.4 documents written and read with lxml.

:func:`render_tmx` turns translation pairs (:class:`TmUnit`) into a TMX 1.4 document and
:func:`parse_tmx` reads one back, checking its structure as it goes. Neither touches the disk.

Writing:

* one ``<tu>`` per source text and article (``<prop type="x-origin">``), holding the source
  ``<tuv>`` first and then one ``<tuv>`` per target language, ordered by language code; a
  second translation into the same language goes to a further ``<tu>``, so that no ``<tu>``
  has two ``<tuv>`` of one language;
* ``<tu>`` elements are sorted by source language, article and source text, so the same set
  of units always gives the same bytes, whatever the order they came in; the header carries
  no creation date for the same reason;
* a unit's ``note`` and ``changed`` belong to its translation: a ``<note>`` and the
  ``changedate`` of the target ``<tuv>``. TMX dates are ``YYYYMMDDThhmmssZ``; ``changed``
  is read back as ``YYYY-MM-DDThh:mm:ssZ`` (UTC, whole seconds);
* inline tags (``<em>``, ``<strong>``, ``<a href="…">``) become TMX inline elements holding
  the tag as escaped native code: a matched pair becomes ``<bpt i="n">…</bpt>`` and
  ``<ept i="n">…</ept>``, an empty element such as ``<br/>`` a ``<ph>``, and a tag without
  its partner an ``<it pos="begin|end">``. CAT tools then show and protect them as tags,
  and TM matching ignores them; reading puts the native code back, so text round-trips.

Reading accepts what CAT tools write (OmegaT, Trados): language codes in any case with
regions (normalised by :func:`normalize_language`), notes and ``changedate`` on the ``<tu>``
as well as on the ``<tuv>``, ``<hi>`` and empty ``<bpt/>``/``<ph/>`` (whose native code is
then empty), UTF-16 with a byte order mark. The parser never resolves entities, loads a
DTD or uses the network; a document that declares entities is refused.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from i18n_pipeline.errors import InputError

TMX_VERSION = "1.4"
SEGMENT_TYPES = ("block", "paragraph", "sentence", "phrase")

_DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The inline tag grammar of model.strip_tags: closing slash, name, self-closing slash.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*?)?(/?)>")
_VOID_ELEMENTS = frozenset({"br", "hr", "img", "wbr"})
_INLINE_CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})
_LXML_POSITION = re.compile(r", line \d+, column \d+$")
_TMX_DATE = re.compile(r"\d{8}T\d{6}Z")
#: Retired ISO 639 codes still written by some tools, and the site's code for Filipino.
_LANGUAGE_ALIASES = {"in": "id", "iw": "he", "ji": "yi", "jw": "jv", "fil": "tl"}


@dataclass(frozen=True)
class TmUnit:
    """One translation pair of a translation memory."""

    source: str
    target: str
    source_language: str
    target_language: str
    origin: str | None = None  # the article the pair comes from
    note: str | None = None
    changed: str | None = None  # ISO 8601 timestamp of the translation


def normalize_language(tag: str) -> str:
    """The project's code for a language tag: ``de-DE`` → ``de``, ``ZH_cn`` → ``zh``."""
    primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return _LANGUAGE_ALIASES.get(primary, primary)


# Writing.


def render_tmx(
    units: Iterable[TmUnit],
    *,
    source_language: str = "en",
    tool_name: str = "i18n-pipeline",
    tool_version: str,
    segtype: str = "sentence",
) -> bytes:
    """A TMX 1.4 document (UTF-8) holding ``units``; equal sets of units give equal bytes."""
    if segtype not in SEGMENT_TYPES:
        raise ValueError(f"segtype must be one of {', '.join(SEGMENT_TYPES)}, not {segtype!r}")
    root = etree.Element("tmx", version=TMX_VERSION)
    etree.SubElement(
        root,
        "header",
        creationtool=tool_name,
        creationtoolversion=tool_version,
        datatype="plaintext",
        segtype=segtype,
        adminlang="en",
        srclang=source_language,
        **{"o-tmf": tool_name},
    )
    body = etree.SubElement(root, "body")
    for tu_units in _group(units):
        body.append(_render_tu(tu_units, source_language))
    _indent(root)
    document = etree.tostring(root, encoding="UTF-8", doctype=_DOCTYPE)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + document + b"\n"


def _group(units: Iterable[TmUnit]) -> Iterator[list[TmUnit]]:
    """The units of each ``<tu>``, in document order: at most one per target language."""
    groups: dict[tuple[str, bool, str, str], list[TmUnit]] = defaultdict(list)
    for unit in units:
        if unit.target_language == unit.source_language:
            raise ValueError(f"a unit translates {unit.source_language!r} into itself")
        key = (unit.source_language, unit.origin is not None, unit.origin or "", unit.source)
        groups[key].append(unit)
    for key in sorted(groups):
        by_language: dict[str, list[TmUnit]] = defaultdict(list)
        for unit in sorted(groups[key], key=_target_order):
            by_language[unit.target_language].append(unit)
        depth = max(len(translations) for translations in by_language.values())
        for rank in range(depth):
            yield [
                by_language[language][rank]
                for language in sorted(by_language)
                if rank < len(by_language[language])
            ]


def _target_order(unit: TmUnit) -> tuple[str, str, bool, str, bool, str]:
    return (
        unit.target_language,
        unit.target,
        unit.note is not None,
        unit.note or "",
        unit.changed is not None,
        unit.changed or "",
    )


def _render_tu(units: list[TmUnit], header_language: str) -> etree._Element:
    first = units[0]
    tu = etree.Element("tu")
    if first.source_language != header_language:
        tu.set("srclang", first.source_language)
    if first.origin is not None:
        etree.SubElement(tu, "prop", type="x-origin").text = first.origin
    tu.append(_render_tuv(first.source_language, first.source))
    for unit in units:
        tuv = _render_tuv(unit.target_language, unit.target, unit.note)
        if unit.changed is not None:
            tuv.set("changedate", _tmx_date(unit.changed))
        tu.append(tuv)
    return tu


def _render_tuv(language: str, text: str, note: str | None = None) -> etree._Element:
    tuv = etree.Element("tuv", {_XML_LANG: language})
    if note is not None:
        etree.SubElement(tuv, "note").text = note
    tuv.append(_render_seg(text))
    return tuv


def _render_seg(text: str) -> etree._Element:
    """A ``<seg>`` whose inline tags are TMX inline elements holding the escaped tag."""
    seg = etree.Element("seg")
    tags = list(_TAG.finditer(text))
    last: etree._Element | None = None
    position = 0
    for tag, (kind, attributes) in zip(tags, _inline_codes(tags), strict=True):
        _append_text(seg, last, text[position : tag.start()])
        last = etree.SubElement(seg, kind, attributes)
        last.text = tag.group()
        position = tag.end()
    _append_text(seg, last, text[position:])
    return seg


def _inline_codes(tags: list[re.Match[str]]) -> list[tuple[str, dict[str, str]]]:
    """For each tag: the TMX element that holds it (bpt, ept, it or ph) and its attributes."""
    codes: list[tuple[str, dict[str, str]]] = [("ph", {}) for _ in tags]
    open_tags: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for index, tag in enumerate(tags):
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        if closing:
            opened = [at for at, (open_name, _) in enumerate(open_tags) if open_name == name]
            if opened:
                pairs.append((open_tags.pop(opened[-1])[1], index))
            else:
                codes[index] = ("it", {"pos": "end"})
        elif not self_closing and name not in _VOID_ELEMENTS:
            open_tags.append((name, index))
            codes[index] = ("it", {"pos": "begin"})
    for number, (opening, closing) in enumerate(sorted(pairs), start=1):
        codes[opening] = ("bpt", {"i": str(number)})
        codes[closing] = ("ept", {"i": str(number)})
    return codes


def _append_text(parent: etree._Element, last: etree._Element | None, text: str) -> None:
    if not text:
        return
    if last is None:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def _indent(element: etree._Element, level: int = 0) -> None:
    """Indent the structure; a ``<seg>`` or ``<note>`` keeps its content as it is."""
    children = list(element)
    if not children or element.tag in ("seg", "note", "prop"):
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in children:
        _indent(child, level + 1)
        child.tail = inner
    children[-1].tail = "\n" + "  " * level


def _tmx_date(timestamp: str) -> str:
    try:
        moment = datetime.fromisoformat(timestamp)
    except ValueError as err:
        raise ValueError(f"changed is not an ISO 8601 timestamp: {timestamp!r}") from err
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# Reading.


def parse_tmx(data: bytes, path: str) -> list[TmUnit]:
    """The translation pairs of a TMX 1.4 document; ``path`` names it in errors."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        message = _LXML_POSITION.sub("", err.msg or "empty document")
        raise InputError(f"not well-formed XML: {message}", path=path, line=err.lineno) from err
    _refuse_entities(root, path)
    if root.tag != "tmx":
        name = etree.QName(root).localname
        raise InputError(
            f"root element is <{name}>, expected <tmx>", path=path, line=root.sourceline
        )
    version = root.get("version")
    if version != TMX_VERSION:
        found = "no version" if version is None else f"version {version!r}"
        raise InputError(
            f"<tmx> has {found}, expected version '{TMX_VERSION}'",
            path=path,
            line=root.sourceline,
        )
    header = _only_child(root, "header", path)
    header_language = header.get("srclang")
    if not header_language:
        raise InputError("<header> has no srclang", path=path, line=header.sourceline)
    body = _only_child(root, "body", path)
    units: list[TmUnit] = []
    for tu in body:
        if tu.tag == "tu":
            units.extend(_parse_tu(tu, header_language, path))
        elif isinstance(tu.tag, str):
            raise InputError(
                f"<body> contains <{tu.tag}>, expected only <tu>", path=path, line=tu.sourceline
            )
    return units


def _refuse_entities(root: etree._Element, path: str) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    declared = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    references = list(root.iter(etree.Entity))
    if declared or references:
        names = ", ".join(declared) or ", ".join(str(ref.text) for ref in references)
        raise InputError(
            f"the document declares or uses entities ({names}), which are not allowed",
            path=path,
            line=references[0].sourceline if references else None,
        )


def _only_child(parent: etree._Element, tag: str, path: str) -> etree._Element:
    found = parent.findall(tag)
    if len(found) != 1:
        count = "no" if not found else str(len(found))
        raise InputError(f"<{parent.tag}> has {count} <{tag}>", path=path, line=parent.sourceline)
    return found[0]


def _parse_tu(tu: etree._Element, header_language: str, path: str) -> list[TmUnit]:
    tuvs = tu.findall("tuv")
    if len(tuvs) < 2:
        raise InputError(f"tu has {len(tuvs)} tuv, needs at least 2", path=path, line=tu.sourceline)
    source_tag = tu.get("srclang") or header_language
    languages = [_tuv_language(tuv, path) for tuv in tuvs]
    all_sources = source_tag == "*all*"  # any language may be the source: take the first
    source_language = languages[0] if all_sources else normalize_language(source_tag)
    sources = [tuv for tuv, lang in zip(tuvs, languages, strict=True) if lang == source_language]
    if not sources:
        raise InputError(
            f"tu has no tuv for the source language {source_language!r}",
            path=path,
            line=tu.sourceline,
        )
    if len(sources) > 1:
        raise InputError(
            f"tu has {len(sources)} tuv for the source language {source_language!r}",
            path=path,
            line=sources[1].sourceline,
        )
    source = _seg_text(sources[0], path)
    origins = [prop.text or "" for prop in tu.findall("prop") if prop.get("type") == "x-origin"]
    tu_note = _notes(tu)
    tu_changed = tu.get("changedate")
    return [
        TmUnit(
            source=source,
            target=_seg_text(tuv, path),
            source_language=source_language,
            target_language=language,
            origin=origins[0] if origins else None,
            note=_notes(tuv) if tuv.find("note") is not None else tu_note,
            changed=_iso_date(tuv.get("changedate") or tu_changed, path, tuv.sourceline),
        )
        for tuv, language in zip(tuvs, languages, strict=True)
        if tuv is not sources[0]
    ]


def _tuv_language(tuv: etree._Element, path: str) -> str:
    tag = tuv.get(_XML_LANG)
    if not tag or not normalize_language(tag):
        hint = " (TMX 1.4 uses xml:lang, not lang)" if tuv.get("lang") else ""
        raise InputError(f"tuv has no xml:lang{hint}", path=path, line=tuv.sourceline)
    return normalize_language(tag)


def _notes(element: etree._Element) -> str | None:
    notes = ["".join(note.itertext()) for note in element.findall("note")]
    return "\n".join(notes) if notes else None


def _iso_date(value: str | None, path: str, line: int | None) -> str | None:
    """``changedate`` as stored in a unit: ``20060203T120000Z`` → ``2006-02-03T12:00:00Z``."""
    if value is None:
        return None
    try:
        if _TMX_DATE.fullmatch(value) is None:
            raise ValueError(value)
        moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ")
    except ValueError as err:
        raise InputError(
            f"changedate {value!r} is not a TMX date (YYYYMMDDThhmmssZ)", path=path, line=line
        ) from err
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _seg_text(tuv: etree._Element, path: str) -> str:
    segs = tuv.findall("seg")
    if len(segs) != 1:
        count = "no" if not segs else str(len(segs))
        raise InputError(f"tuv has {count} <seg>", path=path, line=tuv.sourceline)
    return "".join(_inline_text(segs[0], path))


def _inline_text(element: etree._Element, path: str) -> Iterator[str]:
    """The text of a ``<seg>`` or ``<hi>``, with the native code of its inline elements."""
    yield element.text or ""
    for child in element:
        if child.tag in _INLINE_CODES:
            yield "".join(child.itertext())
        elif child.tag == "hi":
            yield from _inline_text(child, path)
        elif isinstance(child.tag, str):
            raise InputError(
                f"<{element.tag}> contains <{child.tag}>; markup must be escaped text or in"
                " <bpt>, <ept>, <it> or <ph>",
                path=path,
                line=child.sourceline,
            )
        yield child.tail or ""
