"""When a case is overdue: a time allowed per state and urgency, counted in business days
(or hours for STAT). The clinic can change the table; the clock is always passed in."""

from __future__ import annotations

from datetime import datetime, timedelta

# state -> (routine, urgent, stat); ints are business days, floats hours
ALLOWED: dict[str, tuple[int | float, int | float, int | float]] = {
    "received": (1, 1, 4.0),
    "documentation_complete": (2, 1, 4.0),
    "authorization_pending": (3, 2, 8.0),
    "authorized": (7, 3, 24.0),
    "denied": (2, 1, 4.0),
    "scheduled": (14, 7, 48.0),
    "seen": (14, 7, 48.0),
    "needs_attention": (1, 1, 2.0),
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


def due_at(state: str, urgency: str, since: datetime) -> datetime | None:
    allowed = ALLOWED.get(state)
    if allowed is None:
        return None
    limit = allowed[{"routine": 0, "urgent": 1, "stat": 2}.get(urgency, 0)]
    if isinstance(limit, float):
        return since + timedelta(hours=limit)
    return add_business_days(since, limit)


def add_business_days(start: datetime, days: int) -> datetime:
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment
