"""The gate behind ``i18n-pipeline check``: its engine, its rules and their codes.

:func:`check_project` checks a project (templates, catalogs, staleness, thresholds) and
:func:`check_files` any catalogs with no config; both return a :class:`CheckResult`. The
rules live beside the engine: :mod:`.formats` (msgfmt's format strings), :mod:`.quality`
(a translation against its source), :mod:`.language` (the wrong-language check), and
:mod:`.output` renders a result for people and CI systems. :mod:`.codes` is the registry.
"""

from __future__ import annotations

from i18n_pipeline.checks.codes import CODES, SEVERITIES, CheckCode, Finding, severity_of
from i18n_pipeline.checks.engine import (
    CheckOptions,
    CheckResult,
    Problem,
    changed_files,
    check_files,
    check_project,
)

__all__ = [
    "CODES",
    "SEVERITIES",
    "CheckCode",
    "CheckOptions",
    "CheckResult",
    "Finding",
    "Problem",
    "changed_files",
    "check_files",
    "check_project",
    "severity_of",
]
