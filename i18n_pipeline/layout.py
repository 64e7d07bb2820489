"""Where a project keeps its files: article sources, templates and catalogs, and the
project-relative paths shown in catalogs and messages. Every stage finds files here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from i18n_pipeline.config import Config
from i18n_pipeline.errors import InputError
from i18n_pipeline.files import iter_files
from i18n_pipeline.read import FORMATS, validate_article_id


@dataclass(frozen=True)
class SourceFile:
    path: Path
    article_id: str
    fmt: str


def relative(config: Config, path: Path) -> str:
    """A path as shown in catalogs and messages: relative to the project root if inside.

    A path the project built (its root joined with names) is placed without asking the
    file system, which would cost a call per folder of every one of a large project's files.
    """
    if path.is_absolute() and ".." not in path.parts:
        try:
            return path.relative_to(config.root).as_posix()
        except ValueError:
            pass
    try:
        return path.resolve().relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


def discover_sources(config: Config, paths: Sequence[Path] = ()) -> list[SourceFile]:
    """Article files under the sources folder, or the given files and folders within it."""
    roots = list(paths) or [config.sources]
    found: list[Path] = []
    for root in roots:
        if root.is_dir():
            found.extend(iter_files(root, tuple(FORMATS)))
        elif root.exists():
            found.append(root)
        else:
            raise InputError("no such file or folder", path=str(root))
    out = []
    sources = config.sources.resolve()
    for path in dict.fromkeys(found):
        try:
            rel = path.resolve().relative_to(sources)
        except ValueError as exc:
            raise InputError(
                f"not under the sources folder {relative(config, sources)}/", path=str(path)
            ) from exc
        suffix = path.suffix.lower()
        if suffix not in FORMATS:
            raise InputError(
                f"unknown article format '{suffix}' (expected {', '.join(FORMATS)})", path=str(path)
            )
        article_id = rel.with_suffix("").as_posix()
        out.append(
            SourceFile(path, validate_article_id(article_id, path=str(path)), FORMATS[suffix])
        )
    return out


def template_path(config: Config, article_id: str) -> Path:
    return config.templates / f"{article_id}.pot"


def catalog_path(config: Config, language: str, article_id: str) -> Path:
    return config.catalogs / language / f"{article_id}.po"


def catalog_files(config: Config) -> list[tuple[str, str, Path]]:
    """(language, article id, path) of every catalog of a configured language."""
    out = []
    for code in config.codes:
        folder = config.catalogs / code
        for path in iter_files(folder, (".po",)):
            article_id = path.relative_to(folder).with_suffix("").as_posix()
            out.append((code, article_id, path))
    return out
