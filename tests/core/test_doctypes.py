"""The document-type registry agrees with the contract (its schema and its field table) and
with the default rules, every type has generator templates, and a new type is one entry."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from core import doctypes
from core.data import Document, FieldValue
from core.doctypes import DOCUMENT_TYPES, FIELDS, DocumentType, FieldKind, field_display, fields_of
from core.settings import Settings
from extractors.fields import PARSERS, extract_fields
from rules.engine import FaxFacts, PageFacts, evaluate, load_rules
from samples.documents import BUILDERS
from tests.conftest import TODAY, layout

ROOT = Path(__file__).resolve().parents[2]


def contract_fields() -> dict[str, tuple[str, ...]]:
    """The contract's "fields per type" table: type -> field keys."""
    table = {}
    for line in (ROOT / "docs" / "contract.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`") and "," in cells[1] + ",":
            keys = tuple(k.strip() for k in cells[1].split(","))
            if all(re.fullmatch(r"[a-z_]+", k) for k in keys):
                for name in re.findall(r"`([a-z_]+)`", cells[0]):
                    table[name] = keys
    return table


def test_the_registry_has_the_contracts_types_and_fields():
    schema = json.loads((ROOT / "core" / "result.schema.json").read_text())
    assert list(DOCUMENT_TYPES) == schema["$defs"]["doctype"]["enum"]
    expected = contract_fields()
    assert {name: fields_of(name) for name in expected} == expected
    assert fields_of("other") == ()
    assert {key for t in DOCUMENT_TYPES.values() for key in t.fields} == set(FIELDS)


def test_every_field_kind_has_a_parser():
    assert set(PARSERS) == set(FieldKind)


def test_the_default_rules_name_only_registered_types_and_fields():
    for rule in load_rules(Settings().rules_file):
        for key in ("document", "when", "requires"):
            if key in rule:
                assert rule[key] in DOCUMENT_TYPES
        for field in rule.get("fields", []) + ([rule["field"]] if "field" in rule else []):
            assert field in fields_of(rule["document"])


@pytest.mark.parametrize("name", [name for name in DOCUMENT_TYPES if name != "other"])
def test_the_generator_can_make_every_type(name):
    assert name in BUILDERS


def test_a_new_document_type_is_one_registry_entry(monkeypatch):
    operative = DocumentType("operative_report", "Operative report", ("patient_name", "service_date"))
    monkeypatch.setitem(DOCUMENT_TYPES, "operative_report", operative)
    page = layout(["OPERATIVE REPORT", "Patient Name: Maria Gonzalez", "Date of Service: 10/23/2026"])
    fields = extract_fields("operative_report", [page], TODAY)
    assert {key: value.value for key, value in fields.items()} == {
        "patient_name": "Maria Gonzalez",
        "service_date": "2026-10-23",
    }
    rules = [
        {"kind": "required_fields", "document": "operative_report", "severity": "error", "fields": ["mrn"]}
    ]
    doc = Document("operative_report", [1], 0.9, {"patient_name": FieldValue("Maria Gonzalez", 0.9, 1)})
    (flag,) = evaluate(rules, FaxFacts(1, [PageFacts(1, 90.0, False)], [doc]))
    assert flag.code == "missing_field:operative_report.mrn"
    assert flag.message.startswith("Operative report (page 1) is missing the MRN")
    assert doctypes.type_display("operative_report") == "Operative report" and field_display("mrn") == "MRN"
