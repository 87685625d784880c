"""Checks a value must pass; each returns an error message a VA understands, or None."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from core.doctypes import FIELDS, FieldKind

ICD10_SHAPE = re.compile(r"^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$")
CPT_SHAPE = re.compile(r"^([0-9]{4}[0-9FTU]|[A-V][0-9]{4})$")


def npi_error(value: str) -> str | None:
    """NPI: 10 digits whose last is the Luhn check digit over 80840 + the first nine."""
    if not re.fullmatch(r"[0-9]{10}", value):
        return "NPI must be 10 digits"
    digits = [int(c) for c in "80840" + value[:9]]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    if (10 - total % 10) % 10 != int(value[9]):
        return "NPI check digit is wrong (mistyped number?)"
    return None


def phone_error(value: str) -> str | None:
    return None if re.fullmatch(r"[0-9]{10}", value) else "phone number must have 10 digits"


def iso_date_error(value: str) -> str | None:
    try:
        date.fromisoformat(value)
    except ValueError:
        return "not a real calendar date"
    return None


def dob_error(value: str, today: date | None = None) -> str | None:
    error = iso_date_error(value)
    if error:
        return error
    if date.fromisoformat(value) > (today or date.today()):
        return "date of birth is in the future"
    return None


def icd10_error(codes: list[str]) -> str | None:
    bad = [c for c in codes if not ICD10_SHAPE.match(c)]
    return f"not ICD-10-CM codes: {', '.join(bad)}" if bad else None


def cpt_error(codes: list[str]) -> str | None:
    bad = [c for c in codes if not CPT_SHAPE.match(c)]
    return f"not CPT/HCPCS codes: {', '.join(bad)}" if bad else None


VALIDATORS: dict[FieldKind, Callable] = {
    FieldKind.NPI: npi_error,
    FieldKind.PHONE: phone_error,
    FieldKind.DATE: iso_date_error,
    FieldKind.DIAGNOSIS_CODES: icd10_error,
    FieldKind.PROCEDURE_CODES: cpt_error,
}


def validate(key: str, value, today: date | None = None) -> str | None:
    """The error for a field's normalised value, or None when it passes (or its kind has no
    check). A birth date is checked against the clinic's `today`."""
    spec = FIELDS.get(key)
    if spec is None:
        return None
    if spec.kind is FieldKind.BIRTH_DATE:
        return dob_error(value, today)
    check = VALIDATORS.get(spec.kind)
    return check(value) if check else None
