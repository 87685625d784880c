"""Layout-aware pairing of labels with values: the value right of its label, or below it."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from statistics import median

from core.data import PageText, Word
from extractors.checkboxes import holds_boxes
from extractors.labels import label_patterns, section_of, snap_label_words, word_start_matches
from extractors.rows import Row, page_rows

ROLES = ("name", "phone", "fax", "npi")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_SEPARATOR = re.compile(r"^[\s:#.\-=_|>]*(?:\([^)\t\d]{0,14}\))?[\s:#.\-=_|>]*")  # ": ", "(mm/dd/yyyy) "


@dataclass
class Candidate:
    """A raw value next to a label, before it is parsed."""

    key: str  # a field, or a role such as "phone" resolved later by context
    text: str
    words: list[Word]
    page: int
    method: str  # right | below | beside | prose | scan
    section: str | None = None
    side: str | None = None  # "to" / "from" on cover sheets


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    key: str


_ROW_BREAK = "\x00"  # no label pattern matches it, so no match runs from one row into the next
_KNOWN: dict[str, tuple[_Hit, ...]] = {}
_KNOWN_MAX = 8192


def label_hits(text: str) -> tuple[_Hit, ...]:
    """Labels in a row's text that really are labels: at a cell's start, or followed by ':'.

    Where labels overlap ("Requesting Provider NPI" holds "Requesting Provider"), the
    longest match wins. Remembered: a page's rows are paired once to classify, again to
    extract."""
    return label_hits_of_rows([text])[0]


def label_hits_of_rows(texts: list[str]) -> list[tuple[_Hit, ...]]:
    """label_hits of many rows, each label pattern run once over all of them (joined by a
    character no label matches) rather than once per row: the same hits, fewer regex calls."""
    new = [text for text in dict.fromkeys(texts) if text not in _KNOWN]
    if new:
        if len(_KNOWN) + len(new) > _KNOWN_MAX:
            _KNOWN.clear()
        lowers = [snap_label_words(text.lower().translate(_QUOTES)) for text in new]
        starts = list(accumulate((len(lower) + 1 for lower in lowers[:-1]), initial=0))
        joined = _ROW_BREAK.join(lowers)
        matches: list[list[tuple[int, int, str]]] = [[] for _ in new]
        for pattern, key in label_patterns():
            for m in word_start_matches(pattern, joined):
                row = bisect_right(starts, m.start()) - 1
                start, end = m.start() - starts[row], m.end() - starts[row]
                if _is_label(lowers[row], start, end, key):
                    matches[row].append((start, end, key))
        _KNOWN.update(zip(new, map(_longest_first, matches), strict=True))
    return [_KNOWN[text] for text in texts]


def _longest_first(matches: list[tuple[int, int, str]]) -> tuple[_Hit, ...]:
    found: list[_Hit] = []
    for start, end, key in sorted(matches, key=lambda m: (m[0] - m[1], m[0])):
        if not any(h.start < end and start < h.end for h in found):
            found.append(_Hit(start, end, key))
    return tuple(sorted(found, key=lambda h: h.start))


_NUMBERED_KEYS = frozenset({"patient_dob", "member_id", "mrn", "npi", "phone", "fax", "auth_number"})


def _is_label(text: str, start: int, end: int, key: str = "") -> bool:
    """At a cell's start, or followed by ':' or '#'; a label of a number or date also where
    one follows it in the running text ("Angela Allen DOB 03/20/1943"), unless it is two
    letters ("Boise, ID 83702" holds a state, not a member ID)."""
    followed = re.match(r"\s?[:#]", text[end:]) is not None or text[start:end].endswith("#")
    numbered = key in _NUMBERED_KEYS and end - start > 2 and re.match(r"\s\(?\d", text[end:]) is not None
    return _starts_cell(text, start) or followed or numbered


def _starts_cell(text: str, start: int) -> bool:
    before = text[:start].rstrip(" ")
    return not before or before.endswith(("\t", "|")) or not re.search(r"[A-Za-z0-9]", before.split("\t")[-1])


def pair_values(page: PageText) -> list[Candidate]:
    """Each label's value (right of it, or below it), with the section and side it sits in."""
    return list(_cached_pairs(tuple(page.words), page.number, page.width, page.height))


