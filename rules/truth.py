"""The flags a fax should raise: the rules run over its true content, as a set's truth file
gives it (for `faxintake eval` to score flags against)."""

from __future__ import annotations

from datetime import date

from core.data import Document, FieldValue
from extractors.validators import validate
from rules.engine import FaxFacts, PageFacts, Rule, evaluate


def expected_flags(truth: dict, rules: list[Rule], today: date) -> list[dict]:
    """The flags the rules raise on the true content (OCR-quality flags excluded: a page is
    blank only where the truth says so)."""
    documents = [
        Document(
            d["type"],
            d["pages"],
            1.0,
            {
                k: FieldValue(v["value"], 1.0, d["pages"][0], error=validate(k, v["value"], today))
                for k, v in d["fields"].items()
            },
        )
        for d in truth["documents"]
    ]
    pages = [PageFacts(p["page"], None, p.get("blank", False)) for p in truth["pages"]]
    facts = FaxFacts(truth.get("page_count", len(pages)), pages, documents)
    return [f.to_json() for f in evaluate(rules, facts)]
