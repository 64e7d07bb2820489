"""``align``: published translations into the catalogs, the memory and the index.

The fixtures are real: the first entries of the Python tutorial's chapter on input and
output, in English and in the French translation (python-docs-fr), written as Markdown.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projects import FIXTURES, config_of, make_project, msgfmt_check
from sqlalchemy import select

from i18n_pipeline.align import AlignSettings, Piece, align_documents
from i18n_pipeline.align.structure import split_target_sentences
from i18n_pipeline.cli import main
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.read import read_document
from i18n_pipeline.read.profile import DEFAULT_PROFILE
from i18n_pipeline.segment import segment
from i18n_pipeline.store.db import make_engine, read_scope
from i18n_pipeline.store.models import MemoryRow, PublishedRow

ALIGN = FIXTURES / "align"
ARTICLE = "tutorial/inputoutput"
CATALOG = f"locales/fr/{ARTICLE}.po"


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, ["--config", str(root / "config.yaml"), *args], catch_exceptions=False
    )


def read_md(path: Path) -> list[tuple[str, str]]:
    """(kind, text) of each block of a Markdown file, as the reader gives them."""
    article = read_document(
        path.read_bytes(), article_id="x", source_path=path.name, fmt="md", profile=DEFAULT_PROFILE
    )
    return [(b.kind, b.text) for _, b in article.blocks()]


def gold() -> dict[str, str]:
    """Each English unit's French translation: the fixtures pair block for block."""
    english, french = read_md(ALIGN / "article.md"), read_md(ALIGN / "fr.md")
    assert len(english) == len(french)
    return {e: f for (_, e), (_, f) in zip(english, french, strict=True)}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "proj", languages=("fr", "ja", "de"), seed=False)
    monkeypatch.chdir(root)
    target = root / "articles" / f"{ARTICLE}.md"
    target.parent.mkdir(parents=True)
    shutil.copy(ALIGN / "article.md", target)
    published = root / "published" / "fr" / f"{ARTICLE}.md"
    published.parent.mkdir(parents=True)
    shutil.copy(ALIGN / "fr.md", published)
    assert run(root, "ingest", "--quiet").exit_code == 0
    return root


def entries(root: Path) -> dict[str, tuple[str, bool, list[str]]]:
    catalog = parse_po((root / CATALOG).read_bytes(), CATALOG)
    return {e.msgid: (e.msgstr, e.fuzzy, e.translator_comments) for e in catalog.entries}


def test_align_writes_the_translations_into_the_catalog_memory_and_index(project: Path):
    result = run(project, "align", "fr", ARTICLE, f"published/fr/{ARTICLE}.md")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{CATALOG}: aligned 24 of 24 units (100% of words) from ")
    expected = gold()
    found = entries(project)
    assert all(found[e][0] == f for e, f in expected.items())
    translated = [e for e, (s, fuzzy, _) in found.items() if s and not fuzzy]
    assert len(translated) >= 22
    _, _, comments = found[next(iter(expected))]
    assert comments[0].startswith(f"Aligned from published/fr/{ARTICLE}.md (")
    assert msgfmt_check(project / CATALOG) == ""

    engine = make_engine(config_of(project).database_url)
    with read_scope(engine) as session:
        row = session.scalars(select(PublishedRow)).one()
        assert (row.language, row.source, row.aligned_units, row.aligned_percent) == (
            "fr",
            f"published/fr/{ARTICLE}.md",
            24,
            100.0,
        )
        memory = {(m.source, m.target, m.origin) for m in session.scalars(select(MemoryRow))}
    assert len(memory) == len(translated)
    assert all(expected[s] == t and o == f"published/fr/{ARTICLE}.md" for s, t, o in memory)
    engine.dispose()

    report = json.loads(run(project, "report", "--format", "json").stdout)
    (article,) = report["articles"]
    assert article["published"] == {
        "fr": {
            "source": f"published/fr/{ARTICLE}.md",
            "date": None,
            "aligned_units": 24,
            "aligned_percent": 100.0,
        }
    }
    assert "published, aligned" in run(project, "report", "--format", "markdown").stdout

    again = run(project, "align", "fr", ARTICLE, f"published/fr/{ARTICLE}.md")
    assert again.exit_code == 0
    assert "0 translated, 0 fuzzy, 24 already there" in again.stdout


def test_a_translators_text_is_never_replaced(project: Path):
    path = project / CATALOG
    catalog = parse_po(path.read_bytes(), CATALOG)
    mine = catalog.entries[3]
    mine.msgstr = "Ma propre traduction."
    from i18n_pipeline.po.render import render_po

    path.write_text(render_po(catalog), encoding="utf-8")
    result = run(project, "align", "fr", ARTICLE, f"published/fr/{ARTICLE}.md")
    assert result.exit_code == 0
    assert entries(project)[mine.msgid][0] == "Ma propre traduction."
    line = parse_po(path.read_bytes(), CATALOG).entries[3].line
    assert result.stderr.startswith(
        f"{CATALOG}:{line}: conflict: the catalog has another translation; the aligned text ("
    )
    assert "1 conflict(s)" in result.stdout
    assert msgfmt_check(path) == ""


