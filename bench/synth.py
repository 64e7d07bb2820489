"""A deterministic synthetic project for the benchmark: articles, then translators' work.

:func:`write_project` writes ``config.yaml`` (the starter config, all eleven languages) and
N articles as plain text in the publisher's format: site chrome, the masthead
``Workers Vanguard No. N``, a date line, kicker/title/subtitle, lead paragraphs, five headed
sections with quotations and attributions, and the issue's table of contents. The text is
pseudo-English drawn from a fixed word list with Zipf-like weights, so that language
detection reads it as English; an article has about 50 units and 5,000 words, like the
sample article.

After ``ingest`` has written the catalogs, :func:`translate_project` edits them the way a
translator does: for each language and article a completeness is drawn (languages differ,
as on the site), entries are translated from the top, a few are marked fuzzy, and the
header's ``PO-Revision-Date`` and ``Last-Translator`` are set. Translations are
pseudo-text in the target language's own words and script. Catalogs are edited as text
(no parsing), and each msgstr is laid out exactly as the pipeline's writer lays it out, so
a later ``ingest`` leaves the files alone.

Everything is a function of ``(seed, index)`` (or ``(seed, language, article id)``) through
:class:`random.Random` seeded with a string, so article k is the same whatever N is, and
work spreads over processes without changing the output.

Command line (each prints a JSON summary)::

    python bench/synth.py articles  --root DIR --articles N [--seed S] [--jobs J]
    python bench/synth.py translate --root DIR [--seed S] [--jobs J]
    python bench/synth.py touch     --root DIR [--seed S]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import re
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from i18n_pipeline.read.profile import MONTHS

__all__ = [
    "LANGUAGES",
    "ArticleText",
    "CatalogCounts",
    "article_text",
    "po_string_lines",
    "touch_catalog",
    "translate_catalog",
    "translate_project",
    "write_project",
]

#: The target languages, in the order of the starter config.
LANGUAGES = ("id", "de", "es", "fr", "it", "ja", "pl", "pt", "ru", "zh", "tl")

ARTICLES_PER_ISSUE = 8
FIRST_ISSUE = 100
FIRST_ISSUE_DATE = date(1975, 1, 3)
PAGE_WIDTH = 79  # the PO writer's page width

# -- English ------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


_FUNCTION_WORDS = _words("""
the of and to in a that is for was as with by on its their which this from were not be it
or an have had has but at who they his all would are been against more than into one its
only also these those such when while after before over under between through its our we
them other most any both even still every each what whose where about because so no
""")

_CONTENT_WORDS = _words("""
workers state revolution class struggle capitalist bourgeois imperialist government party
union soviet labor war history defense rights power movement working political
international socialist bureaucracy regime democracy liberal reactionary oppression
exploitation strike police court prison trial campaign crisis economy profit market
ruling masses leadership program proletarian revolutionary counterrevolution freedom
independence struggle picket line bosses wages jobs unemployment racist capitalism
imperialism fascism reformism trade unions socialism communism property production
society world country nation army troops occupation colonial oppressed people black
women youth immigrants minorities students farmers peasants officials leaders members
organization conference resolution statement article newspaper press issue report
propaganda slander lies truth fight victory defeat betrayal alliance front coalition
elections parliament congress president minister ambassador administration policy
sanctions invasion intervention repression torture terror justice law order security
united demanded declared argued wrote noted insisted refused supported opposed defended
fought built organized mobilized exposed denounced attacked launched seized overthrew
crushed won lost joined split founded published printed called said made took gave
necessary historic decisive bitter bloody brutal vicious massive mass general common
entire whole early late former recent new old great small main central key real
economic social military national racial religious democratic capitalist liberal
left right wing bourgeoisie proletariat vanguard cadre program perspective demand
task period decade century years months weeks days today yesterday tomorrow time
""")

_NAMES = _words("""
Lenin Trotsky Marx Engels Luxemburg Cannon Bolsheviks Mensheviks Stalin Kremlin Moscow
Washington London Paris Berlin Detroit Chicago Oakland Democrats Republicans Pentagon
Congress Europe Africa Asia Germany France Britain Russia China Cuba Mexico Brazil
Haiti Iraq Iran Israel Palestine Korea Vietnam Spain Italy Poland Greece Turkey Japan
""")

_AUTHORS = (
    "Leon Trotsky",
    "V.I. Lenin",
    "Karl Marx",
    "Friedrich Engels",
    "Rosa Luxemburg",
    "James P. Cannon",
    "Frederick Douglass",
    "Richard S. Fraser",
)
_WORKS = (
    "The Revolution Betrayed",
    "State and Revolution",
    "The Communist Manifesto",
    "The Transitional Program",
    "Terrorism and Communism",
    "The History of the Russian Revolution",
    "The First Ten Years of American Communism",
    "Their Morals and Ours",
)
_MONTHS = MONTHS
_SMALL_TITLE_WORDS = ("and", "of", "the", "for", "in", "on", "to")
_CHROME = (
    "Documents in: Bahasa Indonesia Deutsch Español Français Italiano Japanese Polski "
    "Português Russian Chinese Tagalog",
    "International Communist League",
    "Subscribe to Workers Vanguard",
    "View archives",
    "Printable version of this article",
)
_PARTS = ("Part One", "Part Two", "Part Three")


def _zipf(words: Sequence[str], exponent: float = 0.9) -> list[float]:
    """Cumulative weights giving the word of rank r a weight of 1/r^exponent."""
    return list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(words))))


_ENGLISH = tuple(dict.fromkeys(_FUNCTION_WORDS + _CONTENT_WORDS))
_ENGLISH_CUM = _zipf(_ENGLISH)
_LONG_WORDS = tuple(w for w in dict.fromkeys(_CONTENT_WORDS) if len(w) >= 4)


def _sentence(rng: random.Random, length: int) -> str:
    words = rng.choices(_ENGLISH, cum_weights=_ENGLISH_CUM, k=length)
    for i in range(length):
        roll = rng.random()
        if roll < 0.04:
            words[i] = rng.choice(_NAMES)
        elif roll < 0.05:
            words[i] = str(rng.randrange(1848, 2024))
        elif roll < 0.14 and 0 < i < length - 1:
            words[i] += ","
    words[0] = words[0][0].upper() + words[0][1:]
    if rng.random() < 0.05:
        issue = rng.randrange(1, 1300)
        words.append(
            f"(WV No. {issue}, {rng.randrange(1, 29)} {rng.choice(_MONTHS)} "
            f"{rng.randrange(1971, 2024)})"
        )
    return " ".join(words).rstrip(",") + "."


def _paragraph(rng: random.Random, words: int) -> str:
    """Sentences of 6 to 50 words adding up to about ``words``."""
    out: list[str] = []
    left = words
    while left > 0:
        length = min(max(6, int(rng.gauss(22, 9))), 50)
        length = min(length, max(left, 6))
        out.append(_sentence(rng, length))
        left -= length
    return " ".join(out)


def _paragraph_words(rng: random.Random) -> int:
    """Paragraph lengths like the sample's: median about 105 words, long tail."""
    return min(max(15, int(rng.lognormvariate(math.log(105), 0.5))), 400)


