"""A number sparse-text OCR broke up is read again as one line; nothing else is."""

import numpy as np
import pytest

from core.data import Word
from extractors.rereading import reread_broken_numbers

PAGE = np.full((200, 800), 255, np.uint8)


def row(*texts: str, line: int = 0) -> list[Word]:
    return [Word(text, 100.0 + 120 * i, 50.0, 100.0, 30.0, 90.0, line) for i, text in enumerate(texts)]


def reader(text: str):
    calls = []

    def read_line(pixels: np.ndarray) -> tuple[str, float]:
        calls.append(pixels.shape)
        return text, 88.0

    return read_line, calls


def test_a_broken_number_becomes_one_word_read_from_its_box():
    read_line, calls = reader("312-555-0142\n")
    words = row("Fax", "312-", "cre", "-0142", line=3)
    mended = reread_broken_numbers(PAGE, words, read_line)
    assert [w.text for w in mended] == ["Fax", "312-555-0142"]
    number = mended[1]
    assert (number.left, number.right, number.line, number.confidence) == (220.0, 560.0, 3, 88.0)
    assert len(calls) == 1 and calls[0][0] > 30  # the box with a margin around it


@pytest.mark.parametrize("reading", ["312 cre 0142", "312-0142", ""])
def test_a_rereading_that_is_not_a_fuller_number_changes_nothing(reading):
    read_line, _ = reader(reading)
    words = row("312-", "cre", "-0142")
    assert reread_broken_numbers(PAGE, words, read_line) == words


def test_rows_without_a_broken_number_are_not_read_again():
    read_line, calls = reader("0")
    words = row("Phone", "312-555-0142") + row("348", "Thomas", "Brook", "176", line=1)
    words += row("BP", "155/94,", "HR", "103,", line=2)  # digits, a short word, digits: no area code
    assert reread_broken_numbers(PAGE, words, read_line) == words and calls == []
