"""OCR engines behind one small protocol, and reading a page image into words."""

from __future__ import annotations

import os
from typing import Protocol

import pytesseract
from PIL import Image

from extractors.checkboxes import mark_checkboxes
from extractors.cleanup import remove_rules
from extractors.rows import with_row_lines
from faxintake.model import PageText, Word

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # parallelism is by processes, never threads


class OcrEngine(Protocol):
    def words(self, image: Image.Image) -> list[Word]:
        """Words with boxes (pixels) and confidences (0-100)."""

    def rotation(self, image: Image.Image) -> int:
        """Degrees counter-clockwise the page must turn to read upright (0, 90, 180, 270)."""


class TesseractEngine:
    """The tesseract command through pytesseract.

    Page segmentation mode 11 (sparse text) finds the scattered words of forms that the
    default mode drops as "images"; rows are rebuilt from the boxes afterwards."""

    def __init__(self, language: str = "eng") -> None:
        self.language = language

    def words(self, image: Image.Image) -> list[Word]:
        data = pytesseract.image_to_data(
            image, lang=self.language, config="--psm 11", output_type=pytesseract.Output.DICT
        )
        words, line_ids = [], {}
        for i, text in enumerate(data["text"]):
            conf = float(data["conf"][i])
            if conf < 0 or not text.strip():
                continue
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            line = line_ids.setdefault(key, len(line_ids))
            words.append(
                Word(
                    text.strip(),
                    data["left"][i],
                    data["top"][i],
                    data["width"][i],
                    data["height"][i],
                    conf,
                    line,
                )
            )
        return words

    def rotation(self, image: Image.Image) -> int:
        try:
            osd = pytesseract.image_to_osd(
                image,
                config="--psm 0 -c min_characters_to_try=5",
                output_type=pytesseract.Output.DICT,
            )
        except pytesseract.TesseractError:
            return 0
        return int(osd.get("rotate", 0)) % 360


ENGINES: dict[str, type] = {"tesseract": TesseractEngine}


def make_engine(name: str, language: str) -> OcrEngine:
    try:
        return ENGINES[name](language)
    except KeyError:
        raise ValueError(f"unknown OCR engine {name!r}; known: {', '.join(ENGINES)}") from None


def mean_confidence(words: list[Word]) -> float | None:
    return round(sum(w.confidence for w in words) / len(words), 1) if words else None


def ocr_page_and_image(image: Image.Image, number: int, engine: OcrEngine) -> tuple[PageText, Image.Image]:
    """OCR a page; if it reads badly, ask tesseract's OSD whether it is turned and retry.
    Returns the words, and the page image upright: the picture its word boxes refer to."""
    upright = image
    image = remove_rules(image)
    words = engine.words(image)
    rotation = 0
    if _reads_badly(words):
        rotation = engine.rotation(image)
        if rotation:
            turned = image.rotate(-rotation, expand=True)
            retry = engine.words(turned)
            if _score(retry) > _score(words):
                words, image = retry, turned
                upright = upright.rotate(-rotation, expand=True)
            else:
                rotation = 0
    page = PageText(
        number=number,
        words=with_row_lines(mark_checkboxes(image, words)),
        source="ocr",
        ocr_confidence=mean_confidence(words),
        width=image.width,
        height=image.height,
        rotation=rotation,
    )
    return page, upright


def _reads_badly(words: list[Word]) -> bool:
    confident = [w for w in words if w.confidence >= 60 and len(w.text) > 2]
    return len(confident) < 12 or (mean_confidence(words) or 0) < 60


def _score(words: list[Word]) -> float:
    return sum(1 for w in words if w.confidence >= 60 and len(w.text) > 2)
