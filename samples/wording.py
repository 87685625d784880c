"""Printed forms of values and labels, and the train/holdout split of wordings."""

from __future__ import annotations

import random
from datetime import date


class Wording:
    """Picks among alternatives; `train` and `holdout` draw from disjoint halves.

    Evaluation on the holdout half measures how the pipeline copes with layouts and
    label wordings it never saw, which is what a new clinic's faxes look like.
    """

    def __init__(self, rng: random.Random, split: str = "all") -> None:
        self.rng, self.split = rng, split

    def pick(self, options: list):
        if self.split == "train" and len(options) > 1:
            options = options[0::2]
        elif self.split == "holdout" and len(options) > 1:
            options = options[1::2]
        return self.rng.choice(options)


def date_text(rng: random.Random, value: date) -> str:
    formats = [
        "%m/%d/%Y",
        "%Y-%m-%d",
        "%b %d, %Y",
        "%m-%d-%Y",
        "%B %d, %Y",
        "%d-%b-%Y",
        "%m/%d/%y",
        "%m.%d.%Y",
    ]
    fmt = rng.choice(formats)
    text = value.strftime(fmt)
    if rng.random() < 0.3 and fmt in ("%m/%d/%Y", "%m-%d-%Y"):
        sep = fmt[2]
        text = sep.join(str(int(p)) if i < 2 else p for i, p in enumerate(text.split(sep)))
    if fmt == "%m/%d/%y" and value.year < 1980:
        text = value.strftime("%m/%d/%Y")  # a two-digit year this old is ambiguous
    return text


def phone_text(rng: random.Random, digits: str) -> str:
    a, b, c = digits[:3], digits[3:6], digits[6:]
    return rng.choice(
        [
            f"({a}) {b}-{c}",
            f"{a}-{b}-{c}",
            f"{a}.{b}.{c}",
            digits,
            f"1-{a}-{b}-{c}",
            f"({a}){b}-{c}",
            f"+1 {a} {b} {c}",
        ]
    )


def name_text(rng: random.Random, first: str, middle: str, last: str) -> str:
    mid = f" {middle}" if middle else ""
    return rng.choice(
        [
            f"{first}{mid}. {last}" if middle else f"{first} {last}",
            f"{last.upper()}, {first.upper()}{mid.upper()}",
            f"{last}, {first}{mid}",
            f"{first} {last}".upper() if not middle else f"{first.upper()} {middle} {last.upper()}",
        ]
    )


def sex_text(rng: random.Random, sex: str) -> str:
    return rng.choice([sex, {"F": "Female", "M": "Male"}[sex], {"F": "FEMALE", "M": "MALE"}[sex]])


def id_text(rng: random.Random, value: str) -> str:
    """IDs are sometimes printed with spaces or dashes in groups."""
    if rng.random() < 0.25 and len(value) > 6:
        return f"{value[:3]}-{value[3:]}" if rng.random() < 0.5 else f"{value[:3]} {value[3:]}"
    return value