def test_dry_run_writes_nothing(project: Path):
    before = (project / CATALOG).read_bytes()
    result = run(project, "align", "fr", ARTICLE, f"published/fr/{ARTICLE}.md", "--dry-run")
    assert result.exit_code == 0
    assert f"{CATALOG}: would align 24 of 24 units" in result.stdout
    assert (project / CATALOG).read_bytes() == before
    summary = json.loads(
        run(
            project, "align", "fr", ARTICLE, f"published/fr/{ARTICLE}.md", "--dry-run",
            "--format", "json",
        ).stdout
    )  # fmt: skip
    (doc,) = summary["documents"]
    assert (doc["written"], doc["aligned_units"], summary["dry_run"]) == (False, 24, True)
    assert report_published(project) == {}


def report_published(root: Path) -> dict:
    report = json.loads(run(root, "report", "--format", "json").stdout)
    return report["articles"][0].get("published", {})


def test_a_folder_laid_out_like_the_sources(project: Path):
    result = run(project, "align", "fr", "--dir", "published/fr", "--url", "ignored")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{CATALOG}: aligned 24 of 24 units")
    assert report_published(project)["fr"]["source"] == f"published/fr/{ARTICLE}.md"


def write_bad(root: Path, name: str) -> str:
    path = root / "bad" / name
    path.parent.mkdir(exist_ok=True)
    if name == "empty.md":
        path.write_bytes(b"\n\n")
    elif name == "latin1.md":
        path.write_bytes("# Entrées\n\nLes données sont sauvegardées.\n".encode("latin-1"))
    elif name == "other.md":
        shutil.copy(ALIGN / "other-fr.md", path)
    elif name == "ja.md":
        shutil.copy(ALIGN / "other-ja.md", path)
    return f"bad/{name}"


@pytest.mark.parametrize(
    ("name", "language", "article", "message"),
    [
        ("empty.md", "fr", ARTICLE, "bad/empty.md: empty file"),
        (
            "latin1.md",
            "fr",
            ARTICLE,
            "bad/latin1.md:1: not valid UTF-8 (byte 0xe9); convert the file to UTF-8, for "
            "example with 'iconv -f latin1 -t utf-8'",
        ),
        (
            "ja.md",
            "fr",
            ARTICLE,
            "bad/ja.md: the file reads as Japanese (ja), not French (fr); give --force to "
            "align it anyway",
        ),
        (
            "ja.md",
            "de",
            ARTICLE,
            "bad/ja.md: the file reads as Japanese (ja), not German (de); give --force to "
            "align it anyway",
        ),
        (
            "other.md",
            "fr",
            "tutorial/nothing",
            "bad/other.md: unknown article 'tutorial/nothing': no ingested article of that id "
            "under articles/",
        ),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    project: Path, name: str, language: str, article: str, message: str
):
    before = {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")}
    result = run(project, "align", language, article, write_bad(project, name))
    assert result.exit_code == 2
    assert result.stderr == message + "\n"
    assert result.stdout == ""
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")} == before
    assert report_published(project) == {}


def test_a_file_that_is_not_a_translation_of_the_article(project: Path):
    before = (project / CATALOG).read_bytes()
    result = run(project, "align", "fr", ARTICLE, write_bad(project, "other.md"))
    assert result.exit_code == 2
    assert result.stderr.startswith("bad/other.md: not a translation of the article (")
    assert result.stderr.endswith("); nothing written\n")
    assert result.stderr.count("\n") == 1
    assert (project / CATALOG).read_bytes() == before
    assert report_published(project) == {}


def test_force_aligns_a_file_that_reads_as_another_language(project: Path):
    path = project / "bad" / "fr-as-de.md"
    path.parent.mkdir()
    shutil.copy(ALIGN / "fr.md", path)
    refused = run(project, "align", "de", ARTICLE, "bad/fr-as-de.md")
    assert refused.exit_code == 2
    assert "reads as French (fr), not German (de)" in refused.stderr
    forced = run(project, "align", "de", ARTICLE, "bad/fr-as-de.md", "--force")
    assert forced.exit_code == 0, forced.output
    assert msgfmt_check(project / f"locales/de/{ARTICLE}.po") == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("fr",), "error: give ARTICLE_ID and FILE, or --dir DIR"),
        (("fr", ARTICLE, "x.md", "--dir", "published/fr"), "error: give either ARTICLE_ID "
         "and FILE, or --dir, not both"),
        (("en", ARTICLE, f"published/fr/{ARTICLE}.md"),
         "config.yaml: language 'en' is not configured"),
    ],
)  # fmt: skip
def test_usage_errors(project: Path, args: tuple[str, ...], message: str):
    result = run(project, "align", *args)
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(message)


