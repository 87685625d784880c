"""A case's fields and its making, whoever opens it: a referral fax read by the pipeline, a
VA registering an outbound referral, or another system through the API."""

from __future__ import annotations

from datetime import datetime

from referrals.states import move
from storage.models import CaseEvent, ReferralCase

# contract field key -> case column
CASE_FIELDS = {
    "patient_name": "patient_name",
    "patient_dob": "patient_dob",
    "member_id": "member_id",
    "insurance_payer": "payer",
    "referring_provider": "referring_provider",
    "referring_npi": "referring_npi",
    "referring_fax": "referring_fax",
    "referring_phone": "referring_phone",
    "referred_to_specialty": "specialty",
    "referred_to_provider": "receiving_provider",
    "diagnosis_codes": "diagnosis_codes",
    "procedure_codes": "procedure_codes",
    "urgency": "urgency",
}


def new_case(
    fields: dict,
    now: datetime,
    actor: str,
    *,
    complete: bool,
    fax_id: int | None = None,
    direction: str = "inbound",
) -> ReferralCase:
    """A case in `received`, moved on to `documentation_complete` at once when `complete`."""
    case = ReferralCase(
        state="received",
        opened_at=now,
        updated_at=now,
        state_since=now,
        source_fax_id=fax_id,
        direction=direction,
        diagnosis_codes=[],
        procedure_codes=[],
    )
    fill(case, fields)
    case.events.append(CaseEvent(kind="transition", to_state="received", actor=actor, fax_id=fax_id, at=now))
    if complete:
        move(case, "documentation_complete", actor, now, fax_id)
    return case


def fill(case: ReferralCase, fields: dict) -> None:
    for key, column in CASE_FIELDS.items():
        if key in fields:
            setattr(case, column, fields[key])
    case.urgency = fields.get("urgency", case.urgency or "routine")
