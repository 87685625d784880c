"""The missing-information letter asks the sender only for what the sender can supply."""

from types import SimpleNamespace

from outbound.letters import missing_items


def _flag(code: str, message: str, resolved: bool = False) -> SimpleNamespace:
    return SimpleNamespace(code=code, message=message, resolved=resolved)


def test_a_value_we_could_not_read_is_not_asked_of_the_sender():
    flags = [
        _flag("missing_field:referral.patient_dob", "the DOB is missing"),
        _flag("unread_field:referral.member_id", "the member ID could not be read"),
        _flag("missing_document:clinical_notes", "no notes", resolved=True),
    ]
    assert missing_items(flags) == ["the DOB is missing"]
