"""Ways a form prints label/value pairs. Each style is a function (sheet, pairs) -> None."""

from __future__ import annotations

from collections.abc import Callable

from samples.layout import PAGE_WIDTH, Sheet, text_width

Pairs = list[tuple[str, str]]


def colon_lines(sheet: Sheet, pairs: Pairs) -> None:
    for label, value in pairs:
        sheet.ensure(sheet.size * 1.5)
        end = sheet.text(sheet.margin, f"{label}:", bold=sheet.rng.random() < 0.5)
        sheet.text(end + 6, value)
        sheet.advance()


def two_columns(sheet: Sheet, pairs: Pairs) -> None:
    """Short pairs side by side; a pair too wide for half the page gets a row of its own."""
    half = (PAGE_WIDTH - 2 * sheet.margin) / 2
    row: Pairs = []
    for pair in pairs:
        if _width(sheet, f"{pair[0]}: {pair[1]}") > half - 16:
            colon_lines(sheet, [pair])
            continue
        row.append(pair)
        if len(row) == 2:
            _pair_row(sheet, row, half)
            row = []
    if row:
        _pair_row(sheet, row, half)


def _pair_row(sheet: Sheet, row: Pairs, column: float) -> None:
    sheet.ensure(sheet.size * 1.5)
    for j, (label, value) in enumerate(row):
        end = sheet.text(sheet.margin + j * column, f"{label}:", bold=True)
        sheet.text(end + 5, value)
    sheet.advance(1.2)


def aligned_table(sheet: Sheet, pairs: Pairs) -> None:
    """Labels in a left column, values aligned in a right column, rows ruled."""
    label_width = max(text_width(sheet.family[1], sheet.size, lab) for lab, _ in pairs) + 18
    for label, value in pairs:
        sheet.ensure(sheet.size * 2)
        top = sheet.y - 3
        sheet.text(sheet.margin + 4, label, bold=True)
        sheet.text(sheet.margin + label_width, value)
        sheet.advance(1.3)
        sheet.box(sheet.margin, top, PAGE_WIDTH - sheet.margin, sheet.y - 3)


def boxed_grid(sheet: Sheet, pairs: Pairs) -> None:
    """Boxes with a small caption on top and the value inside, as on printed forms."""
    widest = max(_width(sheet, value) for _, value in pairs) + 14
    cols = max(1, min(sheet.rng.choice([2, 3]), int((PAGE_WIDTH - 2 * sheet.margin) // widest)))
    cell = (PAGE_WIDTH - 2 * sheet.margin) / cols
    small = sheet.size * 0.75
    for i in range(0, len(pairs), cols):
        sheet.ensure(sheet.size * 3.5)
        top = sheet.y
        for j, (label, value) in enumerate(pairs[i : i + cols]):
            x = sheet.margin + j * cell
            sheet.box(x, top - 2, x + cell, top + sheet.size * 3)
            sheet.y = top
            sheet.text(x + 4, label.upper(), size=small)
            sheet.y = top + small * 1.5
            sheet.text(x + 6, value)
        sheet.y = top + sheet.size * 3.4


def dotted_leaders(sheet: Sheet, pairs: Pairs) -> None:
    for label, value in pairs:
        sheet.ensure(sheet.size * 1.5)
        end = sheet.text(sheet.margin, label)
        sheet.text(max(sheet.margin + 190, end + 12), value)
        sheet.advance()


def label_above(sheet: Sheet, pairs: Pairs) -> None:
    """The label on one line, its value on the next, indented."""
    for label, value in pairs:
        sheet.ensure(sheet.size * 3)
        sheet.text(sheet.margin, label, bold=True)
        sheet.advance()
        sheet.text(sheet.margin + 12, value)
        sheet.advance(1.3)


def _width(sheet: Sheet, text: str) -> float:
    return text_width(sheet.family[1], sheet.size, text)


STYLES: list[Callable[[Sheet, Pairs], None]] = [
    colon_lines,
    boxed_grid,
    two_columns,
    aligned_table,
    label_above,
    dotted_leaders,
]
