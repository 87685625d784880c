"""What kind of picture a page is, from cheap statistics of its pixels, so that OCR applies only
the cleaning that helps that kind.

A fax arrives black and white at 204 dpi or so; a scan arrives in grey or colour, often at a
lower resolution (a form scanned at 100 dpi, a card photographed by a phone). Cleaning tuned
for one costs recall on the other: taking out specks and ruled lines and reading one bit a
pixel helps a fax, and eats the thin strokes of a small greyscale scan."""

from __future__ import annotations

from enum import StrEnum

import numpy as np
from PIL import Image

LEAST_PURE = 0.9  # share of pure black or white pixels on a black-and-white page
SMALL_LONG_SIDE = 1500  # pixels: a letter page below ~135 dpi, too small for tesseract's taste
FAX_DPI = 150  # a page declared at this resolution or finer has print large enough, whatever its size


class PageKind(StrEnum):
    FAX = "fax"  # black and white at fax resolution or finer
    SCAN = "scan"  # grey or colour at a resolution tesseract reads well
    SMALL = "small"  # any picture whose text is too small for tesseract as it is


def page_kind(image: Image.Image) -> PageKind:
    if is_small(image):
        return PageKind.SMALL
    pixels = np.asarray(image if image.mode == "L" else image.convert("L"))
    return PageKind.FAX if is_black_and_white(pixels) else PageKind.SCAN


def is_small(image: Image.Image) -> bool:
    """Too few pixels for a page's print to be read as it is: under `SMALL_LONG_SIDE` and not
    declared at fax resolution (a fax's half page, a slip, is small and its print is not)."""
    declared = image.info.get("dpi", (0, 0))[0] or 0
    return max(image.size) < SMALL_LONG_SIDE and declared < FAX_DPI


def is_black_and_white(pixels: np.ndarray) -> bool:
    """Nearly every pixel pure black or pure white: a fax, or a page rendered to one bit. A
    scan with grey paper or shading is not: tesseract's own thresholding, whose line images
    keep the greys, reads it better."""
    sample = pixels[::2]
    pure = np.count_nonzero((sample == 0) | (sample == 255))
    return bool(pure >= LEAST_PURE * sample.size)
