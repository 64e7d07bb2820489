"""The provenance line of a page that ``fetch`` stored: an HTML comment on the page's first
line that says where it came from and which version it is, so that the file alone tells
it (and the template's header comment repeats it)::

    <!-- i18n-pipeline fetch: url=https://…/amnesty2.html; fetched=2026-11-25T14:00:00Z; …
         etag="5f-2a"; last-modified=Tue, 07 Feb 2006 10:00:00 GMT -->   (on one line)

Values are percent-encoded where they hold ``;``, ``%``, ``>`` or line breaks, so the
comment cannot end early.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from i18n_pipeline.model import Provenance

MARK = "i18n-pipeline fetch:"
_SAFE = "/:?=&#@!$'()*+,\" []{}|~^`"
_LINE = re.compile(r"<!-- " + re.escape(MARK) + r" (?P<fields>[^\n]*?) -->\n?")
_KEYS = {"url": "url", "fetched": "fetched_at", "etag": "etag", "last-modified": "last_modified"}


def provenance_comment(provenance: Provenance) -> str:
    """The comment line (with its line break) that :func:`split_provenance` reads back."""
    values = {
        "url": provenance.url,
        "fetched": provenance.fetched_at,
        "etag": provenance.etag,
        "last-modified": provenance.last_modified,
    }
    fields = "; ".join(f"{k}={quote(v, safe=_SAFE)}" for k, v in values.items() if v)
    return f"<!-- {MARK} {fields} -->\n"


def split_provenance(text: str) -> tuple[Provenance | None, str]:
    """The provenance of a stored page and the page without its line; (None, text) when
    the page has none."""
    found = _LINE.match(text)
    if found is None:
        return None, text
    values: dict[str, str] = {}
    for part in found["fields"].split("; "):
        key, sep, value = part.partition("=")
        if sep and key in _KEYS:
            values[_KEYS[key]] = unquote(value)
    if "url" not in values or "fetched_at" not in values:
        return None, text
    return Provenance(**values), text[found.end() :]
