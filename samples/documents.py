"""One builder per document type: pages to draw, and the fields they print (ground truth)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from samples import clinical
from samples.forms import STYLES
from samples.layout import PAGE_WIDTH, PageSpec, Sheet
from samples.synthetic import DIAGNOSES, PROCEDURES, Case
from samples.wording import (
    LABELS,
    TITLES,
    Wording,
    date_text,
    id_text,
    name_text,
    phone_text,
    sex_text,
)


@dataclass
class Context:
    rng: random.Random
    wording: Wording
    case: Case
    family: tuple[str, str]
    omit: set[str] = field(default_factory=set)  # fields deliberately left off (defects)
    declared_pages: int = 0  # what a cover sheet claims
    invalid_npi: str = ""

    def sheet(self) -> Sheet:
        return Sheet(self.rng, self.family, size=self.rng.choice([9.0, 10.0, 10.5, 11.0, 12.0]))

    def label(self, key: str) -> str:
        return self.wording.pick(LABELS[key])


@dataclass
class Built:
    type: str
    pages: list[PageSpec]
    fields: dict


class Form:
    """Collects (label, printed value) pairs and the ground truth they imply."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.pairs: list = []
        self.truth: dict = {}

    def add(self, key: str, printed: str, truth, label: str | None = None) -> None:
        if key in self.ctx.omit:
            return
        self.pairs.append((label or self.ctx.label(key), printed))
        self.truth[key] = truth

    def patient(self, *, sex: bool = False, phone: bool = False, address: bool = False) -> None:
        c, rng = self.ctx.case, self.ctx.rng
        p = c.patient
        self.add("patient_name", name_text(rng, p.first, p.middle, p.last), p.name)
        self.add("patient_dob", date_text(rng, p.dob), p.dob.isoformat())
        if sex:
            self.add("patient_sex", sex_text(rng, p.sex), p.sex)
        if phone:
            self.add("patient_phone", phone_text(rng, p.phone), p.phone)
        if address:
            self.add("patient_address", p.address, p.address)

    def insurance(self) -> None:
        c, rng = self.ctx.case, self.ctx.rng
        self.add("insurance_payer", c.payer, c.payer)
        self.add("member_id", id_text(rng, c.member_id), c.member_id)
        self.add("group_number", c.group_number, c.group_number)

    def codes(self, key: str, codes: list[str], names: dict) -> None:
        rng = self.ctx.rng
        if rng.random() < 0.5:
            printed = ", ".join(codes)
        else:
            printed = "; ".join(
                f"{code} - {names[code]}" if rng.random() < 0.6 else f"{names[code]} ({code})"
                for code in codes
            )
        self.add(key, printed, list(codes))

    def draw(self, sheet: Sheet, style=None) -> None:
        (style or self.ctx.wording.pick(STYLES))(sheet, self.pairs)
        self.pairs = []


def _title(ctx: Context, sheet: Sheet, doc_type: str) -> None:
    if ctx.rng.random() < 0.6:
        sheet.line(
            ctx.case.referring.practice if doc_type != "consult_report" else ctx.case.specialist.practice,
            size=sheet.size + 2,
            bold=True,
        )
        sheet.line(f"Tel {phone_text(ctx.rng, ctx.case.referring.phone)}", size=sheet.size - 1)
    title = ctx.wording.pick(TITLES[doc_type])
    if ctx.rng.random() < 0.5:
        sheet.centered(title, sheet.size + 6)
    else:
        sheet.line(title, size=sheet.size + 5, bold=True)
    sheet.rule()


def _section(ctx: Context, sheet: Sheet, text: str) -> None:
    sheet.advance(0.5)
    sheet.line(text.upper() if ctx.rng.random() < 0.5 else text, bold=True, size=sheet.size + 1)


