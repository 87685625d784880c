"""Outbound referrals (the clinic's own, sent elsewhere) registered by hand or through the
API. Values are read with the pipeline's own parsers and checks, so a case opened this way
holds the same normal forms as one opened from a fax."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from extractors.fields import parse
from extractors.validators import validate
from referrals.cases import CASE_FIELDS, new_case
from rules.engine import FIELD_NAMES
from storage.models import ReferralCase

REQUIRED = ("patient_name", "patient_dob", "referred_to_specialty")


class InvalidReferral(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{key}: {why}" for key, why in errors.items()))
        self.errors = errors


def register(session: Session, raw: Mapping[str, object], actor: str, now: datetime) -> ReferralCase:
    """Open an outbound case from the values given (contract field keys)."""
    values = read_values(raw, now)
    complete = all(key in values for key in ("member_id", "insurance_payer", "diagnosis_codes"))
    case = new_case(values, now, actor, complete=complete, direction="outbound")
    session.add(case)
    session.flush()
    return case


def read_values(raw: Mapping[str, object], now: datetime) -> dict:
    """Each given value in its normal form; every problem at once in InvalidReferral."""
    errors = {key: "not a referral field" for key in raw if key not in CASE_FIELDS}
    values = {}
    for key in CASE_FIELDS:
        text = _text(raw.get(key))
        if not text:
            if key in REQUIRED:
                errors[key] = "required"
            continue
        value = parse(key, text)
        problem = (
            f"could not read {text!r} as a {FIELD_NAMES.get(key, key)}"
            if value in (None, "", [])
            else validate(key, value, now.date())
        )
        if problem:
            errors[key] = problem
        else:
            values[key] = value
    if errors:
        raise InvalidReferral(errors)
    return values


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value or "").strip()
