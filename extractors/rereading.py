"""Read again, as one line, a number that sparse-text OCR broke up.

Tesseract's sparse-text mode, which finds the scattered words of forms, now and then cuts
a phone number into pieces and reads the middle piece as letters: "312- cre -0142" for
312-555-0142. Read as a single line, the same pixels come out right. Only rows holding
such a broken number are read again, so a page pays nothing when none is found."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from core.data import Word

_DIGITS = re.compile(r"\d")
_NUMBER_TEXT = re.compile(r"[\d()\-.+ ]+")
MAX_GAP_WORDS = 3  # the letter pieces between a broken number's digit pieces

ReadLine = Callable[[np.ndarray], tuple[str, float]]


def reread_broken_numbers(pixels: np.ndarray, words: list[Word], read_line: ReadLine) -> list[Word]:
    """`words` (with rows as their `line`) where each broken number is replaced by one word
    read again from its box, if the new reading is all number and has more digits."""
    out: list[Word] = []
    for row in _rows(words):
        out += _mend_row(pixels, row, read_line)
    return out


def _rows(words: list[Word]) -> list[list[Word]]:
    rows: dict[int, list[Word]] = {}
    for word in words:
        rows.setdefault(word.line, []).append(word)
    return [sorted(row, key=lambda w: w.left) for row in rows.values()]


def _mend_row(pixels: np.ndarray, row: list[Word], read_line: ReadLine) -> list[Word]:
    out, i = [], 0
    while i < len(row):
        end = _broken_number_end(row, i)
        mended = _reread(pixels, row[i : end + 1], read_line) if end else None
        if mended and end:
            out.append(mended)
            i = end + 1
        else:
            out.append(row[i])
            i += 1
    return out


def _broken_number_end(row: list[Word], start: int) -> int | None:
    """The index of the digit piece that closes a broken number opened at `start`: an area
    code or prefix left open ("312-", "(412)"), one to three short pieces without digits,
    then digits again."""
    opening = row[start].text
    if _digit_count(opening) < 3 or not opening.endswith(("-", ")")):
        return None
    for end in range(start + 2, min(len(row), start + MAX_GAP_WORDS + 2)):
        if _digit_count(row[end].text) >= 2:
            gap = row[start + 1 : end]
            pieces_without_digits = all(not _DIGITS.search(w.text) and len(w.text) <= 4 for w in gap)
            return end if pieces_without_digits else None
    return None


def _reread(pixels: np.ndarray, pieces: list[Word], read_line: ReadLine) -> Word | None:
    left, top = min(w.left for w in pieces), min(w.top for w in pieces)
    right, bottom = max(w.right for w in pieces), max(w.bottom for w in pieces)
    pad = round(0.4 * (bottom - top))
    crop = pixels[
        max(0, round(top) - pad) : round(bottom) + pad, max(0, round(left) - pad) : round(right) + pad
    ]
    text, confidence = read_line(np.ascontiguousarray(crop))
    text = text.strip()
    before = sum(_digit_count(w.text) for w in pieces)
    if not _NUMBER_TEXT.fullmatch(text) or _digit_count(text) <= before:
        return None
    return Word(text, left, top, right - left, bottom - top, confidence, pieces[0].line)


def _digit_count(text: str) -> int:
    return len(_DIGITS.findall(text))
