"""Letters about a referral case, to fax to the other office: where the referral stands, or
a request for the consult report."""

from __future__ import annotations

from datetime import date

from core.settings import Settings
from outbound.letters import Letterhead, letter_pdf
from storage.models import ReferralCase

KINDS = ("status", "consult-request")


def case_letter(case: ReferralCase, kind: str, settings: Settings, today: date) -> bytes:
    head = Letterhead(
        settings.clinic_name,
        settings.clinic_fax,
        case.referring_provider or "",
        case.referring_fax or "",
        f"{case.patient_name or 'your patient'}" + (f", DOB {case.patient_dob}" if case.patient_dob else ""),
    )
    facts = [
        f"Referral received {case.opened_at:%Y-%m-%d}" + (f" for {case.specialty}" if case.specialty else ""),
        f"Current status: {case.state.replace('_', ' ')}",
    ]
    if case.auth_number:
        valid = f"{case.auth_valid_from or '?'} to {case.auth_valid_to or '?'}"
        facts.append(f"Authorization {case.auth_number} valid {valid}")
    if kind == "status":
        return letter_pdf(head, "Status of referral", "Where your referral stands with us:", facts, today)
    if kind == "consult-request":
        intro = "Please fax us the consult report for this patient's visit, so the referring provider has it:"
        return letter_pdf(head, "Request for consult report", intro, facts, today)
    raise ValueError(f"letter kind must be one of {', '.join(KINDS)}")