def _title_case(rng: random.Random, low: int, high: int) -> str:
    words: list[str] = []
    for i in range(rng.randint(low, high)):
        if i > 0 and rng.random() < 0.25:
            words.append(rng.choice(_SMALL_TITLE_WORDS))
        elif rng.random() < 0.15:
            words.append(rng.choice(_NAMES))
        else:
            word = rng.choice(_LONG_WORDS)
            words.append(word[0].upper() + word[1:])
    while words[-1] in _SMALL_TITLE_WORDS:
        words.pop()
    return " ".join(words)


def _issue_of(index: int) -> int:
    return FIRST_ISSUE + index // ARTICLES_PER_ISSUE


def _issue_date(issue: int) -> date:
    return FIRST_ISSUE_DATE + timedelta(days=14 * (issue - FIRST_ISSUE))


def _title(seed: int, index: int) -> str:
    return _title_case(random.Random(f"{seed}:{index}:title"), 2, 7)


def _article_id(seed: int, index: int, title: str) -> str:
    slug = "-".join(w.lower() for w in title.split() if w not in _SMALL_TITLE_WORDS)[:40]
    return f"wv/{_issue_of(index)}/{slug.strip('-')}{index % ARTICLES_PER_ISSUE}"


@dataclass(frozen=True)
class ArticleText:
    """One generated article: its id (path under ``articles/`` without ``.txt``) and text."""

    article_id: str
    text: str


