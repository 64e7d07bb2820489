"""Team activity: who translated and reviewed what, per week or month, and each language's
pace with a projection (``report --by translator``, and the dashboard's activity page).

The index's history records every state change a ``sync`` found, with the catalog's
``Last-Translator`` at the time. A unit that became translated from untranslated (or
new) counts as *translated*; one that became translated from fuzzy counts as *reviewed*
(fuzzy cleared). Sync stamps history with its own time; a catalog's ``PO-Revision-Date``
says when the translator saved it, so the latest changes of each catalog are dated by its
revision date when that is earlier. Addresses are left out unless asked for.

:func:`read_activity` reads the index and the catalogs' headers; :func:`activity_json`
is pure and gives the ``i18n-pipeline/activity/1`` object that every renderer here takes.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Engine, case, func, select

from i18n_pipeline.config import Config, Scope
from i18n_pipeline.files import read_head
from i18n_pipeline.layout import catalog_path
from i18n_pipeline.model import Counts, Language
from i18n_pipeline.store.db import read_scope
from i18n_pipeline.store.models import ArticleRow, HistoryRow, UnitRow

SCHEMA = "i18n-pipeline/activity/1"
PERIODS = ("week", "month")
#: The days whose pace the projection extends.
WINDOW_DAYS = 90
UNKNOWN = "(unknown)"


@dataclass(frozen=True)
class ActivityOptions:
    period: str = "month"  # week or month
    emails: bool = False  # keep translators' addresses
    window_days: int = WINDOW_DAYS


class Change(NamedTuple):
    """Units of one article that one sync found translated (or reviewed) in a language."""

    article: str
    language: str
    at: datetime
    translator: str | None
    kind: str  # translated or reviewed
    units: int
    words: int


class Header(NamedTuple):
    """What a catalog's header says of its last save."""

    revised: datetime | None
    translator: str | None


def read_activity(
    config: Config, engine: Engine, languages: Sequence[str], articles: Collection[str]
) -> tuple[list[Change], dict[tuple[str, str], Header]]:
    """The translators' changes to ``articles`` in ``languages``, from the history, and
    the header of each catalog they changed (by article and language)."""
    kind = case((HistoryRow.old_state == "fuzzy", "reviewed"), else_="translated")
    query = (
        select(
            ArticleRow.article_id,
            HistoryRow.language,
            HistoryRow.at,
            HistoryRow.translator,
            kind,
            func.count(),
            func.coalesce(func.sum(UnitRow.words), 0),
        )
        .join(UnitRow, UnitRow.id == HistoryRow.unit_pk)
        .join(ArticleRow, ArticleRow.id == UnitRow.article_pk)
        .where(
            HistoryRow.cause == "translator",
            HistoryRow.new_state == "translated",
            func.coalesce(HistoryRow.old_state, "") != "translated",
            HistoryRow.language.in_(sorted(languages)),
        )
        .group_by(
            ArticleRow.article_id, HistoryRow.language, HistoryRow.at, HistoryRow.translator, kind
        )
    )
    with read_scope(engine) as session:
        changes = [
            Change(a, code, _utc(at), who, k, int(n), int(w))
            for a, code, at, who, k, n, w in session.execute(query)
            if a in articles
        ]
    headers = {}
    for article, code in sorted({(c.article, c.language) for c in changes}):
        head = read_head(catalog_path(config, code, article))
        if head is not None:
            headers[(article, code)] = parse_header(head)
    return changes, headers


_FIELD = re.compile(rb'^"(PO-Revision-Date|Last-Translator): ?(.*?)(?:\\n)?"\s*$', re.M)


