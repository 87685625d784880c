"""Free text for synthetic documents: histories, letters, lab rows. All invented."""

from __future__ import annotations

import random

from samples.synthetic import DIAGNOSES, PROCEDURES, Case
from samples.wording import Wording, date_text, id_text, name_text

SYMPTOMS = [
    "fatigue",
    "intermittent chest discomfort",
    "shortness of breath on exertion",
    "lower back pain radiating to the left leg",
    "abdominal bloating",
    "headaches",
    "joint stiffness in the morning",
    "dizziness when standing",
    "poor sleep and snoring",
    "palpitations",
    "heartburn after meals",
    "knee pain with stairs",
]
MEDS = [
    "lisinopril 10 mg daily",
    "metformin 500 mg twice daily",
    "atorvastatin 40 mg nightly",
    "omeprazole 20 mg daily",
    "levothyroxine 50 mcg daily",
    "albuterol inhaler as needed",
    "ibuprofen 400 mg as needed",
    "sertraline 50 mg daily",
    "apixaban 5 mg twice daily",
]


def confidentiality(rng: random.Random) -> str:
    return rng.choice(
        [
            "CONFIDENTIALITY NOTICE: This facsimile contains protected health information that is "
            "privileged and confidential. If you are not the intended recipient, please notify the "
            "sender immediately and destroy all copies.",
            "The documents accompanying this fax transmission contain confidential health "
            "information that is legally privileged. Any disclosure, copying or distribution is "
            "strictly prohibited. If you received this fax in error, please call us.",
            "This message is intended only for the use of the individual or entity to which it is "
            "addressed. Please call the sender if any pages are missing or illegible.",
        ]
    )


def history(rng: random.Random, c: Case) -> str:
    age = c.today.year - c.patient.dob.year
    pronoun = "She" if c.patient.sex == "F" else "He"
    return (
        f"{age} year old {'female' if c.patient.sex == 'F' else 'male'} with "
        f"{DIAGNOSES[c.diagnoses[0]].lower()} and {rng.choice(SYMPTOMS)} for "
        f"{rng.randint(2, 20)} {rng.choice(['weeks', 'months'])}. {pronoun} has tried "
        f"{rng.choice(MEDS)} without adequate relief. Current medications include "
        f"{rng.choice(MEDS)} and {rng.choice(MEDS)}. Please see attached office notes."
    )


def soap(rng: random.Random, c: Case, wording: Wording) -> list[tuple[str, str]]:
    pronoun = "She" if c.patient.sex == "F" else "He"
    bp = f"{rng.randint(110, 160)}/{rng.randint(65, 95)}"
    return [
        (
            wording.pick(["Chief Complaint", "CC", "Reason for Visit"]),
            f"{rng.choice(SYMPTOMS).capitalize()}.",
        ),
        (
            wording.pick(["History of Present Illness", "HPI", "Subjective"]),
            f"{pronoun} reports {rng.choice(SYMPTOMS)} and {rng.choice(SYMPTOMS)} over the past "
            f"{rng.randint(2, 12)} weeks. Denies fever or weight loss. Taking {rng.choice(MEDS)}.",
        ),
        (
            wording.pick(["Physical Exam", "Objective", "Examination"]),
            f"BP {bp}, HR {rng.randint(58, 104)}, Temp 98.{rng.randint(0, 9)} F. Alert and oriented. "
            f"Lungs clear. Heart regular rhythm. {rng.choice(['Mild tenderness noted.', 'No edema.'])}",
        ),
    ]


def plan(rng: random.Random, c: Case) -> str:
    return rng.choice(
        [
            f"Plan: refer to {c.specialty} for further evaluation. Continue current medications. "
            f"Follow up in {rng.randint(2, 8)} weeks.",
            f"Recommend {PROCEDURES[c.procedures[0]].lower()}. Return to clinic in "
            f"{rng.randint(1, 6)} months or sooner if symptoms worsen.",
            "Lifestyle counseling provided. Labs ordered. Patient verbalized understanding.",
        ]
    )


def auth_explanation(rng: random.Random, c: Case) -> str:
    if c.auth_status == "denied":
        return (
            "The requested service does not meet medical necessity criteria based on the "
            "clinical information submitted. You may request a peer-to-peer review or appeal."
        )
    if c.auth_status == "pending":
        return (
            "Additional clinical information is required to complete this review. Please "
            "submit recent office notes within 14 days."
        )
    return (
        "The requested service has been authorized for the dates shown. Authorization does "
        "not guarantee payment; benefits are subject to eligibility at the time of service."
    )


def auth_letter(rng: random.Random, c: Case, wording: Wording) -> str:
    p = c.patient
    code = c.procedures[0]
    member = f"{name_text(rng, p.first, p.middle, p.last)} (ID {id_text(rng, c.member_id)})"
    service = (
        f"{PROCEDURES[code].lower()} (CPT {code})"
        if code[0].isdigit()
        else f"{PROCEDURES[code]} (HCPCS {code})"
    )
    verdict = {
        "approved": wording.pick(
            ["has been approved", "has been APPROVED", "is approved", "was reviewed and approved"]
        ),
        "denied": wording.pick(
            ["has been denied", "has been DENIED", "is not approved and is denied", "was reviewed and denied"]
        ),
        "pending": wording.pick(
            [
                "is pending further review",
                "remains PENDING",
                "is pending additional information",
                "is currently pending",
            ]
        ),
    }[c.auth_status]
    text = f"We have reviewed the request for {service} for member {member}. The request {verdict}."
    if c.auth_status == "approved":
        text += (
            f" This authorization is valid from {date_text(rng, c.auth_from)} through "
            f"{date_text(rng, c.auth_to)}."
        )
    return text + " " + auth_explanation(rng, c)