def article_text(seed: int, index: int) -> ArticleText:
    """Article ``index`` of the project generated from ``seed``."""
    rng = random.Random(f"{seed}:{index}")
    issue = _issue_of(index)
    when = _issue_date(issue)
    title = _title(seed, index)
    blocks: list[str] = list(_CHROME)
    blocks += [f"Workers Vanguard No. {issue}", f"{when.day} {_MONTHS[when.month - 1]} {when.year}"]
    blocks.append(_title_case(rng, 2, 5))  # kicker
    blocks.append(title)
    if rng.random() < 0.6:
        blocks.append(_title_case(rng, 4, 10))  # subtitle
    if rng.random() < 0.1:
        blocks.append(rng.choice(_PARTS))
    for _ in range(rng.randint(2, 5)):
        blocks.append(_paragraph(rng, _paragraph_words(rng)))
    headings: set[str] = set()
    for _ in range(5):
        heading = _title_case(rng, 2, 7)
        while heading in headings or heading == title:
            heading = _title_case(rng, 2, 7)
        headings.add(heading)
        blocks.append(heading)
        for _ in range(rng.randint(6, 9)):
            roll = rng.random()
            if roll < 0.08:
                blocks.append("“" + _paragraph(rng, _paragraph_words(rng)) + "”")
                if rng.random() < 0.5:
                    blocks.append(f"—{rng.choice(_AUTHORS)}, {rng.choice(_WORKS)}")
            else:
                blocks.append(_paragraph(rng, _paragraph_words(rng)))
    # The issue's table of contents, as the site prints it after the article.
    first = (index // ARTICLES_PER_ISSUE) * ARTICLES_PER_ISSUE
    blocks.append(f"Workers Vanguard No. {issue}")
    contents = "\n\n\n".join(_title(seed, k) for k in range(first, first + ARTICLES_PER_ISSUE))
    text = "\n\n".join(blocks) + "\n\n\n" + contents + "\n"
    return ArticleText(_article_id(seed, index, title), text)


def _write_articles(root: str, seed: int, indices: range) -> tuple[int, int]:
    sources = Path(root) / "articles"
    written = size = 0
    for index in indices:
        article = article_text(seed, index)
        path = sources / f"{article.article_id}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = article.text.encode("utf-8")
        path.write_bytes(data)
        written += 1
        size += len(data)
    return written, size


def _chunks(total: int, parts: int) -> list[range]:
    step = max(1, math.ceil(total / max(1, parts)))
    return [range(start, min(total, start + step)) for start in range(0, total, step)]


def write_project(root: Path, articles: int, seed: int, *, jobs: int = 1) -> dict[str, int]:
    """Write ``config.yaml`` and ``articles`` articles under ``root``; returns counts."""
    from i18n_pipeline.project import STARTER_CONFIG

    root.mkdir(parents=True, exist_ok=True)
    (root / "config.yaml").write_text(STARTER_CONFIG, encoding="utf-8")
    (root / "articles").mkdir(exist_ok=True)
    chunks = _chunks(articles, jobs * 4)
    if jobs > 1 and articles >= 50:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            done = list(
                pool.map(
                    _write_articles, itertools.repeat(str(root)), itertools.repeat(seed), chunks
                )
            )
    else:
        done = [_write_articles(str(root), seed, chunk) for chunk in chunks]
    return {"articles": sum(d[0] for d in done), "bytes": sum(d[1] for d in done)}


# -- translations -------------------------------------------------------------------------

_VOCABULARY = {
    "de": """der die das und ist nicht mit von den des auf für eine einer ein sich dem als
        auch es an werden aus er hat dass sie nach wird bei noch wie einem über so zum um war
        haben nur oder aber vor zur bis mehr durch man sein wurde sei Arbeiter Klasse Staat
        Revolution Kampf gegen Regierung Partei Gewerkschaft Kapitalismus Arbeiterstaat
        Sowjetunion Krieg Imperialismus Bourgeoisie Verteidigung Menschenrechte Unterdrückung
        Geschichte Welt Macht Bewegung Führung Rechte Freiheit politischen sozialistischen
        internationalen heute damals immer wieder zwischen während unter""",
    "es": """el la de que y en los del se las por un para con no una su al lo como más pero
        sus le ya o este porque esta entre cuando muy sin sobre también hasta hay donde quien
        desde todo nos durante todos uno les ni contra otros clase obrera estado revolución
        lucha gobierno partido sindicato capitalismo guerra imperialismo burguesía defensa
        derechos trabajadores historia mundo poder movimiento libertad política socialista
        internacional obreros huelga""",
    "fr": """le la les de des du et en un une est que qui dans pour pas sur au avec ce il elle
        ne se par plus son sa ses leur leurs mais comme nous vous ont été cette entre contre
        sans sous aussi très tout tous classe ouvrière état révolution lutte gouvernement parti
        syndicat capitalisme guerre impérialisme bourgeoisie défense droits travailleurs
        histoire monde pouvoir mouvement liberté politique socialiste internationale grève""",
    "it": """il la di che e in un una per non con del della dei delle sono si lo gli le ma
        come più anche suo sua loro nel nella questo questa tra contro senza sotto molto tutti
        classe operaia stato rivoluzione lotta governo partito sindacato capitalismo guerra
        imperialismo borghesia difesa diritti lavoratori storia mondo potere movimento libertà
        politica socialista internazionale sciopero""",
    "pt": """o a os as de do da dos das e em um uma que não para com por se na no mais como
        mas foi ao pelo pela seus suas entre contra sem sobre também muito todos classe
        operária estado revolução luta governo partido sindicato capitalismo guerra
        imperialismo burguesia defesa direitos trabalhadores história mundo poder movimento
        liberdade política socialista internacional greve são""",
    "pl": """i w na z do nie się że jest to o jak po od przez za dla ale jego jej ich który
        która które tak już tylko także przeciw bez pod bardzo wszyscy klasa robotnicza
        państwo rewolucja walka rząd partia związek kapitalizm wojna imperializm burżuazja
        obrona prawa robotników historia świat władza ruch wolność polityka socjalistyczna
        międzynarodowa strajk""",
    "ru": """и в не на что с по как это из за от его для к но о же они было все так она был
        при уже также против без под очень рабочий класс государство революция борьба
        правительство партия профсоюз капитализм война империализм буржуазия оборона права
        рабочих история мир власть движение свобода политика социалистическая
        международная забастовка""",
    "id": """dan yang di ke dari ini itu untuk dengan tidak ada dalam akan pada juga oleh
        sebagai mereka kami kita telah sudah bisa karena atau tetapi seperti antara tanpa
        terhadap sangat semua kelas pekerja negara revolusi perjuangan pemerintah partai
        serikat kapitalisme perang imperialisme borjuis pembelaan hak buruh sejarah dunia
        kekuasaan gerakan kebebasan politik sosialis internasional pemogokan""",
    "tl": """ang ng sa mga na at ay para kay si ni hindi ito iyon siya sila kami tayo nila
        niya kanilang dahil ngunit pero kung upang laban wala lahat uri manggagawa estado
        rebolusyon pakikibaka gobyerno partido unyon kapitalismo digmaan imperyalismo
        burgesya pagtatanggol karapatan kasaysayan mundo kapangyarihan kilusan kalayaan
        pulitika sosyalista internasyonal welga""",
    # Japanese and Chinese: words without spaces; no small kana (they change line breaking).
    "ja": """の は を に が で と も から まで として について 労働者 階級 国家 革命 闘争
        政府 党 組合 資本主義 戦争 帝国主義 防衛 権利 歴史 世界 権力 運動 自由 政治 社会主義
        国際 した する である された ている 私たち 彼ら この その""",
    "zh": """的 是 在 和 了 反对 我们 他们 这个 一个 为了 没有 已经 对于 工人 阶级 国家 革命
        斗争 政府 党 工会 资本主义 战争 帝国主义 资产阶级 保卫 人权 历史 世界 政权 运动 自由
        政治 社会主义 国际 罢工""",
}
#: Words (characters for ja and zh) of translation per source word.
_LENGTH_RATIO = {
    "de": 0.9, "es": 1.15, "fr": 1.15, "it": 1.1, "pt": 1.1, "pl": 0.85, "ru": 0.85,
    "id": 0.95, "tl": 1.3, "ja": 2.3, "zh": 1.6,
}  # fmt: skip
#: How much of the corpus each language's translators have done (chance an article is done).
_DILIGENCE = {
    "de": 0.55, "es": 0.6, "fr": 0.5, "pt": 0.45, "it": 0.35, "ru": 0.3, "pl": 0.3,
    "zh": 0.25, "ja": 0.2, "id": 0.15, "tl": 0.1,
}  # fmt: skip
_TRANSLATORS = {
    "de": "Anna Becker", "es": "Lucía Romero", "fr": "Claire Martin", "it": "Marco Ferri",
    "pt": "Joana Lima", "pl": "Piotr Nowak", "ru": "Olga Ivanova", "id": "Sari Wulandari",
    "tl": "Jose Santos", "ja": "Yuki Tanaka", "zh": "Li Wei",
}  # fmt: skip
_CJK = ("ja", "zh")
_FUZZY_RATE = 0.04
_VARIANTS = 6  # distinct translations per language and length


def _translation(rng: random.Random, language: str, length: int) -> str:
    words = _VOCABULARY[language].split()
    picks = rng.choices(words, cum_weights=_zipf(words), k=max(1, length))
    if language in _CJK:
        text = ""
        for i, word in enumerate(picks):
            text += word
            if i % 12 == 11 and i < len(picks) - 1:
                text += "，"
        return text + "。"
    for i in range(len(picks) - 1):
        if i % 9 == 8:
            picks[i] += ","
    picks[0] = picks[0][0].upper() + picks[0][1:]
    return " ".join(picks) + "."


def po_string_lines(keyword: str, text: str) -> list[str]:
    """``keyword "text"`` laid out as the pipeline's writer (and msgcat) lays it out.

    Exact for the generator's translations: no characters needing escapes; break
    opportunities after a space, or between CJK characters and around digit runs in CJK
    text (never before ``。``); CJK characters two columns wide. A string too long for one
    line starts with ``""``.
    """
    if text[:1] >= "\u3000":
        bounds = [0]
        for i in range(1, len(text)):
            if text[i] != "。" and not (text[i].isdigit() and text[i - 1].isdigit()):
                bounds.append(i)
        bounds.append(len(text))
        widths = [
            sum(1 if ch < "\u3000" else 2 for ch in text[a:b])
            for a, b in itertools.pairwise(bounds)
        ]
    else:  # words separated by single spaces
        widths = [len(word) + 1 for word in text.split(" ")]
        widths[-1] -= 1
        bounds = [0, *itertools.accumulate(widths)]
    room = PAGE_WIDTH - 2

    def breaks(start_column: int) -> list[int]:
        # gnulib's greedy u8_width_linebreaks over the break opportunities
        out: list[int] = []
        column, piece = start_column, widths[0]
        for k in range(1, len(widths)):
            if column + piece > room and k > 1:
                out.append(bounds[k - 1])
                column = 0
            column += piece
            piece = widths[k]
        if len(widths) > 1 and column + piece > room:
            out.append(bounds[len(widths) - 1])
        return out

    if text and (len(keyword) + 1 > room or breaks(len(keyword) + 1)):
        edges = [0, *breaks(0), len(text)]
        return [f'{keyword} ""', *(f'"{text[a:b]}"' for a, b in itertools.pairwise(edges))]
    return [f'{keyword} "{text}"']


def with_numbers(text: str, numbers: Sequence[str]) -> str:
    """``text`` with ``numbers`` spread through it, as a translation keeps the source's."""
    if not numbers:
        return text
    cjk = text[:1] >= "\u3000"
    parts: list[str] = list(text[:-1]) if cjk else text.split(" ")
    step = len(parts) / (len(numbers) + 1)
    for k, number in reversed(list(enumerate(numbers, 1))):
        parts.insert(max(1, min(len(parts) - 1, round(k * step))) if len(parts) > 1 else 0, number)
    return "".join(parts) + "。" if cjk else " ".join(parts)


@dataclass
class CatalogCounts:
    """What a translator left in catalogs: entries by state (msgfmt's meaning)."""

    catalogs: int = 0
    edited: int = 0
    units: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    def add(self, other: CatalogCounts) -> None:
        for key, value in asdict(other).items():
            setattr(self, key, getattr(self, key) + value)


@dataclass
class _Pool:
    """Translations by language, length and variant, made (and laid out) once."""

    texts: dict[tuple[str, int, int], str] = field(default_factory=dict)
    lines: dict[tuple[str, int, int], list[str]] = field(default_factory=dict)

    def text(self, language: str, length: int, variant: int) -> str:
        key = (language, length, variant)
        found = self.texts.get(key)
        if found is None:
            rng = random.Random(f"translation:{language}:{length}:{variant}")
            found = self.texts[key] = _translation(rng, language, length)
        return found

    def msgstr(self, language: str, length: int, variant: int, numbers: Sequence[str]) -> list[str]:
        if numbers:
            return po_string_lines(
                "msgstr", with_numbers(self.text(language, length, variant), numbers)
            )
        key = (language, length, variant)
        found = self.lines.get(key)
        if found is None:
            found = self.lines[key] = po_string_lines("msgstr", self.text(*key))
        return found


_DIGITS = re.compile(r"\d+")


def _msgid(lines: Sequence[str]) -> tuple[int, list[str]]:
    """Roughly the words of an entry's msgid, and its numbers, from its PO lines."""
    words = 0
    numbers: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("msgid "):
            inside = True
            line = line[6:]
        elif not line.startswith('"'):
            if inside:
                break
            continue
        if inside:
            words += len(line.split())
            numbers += _DIGITS.findall(line)
    return words, numbers


def translate_catalog(
    text: str, language: str, rng: random.Random, completeness: float, pool: _Pool | None = None
) -> tuple[str, CatalogCounts]:
    """``text`` with the first ``completeness`` share of its untranslated entries translated
    (a few fuzzy) and the header updated; unchanged text when nothing was translated."""
    pool = pool or _Pool()
    counts = CatalogCounts(catalogs=1)
    blocks = text.split("\n\n")
    active = [i for i in range(1, len(blocks)) if not blocks[i].lstrip("\n").startswith("#~")]
    todo = [i for i in active if blocks[i].rstrip("\n").endswith('\nmsgstr ""')]
    counts.units = len(active)
    counts.translated = len(active) - len(todo)  # entries translated before (none when fresh)
    wanted = round(completeness * len(todo))
    ratio = _LENGTH_RATIO[language]
    for i in todo[:wanted]:
        block = blocks[i]
        trailing = block.endswith("\n")
        lines = block.rstrip("\n").split("\n")
        words, numbers = _msgid(lines)
        length = max(1, round(words * ratio * rng.uniform(0.85, 1.15)))
        lines[-1:] = pool.msgstr(language, length, rng.randrange(_VARIANTS), numbers)
        if rng.random() < _FUZZY_RATE:
            at = next(k for k, line in enumerate(lines) if not line.startswith(("#.", "#:", "# ")))
            if lines[at].startswith("#, "):
                lines[at] = "#, fuzzy, " + lines[at][3:]
            else:
                lines.insert(at, "#, fuzzy")
            counts.fuzzy += 1
        else:
            counts.translated += 1
        blocks[i] = "\n".join(lines) + ("\n" if trailing else "")
    counts.untranslated = counts.units - counts.translated - counts.fuzzy
    if wanted == 0:
        return text, counts
    counts.edited = 1
    blocks[0] = _stamp_header(blocks[0], language, rng)
    return "\n\n".join(blocks), counts


def _stamp_header(header: str, language: str, rng: random.Random) -> str:
    when = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
    name = _TRANSLATORS[language]
    email = name.split()[0].lower() + "@example.org"
    out = []
    for line in header.split("\n"):
        if line.startswith('"PO-Revision-Date: '):
            line = f'"PO-Revision-Date: {when.isoformat()} {rng.randrange(8, 20):02d}:00+0000\\n"'
        elif line.startswith('"Last-Translator: '):
            line = f'"Last-Translator: {name} <{email}>\\n"'
        out.append(line)
    return "\n".join(out)


def _completeness(rng: random.Random, language: str) -> float:
    """Whole articles done, some half done, the rest not started."""
    done = _DILIGENCE[language]
    roll = rng.random()
    if roll < 0.8 * done:
        return 1.0
    if roll < 0.8 * done + 0.2:
        return rng.uniform(0.05, 0.95)
    return 0.0


def _catalogs(root: Path, language: str) -> Iterator[tuple[str, Path]]:
    folder = root / "locales" / language
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".po") and not name.startswith("."):
                path = Path(dirpath) / name
                yield path.relative_to(folder).with_suffix("").as_posix(), path


