"""The referrals screen's lists: open cases overdue first, and the follow-up log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case as when
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from referrals.states import OPEN_STATES
from referrals.timers import NEXT_ACTION
from storage.models import CaseEvent, ReferralCase, aware

FOLLOW_UP_KINDS = ("called", "faxed", "left_message", "emailed")


def cases(session: Session, now: datetime, state: str = "", search: str = "") -> list[dict]:
    """Open cases (or those in `state`), overdue first, then by due time."""
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
    query = query.order_by(
        when((ReferralCase.due_at.is_(None), 1), else_=0), ReferralCase.due_at, ReferralCase.id
    )
    return [
        {
            "case": found,
            "overdue": found.due_at is not None and aware(found.due_at) < now,
            "next_action": NEXT_ACTION.get(found.state, ""),
            "age_days": (now - aware(found.opened_at)).days,
        }
        for found in session.scalars(query.limit(500))
    ]


def log_follow_up(case: ReferralCase, kind: str, note: str, actor: str, now: datetime) -> None:
    if kind not in FOLLOW_UP_KINDS:
        raise ValueError(f"follow-up must be one of {', '.join(FOLLOW_UP_KINDS)}")
    case.events.append(
        CaseEvent(kind="follow_up", actor=actor, note=f"{kind}: {note.strip()}".strip(": "), at=now)
    )
    case.updated_at = now