LABELS: dict[str, list[str]] = {
    "patient_name": [
        "Patient Name",
        "Patient",
        "Name",
        "Member Name",
        "Pt Name",
        "Patient's Name",
        "Name of Patient",
        "Client",
    ],
    "patient_dob": ["DOB", "Date of Birth", "Birth Date", "D.O.B.", "Birthdate", "DOB (mm/dd/yyyy)"],
    "patient_sex": ["Sex", "Gender", "Sex at birth", "M/F"],
    "patient_phone": ["Phone", "Patient Phone", "Home Phone", "Contact #", "Telephone", "Cell"],
    "patient_address": ["Address", "Home Address", "Street Address", "Mailing Address"],
    "mrn": ["MRN", "Medical Record #", "Chart #", "Patient ID", "Med Rec No", "Account #"],
    "insurance_payer": [
        "Insurance",
        "Insurance Company",
        "Payer",
        "Health Plan",
        "Primary Insurance",
        "Carrier",
        "Plan Name",
    ],
    "member_id": [
        "Member ID",
        "Subscriber ID",
        "Policy #",
        "ID #",
        "Insurance ID",
        "Member #",
        "Policy Number",
        "Identification Number",
    ],
    "group_number": ["Group #", "Group Number", "Group No", "Grp", "Group ID", "Group"],
    "referring_provider": [
        "Referring Provider",
        "Referring Physician",
        "Ordering Provider",
        "PCP",
        "Referred by",
        "Requesting Provider",
    ],
    "referring_npi": ["NPI", "Provider NPI", "NPI #", "Referring NPI", "NPI Number"],
    "referring_phone": ["Phone", "Office Phone", "Tel", "Provider Phone", "Telephone"],
    "referring_fax": ["Fax", "Office Fax", "Fax #", "Provider Fax", "Fax Number"],
    "referred_to_specialty": [
        "Specialty",
        "Referred To Specialty",
        "Refer to",
        "Service Requested",
        "Department",
        "Specialty Requested",
    ],
    "referred_to_provider": [
        "Referred To",
        "Specialist",
        "Consultant",
        "To Provider",
        "Receiving Provider",
        "Preferred Provider",
    ],
    "diagnosis_codes": [
        "Diagnosis",
        "ICD-10",
        "Dx",
        "Diagnosis Code(s)",
        "ICD-10-CM",
        "Diagnoses",
        "Dx Codes",
    ],
    "procedure_codes": [
        "CPT",
        "Procedure",
        "CPT Code(s)",
        "Procedure Code",
        "Service/CPT",
        "Requested Service",
        "HCPCS/CPT",
    ],
    "reason_for_referral": [
        "Reason for Referral",
        "Reason",
        "Clinical Reason",
        "Reason for Consult",
        "Referral Reason",
        "Indication",
    ],
    "urgency": ["Priority", "Urgency", "Referral Priority", "Request Type"],
    "auth_number": [
        "Authorization #",
        "Auth Number",
        "Reference #",
        "Authorization Number",
        "Auth #",
        "Certification #",
        "Approval Number",
        "Case Number",
    ],
    "auth_status": ["Status", "Determination", "Decision", "Review Outcome"],
    "auth_valid_from": ["Valid From", "Effective Date", "Start Date", "Approved From", "From Date"],
    "auth_valid_to": ["Valid To", "Expiration Date", "End Date", "Through", "Valid Through"],
    "service_date": ["Date of Service", "DOS", "Visit Date", "Encounter Date", "Service Date", "Date Seen"],
    "from_name": ["From", "Sender", "From Office"],
    "to_name": ["To", "Attention", "Recipient", "To Office", "Attn"],
    "from_fax": ["Fax", "From Fax", "Sender Fax", "Return Fax", "Fax No"],
    "from_phone": ["Phone", "From Phone", "Sender Phone", "Tel", "Callback Number"],
    "to_fax": ["To Fax", "Fax", "Recipient Fax", "Fax Number", "Fax To"],
    "cover_page_count": [
        "Pages",
        "Number of Pages",
        "Total Pages (including cover)",
        "# of Pages",
        "Pages including cover",
        "No. of pages",
    ],
}

TITLES: dict[str, list[str]] = {
    "fax_cover": [
        "FAX",
        "Fax Cover Sheet",
        "FACSIMILE TRANSMITTAL",
        "Confidential Fax",
        "Fax Transmission",
        "FAX COVER",
        "Facsimile",
        "Telefax Transmittal",
    ],
    "referral": [
        "Referral Request",
        "REFERRAL FORM",
        "Outpatient Referral",
        "Specialty Referral",
        "Consultation Request",
        "Patient Referral Form",
        "Referral Order",
        "Request for Specialist Consultation",
    ],
    "prior_auth": [
        "Prior Authorization Determination",
        "PRIOR AUTHORIZATION REQUEST",
        "Notice of Utilization Review Decision",
        "Pre-Certification Request",
        "Authorization Approval Notice",
        "Pre-Service Review",
        "Notice of Denial",
        "Precertification Decision Letter",
    ],
    "clinical_notes": [
        "Progress Note",
        "OFFICE VISIT NOTE",
        "History and Physical",
        "Clinic Note",
        "Discharge Summary",
        "Follow-Up Visit",
        "Outpatient Note",
        "Encounter Summary",
    ],
    "lab_result": [
        "Laboratory Report",
        "LAB RESULTS",
        "Clinical Laboratory Report",
        "Final Report - Chemistry",
        "Test Results",
        "Pathology & Lab Services",
        "Cumulative Lab Report",
        "Hematology Report",
    ],
    "imaging_report": [
        "Radiology Report",
        "DIAGNOSTIC IMAGING REPORT",
        "MRI Report",
        "Imaging Results",
        "Ultrasound Report",
        "CT Scan Report",
        "X-Ray Report",
        "Department of Radiology",
    ],
    "demographics": [
        "Patient Registration",
        "FACE SHEET",
        "Patient Demographics",
        "Patient Information Form",
        "New Patient Registration",
        "Admission Face Sheet",
        "Patient Intake Form",
        "Registration Summary",
    ],
    "consult_report": [
        "Consultation Report",
        "CONSULT NOTE",
        "Specialist Consultation",
        "Letter to Referring Physician",
        "New Patient Consultation",
        "Consult Letter",
        "Consultation Summary",
        "Specialty Consult",
    ],
    "records_request": [
        "Request for Medical Records",
        "RECORDS REQUEST",
        "Authorization to Release Health Information",
        "Medical Records Request",
        "Request for Copies of Records",
        "Release of Information Request",
        "Records Release Authorization",
        "Request for Patient Records",
    ],
}
