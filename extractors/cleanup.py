"""Prepare a page image for OCR: take out the ruled lines of forms.

Tesseract reads a box border as text or, worse, treats a whole boxed region as
a picture and skips it. Removing long straight dark runs keeps the words and drops the rules."""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy.ndimage import maximum_filter1d, minimum_filter1d

DARK = 128


def remove_rules(image: Image.Image, min_length_in: float = 0.25) -> Image.Image:
    """The page with horizontal and vertical dark runs longer than `min_length_in` whitened."""
    dpi = float(image.info.get("dpi", (200, 200))[0]) or 200
    length = max(21, round(dpi * min_length_in)) | 1  # odd: the opening below is then centred
    pixels = np.asarray(image.convert("L"))
    dark = pixels < DARK
    rules = np.zeros_like(dark)
    across = _thicken(dark, axis=0)
    rows = _may_hold_runs(across, length, axis=1)
    rules[rows] = _on_long_runs(across[rows], length, axis=1)
    down = _thicken(dark, axis=1)
    columns = _may_hold_runs(down, length, axis=0)
    rules[:, columns] |= _on_long_runs(down[:, columns], length, axis=0)
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


def _may_hold_runs(dark: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Indices of the lines (rows for axis 1, columns for axis 0) that may hold a run of
    `length` along `axis`. Any such run covers at least length // step consecutive samples
    taken every `step` pixels, so opening the sampled image finds every one of those lines
    at a fraction of the cost; the exact opening then runs on them alone (few, on a page of
    text)."""
    step = max(1, length // 8)
    sampled = dark[:, ::step] if axis == 1 else dark[::step, :]
    return np.flatnonzero(_on_long_runs(sampled, length // step, axis).any(axis=axis))


def _on_long_runs(dark: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels on a run of at least `length` dark pixels along `axis`: a morphological opening
    with a line `length` long (running minimum, then running maximum; linear time)."""
    eroded = minimum_filter1d(dark.view(np.uint8), length, axis=axis, mode="constant", cval=0)
    return maximum_filter1d(eroded, length, axis=axis, mode="constant", cval=0).view(bool)
