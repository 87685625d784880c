"""Process lifecycle: children that end with their parent, metrics shared across processes."""

from __future__ import annotations

import ctypes
import os
import signal
from pathlib import Path

PR_SET_PDEATHSIG = 1


def private_files() -> None:
    """Files and folders this process creates (the database, originals, exports, reviewed
    copies) are its user's alone: 0600 and 0700. They hold patient data."""
    os.umask(0o077)


def die_with_parent() -> None:
    """Linux: this process gets SIGTERM when its parent dies (even by SIGKILL)."""
    try:
        ctypes.CDLL("libc.so.6").prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def share_metrics(folder: Path, fresh: bool = False) -> None:
    """Let every process of this run (web app, watcher, rq workers) write its Prometheus
    metrics into `folder`, which /metrics reads. prometheus_client picks its mode when first
    imported, so this runs before anything imports it; `fresh` clears the last run's files."""
    folder.mkdir(parents=True, exist_ok=True)
    if fresh:
        for stale in folder.glob("*.db"):
            stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder.resolve())


def return_freed_memory() -> None:
    """Hand memory freed by the last job back to the OS (glibc keeps it otherwise), so a
    long-lived worker starts each page from its baseline rather than its last peak."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
