"""The tesserocr engine hands tesseract raw pixels; it reads exactly as tesserocr's own
SetImage (which encodes a 96-dpi BMP) does."""

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from extractors.ocr import TesserocrEngine


def typed_page() -> Image.Image:
    image = Image.new("L", (1200, 500), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", 28)
    for row, text in enumerate(["Patient Name: Maria Gonzalez", "DOB: 03/09/1957", "Member ID W123456789"]):
        draw.text((60, 60 + 110 * row), text, fill=0, font=font)
    return image


def test_raw_pixels_read_as_set_image_does():
    engine = TesserocrEngine()
    page = typed_page()
    words = engine.words(np.asarray(page))
    engine._api.SetImage(page)
    engine._api.Recognize()
    assert [w.text for w in words] == engine._api.GetUTF8Text().split()
    assert "Gonzalez" in [w.text for w in words]
