from datetime import date

import pytest

from extractors.validators import (
    cpt_error,
    dob_error,
    icd10_error,
    iso_date_error,
    npi_error,
    phone_error,
    validate,
)


@pytest.mark.parametrize("npi", ["1234567893", "1245319599", "1003000126"])
def test_npi_with_right_check_digit_passes(npi):
    assert npi_error(npi) is None


@pytest.mark.parametrize(
    "npi,reason", [("1234567890", "check digit"), ("123456789", "10 digits"), ("12345678AB", "10 digits")]
)
def test_npi_errors_name_the_problem(npi, reason):
    assert reason in npi_error(npi)


def test_icd10_shape():
    assert icd10_error(["I48.91", "M54.50", "I10", "F32.A"]) is None
    assert "U07" not in (icd10_error(["I48.91"]) or "")
    assert "48.91" in icd10_error(["48.91"])


def test_cpt_and_hcpcs_shape():
    assert cpt_error(["93306", "E0601", "0001F"]) is None
    assert "9330" in cpt_error(["9330"])


def test_dates_must_exist_on_the_calendar():
    assert iso_date_error("2024-02-29") is None
    assert iso_date_error("2023-02-29") == "not a real calendar date"


def test_dob_in_the_future_is_an_error():
    assert dob_error("2030-01-01", date(2026, 11, 27)) == "date of birth is in the future"
    assert dob_error("1957-03-09", date(2026, 11, 27)) is None


def test_phone_needs_ten_digits():
    assert phone_error("5125550143") is None
    assert phone_error("512555014") is not None


def test_validate_dispatches_by_field():
    assert validate("referring_npi", "1234567890") is not None
    assert validate("patient_dob", "2031-01-01", date(2026, 11, 27)) is not None
    assert validate("patient_name", "anything") is None