def test_localized_chrome_is_dropped_from_a_translation():
    page = (
        "Druckversion dieses Artikels\n\nDer erste Absatz.\n\nVersion imprimable de cet article\n"
    )
    german = DEFAULT_PROFILE.for_language("de")
    article = read_document(
        page.encode(), article_id="x", source_path="x.txt", fmt="txt", profile=german
    )
    assert [b.text for _, b in article.blocks()] == ["Der erste Absatz."]
    assert DEFAULT_PROFILE.is_chrome("Druckversion dieses Artikels")  # every edition's chrome
    assert DEFAULT_PROFILE.is_chrome("Versión para imprimir de este artículo")


# The property: whatever a translator left out, joined or split, no pair is invented.

ENGLISH = read_md(ALIGN / "article.md")
FRENCH = [text for _, text in read_md(ALIGN / "fr.md")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["keep", "keep", "keep", "drop", "join", "split"]), min_size=24,
                max_size=24))  # fmt: skip
def test_random_edits_never_produce_a_false_pair(edits: list[str]):
    """Paragraphs left out, joined, split, anywhere; but not a paragraph left out beside
    one split in two, whose half would then stand where the missing one stood: length
    and anchors cannot tell them apart, only the memory could."""
    for n in range(1, len(edits)):
        if {edits[n - 1], edits[n]} == {"split", "drop"}:
            edits[n] = "keep"
    blocks: list[str] = []
    origin: list[int | None] = []  # the English block a translated block is whole for
    i = 0
    while i < len(FRENCH):
        edit = edits[i] if i else "keep"  # the title stays
        if ENGLISH[i][0] != "paragraph" or (
            i + 1 < len(FRENCH) and ENGLISH[i + 1][0] != "paragraph"
        ):
            edit = "drop" if edit == "drop" and i else "keep"  # headings are not joined or split
        parts = split_target_sentences(FRENCH[i], "fr")
        if edit == "drop":
            i += 1
            continue
        if edit == "join" and i + 1 < len(FRENCH):
            blocks.append(FRENCH[i] + " " + FRENCH[i + 1])
            origin.append(None)
            i += 2
            continue
        if edit == "split" and len(parts) >= 2:
            blocks += [" ".join(parts[:1]), " ".join(parts[1:])]
            origin += [None, None]
        else:
            blocks.append(FRENCH[i])
            origin.append(i)
        i += 1
    kinds = {text: kind for kind, text in read_md(ALIGN / "fr.md")}
    alignment = align_documents(
        [Piece(text, kind, n) for n, (kind, text) in enumerate(ENGLISH)],
        [Piece(text, kinds.get(text, "paragraph"), n) for n, text in enumerate(blocks)],
        target_language="fr",
    )
    # Pairs the aligner is sure of are written as translated: they are never wrong. (Less
    # sure ones are written as fuzzy, for a translator to review: a paragraph without a
    # name or number, of about the length of its neighbour, may be taken for it.)
    accept = AlignSettings().accept
    for pair in alignment.pairs:
        if pair.confidence < accept:
            continue
        if len(pair.source) == 1 and len(pair.target) == 1:
            assert pair.target[0] == FRENCH[pair.source[0]]
        else:  # a joined suggestion, on the first unit: nothing in it from elsewhere
            joined = " ".join(pair.target)
            mine = FRENCH[pair.source[0]]
            assert mine in joined or joined in mine
            assert all(
                any(t in FRENCH[s] or FRENCH[s] in t for s in pair.source) for t in pair.target
            )


def test_two_hundred_paragraphs_align_in_well_under_a_second():
    import time

    english = [Piece(text, kind, n) for n, (kind, text) in enumerate(ENGLISH * 9)]
    french = [Piece(text, kind, n) for n, (kind, text) in enumerate(read_md(ALIGN / "fr.md") * 9)]
    del french[50], french[120]
    started = time.perf_counter()
    alignment = align_documents(english[:200], french[:198], target_language="fr")
    assert time.perf_counter() - started < 0.5
    assert sum(1 for p in alignment.pairs if p.confidence >= 0.9) > 150


def test_sentence_mode_pairs_sentences_inside_paragraphs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = make_project(
        tmp_path / "proj", languages=("fr",), seed=False, extra={"segmentation": "sentence"}
    )
    monkeypatch.chdir(root)
    target = root / "articles" / f"{ARTICLE}.md"
    target.parent.mkdir(parents=True)
    shutil.copy(ALIGN / "article.md", target)
    shutil.copy(ALIGN / "fr.md", root / "fr.md")
    assert run(root, "ingest", "--quiet").exit_code == 0
    result = run(root, "align", "fr", ARTICLE, "fr.md")
    assert result.exit_code == 0, result.output
    config = config_of(root)
    found = entries(root)
    units = segment(
        read_document(
            target.read_bytes(),
            article_id=ARTICLE,
            source_path="a.md",
            fmt="md",
            profile=config.site,
        ),
        "sentence",
    )
    written = [found[u.text][0] for u in units if found[u.text][0]]
    assert len(written) >= len(units) * 0.8
    french = " ".join(FRENCH)
    assert all(text in french for text in written)
    assert msgfmt_check(root / CATALOG) == ""
