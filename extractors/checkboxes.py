"""Read tick boxes off the image: OCR turns a ticked box into "(2", "&" or nothing at all.

For each option word that forms print beside a box (Routine / Urgent / STAT, Male /
Female...), look at the square just left of the word; if a box is there, add a word "☒"
(ticked) or "☐" (empty) before it, so the text carries what the image shows."""

from __future__ import annotations

import numpy as np

from core.data import Word

OPTION_WORDS = {
    "routine",
    "urgent",
    "stat",
    "asap",
    "emergent",
    "elective",
    "approved",
    "denied",
    "pending",
    "male",
    "female",
    "yes",
    "no",
}
TICKED, EMPTY = "☒", "☐"


def mark_checkboxes(pixels: np.ndarray, words: list[Word]) -> list[Word]:
    """`words` with a ☒/☐ word before each option word that has a box beside it on the
    greyscale page `pixels`."""
    out: list[Word] = []
    for word in words:
        if word.text.strip(".,:;'’").lower() in OPTION_WORDS:
            mark = _box_left_of(pixels, word)
            if mark:
                out.append(mark)
        out.append(word)
    return out


def _box_left_of(pixels: np.ndarray, word: Word) -> Word | None:
    """A ☒/☐ word for the square just left of `word`, found by its dark edges."""
    h = word.height
    x0, x1 = int(max(0, word.left - 2.4 * h)), int(max(0, word.left - 1))
    y0, y1 = int(max(0, word.top - 0.5 * h)), int(min(pixels.shape[0], word.bottom + 0.5 * h))
    region = pixels[y0:y1, x0:x1] < 128
    if region.size == 0:
        return None
    sides = _edges(region.sum(axis=0), 0.5 * h, h)
    if sides is None:
        return None
    left, right = sides
    ends = _edges(region[:, left : right + 1].sum(axis=1), 0.6 * (right - left), h)
    if ends is None:
        return None
    top, bottom = ends
    pad_y, pad_x = (bottom - top) // 4, (right - left) // 4
    inner = region[top + pad_y : bottom - pad_y + 1, left + pad_x : right - pad_x + 1]
    mark = TICKED if inner.size and inner.mean() > 0.15 else EMPTY
    return Word(
        mark,
        float(x0 + left),
        float(y0 + top),
        float(right - left + 1),
        float(bottom - top + 1),
        90.0,
        word.line,
    )


def _edges(profile: np.ndarray, strong: float, h: float) -> tuple[int, int] | None:
    """First and last strong lines of the profile, if they are a box's width apart."""
    lines = np.flatnonzero(profile >= strong)
    if lines.size < 2:
        return None
    first, last = int(lines[0]), int(lines[-1])
    return (first, last) if 0.6 * h <= last - first + 1 <= 1.7 * h else None
