"""Exports and training copies older than the retention go; originals are not touched."""

import os
import time

from core.settings import Settings
from storage.retention import DAY, remove_expired


def _aged(path, days: float) -> None:
    stamp = time.time() - days * DAY
    os.utime(path, (stamp, stamp))


def test_copies_older_than_the_retention_are_removed(tmp_path):
    settings = Settings(data_dir=tmp_path, retention_days=30)
    old_export, new_export = settings.exports / "fax-1", settings.exports / "fax-2"
    for folder in (old_export, new_export):
        folder.mkdir(parents=True)
        (folder / "bundle.json").write_text("{}")
    settings.reviewed.mkdir()
    old_copy = settings.reviewed / "fax-1.pdf"
    old_copy.write_bytes(b"%PDF")
    _aged(old_export, 31)
    _aged(old_copy, 45)
    assert remove_expired(settings) == 2
    assert not old_export.exists() and not old_copy.exists() and new_export.exists()


def test_no_retention_keeps_everything(tmp_path):
    settings = Settings(data_dir=tmp_path)
    settings.exports.mkdir(parents=True)
    _aged(settings.exports, 0)
    (settings.exports / "fax-1").mkdir()
    _aged(settings.exports / "fax-1", 4000)
    assert remove_expired(settings) == 0 and (settings.exports / "fax-1").exists()
