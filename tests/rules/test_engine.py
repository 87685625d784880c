from pathlib import Path

import pytest

from core.data import Document, FieldValue
from core.settings import Settings
from rules.engine import FaxFacts, PageFacts, evaluate, load_rules


@pytest.fixture
def rules():
    return load_rules(Settings().rules_file)


def _doc(doc_type, pages, **fields):
    return Document(doc_type, pages, 0.9, {k: FieldValue(v, 0.9, pages[0]) for k, v in fields.items()})


def _facts(*docs, page_count=None, pages=None):
    count = page_count or max(p for d in docs for p in d.pages)
    return FaxFacts(count, pages or [PageFacts(n, 90.0, False) for n in range(1, count + 1)], list(docs))


COMPLETE_REFERRAL = dict(
    patient_name="A B",
    patient_dob="1950-01-01",
    insurance_payer="Aetna",
    member_id="W1",
    referring_provider="C D, MD",
    referring_npi="1234567893",
    diagnosis_codes=["I10"],
    referred_to_specialty="cardiology",
    reason_for_referral="Evaluate",
)


def codes(flags):
    return sorted(f.code for f in flags)


def test_complete_referral_packet_raises_nothing(rules):
    facts = _facts(
        _doc("referral", [1], **COMPLETE_REFERRAL), _doc("clinical_notes", [2]), _doc("insurance_card", [3])
    )
    assert evaluate(rules, facts) == []


def test_missing_fields_and_companions(rules):
    fields = dict(COMPLETE_REFERRAL)
    del fields["member_id"]
    flags = evaluate(rules, _facts(_doc("referral", [1], **fields)))
    assert codes(flags) == [
        "missing_document:clinical_notes",
        "missing_document:insurance_card",
        "missing_field:referral.member_id",
    ]
    severities = {f.code: f.severity for f in flags}
    assert severities["missing_document:insurance_card"] == "warning"
    assert all(f.message for f in flags)


def test_invalid_field_from_validator_error(rules):
    doc = _doc(
        "prior_auth", [1], patient_name="A B", member_id="W1", auth_status="approved", auth_number="P1"
    )
    doc.fields["referring_npi"] = FieldValue("1234567890", 0.9, 1, error="NPI check digit is wrong")
    assert codes(evaluate(rules, _facts(doc))) == ["invalid_field:prior_auth.referring_npi"]


def test_denied_authorization(rules):
    doc = _doc("prior_auth", [1], patient_name="A B", member_id="W1", auth_status="denied", auth_number="P1")
    assert codes(evaluate(rules, _facts(doc))) == ["auth_denied"]


def test_page_count_mismatch(rules):
    facts = _facts(_doc("fax_cover", [1], cover_page_count=4), _doc("other", [2]))
    assert codes(evaluate(rules, facts)) == ["page_count_mismatch"]


def test_low_confidence_and_unreadable_pages(rules):
    pages = [PageFacts(1, 41.0, False), PageFacts(2, None, True)]
    facts = _facts(_doc("other", [1]), _doc("other", [2]), pages=pages)
    assert codes(evaluate(rules, facts)) == ["low_ocr_confidence", "unreadable_page"]


def test_a_clinic_can_replace_the_rules(tmp_path: Path):
    custom = tmp_path / "rules.yaml"
    custom.write_text(
        "rules:\n  - kind: companion_document\n    when: referral\n    requires: demographics\n"
        "    severity: warning\n"
    )
    flags = evaluate(load_rules(custom), _facts(_doc("referral", [1], **COMPLETE_REFERRAL)))
    assert codes(flags) == ["missing_document:demographics"]


def test_unknown_rule_kind_is_refused(tmp_path: Path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules:\n  - kind: nonsense\n")
    with pytest.raises(ValueError, match="nonsense"):
        load_rules(bad)


def test_a_rules_file_with_mistakes_is_refused_naming_each(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(
        "rules:\n"
        "  - {kind: required_fields, document: referal, fields: [patient_name]}\n"
        "  - {kind: required_fields, document: referral, fields: [shoe_size], severity: urgent}\n"
        "  - {kind: companion_document, when: referral}\n"
        "  - {kind: low_ocr_confidence, below: 60, colour: red}\n"
        "  - {kind: no_such_kind}\n"
    )
    with pytest.raises(ValueError) as refused:
        load_rules(path)
    for problem in (
        "rule 1 (required_fields): no document type 'referal'",
        "a referral has no field 'shoe_size'",
        "severity must be one of",
        "rule 3 (companion_document): needs requires",
        "has no parameter colour",
        "rule 5 (no_such_kind): unknown kind",
    ):
        assert problem in str(refused.value)


def test_a_required_field_whose_value_could_not_be_read_is_a_hint_for_the_va(rules):
    fields = dict(COMPLETE_REFERRAL)
    del fields["member_id"], fields["patient_dob"]
    facts = _facts(_doc("referral", [1], **fields), _doc("clinical_notes", [2]), _doc("insurance_card", [3]))
    facts.unread = {1: frozenset({"member_id"})}
    flags = {f.code: f for f in evaluate(rules, facts)}
    assert set(flags) == {"unread_field:referral.member_id", "missing_field:referral.patient_dob"}
    assert flags["unread_field:referral.member_id"].severity == "warning"
    assert "could not be read" in flags["unread_field:referral.member_id"].message
