"""Tesseract as an OCR engine, two ways: the command (pytesseract) and the C++ API (tesserocr)."""

from __future__ import annotations

import os
import re
import subprocess
from functools import lru_cache
from typing import Any

import numpy as np
import pytesseract
from PIL import Image

from core.data import Word

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # parallelism is by processes, never threads
# Tesseract 5 re-reads every low-confidence line inverted (white on black), which fax pages
# never are; skipping it is faster and gave the same holdout accuracy (see docs/speed.md).
SPEED_VARIABLES = {"tessedit_do_invert": "0"}


class TesseractEngine:
    """The tesseract command through pytesseract.

    Page segmentation mode 11 (sparse text) finds the scattered words of forms that the
    default mode drops as "images"; rows are rebuilt from the boxes afterwards."""

    def __init__(self, language: str = "eng") -> None:
        self.language = language

    def words(self, pixels: np.ndarray) -> list[Word]:
        variables = " ".join(f"-c {name}={value}" for name, value in SPEED_VARIABLES.items())
        data = pytesseract.image_to_data(
            Image.fromarray(~pixels if pixels.dtype == bool else pixels),
            lang=self.language,
            config=f"--psm 11 {variables}",
            output_type=pytesseract.Output.DICT,
        )
        words: list[Word] = []
        line_ids: dict[tuple[int, int, int], int] = {}
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

    def line(self, pixels: np.ndarray) -> tuple[str, float]:
        data = pytesseract.image_to_data(
            Image.fromarray(pixels), lang=self.language, config="--psm 7", output_type=pytesseract.Output.DICT
        )
        read = [(t, float(c)) for t, c in zip(data["text"], data["conf"], strict=True) if t.strip()]
        confidence = sum(c for _, c in read) / len(read) if read else 0.0
        return " ".join(t for t, _ in read), confidence


class TesserocrEngine:
    """The same tesseract through its C++ API (tesserocr), with the model loaded once per
    process: no process start, image file or model load per page. Same page segmentation
    (sparse text) and the same word, box and confidence output as TesseractEngine."""

    def __init__(self, language: str = "eng") -> None:
        import tesserocr

        self._tesserocr = tesserocr
        self._path = tessdata_dir()
        self._api = tesserocr.PyTessBaseAPI(path=self._path, lang=language, psm=tesserocr.PSM.SPARSE_TEXT)
        for name, value in SPEED_VARIABLES.items():
            self._api.SetVariable(name, value)
        self._osd: Any = None  # tesserocr.PyTessBaseAPI for orientation, made on first use

    def words(self, pixels: np.ndarray) -> list[Word]:
        tesserocr = self._tesserocr
        self._set_pixels(pixels)
        self._api.Recognize()
        words, line = [], -1
        iterator = self._api.GetIterator()
        level = tesserocr.RIL.WORD
        for item in tesserocr.iterate_level(iterator, level):
            if item.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
                line += 1
            text = _utf8_text(item, level)
            box = item.BoundingBox(level)
            if not text or box is None:
                continue
            left, top, right, bottom = box
            words.append(
                Word(text, left, top, right - left, bottom - top, item.Confidence(level), max(line, 0))
            )
        return words

    def rotation(self, image: Image.Image) -> int:
        if self._osd is None:
            self._osd = self._tesserocr.PyTessBaseAPI(
                path=self._path, lang="osd", psm=self._tesserocr.PSM.OSD_ONLY
            )
            self._osd.SetVariable("min_characters_to_try", "5")
        self._osd.SetImage(image)
        found = self._osd.DetectOrientationScript()
        return (360 - int(found["orient_deg"])) % 360 if found else 0

    def line(self, pixels: np.ndarray) -> tuple[str, float]:
        psm = self._tesserocr.PSM
        self._api.SetPageSegMode(psm.SINGLE_LINE)
        try:
            self._set_pixels(pixels)
            return self._api.GetUTF8Text(), float(self._api.MeanTextConf())
        except RuntimeError:  # nothing recognised on the crop
            return "", 0.0
        finally:
            self._api.SetPageSegMode(psm.SPARSE_TEXT)

    def _set_pixels(self, pixels: np.ndarray) -> None:
        """The raw pixels, not SetImage's encode-to-BMP-and-decode; at the 96 dpi that BMP
        carried, so tesseract reads exactly as before. Ink goes as one bit a pixel, packed
        eight to a byte with 1 for paper, as tesseract takes binary images."""
        height, width = pixels.shape
        if pixels.dtype == bool:
            paper = np.packbits(~pixels, axis=1)
            self._api.SetImageBytes(paper.tobytes(), width, height, 0, paper.shape[1])
        else:
            self._api.SetImageBytes(np.ascontiguousarray(pixels).tobytes(), width, height, 1, width)
        self._api.SetSourceResolution(96)


def _utf8_text(item, level) -> str:
    """A word's text; tesserocr raises instead of answering "" for a word with no text
    (seen on pages almost entirely black)."""
    try:
        return (item.GetUTF8Text(level) or "").strip()
    except RuntimeError:
        return ""


@lru_cache(maxsize=1)
def tessdata_dir() -> str:
    """Where the installed tesseract keeps its language data (tesserocr's wheel has none)."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout
    match = re.search(r'"([^"]+)"', listing)
    if not match:
        raise ValueError("cannot find tesseract's tessdata folder; set TESSDATA_PREFIX")
    return match.group(1)