def appeal_text(rng: random.Random, c: Case) -> str:
    return (
        "If you have questions about this determination, please call Provider Services. "
        "Appeals must be submitted in writing within 60 days of the date of this notice."
    )


def lab_rows(rng: random.Random) -> list[list[str]]:
    tests = [
        ("Glucose", 70, 99, "mg/dL"),
        ("Sodium", 136, 145, "mmol/L"),
        ("Potassium", 3.5, 5.1, "mmol/L"),
        ("Creatinine", 0.6, 1.2, "mg/dL"),
        ("Hemoglobin", 12.0, 16.0, "g/dL"),
        ("WBC", 4.0, 11.0, "K/uL"),
        ("Platelets", 150, 400, "K/uL"),
        ("TSH", 0.4, 4.0, "uIU/mL"),
        ("Hemoglobin A1c", 4.0, 5.6, "%"),
        ("LDL Cholesterol", 0, 99, "mg/dL"),
        ("ALT", 7, 56, "U/L"),
        ("eGFR", 60, 120, "mL/min"),
    ]
    rows = []
    for name, low, high, unit in rng.sample(tests, rng.randint(5, 10)):
        value = round(rng.uniform(low * 0.7, high * 1.3), 1)
        flag = "H" if value > high else "L" if value < low else ""
        rows.append([name, str(value), flag, unit, f"{low}-{high}"])
    return rows


def imaging_sections(rng: random.Random, c: Case) -> list[tuple[str, str]]:
    return [
        ("Clinical History", f"{DIAGNOSES[c.diagnoses[0]]}. {rng.choice(SYMPTOMS).capitalize()}."),
        ("Technique", "Multiplanar multisequence images were obtained per protocol."),
        ("Comparison", rng.choice(["None.", "Prior study from last year."])),
        (
            "Findings",
            rng.choice(
                [
                    "Mild degenerative disc disease at L4-L5 with small broad-based disc bulge. No "
                    "significant canal stenosis.",
                    "No acute abnormality. Organs are normal in size.",
                    "Small joint effusion. Degenerative changes of the medial compartment.",
                    "Normal left ventricular size and function. Ejection fraction 55 to 60 percent.",
                ]
            ),
        ),
        (
            "Impression",
            rng.choice(
                [
                    "No acute findings.",
                    "Mild degenerative changes.",
                    "Findings as above; clinical correlation recommended.",
                ]
            ),
        ),
    ]


def card_back(rng: random.Random, c: Case) -> list[str]:
    return [
        "Member Services: 1-800-555-0199   TTY 711",
        "Provider inquiries and prior authorization: 1-800-555-0142",
        "Submit claims to: PO Box 4455, Springfield, IL 62701",
        "This card does not guarantee coverage. Present at time of service.",
        "Pharmacy benefits administered by CVS Caremark.",
    ]


def consult_opening(rng: random.Random, c: Case) -> str:
    return (
        f"Thank you for referring your patient to our {c.specialty} clinic. I had the "
        f"pleasure of seeing them in consultation for {DIAGNOSES[c.diagnoses[0]].lower()}. "
        "My findings and recommendations are summarized below."
    )


def records_text(rng: random.Random, c: Case) -> str:
    return rng.choice(
        [
            "Please send copies of the following records for continuity of care. A signed patient "
            "authorization is on file with our office.",
            "We are requesting the medical records listed below for the patient named above, who "
            "has an upcoming appointment with our practice.",
        ]
    )


def appointment_title(rng: random.Random) -> str:
    return rng.choice(
        [
            "Appointment Confirmation",
            "APPOINTMENT SCHEDULED",
            "Referral Appointment Notice",
            "Scheduling Confirmation",
        ]
    )


def appointment_text(rng: random.Random, c: Case) -> str:
    doctor = f"Dr. {c.specialist.last}"
    return rng.choice(
        [
            f"Thank you for your referral. This confirms the patient has been scheduled to see {doctor} "
            "on the date above. Please ask the patient to arrive 15 minutes early with the insurance card.",
            f"The appointment for the patient named above has been booked with {doctor}. If the patient "
            "needs to reschedule, please call our office at least 24 hours in advance.",
            f"We have received your referral and confirmed an appointment with {doctor}, {c.specialty}. "
            "Kindly forward any recent imaging or lab results before the visit.",
        ]
    )


def other_page(rng: random.Random) -> tuple[str, list[str]]:
    return rng.choice(
        [
            (
                "Pharmacy Notice",
                [
                    "Your patient's prescription requires a new order. The medication "
                    "on file is no longer covered by the formulary. Please call the "
                    "pharmacy with an alternative."
                ],
            ),
            (
                "Seminar Invitation",
                [
                    "Join us for a continuing education dinner on advances in "
                    "diabetes management. Seating is limited; RSVP by phone."
                ],
            ),
            (
                "Office Closure",
                [
                    "Our office will be closed for the holiday. For urgent matters please "
                    "contact the on-call service. Regular hours resume Monday."
                ],
            ),
            (
                "Equipment Delivery Confirmation",
                [
                    "The durable medical equipment ordered has been "
                    "delivered. Please sign and return this form."
                ],
            ),
        ]
    )
