"""Prepare a page image for OCR: take out the ruled lines of forms.

Tesseract reads a box border as text or, worse, treats a whole boxed region as
a picture and skips it. Removing long straight dark runs keeps the words and drops the rules."""

from __future__ import annotations

import numpy as np
from PIL import Image

DARK = 128


def remove_rules(image: Image.Image, min_length_in: float = 0.25) -> Image.Image:
    """The page with horizontal and vertical dark runs longer than `min_length_in` whitened."""
    dpi = float(image.info.get("dpi", (200, 200))[0]) or 200
    length = max(20, round(dpi * min_length_in))
    pixels = np.asarray(image.convert("L"))
    dark = pixels < DARK
    rules = _on_long_runs(_thicken(dark, axis=0), length) | _on_long_runs(_thicken(dark, axis=1).T, length).T
    rules &= dark
    if not rules.any():
        return image
    cleaned = pixels.copy()
    cleaned[rules] = 255
    result = Image.fromarray(cleaned, "L")
    result.info["dpi"] = image.info.get("dpi", (dpi, dpi))
    return result


def _thicken(dark: np.ndarray, axis: int) -> np.ndarray:
    """Dark pixels grown by one across `axis`, so a jagged or dotted rule reads as one run."""
    grown = dark.copy()
    if axis == 0:
        grown[1:] |= dark[:-1]
        grown[:-1] |= dark[1:]
    else:
        grown[:, 1:] |= dark[:, :-1]
        grown[:, :-1] |= dark[:, 1:]
    return grown


def _on_long_runs(dark: np.ndarray, length: int) -> np.ndarray:
    """Pixels that lie on a horizontal run of at least `length` dark pixels (two cumsums)."""
    rows, width = dark.shape
    if width < length:
        return np.zeros_like(dark)
    counts = np.zeros((rows, width + 1), dtype=np.int32)
    np.cumsum(dark, axis=1, out=counts[:, 1:])
    starts = (counts[:, length:] - counts[:, :-length]) == length  # window [i, i+length) all dark
    covered = np.zeros((rows, starts.shape[1] + 1), dtype=np.int32)
    np.cumsum(starts, axis=1, out=covered[:, 1:])
    j = np.arange(width)
    high = np.minimum(j, starts.shape[1] - 1) + 1
    low = np.maximum(0, j - length + 1)
    return (covered[:, high] - covered[:, low]) > 0
