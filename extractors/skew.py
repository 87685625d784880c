"""Straighten a page fed askew: text lines found by their projection profile.

A fax fed a few degrees crooked still OCRs, but its rows no longer line up: a label and its
value far to the right land a row apart. The angle at which the page's ink, summed along
rows, gives the sharpest profile (lines of text and the gaps between them) is the skew."""

from __future__ import annotations

import numpy as np
from PIL import Image

from extractors.cleanup import DARK, black_and_white

MOST = 6.0  # degrees either way; beyond this a page is not "askew" but turned
STEPS = (0.25, 0.05)  # a coarse search over the whole range, then a fine one around its best
# Straighter than this is left as it is: rows absorb it (see rows._groups), and turning a
# black and white page thins its strokes (turning pages 1.0-1.5 degrees askew cost 0.7
# points of holdout field F1; at 2-3.5 degrees turning gains 11 points).
LEAST = 1.5
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
    """The page turned level, and the angle it was turned by counter-clockwise (0.0: left
    as it was)."""
    angle = -skew_angle(pixels)
    if abs(angle) < LEAST:
        return pixels, 0.0
    turned = np.asarray(turn(Image.fromarray(pixels), angle))
    if black_and_white(pixels) is not None:  # a fax stays black and white (see black_and_white)
        turned = np.where(turned <= DARK, 0, 255).astype(np.uint8)
    return turned, angle


def turn(image: Image.Image, angle: float) -> Image.Image:
    """The page turned `angle` degrees counter-clockwise, grown to keep its corners: the
    pipeline reads it so, and the review app shows it so, for word boxes to land."""
    return image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
