"""Tick boxes read on every common layout: square boxes with an X or a check, solid boxes,
round radio buttons, boxes after their labels, and bracketed X's typed as text."""

import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.fields import extract_fields
from extractors.ocr import ocr_page
from extractors.tesseract import TesserocrEngine
from tests.helpers.pages import FAX_DPI, FONT

OPTIONS = ("Routine", "Urgent", "STAT")
SIZE = 30  # pixels: 10-point print at fax resolution
STYLES = ("x_in_box", "check_in_box", "solid_box", "radio", "box_after_label", "typed_brackets")


def _mark(draw: ImageDraw.ImageDraw, x: int, y: int, style: str, ticked: bool) -> None:
    side = SIZE - 4
    box = (x, y + 4, x + side, y + 4 + side)
    if style == "radio":
        draw.ellipse(box, outline=0, width=3)
        if ticked:
            draw.ellipse((x + 7, y + 11, x + side - 7, y + side - 3), fill=0)
        return
    draw.rectangle(box, outline=0, width=3, fill=0 if ticked and style == "solid_box" else None)
    if ticked and style in ("x_in_box", "box_after_label"):
        draw.line((x + 5, y + 9, x + side - 5, y + side - 1), fill=0, width=3)
        draw.line((x + 5, y + side - 1, x + side - 5, y + 9), fill=0, width=3)
    elif ticked and style == "check_in_box":
        draw.line((x + 5, y + 16, x + 11, y + side - 2), fill=0, width=3)
        draw.line((x + 11, y + side - 2, x + side - 4, y + 8), fill=0, width=3)


def urgency_line(style: str, ticked: str) -> Image.Image:
    page = Image.new("L", (1728, 300), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, SIZE)
    draw.text((100, 120), "Urgency:", fill=0, font=font)
    x = 320
    for option in OPTIONS:
        on = option == ticked
        if style == "typed_brackets":
            x += int(draw.textlength(f"[{'X' if on else ' '}] ", font=font))
            draw.text(
                (x - int(draw.textlength(f"[{'X' if on else ' '}] ", font=font)), 120),
                f"[{'X' if on else ' '}]",
                fill=0,
                font=font,
            )
        elif style != "box_after_label":
            _mark(draw, x, 120, style, on)
            x += SIZE + 12
        draw.text((x, 120), option, fill=0, font=font)
        x += int(draw.textlength(option, font=font)) + 14
        if style == "box_after_label":
            _mark(draw, x, 120, style, on)
            x += SIZE + 12
        x += 50
    page = page.point(lambda v: 0 if v < 128 else 255)
    page.info["dpi"] = FAX_DPI
    return page


@pytest.fixture(scope="module")
def engine() -> TesserocrEngine:
    return TesserocrEngine()


@pytest.mark.parametrize("ticked", ["STAT", "Routine"])
@pytest.mark.parametrize("style", STYLES)
def test_the_ticked_urgency_is_read(style, ticked, engine, today):
    page = ocr_page(urgency_line(style, ticked), 1, engine)
    assert extract_fields("referral", [page], today)["urgency"].value == ticked.lower()
