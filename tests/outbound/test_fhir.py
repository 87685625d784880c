import base64
import io

import httpx
import pytest
from fhir.resources.R4B.bundle import Bundle
from PIL import Image
from pypdf import PdfReader

from core.settings import Settings
from outbound.fhir import NPI_SYSTEM, build_bundle
from outbound.fhir_client import post_bundle
from review.page_pdf import pages_as_pdf

MRN_SYSTEM = "urn:oid:2.16.840.1.113883.3.999.1"
RESULT = {
    "documents": [
        {
            "type": "referral",
            "pages": [1, 2],
            "fields": {
                "patient_name": {"value": "Maria L. Gonzalez"},
                "patient_dob": {"value": "1957-03-09"},
                "patient_sex": {"value": "F"},
                "insurance_payer": {"value": "Aetna"},
                "member_id": {"value": "XGH884210773"},
                "group_number": {"value": "0098231"},
                "referring_provider": {"value": "David Chen, MD"},
                "referring_npi": {"value": "1234567893"},
                "diagnosis_codes": {"value": ["I48.91"]},
                "procedure_codes": {"value": ["93306"]},
                "referred_to_specialty": {"value": "cardiology"},
                "urgency": {"value": "urgent"},
            },
        },
        {"type": "insurance_card", "pages": [3], "fields": {}},
    ]
}


def tiff(pages: int) -> bytes:
    frames = [Image.new("1", (200, 260), color=1) for _ in range(pages)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def test_the_bundle_is_a_valid_r4_transaction_with_each_resource():
    original = tiff(3)
    bundle = build_bundle(7, RESULT, lambda pages: pages_as_pdf(original, pages), MRN_SYSTEM)
    Bundle.model_validate(bundle)
    resources = {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}
    assert bundle["type"] == "transaction"
    assert resources["Patient"]["birthDate"] == "1957-03-09" and resources["Patient"]["gender"] == "female"
    assert resources["Practitioner"]["identifier"] == [{"system": NPI_SYSTEM, "value": "1234567893"}]
    assert resources["Coverage"]["subscriberId"] == "XGH884210773"
    assert resources["Coverage"]["class"][0]["value"] == "0098231"
    request = resources["ServiceRequest"]
    assert request["priority"] == "urgent" and request["reasonCode"][0]["coding"][0]["code"] == "I48.91"
    assert request["requester"]["reference"].startswith("urn:uuid:")
    references = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DocumentReference"
    ]
    assert len(references) == 2
    pdf = base64.b64decode(references[0]["content"][0]["attachment"]["data"])
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2


def test_pages_of_a_pdf_original_are_cut_out():
    two_page_pdf = pages_as_pdf(tiff(2), [1, 2])
    assert len(PdfReader(io.BytesIO(pages_as_pdf(two_page_pdf, [2]))).pages) == 1


def test_a_bundle_the_server_refuses_raises_for_the_job_to_retry(fhir_server, tmp_path):
    fhir_server.failures_left = 1
    settings = Settings(data_dir=tmp_path, fhir_base_url=fhir_server.url, fhir_retries=3)
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": []}
    with pytest.raises(httpx.HTTPStatusError):
        post_bundle(bundle, settings)
    post_bundle(bundle, settings)  # the retry
    assert fhir_server.received == [bundle]


def test_patient_practitioner_and_coverage_are_created_only_if_new_and_free_text_stays_text():
    result = {
        "documents": [
            {
                **RESULT["documents"][0],
                "fields": {
                    **RESULT["documents"][0]["fields"],
                    "mrn": {"value": "A0042917"},
                    "reason_for_referral": {"value": "<img src=x onerror=alert(1)> new AF"},
                },
            }
        ]
    }
    bundle = build_bundle(7, result, lambda pages: pages_as_pdf(tiff(2), pages), MRN_SYSTEM)
    Bundle.model_validate(bundle)
    conditions = {e["resource"]["resourceType"]: e["request"].get("ifNoneExist") for e in bundle["entry"]}
    assert conditions["Patient"] == f"identifier={MRN_SYSTEM}|A0042917"
    assert conditions["Practitioner"] == f"identifier={NPI_SYSTEM}|1234567893"
    assert conditions["Coverage"] == "identifier=urn:faxintake:member-id|XGH884210773"
    assert conditions["ServiceRequest"] is None  # each referral is a request of its own
    request = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "ServiceRequest"
    )
    assert request["note"][0]["text"] == "&lt;img src=x onerror=alert(1)&gt; new AF"
