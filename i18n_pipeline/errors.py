"""The exceptions of i18n-pipeline.

Every error the library raises on purpose derives from :class:`PipelineError`, so the CLI
can turn it into one line on stderr (``path:line: message``) and an exit code::

    PipelineError            root; ``str()`` is the user-facing line
    ├── ConfigError          config.yaml is missing, malformed or invalid (names the key path)
    ├── InputError           an input file cannot be read: encoding, empty, binary, bad id
    │   └── ArticleError     an article cannot be parsed into sections and blocks
    ├── CatalogError         a .po/.pot file cannot be used
    │   ├── PoSyntaxError    strict parse failure, with the line msgfmt would report
    │   └── ConcurrentEditError  the file changed on disk after it was read
    ├── DatabaseError        the index cannot be opened, migrated or written
    │   └── DatabaseBusyError    another writer holds the database
    ├── FetchError           a page of the site cannot be fetched or used: HTTP status,
    │                        network, robots.txt, not HTML, too large, charset, off-site link
    ├── LockedError          another ingest/sync holds the project lock
    └── WorkerError          a worker process died; what it was doing is left undone

Errors that belong to a file carry ``path`` and ``line`` (``line`` may be ``None``).
"""

from __future__ import annotations


class PipelineError(Exception):
    """Root of every expected failure. ``str(err)`` is the message shown to users."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class ConfigError(PipelineError):
    """The configuration file is missing, malformed, or has an invalid value."""


class InputError(PipelineError):
    """An input file or argument cannot be used (encoding, empty, binary, invalid id)."""


class ArticleError(InputError):
    """An article was read but its structure cannot be understood."""


class CatalogError(PipelineError):
    """A gettext catalog cannot be read or written."""


class PoSyntaxError(CatalogError):
    """A catalog is not valid PO syntax. ``line`` is the line msgfmt would blame."""


class ConcurrentEditError(CatalogError):
    """A file changed on disk between our read and our write; it was left alone."""


class DatabaseError(PipelineError):
    """The database cannot be opened, migrated or written."""


class DatabaseBusyError(DatabaseError):
    """Another process holds a write lock on the database for too long."""


class FetchError(PipelineError):
    """A page of the publisher's site cannot be fetched, or what came back cannot be used.
    ``path`` is the page's URL; ``status`` the HTTP status when the server gave one.
    Nothing already stored for the page is touched."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        status: int | None = None,
    ):
        super().__init__(message, path=path, line=line)
        self.status = status


class LockedError(PipelineError):
    """Another ingest or sync run holds the project lock."""


class WorkerError(PipelineError):
    """A worker process ended without its results (killed, out of memory); the articles
    it had are left for the next run."""
