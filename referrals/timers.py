"""When a case is overdue: a time allowed per state and urgency, counted in business days
(or hours, for STAT). A clinic replaces the defaults with a TOML file
(FAXINTAKE_REFERRAL_TIMERS_FILE); the clock is always passed in."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

URGENCIES = ("routine", "urgent", "stat")
# An int is business days; a timedelta is elapsed time.
Limit = int | timedelta

DEFAULT_ALLOWED: dict[str, dict[str, Limit]] = {
    "received": {"routine": 1, "urgent": 1, "stat": timedelta(hours=4)},
    "documentation_complete": {"routine": 2, "urgent": 1, "stat": timedelta(hours=4)},
    "authorization_pending": {"routine": 3, "urgent": 2, "stat": timedelta(hours=8)},
    "authorized": {"routine": 7, "urgent": 3, "stat": timedelta(hours=24)},
    "denied": {"routine": 2, "urgent": 1, "stat": timedelta(hours=4)},
    "scheduled": {"routine": 14, "urgent": 7, "stat": timedelta(hours=48)},
    "seen": {"routine": 14, "urgent": 7, "stat": timedelta(hours=48)},
    "needs_attention": {"routine": 1, "urgent": 1, "stat": timedelta(hours=2)},
}
NEXT_ACTION = {
    "received": "Check the packet is complete; request what is missing",
    "documentation_complete": "Request prior authorization from the payer",
    "authorization_pending": "Call the payer for the authorization decision",
    "authorized": "Schedule the appointment with the patient",
    "denied": "Review the denial with the referring provider; consider appeal",
    "scheduled": "Confirm the visit happened",
    "seen": "Request the consult report for the referring provider",
    "needs_attention": "Read the notes and decide the next step",
}


class BadTimers(ValueError):
    pass


@dataclass(frozen=True)
class Timers:
    allowed: Mapping[str, Mapping[str, Limit]]
    zone: tzinfo = UTC  # the clinic's: its weekend starts at its own midnight

    def due(self, state: str, urgency: str, since: datetime) -> datetime | None:
        """When a case that entered `state` at `since` becomes overdue (None: never)."""
        limit = self.allowed.get(state, {}).get(urgency if urgency in URGENCIES else "routine")
        if limit is None:
            return None
        if isinstance(limit, timedelta):
            return since + limit
        return add_business_days(since.astimezone(self.zone), limit)

    def in_zone(self, zone: tzinfo) -> Timers:
        """These timers, with business days counted in `zone`."""
        return replace(self, zone=zone)

    @classmethod
    def load(cls, path: Path | None) -> Timers:
        """The defaults, with whatever the clinic's file sets laid over them. The file has a
        table per state and a value per urgency: a whole number of business days, or a
        string like "8h" for hours:

            [authorization_pending]
            routine = 3
            stat = "8h"
        """
        if path is None:
            return DEFAULT_TIMERS
        try:
            table = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as bad:
            raise BadTimers(f"referral timers file {path}: {bad}") from None
        allowed = {state: dict(limits) for state, limits in DEFAULT_ALLOWED.items()}
        for state, limits in table.items():
            if state not in DEFAULT_ALLOWED or not isinstance(limits, dict):
                raise BadTimers(f"referral timers: unknown state [{state}]")
            for urgency, value in limits.items():
                if urgency not in URGENCIES:
                    raise BadTimers(f"referral timers: [{state}] has unknown urgency {urgency!r}")
                allowed[state][urgency] = _limit(state, urgency, value)
        return cls(allowed)


DEFAULT_TIMERS = Timers(DEFAULT_ALLOWED)


def _limit(state: str, urgency: str, value: object) -> Limit:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().lower().endswith("h"):
        try:
            return timedelta(hours=float(value.strip()[:-1]))
        except ValueError:
            pass
    raise BadTimers(
        f'referral timers: [{state}] {urgency} = {value!r}: give business days (3) or hours ("8h")'
    )


def add_business_days(start: datetime, days: int) -> datetime:
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment
