"""Rows rebuilt from word boxes: level words join, an askew row stays whole, and filing rows
by band finds the same rows as looking at every row."""

import random
from statistics import median

import pytest

from core.data import PageText, Word
from extractors.rows import _groups, _mid, page_rows


def word(text: str, left: int, top: int, width: int = 40, height: int = 12) -> Word:
    return Word(text, left, top, width, height, 95.0, 0)


def every_row_groups(words: list[Word], height: float) -> list[list[Word]]:
    """The grouping as first written: each word looks at every row so far."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.left):
        centre = _mid(w)
        level = [
            r for r in rows if r[-1].right <= w.left + height and abs(_mid(r[-1]) - centre) < height * 0.55
        ]
        if level:
            min(level, key=lambda r: abs(_mid(r[-1]) - centre)).append(w)
        else:
            rows.append([w])
    return sorted(rows, key=lambda r: median(_mid(x) for x in r))


def test_a_label_and_its_far_value_share_a_row_with_a_tab_between():
    page = PageText(
        1, [word("Name:", 50, 100), word("Jane", 600, 101), word("DOB", 50, 130)], "ocr", 90, 850, 1100
    )
    assert [row.text for row in page_rows(page)] == ["Name:\tJane", "DOB"]


def test_an_askew_line_stays_one_row():
    words = [word(f"w{i}", 50 + 45 * i, 100 + i * 2) for i in range(15)]  # drifts 28 px: over two heights
    assert len(page_rows(PageText(1, words, "ocr", 90, 850, 1100))) == 1


@pytest.mark.parametrize("seed", range(30))
def test_rows_filed_by_band_are_the_rows_found_by_looking_at_every_row(seed):
    rng = random.Random(seed)
    skew = rng.uniform(-0.03, 0.03)
    words = []
    for i in range(rng.randint(0, 300)):
        left, top = rng.uniform(0, 1600), rng.uniform(0, 2000)
        words.append(
            word(
                f"w{i}", round(left), round(top + left * skew), rng.randint(5, 120), rng.choice([10, 12, 20])
            )
        )
    height = rng.choice([12.0, 7.5, 0.0])
    assert _groups(list(words), height) == every_row_groups(list(words), height)
