"""Evaluate completeness rules over a processed fax. One function per rule kind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.data import Document, Flag
from core.doctypes import field_display, type_display


@dataclass
class PageFacts:
    number: int
    ocr_confidence: float | None
    unreadable: bool


@dataclass
class FaxFacts:
    """What the rules look at: page facts and the documents with their fields."""

    page_count: int
    pages: list[PageFacts]
    documents: list[Document]


Rule = dict
RuleKind = Callable[[Rule, FaxFacts], Iterator[Flag]]


def load_rules(path: Path) -> list[Rule]:
    data = yaml.safe_load(path.read_text())
    rules = data.get("rules", []) if isinstance(data, dict) else []
    unknown = [r.get("kind") for r in rules if r.get("kind") not in KINDS]
    if unknown:
        raise ValueError(f"{path}: unknown rule kinds {unknown}; known: {sorted(KINDS)}")
    return rules


def evaluate(rules: list[Rule], facts: FaxFacts) -> list[Flag]:
    """All flags, without duplicates, in rule order."""
    flags: list[Flag] = []
    for rule in rules:
        for flag in KINDS[rule["kind"]](rule, facts):
            if flag not in flags:
                flags.append(flag)
    return flags


def required_fields(rule: Rule, facts: FaxFacts) -> Iterator[Flag]:
    for doc in _documents(facts, rule["document"]):
        for field in rule["fields"]:
            if field not in doc.fields:
                yield Flag(
                    f"missing_field:{doc.type}.{field}",
                    rule.get("severity", "error"),
                    f"{type_display(doc.type)} (page {doc.pages[0]}) is missing the {field_display(field)}",
                )


def invalid_fields(rule: Rule, facts: FaxFacts) -> Iterator[Flag]:
    for doc in facts.documents:
        for key, value in doc.fields.items():
            if value.error:
                yield Flag(
                    f"invalid_field:{doc.type}.{key}",
                    rule.get("severity", "error"),
                    f"{type_display(doc.type)} {field_display(key)} looks wrong: {value.error}",
                )


def companion_document(rule: Rule, facts: FaxFacts) -> Iterator[Flag]:
    types = {d.type for d in facts.documents}
    if rule["when"] in types and rule["requires"] not in types:
        yield Flag(
            f"missing_document:{rule['requires']}",
            rule.get("severity", "error"),
            rule.get("message", f"Packet has no {rule['requires']}"),
        )


def page_count_mismatch(rule: Rule, facts: FaxFacts) -> Iterator[Flag]:
    for doc in _documents(facts, "fax_cover"):
        declared = doc.fields.get("cover_page_count")
        if declared is not None and declared.value != facts.page_count:
            yield Flag(
                "page_count_mismatch",
                rule.get("severity", "warning"),
                f"Cover sheet says {declared.value} pages but {facts.page_count} arrived; "
                "check with the sender for missing pages",
            )


def field_equals(rule: Rule, facts: FaxFacts) -> Iterator[Flag]:
    for doc in _documents(facts, rule["document"]):
        found = doc.fields.get(rule["field"])
        if found is not None and found.value == rule["value"]:
            yield Flag(rule["code"], rule.get("severity", "error"), rule["message"])


def low_ocr_confidence(rule: Rule, facts: FaxFacts) -> Iterator[Flag]:
    below = float(rule.get("below", 60))
    for page in facts.pages:
        if page.ocr_confidence is not None and page.ocr_confidence < below and not page.unreadable:
            yield Flag(
                "low_ocr_confidence",
                rule.get("severity", "warning"),
                f"Page {page.number} is hard to read (OCR confidence {page.ocr_confidence:.0f}); "
                "check its fields against the image",
            )


def unreadable_page(rule: Rule, facts: FaxFacts) -> Iterator[Flag]:
    for page in facts.pages:
        if page.unreadable:
            yield Flag(
                "unreadable_page",
                rule.get("severity", "error"),
                f"Page {page.number} is blank or unreadable; ask the sender to resend it",
            )


def _documents(facts: FaxFacts, doc_type: str) -> Iterator[Document]:
    return (d for d in facts.documents if d.type == doc_type)


KINDS: dict[str, RuleKind] = {
    "required_fields": required_fields,
    "invalid_fields": invalid_fields,
    "companion_document": companion_document,
    "page_count_mismatch": page_count_mismatch,
    "field_equals": field_equals,
    "low_ocr_confidence": low_ocr_confidence,
    "unreadable_page": unreadable_page,
}
