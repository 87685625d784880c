from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from referrals.states import BadMove, move
from referrals.timers import DEFAULT_TIMERS, BadTimers, Timers, add_business_days
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
    assert case.state == "closed" and DEFAULT_TIMERS.due(case.state, case.urgency, MONDAY) is None
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
    assert DEFAULT_TIMERS.due("authorization_pending", "routine", MONDAY) == MONDAY + timedelta(days=3)
    assert DEFAULT_TIMERS.due("authorization_pending", "stat", MONDAY) == MONDAY + timedelta(hours=8)
    assert DEFAULT_TIMERS.due("closed", "routine", MONDAY) is None


def test_a_move_starts_the_clock_of_the_new_state():
    case = new_case("urgent")
    move(case, "documentation_complete", "fax 1", MONDAY)
    assert case.state_since == MONDAY
    assert DEFAULT_TIMERS.due(case.state, case.urgency, case.state_since) == MONDAY + timedelta(days=1)


def test_a_clinic_timers_file_overrides_the_defaults(tmp_path):
    path = tmp_path / "timers.toml"
    path.write_text('[authorization_pending]\nroutine = 5\nstat = "2h"\n')
    timers = Timers.load(path)
    assert timers.due("authorization_pending", "routine", MONDAY) == MONDAY + timedelta(
        days=7
    )  # over a weekend
    assert timers.due("authorization_pending", "stat", MONDAY) == MONDAY + timedelta(hours=2)
    assert timers.due("authorization_pending", "urgent", MONDAY) == MONDAY + timedelta(days=2)  # default kept
    assert Timers.load(None) is DEFAULT_TIMERS


def test_business_days_are_counted_in_the_clinics_time_zone():
    chicago = ZoneInfo("America/Chicago")
    friday_night = datetime(2026, 11, 27, 23, 30, tzinfo=chicago)  # already Saturday in UTC
    due = DEFAULT_TIMERS.in_zone(chicago).due(
        "documentation_complete", "urgent", friday_night.astimezone(UTC)
    )
    assert due == datetime(2026, 11, 30, 23, 30, tzinfo=chicago)  # Monday night there, not Sunday


@pytest.mark.parametrize(
    "text",
    [
        "[nonsense]\nroutine = 1\n",
        "[received]\nsoon = 1\n",
        '[received]\nroutine = "tomorrow"\n',
        "[received",
    ],
)
def test_a_bad_timers_file_is_refused_with_the_reason(tmp_path, text):
    path = tmp_path / "timers.toml"
    path.write_text(text)
    with pytest.raises(BadTimers, match="referral timers"):
        Timers.load(path)


def test_figures_count_closed_loops_and_denials_by_payer():
    from referrals.figures import Figures, figures_csv

    found = Figures(opened=3, closed=1, overdue=1, median_days_to_report=12.0, denials_by_payer={"Aetna": 1})
    text = figures_csv(found)
    assert "cases_closed,,1" in text and "denials_by_payer,Aetna,1" in text


def test_an_empty_timers_variable_means_the_built_in_timers(monkeypatch):
    from core.settings import Settings

    monkeypatch.setenv("FAXINTAKE_REFERRAL_TIMERS_FILE", "")
    assert Timers.load(Settings().referral_timers_file) is DEFAULT_TIMERS
