"""Helpers for the translation memory, sentence mode and build tests: a second article that
quotes the seed, and editing catalogs as a translator would."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import yaml
from click.testing import CliRunner, Result
from projects import FIXTURES, SEED_ID

from i18n_pipeline.cli import main
from i18n_pipeline.po.catalog import Catalog, Entry
from i18n_pipeline.po.parse import parse_po
from i18n_pipeline.po.render import render_po

SECOND = FIXTURES / "articles2" / "rewriting-october.txt"
SECOND_ID = "wv/870/rewriting-october"

#: Units the second article shares with the seed (paragraph mode).
CANNON = (
    "As the founder of American Trotskyism, James P. Cannon, affirmed, “Who touches the Russian"
    " Question, touches a revolution.” The Soviet Union may be gone—but the necessity of"
    " defending the Russian Revolution is as vital as ever. The imperialists and their liberal"
    " torchbearers seek to rewrite history in order to ensure that the rule of capital is never"
    " again challenged. They would like to wipe out of the consciousness among the proletariat"
    " and the oppressed any attachment to the program or ideals of communism."
)
CANNON_QUOTED = (
    "As the founder of American Trotskyism, James P. Cannon, affirmed, “Who touches the Russian"
    " Question, touches a revolution.” The Soviet Union may be gone—but the necessity of"
    " defending the gains of the Russian Revolution is as vital as ever. The imperialists and"
    " their academic apologists seek to rewrite history in order to ensure that the rule of"
    " capital is never again challenged. They would like to erase from the consciousness of the"
    " proletariat and the oppressed any attachment to the ideals of communism."
)
DZERZHINSKY = (
    "“Let all those who are assigned to conduct searches, take people into custody, and"
    " imprison them behave solicitously toward those being arrested or searched. Let them be"
    " much more courteous even than toward close friends. Let them remember that the"
    " incarcerated cannot defend themselves and that they are in our power. Each and every one"
    " must remember that they represent Soviet power, the workers’ and peasants’ government, and"
    " that any verbal abuse, rudeness, injustice, or impropriety is a blot upon the Soviet"
    " power.”"
)
HEADING = "For New October Revolutions!"


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def add_article(root: Path, source: Path, article_id: str) -> Path:
    target = root / "articles" / f"{article_id}{source.suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    return target


def add_second_article(root: Path) -> Path:
    return add_article(root, SECOND, SECOND_ID)


def set_config(root: Path, **settings: object) -> None:
    """Change top-level settings of the project's config.yaml."""
    path = root / "config.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data.update(settings)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def catalog_of(root: Path, language: str, article_id: str = SEED_ID) -> Path:
    return root / "locales" / language / f"{article_id}.po"


def read_catalog(path: Path) -> Catalog:
    return parse_po(path.read_bytes(), str(path))


def entry(catalog: Catalog, msgid: str, *, obsolete: bool = False) -> Entry:
    found = [e for e in catalog.entries if e.msgid == msgid and e.obsolete == obsolete]
    assert len(found) == 1, msgid
    return found[0]


def translate(
    path: Path,
    translations: Mapping[str, str] | Callable[[str], str | None],
    *,
    fuzzy: bool = False,
) -> dict[str, str]:
    """Translate entries of the catalog at ``path`` as a translator would (a mapping, or a
    function of the msgid giving the msgstr or None); returns what was translated."""
    lookup = translations.get if isinstance(translations, Mapping) else translations
    catalog = read_catalog(path)
    done: dict[str, str] = {}
    for e in catalog.entries:
        text = None if e.obsolete else lookup(e.msgid)
        if text is None:
            continue
        e.msgstr = text
        e.set_fuzzy(fuzzy)
        e.previous_msgid = None
        done[e.msgid] = text
    path.write_text(render_po(catalog), "utf-8")
    return done
