"""RapidOCR reads with the models inside its wheel and nothing else: it starts and reads with
the network refused, and refuses to start when a model is missing or not the one recorded."""

import shutil
import socket

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.ocr import ByPageKind, ocr_page
from extractors.pagekind import PageKind, page_kind
from extractors.rapid import MODELS, OcrSetupError, RapidOcrEngine, bundled_models
from extractors.tesseract import TesserocrEngine
from tests.helpers.pages import FONT, typed


@pytest.fixture(scope="module")
def rapid() -> RapidOcrEngine:
    return RapidOcrEngine()


def test_it_starts_and_reads_with_the_network_refused(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("RapidOCR tried the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    words = {word.text for word in RapidOcrEngine().words(np.asarray(typed()))}
    assert {"Gonzalez", "03/09/1957"} <= words


def test_a_changed_model_is_refused(tmp_path):
    folder = bundled_models()["Det"].parent
    for name, _ in MODELS.values():
        shutil.copy(folder / name, tmp_path / name)
    with (tmp_path / MODELS["Rec"][0]).open("ab") as model:
        model.write(b"\0")
    with pytest.raises(OcrSetupError, match="reinstall rapidocr"):
        bundled_models(tmp_path)


def test_a_missing_model_is_refused(tmp_path):
    with pytest.raises(OcrSetupError, match="missing"):
        bundled_models(tmp_path)


def test_words_have_boxes_on_their_text(rapid):
    words = rapid.words(np.asarray(typed()))
    name = next(word for word in words if word.text == "Gonzalez")
    assert 60 < name.left < 864 and 140 < name.top < 200 and name.height < 60
    assert len({word.line for word in words}) == 3  # three typed lines


def test_a_line_is_read(rapid):
    image = Image.new("L", (500, 80), 255)
    ImageDraw.Draw(image).text((20, 18), "312-555-0142", fill=0, font=ImageFont.truetype(FONT, 36))
    text, confidence = rapid.line(np.asarray(image))
    assert text == "312-555-0142" and confidence > 50


def test_by_page_kind_reads_fax_pages_with_tesseract_and_scans_with_rapidocr():
    engine = ByPageKind()
    fax = np.asarray(typed()) < 128
    assert engine.words(fax) == TesserocrEngine().words(fax)
    grey = np.asarray(typed(ink=40, paper=230))
    assert engine.words(grey) == engine.scan.words(grey)


def test_a_small_scan_is_read_with_boxes_on_the_page_as_given(rapid):
    page = typed(ink=30, paper=235).resize((432, 550))
    page.info["dpi"] = (102, 98)  # the half page at half the resolution
    assert page_kind(page) is PageKind.SMALL
    read = ocr_page(page, 1, rapid)
    assert (read.width, read.height) == (432, 550)
    name = next(word for word in read.words if word.text == "Gonzalez")
    assert 30 < name.left < 432 and 70 < name.top < 100
