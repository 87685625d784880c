"""Page images at square pixels, ready for OCR."""

from __future__ import annotations

import re
import warnings
from io import BytesIO
from pathlib import Path

from pdf2image import convert_from_path
from pdf2image.exceptions import PDFPageCountError, PDFSyntaxError
from PIL import Image, ImageSequence, ImageStat
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from extractors.loading import POINTS_PER_INCH, OpenedFax, UnreadableInput

_G4 = "/CCITTFaxDecode"
NEAR_SQUARE = 0.1  # pixels this close to square (fine-mode fax, 204x196 dpi) OCR as square ones
# The whole content of a page that is one upright picture: "q <w> 0 0 <h> <x> <y> cm /Im0 Do Q"
_NUMBER = rb"(-?[\d.]+)"
_ONE_PICTURE = re.compile(
    rb"^\s*q\s+"
    + rb"\s+".join([_NUMBER, rb"0", rb"0", _NUMBER, _NUMBER, _NUMBER])
    + rb"\s+cm\s+/[^\s/]+\s+Do\s+Q\s*$"
)


def page_image(fax: OpenedFax, number: int) -> Image.Image:
    """Page `number` (1-based) as a greyscale image with square pixels."""
    if fax.format == "pdf":
        return _render_pdf_page(fax, number)
    return _image_frame(fax, number)


def _render_pdf_page(fax: OpenedFax, number: int) -> Image.Image:
    dpi = fax.raster_dpi[number - 1]
    image = _scanned_page(fax.path, number, dpi)
    if image is None:
        image = _rendered(fax.path, number, dpi)
    image.info["dpi"] = (dpi, dpi)
    return image


def _scanned_page(path: Path, number: int, dpi: int) -> Image.Image | None:
    """A page that is nothing but one upright picture (how fax servers write PDFs), decoded
    straight from the file and laid on the page as the renderer would draw it: several times
    faster than rendering. None when the page holds anything else, or when the picture is
    much larger than the page at `dpi` (decoding it whole would be a decompression bomb)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            page = PdfReader(path, strict=False).pages[number - 1]
            placed = _placement(page, dpi)
            if placed is None:
                return None
            picture = _decoded(_picture_of(page)).convert("L")
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, NotImplementedError, OSError):
        return None  # the renderer decides, and says what is wrong
    if ImageStat.Stat(picture.reduce(8)).mean[0] < 128:
        return None  # mostly dark: likely stored inverted (/Decode); poppler draws it right
    page_size, box = placed
    scale = (picture.width / (box[2] - box[0]), picture.height / (box[3] - box[1]))
    if all(abs(factor - 1) <= NEAR_SQUARE for factor in scale):
        # The picture's own pixels on a page of their scale: resampling would cost ~5% of
        # the page's time and blur a black and white fax into greys.
        page_size = (round(page_size[0] * scale[0]), round(page_size[1] * scale[1]))
        corner = (round(box[0] * scale[0]), round(box[1] * scale[1]))
    else:
        picture = picture.resize((box[2] - box[0], box[3] - box[1]), Image.Resampling.BOX)
        corner = (box[0], box[1])
    canvas = Image.new("L", page_size, 255)
    canvas.paste(picture, corner)
    return canvas


def _placement(page, dpi: int) -> tuple[tuple[int, int], tuple[int, int, int, int]] | None:
    """The page's size and the picture's box on it, in pixels at `dpi`, if the page only
    draws one picture, upright and inside the page."""
    drawn = _ONE_PICTURE.match(page.get_contents().get_data() or b"")
    pictures = list((page.get("/Resources") or {}).get("/XObject") or {})
    media = page.mediabox
    if (
        page.rotation % 360
        or not drawn
        or len(pictures) != 1
        or (float(media.left), float(media.bottom)) != (0, 0)
    ):
        return None
    scale = dpi / POINTS_PER_INCH
    width, height = float(media.width), float(media.height)
    w, h, x, y = (float(v) for v in drawn.groups())
    if w <= 0 or h <= 0 or x < -1 or y < -1 or x + w > width + 1 or y + h > height + 1:
        return None
    xobject = _picture_of(page)
    if int(xobject.get("/Width", 0)) * int(xobject.get("/Height", 0)) > 4 * (w * scale) * (h * scale):
        return None
    left, top = max(0, round(x * scale)), max(0, round((height - y - h) * scale))
    box = (left, top, left + max(1, round(w * scale)), top + max(1, round(h * scale)))
    return (round(width * scale), round(height * scale)), box


def _picture_of(page):
    """The page's one picture (its only XObject)."""
    return next(iter(page["/Resources"]["/XObject"].values())).get_object()


def _decoded(picture) -> Image.Image:
    """A picture's pixels. A plain G4 fax picture is opened straight from the TIFF pypdf
    wraps around its data; pypdf's general path also re-encodes every picture, which
    doubled the cost of a page."""
    plain = not any(key in picture for key in ("/Decode", "/SMask", "/Mask", "/ImageMask"))
    if plain and picture.get("/Filter") in (_G4, [_G4]):
        return Image.open(BytesIO(picture.get_data()))
    return picture.decode_as_image()


def _rendered(path: Path, number: int, dpi: int) -> Image.Image:
    try:
        images = convert_from_path(path, dpi=dpi, first_page=number, last_page=number, grayscale=True)
    except (PDFPageCountError, PDFSyntaxError) as exc:
        raise UnreadableInput(f"page {number} could not be rendered") from exc
    if not images:
        raise UnreadableInput(f"page {number} could not be rendered")
    return images[0]


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
    page looks squashed to OCR until its height is doubled. Fine mode's 204x196 is left as
    it is (within NEAR_SQUARE).
    """
    xdpi, ydpi = (float(v) for v in image.info.get("dpi", (0, 0)))
    grey = image.convert("L")
    if xdpi > 0 and ydpi > 0 and abs(xdpi - ydpi) / xdpi > NEAR_SQUARE:
        height = round(grey.height * xdpi / ydpi)
        grey = grey.resize((grey.width, height), Image.Resampling.BILINEAR)
    grey.info["dpi"] = (xdpi or 200, xdpi or 200)
    return grey
