"""A referral case's states and the moves between them; every move is a timeline event."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from storage.models import CaseEvent, ReferralCase


class CaseState(StrEnum):
    """Where a referral stands; each member is the string stored on the case."""

    RECEIVED = "received"
    DOCUMENTATION_COMPLETE = "documentation_complete"
    AUTHORIZATION_PENDING = "authorization_pending"
    AUTHORIZED = "authorized"
    DENIED = "denied"
    SCHEDULED = "scheduled"
    SEEN = "seen"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    NEEDS_ATTENTION = "needs_attention"


STATES = tuple(CaseState)
OPEN_STATES = tuple(s for s in CaseState if s not in (CaseState.CLOSED, CaseState.CANCELLED))
_BEFORE_DECISION = ("received", "documentation_complete", "authorization_pending", "needs_attention")
MOVES: dict[str, tuple[str, ...]] = {
    "received": (
        "documentation_complete",
        "authorization_pending",
        "authorized",
        "denied",
        "scheduled",
        "seen",
    ),
    "documentation_complete": ("authorization_pending", "authorized", "denied", "scheduled", "seen"),
    "authorization_pending": ("authorized", "denied", "seen"),
    "authorized": ("scheduled", "seen", "denied"),
    "denied": ("authorization_pending", "authorized", "needs_attention"),
    "scheduled": ("seen",),
    "seen": ("closed",),
    "needs_attention": _BEFORE_DECISION[:3] + ("authorized", "scheduled", "seen"),
    "closed": (),
    "cancelled": (),
}


class BadMove(Exception):
    pass


def move(
    case: ReferralCase, to: str, actor: str, now: datetime, fax_id: int | None = None, note: str | None = None
) -> None:
    """Move the case to `to` (any open case may be cancelled or flagged for attention)."""
    allowed = MOVES[case.state] + (("cancelled", "needs_attention") if case.state in OPEN_STATES else ())
    if to not in allowed:
        raise BadMove(f"a {case.state} case cannot become {to}")
    case.events.append(
        CaseEvent(
            kind="transition",
            from_state=case.state,
            to_state=to,
            actor=actor,
            fax_id=fax_id,
            note=note,
            at=now,
        )
    )
    case.state, case.updated_at, case.state_since = to, now, now


def before_decision(case: ReferralCase) -> bool:
    return case.state in _BEFORE_DECISION
