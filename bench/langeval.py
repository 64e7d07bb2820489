"""Measures the wrong-language check (W301): catch and false-alarm rates per language.

The cases are real translations of software and documentation, read at run time from the
catalogs that packages ship in site-packages (the ``bench`` extra installs them; none of
their text is kept in this repository), plus the French and Polish Python documentation in
the shared corpora. For each catalog language L and each translated entry:

* its translation is a correct case (a false alarm if flagged);
* its msgid copied into L's catalog, and the msgid of another entry of the same catalog,
  are English left in (a catch if flagged);
* the same msgid's translation in a neighbour language (id↔tl, es↔pt↔it, pl↔ru, ja↔zh)
  placed in L's catalog is an intruder (a catch if flagged).

The projects are split in two: the **tuning** part (Django, Weblate, Sphinx and its
themes, django-allauth, Wagtail, Deluge, MkDocs Material, the Python documentation, and
since detector ``wordfreq-fasttext-3`` also CKAN, Django REST framework,
django-debug-toolbar, django-filer, django CMS, Tryton and the JupyterLab language packs),
on which the detector was tuned, and the **held-out** part (pretix, django-oscar, Misago,
Kiwi TCMS, wagtail-localize, Flask-AppBuilder, Flask-Security, django-two-factor-auth,
django-import-export, WTForms, Trac, humanize, Postorius and HyperKitty), which is only
measured; its figures are the ones to quote. No package on the registry beyond those in
the tuning part ships Tagalog translations, so the held-out part has no Tagalog catalog.
Each part is also reported per length bucket::

    .venv/bin/python bench/langeval.py [--per-language 400] [--json reports/langeval.json]

``bench/run.py`` calls this script and reads its JSON: ``{part: {language: {"catch_rate":
…, "false_alarm_rate": …, …}}}``, where a part is ``tuning``, ``held-out`` or one of their
length buckets (``held-out/2-6 words``); ``detector_*`` scalars hold its version, speed and
install size, the mean microseconds of one verdict on short strings and on paragraphs, and
the resident memory the detector adds to a fresh process.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import re
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib

from i18n_pipeline.checks.language import (
    VERSION,
    Case,
    LangScore,
    LanguageDetector,
    evaluate,
    install_size,
    strip_non_words,
)

LANGUAGES = ("id", "de", "es", "fr", "it", "ja", "pl", "pt", "ru", "zh", "tl")
ROOT = Path(__file__).resolve().parent.parent

#: Languages whose text is placed in each other's catalogs.
NEIGHBOURS = {
    "id": ("tl",),
    "tl": ("id",),
    "es": ("pt", "it"),
    "pt": ("es", "it"),
    "it": ("es", "pt"),
    "pl": ("ru",),
    "ru": ("pl",),
    "ja": ("zh",),
    "zh": ("ja",),
}
#: The locale folder names that stand for each language, first found wins.
LOCALES = {
    "id": ("id", "id_ID"),
    "de": ("de", "de_DE"),
    "es": ("es", "es_ES"),
    "fr": ("fr", "fr_FR"),
    "it": ("it", "it_IT"),
    "ja": ("ja", "ja_JP"),
    "pl": ("pl", "pl_PL"),
    "pt": ("pt_BR", "pt-BR", "pt", "pt_PT"),
    "ru": ("ru", "ru_RU"),
    "zh": ("zh_Hans", "zh_CN", "zh_Hans_CN", "zh"),
    "tl": ("tl", "fil", "tl_PH", "fil_PH"),
}
BUCKETS = ("1 word", "2-6 words", "7-20 words", "21+ words")


@dataclass(frozen=True)
class Project:
    """A package whose catalogs are read: ``pattern`` is a glob under site-packages with
    ``{locale}`` for the locale folder; ``held_out`` puts it in the held-out part."""

    name: str
    patterns: tuple[str, ...]
    held_out: bool


PROJECTS = (
    # The tuning part: the detector's rules and thresholds were chosen on these.
    Project(
        "django",
        (
            "django/conf/locale/{locale}/LC_MESSAGES/django.po",
            "django/contrib/*/locale/{locale}/LC_MESSAGES/django.po",
        ),
        held_out=False,
    ),
    Project("weblate", ("weblate/locale/{locale}/LC_MESSAGES/*.po",), held_out=False),
    Project("sphinx", ("sphinx/locale/{locale}/LC_MESSAGES/sphinx.po",), held_out=False),
    Project(
        "sphinx-themes",
        (
            "sphinx_book_theme/theme/sphinx_book_theme/static/locales/{locale}/LC_MESSAGES/*.po",
            "pydata_sphinx_theme/locale/{locale}/LC_MESSAGES/sphinx.po",
            "sphinx_rtd_theme/locale/{locale}/LC_MESSAGES/sphinx.po",
        ),
        held_out=False,
    ),
    Project("allauth", ("allauth/locale/{locale}/LC_MESSAGES/django.po",), held_out=False),
    Project("wagtail", ("wagtail/**/locale/{locale}/LC_MESSAGES/django.po",), held_out=False),
    Project("deluge", ("deluge/i18n/{locale}/LC_MESSAGES/deluge.mo",), held_out=False),
    Project(
        "mkdocs-material", ("material/templates/partials/languages/{locale}.html",), held_out=False
    ),
    # Held out until detector wordfreq-fasttext-2 was measured on them; tuning data since.
    Project("ckan", ("ckan/i18n/{locale}/LC_MESSAGES/ckan.po",), held_out=False),
    Project(
        "django-rest-framework",
        ("rest_framework/locale/{locale}/LC_MESSAGES/django.mo",),
        held_out=False,
    ),
    Project(
        "django-debug-toolbar",
        ("debug_toolbar/locale/{locale}/LC_MESSAGES/django.po",),
        held_out=False,
    ),
    Project("django-filer", ("filer/locale/{locale}/LC_MESSAGES/*.po",), held_out=False),
    Project("django-cms", ("cms/locale/{locale}/LC_MESSAGES/*.po",), held_out=False),
    Project("tryton", ("trytond/**/locale/{locale}.po",), held_out=False),
    Project(
        "jupyterlab",
        ("jupyterlab_language_pack_{locale}/locale/{locale}/LC_MESSAGES/*.mo",),
        held_out=False,
    ),
    # The held-out part, frozen before the detector was changed and measured only to report.
    Project("pretix", ("pretix/locale/{locale}/LC_MESSAGES/*.po",), held_out=True),
    Project("django-oscar", ("oscar/locale/{locale}/LC_MESSAGES/django.po",), held_out=True),
    Project("misago", ("misago/locale/{locale}/LC_MESSAGES/*.po",), held_out=True),
    Project("kiwitcms", ("tcms/locale/{locale}/LC_MESSAGES/django.po",), held_out=True),
    Project(
        "wagtail-localize",
        ("wagtail_localize/locale/{locale}/LC_MESSAGES/*.po",),
        held_out=True,
    ),
    Project(
        "flask-appbuilder",
        ("flask_appbuilder/translations/{locale}/LC_MESSAGES/messages.po",),
        held_out=True,
    ),
    Project(
        "flask-security",
        ("flask_security/translations/{locale}/LC_MESSAGES/flask_security.po",),
        held_out=True,
    ),
    Project(
        "django-two-factor-auth",
        ("two_factor/locale/{locale}/LC_MESSAGES/django.po",),
        held_out=True,
    ),
    Project(
        "django-import-export",
        ("import_export/locale/{locale}/LC_MESSAGES/django.po",),
        held_out=True,
    ),
    Project("wtforms", ("wtforms/locale/{locale}/LC_MESSAGES/wtforms.po",), held_out=True),
    Project("trac", ("trac/locale/{locale}/LC_MESSAGES/*.mo",), held_out=True),
    Project("humanize", ("humanize/locale/{locale}/LC_MESSAGES/humanize.po",), held_out=True),
    Project("postorius", ("postorius/locale/{locale}/LC_MESSAGES/django.po",), held_out=True),
    Project("hyperkitty", ("hyperkitty/locale/{locale}/LC_MESSAGES/django.po",), held_out=True),
)

# reST inline markup, which article catalogs never carry: literals, roles, link targets.
_REST = re.compile(r"``[^`]*``|:[\w:.-]+:`[^`]*`|`([^`<]*)<[^>]*>`_+|\|[^|\s]+\|")
_MATERIAL_ENTRY = re.compile(r'^\s*"([\w.]+)":\s*"((?:[^"\\]|\\.)*)",?\s*$', re.MULTILINE)
_WORDS = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def site_packages() -> Path:
    return Path(sysconfig.get_paths()["purelib"])


def corpus_root() -> Path | None:
    """The shared Python-docs catalogs: $I18N_CORPORA, ../shared beside the checkout, or
    /work/shared."""
    candidates = [
        Path(os.environ.get("I18N_CORPORA", "")) if os.environ.get("I18N_CORPORA") else None,
        ROOT.parent / "shared" / "corpora" / "python-docs",
        Path("/work/shared/corpora/python-docs"),
    ]
    for path in candidates:
        if path is not None and path.is_dir():
            return path
    return None


def _clean(text: str) -> str:
    return " ".join(_REST.sub(lambda m: m.group(1) or " ", text).split())


def word_count(text: str) -> int:
    """Words for the length buckets, markup and placeholders left out: a CJK character
    counts as half a word."""
    text = strip_non_words(text)
    return len(_WORDS.findall(_CJK.sub(" ", text))) + (len(_CJK.findall(text)) + 1) // 2


def bucket(text: str) -> str:
    n = word_count(text)
    return BUCKETS[0] if n <= 1 else BUCKETS[1] if n <= 6 else BUCKETS[2] if n <= 20 else BUCKETS[3]


Entries = dict[tuple[str, str, str], tuple[str, str]]  # (file, context, msgid) → (msgid, text)


def _read_po(path: Path) -> Iterator[tuple[str, str, str]]:
    """(context, msgid, translation) of the translated entries of a .po or .mo file."""
    catalog = polib.mofile(str(path)) if path.suffix == ".mo" else polib.pofile(str(path))
    for entry in catalog:
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgid:
            continue
        text = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        if text:
            yield entry.msgctxt or "", entry.msgid, text


def _read_material(path: Path) -> Iterator[tuple[str, str, str]]:
    """MkDocs Material's per-language template: keys and texts, no msgid (see en.html)."""
    for key, text in _MATERIAL_ENTRY.findall(path.read_text(encoding="utf-8")):
        if key != "language" and not key.startswith("search.config"):
            yield key, "", text.replace('\\"', '"')


