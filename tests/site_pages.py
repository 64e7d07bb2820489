"""Reading the fixture pages of the publisher's site, and scoring what was read.

Each folder of pages has an ``expected.yaml``: for every page its language, publication,
issue, date, title block and the first words of its first body paragraph. Scoring reads a
page as ``ingest`` does (all eleven target languages as candidates, English the default)
and checks, apart from the expected fields, that no chrome line reaches the units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from i18n_pipeline.model import Article, Unit
from i18n_pipeline.read import FORMATS, parse_article
from i18n_pipeline.read.profile import DEFAULT_PROFILE
from i18n_pipeline.segment import segment

SITE = Path(__file__).parent / "fixtures" / "site"
HELDOUT = SITE / "heldout"
LANGUAGES = ("id", "de", "es", "fr", "it", "ja", "pl", "pt", "ru", "zh", "tl")
META_KEYS = ("publication", "issue", "date", "kicker", "title", "subtitle", "part")

#: Chrome the site prints, in its editions' languages: none of it may reach a unit. The list
#: is written from the pages, not from the profile, so that a test of it can fail.
CHROME = (
    "Documents in:",
    "International Communist League",
    "Home Spartacist",
    "Subscribe to",
    "View archives",
    "Printable version of this article",
    "Abonniert",
    "Archiv",
    "Druckversion dieses Artikels",
    "Abonnez-vous",
    "Recevez Spartacist",
    "Version imprimable",
    "Suscríbete",
    "Versión para imprimir",
    "Abbonati",
    "Versione stampabile",
    "購読",
    "アーカイブ",
    "印刷版",
    "Prenumerata",
    "Wersja do druku",
    "Assine",
    "Arquivo",
    "Versão para impressão",
    "Подписка",
    "Архив",
    "для печати",
    "订阅",
    "档案",
    "打印版",
    "Berlangganan",
    "Arsip",
    "Versi cetak",
    "Mag-subscribe",
    "Arkibo",
    "Bersyong maipi-print",
    "Deutsch, English, Español, Français",
)


def expected(folder: Path) -> dict[str, dict[str, str]]:
    return yaml.safe_load((folder / "expected.yaml").read_text("utf-8"))


def read_page(path: Path) -> Article:
    return parse_article(
        path.read_bytes(),
        article_id=f"site/{path.stem}",
        source_path=str(path.name),
        fmt=FORMATS[path.suffix],
        profile=DEFAULT_PROFILE,
        source_language="en",
        candidates=LANGUAGES,
    )


@dataclass
class PageScore:
    """What was read right on one page; ``wrong`` names each field read wrong."""

    name: str
    language: bool
    headline: bool
    chrome_free: bool
    wrong: list[str] = field(default_factory=list)


def chrome_in(units: list[Unit], want: dict[str, str]) -> list[str]:
    """Units that hold site chrome, or that look like the page's masthead (a short line
    ending in its issue number) or its date line (a short line with its year)."""
    issue, year = str(want.get("issue", "")), str(want.get("date", ""))[:4]

    def front(text: str) -> bool:
        short = len(text.split()) <= 8 and len(text) <= 60
        return short and bool(
            issue and text.rstrip("号期").endswith(issue) or year and year in text
        )

    return [u.text for u in units if any(c in u.text for c in CHROME) or front(u.text)]


def score_page(path: Path, want: dict[str, str]) -> PageScore:
    article = read_page(path)
    units = segment(article, "paragraph", article.source_language)
    wrong = []
    if article.source_language != want["language"]:
        wrong.append(f"language {article.source_language}")
    for key in META_KEYS:
        if getattr(article.meta, key) != want.get(key):
            wrong.append(f"{key} {getattr(article.meta, key)!r}")
    body = [u for u in units if u.role is None]
    if not body or not body[0].text.startswith(want["first"]):
        wrong.append(f"first {body[0].text[:40] if body else None!r}")
    leaked = chrome_in(units, want)
    if leaked:
        wrong.append(f"chrome {leaked}")
    return PageScore(
        path.name,
        article.source_language == want["language"],
        article.meta.title == want.get("title"),
        not leaked,
        wrong,
    )


def score(folder: Path) -> list[PageScore]:
    return [score_page(folder / name, want) for name, want in sorted(expected(folder).items())]


def summary(scores: list[PageScore]) -> str:
    n = len(scores)
    return (
        f"{n} pages: language {sum(s.language for s in scores)}/{n}, "
        f"headline {sum(s.headline for s in scores)}/{n}, "
        f"chrome-free {sum(s.chrome_free for s in scores)}/{n}, "
        f"all fields {sum(not s.wrong for s in scores)}/{n}"
    )


if __name__ == "__main__":
    import sys

    for s in score(Path(sys.argv[1]) if len(sys.argv) > 1 else SITE):
        print(s.name, "ok" if not s.wrong else s.wrong)