def _page_numbers(pages: list[PageSpec], sheet: Sheet, ctx: Context) -> None:
    """Footers like "Page 2 of 3" on multi-page documents (not always printed)."""
    if len(pages) < 2 or ctx.rng.random() < 0.3:
        return
    fmt = ctx.rng.choice(["Page {k} of {n}", "Page {k}/{n}", "Pg {k} of {n}", "- {k} of {n} -"])
    for k, page in enumerate(pages, start=1):
        sheet.pages = [page]
        sheet.y = 792 - 40
        sheet.text(PAGE_WIDTH / 2 - 30, fmt.format(k=k, n=len(pages)), size=sheet.size - 1)


def _finish(ctx: Context, sheet: Sheet, doc_type: str, truth: dict) -> Built:
    pages = list(sheet.pages)
    _page_numbers(pages, sheet, ctx)
    return Built(doc_type, pages, truth)


def fax_cover(ctx: Context) -> Built:
    c, rng, sheet = ctx.case, ctx.rng, ctx.sheet()
    _title_only(ctx, sheet, "fax_cover")
    form = Form(ctx)
    form.add("to_name", c.specialist.practice, c.specialist.practice)
    form.add("to_fax", phone_text(rng, c.specialist.fax), c.specialist.fax)
    form.add("from_name", c.referring.practice, c.referring.practice)
    form.add("from_fax", phone_text(rng, c.referring.fax), c.referring.fax)
    form.add("from_phone", phone_text(rng, c.referring.phone), c.referring.phone)
    form.pairs.append(("Date", date_text(rng, c.today)))
    form.add("cover_page_count", str(ctx.declared_pages), ctx.declared_pages)
    form.pairs.append(("Re", rng.choice(["Referral", "Patient referral", "Records", "Authorization"])))
    form.draw(sheet)
    sheet.advance(2)
    sheet.paragraph(clinical.confidentiality(rng))
    return _finish(ctx, sheet, "fax_cover", form.truth)


def _title_only(ctx: Context, sheet: Sheet, doc_type: str) -> None:
    sheet.centered(ctx.wording.pick(TITLES[doc_type]), sheet.size + 10)
    sheet.rule(2)


def referral(ctx: Context) -> Built:
    c, rng, sheet = ctx.case, ctx.rng, ctx.sheet()
    _title(ctx, sheet, "referral")
    form = Form(ctx)
    _section(ctx, sheet, ctx.wording.pick(["Patient Information", "Patient", "Patient Demographics"]))
    form.patient(sex=rng.random() < 0.7, phone=rng.random() < 0.6)
    if rng.random() < 0.5:
        form.add("mrn", c.mrn, c.mrn)
    form.draw(sheet)
    _section(ctx, sheet, ctx.wording.pick(["Insurance", "Insurance Information", "Coverage"]))
    form.insurance()
    form.draw(sheet)
    _section(ctx, sheet, ctx.wording.pick(["Referring Provider", "Ordering Physician", "From"]))
    npi = ctx.invalid_npi or c.referring.npi
    form.add("referring_provider", c.referring.name, c.referring.name)
    form.add("referring_npi", npi, npi)
    form.add("referring_phone", phone_text(rng, c.referring.phone), c.referring.phone)
    form.add("referring_fax", phone_text(rng, c.referring.fax), c.referring.fax)
    form.draw(sheet)
    _section(ctx, sheet, ctx.wording.pick(["Referral Details", "Referred To", "Request"]))
    specialty = c.specialty.title() if rng.random() < 0.6 else c.specialty.upper()
    form.add("referred_to_specialty", specialty, c.specialty)
    if rng.random() < 0.6:
        form.add("referred_to_provider", c.specialist.name, c.specialist.name)
    form.codes("diagnosis_codes", c.diagnoses, DIAGNOSES)
    if rng.random() < 0.6:
        form.codes("procedure_codes", c.procedures, PROCEDURES)
    form.add("reason_for_referral", c.reason, c.reason)
    form.draw(sheet)
    _urgency(ctx, sheet, form)
    if rng.random() < 0.4:
        sheet.new_page()
    _section(ctx, sheet, ctx.wording.pick(["Clinical Summary", "Pertinent History", "Notes"]))
    sheet.paragraph(clinical.history(rng, c))
    sheet.line(f"Signature: ______________________   {c.referring.name}")
    return _finish(ctx, sheet, "referral", form.truth)


