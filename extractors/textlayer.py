"""Words from a PDF's own text layer (poppler's pdftotext), and whether they are worth using."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from faxintake.model import PageText, Word

_XHTML = "{http://www.w3.org/1999/xhtml}"
_REAL_WORD = re.compile(r"^[A-Za-z][A-Za-z'.-]+$|^[0-9][0-9/.,:-]*$")


def text_layer_pages(path: Path, only: int | None = None) -> dict[int, PageText]:
    """Text-layer words with boxes in PDF points, keyed by page number: every page's, or
    `only` that page's (a worker reading one page should not extract all of them)."""
    page_range = ["-f", str(only), "-l", str(only)] if only else []
    try:
        out = subprocess.run(
            ["pdftotext", "-bbox-layout", "-q", *page_range, str(path), "-"],
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
        root = ET.fromstring(out)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, ET.ParseError):
        return {}
    pages = {}
    for number, page in enumerate(root.iter(f"{_XHTML}page"), start=only or 1):
        words = []
        for line_index, line in enumerate(page.iter(f"{_XHTML}line")):
            for word in line.iter(f"{_XHTML}word"):
                words.append(_word(word, line_index))
        pages[number] = PageText(
            number=number,
            words=words,
            source="text_layer",
            ocr_confidence=None,
            width=float(page.get("width", 0)),
            height=float(page.get("height", 0)),
        )
    return pages


def _word(element: ET.Element, line: int) -> Word:
    x0, y0 = float(element.get("xMin")), float(element.get("yMin"))
    x1, y1 = float(element.get("xMax")), float(element.get("yMax"))
    return Word(element.text or "", x0, y0, x1 - x0, y1 - y0, 100.0, line)


def is_real_text(page: PageText, min_words: int) -> bool:
    """True when a text layer carries the page's content, not just a stamp or junk.

    A scanned fax often has a text layer holding only the gateway's header line, or
    glyphs with a broken encoding. We trust the layer only when it has enough words that
    look like words and most of its characters are plain printable text.
    """
    tokens = [w.text for w in page.words if w.text.strip()]
    if not tokens:
        return False
    real = sum(1 for t in tokens if _REAL_WORD.match(t.strip(",;:()")))
    chars = "".join(tokens)
    printable = sum(1 for c in chars if 32 <= ord(c) < 127)
    return real >= min_words and real / len(tokens) >= 0.6 and printable / len(chars) >= 0.9
