from datetime import UTC, datetime, timedelta

import pytest

from referrals.states import BadMove, move
from referrals.timers import add_business_days, due_at
from storage.models import ReferralCase

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def new_case(urgency: str = "routine") -> ReferralCase:
    return ReferralCase(state="received", urgency=urgency, events=[])


def test_a_case_walks_to_closed_and_every_move_is_on_its_timeline():
    case = new_case()
    for state in (
        "documentation_complete",
        "authorization_pending",
        "authorized",
        "scheduled",
        "seen",
        "closed",
    ):
        move(case, state, "vera", MONDAY)
    assert case.state == "closed" and case.due_at is None
    assert [(e.from_state, e.to_state) for e in case.events][-1] == ("seen", "closed")
    assert {e.actor for e in case.events} == {"vera"}


def test_moves_that_skip_the_story_are_refused():
    case = new_case()
    with pytest.raises(BadMove):
        move(case, "closed", "vera", MONDAY)
    move(case, "cancelled", "vera", MONDAY)
    with pytest.raises(BadMove):
        move(case, "authorized", "vera", MONDAY)


def test_timers_count_business_days_and_hours_for_stat():
    friday = MONDAY + timedelta(days=4)
    assert add_business_days(friday, 1) == friday + timedelta(days=3)  # over the weekend
    assert due_at("authorization_pending", "routine", MONDAY) == MONDAY + timedelta(days=3)
    assert due_at("authorization_pending", "stat", MONDAY) == MONDAY + timedelta(hours=8)
    assert due_at("closed", "routine", MONDAY) is None


def test_a_move_sets_when_the_case_is_next_due():
    case = new_case("urgent")
    move(case, "documentation_complete", "fax 1", MONDAY)
    assert case.due_at == MONDAY + timedelta(days=1)


def test_figures_count_closed_loops_and_denials_by_payer():
    from referrals.figures import Figures, figures_csv

    found = Figures(opened=3, closed=1, overdue=1, median_days_to_report=12.0, denials_by_payer={"Aetna": 1})
    text = figures_csv(found)
    assert "cases_closed,,1" in text and "denials_by_payer,Aetna,1" in text