def _urgency(ctx: Context, sheet: Sheet, form: Form) -> None:
    urgency = ctx.case.urgency
    if "urgency" in ctx.omit:
        return
    form.truth["urgency"] = urgency
    label = ctx.label("urgency")
    if ctx.rng.random() < 0.5:
        sheet.ensure(30)
        x = sheet.text(sheet.margin, f"{label}:", bold=True) + 10
        for option in ["Routine", "Urgent", "STAT"]:
            x = sheet.checkbox(x, option, option.lower() == urgency)
        sheet.advance(1.5)
    else:
        printed = urgency.upper() if urgency == "stat" else urgency.title()
        sheet.line(f"{label}: {printed}")


def prior_auth(ctx: Context) -> Built:
    builder = ctx.wording.pick([_prior_auth_letter, _prior_auth_form])
    return builder(ctx)


def _prior_auth_form(ctx: Context) -> Built:
    c, rng, sheet = ctx.case, ctx.rng, ctx.sheet()
    sheet.line(c.payer, size=sheet.size + 4, bold=True)
    _title_only(ctx, sheet, "prior_auth")
    form = Form(ctx)
    form.patient()
    form.add("insurance_payer", c.payer, c.payer, label=rng.choice(["Health Plan", "Payer", "Plan"]))
    form.add("member_id", id_text(rng, c.member_id), c.member_id)
    form.add("referring_npi", c.referring.npi, c.referring.npi, label="Requesting Provider NPI")
    form.codes("procedure_codes", c.procedures, PROCEDURES)
    form.codes("diagnosis_codes", c.diagnoses, DIAGNOSES)
    form.add("auth_number", c.auth_number, c.auth_number)
    form.add(
        "auth_status", c.auth_status.upper() if rng.random() < 0.5 else c.auth_status.title(), c.auth_status
    )
    if c.auth_status == "approved":
        form.add("auth_valid_from", date_text(rng, c.auth_from), c.auth_from.isoformat())
        form.add("auth_valid_to", date_text(rng, c.auth_to), c.auth_to.isoformat())
    form.draw(sheet)
    sheet.advance()
    sheet.paragraph(clinical.auth_explanation(rng, c))
    return _finish(ctx, sheet, "prior_auth", form.truth)


def _prior_auth_letter(ctx: Context) -> Built:
    c, rng, sheet = ctx.case, ctx.rng, ctx.sheet()
    sheet.line(c.payer, size=sheet.size + 5, bold=True)
    sheet.line(
        ctx.wording.pick(
            [
                "Utilization Management",
                "Prior Authorization Department",
                "Medical Review Unit",
                "Clinical Review",
            ]
        )
    )
    sheet.advance()
    sheet.line(date_text(rng, c.today))
    sheet.line(f"Dr. {c.referring.first} {c.referring.last}")
    sheet.line(c.referring.practice)
    sheet.advance()
    sheet.line(f"RE: {ctx.wording.pick(TITLES['prior_auth'])}", bold=True)
    p = c.patient
    truth = {
        "patient_name": p.name,
        "member_id": c.member_id,
        "auth_status": c.auth_status,
        "auth_number": c.auth_number,
        "procedure_codes": list(c.procedures),
        "insurance_payer": c.payer,
    }
    sheet.line(f"Member: {name_text(rng, p.first, p.middle, p.last)}    DOB: {date_text(rng, p.dob)}")
    truth["patient_dob"] = p.dob.isoformat()
    sheet.line(f"{ctx.label('auth_number')}: {c.auth_number}")
    sheet.advance()
    sheet.line(f"Dear Dr. {c.referring.last}:")
    sheet.paragraph(clinical.auth_letter(rng, c, ctx.wording))
    if c.auth_status == "approved":
        truth["auth_valid_from"] = c.auth_from.isoformat()
        truth["auth_valid_to"] = c.auth_to.isoformat()
    sheet.paragraph(clinical.appeal_text(rng, c))
    sheet.line("Sincerely,")
    sheet.line(
        f"{rng.choice(['Medical Director', 'Utilization Review Nurse', 'Clinical Reviewer'])}, {c.payer}"
    )
    return _finish(ctx, sheet, "prior_auth", truth)


