"""Pages unlike anything the page model learned are typed by what their kind of document
looks like anywhere (titles, headings, key terms), as a guess the VA confirms."""

import pytest

from classifiers.knowledge import GUESS_CONFIDENCE, judged, known_type
from core.data import PageClass
from core.settings import Settings
from pipeline.stages import Pipeline, classify_pages
from tests.conftest import layout

PAGES = {
    "imaging_report": [
        "CT HEAD WITHOUT CONTRAST",
        "Findings: no acute hemorrhage",
        "Impression: normal study",
    ],
    "prior_auth": ["Request for Prior Authorization", "Member ID W123", "Requested service CPT 70553"],
    "lab_result": ["LABORATORY REPORT", "Specimen collected 10/23/2026", "Test Result Reference Range"],
    "records_request": [
        "REQUEST FOR MEDICAL RECORDS",
        "Please send copies of",
        "HIPAA authorization enclosed",
    ],
    "fax_cover": ["FACSIMILE TRANSMITTAL", "Number of pages: 4", "Confidentiality notice"],
    "referral": [  # a letter that never says "referral", and asks for a reply
        "Dear Colleague,",
        "I would be grateful if you would see my patient, born March 9, 1957, for evaluation",
        "Please send your recommendations to my office.",
    ],
    "consult_report": ["CONSULTATION NOTE", "Thank you for referring Ms. Gonzalez", "Recommendations:"],
    "clinical_notes": ["DISCHARGE SUMMARY", "Date of admission: 10/02/2026", "Hospital course: uneventful"],
}

PATHOLOGY = [
    "Pathologist: A. Reyes, MD",
    "Specimen type: skin punch biopsy",
    "Gross description: received in formalin, one tan tissue fragment",
    "Microscopic description: nests of basaloid cells",
]


def test_a_consultation_request_is_a_referral():
    assert known_type(["Specialist Consultation Request", "Clinical question: migraines"]).type == "referral"


@pytest.mark.parametrize("doc_type", sorted(PAGES))
def test_the_cues_name_the_type(doc_type):
    assert known_type(PAGES[doc_type]).type == doc_type


def test_an_appointment_confirmation_stays_other():
    page = ["APPOINTMENT CONFIRMATION", "Your appointment is scheduled", "Referring provider: Dr. Lee"]
    assert known_type(page).type == "other"


def test_a_page_with_no_cues_is_left_alone():
    assert known_type(["Patient Name: Maria Gonzalez", "DOB: 03/09/1957"]) is None


def test_knowledge_types_a_page_the_model_calls_other_as_an_unsure_guess():
    classifier = Pipeline.from_settings(Settings()).classifier
    page = layout([*PAGES["imaging_report"], "Patient: Maria Gonzalez DOB 03/09/1957"])
    (signal,) = classify_pages([page], classifier, Settings())
    assert (signal.page_class.type, signal.page_class.confidence) == ("imaging_report", GUESS_CONFIDENCE)


def test_a_payers_pre_service_review_form_is_a_prior_auth():
    page = [
        "Harborview Health Plan",
        "Request for Pre-Service Review",
        "Member ID number",
        "Requesting provider",
    ]
    assert known_type(page).type == "prior_auth"


def test_a_consult_report_addressed_to_the_referring_provider_is_a_consult_report():
    page = [
        "Tyler Gastroenterology Associates",
        "To (Referring Provider): Dr. Robin Charles",
        "Reason for consultation. Reflux despite treatment.",
        "Impression. Consistent with the referral diagnosis.",
    ]
    assert known_type(page).type == "consult_report"


def test_a_pathology_report_is_a_lab_result():
    assert known_type(PATHOLOGY).type == "lab_result"


SURE, UNSURE = PageClass("imaging_report", 0.8), PageClass("imaging_report", 0.2)
LAB = PageClass("lab_result", GUESS_CONFIDENCE)


@pytest.mark.parametrize(
    ("model", "known", "expected"),
    [
        (SURE, LAB, SURE),  # the model is fairly sure: it decides
        (UNSURE, LAB, LAB),  # unsure: the page's own title and terms decide
        (UNSURE, None, UNSURE),  # nothing named: the model's best guess stands
        (PageClass("other", 0.6), LAB, LAB),  # no type in the model: the knowledge's
    ],
)
def test_the_knowledge_decides_where_the_model_is_unsure(model, known, expected):
    assert judged(model, known) == expected


@pytest.mark.parametrize(
    "title",
    [
        "Request for Medicare Prescription Drug Coverage Determination",
        "Formulary Exception Request",
        "Step Therapy",
    ],
)
def test_a_pharmacy_request_form_is_a_prior_auth(title):
    assert (
        known_type([title, "Prescriber name", "Drug name and strength", "Quantity requested"]).type
        == "prior_auth"
    )
