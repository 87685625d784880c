"""Evaluate completeness rules over a processed fax. One function per rule kind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from core.data import Document, Flag
from core.doctypes import DOCUMENT_TYPES, field_display, fields_of, type_display


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
    unread: dict[int, frozenset[str]] = field(default_factory=dict)  # by a document's first page


Rule = dict[str, Any]  # one entry of a rules file, checked by `load_rules`
RuleKind = Callable[[Rule, FaxFacts], Iterator[Flag]]
SEVERITIES = ("error", "warning", "info")


def load_rules(path: Path) -> list[Rule]:
    """The rules of a rules file, each checked: a known kind with its required parameters and
    no unknown ones, a known severity, and document types and fields the registry has."""
    data = yaml.safe_load(path.read_text())
    rules = data.get("rules", []) if isinstance(data, dict) else []
    problems = [
        f"rule {n} ({rule.get('kind')}): {why}" for n, rule in enumerate(rules, 1) for why in _problems(rule)
    ]
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return rules


def _problems(rule: Rule) -> Iterator[str]:
    kind = rule.get("kind")
    if kind not in KINDS:
        yield f"unknown kind; known: {', '.join(sorted(KINDS))}"
        return
    required, optional = PARAMETERS[kind]
    yield from (f"needs {name}" for name in required if name not in rule)
    yield from (f"has no parameter {name}" for name in set(rule) - set(required) - set(optional) - {"kind"})
    if rule.get("severity", "error") not in SEVERITIES:
        yield f"severity must be one of {', '.join(SEVERITIES)}"
    for key in ("document", "when", "requires"):
        if key in rule and rule[key] not in DOCUMENT_TYPES:
            yield f"no document type {rule[key]!r}"
    fields = list(rule.get("fields", [])) + ([rule["field"]] if "field" in rule else [])
    yield from (
        f"a {rule.get('document')} has no field {f!r}"
        for f in fields
        if f not in fields_of(rule.get("document", ""))
    )


def evaluate(rules: list[Rule], facts: FaxFacts) -> list[Flag]:
    """All flags, without duplicates, in rule order."""
    flags: list[Flag] = []
    for rule in rules:
        for flag in KINDS[rule["kind"]](rule, facts):
            if flag not in flags:
                flags.append(flag)
    return flags


def required_fields(rule: Rule, facts: FaxFacts) -> Iterator[Flag]:
    """A required field not on the document is missing (the sender is asked for it); one whose
    label is there with a value that could not be read is a hint for the VA instead."""
    for doc in _documents(facts, rule["document"]):
        unread = facts.unread.get(doc.pages[0], frozenset())
        for key in rule["fields"]:
            if key in doc.fields:
                continue
            where = f"{type_display(doc.type)} (page {doc.pages[0]})"
            if key in unread:
                message = f"{where}: the {field_display(key)} is on the page but could not be read"
                yield Flag(f"unread_field:{doc.type}.{key}", "warning", message)
            else:
                message = f"{where} is missing the {field_display(key)}"
                yield Flag(f"missing_field:{doc.type}.{key}", rule.get("severity", "error"), message)


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


PARAMETERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # kind: (required, optional)
    "required_fields": (("document", "fields"), ("severity",)),
    "invalid_fields": ((), ("severity",)),
    "companion_document": (("when", "requires"), ("severity", "message")),
    "page_count_mismatch": ((), ("severity",)),
    "field_equals": (("document", "field", "value", "code", "message"), ("severity",)),
    "low_ocr_confidence": ((), ("below", "severity")),
    "unreadable_page": ((), ("severity",)),
}
KINDS: dict[str, RuleKind] = {
    "required_fields": required_fields,
    "invalid_fields": invalid_fields,
    "companion_document": companion_document,
    "page_count_mismatch": page_count_mismatch,
    "field_equals": field_equals,
    "low_ocr_confidence": low_ocr_confidence,
    "unreadable_page": unreadable_page,
}