@lru_cache(maxsize=64)
def _cached_pairs(words: tuple[Word, ...], number: int, width: float, height: float) -> tuple[Candidate, ...]:
    """Cached by the page's words: the splitter (for a page's patient) and the extractor both
    pair a page's labels and values."""
    return tuple(_pairs(PageText(number, list(words), "text_layer", None, width, height)))


def _pairs(page: PageText) -> list[Candidate]:
    rows = page_rows(page)
    label_hits_of_rows([row.text for row in rows])  # all rows' labels in one pass
    height = median(w.height for w in page.words) if page.words else 10
    out: list[Candidate] = []
    section: str | None = "letterhead"  # until the first heading or field label
    sides: dict[int, str] = {}
    for index, row in enumerate(rows):
        if is_fax_header(row, page.height):
            continue
        heading = section_of(row.text)
        section = heading or section
        hits = () if _is_title(row, height) else _without_values(row.text, label_hits(row.text))
        if section == "letterhead":
            out += _letterhead_numbers(row, page.number, hits[0].start if hits else len(row.text))
        for n, hit in enumerate(hits):
            if section == "letterhead" and hit.key not in ("phone", "fax"):
                section = None
            column = _column(row, hit, page.width)
            if hit.key in ("to_name", "to_fax", "from_name", "from_fax", "from_phone"):
                sides[column] = sides[-1] = hit.key.split("_")[0]
            side = sides.get(column, sides.get(-1))
            right = [] if heading else _values_right(row, hit, hits[n + 1 :])
            out += [Candidate(hit.key, t, w, page.number, "right", section, side) for t, w in right]
            if not right or _starts_cell(row.text, hit.start):
                text, words = _value_below(rows, index, row, hit, height)
                if words:
                    out.append(Candidate(hit.key, text, words, page.number, "below", section, side))
            if not right and not heading and hit.key in _SHORT_VALUES and index + 1 < len(rows):
                text, words = _value_beside(rows[index + 1], row, hit, hits[n + 1 :], height)
                if words:
                    out.append(Candidate(hit.key, text, words, page.number, "beside", section, side))
    return out


_SHORT_VALUES = frozenset(
    {
        "cover_page_count",
        "patient_dob",
        "member_id",
        "group_number",
        "mrn",
        "npi",
        "phone",
        "fax",
        "auth_number",
    }
)


def _value_beside(
    below: Row, row: Row, hit: _Hit, later: Sequence[_Hit], height: float
) -> tuple[str, list[Word]]:
    """A value set level with a label that wraps onto two lines ("Sheets incl. this / one"
    with "3" beside the pair), which OCR files with the label's second line: the words of
    the next row right of the label and left of the label's neighbour. Only for the short
    values (numbers, codes, dates) that sit so."""
    label_words = row.words_in(hit.start, hit.end)
    if not label_words or below.top - row.bottom > height * 1.5:
        return "", []
    start = max(w.left + w.width for w in label_words)
    end = min((w.left for h in later for w in row.words_in(h.start, h.end)), default=float("inf"))
    nearest_label = min(
        (w.left for h in label_hits(below.text) for w in below.words_in(h.start, h.end)), default=end
    )
    words = [w for w in below.words if start < w.left and w.left + w.width < min(end, nearest_label)]
    if len(words) > 2:
        return "", []  # more than a number or a code: text of its own, not this label's value
    return " ".join(w.text for w in words), words


_NUMBER = re.compile(r"(?:(?P<fax>fax|f)\W{0,3})?(?P<number>\(?\d{3}\)?[\s.-]{0,2}\d{3}[\s.-]?\d{4})\b", re.I)


def _letterhead_numbers(row: Row, number: int, labelled_from: int) -> list[Candidate]:
    """Phone and fax numbers a letterhead prints without a label, before any label on its
    row ("Smith Clinic - (512) 555-0143 fax 512.555.0199"): the sender's, which the
    document type resolves."""
    found = []
    for match in _NUMBER.finditer(row.text[:labelled_from]):
        role = "fax" if match.group("fax") else "phone"
        start, end = match.span("number")
        found.append(
            Candidate(role, match.group("number"), row.words_in(start, end), number, "scan", "letterhead")
        )
    return found


