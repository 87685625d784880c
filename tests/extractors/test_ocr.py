"""The tesserocr engine hands tesseract raw pixels; it reads exactly as tesserocr's own
SetImage (which encodes a 96-dpi BMP) does."""

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from classifiers.features import real_word_count
from core.settings import Settings
from extractors.loading import open_fax
from extractors.ocr import is_blank, ocr_page
from extractors.rapid import RapidOcrEngine
from extractors.reading import read_page
from extractors.tesseract import TesseractEngine, TesserocrEngine
from tests.helpers.pages import DARK_KINDS, SIZE, dark_page, typed


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


@pytest.mark.parametrize("engine", [TesserocrEngine, TesseractEngine])
def test_ink_reads_as_the_same_page_in_grey(engine):
    grey = np.asarray(typed_page().point(lambda value: 0 if value <= 128 else 255))
    ink = grey <= 128
    assert [w.text for w in engine().words(ink)] == [w.text for w in engine().words(grey)]
    assert "W123456789" in [w.text for w in engine().words(ink)]


def test_a_blank_page_is_not_sent_to_the_engine():
    class NoEngine:
        def words(self, pixels):
            raise AssertionError("a blank page was OCRed")

    speck = Image.new("L", (1000, 1400), 255)
    ImageDraw.Draw(speck).rectangle((10, 10, 14, 14), fill=0)  # fax noise, not text
    page = ocr_page(speck, 1, NoEngine())
    assert page.words == [] and (page.width, page.height) == (1000, 1400)


def test_is_blank_counts_dark_pixels():
    assert is_blank(np.full((100, 100), 255, np.uint8))
    assert not is_blank(np.asarray(typed_page()))


@pytest.mark.parametrize("engine", [TesserocrEngine, TesseractEngine])
def test_a_line_is_read_as_one_line(engine):
    image = Image.new("L", (500, 80), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", 36)
    ImageDraw.Draw(image).text((20, 18), "312-555-0142", fill=0, font=font)
    text, confidence = engine().line(np.asarray(image))
    assert text.strip() == "312-555-0142" and confidence > 50


def test_a_page_fed_askew_is_read_level_with_labels_and_values_on_one_row():
    page = Image.new("L", (1700, 900), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", 30)
    for row, (label, value) in enumerate([("Member ID:", "W123456789"), ("Group Number:", "88231")]):
        draw.text((100, 200 + 150 * row), label, fill=0, font=font)
        draw.text((1200, 200 + 150 * row), value, fill=0, font=font)
    fed = page.rotate(3, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    read = ocr_page(fed.point(lambda v: 0 if v < 128 else 255), 1, TesserocrEngine())
    assert read.skew == pytest.approx(3, abs=0.2)
    line_of = {w.text: w.line for w in read.words}
    assert line_of["Member"] == line_of["W123456789"] and line_of["Group"] == line_of["88231"]


@pytest.mark.parametrize("engine", [TesserocrEngine, TesseractEngine, RapidOcrEngine])
@pytest.mark.parametrize("kind", DARK_KINDS)
def test_a_dark_page_is_read_without_error(engine, kind):
    page = ocr_page(dark_page(kind), 1, engine())
    if kind == "inverted":  # white text on black reads as text
        assert {"Gonzalez", "03/09/1957"} <= {w.text for w in page.words}
    else:
        assert real_word_count(page) < Settings().unreadable_min_words


def test_an_engine_failing_on_a_page_leaves_it_without_words(tmp_path, settings):
    class FailingEngine:
        def words(self, pixels):
            raise RuntimeError("No text returned")

    path = tmp_path / "page.png"
    typed().save(path)
    page = read_page(open_fax(path, settings), 1, settings, FailingEngine())
    assert page.words == [] and page.source == "ocr" and (page.width, page.height) == SIZE
