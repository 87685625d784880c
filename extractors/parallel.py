"""Read pages across processes: reader processes with an OCR engine each (OMP_THREAD_LIMIT=1),
handed one page at a time, so none idles while another still has a long fax to finish.

A reader loads only what reading needs. The process that queues the faxes checks each file
and runs pdftotext on it, and is free to load the rest (page model, spaCy, rules) while the
readers start on the first pages: `faxintake process`, `faxintake eval` and training pay that
load once, however many faxes they are given."""

from __future__ import annotations

import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from core.data import PageText
from core.settings import Settings
from extractors.cache import load_cached, store_cached
from extractors.loading import OpenedFax, UnreadableInput, open_fax
from extractors.ocr import OcrEngine, make_ocr_engine
from extractors.reading import read_page, text_layers

_reader: tuple[Settings, OcrEngine] | None = None  # a reader process's settings and engine


@dataclass
class QueuedFax:
    """A fax whose pages are being read, or the reason it cannot be."""

    path: Path
    pages: list[Future[PageText]] = field(default_factory=list)
    error: Exception | None = None

    def read(self) -> list[PageText]:
        """Its pages, once read; raises what stopped them (UnreadableInput, ...)."""
        if self.error is not None:
            raise self.error
        return [page.result() for page in self.pages]


class PageReaders:
    """`processes` reader processes (a context manager; they start with the first page)."""

    def __init__(self, settings: Settings, processes: int | None = None) -> None:
        self._settings = settings
        self._pool = ProcessPoolExecutor(
            processes or os.cpu_count() or 1,
            mp_context=get_context("fork"),
            initializer=_start_reader,
            initargs=(settings,),
        )

    def queue(self, path: Path) -> QueuedFax:
        """Check the file and hand out its pages; a file that cannot be read keeps its reason."""
        try:
            fax = open_fax(path, self._settings)
        except (UnreadableInput, FileNotFoundError, IsADirectoryError) as exc:
            return QueuedFax(path, error=exc)
        layers = text_layers(fax)
        return QueuedFax(path, [self._pool.submit(_read, fax, n, layers.get(n)) for n in fax.numbers])

    def __enter__(self) -> PageReaders:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(cancel_futures=True)


def _start_reader(settings: Settings) -> None:
    global _reader
    os.environ["OMP_THREAD_LIMIT"] = "1"
    _reader = (settings, make_ocr_engine(settings.ocr_engine, settings.ocr_language))


def _read(fax: OpenedFax, number: int, layer: PageText | None) -> PageText:
    if _reader is None:
        raise RuntimeError("not a reader process")
    settings, engine = _reader
    return read_page(fax, number, settings, engine, layer)


def read_many(
    jobs: list[tuple[Path, str | None]],
    settings: Settings,
    processes: int | None = None,
    cache_dir: Path | None = None,
) -> list[list[PageText] | str]:
    """Pages of each (path, sha256) job, or the reason it could not be read; input order.
    Cached pages are kept per OCR engine, as engines read the same page differently."""
    engine_cache = cache_dir / settings.ocr_engine if cache_dir else None
    with PageReaders(settings, processes) as readers:
        queued = [_cached(engine_cache, sha256) or readers.queue(path) for path, sha256 in jobs]
        return [_pages(fax, engine_cache, sha256) for fax, (_, sha256) in zip(queued, jobs, strict=True)]


def _cached(cache_dir: Path | None, sha256: str | None) -> list[PageText] | None:
    return load_cached(cache_dir, sha256) if cache_dir and sha256 else None


def _pages(
    fax: QueuedFax | list[PageText], cache_dir: Path | None, sha256: str | None
) -> list[PageText] | str:
    if isinstance(fax, list):
        return fax
    try:
        pages = fax.read()
    except UnreadableInput as exc:
        return str(exc)
    if cache_dir and sha256:
        store_cached(cache_dir, sha256, pages)
    return pages
