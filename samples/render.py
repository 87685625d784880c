"""Draw PageSpecs as images (for fax output) or as a born-digital PDF with a text layer."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from samples.layout import PAGE_HEIGHT, PAGE_WIDTH, PageSpec, Rect, Text, font_path


@cache
def pil_font(name: str, pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), size=pixels)


def raster(page: PageSpec, dpi: float) -> Image.Image:
    """A greyscale image of the page at `dpi` (square pixels)."""
    scale = dpi / 72.0
    image = Image.new("L", (round(PAGE_WIDTH * scale), round(PAGE_HEIGHT * scale)), 255)
    draw = ImageDraw.Draw(image)
    for op in page.ops:
        if isinstance(op, Text):
            font = pil_font(op.font, max(6, round(op.size * scale)))
            draw.text((op.x * scale, op.y * scale), op.text, fill=0, font=font)
        elif isinstance(op, Rect):
            box = [op.x0 * scale, op.y0 * scale, op.x1 * scale, op.y1 * scale]
            draw.rectangle(box, fill=0 if op.fill else None, outline=0, width=max(1, round(scale)))
    return image


def born_digital_pdf(pages: list[PageSpec], target: Path | BinaryIO) -> None:
    """A PDF whose text is real text, as an EHR or a gateway's email-to-fax would send."""
    pdf = canvas.Canvas(
        str(target) if isinstance(target, Path) else target, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1
    )
    for page in pages:
        for op in page.ops:
            if isinstance(op, Text):
                pdf.setFont(_registered(op.font), op.size)
                pdf.drawString(op.x, PAGE_HEIGHT - op.y - op.size * 0.8, op.text)
            elif isinstance(op, Rect):
                pdf.rect(op.x0, PAGE_HEIGHT - op.y1, op.x1 - op.x0, op.y1 - op.y0, fill=1 if op.fill else 0)
        pdf.showPage()
    pdf.save()


@cache
def _registered(font: str) -> str:
    name = Path(font).stem
    pdfmetrics.registerFont(TTFont(name, str(font_path(font))))
    return name
