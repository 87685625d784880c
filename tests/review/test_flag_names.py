import pytest

from review.flag_names import flag_name


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("missing_field:referral.member_id", "missing member ID"),
        ("unread_field:referral.patient_dob", "unreadable patient date of birth"),
        ("invalid_field:referral.referring_npi", "check referring provider NPI"),
        ("missing_document:clinical_notes", "no clinical notes"),
        ("auth_denied", "authorization denied"),
        ("a_clinic_rule", "a clinic rule"),
    ],
)
def test_a_flag_reads_as_words(code, name):
    assert flag_name(code) == name
