"""RapidOCR as an OCR engine: PP-OCR detection and recognition on onnxruntime, on the CPU,
with only the models inside its wheel.

RapidOCR fetches models it does not have from the internet; a clinic's server must not, and
what reads patients' faxes must not change under us. So the engine names the wheel's own
model files, checks them against the hashes recorded here, and refuses to start otherwise
(`OcrSetupError`): it never downloads."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from core.data import Word
from extractors.tesseract import TesserocrEngine

VERSION = "3.10.0"
MODELS = {  # the files of rapidocr 3.10.0's wheel, by SHA-256
    "Det": ("PP-OCRv6_det_small.onnx", "090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f"),
    "Rec": ("PP-OCRv6_rec_small.onnx", "6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884"),
    "Cls": (
        "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
        "e47acedf663230f8863ff1ab0e64dd2d82b838fceb5957146dab185a89d6215c",
    ),
}
DETECTION_SIDE = 1200  # pixels: the longest side detection looks at; more read no better (FUNSD), and slower


class OcrSetupError(ValueError):
    """The OCR engine set cannot start as installed (a setup error, as an unknown engine
    is); the message says what to install."""


def bundled_models(folder: Path | None = None) -> dict[str, Path]:
    """The wheel's model files by step, each checked against its recorded hash."""
    if folder is None:
        try:
            import rapidocr
        except ImportError:
            raise OcrSetupError("RapidOCR is not installed: pip install 'faxintake[rapidocr]'") from None
        folder = Path(rapidocr.__file__).parent / "models"
    models = {}
    for step, (name, digest) in MODELS.items():
        path = folder / name
        if not path.is_file() or _sha256(path) != digest:
            raise OcrSetupError(
                f"RapidOCR's bundled model {name} is missing or not the one recorded; "
                f"reinstall rapidocr=={VERSION} (faxintake never downloads models)"
            )
        models[step] = path
    return models


@cache
def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class RapidOcrEngine:
    """Words and lines read by RapidOCR; page orientation is left to tesseract's OSD, which
    tells all four turns (RapidOCR's classifier tells only upright from upside down)."""

    def __init__(self, language: str = "eng") -> None:
        from rapidocr import RapidOCR

        params: dict[str, object] = {
            "Global.use_cls": False,
            "Global.max_side_len": DETECTION_SIDE,
            "Global.log_level": "error",  # its warnings ("nothing detected") are not faults
            "Det.use_dilation": False,  # dilation merges neighbouring lines of small print
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,  # parallel by processes only
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        params |= {f"{step}.model_path": str(path) for step, path in bundled_models().items()}
        self._ocr: Any = RapidOCR(params=params)  # imported here: onnxruntime and OpenCV are large
        self._orientation = TesserocrEngine(language)

    def words(self, pixels: np.ndarray) -> list[Word]:
        result = self._ocr(_rgb(pixels), use_det=True, use_cls=False, use_rec=True)  # flags persist
        if getattr(result, "boxes", None) is None:  # nothing found: another type of result
            return []
        words: list[Word] = []
        for line, (corners, text, score) in enumerate(
            zip(result.boxes, result.txts, result.scores, strict=True)
        ):
            words += line_words(text, corners, 100 * float(score), line)
        return words

    def rotation(self, image: Image.Image) -> int:
        return self._orientation.rotation(image)

    def line(self, pixels: np.ndarray) -> tuple[str, float]:
        result = self._ocr(_rgb(pixels), use_det=False, use_cls=False, use_rec=True)
        if not getattr(result, "txts", None) or not result.scores:
            return "", 0.0
        return result.txts[0], 100 * float(result.scores[0])


def line_words(text: str, corners: np.ndarray, confidence: float, line: int) -> list[Word]:
    """The words of a line RapidOCR read, each given the share of the line's box that its
    characters take (RapidOCR's own word boxes cost a second pass and are not always there)."""
    xs, ys = corners[:, 0], corners[:, 1]
    left, top, height = float(xs.min()), float(ys.min()), float(ys.max() - ys.min())
    per_character = float(xs.max() - xs.min()) / max(1, len(text))
    return [
        Word(
            match.group(),
            left + match.start() * per_character,
            top,
            len(match.group()) * per_character,
            height,
            confidence,
            line,
        )
        for match in re.finditer(r"\S+", text)
    ]


def _rgb(pixels: np.ndarray) -> np.ndarray:
    grey = np.where(pixels, 0, 255).astype(np.uint8) if pixels.dtype == bool else pixels
    return np.repeat(grey[:, :, None], 3, axis=2)