def parse_header(head: bytes) -> Header:
    """The revision date and last translator of a catalog's first bytes; placeholders
    (``YEAR-MO-DA``, ``FULL NAME``) read as unknown."""
    found = {m.group(1): m.group(2).decode("utf-8", "replace") for m in _FIELD.finditer(head)}
    revised = None
    text = found.get(b"PO-Revision-Date", "").strip()
    for pattern in ("%Y-%m-%d %H:%M%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            revised = _utc(datetime.strptime(text, pattern))
            break
        except ValueError:
            continue
    who = found.get(b"Last-Translator", "").strip()
    if not who or who.startswith("FULL NAME"):
        who = ""
    return Header(revised, who or None)


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


_ADDRESS = re.compile(r"\s*<[^>]*>\s*")
_BARE_ADDRESS = re.compile(r"^\S+@\S+$")


def translator_name(raw: str | None, *, emails: bool = False) -> str:
    """How a ``Last-Translator`` value is shown: without its address unless ``emails``.
    A value that is only an address becomes ``(unnamed)`` and a short stable mark."""
    if not raw:
        return UNKNOWN
    text = " ".join(raw.split())
    if emails:
        return text
    name = _ADDRESS.sub(" ", text).strip()
    if not name or _BARE_ADDRESS.match(name):
        import hashlib

        return f"(unnamed {hashlib.sha1(text.lower().encode()).hexdigest()[:6]})"
    return name


def period_of(day: date, period: str) -> str:
    """``2026-W07`` for a week (ISO), ``2026-02`` for a month."""
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


def dated(changes: Iterable[Change], headers: Mapping[tuple[str, str], Header]) -> list[Change]:
    """The changes with the latest of each catalog dated by its revision date (when that
    is earlier than the sync that found them), and their translator taken from the header
    where the history has none."""
    changes = list(changes)
    latest: dict[tuple[str, str], datetime] = {}
    for c in changes:
        key = (c.article, c.language)
        if key not in latest or c.at > latest[key]:
            latest[key] = c.at
    out = []
    for c in changes:
        head = headers.get((c.article, c.language))
        if head is not None and c.at == latest[(c.article, c.language)]:
            at = head.revised if head.revised is not None and head.revised <= c.at else c.at
            c = c._replace(at=at, translator=c.translator or head.translator)
        out.append(c)
    return out


def target_of(config: Config, code: str) -> float:
    """The coverage the project-wide thresholds ask of ``code``; 100 without one."""
    minimums = [
        rule.minimum
        for rule in config.thresholds
        if rule.scope == Scope() and rule.language in (None, code)
    ]
    return max(minimums, default=100.0)


def activity_json(
    changes: Iterable[Change],
    *,
    languages: Sequence[Language],
    totals: Mapping[str, Counts],
    targets: Mapping[str, float],
    options: ActivityOptions = ActivityOptions(),
    now: datetime | None = None,
) -> dict[str, Any]:
    """The ``i18n-pipeline/activity/1`` object (described in the README) of dated changes."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    people: dict[tuple[str, str], dict[str, Any]] = {}
    periods: dict[tuple[str, str, str], dict[str, Any]] = {}
    pace: dict[str, dict[str, list[int]]] = {lang.code: {} for lang in languages}
    recent = dict.fromkeys(pace, 0)
    window = now - timedelta(days=options.window_days)
    for c in sorted(changes, key=lambda c: (c.at, c.article)):
        if c.language not in pace:
            continue
        who = translator_name(c.translator, emails=options.emails)
        when = period_of(c.at.date(), options.period)
        person = people.setdefault((who, c.language), _person(who, c.language))
        bucket = periods.setdefault((who, c.language, when), _bucket(when))
        for entry in (person, bucket):
            entry[f"{c.kind}_units"] += c.units
            entry[f"{c.kind}_words"] += c.words
            entry["_articles"].add(c.article)
        day = c.at.date().isoformat()
        person["first"] = min(person["first"] or day, day)
        person["last"] = max(person["last"] or day, day)
        words = pace[c.language].setdefault(when, [0, 0])
        words[0 if c.kind == "translated" else 1] += c.words
        if window <= c.at <= now:
            recent[c.language] += c.words
    translators = []
    order = {lang.code: n for n, lang in enumerate(languages)}
    for (who, code), person in sorted(people.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
        articles = person.pop("_articles")
        person["articles_touched"] = len(articles)
        person["articles"] = sorted(articles)
        buckets = [b for (w, c, _), b in sorted(periods.items()) if (w, c) == (who, code)]
        for b in buckets:
            b["articles_touched"] = len(b.pop("_articles"))
        person["periods"] = buckets
        translators.append(person)
    return {
        "schema": SCHEMA,
        "generated_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "period": options.period,
        "window_days": options.window_days,
        "emails": options.emails,
        "languages": [
            {"code": lang.code, "label": lang.label, "name": lang.name} for lang in languages
        ],
        "translators": translators,
        "pace": {
            lang.code: _pace(
                totals.get(lang.code, Counts()),
                targets.get(lang.code, 100.0),
                recent[lang.code],
                pace[lang.code],
                options.window_days,
                now,
            )
            for lang in languages
        },
    }


def _person(who: str, code: str) -> dict[str, Any]:
    return {
        "translator": who,
        "language": code,
        "translated_units": 0,
        "translated_words": 0,
        "reviewed_units": 0,
        "reviewed_words": 0,
        "articles_touched": 0,
        "first": None,
        "last": None,
        "_articles": set(),
    }


def _bucket(when: str) -> dict[str, Any]:
    return {
        "period": when,
        "translated_units": 0,
        "translated_words": 0,
        "reviewed_units": 0,
        "reviewed_words": 0,
        "articles_touched": 0,
        "_articles": set(),
    }


def _pace(
    counts: Counts,
    target: float,
    recent: int,
    by_period: Mapping[str, list[int]],
    days: int,
    now: datetime,
) -> dict[str, Any]:
    needed = math.ceil(target * counts.words / 100) - counts.translated_words
    per_day = recent / days if days else 0.0
    projected = None
    if needed > 0 and per_day > 0 and needed / per_day < 36_500:
        projected = (now + timedelta(days=math.ceil(needed / per_day))).date().isoformat()
    return {
        "target": target,
        "words": counts.words,
        "translated_words": counts.translated_words,
        "percent": counts.percent,
        "words_needed": max(0, needed),
        "recent_words": recent,
        "words_per_day": round(per_day, 1),
        "reached": needed <= 0,
        "projected": projected,
        "periods": [
            {"period": p, "translated_words": t, "reviewed_words": r}
            for p, (t, r) in sorted(by_period.items())
        ],
    }


# -- renderers: pure functions from the activity object to text --------------------------


def render_activity_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def projection_text(pace: Mapping[str, Any]) -> str:
    """``reached``, ``about 2027-04-01``, or why there is no date."""
    if pace.get("reached"):
        return "reached"
    if pace.get("projected"):
        return f"about {pace['projected']}"
    return "no date: no progress in the window"


_CSV_COLUMNS = (
    "translator",
    "language",
    "period",
    "translated_units",
    "translated_words",
    "reviewed_units",
    "reviewed_words",
    "articles_touched",
)


def render_activity_csv(data: Mapping[str, Any]) -> str:
    """One row per translator, language and period."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for person in data["translators"]:
        for b in person["periods"]:
            writer.writerow(
                (person["translator"], person["language"], *(b[k] for k in _CSV_COLUMNS[2:]))
            )
    return out.getvalue()


def _summary_rows(data: Mapping[str, Any]) -> list[tuple[str, ...]]:
    return [
        (
            p["translator"],
            p["language"],
            f"{p['translated_words']:,}",
            f"{p['reviewed_words']:,}",
            f"{p['articles_touched']:,}",
            p["first"] or "",
            p["last"] or "",
        )
        for p in data["translators"]
    ]


_SUMMARY_HEAD = ("Translator", "Language", "Translated words", "Reviewed words", "Articles",
                 "First", "Last")  # fmt: skip
_PACE_HEAD = ("Language", "Now", "Target", "Words needed", "Words, window", "Per day",
              "Projection")  # fmt: skip


def _pace_rows(data: Mapping[str, Any]) -> list[tuple[str, ...]]:
    return [
        (
            code,
            f"{p['percent']:.1f}%",
            f"{p['target']:g}%",
            f"{p['words_needed']:,}",
            f"{p['recent_words']:,}",
            f"{p['words_per_day']:g}",
            projection_text(p),
        )
        for code, p in data["pace"].items()
    ]


def _periods(data: Mapping[str, Any]) -> list[str]:
    return sorted({b["period"] for p in data["translators"] for b in p["periods"]})


def render_activity_table(data: Mapping[str, Any], *, width: int = 120) -> str:
    """Per translator and language their totals, then each language's pace."""

    def table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
        lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        for row in rows:
            cells = [
                cell.rjust(w) if cell[:1].isdigit() and i > 1 else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("  ".join(cells).rstrip()[:width])
        return lines

    window = data.get("window_days", WINDOW_DAYS)
    lines = [f"Team activity ({data['period']}ly periods; words translated and reviewed)", ""]
    lines += table(_SUMMARY_HEAD, _summary_rows(data)) if data["translators"] else ["(none)"]
    lines += ["", f"Pace over the last {window} days and projection to each language's target", ""]
    lines += table(_PACE_HEAD, _pace_rows(data))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|~&#!])", r"\\\1", " ".join(text.split()))


def render_activity_markdown(data: Mapping[str, Any]) -> str:
    """The table's content as GitHub-flavoured Markdown."""

    def table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
        return lines

    window = data.get("window_days", WINDOW_DAYS)
    lines = ["## Team activity", "", f"Per {data['period']}; generated {data['generated_at']}", ""]
    lines += table(_SUMMARY_HEAD, _summary_rows(data))
    lines += ["", f"### Pace over the last {window} days", ""]
    lines += table(_PACE_HEAD, _pace_rows(data))
    return "\n".join(lines) + "\n"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def activity_sections(data: Mapping[str, Any], languages: Sequence[Language]) -> list[str]:
    """The HTML sections of the activity page: pace, translators, and their periods."""
    if not data:
        return ['<section><p class="empty">No activity recorded.</p></section>']
    labels = {lang.code: lang.label for lang in languages}

    def row(code: str, cells: Iterable[str], head: str) -> str:
        tds = "".join(
            f'<td class="num">{_e(c)}</td>' if c[:1].isdigit() else f"<td>{_e(c)}</td>"
            for c in cells
        )
        return f'<tr data-lang="{_e(code)}"><th scope="row">{_e(head)}</th>{tds}</tr>'

    def table(name: str, head: Sequence[str], rows: Iterable[str]) -> str:
        ths = "".join(
            f'<th scope="col"><button type="button" data-sort="{n}">{_e(h)}</button></th>'
            for n, h in enumerate(head)
        )
        return (
            f'<table class="list sortable" id="{name}"><thead><tr>{ths}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    pace = [row(r[0], r[1:], f"{labels.get(r[0], r[0])} ({r[0]})") for r in _pace_rows(data)]
    people = [row(r[1], r[1:], r[0]) for r in _summary_rows(data)]
    periods = [
        row(
            p["language"],
            (
                p["language"],
                b["period"],
                f"{b['translated_words']:,}",
                f"{b['reviewed_words']:,}",
                f"{b['articles_touched']:,}",
            ),
            p["translator"],
        )
        for p in data["translators"]
        for b in p["periods"]
    ]
    window = data.get("window_days", WINDOW_DAYS)
    return [
        f'<section id="pace"><h2>Pace and projection</h2><p class="hint">Words translated or '
        f"reviewed in the last {window} days, and when each language reaches the coverage "
        "its thresholds ask for at that pace.</p>"
        f"{table('pace-table', _PACE_HEAD, pace)}</section>",
        '<section id="translators"><h2>Translators</h2><p class="hint">Per translator and '
        "language: words translated, words reviewed (fuzzy cleared), articles touched.</p>"
        f"{table('translator-table', _SUMMARY_HEAD, people)}</section>",
        f'<section id="periods"><h2>By {_e(data["period"])}</h2>'
        + table(
            "period-table",
            ("Translator", "Language", "Period", "Translated words", "Reviewed words", "Articles"),
            periods,
        )
        + "</section>",
    ]


def render_activity_html(data: Mapping[str, Any], languages: Sequence[Language]) -> str:
    """The activity as one self-contained page (``report --by translator --format html``)."""
    from importlib import resources

    folder = resources.files(__package__) / "templates"
    css = (folder / "dashboard.css").read_text("utf-8") + (folder / "site.css").read_text("utf-8")
    script = (folder / "site.js").read_text("utf-8")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8"><title>Team activity</title>',
        f"<style>\n{css}</style></head>",
        "<body><header><h1>Team activity</h1>"
        f'<p class="meta">Generated {_e(data["generated_at"])}</p></header><main>',
        *activity_sections(data, languages),
        f"</main><script>\n{script}</script></body></html>",
    ]
    return "\n".join(parts) + "\n"
