"""Page words as stored: a page read before OCR levelled pages has no skew and reads as level."""

from core.data import PageText, Word


def test_a_page_stored_before_levelling_reads_as_level():
    page = PageText(1, [Word("DOB", 10, 20, 30, 12, 91.0, 0)], "ocr", 91.0, 1700, 2200, skew=2.4)
    stored = page.to_json()
    assert PageText.from_json(stored) == page
    older = {key: value for key, value in stored.items() if key != "skew"}
    assert PageText.from_json(older).skew == 0.0