def _patient_header(ctx: Context, sheet: Sheet, with_mrn: bool) -> dict:
    c, rng = ctx.case, ctx.rng
    form = Form(ctx)
    form.patient()
    if with_mrn:
        form.add("mrn", c.mrn, c.mrn)
    form.add("service_date", date_text(rng, c.service_date), c.service_date.isoformat())
    form.draw(sheet, ctx.wording.pick([STYLES[0], STYLES[2], STYLES[1]]))
    return form.truth


def clinical_notes(ctx: Context) -> Built:
    c, rng, sheet = ctx.case, ctx.rng, ctx.sheet()
    _title(ctx, sheet, "clinical_notes")
    truth = _patient_header(ctx, sheet, rng.random() < 0.6)
    sheet.line(f"Provider: {c.referring.name}")
    for heading, text in clinical.soap(rng, c, ctx.wording):
        _section(ctx, sheet, heading)
        sheet.paragraph(text)
    truth["diagnosis_codes"] = _assessment(ctx, sheet)
    return _finish(ctx, sheet, "clinical_notes", truth)


def _assessment(ctx: Context, sheet: Sheet) -> list[str]:
    _section(
        ctx, sheet, ctx.wording.pick(["Assessment and Plan", "Assessment", "Impression/Plan", "Diagnoses"])
    )
    for i, code in enumerate(ctx.case.diagnoses, start=1):
        sheet.line(
            f"{i}. {DIAGNOSES[code]} ({code})" if ctx.rng.random() < 0.5 else f"{i}. {code} {DIAGNOSES[code]}"
        )
    sheet.paragraph(clinical.plan(ctx.rng, ctx.case))
    return list(ctx.case.diagnoses)


def lab_result(ctx: Context) -> Built:
    c, rng, sheet = ctx.case, ctx.rng, ctx.sheet()
    sheet.line(
        rng.choice(
            [
                "Quest Diagnostics",
                "LabCorp",
                "Regional Reference Laboratory",
                "Community Hospital Laboratory",
                "Sunrise Clinical Labs",
            ]
        ),
        size=sheet.size + 4,
        bold=True,
    )
    _title_only(ctx, sheet, "lab_result")
    truth = _patient_header(ctx, sheet, rng.random() < 0.5)
    sheet.line(f"Ordering: {c.referring.name}")
    sheet.advance(0.5)
    x = [sheet.margin, sheet.margin + 190, sheet.margin + 270, sheet.margin + 330, sheet.margin + 420]
    for head, xx in zip(["Test", "Result", "Flag", "Units", "Reference Range"], x, strict=True):
        sheet.text(xx, head, bold=True)
    sheet.advance()
    sheet.rule()
    for row in clinical.lab_rows(rng):
        sheet.ensure(20)
        for cell, xx in zip(row, x, strict=True):
            sheet.text(xx, cell)
        sheet.advance()
    if rng.random() < 0.5:
        truth["diagnosis_codes"] = list(c.diagnoses[:1])
        sheet.line(f"{ctx.label('diagnosis_codes')}: {c.diagnoses[0]}")
    sheet.advance()
    sheet.paragraph(
        "Results reviewed and released by the laboratory. "
        "Values flagged H or L are outside the reference range."
    )
    return _finish(ctx, sheet, "lab_result", truth)


