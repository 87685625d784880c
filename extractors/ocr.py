"""OCR engines behind one small protocol, and reading a page image into words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

import numpy as np
from PIL import Image, ImageFilter

from core.data import PageText, Word
from extractors.banners import banners_turned
from extractors.checkboxes import mark_checkboxes
from extractors.cleanup import DARK, ink, remove_rules, remove_specks
from extractors.pagekind import PageKind, page_kind
from extractors.rapid import RapidOcrEngine
from extractors.rereading import reread_broken_numbers
from extractors.rows import with_row_lines
from extractors.skew import sheared, straightened
from extractors.tesseract import TesseractEngine, TesserocrEngine

TARGET_LONG_SIDE = 2200  # pixels: a letter page at 200 dpi
SHARPENING = ImageFilter.UnsharpMask(radius=2, percent=100, threshold=3)  # +0.8 recall points on FUNSD


class OcrEngine(Protocol):
    def words(self, pixels: np.ndarray) -> list[Word]:
        """Words on a page, with boxes (pixels) and confidences (0-100). The page is greyscale
        (uint8), or black and white (bool, True for ink) for a fax page."""

    def rotation(self, image: Image.Image) -> int:
        """Degrees counter-clockwise the page must turn to read upright (0, 90, 180, 270)."""

    def line(self, pixels: np.ndarray) -> tuple[str, float]:
        """The text of a greyscale crop read as one line, and its confidence (0-100)."""


class ByPageKind:
    """Tesseract for fax pages (black and white, where it reads as well and several times
    faster), RapidOCR for greyscale and colour scans and small pictures (where it reads far
    more of the words; see docs/accuracy.md)."""

    def __init__(self, language: str = "eng") -> None:
        self.fax = TesserocrEngine(language)
        self.scan = RapidOcrEngine(language)

    def words(self, pixels: np.ndarray) -> list[Word]:
        return (self.fax if pixels.dtype == bool else self.scan).words(pixels)

    def rotation(self, image: Image.Image) -> int:
        return self.fax.rotation(image)

    def line(self, pixels: np.ndarray) -> tuple[str, float]:
        return self.scan.line(pixels)


ENGINES: dict[str, Callable[[str], OcrEngine]] = {
    "tesseract": TesseractEngine,
    "tesserocr": TesserocrEngine,
    "rapidocr": RapidOcrEngine,
    "by-page-kind": ByPageKind,
}


def make_ocr_engine(name: str, language: str) -> OcrEngine:
    try:
        return ENGINES[name](language)
    except KeyError:
        raise ValueError(f"unknown OCR engine {name!r}; known: {', '.join(ENGINES)}") from None


def mean_confidence(words: list[Word]) -> float | None:
    return round(sum(w.confidence for w in words) / len(words), 1) if words else None


def ocr_page(image: Image.Image, number: int, engine: OcrEngine) -> PageText:
    """OCR a page levelled (if fed askew) and prepared for its kind (see `extractors.pagekind`);
    if it reads badly, try it turned as tesseract's OSD suggests, and upside down (the usual
    fax mistake, where OSD's guess is weakest), keeping the best reading. Word boxes refer to
    the page as given, levelled and turned upright.

    The page goes to numpy once: Pillow hands its pixels over at ~10 ms a page, the rest of
    the steps share that one array."""
    kind = page_kind(image)
    pixels = paper_side_up(np.asarray(image if image.mode == "L" else image.convert("L")))
    if is_blank(pixels):
        return PageText(number, [], "ocr", None, image.width, image.height)
    scale = enlargement(pixels) if kind is PageKind.SMALL else 1.0
    pixels = enlarged(pixels, scale)
    dpi = (float(image.info.get("dpi", (200, 200))[0]) or 200) * scale
    pixels, skew = straightened(pixels)
    pixels = banners_turned(pixels)
    if kind is PageKind.FAX:
        pixels = remove_specks(remove_rules(pixels, dpi, lean=skew))
    page = ink(pixels) if kind is PageKind.FAX else pixels
    words = engine.words(page)
    rotation = 0
    if _reads_badly(words):
        for turn in dict.fromkeys((engine.rotation(_picture(pixels, dpi)), 180)):
            if not turn:
                continue
            retry = engine.words(_turned(page, turn))
            if _score(retry) > _score(words):
                words, rotation = retry, turn
        pixels = _turned(pixels, rotation)
    words = reread_broken_numbers(pixels, with_row_lines(mark_checkboxes(pixels, words)), engine.line)
    height, width = pixels.shape
    return PageText(
        number=number,
        words=[_shrunk(word, scale) for word in words] if scale != 1 else words,
        source="ocr",
        ocr_confidence=mean_confidence(words),
        width=round(width / scale),
        height=round(height / scale),
        rotation=rotation,
        skew=skew,
    )


def enlargement(pixels: np.ndarray) -> float:
    """How much to enlarge a small picture so that its text reaches the size tesseract reads
    best: a letter page to ~200 dpi, at least double (measured on FUNSD's 100 dpi scans: +10
    points of word recall at 2x, nothing more at 3x)."""
    return max(2.0, TARGET_LONG_SIDE / max(pixels.shape))


def enlarged(pixels: np.ndarray, scale: float) -> np.ndarray:
    if scale == 1:
        return pixels
    height, width = pixels.shape
    size = (round(width * scale), round(height * scale))
    larger = Image.fromarray(pixels).resize(size, Image.Resampling.LANCZOS)
    return np.asarray(larger.filter(SHARPENING))


def _shrunk(word: Word, scale: float) -> Word:
    return replace(
        word,
        left=word.left / scale,
        top=word.top / scale,
        width=word.width / scale,
        height=word.height / scale,
    )


def _picture(pixels: np.ndarray, dpi: float) -> Image.Image:
    picture = Image.fromarray(pixels)
    picture.info["dpi"] = (dpi, dpi)
    return picture


def as_read(pixels: np.ndarray, skew: float, rotation: int) -> np.ndarray:
    """A page image as OCR read it: levelled by the `skew` it found, then turned by its
    `rotation`, so that word boxes land on it (the review screen draws pages so)."""
    return _turned(sheared(pixels, skew) if skew else pixels, rotation)


def _turned(pixels: np.ndarray, degrees: int) -> np.ndarray:
    """The page turned clockwise by a multiple of 90 degrees."""
    return np.ascontiguousarray(np.rot90(pixels, -(degrees // 90)))


def paper_side_up(pixels: np.ndarray) -> np.ndarray:
    """The page as dark ink on light paper: a page mostly dark (an inverted scan, a fax of a
    dark surface) is turned negative, so its text reads and its specks count as specks."""
    if np.count_nonzero(pixels < DARK) > pixels.size // 2:
        return 255 - pixels
    return pixels


def is_blank(pixels: np.ndarray, dark_share: float = 0.0005) -> bool:
    """A greyscale page with (almost) no dark pixels: nothing for OCR to read, so it is not
    asked to."""
    return bool(np.count_nonzero(pixels < DARK) < dark_share * pixels.size)


def _reads_badly(words: list[Word]) -> bool:
    confident = [w for w in words if w.confidence >= 60 and len(w.text) > 2]
    return len(confident) < 12 or (mean_confidence(words) or 0) < 60


def _score(words: list[Word]) -> float:
    return sum(1 for w in words if w.confidence >= 60 and len(w.text) > 2)
