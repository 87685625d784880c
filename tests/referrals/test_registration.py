"""A registered referral's values are read and checked as a VA's correction is: against the
clinic's date, not the server's."""

from datetime import date

import pytest

from referrals.registration import InvalidReferral, read_values

GIVEN = {"patient_name": "GONZALEZ, MARIA", "referred_to_specialty": "cardiology"}


def test_a_birth_date_is_checked_against_the_clinics_date():
    evening_in_chicago = date(2026, 11, 27)  # already the 28th in UTC
    with pytest.raises(InvalidReferral) as refused:
        read_values(GIVEN | {"patient_dob": "11/28/2026"}, evening_in_chicago)
    assert "patient_dob" in refused.value.errors
    values = read_values(GIVEN | {"patient_dob": "11/28/2026"}, date(2026, 11, 28))
    assert values["patient_dob"] == "2026-11-28" and values["patient_name"] == "Maria Gonzalez"


def test_every_problem_is_named_at_once():
    with pytest.raises(InvalidReferral) as refused:
        read_values({"patient_dob": "not a date", "shoe_size": "9"}, date(2026, 11, 27))
    assert set(refused.value.errors) == {"patient_dob", "shoe_size", "patient_name", "referred_to_specialty"}
