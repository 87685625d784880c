"""Pages OCR has failed on: almost all black, an inverted scan, nothing but speckle."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"
SIZE = (864, 1100)  # half a fax page: the same trouble, read in half the time
FAX_DPI = (204, 196)
TEXT = ["REFERRAL FORM", "Patient Name: Maria Gonzalez", "Date of Birth: 03/09/1957"]


def typed(ink: int = 0, paper: int = 255) -> Image.Image:
    page = Image.new("L", SIZE, paper)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 34)
    for row, text in enumerate(TEXT):
        draw.text((60, 80 + 70 * row), text, fill=ink, font=font)
    page.info["dpi"] = FAX_DPI
    return page


def dark_page(kind: str) -> Image.Image:
    """`black`, `near_black` (a few light specks), `inverted` (white text on black) or
    `speckle` (one pixel in ten flipped to black, nothing else)."""
    rng = np.random.default_rng(7)
    if kind == "inverted":
        return typed(ink=255, paper=0)
    pixels = np.zeros(SIZE[::-1], np.uint8)
    if kind == "near_black":
        pixels[rng.random(pixels.shape) < 0.005] = 255
    elif kind == "speckle":
        pixels[:] = 255
        pixels[rng.random(pixels.shape) < 0.1] = 0
    page = Image.fromarray(pixels)
    page.info["dpi"] = FAX_DPI
    return page


DARK_KINDS = ("black", "near_black", "inverted", "speckle")


def fax_with_dark_pages(path: Path) -> Path:
    """A one-bit fax TIFF: a typed page, then one page of every dark kind."""
    pages = [typed()] + [dark_page(kind) for kind in DARK_KINDS]
    bits = [page.point(lambda v: 255 if v >= 128 else 0).convert("1") for page in pages]
    bits[0].save(path, compression="group4", save_all=True, append_images=bits[1:], dpi=(204, 196))
    return path
