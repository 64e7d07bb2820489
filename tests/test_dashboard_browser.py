"""The HTML dashboard in Debian's headless Chromium: its script runs without console
messages, and the numbers it computes and the rows it moves are read back from the DOM.

Skipped when no ``chromium`` or ``chromium-browser`` is on PATH, unless
``I18N_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from test_render import TRENDS, sample_report

from i18n_pipeline.report import render_html

pytestmark = pytest.mark.browser

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--enable-logging=stderr",
    "--v=0",
)

# Clicks what a coordinator would click, then writes what the page shows into <pre id="probe">.
PROBE = """
<script>
(function () {
  const order = () => Array.from(document.querySelectorAll("#heatmap > tbody"))
    .map((b) => b.dataset.article || b.className);
  const result = {before: order()};
  document.querySelector('button[data-sort="fr"]').click();
  result.byFrench = order();
  document.querySelector('button[data-sort="fr"]').click();
  result.byFrenchDescending = order();
  const toggle = document.querySelector('tbody[data-article="wv/864/labor"] .toggle');
  result.sectionsHidden = Array.from(toggle.closest("tbody").querySelectorAll("tr.section-row"))
    .map((row) => row.hidden);
  toggle.click();
  result.sectionsHiddenAfterClick =
    Array.from(toggle.closest("tbody").querySelectorAll("tr.section-row")).map((row) => row.hidden);
  const french = document.querySelector('#language-filter input[value="fr"]');
  french.checked = false;
  french.dispatchEvent(new Event("change"));
  result.selected = document.getElementById("selected-percent").dataset.percent;
  result.hash = location.hash;
  const frenchColumn = document.querySelector('th[data-lang="fr"]');
  result.frenchColumnHidden = frenchColumn.classList.contains("off");
  const probe = document.createElement("pre");
  probe.id = "probe";
  probe.textContent = JSON.stringify(result);
  document.body.append(probe);
})();
</script>
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    reason = "headless Chromium not found: no chromium or chromium-browser on PATH"
    if os.environ.get("I18N_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and I18N_REQUIRE_BROWSER=1")
    pytest.skip(f"{reason} (apt-get install chromium)")


def _dump_dom(
    chromium: str, page: Path, fragment: str = ""
) -> tuple[lxml.html.HtmlElement, list[str]]:
    """The DOM after the page's scripts ran, and the console lines Chromium logged."""
    profile = page.parent / f"profile-{page.stem}"
    url = page.as_uri() + fragment
    proc = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return lxml.html.fromstring(proc.stdout), console


def _write(tmp_path: Path, name: str, text: str) -> Path:
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    return page


def _selected_percent(report: dict[str, Any], codes: list[str]) -> str:
    words = sum(report["totals"][c]["words"] for c in codes)
    translated = sum(report["totals"][c]["translated_words"] for c in codes)
    return f"{100 * translated / words:.1f}"


def test_dashboard_script_filters_from_the_url(chromium: str, tmp_path: Path) -> None:
    report = sample_report()
    page = _write(tmp_path, "coverage.html", render_html(report, trends=TRENDS))
    doc, console = _dump_dom(chromium, page, "#lang=de,ja")
    assert console == []
    (selected,) = doc.xpath('//output[@id="selected-percent"]')
    expected = _selected_percent(report, ["de", "ja"])
    assert expected == "44.1"  # 520 of 1,180 words
    assert (selected.get("data-percent"), selected.text_content()) == (expected, f"{expected}%")
    assert selected.get("data-languages") == "de,ja"
    hidden = {el.get("data-lang") for el in doc.xpath('//*[contains(@class, "off")]')}
    assert hidden == {"fr"}
    (cell,) = doc.xpath(
        '//td[@data-article="wv/863/amnesty2"][@data-lang="de"][not(@data-section)]'
    )
    assert cell.text_content() == "57.1%"
    assert doc.xpath('//section[@id="controls"]/@hidden') == []
    assert all(row.get("hidden") is not None for row in doc.xpath('//tr[@class="section-row"]'))


def test_dashboard_sorts_opens_and_filters(chromium: str, tmp_path: Path) -> None:
    report = sample_report()
    text = render_html(report, trends=TRENDS).replace("</body>", PROBE + "</body>")
    doc, console = _dump_dom(chromium, _write(tmp_path, "probe.html", text))
    assert console == []
    result = json.loads(doc.xpath('//pre[@id="probe"]')[0].text_content())
    assert result == {
        "before": ["wv/863/amnesty2", "wv/864/labor"],
        "byFrench": ["wv/864/labor", "wv/863/amnesty2"],  # 0.0% before 100.0%
        "byFrenchDescending": ["wv/863/amnesty2", "wv/864/labor"],
        "sectionsHidden": [True, True, True],
        "sectionsHiddenAfterClick": [False, False, False],
        "selected": _selected_percent(report, ["de", "ja"]),
        "hash": "#lang=de,ja",
        "frenchColumnHidden": True,
    }


def test_dashboard_sorts_within_each_issue(chromium: str, tmp_path: Path) -> None:
    report = sample_report(issues=False)
    for article in report["articles"]:
        article["issue"] = None
    report["issues"] = [
        {
            "publication": "Workers Vanguard",
            "issue": "863",
            "date": "2006-02-03",
            "articles": ["wv/863/amnesty2", "wv/864/labor"],
            "missing": ["Letters"],
        }
    ]
    text = render_html(report, by="issue").replace("</body>", PROBE + "</body>")
    doc, console = _dump_dom(chromium, _write(tmp_path, "issue.html", text))
    assert console == []
    result = json.loads(doc.xpath('//pre[@id="probe"]')[0].text_content())
    assert result["before"] == ["issue", "wv/863/amnesty2", "wv/864/labor", "missing"]
    assert result["byFrench"] == ["issue", "wv/864/labor", "wv/863/amnesty2", "missing"]
