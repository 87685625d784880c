"""Bad input: every case gets UnreadableInput with a reason, never another exception."""

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from extractors.loading import UnreadableInput, open_fax, sniff_format
from extractors.raster import square_pixels


def _pdf(tmp_path: Path, name="a.pdf", password=None, width=612, height=792) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=width, height=height)
    if password:
        writer.encrypt(password)
    path = tmp_path / name
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def test_a_good_pdf_opens(tmp_path, settings):
    fax = open_fax(_pdf(tmp_path), settings)
    assert (fax.format, fax.page_count) == ("pdf", 1)


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "empty file"),
        (b"hello, this is not a fax at all", "not a PDF, TIFF, PNG or JPEG"),
        (b"<html><body>%PDF in a web page</body></html>" + b" " * 2000, "not a PDF"),
    ],
)
def test_not_a_fax(tmp_path, settings, content, reason):
    path = tmp_path / "fake.pdf"
    path.write_bytes(content)
    with pytest.raises(UnreadableInput, match=reason):
        open_fax(path, settings)


def test_truncated_pdf(tmp_path, settings):
    good = _pdf(tmp_path).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(UnreadableInput, match="truncated"):
        open_fax(path, settings)


def test_encrypted_pdf(tmp_path, settings):
    with pytest.raises(UnreadableInput, match="encrypted"):
        open_fax(_pdf(tmp_path, password="secret"), settings)


def test_huge_pdf_page(tmp_path, settings):
    with pytest.raises(UnreadableInput, match="too large"):
        open_fax(_pdf(tmp_path, width=14400, height=14400), settings)


def test_image_decompression_bomb(tmp_path, settings):
    path = tmp_path / "bomb.tif"
    Image.new("1", (30000, 30000), 1).save(path, compression="group4")
    assert path.stat().st_size < 200_000
    with pytest.raises(UnreadableInput, match="too large"):
        open_fax(path, settings)


def test_truncated_tiff(tmp_path, settings):
    buffer = BytesIO()
    Image.effect_noise((800, 800), 80).convert("1").save(buffer, format="TIFF", compression="group4")
    path = tmp_path / "cut.tif"
    path.write_bytes(buffer.getvalue()[:3000])
    with pytest.raises(UnreadableInput):
        open_fax(path, settings)


def test_wrong_extension_is_read_by_content(tmp_path, settings):
    path = tmp_path / "actually-a-png.pdf"
    Image.new("L", (100, 100), 255).save(path, format="PNG")
    assert open_fax(path, settings).format == "png"


def test_sniff_known_signatures():
    assert sniff_format(b"%PDF-1.7") == "pdf"
    assert sniff_format(b"II*\x00....") == "tiff"
    assert sniff_format(b"\xff\xd8\xff\xe0") == "jpeg"


def test_standard_resolution_pages_are_stretched_to_square_pixels():
    page = Image.new("1", (1728, 1100), 1)
    page.info["dpi"] = (204, 98)
    fixed = square_pixels(page)
    assert fixed.size == (1728, 2290) and fixed.mode == "L"


def test_a_multi_page_tiff_cut_anywhere_is_unreadable_or_read(tmp_path, settings):
    """Decoders raise more than OSError on damaged files (PIL: TypeError "Missing dimensions"
    for a TIFF cut inside its second directory); every such error is a reason, never a crash."""
    pages = [Image.new("1", (1728, 2200), 1) for _ in range(3)]
    buffer = BytesIO()
    pages[0].save(buffer, format="TIFF", compression="group4", save_all=True, append_images=pages[1:])
    whole = buffer.getvalue()
    reasons = set()
    for cut in range(8, len(whole), 3):
        path = tmp_path / "cut.tif"
        path.write_bytes(whole[:cut])
        try:
            open_fax(path, settings)
        except UnreadableInput as exc:
            reasons.add(str(exc))
    assert "damaged TIFF image (TypeError)" in reasons
