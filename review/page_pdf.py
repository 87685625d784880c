"""A PDF of some pages of an original fax (PDF or TIFF): what an export attaches per document."""

from __future__ import annotations

import io

import img2pdf
from PIL import Image
from pypdf import PdfReader, PdfWriter


def pages_as_pdf(original: bytes, pages: list[int]) -> bytes:
    """The given 1-based pages of the original, as one PDF."""
    if original.startswith(b"%PDF"):
        reader, writer = PdfReader(io.BytesIO(original)), PdfWriter()
        for number in pages:
            writer.add_page(reader.pages[number - 1])
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    with Image.open(io.BytesIO(original)) as image:
        frames = []
        for number in pages:
            image.seek(number - 1)
            frame = io.BytesIO()
            image.convert("L" if image.mode not in ("1", "L") else image.mode).save(frame, format="PNG")
            frames.append(frame.getvalue())
    return img2pdf.convert(frames)
