"""Straighten a page fed askew: text lines found by their projection profile.

A fax fed a few degrees crooked still OCRs, but its rows no longer line up: a label and its
value far to the right land a row apart. The angle at which the page's ink, summed along
rows, gives the sharpest profile (lines of text and the gaps between them) is the skew."""

from __future__ import annotations

import itertools

import numpy as np

from extractors.cleanup import DARK

MOST = 6.0  # degrees either way; beyond this a page is not "askew" but turned
STEPS = (0.25, 0.05)  # a coarse search over the whole range, then a fine one around its best
LEAST = 1.5  # straighter than this is left as it is: rows absorb it (see rows._groups)
SAMPLE = 2  # every other pixel each way: the profile keeps its shape at a quarter the cost


def skew_angle(pixels: np.ndarray) -> float:
    """Degrees the greyscale page's text lines are turned counter-clockwise (as Pillow's
    `rotate` turns); 0.0 when it has too little ink to tell."""
    ys, xs = np.nonzero(pixels[::SAMPLE, ::SAMPLE] < DARK)
    if len(ys) < 500:
        return 0.0
    xs = xs - xs.mean()
    best = 0.0
    for step, span in zip(STEPS, (MOST, STEPS[0]), strict=True):
        angles = best + np.arange(-span, span + step / 2, step)
        best = float(angles[np.argmax([_sharpness(ys, xs, a) for a in angles])])
    return round(best, 2)


def _sharpness(ys: np.ndarray, xs: np.ndarray, angle: float) -> float:
    """How sharply the ink falls into rows when the page is turned by `angle`: the sum of
    squared row counts, largest when every line of text sits in as few rows as it can."""
    rows = np.rint(ys + xs * np.tan(np.radians(angle))).astype(np.int64)
    counts = np.bincount(rows - rows.min())
    return float(np.dot(counts, counts))


def straightened(pixels: np.ndarray) -> tuple[np.ndarray, float]:
    """The page levelled, and the angle it was found askew by (0.0: left as it was)."""
    angle = skew_angle(pixels)
    if abs(angle) < LEAST:
        return pixels, 0.0
    return sheared(pixels, angle), angle


def sheared(pixels: np.ndarray, angle: float) -> np.ndarray:
    """A page whose lines run `angle` degrees askew, levelled by moving each column up or
    down by whole pixels (grown to keep them all). A shear rather than a rotation: no pixel
    is resampled, so a fax's strokes stay as they were (turning thinned them and cost
    accuracy); letters keep a slant of a few degrees, which OCR reads as it reads italics.
    The pipeline reads the page so, and the review app shows it so, for word boxes to land."""
    height, width = pixels.shape
    shifts = np.rint((np.arange(width) - width / 2) * np.tan(np.radians(angle))).astype(np.intp)
    margin = int(np.abs(shifts).max())
    levelled = np.full((height + 2 * margin, width), 255, np.uint8)
    edges = [0, *(np.flatnonzero(np.diff(shifts)) + 1), width]  # bands of columns moved alike
    for left, right in itertools.pairwise(edges):
        top = margin + shifts[left]
        levelled[top : top + height, left:right] = pixels[:, left:right]
    return levelled
