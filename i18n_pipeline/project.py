"""Creating a new project: a starter config, the folders, and the database."""

from __future__ import annotations

from pathlib import Path

from i18n_pipeline.config import CONFIG_NAME, load_config
from i18n_pipeline.files import atomic_write
from i18n_pipeline.store.db import ensure_schema, make_engine

STARTER_CONFIG = """\
# i18n-pipeline project settings. Paths are relative to this file.
source_language: en

# Target languages: code, the site's label, and optionally what each one takes on.
languages:
  - {code: id, label: Bahasa Indonesia}
  - {code: de, label: Deutsch}
  - {code: es, label: Español}
  - {code: fr, label: Français}
  - {code: it, label: Italiano}
  - {code: ja, label: Japanese}
  - {code: pl, label: Polski}
  - {code: pt, label: Português}
  - {code: ru, label: Russian}
  - {code: zh, label: Chinese}
  - {code: tl, label: Tagalog}

sources: articles        # articles/<publication>/<issue>/<name>.txt|.html|.md
catalogs: locales        # locales/templates/<id>.pot and locales/<lang>/<id>.po

database:
  # SQLite by default; for a team, e.g. postgresql+psycopg://user@host/dbname
  # (the I18N_PIPELINE_DATABASE_URL environment variable overrides this).
  url: sqlite:///.i18n/index.db

segmentation: paragraph  # paragraph or sentence

merge:
  fuzzy_threshold: 60    # % similarity for an edited unit to keep its old translation as fuzzy

# The publisher's pages. The reader knows the site's publications and their mastheads,
# each edition's chrome (language bar, menu, subscription, archive and print links), its
# month and season names and its "Part N" lines: i18n_pipeline/read/site.yaml. What is
# listed here is added to that (defaults: false starts from nothing). Patterns are regular
# expressions matched against a whole line, ignoring case.
site:
  hosts:                 # the site for 'fetch', with the hosts of the URLs given
    - www.icl-fi.org
    - icl-fi.org
  chrome:                # lines to drop in every edition
    - 'Back to top'
  publications:          # name: short code, or a list of {name, code, language, masthead, short}
    Workers Vanguard: wv
    Spartacist: sp
  # languages:           # per edition: chrome, months, extra_months, seasons, part
  #   de: {chrome: ['Zum Seitenanfang'], part: ['Folge \\d+']}
  # masthead: '(?P<publication>Red Flag) No\\. (?P<issue>\\d+)'

# How 'fetch' reads the site: seconds between two requests to one host, the timeout,
# retries on 429, 5xx and timeouts (waiting backoff, doubled each time, or Retry-After,
# at most max_wait), the largest page in bytes, and other hosts a redirect may lead to.
fetch:
  delay: 1
  timeout: 30
  retries: 3
  backoff: 2
  max_wait: 300
  max_size: 5000000
  redirect_hosts: []

# Minimum share of words translated (fuzzy does not count), checked by 'check'.
thresholds: []
#  - {language: de, min: 100, publication: wv, since: 2024-01-01}
#  - {language: tl, min: 50}

# Order of 'todo': higher first, then newest first.
priorities: []
#  - {publication: wv, priority: 10}

checks:
  severity: {}           # e.g. {W205: off, W301: error}
  detector: langdetect
  # keep: [Amnesty International]   # names kept as-is in every language; W301 skips them

tm:
  exact: auto            # auto: translated when >= exact_min_words words, else fuzzy
  exact_min_words: 8
  fuzzy_threshold: 75
  on_new_catalog: true

align:                   # published translations aligned into the catalogs
  accept: 90             # % sure for an aligned unit to be translated, else fuzzy
  minimum: 50            # % sure for it to be written at all

build:
  keep: 80               # % of words needed to build; per language: {default: 80, de: 95}
  output: build
"""


def init_project(directory: Path) -> list[Path]:
    """Create what is missing of a project in ``directory``; returns what was created."""
    directory.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    config_path = directory / CONFIG_NAME
    if not config_path.exists():
        atomic_write(config_path, STARTER_CONFIG.encode("utf-8"), expected=None)
        created.append(config_path)
    config = load_config(config_path)
    for folder in (config.sources, config.catalogs / "templates"):
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(folder)
    engine = make_engine(config.database_url)
    try:
        ensure_schema(engine)
    finally:
        engine.dispose()
    return created
