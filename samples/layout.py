"""A page as a list of drawing operations in points, built by a cursor-based Sheet."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import ImageFont

PAGE_WIDTH, PAGE_HEIGHT = 612.0, 792.0  # US letter, points

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")]
FONT_FAMILIES = [  # (regular, bold)
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ("LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf"),
    ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
]


def font_path(name: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(
        f"font {name} not installed (fonts-dejavu-core, fonts-dejavu-extra, fonts-liberation)"
    )


@cache
def measuring_font(name: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), size=max(1, round(size * 10)))


def text_width(font: str, size: float, text: str) -> float:
    """Width in points (measured at 10x to keep sub-point precision)."""
    return measuring_font(font, size).getlength(text) / 10


@dataclass
class Text:
    x: float
    y: float  # baseline-ish top of the text, points from the top
    text: str
    size: float
    font: str


@dataclass
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float
    fill: bool = False


@dataclass
class PageSpec:
    ops: list = field(default_factory=list)
    blank: bool = False


@dataclass
class Sheet:
    """Lays content down a page from the top; `new_page` when full."""

    rng: random.Random
    family: tuple[str, str]
    size: float = 10.0
    margin: float = 54.0
    pages: list[PageSpec] = field(default_factory=list)
    y: float = 0.0

    def __post_init__(self) -> None:
        self.new_page()

    @property
    def page(self) -> PageSpec:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(PageSpec())
        self.y = self.margin + self.rng.uniform(0, 20)

    def ensure(self, height: float) -> None:
        if self.y + height > PAGE_HEIGHT - self.margin:
            self.new_page()

    def text(self, x: float, text: str, size: float | None = None, bold: bool = False) -> float:
        """Draw at the current line; return the x where the text ends."""
        size = size or self.size
        font = self.family[1] if bold else self.family[0]
        self.page.ops.append(Text(x, self.y, text, size, font))
        return x + text_width(font, size, text)

    def advance(self, lines: float = 1.0, size: float | None = None) -> None:
        self.y += (size or self.size) * 1.45 * lines

    def line(self, text: str, size: float | None = None, bold: bool = False, x: float | None = None) -> None:
        self.ensure((size or self.size) * 1.5)
        self.text(self.margin if x is None else x, text, size, bold)
        self.advance(size=size)

    def centered(self, text: str, size: float, bold: bool = True) -> None:
        font = self.family[1] if bold else self.family[0]
        self.ensure(size * 1.5)
        self.text((PAGE_WIDTH - text_width(font, size, text)) / 2, text, size, bold)
        self.advance(size=size)

    def rule(self, weight: float = 1.0) -> None:
        self.page.ops.append(Rect(self.margin, self.y, PAGE_WIDTH - self.margin, self.y + weight, True))
        self.advance(0.6)

    def box(self, x0: float, y0: float, x1: float, y1: float) -> None:
        self.page.ops.append(Rect(x0, y0, x1, y1))

    def checkbox(self, x: float, label: str, checked: bool) -> float:
        side = self.size * 0.9
        self.box(x, self.y + 1, x + side, self.y + 1 + side)
        if checked:
            self.page.ops.append(Text(x + 1, self.y, "X", self.size, self.family[1]))
        return self.text(x + side + 5, label) + 14

    def paragraph(self, text: str, width: float | None = None) -> None:
        width = width or PAGE_WIDTH - 2 * self.margin
        words, line = text.split(), ""
        for word in words:
            candidate = f"{line} {word}".strip()
            if text_width(self.family[0], self.size, candidate) > width and line:
                self.line(line)
                line = word
            else:
                line = candidate
        if line:
            self.line(line)
        self.advance(0.4)