def read_project(project: Project, root: Path) -> dict[str, Entries]:
    """The translated entries of each language in ``project``'s installed catalogs."""
    found: dict[str, Entries] = {}
    english: dict[tuple[str, str], str] = {}
    # Only MkDocs Material's templates need the English one: a .po file has its msgids.
    templates = any(pattern.endswith(".html") for pattern in project.patterns)
    for language, locales in [*LOCALES.items(), *([("en", ("en",))] if templates else [])]:
        for locale in locales:
            entries: Entries = {}
            for pattern in project.patterns:
                for name in glob.glob(str(root / pattern.format(locale=locale)), recursive=True):
                    path = Path(name)
                    file = str(path.relative_to(root)).replace(f"/{locale}/", "/*/")
                    file = file.replace(f"_{locale}/", "_*/")
                    file = re.sub(rf"/{re.escape(locale)}\.(html|po)$", r"/*.\1", file)
                    read = _read_material if path.suffix == ".html" else _read_po
                    for context, msgid, text in read(path):
                        entries[(file, context, msgid)] = (msgid, _clean(text))
            if entries:
                found[language] = entries
                break
    if "en" in found:  # MkDocs Material: the English template gives each key its msgid
        english = {(f, c): text for (f, c, _), (_, text) in found.pop("en").items()}
        for entries in found.values():
            for key, (_, text) in list(entries.items()):
                del entries[key]
                msgid = english.get(key[:2], "")
                if msgid:
                    entries[(key[0], key[1], msgid)] = (msgid, text)
    return found


