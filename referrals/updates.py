"""What a matched document does to its case: an authorization decision, a booked visit, a
consult report. A case that cannot move as the document says keeps the document on its
timeline with the reason, so nothing a fax said is lost."""

from __future__ import annotations

from datetime import date, datetime

from referrals.states import BadMove, before_decision, move
from storage.models import CaseEvent, ReferralCase


def apply(
    case: ReferralCase, doc_type: str, fields: dict, fax_id: int | None, actor: str, now: datetime
) -> None:
    case.events.append(CaseEvent(kind="fax", fax_id=fax_id, actor=actor, note=f"{doc_type} matched", at=now))
    case.updated_at = now
    if doc_type == "prior_auth":
        authorization(case, fields, fax_id, actor, now)
    elif doc_type == "appointment" and fields.get("visit_date"):
        schedule(case, fields["visit_date"], actor, now, fax_id)
    elif doc_type == "consult_report" and case.state not in ("closed", "cancelled"):
        if case.state != "seen":
            _try_move(case, "seen", actor, now, fax_id)
        _try_move(case, "closed", actor, now, fax_id, "consult report received")


def authorization(case: ReferralCase, fields: dict, fax_id: int | None, actor: str, now: datetime) -> None:
    status = fields.get("auth_status")
    case.auth_number = fields.get("auth_number", case.auth_number)
    case.auth_valid_from = fields.get("auth_valid_from", case.auth_valid_from)
    case.auth_valid_to = fields.get("auth_valid_to", case.auth_valid_to)
    if status == "approved":
        if before_decision(case) or case.state == "denied":
            _try_move(case, "authorized", actor, now, fax_id)
        check_coverage(case, actor, now, fax_id)
    elif status == "denied":
        reason = fields.get("denial_reason") or "no reason found on the notice; see the fax"
        _try_move(case, "denied", actor, now, fax_id, f"payer's reason: {reason}")
        task = f"Denial: review the payer's reason ({reason}) and the appeal options"
        case.events.append(CaseEvent(kind="task", actor=actor, fax_id=fax_id, at=now, note=task))
    elif status == "pending" and before_decision(case):
        _try_move(case, "authorization_pending", actor, now, fax_id)


def schedule(
    case: ReferralCase, visit_date: str, actor: str, now: datetime, fax_id: int | None = None
) -> None:
    """The visit is booked for `visit_date` (ISO); a rebooking moves the date."""
    note = f"visit on {visit_date}"
    if case.state == "scheduled":
        case.events.append(
            CaseEvent(kind="task", actor=actor, fax_id=fax_id, at=now, note=f"rebooked: {note}")
        )
    else:
        _try_move(case, "scheduled", actor, now, fax_id, note)
    case.visit_date = visit_date
    check_coverage(case, actor, now, fax_id)


def check_coverage(case: ReferralCase, actor: str, now: datetime, fax_id: int | None) -> None:
    """Flag the case when its authorization has run out, or will not cover the booked visit."""
    problem = coverage_problem(case, now.date())
    if problem:
        _try_move(case, "needs_attention", actor, now, fax_id, problem)


def coverage_problem(case: ReferralCase, today: date) -> str | None:
    if not case.auth_valid_to or case.state in ("denied", "closed", "cancelled"):
        return None
    ends = case.auth_valid_to
    if case.visit_date and case.visit_date > ends:
        return f"authorization ends {ends}, before the visit on {case.visit_date}"
    if case.visit_date and case.auth_valid_from and case.visit_date < case.auth_valid_from:
        return f"authorization starts {case.auth_valid_from}, after the visit on {case.visit_date}"
    if date.fromisoformat(ends) < today and case.state not in ("seen",):
        return f"authorization already expired ({ends})"
    return None


def _try_move(
    case: ReferralCase, to: str, actor: str, now: datetime, fax_id: int | None, note: str | None = None
) -> None:
    if case.state == to:
        return
    try:
        move(case, to, actor, now, fax_id, note)
    except BadMove as refused:
        case.events.append(CaseEvent(kind="task", actor=actor, fax_id=fax_id, at=now, note=str(refused)))