def imaging_report(ctx: Context) -> Built:
    c, rng, sheet = ctx.case, ctx.rng, ctx.sheet()
    sheet.line(
        rng.choice(
            [
                "Northside Imaging Center",
                "Advanced Radiology",
                "Metro Diagnostic Imaging",
                "University Hospital Radiology",
            ]
        ),
        size=sheet.size + 4,
        bold=True,
    )
    _title_only(ctx, sheet, "imaging_report")
    truth = _patient_header(ctx, sheet, rng.random() < 0.5)
    exam = rng.choice(
        [
            "MRI LUMBAR SPINE WITHOUT CONTRAST",
            "CT ABDOMEN AND PELVIS WITH CONTRAST",
            "XR CHEST 2 VIEWS",
            "US ABDOMEN COMPLETE",
            "MRI RIGHT KNEE WITHOUT CONTRAST",
            "ECHOCARDIOGRAM TRANSTHORACIC",
        ]
    )
    sheet.line(f"EXAM: {exam}", bold=True)
    for heading, text in clinical.imaging_sections(rng, c):
        _section(ctx, sheet, heading)
        sheet.paragraph(text)
    if rng.random() < 0.5:
        truth["diagnosis_codes"] = list(c.diagnoses[:1])
        sheet.line(f"Indication code: {c.diagnoses[0]}")
    signer = f"{c.specialist.first} {c.specialist.last}"
    sheet.line(f"Electronically signed by {rng.choice(['Dr. ', ''])}{signer}, MD")
    return _finish(ctx, sheet, "imaging_report", truth)


def insurance_card(ctx: Context) -> Built:
    c, rng, sheet = ctx.case, ctx.rng, ctx.sheet()
    sheet.line(
        rng.choice(["Copy of insurance card", "INSURANCE CARD (FRONT/BACK)", "Ins card", ""]), size=sheet.size
    )
    top = sheet.y + 10
    left, right = sheet.margin + 40, sheet.margin + 40 + 324
    sheet.box(left, top, right, top + 204)
    sheet.y = top + 12
    sheet.text(left + 14, c.payer, size=15, bold=True)
    sheet.y += 32
    p = c.patient
    truth = {
        "patient_name": p.name,
        "insurance_payer": c.payer,
        "member_id": c.member_id,
        "group_number": c.group_number,
    }
    lines = [
        (
            ctx.wording.pick(["Member", "Subscriber", "Name", "Member Name"]),
            name_text(rng, p.first, p.middle, p.last),
        ),
        (
            ctx.wording.pick(["ID", "Member ID", "Subscriber ID", "Identification #"]),
            id_text(rng, c.member_id),
        ),
        (ctx.wording.pick(["Group", "GRP", "Group No.", "Group #"]), c.group_number),
        ("RxBIN", str(rng.randint(100000, 999999))),
        ("PCP Copay", f"${rng.choice([10, 20, 25, 30])}   Specialist ${rng.choice([40, 50, 60])}"),
    ]
    for label, value in lines:
        sheet.text(left + 14, f"{label}:" if rng.random() < 0.5 else label, size=9)
        sheet.text(left + 110, value, size=10, bold=True)
        sheet.y += 18
    sheet.y = top + 230
    sheet.box(left, sheet.y, right, sheet.y + 180)
    sheet.y += 14
    for text in clinical.card_back(rng, c):
        sheet.text(left + 14, text, size=8)
        sheet.y += 14
    return _finish(ctx, sheet, "insurance_card", truth)


def demographics(ctx: Context) -> Built:
    c, rng, sheet = ctx.case, ctx.rng, ctx.sheet()
    _title(ctx, sheet, "demographics")
    form = Form(ctx)
    form.patient(sex=True, phone=True, address=True)
    form.add("mrn", c.mrn, c.mrn)
    form.draw(sheet)
    _section(ctx, sheet, "Insurance")
    form.insurance()
    form.draw(sheet)
    _section(ctx, sheet, ctx.wording.pick(["Emergency Contact", "Guarantor"]))
    other = ctx.case.extras.setdefault("contact", ctx.case.specialist)
    relation = rng.choice(["Spouse", "Daughter", "Son", "Parent"])
    sheet.line(f"Contact: {other.first} {c.patient.last}    Relationship: {relation}")
    return _finish(ctx, sheet, "demographics", form.truth)


