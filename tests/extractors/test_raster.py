"""Page images: a PDF page that is one scanned picture is decoded directly (and comes out as
the renderer would draw it); anything else is rendered by poppler."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from extractors.loading import open_fax
from extractors.raster import _rendered, _scanned_page, page_image


def scan(width: int = 1700, height: int = 2200, ink: int = 0, paper: int = 255) -> Image.Image:
    image = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(image)
    for row in range(200, height - 200, 60):
        draw.rectangle((150, row, 150 + (row * 7) % 1200, row + 18), fill=ink)
    return image.convert("1")


def pdf_of(image: Image.Image, path: Path, resolution: float = 200.0) -> Path:
    image.save(path, "PDF", resolution=resolution)
    return path


@pytest.mark.parametrize("mode", ["1", "L"])  # Pillow stores them as G4 and as JPEG
def test_a_scanned_page_is_decoded_directly_and_matches_the_render(tmp_path, settings, mode):
    fax = open_fax(pdf_of(scan().convert(mode), tmp_path / "fax.pdf"), settings)
    dpi = fax.raster_dpi[0]
    direct, rendered = _scanned_page(fax.path, 1, dpi), _rendered(fax.path, 1, dpi)
    assert direct is not None and direct.size == rendered.size
    assert np.abs(np.asarray(direct, dtype=int) - np.asarray(rendered, dtype=int)).mean() < 3
    assert page_image(fax, 1).info["dpi"] == (dpi, dpi)


def test_a_fine_mode_fax_page_keeps_its_own_pixels(tmp_path, settings):
    picture = scan(1728, 2200)  # 204 x 196 dpi: pixels 4% from square
    picture.save(tmp_path / "fine.pdf", "PDF", dpi=(204, 196))
    fax = open_fax(tmp_path / "fine.pdf", settings)
    image = page_image(fax, 1)
    assert image.size == picture.size  # not resampled to square pixels
    assert np.array_equal(np.asarray(image), np.asarray(picture.convert("L")))


def test_a_page_stored_inverted_is_left_to_the_renderer(tmp_path, settings):
    path = pdf_of(scan(ink=255, paper=0), tmp_path / "dark.pdf")
    assert _scanned_page(path, 1, 200) is None


def test_a_picture_far_larger_than_its_page_is_not_decoded_whole(tmp_path, settings):
    path = pdf_of(scan(), tmp_path / "bomb.pdf", resolution=2000.0)  # a 0.85 x 1.1 inch page
    assert _scanned_page(path, 1, 100) is None  # the DPI loading settles on for such a page


@pytest.mark.parametrize("kind", ["text", "two pictures"])
def test_pages_with_more_than_one_picture_are_rendered(tmp_path, kind):
    from reportlab.pdfgen import canvas

    path = tmp_path / "mixed.pdf"
    page = canvas.Canvas(str(path), pagesize=(612, 792))
    picture = tmp_path / "p.png"
    scan(400, 400).save(picture)
    page.drawImage(str(picture), 0, 0, 612, 792)
    if kind == "text":
        page.drawString(72, 72, "Patient name: a text layer over the scan")
    else:
        page.drawImage(str(picture), 10, 10, 100, 100)
    page.save()
    assert _scanned_page(path, 1, 200) is None


def test_only_pages_with_fonts_are_sent_to_pdftotext(tmp_path, settings):
    from reportlab.pdfgen import canvas

    scanned = open_fax(pdf_of(scan(), tmp_path / "scan.pdf"), settings)
    assert not scanned.text_layer_possible(1)
    path = tmp_path / "typed.pdf"
    page = canvas.Canvas(str(path))
    page.drawString(72, 72, "Referral for cardiology")
    page.save()
    assert open_fax(path, settings).text_layer_possible(1)
