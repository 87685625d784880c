"""Pages already read, kept on disk by the fax's hash, so training and evaluation re-runs
do not OCR the same pages again."""

from __future__ import annotations

import json
from pathlib import Path

from core.data import PageText
from extractors.reading import READER_VERSION


def _path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256}-r{READER_VERSION}.json"


def load_cached(cache_dir: Path, sha256: str) -> list[PageText] | None:
    path = _path(cache_dir, sha256)
    if not path.exists():
        return None
    return [PageText.from_json(p) for p in json.loads(path.read_text())]


def store_cached(cache_dir: Path, sha256: str, pages: list[PageText]) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = _path(cache_dir, sha256)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps([p.to_json() for p in pages]))
    tmp.replace(path)
