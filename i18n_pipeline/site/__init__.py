"""The publisher's site as a source: fetching article pages, following their language bar
to the published translations, and reading issues' tables of contents.

:func:`fetch` is the entry point. Only :mod:`.http` touches the network; :mod:`.pages`
and :mod:`.urls` are pure functions of a page's bytes, text and URL.
"""

from i18n_pipeline.site.run import FetchedPage, FetchOptions, FetchResult, fetch

__all__ = ["FetchOptions", "FetchResult", "FetchedPage", "fetch"]
