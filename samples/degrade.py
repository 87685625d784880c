"""Make a clean page look like it came through a fax machine."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from samples.layout import FONT_FAMILIES
from samples.render import pil_font

FAX_WIDTH = 1728  # pixels across a fax page (8.5 in at ~204 dpi)
FINE_ROWS, STANDARD_ROWS = 2200, 1100  # 11 in at 196 and 98 lines per inch
FAX_DPI = {"fine": (204, 196), "standard": (204, 98)}


def fax_page(image: Image.Image, rng: random.Random, mode: str, header: str, noise: float) -> Image.Image:
    """Skew, speckle, binarise and resample to fax geometry; returns a 1-bit image."""
    page = image.rotate(rng.uniform(-1.2, 1.2), resample=Image.Resampling.BILINEAR, fillcolor=255)
    if rng.random() < 0.5:
        page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
    rows = FINE_ROWS if mode == "fine" else STANDARD_ROWS
    page = page.resize((FAX_WIDTH, rows), Image.Resampling.LANCZOS)
    _stamp_header(page, header, mode)
    pixels = np.asarray(page, dtype=np.float32)
    speckle = np.random.default_rng(rng.randint(0, 2**31)).random(pixels.shape) < noise
    pixels[speckle] = 255 - pixels[speckle]
    binary = Image.fromarray((pixels > rng.uniform(130, 175)).astype(np.uint8) * 255, "L").convert("1")
    binary.info["dpi"] = FAX_DPI[mode]
    return binary


def _stamp_header(page: Image.Image, header: str, mode: str) -> None:
    """The sending machine's line across the top (its own small font, squashed in standard)."""
    height = 22 if mode == "fine" else 11
    strip = Image.new("L", (FAX_WIDTH, 22), 255)
    ImageDraw.Draw(strip).text((20, 2), header, fill=0, font=pil_font(FONT_FAMILIES[6][0], 18))
    page.paste(strip.resize((FAX_WIDTH, height)), (0, 4))


def header_line(rng: random.Random, when: str, fax_number: str, sender: str, page: int, total: int) -> str:
    return rng.choice(
        [
            f"{when}  FROM: {fax_number}  {sender[:28]}  P.{page:03d}/{total:03d}",
            f"{when} {sender[:30]}  FAX {fax_number}   PAGE {page} OF {total}",
            f"From: {sender[:24]} ({fax_number})  To: Specialty Clinic  {when}  Pg {page}/{total}",
        ]
    )
