"""Page images at square pixels, ready for OCR."""

from __future__ import annotations

from pdf2image import convert_from_path
from pdf2image.exceptions import PDFPageCountError, PDFSyntaxError
from PIL import Image, ImageSequence

from extractors.loading import OpenedFax, UnreadableInput


def page_image(fax: OpenedFax, number: int) -> Image.Image:
    """Page `number` (1-based) as a greyscale image with square pixels."""
    if fax.format == "pdf":
        return _render_pdf_page(fax, number)
    return _image_frame(fax, number)


def _render_pdf_page(fax: OpenedFax, number: int) -> Image.Image:
    dpi = fax.raster_dpi[number - 1]
    try:
        images = convert_from_path(fax.path, dpi=dpi, first_page=number, last_page=number, grayscale=True)
    except (PDFPageCountError, PDFSyntaxError) as exc:
        raise UnreadableInput(f"page {number} could not be rendered") from exc
    if not images:
        raise UnreadableInput(f"page {number} could not be rendered")
    image = images[0]
    image.info["dpi"] = (dpi, dpi)
    return image


def _image_frame(fax: OpenedFax, number: int) -> Image.Image:
    try:
        with Image.open(fax.path) as image:
            frame = ImageSequence.Iterator(image)[number - 1]
            frame.load()
            return square_pixels(frame.copy())
    except (OSError, IndexError, ValueError) as exc:
        raise UnreadableInput(f"page {number} is damaged ({type(exc).__name__})") from exc


def square_pixels(image: Image.Image) -> Image.Image:
    """Resample a fax page whose horizontal and vertical resolutions differ.

    Standard-mode faxes are 204x98 dpi: each pixel is twice as tall as it is wide, so the
    page looks squashed to OCR until its height is doubled.
    """
    xdpi, ydpi = (float(v) for v in image.info.get("dpi", (0, 0)))
    grey = image.convert("L")
    if xdpi > 0 and ydpi > 0 and abs(xdpi - ydpi) / xdpi > 0.1:
        height = round(grey.height * xdpi / ydpi)
        grey = grey.resize((grey.width, height), Image.Resampling.BILINEAR)
    grey.info["dpi"] = (xdpi or 200, xdpi or 200)
    return grey
