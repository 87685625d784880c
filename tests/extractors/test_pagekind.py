"""Page kinds from pixel statistics: a fax, a greyscale scan, a picture too small to read as is."""

import numpy as np
from PIL import Image

from extractors.pagekind import PageKind, page_kind


def _page(pixels: np.ndarray) -> Image.Image:
    return Image.fromarray(pixels)


def test_a_black_and_white_page_at_fax_resolution_is_a_fax():
    pixels = np.full((2200, 1700), 255, np.uint8)
    pixels[100:120, 100:900] = 0
    pixels[120, 100:900] = 128  # an edge blurred by resampling
    assert page_kind(_page(pixels)) is PageKind.FAX


def test_grey_uneven_paper_is_a_scan():
    rng = np.random.default_rng(0)
    paper = rng.normal(225, 12, (2200, 1700)).clip(0, 255).astype(np.uint8)
    paper[400:500, 100:900] = 60
    assert page_kind(_page(paper)) is PageKind.SCAN


def test_a_colour_scan_is_a_scan():
    rng = np.random.default_rng(1)
    paper = rng.normal(215, 15, (2200, 1700, 3)).clip(0, 255).astype(np.uint8)
    assert page_kind(Image.fromarray(paper, "RGB")) is PageKind.SCAN


def test_a_letter_page_scanned_at_100_dpi_is_small_whatever_its_colours():
    assert page_kind(_page(np.full((1100, 850), 255, np.uint8))) is PageKind.SMALL
    assert page_kind(Image.new("RGB", (1000, 630), "white")) is PageKind.SMALL  # a card photo


def test_a_half_page_declared_at_fax_resolution_is_not_small():
    slip = _page(np.full((1100, 1728), 255, np.uint8))
    slip.info["dpi"] = (204, 196)
    assert page_kind(slip) is PageKind.FAX
