"""The text a page classifier sees: body words, plus the top rows marked as title words."""

from __future__ import annotations

import re
from dataclasses import replace

from core.data import PageText
from extractors.keyvalue import is_fax_header
from extractors.rows import page_rows

REAL_WORD_MIN_CONFIDENCE = 50
_TOKEN = re.compile(r"[a-z]{2,}")
_PAGE_MARK = re.compile(r"(?i)\bp(?:age|g)?\.?\s*(\d{1,3})\s*(?:/|of)\s*(\d{1,3})\b")


def content_rows(page: PageText) -> list[str]:
    """Row texts without the fax machine's header line."""
    return [r.text for r in page_rows(page) if not is_fax_header(r, page.height)]


def page_document(page: PageText) -> str:
    """Body tokens, then `t_`-prefixed tokens from the first rows (titles, letterheads)."""
    rows = content_rows(page)
    body = " ".join(_TOKEN.findall(" ".join(rows).lower()))
    title = " ".join("t_" + t for t in _TOKEN.findall(" ".join(rows[:6]).lower()))
    return f"{body} {title}"


def real_word_count(page: PageText) -> int:
    """Words that look like words, read with some confidence (the fax header excluded): what
    makes a page readable. Tesseract reads a page of noise as hundreds of "words", nearly all
    below the confidence floor."""
    confident = [w for w in page.words if w.confidence >= REAL_WORD_MIN_CONFIDENCE]
    text = " ".join(content_rows(replace(page, words=confident)))
    return len(re.findall(r"[A-Za-z]{3,}", text))


def page_marker(page: PageText) -> tuple[int, int] | None:
    """A document's own "Page k of n" (the fax header's counter is skipped)."""
    for row in content_rows(page):
        match = _PAGE_MARK.search(row)
        if match:
            k, n = int(match.group(1)), int(match.group(2))
            if 1 <= k <= n <= 50:
                return k, n
    return None