def consult_report(ctx: Context) -> Built:
    c, rng, sheet = ctx.case, ctx.rng, ctx.sheet()
    _title(ctx, sheet, "consult_report")
    sheet.line(date_text(rng, c.today))
    sheet.line(f"{c.referring.name}")
    sheet.line(c.referring.practice)
    sheet.advance()
    truth = _patient_header(ctx, sheet, rng.random() < 0.4)
    sheet.advance()
    sheet.line(f"Dear Dr. {c.referring.last},")
    sheet.paragraph(clinical.consult_opening(rng, c))
    for heading, text in clinical.soap(rng, c, ctx.wording)[1:3]:
        _section(ctx, sheet, heading)
        sheet.paragraph(text)
    truth["diagnosis_codes"] = _assessment(ctx, sheet)
    sheet.line("Thank you for this referral.")
    sheet.line(c.specialist.name)
    return _finish(ctx, sheet, "consult_report", truth)


def records_request(ctx: Context) -> Built:
    c, rng, sheet = ctx.case, ctx.rng, ctx.sheet()
    _title(ctx, sheet, "records_request")
    form = Form(ctx)
    form.patient()
    form.draw(sheet)
    sheet.advance()
    sheet.paragraph(clinical.records_text(rng, c))
    for item in rng.sample(
        [
            "Office notes",
            "Lab results",
            "Imaging reports",
            "Medication list",
            "Immunization records",
            "Operative reports",
            "Billing records",
        ],
        3,
    ):
        sheet.checkbox(sheet.margin + 10, item, True)
        sheet.advance()
    sheet.line(f"Requested by: {c.specialist.practice}   Fax: {phone_text(rng, c.specialist.fax)}")
    return _finish(ctx, sheet, "records_request", form.truth)


def other(ctx: Context) -> Built:
    rng, sheet = ctx.rng, ctx.sheet()
    title, body = clinical.other_page(rng)
    sheet.centered(title, sheet.size + 8)
    for para in body:
        sheet.paragraph(para)
    return Built("other", sheet.pages, {})


def appointment_confirmation(ctx: Context) -> Built:
    """A specialist's office confirming the visit it booked: typed `other` by the contract,
    read by the referral tracker for the patient and the appointment date."""
    c, rng, sheet = ctx.case, ctx.rng, ctx.sheet()
    first = max(c.today + timedelta(days=3), c.auth_from)
    visit = first + timedelta(days=rng.randint(0, max(0, (c.auth_to - first).days // 2)))
    sheet.line(c.specialist.practice, size=sheet.size + 2, bold=True)
    sheet.centered(clinical.appointment_title(rng), sheet.size + 6)
    sheet.rule()
    form = Form(ctx)
    form.patient()
    label = ctx.wording.pick(["Appointment Date", "Appointment", "Scheduled For", "Date of Appointment"])
    form.add(
        "visit_date", f"{date_text(rng, visit)} {rng.choice(['9:00 AM', '10:30 AM', '2:15 PM'])}", "", label
    )
    form.draw(sheet)
    sheet.advance()
    sheet.paragraph(clinical.appointment_text(rng, c))
    c.extras["visit_date"] = visit.isoformat()
    return Built("other", sheet.pages, {})


def blank(ctx: Context) -> Built:
    """A page that came through empty: the contract's unreadable page."""
    return Built("other", [PageSpec(blank=True)], {})


BUILDERS: dict[str, Callable[[Context], Built]] = {
    "fax_cover": fax_cover,
    "referral": referral,
    "prior_auth": prior_auth,
    "clinical_notes": clinical_notes,
    "lab_result": lab_result,
    "imaging_report": imaging_report,
    "insurance_card": insurance_card,
    "demographics": demographics,
    "consult_report": consult_report,
    "records_request": records_request,
    "other": other,
    "appointment_confirmation": appointment_confirmation,
}
