"""Read every page of a fax: the text layer where it is real, OCR otherwise."""

from __future__ import annotations

from PIL import Image

from extractors.loading import OpenedFax
from extractors.ocr import OcrEngine, ocr_page_and_image
from extractors.raster import page_image
from extractors.textlayer import is_real_text, text_layer_pages
from faxintake.metrics import timed
from faxintake.model import PageText
from faxintake.settings import Settings

READER_VERSION = "9"  # bump when reading changes, so cached pages are read again


def read_pages(fax: OpenedFax, settings: Settings, engine: OcrEngine) -> list[PageText]:
    layers = text_layer_pages(fax.path) if fax.format == "pdf" else {}
    return [
        read_page(fax, number, settings, engine, layers.get(number))
        for number in range(1, fax.page_count + 1)
    ]


def read_page(
    fax: OpenedFax,
    number: int,
    settings: Settings,
    engine: OcrEngine,
    layer: PageText | None = None,
) -> PageText:
    """One page's text; the unit of work a worker fans out."""
    return read_page_and_image(fax, number, settings, engine, layer)[0]


def read_page_and_image(
    fax: OpenedFax,
    number: int,
    settings: Settings,
    engine: OcrEngine,
    layer: PageText | None = None,
) -> tuple[PageText, Image.Image | None]:
    """One page's text, and the image it was read from (None for a text-layer page)."""
    if layer is not None and is_real_text(layer, settings.text_layer_min_words):
        return layer, None
    with timed("rasterise"):
        image = page_image(fax, number)
    with timed("ocr"):
        return ocr_page_and_image(image, number, engine)
