"""Plain data passed between the pipeline's stages. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TextSource = Literal["ocr", "text_layer"]


@dataclass(frozen=True)
class Word:
    """One word as read, with its box in page pixels (or PDF points for text layers)."""

    text: str
    left: float
    top: float
    width: float
    height: float
    confidence: float  # 0-100; 100 for text-layer words
    line: int  # index of the line the word sits on within its page

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def box(self) -> list[float]:
        return [round(self.left, 1), round(self.top, 1), round(self.width, 1), round(self.height, 1)]


@dataclass
class PageText:
    """What the pipeline read off one page."""

    number: int  # 1-based
    words: list[Word]
    source: TextSource
    ocr_confidence: float | None
    width: float
    height: float
    rotation: int = 0
    skew: float = 0.0  # degrees found askew and levelled (extractors.skew), before `rotation`

    def lines(self) -> list[list[Word]]:
        """Words grouped by line, lines in reading order, words left to right."""
        by_line: dict[int, list[Word]] = {}
        for word in self.words:
            by_line.setdefault(word.line, []).append(word)
        ordered = sorted(by_line.values(), key=lambda ws: (min(w.top for w in ws), ws[0].left))
        return [sorted(ws, key=lambda w: w.left) for ws in ordered]

    @property
    def text(self) -> str:
        return "\n".join(" ".join(w.text for w in line) for line in self.lines())

    def to_json(self, words: bool = True) -> dict:
        out: dict[str, object] = {
            "page": self.number,
            "text_source": self.source,
            "ocr_confidence": self.ocr_confidence,
            "width": self.width,
            "height": self.height,
            "rotation": self.rotation,
            "skew": self.skew,
            "text": self.text,
        }
        if words:
            out["words"] = [[w.text, *w.box(), round(w.confidence, 1), w.line] for w in self.words]
        return out

    @classmethod
    def from_json(cls, data: dict) -> PageText:
        words = [
            Word(t, left, top, width, height, conf, line)
            for t, left, top, width, height, conf, line in data["words"]
        ]
        return cls(
            data["page"],
            words,
            data["text_source"],
            data["ocr_confidence"],
            data["width"],
            data["height"],
            data.get("rotation", 0),
            data.get("skew", 0.0),
        )


@dataclass
class FieldValue:
    """An extracted field, normalised, with where it was read."""

    Value = str | list[str] | int
    value: Value
    confidence: float
    page: int
    boxes: list[list[float]] = field(default_factory=list)
    error: str | None = None  # validator message when the value is invalid

    def to_json(self) -> dict:
        out: dict = {"value": self.value, "confidence": round(self.confidence, 3), "page": self.page}
        if self.boxes:
            out["boxes"] = self.boxes
        if self.error:
            out["error"] = self.error
        return out


@dataclass
class PageClass:
    """A page's predicted type."""

    type: str
    confidence: float


@dataclass
class Document:
    type: str
    pages: list[int]
    confidence: float
    fields: dict[str, FieldValue] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "type": self.type,
            "pages": self.pages,
            "confidence": round(self.confidence, 3),
            "fields": {k: v.to_json() for k, v in self.fields.items()},
        }


@dataclass(frozen=True)
class Flag:
    code: str
    severity: Literal["error", "warning", "info"]
    message: str

    def to_json(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message}


def page_entry(
    number: int,
    doc_type: str,
    type_confidence: float | None,
    text_source: str,
    ocr_confidence: float | None,
    rotation: int,
) -> dict:
    """A page of the contract's result, from the pipeline or from the reviewed rows alike."""
    return {
        "page": number,
        "type": doc_type,
        "type_confidence": type_confidence,
        "text_source": text_source,
        "ocr_confidence": ocr_confidence,
        "rotation": rotation,
    }


def result_status(open_error_flags: int) -> str:
    """The contract's status: `needs_review` while an error flag is open (not resolved or
    acknowledged), else `complete`."""
    return "needs_review" if open_error_flags else "complete"