def catalog_cases(name: str, languages: dict[str, Entries], *, seed: int = 0) -> list[Case]:
    """Correct translations, English left in and neighbour intruders for each language."""
    cases: list[Case] = []
    rng = random.Random(f"{name}-{seed}")
    for language, entries in sorted(languages.items()):
        msgids = sorted({_clean(msgid) for msgid, _ in entries.values()})
        # An English msgid that is also one of the catalog's translations ("Status", "OK",
        # a product name) is no intruder there: it is not put in as one.
        texts = {text for _, text in entries.values()}
        for key, (raw_msgid, text) in sorted(entries.items()):
            msgid = _clean(raw_msgid)
            origin = f"{name}:{key[0]}:{msgid[:40]}"
            if not _WORDS.search(text):
                continue
            cases.append(Case(text, language, language, origin, msgid))
            if msgid != text:
                cases.append(Case(msgid, language, "en", origin, msgid))
            other = rng.choice(msgids)
            if other not in (msgid, text) and other not in texts:
                cases.append(Case(other, language, "en", origin + " (other)", msgid))
            for neighbour in NEIGHBOURS.get(language, ()):
                found = languages.get(neighbour, {}).get(key)
                if found and found[1] not in (text, msgid) and _WORDS.search(found[1]):
                    cases.append(Case(found[1], language, neighbour, origin, msgid))
    return cases


