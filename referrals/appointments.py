"""Appointment confirmations. The contract has no document type for them (they are `other`),
so the tracker reads the text itself: confirmation wording, the patient named, and the date
printed beside an appointment label."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.data import PageText
from extractors.fields import extract_fields
from extractors.normalise import find_date

_APPOINTMENT = re.compile(r"\bappo[il1]ntment\b", re.IGNORECASE)
_CONFIRMED = re.compile(r"\b(confirm\w*|scheduled|booked)\b", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"\b(appo[il1]ntment(\s+date)?|date\s+of\s+appo[il1]ntment|scheduled\s+(for|on)|visit\s+date)\b",
    re.IGNORECASE,
)
IDENTITY = ("patient_name", "patient_dob", "member_id", "insurance_payer")


@dataclass(frozen=True)
class Appointment:
    visit_date: str  # ISO
    identity: dict


def appointment_in(pages: list[PageText], today: date) -> Appointment | None:
    """The appointment these pages confirm, if they are a confirmation with a visit date."""
    text = "\n".join(page.text for page in pages)
    if not (_APPOINTMENT.search(text) and _CONFIRMED.search(text)):
        return None
    visit = _visit_date(text.splitlines(), today)
    if visit is None:
        return None
    found = extract_fields("referral", pages, today)
    return Appointment(visit, {key: found[key].value for key in IDENTITY if key in found})


def _visit_date(lines: list[str], today: date) -> str | None:
    """The first date, not in the past, after an appointment label on its line, else on the
    line under it, else above it (column layouts read the value first)."""
    for index, line in enumerate(lines):
        label = _DATE_LABEL.search(line)
        if not label:
            continue
        for candidate in (
            line[label.end() :],
            *lines[index + 1 : index + 2],
            *lines[max(0, index - 1) : index],
        ):
            found = find_date(candidate)
            if found and _valid(found) and date.fromisoformat(found) >= today:
                return found
    return None


def _valid(iso: str) -> bool:
    try:
        date.fromisoformat(iso)
    except ValueError:
        return False
    return True