def _translate_language(root: str, language: str, seed: int) -> CatalogCounts:
    total = CatalogCounts()
    pool = _Pool()
    for article_id, path in _catalogs(Path(root), language):
        rng = random.Random(f"{seed}:{language}:{article_id}")
        completeness = _completeness(rng, language)
        text = path.read_text(encoding="utf-8")
        new, counts = translate_catalog(text, language, rng, completeness, pool)
        if new != text:
            path.write_text(new, encoding="utf-8")
        total.add(counts)
    return total


def translate_project(
    root: Path, seed: int, *, languages: Sequence[str] = LANGUAGES, jobs: int = 1
) -> dict[str, CatalogCounts]:
    """Translate part of every catalog under ``root/locales``; counts per language."""
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            done = list(
                pool.map(
                    _translate_language,
                    itertools.repeat(str(root)),
                    languages,
                    itertools.repeat(seed),
                )
            )
    else:
        done = [_translate_language(str(root), code, seed) for code in languages]
    return dict(zip(languages, done, strict=True))


def touch_catalog(root: Path, seed: int, language: str = "de") -> dict[str, object]:
    """One translator's save: translate the next untranslated entry of one catalog (or
    re-translate its first entry when it is complete). Returns what changed."""
    catalogs = sorted(_catalogs(root, language))
    if not catalogs:
        raise SystemExit(f"{root}: no catalogs for '{language}'")
    article_id, path = catalogs[random.Random(f"{seed}:touch").randrange(len(catalogs))]
    text = path.read_text(encoding="utf-8")
    rng = random.Random(f"{seed}:touch:{article_id}")
    blocks = text.split("\n\n")
    todo = [i for i in range(1, len(blocks)) if blocks[i].rstrip("\n").endswith('\nmsgstr ""')]
    target = todo[0] if todo else 1
    trailing = blocks[target].endswith("\n")
    lines = blocks[target].rstrip("\n").split("\n")
    at = next(k for k, line in enumerate(lines) if line.startswith("msgstr"))
    words, numbers = _msgid(lines)
    length = max(1, words) + (0 if todo else 1)  # a complete one: new text
    lines[at:] = po_string_lines(
        "msgstr", with_numbers(_translation(rng, language, length), numbers)
    )
    blocks[target] = "\n".join(lines) + ("\n" if trailing else "")
    blocks[0] = _stamp_header(blocks[0], language, rng)
    path.write_text("\n\n".join(blocks), encoding="utf-8")
    return {
        "path": path.relative_to(root).as_posix(),
        "language": language,
        "article": article_id,
        "newly_translated": 1 if todo else 0,
    }


# -- command line -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("action", choices=("articles", "translate", "touch"))
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    result: object
    if args.action == "articles":
        result = write_project(args.root, args.articles, args.seed, jobs=args.jobs)
    elif args.action == "translate":
        counts = translate_project(args.root, args.seed, jobs=args.jobs)
        result = {code: asdict(c) for code, c in counts.items()}
    else:
        result = touch_catalog(args.root, args.seed)
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
