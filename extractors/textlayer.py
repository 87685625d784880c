"""Words from a PDF's own text layer (poppler's pdftotext), and whether they are worth using."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from core.data import PageText, Word

_COLUMNS = 12  # level page_num par_num block_num line_num word_num left top width height conf text
_PAGE, _LINE, _WORD = "1", "4", "5"
_REAL_WORD = re.compile(r"^[A-Za-z][A-Za-z'.-]+$|^[0-9][0-9/.,:-]*$")


def text_layer_pages(path: Path, only: int | None = None) -> dict[int, PageText]:
    """Text-layer words with boxes in PDF points, keyed by page number: every page's, or
    `only` that page's (a worker reading one page should not extract all of them)."""
    page_range = ["-f", str(only), "-l", str(only)] if only else []
    try:
        out = subprocess.run(
            ["pdftotext", "-tsv", "-q", *page_range, str(path), "-"],
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return {}
    return _pages_of_tsv(out.decode("utf-8", "replace"))


def _pages_of_tsv(tsv: str) -> dict[int, PageText]:
    """pdftotext's TSV: a row per page (level 1, its size), per line (4) and per word (5)."""
    pages: dict[int, PageText] = {}
    line = -1
    for row in tsv.split("\n")[1:]:  # not splitlines: a word may hold \x0c or \x1c
        cells = row.split("\t", _COLUMNS - 1)
        if len(cells) < _COLUMNS:
            continue
        try:
            level, number = cells[0], int(cells[1])
            left, top, width, height = (float(c) for c in cells[6:10])
        except ValueError:
            continue  # a row written badly is skipped, not the whole layer lost
        if level == _PAGE:
            pages[number] = PageText(number, [], "text_layer", None, width, height)
            line = -1
        elif level == _LINE:
            line += 1
        elif level == _WORD and number in pages:
            pages[number].words.append(Word(cells[11], left, top, width, height, 100.0, max(line, 0)))
    return pages


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
