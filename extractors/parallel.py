"""Read many faxes across processes (one OCR engine per process, OMP_THREAD_LIMIT=1)."""

from __future__ import annotations

import os
from multiprocessing import get_context
from pathlib import Path

from extractors.cache import load_cached, store_cached
from extractors.loading import UnreadableInput, open_fax
from extractors.ocr import OcrEngine, make_engine
from extractors.reading import read_pages
from faxintake.model import PageText
from faxintake.settings import Settings

_engine: OcrEngine | None = None
_settings: Settings | None = None


def _start(settings: Settings) -> None:
    global _engine, _settings
    os.environ["OMP_THREAD_LIMIT"] = "1"
    _settings = settings
    _engine = make_engine(settings.ocr_engine, settings.ocr_language)


def _read(job: tuple[Path, str | None, Path | None]) -> list[PageText] | str:
    path, sha256, cache_dir = job
    if cache_dir and sha256:
        cached = load_cached(cache_dir, sha256)
        if cached is not None:
            return cached
    try:
        pages = read_pages(open_fax(path, _settings), _settings, _engine)
    except UnreadableInput as exc:
        return str(exc)
    if cache_dir and sha256:
        store_cached(cache_dir, sha256, pages)
    return pages


def read_many(
    jobs: list[tuple[Path, str | None]],
    settings: Settings,
    processes: int | None = None,
    cache_dir: Path | None = None,
) -> list[list[PageText] | str]:
    """Pages of each (path, sha256) job, or the reason it could not be read; input order.
    Cached pages are kept per OCR engine, as engines read the same page differently."""
    processes = processes or os.cpu_count() or 1
    engine_cache = cache_dir / settings.ocr_engine if cache_dir else None
    work = [(path, sha, engine_cache) for path, sha in jobs]
    with get_context("fork").Pool(processes, initializer=_start, initargs=(settings,)) as pool:
        return pool.map(_read, work, chunksize=1)
