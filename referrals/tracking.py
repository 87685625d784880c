"""Cases fed by the faxes the pipeline reads: a referral opens a case; an authorization
notice or a consult report moves the open case it matches; an uncertain match waits for a
VA to say which case it is."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from referrals.matching import CONFIDENT, best_matches
from referrals.states import OPEN_STATES, BadMove, before_decision, move
from referrals.timers import due_at
from storage.models import CaseEvent, Document, Fax, ReferralCase

FOLLOWS_UP = ("prior_auth", "consult_report", "records_request")
IDENTITY = ("patient_name", "patient_dob", "member_id", "insurance_payer")
_CASE_FIELDS = {
    "patient_name": "patient_name",
    "patient_dob": "patient_dob",
    "member_id": "member_id",
    "insurance_payer": "payer",
    "referring_provider": "referring_provider",
    "referring_npi": "referring_npi",
    "referring_fax": "referring_fax",
    "referring_phone": "referring_phone",
    "referred_to_specialty": "specialty",
    "referred_to_provider": "receiving_provider",
    "diagnosis_codes": "diagnosis_codes",
    "procedure_codes": "procedure_codes",
    "urgency": "urgency",
}


def track(session: Session, fax: Fax, now: datetime) -> None:
    """Open or move the cases this processed fax speaks of. A document lacking the patient's
    name or ids borrows them from the rest of the packet (its notes, its card copy)."""
    packet = _packet_identity(fax)
    for doc in fax.documents:
        fields = packet | _values(doc)
        if doc.type == "referral":
            _open_case(session, fax, fields, now)
        elif doc.type in FOLLOWS_UP:
            _follow_up(session, fax, doc.type, fields, now)


def apply(case: ReferralCase, doc_type: str, fields: dict, fax_id: int, actor: str, now: datetime) -> None:
    """What a matched document does to its case."""
    case.events.append(CaseEvent(kind="fax", fax_id=fax_id, actor=actor, note=f"{doc_type} matched", at=now))
    if doc_type == "prior_auth":
        _authorization(case, fields, fax_id, actor, now)
    elif doc_type == "consult_report" and case.state not in ("closed", "cancelled"):
        if case.state != "seen":
            _try_move(case, "seen", actor, now, fax_id)
        _try_move(case, "closed", actor, now, fax_id, "consult report received")


def on_approval(session: Session, fax: Fax, actor: str, now: datetime) -> None:
    """A VA approved the referral: the case takes the confirmed values, and a case still
    waiting for documentation has it now."""
    case = session.get(ReferralCase, fax.case_id) if fax.case_id else None
    if case is None or case.source_fax_id != fax.id:
        return
    packet = _packet_identity(fax)
    for doc in fax.documents:
        if doc.type == "referral":
            _fill(case, packet | _values(doc))
    if case.state == "received":
        move(case, "documentation_complete", actor, now, fax.id, "referral approved")


def choose(session: Session, fax: Fax, case_id: int, actor: str, now: datetime) -> ReferralCase:
    """A VA's answer to "which case is this?"."""
    case = session.get(ReferralCase, case_id)
    if case is None:
        raise ValueError(f"no case {case_id}")
    for doc in fax.documents:
        if doc.type in FOLLOWS_UP:
            apply(case, doc.type, _values(doc), fax.id, actor, now)
    fax.case_id, fax.case_candidates = case.id, None
    return case


def open_cases(session: Session) -> list[ReferralCase]:
    return list(session.scalars(select(ReferralCase).where(ReferralCase.state.in_(OPEN_STATES))))


def _open_case(session: Session, fax: Fax, fields: dict, now: datetime) -> None:
    known = [m for m in best_matches(open_cases(session), fields) if m.score >= CONFIDENT]
    if known:  # the same referral sent again
        case = session.get(ReferralCase, known[0].case_id)
        case.events.append(
            CaseEvent(kind="fax", fax_id=fax.id, actor=f"fax {fax.id}", note="referral resent", at=now)
        )
    else:
        case = _new_case(fax, fields, now)
        session.add(case)
    session.flush()
    fax.case_id = case.id


def _new_case(fax: Fax, fields: dict, now: datetime) -> ReferralCase:
    """A case in `received`; `documentation_complete` at once when no error flag is open."""
    case = ReferralCase(
        state="received",
        opened_at=now,
        updated_at=now,
        source_fax_id=fax.id,
        diagnosis_codes=[],
        procedure_codes=[],
    )
    _fill(case, fields)
    case.due_at = due_at("received", case.urgency, now)
    case.events.append(
        CaseEvent(kind="transition", to_state="received", actor=f"fax {fax.id}", fax_id=fax.id, at=now)
    )
    if not any(f.severity == "error" and not f.resolved for f in fax.flags):
        move(case, "documentation_complete", f"fax {fax.id}", now, fax.id)
    return case


def _follow_up(session: Session, fax: Fax, doc_type: str, fields: dict, now: datetime) -> None:
    candidates = best_matches(open_cases(session), fields)
    clear = (
        candidates
        and candidates[0].score >= CONFIDENT
        and (len(candidates) == 1 or candidates[1].score < CONFIDENT)
    )
    if clear:
        case = session.get(ReferralCase, candidates[0].case_id)
        apply(case, doc_type, fields, fax.id, f"fax {fax.id}", now)
        fax.case_id = case.id
        return
    fax.case_candidates = [{"case_id": m.case_id, "score": m.score, "reason": m.reason} for m in candidates]
    if candidates:
        fax.review_state = "which_case"


def _authorization(case: ReferralCase, fields: dict, fax_id: int, actor: str, now: datetime) -> None:
    status = fields.get("auth_status")
    case.auth_number = fields.get("auth_number", case.auth_number)
    case.auth_valid_from = fields.get("auth_valid_from", case.auth_valid_from)
    case.auth_valid_to = fields.get("auth_valid_to", case.auth_valid_to)
    if status == "approved":
        _try_move(case, "authorized", actor, now, fax_id)
        if case.auth_valid_to and date.fromisoformat(case.auth_valid_to) < now.date():
            _try_move(case, "needs_attention", actor, now, fax_id, "authorization already expired")
    elif status == "denied":
        _try_move(
            case, "denied", actor, now, fax_id, "payer denied the authorization; see the fax for the reason"
        )
        case.events.append(
            CaseEvent(
                kind="task",
                actor=actor,
                fax_id=fax_id,
                at=now,
                note="Denial: review the payer's reason and appeal options",
            )
        )
    elif status == "pending" and before_decision(case):
        _try_move(case, "authorization_pending", actor, now, fax_id)


def _try_move(
    case: ReferralCase, to: str, actor: str, now: datetime, fax_id: int, note: str | None = None
) -> None:
    """Move if the case may; otherwise keep the fax on the timeline with why it did not move."""
    if case.state == to:
        return
    try:
        move(case, to, actor, now, fax_id, note)
    except BadMove as refused:
        case.events.append(CaseEvent(kind="task", actor=actor, fax_id=fax_id, at=now, note=str(refused)))


def _fill(case: ReferralCase, fields: dict) -> None:
    for key, column in _CASE_FIELDS.items():
        if key in fields:
            setattr(case, column, fields[key])
    case.urgency = fields.get("urgency", case.urgency or "routine")


def _packet_identity(fax: Fax) -> dict:
    found: dict = {}
    for doc in fax.documents:
        for key, value in _values(doc).items():
            if key in IDENTITY:
                found.setdefault(key, value)
    return found


def _values(doc: Document) -> dict:
    return {f.key: f.value for f in doc.fields}
