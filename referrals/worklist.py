"""The referrals screen's lists: open cases overdue first, and the follow-up log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from referrals.states import OPEN_STATES
from referrals.timers import NEXT_ACTION, Timers
from storage.models import CaseEvent, ReferralCase, aware

FOLLOW_UP_KINDS = ("called", "faxed", "left_message", "emailed")


def cases(session: Session, now: datetime, timers: Timers, state: str = "", search: str = "") -> list[dict]:
    """Open cases (or those in `state`), soonest due first (so overdue first), then the rest."""
    query = select(ReferralCase)
    query = (
        query.where(ReferralCase.state == state)
        if state
        else query.where(ReferralCase.state.in_(OPEN_STATES))
    )
    if search.strip():
        term = f"%{search.strip()}%"
        query = query.where(
            or_(
                ReferralCase.patient_name.ilike(term),
                ReferralCase.patient_dob.ilike(term),
                ReferralCase.member_id.ilike(term),
            )
        )
    rows = [_row(found, now, timers) for found in session.scalars(query)]
    rows.sort(key=lambda row: (row["due"] is None, row["due"] or now, row["case"].id))
    return rows[:500]


def _row(found: ReferralCase, now: datetime, timers: Timers) -> dict:
    due = due_of(found, timers)
    return {
        "case": found,
        "due": due,
        "overdue": due is not None and due < now,
        "next_action": NEXT_ACTION.get(found.state, ""),
        "age_days": (now - aware(found.opened_at)).days,
    }


def due_of(found: ReferralCase, timers: Timers) -> datetime | None:
    return timers.due(found.state, found.urgency, aware(found.state_since))


def log_follow_up(case: ReferralCase, kind: str, note: str, actor: str, now: datetime) -> None:
    if kind not in FOLLOW_UP_KINDS:
        raise ValueError(f"follow-up must be one of {', '.join(FOLLOW_UP_KINDS)}")
    case.events.append(
        CaseEvent(kind="follow_up", actor=actor, note=f"{kind}: {note.strip()}".strip(": "), at=now)
    )
    case.updated_at = now
