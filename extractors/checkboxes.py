"""Read tick boxes off the image: OCR turns a ticked box into "(2", "&" or nothing at all.

For each option word that forms print beside a box (Routine / Urgent / STAT, Male /
Female...), look at the square just left of the word; if a box is there, add a word "☒"
(ticked) or "☐" (empty) before it, so the text carries what the image shows."""

from __future__ import annotations

import numpy as np
from PIL import Image

from faxintake.model import Word

OPTION_WORDS = {"routine", "urgent", "stat", "asap", "emergent", "elective", "approved", "denied",
                "pending", "male", "female", "yes", "no"}
TICKED, EMPTY = "☒", "☐"


def mark_checkboxes(image: Image.Image, words: list[Word]) -> list[Word]:
    dark = np.asarray(image.convert("L")) < 128
    out: list[Word] = []
    for word in words:
        if word.text.strip(".,:;'’").lower() in OPTION_WORDS:
            mark = _box_left_of(dark, word)
            if mark:
                out.append(mark)
        out.append(word)
    return out


def _box_left_of(dark: np.ndarray, word: Word) -> Word | None:
    h = word.height
    x0, x1 = int(max(0, word.left - 2.4 * h)), int(max(0, word.left - 1))
    y0, y1 = int(max(0, word.top - 0.4 * h)), int(min(dark.shape[0], word.bottom + 0.4 * h))
    region = dark[y0:y1, x0:x1]
    if region.size == 0 or not region.any():
        return None
    rows, cols = np.where(region)
    top, bottom, left, right = rows.min(), rows.max(), cols.min(), cols.max()
    side_h, side_w = bottom - top + 1, right - left + 1
    if not (0.6 * h <= side_h <= 1.6 * h and 0.6 <= side_w / side_h <= 1.5):
        return None
    if not _has_border(region[top : bottom + 1, left : right + 1]):
        return None
    inner = region[top + side_h // 4 : bottom - side_h // 4 + 1, left + side_w // 4 : right - side_w // 4 + 1]
    ticked = inner.size and inner.mean() > 0.12
    mark = TICKED if ticked else EMPTY
    return Word(mark, float(x0 + left), float(y0 + top), float(side_w), float(side_h), 90.0, word.line)


def _has_border(box: np.ndarray) -> bool:
    """Mostly dark along all four edges: a drawn square, not a letter."""
    edges = [box[:2].any(axis=0), box[-2:].any(axis=0), box[:, :2].any(axis=1), box[:, -2:].any(axis=1)]
    return all(edge.mean() > 0.7 for edge in edges)