def python_docs_cases(root: Path, language: str, *, seed: int = 0) -> list[Case]:
    """The Python documentation's translated entries: each in its own catalog, and its
    msgid as English left in."""
    cases: list[Case] = []
    for path in sorted((root / language).rglob("*.po")):
        for _, raw_msgid, raw_text in _read_po(path):
            msgid, text = _clean(raw_msgid), _clean(raw_text)
            if not _WORDS.search(text):
                continue
            where = f"python-docs:{path.relative_to(root)}"
            cases.append(Case(text, language, language, where, msgid))
            if msgid != text:
                cases.append(Case(msgid, language, "en", where, msgid))
    return cases


def sample(cases: Sequence[Case], per_language: int, *, seed: int = 0) -> list[Case]:
    """At most ``per_language`` cases per (catalog, language, length bucket), drawn
    deterministically, so that no project or length swamps the others."""
    groups: dict[tuple[str, str, str], list[Case]] = {}
    for case in cases:
        groups.setdefault((case.catalog, case.language, bucket(case.text)), []).append(case)
    chosen: list[Case] = []
    for key in sorted(groups):
        group = groups[key]
        rng = random.Random(f"{key}-{seed}")
        chosen += rng.sample(group, per_language) if len(group) > per_language else group
    return chosen


def build_parts(per_language: int, *, seed: int = 0) -> dict[str, list[Case]]:
    """The tuning and held-out cases, from the installed packages and the shared corpus."""
    root = site_packages()
    parts: dict[str, list[Case]] = {"tuning": [], "held-out": []}
    for project in PROJECTS:
        languages = read_project(project, root)
        parts["held-out" if project.held_out else "tuning"] += catalog_cases(
            project.name, languages, seed=seed
        )
    docs = corpus_root()
    if docs is not None:
        for language in ("fr", "pl"):
            parts["tuning"] += python_docs_cases(docs, language, seed=seed)
    return {name: sample(cases, per_language, seed=seed) for name, cases in parts.items()}


def by_bucket(cases: Iterable[Case]) -> dict[str, list[Case]]:
    found: dict[str, list[Case]] = {name: [] for name in BUCKETS}
    for case in cases:
        found[bucket(case.text)].append(case)
    return found


def render(title: str, scores: dict[str, LangScore]) -> str:
    lines = [title, f"{'lang':<6}{'caught':>14}{'catch':>9}{'alarms':>12}{'false':>9}"]
    for code, s in scores.items():
        lines.append(
            f"{code:<6}{s.caught:>7}/{s.wrong:<6}{s.catch_rate:>9.1%}"
            f"{s.false_alarms:>5}/{s.right:<6}{s.false_alarm_rate:>9.1%}"
        )
    return "\n".join(lines)


def _details(scores: dict[str, LangScore], limit: int) -> str:
    lines = []
    for code, s in scores.items():
        for case in s.missed[:limit]:
            lines.append(f"  missed {case.language} in {code}: {case.text[:90]!r} [{case.origin}]")
        for case in s.alarmed[:limit]:
            lines.append(f"  alarm  {code}: {case.text[:90]!r} [{case.origin}]")
    return "\n".join(lines)


@dataclass(frozen=True)
class Results:
    """Scores per part (and per part and length bucket), the speed, the install size;
    the mean time of one verdict on short strings (2 to 6 words) and on paragraphs (60 to
    140 words), and the resident memory the detector adds to a process, in MB."""

    scores: dict[str, dict[str, LangScore]]
    segments_per_s: float
    install_bytes: int
    us_short: float = 0.0
    us_paragraph: float = 0.0
    memory_mb: float = 0.0


_MEMORY_PROBE = """
import re, sys
from pathlib import Path
def rss():
    text = Path("/proc/self/status").read_text(encoding="ascii")
    return int(re.search(r"VmRSS:\\s+(\\d+) kB", text).group(1)) / 1024
from i18n_pipeline.checks.language import LanguageDetector
before = rss()
detector = LanguageDetector(sys.argv[1:])
for text, catalog in [("Salvar alterações", "es"), ("Сохранить изменения", "pl"),
                      ("选择一项", "ja"), ("Remove Security Key", "de")]:
    detector.is_wrong(text, catalog, source="Save changes")
print(rss() - before)
"""


def detector_memory() -> float:
    """Resident MB that a detector adds to a fresh interpreter that imported the package,
    once all its models are loaded (as in each worker process of ``check``); 0 where it
    cannot be read."""
    if not Path("/proc/self/status").exists():
        return 0.0
    found = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, *LANGUAGES],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(found.stdout.strip())


def mean_us(detector: LanguageDetector, cases: Sequence[Case], *, rounds: int = 3) -> float:
    """Mean microseconds of one verdict over ``cases``: the best of ``rounds`` passes after
    one that warms the detector (its models load once per process), as timeit does, so
    that other work on the machine does not count."""
    if not cases:
        return 0.0
    best = float("inf")
    for _ in range(rounds + 1):
        started = time.perf_counter()
        for case in cases:
            detector.is_wrong(case.text, case.catalog, source=case.source)
        best = min(best, time.perf_counter() - started)
    return best / len(cases) * 1e6


def evaluate_all(
    per_language: int = 400, *, parts: Sequence[str] = ("tuning", "held-out")
) -> Results:
    built = build_parts(per_language)
    detector = LanguageDetector(LANGUAGES)
    scores: dict[str, dict[str, LangScore]] = {}
    judged, started = 0, time.perf_counter()
    for name in parts:
        cases = built[name]
        judged += len(cases)
        judged_cases = [c for c in cases if bucket(c.text) != BUCKETS[0]]
        scores[name] = evaluate(detector, judged_cases)
        for size, group in by_bucket(cases).items():
            if group:
                scores[f"{name}/{size}"] = evaluate(detector, group)
    elapsed = time.perf_counter() - started
    speed = 2 * judged / elapsed if elapsed else 0.0  # every case is judged twice
    timed = [c for name in parts for c in built[name]]
    short = [c for c in timed if bucket(c.text) == BUCKETS[1]]
    paragraphs = [c for c in timed if 60 <= word_count(c.text) <= 140]
    us_short, us_paragraph = mean_us(detector, short), mean_us(detector, paragraphs)
    return Results(scores, speed, install_size(), us_short, us_paragraph, detector_memory())


def as_data(results: Results) -> dict[str, Any]:
    data: dict[str, Any] = {
        name: {c: s.as_dict() for c, s in scores.items()} for name, scores in results.scores.items()
    }
    # Scalars beside the parts: bench/run.py reads every dict here as a part's scores.
    data["detector_version"] = VERSION
    data["detector_segments_per_s"] = round(results.segments_per_s)
    data["detector_install_mb"] = round(results.install_bytes / 1e6, 1)
    data["detector_us_short"] = round(results.us_short, 1)
    data["detector_us_paragraph"] = round(results.us_paragraph, 1)
    data["detector_memory_mb"] = round(results.memory_mb, 1)
    return data


def run_langeval(per_language: int = 400) -> dict[str, Any]:
    """The catch rate and false-alarm rate of W301 per part and catalog language, as
    written to the JSON file."""
    return as_data(evaluate_all(per_language))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--per-language", type=int, default=400)
    parser.add_argument("--json", type=Path, default=ROOT / "reports" / "langeval.json")
    parser.add_argument("--details", type=int, default=0, help="show N misses per language")
    parser.add_argument("--part", choices=("tuning", "held-out"), action="append")
    args = parser.parse_args(argv)

    results = evaluate_all(args.per_language, parts=args.part or ("tuning", "held-out"))
    for name, scores in results.scores.items():
        print(render(name, scores))
        if args.details and "/" not in name:
            print(_details(scores, args.details))
        print()
    print(
        f"detector {VERSION}: {results.segments_per_s:,.0f} segments/s, "
        f"installed {results.install_bytes / 1e6:.1f} MB, "
        f"{results.us_short:.0f} µs a short string, {results.us_paragraph:.0f} µs a paragraph, "
        f"{results.memory_mb:.0f} MB resident"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(as_data(results), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
