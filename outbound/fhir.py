"""A confirmed fax as a FHIR R4 transaction Bundle, validated with fhir.resources' R4B models.

R4B is wire-compatible with R4 for every resource used here (Patient, Coverage, Practitioner,
ServiceRequest, DocumentReference). Patient (by MRN), Practitioner (by NPI) and Coverage (by
member id) are created only if the EHR has none with that identifier (`ifNoneExist`), so
approving a second fax for the same patient adds no duplicate."""

from __future__ import annotations

import base64
import html
import uuid
from collections.abc import Callable

from fhir.resources.R4B.bundle import Bundle

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
MEMBER_ID_SYSTEM = "urn:faxintake:member-id"
ICD10_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
MRN_TYPE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}
GENDER = {"F": "female", "M": "male", "X": "other"}

PagesPdf = Callable[[list[int]], bytes]


def build_bundle(fax_id: int, result: dict, pages_pdf: PagesPdf, mrn_system: str) -> dict:
    """The transaction Bundle for an approved fax's result (the contract's shape); MRNs are
    identifiers in the clinic's `mrn_system`."""
    fields = _first_values(result["documents"])
    entries: list[dict] = []
    patient = _add(entries, _patient(fields, mrn_system))
    coverage = _add(entries, _coverage(fields, patient)) if fields.get("insurance_payer") else None
    requester = _add(entries, _practitioner(fields)) if fields.get("referring_provider") else None
    for doc in result["documents"]:
        if doc["type"] == "referral":
            _add(entries, _service_request(doc["fields"], patient, requester, coverage))
    for position, doc in enumerate(result["documents"]):
        _add(entries, _document_reference(fax_id, position, doc, patient, pages_pdf(doc["pages"])))
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": entries}
    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)


def _add(entries: list[dict], resource: dict) -> str:
    """Add a create; a resource with an identifier is created only if none has it yet."""
    full_url = f"urn:uuid:{uuid.uuid4()}"
    request = {"method": "POST", "url": resource["resourceType"]}
    identifier = (resource.get("identifier") or [None])[0]
    if identifier and resource["resourceType"] in ("Patient", "Practitioner", "Coverage"):
        request["ifNoneExist"] = f"identifier={identifier['system']}|{identifier['value']}"
    entries.append({"fullUrl": full_url, "resource": resource, "request": request})
    return full_url


def _first_values(documents: list[dict]) -> dict:
    """Each field's value from the first document that carries it (the referral comes first)."""
    ordered = sorted(documents, key=lambda d: d["type"] != "referral")
    out: dict = {}
    for doc in ordered:
        for key, found in doc["fields"].items():
            out.setdefault(key, found["value"])
    return out


def _patient(fields: dict, mrn_system: str) -> dict:
    patient: dict = {"resourceType": "Patient"}
    if fields.get("patient_name"):
        patient["name"] = [_human_name(fields["patient_name"])]
    if fields.get("patient_dob"):
        patient["birthDate"] = fields["patient_dob"]
    if fields.get("patient_sex") in GENDER:
        patient["gender"] = GENDER[fields["patient_sex"]]
    if fields.get("patient_phone"):
        patient["telecom"] = [{"system": "phone", "value": fields["patient_phone"]}]
    if fields.get("patient_address"):
        patient["address"] = [{"text": fields["patient_address"]}]
    if fields.get("mrn"):
        patient["identifier"] = [{"type": MRN_TYPE, "system": mrn_system, "value": fields["mrn"]}]
    return patient


def _coverage(fields: dict, patient: str) -> dict:
    coverage = {
        "resourceType": "Coverage",
        "status": "active",
        "beneficiary": {"reference": patient},
        "payor": [{"display": fields["insurance_payer"]}],
    }
    if fields.get("member_id"):
        coverage["subscriberId"] = fields["member_id"]
        coverage["identifier"] = [{"system": MEMBER_ID_SYSTEM, "value": fields["member_id"]}]
    if fields.get("group_number"):
        coverage["class"] = [
            {
                "type": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "group"}
                    ]
                },
                "value": fields["group_number"],
            }
        ]
    return coverage


def _practitioner(fields: dict) -> dict:
    practitioner: dict = {"resourceType": "Practitioner", "name": [_human_name(fields["referring_provider"])]}
    if fields.get("referring_npi"):
        practitioner["identifier"] = [{"system": NPI_SYSTEM, "value": fields["referring_npi"]}]
    telecom = [
        {"system": system, "value": fields[key]}
        for system, key in (("phone", "referring_phone"), ("fax", "referring_fax"))
        if fields.get(key)
    ]
    if telecom:
        practitioner["telecom"] = telecom
    return practitioner


def _service_request(fields: dict, patient: str, requester: str | None, coverage: str | None) -> dict:
    value = {key: found["value"] for key, found in fields.items()}
    request: dict = {
        "resourceType": "ServiceRequest",
        "status": "active",
        "intent": "order",
        "category": [{"text": "Referral"}],
        "subject": {"reference": patient},
        "priority": value.get("urgency", "routine"),
    }
    if requester:
        request["requester"] = {"reference": requester}
    if coverage:
        request["insurance"] = [{"reference": coverage}]
    if value.get("referred_to_specialty"):
        request["performerType"] = {"text": value["referred_to_specialty"]}
    if value.get("diagnosis_codes"):
        request["reasonCode"] = [
            {"coding": [{"system": ICD10_SYSTEM, "code": c}]} for c in value["diagnosis_codes"]
        ]
    if value.get("procedure_codes"):
        request["code"] = {"coding": [{"system": CPT_SYSTEM, "code": c} for c in value["procedure_codes"]]}
    if value.get("reason_for_referral"):
        request["note"] = [{"text": as_text(value["reason_for_referral"])}]
    return request


def _document_reference(fax_id: int, position: int, doc: dict, patient: str, pdf: bytes) -> dict:
    return {
        "resourceType": "DocumentReference",
        "status": "current",
        "identifier": [{"system": "urn:faxintake:document", "value": f"fax-{fax_id}-doc-{position}"}],
        "type": {"text": doc["type"]},
        "subject": {"reference": patient},
        "description": f"Pages {', '.join(map(str, doc['pages']))} of fax {fax_id}",
        "content": [
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "data": base64.b64encode(pdf).decode(),
                    "title": f"fax-{fax_id}-{doc['type']}.pdf",
                }
            }
        ],
    }


def as_text(text: str) -> str:
    """Free text for a markdown element (a note): markup read off a fax is shown, never run."""
    return html.escape(text, quote=False)


def _human_name(text: str) -> dict:
    words = text.replace(",", " ").split()
    credentials = {"MD", "DO", "NP", "PA", "PA-C", "RN", "DPM", "FNP", "APRN", "MBBS"}
    names = [w for w in words if w.strip(".").upper() not in credentials]
    name: dict = {"text": text}
    if names:
        name["family"] = names[-1]
        if len(names) > 1:
            name["given"] = names[:-1]
    return name
