"""When work may go to forked worker processes, and how many processors there are for it."""

from __future__ import annotations

import os
import sys


def available_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether workers can be forked copies of this process (they are only on Linux)."""
    return sys.platform.startswith("linux")


def fork_pays() -> bool:
    """Whether a forked second process can run beside this one: Linux, two CPUs or more."""
    return can_fork() and available_cpus() > 1
