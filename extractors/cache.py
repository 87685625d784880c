"""Pages already read, kept on disk by the fax's hash, so training and evaluation re-runs
do not OCR the same pages again."""

from __future__ import annotations

import json
from pathlib import Path

from faxintake.model import PageText


def load_cached(cache_dir: Path, sha256: str) -> list[PageText] | None:
    path = cache_dir / f"{sha256}.json"
    if not path.exists():
        return None
    return [PageText.from_json(p) for p in json.loads(path.read_text())]


def store_cached(cache_dir: Path, sha256: str, pages: list[PageText]) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f"{sha256}.tmp"
    tmp.write_text(json.dumps([p.to_json() for p in pages]))
    tmp.replace(cache_dir / f"{sha256}.json")
