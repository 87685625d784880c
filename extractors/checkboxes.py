"""Read tick boxes off the image: OCR turns a ticked box into "(2", "&" or nothing at all.

For each option word that forms print beside a box (Routine / Urgent / STAT, Male /
Female...), look for a mark just left of the word, or just right of it where the form puts
its boxes after the labels; if there is one, add a word "☒" (ticked) or "☐" (empty) before
the option, so the text carries what the image shows.

A mark is a square box (four straight sides), a round one (a ring), or a solid square or
disc; it is ticked when ink fills its middle (an X, a check, a dot, or all of it). Letters
are none of these: they lack a box's four sides, a ring's empty middle or a blob's fill."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

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
REACH = 3.0  # word heights either side of an option word that its mark may sit in
SMALLEST, LARGEST = 0.75, 1.8  # a mark's side, in word heights
EIGHT_NEIGHBOURS = np.ones((3, 3), bool)
_TICK_TEXT = re.compile(r"[☒■✓✔]|[\[(]*[xX✓✔]{1,2}[\])]*")
_EMPTY_TEXT = re.compile(r"[☐□]|\[\s*\]|\(\s*\)")


class Side(Enum):
    LEFT = -1
    RIGHT = 1


@dataclass(frozen=True)
class Box:
    top: int
    left: int
    bottom: int  # exclusive
    right: int  # exclusive


def mark_checkboxes(pixels: np.ndarray, words: list[Word]) -> list[Word]:
    """`words` with a ☒/☐ word before each option word that has a mark beside it on the
    greyscale page `pixels`, in place of what OCR made of the mark ("&", "(2", "©"...)."""
    marks = _marks_of_options(pixels, [word for word in words if _is_option(word)])
    out: list[Word] = []
    for word in words:
        mark = marks.get(id(word))
        if mark is not None:
            out += [mark, _after(word, mark)]
        elif not any(_covers(m, word) for m in marks.values()):
            out.append(word)
    return out


def _after(word: Word, mark: Word) -> Word:
    """The option word begun where its mark ends, if OCR took the mark into the word
    ("[Routine"), so that the two sit side by side on their row."""
    if not _overlap(word, mark) or mark.right >= word.right:
        return word
    return replace(word, left=mark.right, width=word.right - mark.right)


def _marks_of_options(pixels: np.ndarray, options: list[Word]) -> dict[int, Word]:
    """Each option's mark, by the option's id: a mark between two options ("☐ Routine ☐
    Urgent", or "Routine ☐ Urgent ☐") belongs to the nearer one."""
    found = [
        (_gap(mark, word), mark, word)
        for word in options
        for side in Side
        if (mark := _mark_beside(pixels, word, side)) is not None
    ]
    marks: dict[int, Word] = {}
    for _, mark, word in sorted(found, key=lambda item: item[0]):
        if id(word) not in marks and not any(_overlap(mark, taken) for taken in marks.values()):
            marks[id(word)] = mark
    return marks


def _is_option(word: Word) -> bool:
    return word.text.strip(".,:;'’()[]").lower() in OPTION_WORDS


def _gap(mark: Word, word: Word) -> float:
    return max(0.0, word.left - mark.right, mark.left - word.right)


def _overlap(a: Word, b: Word) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def _covers(mark: Word, word: Word) -> bool:
    """Most of `word` lies on `mark`: OCR's reading of the mark itself."""
    wide = min(mark.right, word.right) - max(mark.left, word.left)
    tall = min(mark.bottom, word.bottom) - max(mark.top, word.top)
    return wide > 0 and tall > 0 and wide * tall > 0.5 * word.width * word.height


def is_tick(token: str) -> bool:
    """A tick typed or read as text: ☒, X, [X], (x), ✓..."""
    return bool(_TICK_TEXT.fullmatch(token))


def holds_boxes(text: str) -> bool:
    """Whether a stretch of text holds tick boxes, ticked or empty, marked or typed."""
    return any(is_tick(token) or _EMPTY_TEXT.fullmatch(token) for token in text.split())


def _mark_beside(pixels: np.ndarray, word: Word, side: Side) -> Word | None:
    height = word.height
    top = int(max(0, word.top - 0.5 * height))
    bottom = int(min(pixels.shape[0], word.bottom + 0.5 * height))
    if side is Side.LEFT:  # and into the word's own box, where OCR took a solid box for a letter
        left, right = int(max(0, word.left - REACH * height)), int(min(word.right, word.left + height))
    else:
        left, right = int(word.right + 1), int(min(pixels.shape[1], word.right + REACH * height))
    ink = pixels[top:bottom, left:right] < 128
    if ink.size == 0:
        return None
    box = _nearest_mark(ink, height, side)
    if box is None:
        return None
    text = TICKED if _is_filled(ink, box) else EMPTY
    return Word(
        text,
        float(left + box.left),
        float(top + box.top),
        float(box.right - box.left),
        float(box.bottom - box.top),
        90.0,
        word.line,
    )


def _nearest_mark(ink: np.ndarray, height: float, side: Side) -> Box | None:
    """The box of the shape nearest the word that is a mark (see the module's docstring)."""
    from scipy import ndimage  # imported on first use: it costs a command 0.4 s to start

    labels, _ = ndimage.label(ink, structure=EIGHT_NEIGHBOURS)
    found = []
    for number, where in enumerate(ndimage.find_objects(labels), start=1):
        box = Box(where[0].start, where[1].start, where[0].stop, where[1].stop)
        tall, wide = box.bottom - box.top, box.right - box.left
        if not SMALLEST * height <= min(tall, wide) <= max(tall, wide) <= LARGEST * height:
            continue
        if not 0.7 <= wide / tall <= 1.4:
            continue
        shape = labels[where] == number
        if _is_box(shape) or _is_ring(shape) or _is_blob(shape):
            found.append(box)
    if not found:
        return None
    return max(found, key=lambda b: b.right) if side is Side.LEFT else min(found, key=lambda b: b.left)


def _is_box(shape: np.ndarray) -> bool:
    """Four straight sides: the outermost rows and columns are mostly ink."""
    edge = 3
    rows, columns = shape.mean(axis=1), shape.mean(axis=0)
    return bool(
        rows[:edge].max() > 0.7
        and rows[-edge:].max() > 0.7
        and columns[:edge].max() > 0.7
        and columns[-edge:].max() > 0.7
    )


def _is_ring(shape: np.ndarray) -> bool:
    """A closed outline with nothing of its own in the middle: a round box, or a square one
    whose sides are drawn thin or broken."""
    middle = _middle(shape)
    return bool(middle.size and middle.mean() < 0.05 and shape.mean() > 0.15 and _is_closed(shape))


def _is_closed(shape: np.ndarray) -> bool:
    """Filling the shape's holes adds its middle: the outline goes all the way round."""
    from scipy import ndimage

    return bool(_middle(ndimage.binary_fill_holes(shape)).mean() > 0.9)


def _is_blob(shape: np.ndarray) -> bool:
    """A solid square or disc (a disc fills pi/4 of its box)."""
    return bool(shape.mean() > 0.7)


def _is_filled(ink: np.ndarray, box: Box) -> bool:
    """Ink of any shape (an X, a check, a dot) in the middle of the mark."""
    middle = _middle(ink[box.top : box.bottom, box.left : box.right])
    return bool(middle.size and middle.mean() > 0.15)


def _middle(area: np.ndarray) -> np.ndarray:
    tall, wide = area.shape
    return area[tall // 4 : tall - tall // 4, wide // 4 : wide - wide // 4]
