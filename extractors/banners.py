"""White-on-black banners turned black-on-white before OCR.

Forms head their sections with light text on a dark bar ("PATIENT", "ORDERING CLINICIAN"),
and insurance cards print the payer's name so; tesseract reads light text on dark badly or
not at all, and the section a label sits in decides whose phone it is. A banner is a band of
rows, at least a text line tall, mostly dark across a good part of the page."""

from __future__ import annotations

import numpy as np

from extractors.cleanup import DARK

LEAST_WIDTH = 0.25  # of the page: narrower dark blocks (a logo, a filled box) are left alone
LEAST_HEIGHT = 12  # pixels: thinner dark bands are rules, which rule removal handles
ROW_DARK = 0.2  # a banner row is at least this dark across the page
COLUMN_DARK = 0.55  # a banner column is at least this dark down the band


def banners_turned(pixels: np.ndarray) -> np.ndarray:
    """The page with each banner's rectangle turned negative (its bar light, its text dark)."""
    dark = pixels < DARK
    bands = _bands(dark.mean(axis=1) > ROW_DARK)
    boxes = [box for top, bottom in bands if (box := _banner(dark, top, bottom))]
    if not boxes:
        return pixels
    turned = pixels.copy()
    for top, bottom, left, right in boxes:
        turned[top:bottom, left:right] = 255 - turned[top:bottom, left:right]
    return turned


def _bands(rows: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True rows at least LEAST_HEIGHT long, as (top, bottom) half-open ranges."""
    return [(top, bottom) for top, bottom in _runs(rows) if bottom - top >= LEAST_HEIGHT]


def _banner(dark: np.ndarray, top: int, bottom: int) -> tuple[int, int, int, int] | None:
    """The band's widest run of mostly dark columns, if it spans enough of the page."""
    runs = _bridged(_runs(dark[top:bottom].mean(axis=0) > COLUMN_DARK))
    if not runs:
        return None
    left, right = max(runs, key=lambda run: run[1] - run[0])
    if right - left < LEAST_WIDTH * dark.shape[1]:
        return None
    return top, bottom, left, right


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True values as half-open (start, end) ranges."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.view(np.int8), [0]))))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _bridged(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs joined across gaps narrower than a banner's letters (their white strokes)."""
    joined: list[tuple[int, int]] = []
    for start, end in runs:
        if joined and start - joined[-1][1] <= LEAST_HEIGHT:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined
