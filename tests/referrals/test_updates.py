"""What authorizations and booked visits do to a case, and when coverage is flagged."""

from datetime import UTC, datetime

from referrals.updates import apply, coverage_problem, schedule
from storage.models import ReferralCase

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def authorized_case(valid_to: str = "2026-12-31") -> ReferralCase:
    case = ReferralCase(state="authorization_pending", urgency="routine", events=[])
    apply(
        case,
        "prior_auth",
        {"auth_status": "approved", "auth_valid_from": "2026-11-20", "auth_valid_to": valid_to},
        7,
        "fax 7",
        NOW,
    )
    return case


def test_a_visit_inside_the_authorization_is_simply_scheduled():
    case = authorized_case()
    schedule(case, "2026-12-10", "fax 8", NOW, 8)
    assert case.state == "scheduled" and case.visit_date == "2026-12-10"
    assert coverage_problem(case, NOW.date()) is None


def test_a_visit_after_the_authorization_ends_needs_attention():
    case = authorized_case(valid_to="2026-12-05")
    apply(case, "appointment", {"visit_date": "2026-12-10"}, 8, "fax 8", NOW)
    assert case.state == "needs_attention"
    assert "authorization ends 2026-12-05, before the visit on 2026-12-10" in case.events[-1].note


def test_an_authorization_arriving_after_the_booking_is_checked_against_the_visit():
    case = ReferralCase(state="documentation_complete", urgency="routine", events=[])
    schedule(case, "2027-02-01", "vera", NOW)
    apply(case, "prior_auth", {"auth_status": "approved", "auth_valid_to": "2027-01-15"}, 9, "fax 9", NOW)
    assert case.state == "needs_attention" and case.auth_valid_to == "2027-01-15"


def test_an_expired_authorization_is_flagged_at_once():
    case = authorized_case(valid_to="2026-11-01")
    assert case.state == "needs_attention" and "already expired" in case.events[-1].note


def test_a_rebooking_moves_the_visit_and_stays_on_the_timeline():
    case = authorized_case()
    schedule(case, "2026-12-10", "fax 8", NOW, 8)
    schedule(case, "2026-12-17", "fax 9", NOW, 9)
    assert case.state == "scheduled" and case.visit_date == "2026-12-17"
    assert "rebooked: visit on 2026-12-17" in case.events[-1].note
