"""Visual rows of words rebuilt from their boxes, and the text spans that map back to words.

Tesseract splits a form into blocks, so a label and its value far to the right can land in
different "lines". Grouping by vertical position puts them back on one row."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from statistics import median

from core.data import PageText, Word


@dataclass(frozen=True)
class Row:
    words: list[Word]
    text: str
    starts: list[int]  # character offset of each word in text

    def words_in(self, start: int, end: int) -> list[Word]:
        return [
            w for w, s in zip(self.words, self.starts, strict=True) if s < end and s + len(w.text) > start
        ]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)


def page_rows(page: PageText) -> list[Row]:
    """Rows top to bottom; a wide gap inside a row becomes a tab, so cells stay apart."""
    return list(_rows(tuple(page.words)))


@lru_cache(maxsize=64)
def _rows(words: tuple[Word, ...]) -> tuple[Row, ...]:
    """Cached by the words themselves: classifying, splitting and extracting each ask for a
    page's rows, and building them is the costly part of reading a text-layer page."""
    if not words:
        return ()
    height = median(w.height for w in words)
    return tuple(_row(group, height) for group in _groups(list(words), height))


def with_row_lines(words: list[Word]) -> list[Word]:
    """The words with `line` set to their visual row, whatever the OCR engine grouped."""
    if not words:
        return []
    height = median(w.height for w in words)
    return [replace(w, line=i) for i, group in enumerate(_groups(words, height)) for w in group]


def _groups(words: list[Word], height: float) -> list[list[Word]]:
    """Chain each word to the row whose last word sits level with it, left to right.

    Following the chain lets a row drift, so a page fed a degree askew still yields whole
    rows rather than a label on one row and its value on the next. Rows are filed by the
    band of height their last word sits in, so each word looks at three bands of rows, not
    at every row of the page; the nearest wins, the earlier row on a tie."""
    band = height or 1.0
    rows: list[list[Word]] = []
    by_band: dict[int, list[int]] = defaultdict(list)
    for word in sorted(words, key=lambda w: w.left):
        centre = _mid(word)
        here = int(centre // band)
        level = [
            i
            for b in (here - 1, here, here + 1)
            for i in by_band.get(b, ())
            if rows[i][-1].right <= word.left + height and abs(_mid(rows[i][-1]) - centre) < height * 0.55
        ]
        if level:
            nearest = min(level, key=lambda i: (abs(_mid(rows[i][-1]) - centre), i))
            by_band[int(_mid(rows[nearest][-1]) // band)].remove(nearest)
            rows[nearest].append(word)
        else:
            nearest = len(rows)
            rows.append([word])
        by_band[here].append(nearest)
    return sorted(rows, key=lambda r: median(_mid(w) for w in r))


def _mid(word: Word) -> float:
    return word.top + word.height / 2


def _row(words: list[Word], height: float) -> Row:
    text, starts = "", []
    for i, word in enumerate(words):
        if i:
            gap = word.left - words[i - 1].right
            text += "\t" if gap > height * 2.2 else " "
        starts.append(len(text))
        text += word.text
    return Row(words, text, starts)
