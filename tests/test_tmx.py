"""TMX 1.4: writing, reading back, and refusing what is not a valid TMX document."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from i18n_pipeline.errors import InputError
from i18n_pipeline.tmx import TmUnit, normalize_language, parse_tmx, render_tmx

FIXTURES = Path(__file__).parent / "fixtures" / "tmx"
TMX14_DTD = etree.DTD(str(FIXTURES / "tmx14.dtd"))

UNITS = [
    TmUnit(
        source="Trotsky wrote <em>Their Morals and Ours</em> (1938).",
        target="Trotzki schrieb <em>Ihre Moral und unsere</em> (1938).",
        source_language="en",
        target_language="de",
        origin="wv/863/amnesty2",
        note="Book title in italics.",
        changed="2024-03-05T10:15:00Z",
    ),
    TmUnit(
        source="Trotsky wrote <em>Their Morals and Ours</em> (1938).",
        target="Trotski escribió <em>Su moral y la nuestra</em> (1938).",
        source_language="en",
        target_language="es",
        origin="wv/863/amnesty2",
    ),
    TmUnit(
        source="Proletarian Justice",
        target="Justice prolétarienne",
        source_language="en",
        target_language="fr",
        origin="wv/863/amnesty2",
        changed="2024-03-06T09:00:00Z",
    ),
    TmUnit("Free Mumia!", "¡Libertad para Mumia!", "en", "es"),
]


def render(units: list[TmUnit], **options: str) -> bytes:
    return render_tmx(units, tool_version="0.1.0", **options)


def test_render_writes_a_valid_tmx_14_document() -> None:
    document = render(UNITS)
    root = etree.fromstring(document)
    assert TMX14_DTD.validate(root), TMX14_DTD.error_log.filter_from_errors()
    header = root.find("header")
    assert header is not None
    assert dict(header.attrib) == {
        "creationtool": "i18n-pipeline",
        "creationtoolversion": "0.1.0",
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": "en",
        "o-tmf": "i18n-pipeline",
    }
    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx')


def test_render_groups_translations_of_one_source_text() -> None:
    document = render(UNITS).decode()
    assert document.count("<tu>") == 3
    assert (
        "    <tu>\n"
        '      <prop type="x-origin">wv/863/amnesty2</prop>\n'
        '      <tuv xml:lang="en">\n'
        '        <seg>Trotsky wrote <bpt i="1">&lt;em&gt;</bpt>Their Morals and Ours'
        '<ept i="1">&lt;/em&gt;</ept> (1938).</seg>\n'
        "      </tuv>\n"
        '      <tuv xml:lang="de" changedate="20240305T101500Z">\n'
        "        <note>Book title in italics.</note>\n"
        '        <seg>Trotzki schrieb <bpt i="1">&lt;em&gt;</bpt>Ihre Moral und unsere'
        '<ept i="1">&lt;/em&gt;</ept> (1938).</seg>\n'
        "      </tuv>\n"
        '      <tuv xml:lang="es">\n'
    ) in document


def test_inline_tags_become_tmx_inline_elements() -> None:
    unit = TmUnit('<a href="x">Go</a><br/> on</strong> <em>open', "Weiter", "en", "de")
    seg = etree.fromstring(render([unit])).find("body/tu/tuv/seg")
    assert seg is not None
    assert etree.tostring(seg, encoding="unicode", with_tail=False) == (
        '<seg><bpt i="1">&lt;a href="x"&gt;</bpt>Go<ept i="1">&lt;/a&gt;</ept>'
        '<ph>&lt;br/&gt;</ph> on<it pos="end">&lt;/strong&gt;</it> '
        '<it pos="begin">&lt;em&gt;</it>open</seg>'
    )


def test_segtype_and_source_language_options() -> None:
    units = [TmUnit("Hallo", "Hello", "de", "en"), TmUnit("Hi", "Salut", "en", "fr")]
    root = etree.fromstring(render(units, segtype="paragraph", source_language="de"))
    assert root.find("header").get("segtype") == "paragraph"
    assert root.find("header").get("srclang") == "de"
    assert [tu.get("srclang") for tu in root.iter("tu")] == [None, "en"]
    assert Counter(parse_tmx(etree.tostring(root), "x.tmx")) == Counter(units)


def test_render_refuses_what_tmx_cannot_say() -> None:
    with pytest.raises(ValueError, match="segtype must be one of"):
        render(UNITS, segtype="word")
    with pytest.raises(ValueError, match="translates 'en' into itself"):
        render([TmUnit("a", "b", "en", "en")])
    with pytest.raises(ValueError, match="not an ISO 8601 timestamp"):
        render([TmUnit("a", "b", "en", "de", changed="yesterday")])


def test_changed_is_stored_in_utc() -> None:
    unit = TmUnit("a", "b", "en", "de", changed="2006-02-03T12:30:00+01:00")
    [back] = parse_tmx(render([unit]), "x.tmx")
    assert back.changed == "2006-02-03T11:30:00Z"


def test_round_trip() -> None:
    document = render(UNITS)
    units = parse_tmx(document, "memory.tmx")
    assert Counter(units) == Counter(UNITS)
    assert render(units) == document
    assert render(list(reversed(UNITS))) == document


def test_a_second_translation_into_one_language_gets_its_own_tu() -> None:
    units = [TmUnit("Yes.", "Ja.", "en", "de"), TmUnit("Yes.", "Jawohl.", "en", "de")]
    root = etree.fromstring(render(units))
    assert [len(tu.findall("tuv")) for tu in root.iter("tu")] == [2, 2]
    assert Counter(parse_tmx(render(units), "x.tmx")) == Counter(units)


# Properties: any set of units survives the round trip, and the bytes do not depend on order.

XML_CHARACTERS = st.characters(exclude_categories=("Cs", "Cc", "Cn"), include_characters="\t\n\r")
XML_TEXT = st.lists(
    st.text(XML_CHARACTERS, max_size=8)
    | st.sampled_from(["<em>", "</em>", "<br/>", '<a href="x?a=1&b=2">', "</a>", "<", "&"]),
    max_size=6,
).map("".join)
LANGUAGES = ["de", "es", "fr", "pt", "zh", "tl"]
TIMESTAMPS = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1))
ISO_TIMESTAMPS = TIMESTAMPS.map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ"))
UNIT = st.builds(
    TmUnit,
    source=XML_TEXT,
    target=XML_TEXT,
    source_language=st.just("en"),
    target_language=st.sampled_from(LANGUAGES),
    origin=st.none() | st.sampled_from(["wv/863/amnesty2", "wv/864/iran", ""]),
    note=st.none() | XML_TEXT,
    changed=st.none() | ISO_TIMESTAMPS,
)


@given(st.lists(UNIT, max_size=12), st.randoms())
def test_round_trip_property(units: list[TmUnit], rng: random.Random) -> None:
    document = render(units)
    assert Counter(parse_tmx(document, "memory.tmx")) == Counter(units)
    shuffled = list(units)
    rng.shuffle(shuffled)
    assert render(shuffled) == document
    assert TMX14_DTD.validate(etree.fromstring(document))


# Reading what CAT tools write.


def test_omegat_memory_imports() -> None:
    units = parse_tmx((FIXTURES / "omegat.tmx").read_bytes(), "omegat.tmx")
    assert [unit.target_language for unit in units] == ["de", "de", "de"]
    assert {unit.source_language for unit in units} == {"en"}
    assert units[0] == TmUnit(
        source="Part One appeared in WV No. 862 (20 January).",
        target="Teil eins erschien in WV Nr. 862 (20. Januar).",
        source_language="en",
        target_language="de",
        changed="2024-03-05T10:15:00Z",
    )
    assert units[1].source == "Trotsky explained in <i0>Terrorism and Communism</i0> (1920)."
    assert units[1].note == "Title of a book: keep it in italics."
    assert units[2].origin is None  # OmegaT's "file" prop is not an article id


def test_trados_memory_imports() -> None:
    data = (FIXTURES / "trados.tmx").read_bytes()
    assert data.startswith(b"\xff\xfe")  # UTF-16 with a byte order mark, as Trados writes
    units = parse_tmx(data, "trados.tmx")
    assert units == [
        TmUnit(
            source="Baldwin was a contradictory figure.",
            target="Baldwin era uma figura contraditória.",
            source_language="en",
            target_language="pt",
            changed="2024-01-12T14:10:03Z",
        ),
        TmUnit(
            source="The Cheka Weekly was closed down.",
            target="O Cheka Weekly foi fechado.",
            source_language="en",
            target_language="pt",
            changed="2024-01-10T08:40:01Z",
        ),
    ]


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en", "en"),
        ("EN-US", "en"),
        ("de-DE", "de"),
        ("zh-CN", "zh"),
        ("zh_Hant_TW", "zh"),
        ("pt-BR", "pt"),
        ("in", "id"),
        ("fil-PH", "tl"),
        (" ja ", "ja"),
    ],
)
def test_normalize_language(tag: str, code: str) -> None:
    assert normalize_language(tag) == code


# Refusing invalid documents, with the line to look at.


@pytest.mark.parametrize(
    ("fixture", "error"),
    [
        ("not_xml.tmx", "1: not well-formed XML: Start tag expected, '<' not found"),
        ("wrong_root.tmx", "2: root element is <xliff>, expected <tmx>"),
        ("wrong_version.tmx", "2: <tmx> has version '1.1', expected version '1.4'"),
        ("missing_srclang.tmx", "4: <header> has no srclang"),
        ("missing_body.tmx", "2: <tmx> has no <body>"),
        ("tu_single_tuv.tmx", "5: tu has 1 tuv, needs at least 2"),
        ("tu_without_seg.tmx", "11: tuv has no <seg>"),
        ("no_source_tuv.tmx", "5: tu has no tuv for the source language 'en'"),
        ("tuv_without_lang.tmx", "6: tuv has no xml:lang (TMX 1.4 uses xml:lang, not lang)"),
        (
            "bad_changedate.tmx",
            "7: changedate '2024-03-05 10:15' is not a TMX date (YYYYMMDDThhmmssZ)",
        ),
        (
            "html_in_seg.tmx",
            "6: <seg> contains <em>; markup must be escaped text or in <bpt>, <ept>, <it> or <ph>",
        ),
        ("xxe.tmx", "10: the document declares or uses entities (xxe), which are not allowed"),
        (
            "billion_laughs.tmx",
            "13: the document declares or uses entities (lol, lol2, lol3, lol4), which are not "
            "allowed",
        ),
    ],
)
def test_invalid_documents_are_refused(fixture: str, error: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_tmx((FIXTURES / fixture).read_bytes(), f"memories/{fixture}")
    assert str(caught.value) == f"memories/{fixture}:{error}"


def test_parameter_entity_is_refused_without_a_line() -> None:
    with pytest.raises(InputError) as caught:
        parse_tmx((FIXTURES / "xxe_parameter.tmx").read_bytes(), "p.tmx")
    assert str(caught.value) == (
        "p.tmx: the document declares or uses entities (remote), which are not allowed"
    )


def test_external_entity_never_reads_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", "utf-8")
    document = (FIXTURES / "xxe.tmx").read_bytes().replace(b"/etc/passwd", str(secret).encode())
    with pytest.raises(InputError) as caught:
        parse_tmx(document, "xxe.tmx")
    assert "TOP-SECRET-CONTENT" not in str(caught.value)
    # Without the entity declaration the same reference is a plain well-formedness error.
    undeclared = document.replace(f'<!ENTITY xxe SYSTEM "file://{secret}">'.encode(), b"")
    with pytest.raises(InputError, match="not well-formed XML: Entity 'xxe' not defined"):
        parse_tmx(undeclared, "xxe.tmx")


def test_empty_document() -> None:
    with pytest.raises(InputError) as caught:
        parse_tmx(b"", "empty.tmx")
    assert str(caught.value) == "empty.tmx:1: not well-formed XML: Document is empty"


def test_source_language_from_tu_overrides_header() -> None:
    document = b"""<?xml version="1.0"?>
<tmx version="1.4">
  <header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"
          adminlang="en" srclang="en" datatype="plaintext"/>
  <body>
    <tu srclang="de-AT">
      <tuv xml:lang="de-AT"><seg>Servus</seg></tuv>
      <tuv xml:lang="en-GB"><seg>Hello</seg></tuv>
    </tu>
  </body>
</tmx>"""
    assert parse_tmx(document, "x.tmx") == [TmUnit("Servus", "Hello", "de", "en")]
