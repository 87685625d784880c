"""Open an incoming fax file, whatever its name says, and refuse what cannot be read."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageSequence
from pypdf import PdfReader

from core.settings import Settings

POINTS_PER_INCH = 72.0


class UnreadableInput(Exception):
    """The file is not a fax we can read; the message is the one-line reason."""


@dataclass
class OpenedFax:
    path: Path
    format: str  # pdf | tiff | png | jpeg
    page_count: int
    raster_dpi: list[int] = field(default_factory=list)  # PDF only: DPI to rasterise each page
    may_have_text: list[bool] = field(default_factory=list)  # PDF only: page uses fonts

    @property
    def numbers(self) -> range:
        """The page numbers, from 1."""
        return range(1, self.page_count + 1)

    def text_layer_possible(self, number: int) -> bool:
        """Whether page `number` can hold a text layer (a page without fonts cannot, so
        there is no need to run pdftotext on it)."""
        return self.format == "pdf" and self.may_have_text[number - 1]


def sniff_format(head: bytes) -> str:
    """The real format from the first bytes, ignoring the file name."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    raise UnreadableInput("not a PDF, TIFF, PNG or JPEG file")


def open_fax(path: Path, settings: Settings) -> OpenedFax:
    """Check the file and count its pages; raise UnreadableInput with a reason."""
    size = path.stat().st_size
    if size == 0:
        raise UnreadableInput("empty file (zero bytes)")
    if size > settings.max_file_bytes:
        raise UnreadableInput(f"file too large ({size} bytes, limit {settings.max_file_bytes})")
    with path.open("rb") as fh:
        head = fh.read(1024)
    kind = sniff_format(head)
    opened = _open_pdf(path, settings) if kind == "pdf" else _open_image(path, kind, settings)
    if opened.page_count > settings.max_pages:
        raise UnreadableInput(f"too many pages ({opened.page_count}, limit {settings.max_pages})")
    return opened


def _open_pdf(path: Path, settings: Settings) -> OpenedFax:
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 2048))
        if b"%%EOF" not in fh.read():
            raise UnreadableInput("truncated PDF (no end-of-file marker)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(path, strict=False)
            if reader.is_encrypted:
                raise UnreadableInput("encrypted PDF (password protected)")
            pages = list(reader.pages)
            dpis = [_page_dpi(page, settings) for page in pages]
            texts = [_may_have_text(page) for page in pages]
    except UnreadableInput:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the parser raises, the file is damaged
        raise UnreadableInput(f"damaged PDF ({type(exc).__name__})") from exc
    if not pages:
        raise UnreadableInput("PDF has no pages")
    for number, (page, dpi) in enumerate(zip(pages, dpis, strict=True), start=1):
        width, height = _page_inches(page)
        if width * dpi * height * dpi > settings.max_page_pixels:
            raise UnreadableInput(f"page {number} too large ({width:.0f}x{height:.0f} in)")
    return OpenedFax(path, "pdf", len(pages), dpis, texts)


def _page_inches(page) -> tuple[float, float]:
    box = page.mediabox
    return float(box.width) / POINTS_PER_INCH, float(box.height) / POINTS_PER_INCH


def _may_have_text(page) -> bool:
    """Fonts on the page, or a form XObject that may carry its own."""
    resources = page.get("/Resources") or {}
    if resources.get("/Font"):
        return True
    xobjects = resources.get("/XObject") or {}
    return any(ref.get_object().get("/Subtype") == "/Form" for ref in xobjects.values())


def _page_dpi(page, settings: Settings) -> int:
    """The horizontal resolution of the page's largest image, so we render at native size."""
    width_in, _ = _page_inches(page)
    resources = page.get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    widths = []
    for ref in xobjects.values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Image":
            widths.append(int(xobject.get("/Width", 0)))
    if not widths or width_in <= 0:
        return settings.default_dpi
    dpi = round(max(widths) / width_in)
    return max(settings.min_dpi, min(settings.max_dpi, dpi))


def _open_image(path: Path, kind: str, settings: Settings) -> OpenedFax:
    try:
        with Image.open(path) as image:
            count = 0
            for frame in ImageSequence.Iterator(image):
                count += 1
                width, height = frame.size
                if width * height > settings.max_page_pixels:
                    raise UnreadableInput(f"page {count} too large ({width}x{height} pixels)")
                frame.load()  # a truncated image fails here rather than mid-pipeline
    except UnreadableInput:
        raise
    except Image.DecompressionBombError as exc:
        raise UnreadableInput("image too large (decompression bomb guard)") from exc
    except Exception as exc:  # noqa: BLE001 - whatever the decoder raises, the file is damaged
        raise UnreadableInput(f"damaged {kind.upper()} image ({type(exc).__name__})") from exc
    return OpenedFax(path, kind, count)
