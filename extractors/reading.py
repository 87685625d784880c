"""Read every page of a fax: the text layer where it is real, OCR otherwise."""

from __future__ import annotations

import logging

from core.data import PageText
from core.metrics import timed
from core.settings import Settings
from extractors.loading import OpenedFax
from extractors.ocr import OcrEngine, ocr_page
from extractors.raster import page_image
from extractors.textlayer import is_real_text, text_layer_pages

log = logging.getLogger("faxintake.reading")
READER_VERSION = "14"  # bump when reading changes, so cached pages are read again


def read_every_page(fax: OpenedFax, settings: Settings, engine: OcrEngine) -> list[PageText]:
    layers = text_layers(fax)
    return [read_page(fax, number, settings, engine, layers.get(number)) for number in fax.numbers]


def text_layers(fax: OpenedFax) -> dict[int, PageText]:
    """Every page's text layer, in one pdftotext run, if any page may have one."""
    return text_layer_pages(fax.path) if any(map(fax.text_layer_possible, fax.numbers)) else {}


def read_page(
    fax: OpenedFax,
    number: int,
    settings: Settings,
    engine: OcrEngine,
    layer: PageText | None = None,
) -> PageText:
    """One page's text; the unit of work a worker fans out. A page the OCR engine fails on
    comes back with no words, which the pipeline flags as an unreadable page."""
    if layer is not None and is_real_text(layer, settings.text_layer_min_words):
        return layer
    with timed("rasterise"):
        image = page_image(fax, number)
    with timed("ocr"):
        try:
            return ocr_page(image, number, engine)
        except Exception as exc:  # noqa: BLE001 - one page's failure must not fail the fax
            log.warning("page unreadable: OCR failed", extra={"page": number, "error": type(exc).__name__})
            return PageText(number, [], "ocr", None, image.width, image.height)
