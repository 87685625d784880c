"""How long the copies made on approval are kept: the export folder per fax and the training
copy under reviewed/ (`FAXINTAKE_RETENTION_DAYS`). The original and the database rows are
the record and are never removed here."""

from __future__ import annotations

import shutil
import time

from core.settings import Settings

DAY = 86400.0


def remove_expired(settings: Settings, now: float | None = None) -> int:
    """Remove exports and training copies older than the retention; how many went."""
    if not settings.retention_days:
        return 0
    cutoff = (time.time() if now is None else now) - settings.retention_days * DAY
    removed = 0
    for folder in (settings.exports, settings.reviewed):
        for entry in folder.iterdir() if folder.is_dir() else ():
            if entry.lstat().st_mtime < cutoff:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
                removed += 1
    return removed
