"""The one registry of document types and their fields.

Every layer reads it: extraction (which fields a type carries, and each field's kind, which
picks its parser and validator), the rules and the review screens (display names), referral
tracking (which types open a case or move one), the generator (which types it must make) and
the schema test (the contract's types and keys). Adding a document type is one entry in
DOCUMENT_TYPES, plus its generator templates in samples/."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FieldKind(StrEnum):
    """What a field's value is; extractors map each kind to its parser and validator."""

    PERSON = "person"  # a patient's name
    PROVIDER = "provider"  # a clinician's name, credentials kept
    ORGANISATION = "organisation"
    BIRTH_DATE = "birth_date"  # a two-digit year is in the past; never in the future
    DATE = "date"
    SEX = "sex"
    PHONE = "phone"
    TEXT = "text"  # one line of free text
    IDENTIFIER = "identifier"
    NPI = "npi"
    SPECIALTY = "specialty"
    DIAGNOSIS_CODES = "diagnosis_codes"
    PROCEDURE_CODES = "procedure_codes"
    URGENCY = "urgency"
    AUTH_STATUS = "auth_status"
    PAGE_COUNT = "page_count"


@dataclass(frozen=True)
class FieldSpec:
    key: str  # the contract's field key
    display: str  # as a person reads it: on screens, in flags and letters
    kind: FieldKind


@dataclass(frozen=True)
class DocumentType:
    name: str  # the contract's document type
    display: str
    fields: tuple[str, ...]  # keys of FIELDS, in the order screens show them
    opens_case: bool = False  # a referral case is opened for it (referrals/tracking)
    follows_up: bool = False  # it moves the referral case it belongs to


def _fields(*specs: tuple[str, str, FieldKind]) -> dict[str, FieldSpec]:
    return {key: FieldSpec(key, display, kind) for key, display, kind in specs}


K = FieldKind
FIELDS: dict[str, FieldSpec] = _fields(
    ("patient_name", "patient name", K.PERSON),
    ("patient_dob", "patient date of birth", K.BIRTH_DATE),
    ("patient_sex", "patient sex", K.SEX),
    ("patient_phone", "patient phone", K.PHONE),
    ("patient_address", "patient address", K.TEXT),
    ("mrn", "MRN", K.IDENTIFIER),
    ("insurance_payer", "insurance payer", K.ORGANISATION),
    ("member_id", "member ID", K.IDENTIFIER),
    ("group_number", "group number", K.IDENTIFIER),
    ("referring_provider", "referring provider", K.PROVIDER),
    ("referring_npi", "referring provider NPI", K.NPI),
    ("referring_phone", "referring provider phone", K.PHONE),
    ("referring_fax", "referring provider fax", K.PHONE),
    ("referred_to_specialty", "specialty referred to", K.SPECIALTY),
    ("referred_to_provider", "provider referred to", K.PROVIDER),
    ("diagnosis_codes", "diagnosis codes", K.DIAGNOSIS_CODES),
    ("procedure_codes", "procedure codes", K.PROCEDURE_CODES),
    ("reason_for_referral", "reason for referral", K.TEXT),
    ("urgency", "urgency", K.URGENCY),
    ("auth_number", "authorization number", K.IDENTIFIER),
    ("auth_status", "authorization status", K.AUTH_STATUS),
    ("auth_valid_from", "authorization start date", K.DATE),
    ("auth_valid_to", "authorization end date", K.DATE),
    ("service_date", "date of service", K.DATE),
    ("from_name", "sender name", K.ORGANISATION),
    ("from_fax", "sender fax", K.PHONE),
    ("from_phone", "sender phone", K.PHONE),
    ("to_name", "recipient name", K.ORGANISATION),
    ("to_fax", "recipient fax", K.PHONE),
    ("cover_page_count", "page count", K.PAGE_COUNT),
)

_CLINICAL = ("patient_name", "patient_dob", "mrn", "service_date", "diagnosis_codes")
_REFERRAL = (
    "patient_name",
    "patient_dob",
    "patient_sex",
    "patient_phone",
    "mrn",
    "insurance_payer",
    "member_id",
    "group_number",
    "referring_provider",
    "referring_npi",
    "referring_phone",
    "referring_fax",
    "referred_to_specialty",
    "referred_to_provider",
    "diagnosis_codes",
    "procedure_codes",
    "reason_for_referral",
    "urgency",
)
_PRIOR_AUTH = (
    "patient_name",
    "patient_dob",
    "insurance_payer",
    "member_id",
    "referring_npi",
    "auth_number",
    "auth_status",
    "auth_valid_from",
    "auth_valid_to",
    "procedure_codes",
    "diagnosis_codes",
)
_DEMOGRAPHICS = (
    "patient_name",
    "patient_dob",
    "patient_sex",
    "patient_phone",
    "patient_address",
    "mrn",
    "insurance_payer",
    "member_id",
    "group_number",
)
_COVER = ("from_name", "from_fax", "from_phone", "to_name", "to_fax", "cover_page_count")

DOCUMENT_TYPES: dict[str, DocumentType] = {
    t.name: t
    for t in (
        DocumentType("fax_cover", "Cover sheet", _COVER),
        DocumentType("referral", "Referral", _REFERRAL, opens_case=True),
        DocumentType("prior_auth", "Prior authorization", _PRIOR_AUTH, follows_up=True),
        DocumentType("clinical_notes", "Clinical notes", _CLINICAL),
        DocumentType("lab_result", "Lab result", _CLINICAL),
        DocumentType("imaging_report", "Imaging report", _CLINICAL),
        DocumentType(
            "insurance_card",
            "Insurance card",
            ("patient_name", "insurance_payer", "member_id", "group_number"),
        ),
        DocumentType("demographics", "Demographics sheet", _DEMOGRAPHICS),
        DocumentType("consult_report", "Consult report", _CLINICAL, follows_up=True),
        DocumentType("records_request", "Records request", ("patient_name", "patient_dob"), follows_up=True),
        DocumentType("other", "Document", ()),
    )
}


def document_type(name: str) -> DocumentType:
    """The registered type; KeyError names the unknown one."""
    try:
        return DOCUMENT_TYPES[name]
    except KeyError:
        raise KeyError(f"unknown document type {name!r}") from None


def fields_of(doc_type: str) -> tuple[str, ...]:
    """The field keys a document type carries (none for an unknown type)."""
    found = DOCUMENT_TYPES.get(doc_type)
    return found.fields if found else ()


def field_display(key: str) -> str:
    spec = FIELDS.get(key)
    return spec.display if spec else key.replace("_", " ")


def type_display(doc_type: str) -> str:
    found = DOCUMENT_TYPES.get(doc_type)
    return found.display if found else doc_type.replace("_", " ").capitalize()