TITLE_SIZE = 1.5  # a row this many times the page's usual word height is a title


def _is_title(row: Row, height: float) -> bool:
    """A document's title ("Specialist Consultation Request"): words only, every one of them
    in large type (OCR's box of a word with a stray mark beside it can be tall, and a value
    underlined by a rule too, but that row holds a number): no labels in it."""
    if ":" in row.text or any(ch.isdigit() for ch in row.text):
        return False
    return min(w.height for w in row.words) > height * TITLE_SIZE


def _without_values(text: str, hits: tuple[_Hit, ...]) -> tuple[_Hit, ...]:
    """Drop a "label" that is the start of the value cell of the label before it: in
    "Attn | Specialty Scheduling", "Specialty" begins the recipient's name. A label filling
    its cell alone is kept (a header row: "Name | DOB | Phone")."""
    kept: list[_Hit] = []
    for hit in hits:
        previous = kept[-1] if kept else None
        if previous and _cell_after_label(text, previous, hit) and not _alone_in_cell(text, hit):
            continue
        kept.append(hit)
    return tuple(kept)


def _cell_after_label(text: str, label: _Hit, hit: _Hit) -> bool:
    between = text[label.end : hit.start]
    return between.count("\t") == 1 and not re.search(r"[A-Za-z0-9:]", between)


_CAPTION_REST = re.compile(
    r"(?i)(?:\s*(?:number|no\.?|#|name|id|code(?:\(?s\)?)?|date|type|\([^)\t]*\)))*\s*(?:[:#]|\t|$)"
)


def _alone_in_cell(text: str, hit: _Hit) -> bool:
    """The label is all its cell holds, but for a caption's words ("Member ID number")."""
    return bool(_CAPTION_REST.match(text[hit.end :]))


_HEADER_MARKS = re.compile(r"(?i)\bp(?:age|g)?\.?\s*\d{1,3}\s*(?:/|of)\s*\d{1,3}\b|\b\d{1,2}:\d{2}\b")


def is_fax_header(row: Row, page_height: float) -> bool:
    """The sending machine's line across the top (time, number, "P.002/005")."""
    return row.top < page_height * 0.045 and bool(_HEADER_MARKS.search(row.text))


def _column(row: Row, hit: _Hit, width: float) -> int:
    words = row.words_in(hit.start, hit.end)
    return 0 if not words or words[0].left < width / 2 else 1


def _values_right(row: Row, hit: _Hit, later: Sequence[_Hit]) -> list[tuple[str, list[Word]]]:
    """The rest of the label's cell, and the next cell, up to the next label on the row."""
    end = later[0].start if later else len(row.text)
    separator = _SEPARATOR.match(row.text[hit.end : end])  # matches always, if only ""
    offset = hit.end + (len(separator.group(0)) if separator else 0)
    rest = row.text[offset:end]
    if holds_boxes(rest):  # a row of tick options is one value, however spread out
        text = rest.strip()
        start = row.text.index(text, offset)
        return [(" ".join(text.split()), row.words_in(start, start + len(text)))]
    values = []
    for cell in rest.split("\t")[:2]:
        text = cell.strip()
        if re.search(r"[A-Za-z0-9]", text):
            start = row.text.index(text, offset)
            values.append((text, row.words_in(start, start + len(text))))
        offset += len(cell) + 1
    return values


def _value_below(rows: list[Row], index: int, row: Row, hit: _Hit, height: float) -> tuple[str, list[Word]]:
    """The words under the label in the next row or two, within the label's column."""
    label_words = row.words_in(hit.start, hit.end)
    if not label_words:
        return "", []
    left = label_words[0].left
    for below in rows[index + 1 : index + 3]:
        if below.top - row.bottom > height * 3:
            break
        words = [w for w in below.words if left - height * 1.5 <= w.left]
        if not words:
            continue
        start = below.words.index(words[0])
        if words[0].left > left + height * 12:
            continue
        text = below.text[below.starts[start] :].split("\t")[0]
        if any(h.start == 0 for h in label_hits(text)):
            return "", []
        return text, below.words_in(below.starts[start], below.starts[start] + len(text))
    return "", []
