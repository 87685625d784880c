"""Cases fed by the faxes the pipeline reads: a referral opens a case; an authorization
notice, an appointment confirmation or a consult report moves the open case it matches; an
uncertain match waits for a VA to say which case it is."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.data import PageText
from core.doctypes import document_type
from referrals.appointments import appointment_in
from referrals.cases import fill, new_case
from referrals.denials import denial_reason
from referrals.matching import CONFIDENT, best_matches
from referrals.states import OPEN_STATES, move
from referrals.updates import apply
from storage.models import CaseEvent, DocumentRow, Fax, ReferralCase

# What the tracker reads off the page text itself (no contract field holds it); kept with
# the candidates of an uncertain match, for when the VA says which case it is.
READ_FROM_TEXT = ("visit_date", "denial_reason")
IDENTITY = ("patient_name", "patient_dob", "member_id", "insurance_payer")


def track(session: Session, fax: Fax, now: datetime, pages: Sequence[PageText] = ()) -> None:
    """Open or move the cases this processed fax speaks of. A document lacking the patient's
    name or ids borrows them from the rest of the packet (its notes, its card copy). With the
    pages' text, an `other` document confirming an appointment schedules its case."""
    packet = _packet_identity(fax)
    for doc in fax.documents:
        fields = packet | _values(doc)
        kind = document_type(doc.type)
        if kind.opens_case:
            _open_case(session, fax, fields, now)
        elif kind.follows_up:
            if fields.get("auth_status") == "denied" and pages:
                fields["denial_reason"] = denial_reason([pages[n - 1] for n in doc.pages])
            _follow_up(session, fax, doc.type, fields, now)
        elif doc.type == "other" and pages:
            booked = appointment_in([pages[n - 1] for n in doc.pages], now.date())
            if booked:
                fields = packet | booked.identity | {"visit_date": booked.visit_date}
                _follow_up(session, fax, "appointment", fields, now)


def refresh(session: Session, fax: Fax, now: datetime) -> ReferralCase | None:
    """The case this referral fax opened takes the fax's values as they are now (corrected)."""
    case = session.get(ReferralCase, fax.case_id) if fax.case_id else None
    if case is None or case.source_fax_id != fax.id:
        return None
    packet = _packet_identity(fax)
    for doc in fax.documents:
        if doc.type == "referral":
            fill(case, packet | _values(doc))
    case.updated_at = now
    return case


def on_approval(session: Session, fax: Fax, actor: str, now: datetime) -> None:
    """A VA approved the referral: the case takes the confirmed values, and a case still
    waiting for documentation has it now."""
    case = refresh(session, fax, now)
    if case is not None and case.state == "received":
        move(case, "documentation_complete", actor, now, fax.id, "referral approved")


def choose(session: Session, fax: Fax, case_id: int, actor: str, now: datetime) -> ReferralCase:
    """A VA's answer to "which case is this?"."""
    case = session.get(ReferralCase, case_id)
    if case is None:
        raise ValueError(f"no case {case_id}")
    chosen: dict = next((c for c in fax.case_candidates or () if c["case_id"] == case_id), {})
    read = {key: chosen[key] for key in READ_FROM_TEXT if chosen.get(key)}
    for doc in fax.documents:
        if document_type(doc.type).follows_up:
            apply(case, doc.type, _values(doc) | read, fax.id, actor, now)
    if read.get("visit_date"):
        apply(case, "appointment", read, fax.id, actor, now)
    fax.case_id, fax.case_candidates = case.id, None
    return case


def open_cases(session: Session) -> list[ReferralCase]:
    return list(session.scalars(select(ReferralCase).where(ReferralCase.state.in_(OPEN_STATES))))


def _open_case(session: Session, fax: Fax, fields: dict, now: datetime) -> None:
    """A case for this referral; the same referral sent again (the same patient, sent to the
    same specialty or provider) joins its case instead. A patient may have several open
    referrals: dermatology while cardiology is open is a case of its own."""
    cases = {case.id: case for case in open_cases(session)}
    known = [
        m
        for m in best_matches(list(cases.values()), fields)
        if m.score >= CONFIDENT and _same_referral(cases[m.case_id], fields)
    ]
    if known:
        case = cases[known[0].case_id]
        case.events.append(
            CaseEvent(kind="fax", fax_id=fax.id, actor=f"fax {fax.id}", note="referral resent", at=now)
        )
    else:
        open_flags = any(f.severity == "error" and not f.resolved for f in fax.flags)
        direction = "outbound" if fax.source == "outbound" else "inbound"
        case = new_case(
            fields, now, f"fax {fax.id}", complete=not open_flags, fax_id=fax.id, direction=direction
        )
        session.add(case)
    session.flush()
    fax.case_id = case.id


def _same_referral(case: ReferralCase, fields: dict) -> bool:
    """Sent to the same place: the same specialty, or the same provider, where both say."""
    pairs = [
        (case.specialty, fields.get("referred_to_specialty")),
        (case.receiving_provider, fields.get("referred_to_provider")),
    ]
    known = [(a, b) for a, b in pairs if a and b]
    return all(str(a).casefold() == str(b).casefold() for a, b in known)


def _follow_up(session: Session, fax: Fax, doc_type: str, fields: dict, now: datetime) -> None:
    candidates = best_matches(open_cases(session), fields)
    clear = (
        candidates
        and candidates[0].score >= CONFIDENT
        and (len(candidates) == 1 or candidates[1].score < CONFIDENT)
    )
    if clear:
        case = session.get_one(ReferralCase, candidates[0].case_id)
        apply(case, doc_type, fields, fax.id, f"fax {fax.id}", now)
        fax.case_id = case.id
        return
    said = {key: fields[key] for key in READ_FROM_TEXT if fields.get(key)}
    fax.case_candidates = [
        {"case_id": m.case_id, "score": m.score, "reason": m.reason} | said for m in candidates
    ]
    if candidates:
        fax.review_state = "which_case"


def _packet_identity(fax: Fax) -> dict:
    found: dict = {}
    for doc in fax.documents:
        for key, value in _values(doc).items():
            if key in IDENTITY:
                found.setdefault(key, value)
    return found


def _values(doc: DocumentRow) -> dict:
    return {f.key: f.value for f in doc.fields}
