"""White-on-black banners read as text: turned negative before OCR, through real tesseract."""

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from extractors.banners import banners_turned
from extractors.ocr import TesserocrEngine, ocr_page

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _page_with_banner() -> Image.Image:
    page = Image.new("L", (1700, 800), 255)
    draw = ImageDraw.Draw(page)
    draw.rectangle((150, 200, 1550, 260), fill=0)
    draw.text((170, 210), "ORDERING CLINICIAN", fill=255, font=ImageFont.truetype(FONT, 36))
    draw.text((170, 300), "Tel (355) 555-7468", fill=0, font=ImageFont.truetype(FONT, 30))
    page.info["dpi"] = (200, 200)
    return page


def test_a_banners_text_is_read():
    words = " ".join(w.text for w in ocr_page(_page_with_banner(), 1, TesserocrEngine()).words)
    assert "ORDERING CLINICIAN" in words


def test_only_banners_turn():
    pixels = np.full((800, 1700), 255, np.uint8)
    pixels[100:104, 100:1600] = 0  # a rule: too thin to be a banner
    pixels[300:400, 100:250] = 0  # a logo-sized block: too narrow
    assert (banners_turned(pixels) == pixels).all()
    pixels[500:560, 100:1600] = 0
    turned = banners_turned(pixels)
    assert (turned[500:560, 100:1600] == 255).all() and (turned[:500] == pixels[:500]).all()
