"""Outbound referrals (the clinic's own, sent elsewhere) registered by hand or through the
API. Values are read with the pipeline's own parsers and checks, so a case opened this way
holds the same normal forms as one opened from a fax."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy.orm import Session

from extractors.fields import read_value
from referrals.cases import CASE_FIELDS, new_case
from storage.models import ReferralCase

REQUIRED = ("patient_name", "patient_dob", "referred_to_specialty")


class InvalidReferral(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {why}" for key, why in errors.items()))
        self.errors = errors


def register(
    session: Session, raw: Mapping[str, object], actor: str, now: datetime, today: date
) -> ReferralCase:
    """Open an outbound case from the values given (contract field keys), checked against the
    clinic's `today` (a server in UTC is on tomorrow during a US clinic's evening)."""
    values = read_values(raw, today)
    complete = all(key in values for key in ("member_id", "insurance_payer", "diagnosis_codes"))
    case = new_case(values, now, actor, complete=complete, direction="outbound")
    session.add(case)
    session.flush()
    return case


def read_values(raw: Mapping[str, object], today: date) -> dict:
    """Each given value in its normal form; every problem at once in InvalidReferral."""
    errors = {key: "not a referral field" for key in raw if key not in CASE_FIELDS}
    values = {}
    for key in CASE_FIELDS:
        text = _text(raw.get(key))
        if not text:
            if key in REQUIRED:
                errors[key] = "required"
            continue
        try:
            values[key] = read_value(key, text, today)
        except ValueError as problem:
            errors[key] = str(problem)
    if errors:
        raise InvalidReferral(errors)
    return values


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value or "").strip()
