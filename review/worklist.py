"""The review queue: which faxes wait, in what order, and who is working on which."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, String, and_, cast, false, or_, select
from sqlalchemy.orm import Session

from core.settings import Settings
from core.states import OPEN_REVIEW_STATES, ReviewState
from extractors.normalise import find_date
from review.accounts import Identity
from storage.models import DocumentRow, Fax, FieldRow, FlagRow, User, aware, utcnow

STATES = tuple(ReviewState)


@dataclass(frozen=True)
class Filters:
    """What the queue screen's filter bar sends; empty means no filter."""

    state: str = ""
    doc_type: str = ""
    flag: str = ""
    assignee: str = ""
    sender: str = ""
    search: str = ""


class ClaimedByOther(Exception):
    def __init__(self, username: str) -> None:
        super().__init__(f"claimed by {username}")
        self.username = username


def queue(session: Session, filters: Filters, limit: int = 200, offset: int = 0) -> list[Fax]:
    """Faxes needing review: STAT, urgent and error-flagged first, then the longest waiting."""
    query = select(Fax).where(Fax.duplicate_of_id.is_(None)).order_by(Fax.priority, Fax.received_at, Fax.id)
    query = _by_state(query, filters.state)
    if filters.doc_type:
        query = query.where(Fax.doc_types.contains(filters.doc_type))
    if filters.flag:
        flagged = select(FlagRow.fax_id).where(
            FlagRow.code.startswith(filters.flag), FlagRow.resolved.is_(False)
        )
        query = query.where(Fax.id.in_(flagged))
    if filters.assignee:
        query = query.join(User, Fax.claimed_by_id == User.id).where(User.username == filters.assignee)
    if filters.sender.strip():
        query = query.where(_sent_by(filters.sender.strip()))
    if filters.search.strip():
        query = query.where(_matches(filters.search.strip()))
    return list(session.scalars(query.limit(limit).offset(offset)))


def _matches(text: str) -> ColumnElement[bool]:
    """A patient by name (its words in any order: "Gonzalez Maria" finds "Maria L.
    Gonzalez"), birth date in any common form ("11/07/1937"), or member id; what is typed is
    taken literally ("%" and "_" are no wildcards)."""
    words = [w for w in re.findall(r"[\w'-]+", text) if len(w) > 1]
    by_name = (
        and_(*(Fax.patient_name.ilike(_containing(w), escape="\\") for w in words)) if words else false()
    )
    clauses = [by_name, Fax.member_id.ilike(_containing(text), escape="\\")]
    dob = find_date(text)
    if dob:
        clauses.append(Fax.patient_dob == dob)
    return or_(*clauses)


def _sent_by(text: str) -> ColumnElement[bool]:
    """The sender as the queue shows it: the cover sheet's sender name or fax number, what
    the line or gateway said (caller id, station), or how it came in; a number typed with
    punctuation ("(512) 555-0199") finds it as read ("5125550199")."""
    terms = [_containing(text)]
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 7:
        terms.append(_containing(digits))
    cover_fields = (
        select(DocumentRow.fax_id)
        .join(FieldRow, FieldRow.document_id == DocumentRow.id)
        .where(DocumentRow.type == "fax_cover", FieldRow.key.in_(("from_name", "from_fax")))
    )
    clauses = []
    for term in terms:
        clauses += [
            Fax.id.in_(cover_fields.where(cast(FieldRow.value, String).ilike(term, escape="\\"))),
            cast(Fax.sender, String).ilike(term, escape="\\"),
            Fax.source.ilike(term, escape="\\"),
            Fax.filename.ilike(term, escape="\\"),
        ]
    return or_(*clauses)


def _containing(text: str) -> str:
    literal = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{literal}%"


def _by_state(query: Select, state: str) -> Select:
    if state == "all":
        return query
    if state:
        return query.where(Fax.review_state == state)
    return query.where(Fax.review_state.in_(OPEN_REVIEW_STATES))


def age_badge(fax: Fax, settings: Settings, now: datetime | None = None) -> str | None:
    """'overdue' or 'warning' when an open item has waited past the clinic's targets."""
    if fax.review_state not in OPEN_REVIEW_STATES:
        return None
    waited = (now or utcnow()) - aware(fax.received_at)
    if waited >= timedelta(hours=settings.aging_overdue_hours):
        return "overdue"
    if waited >= timedelta(hours=settings.aging_warning_hours):
        return "warning"
    return None


def claim(session: Session, fax: Fax, who: Identity, settings: Settings) -> None:
    """Take the fax for `who`, unless someone else holds a live claim on it."""
    holder = active_claimant(fax, settings)
    if holder is not None and holder.id != who.id:
        raise ClaimedByOther(holder.username)
    fax.claimed_by_id, fax.claimed_at = who.id, utcnow()


def active_claimant(fax: Fax, settings: Settings) -> User | None:
    """Who holds the fax now; a claim without activity for `claim_minutes` has lapsed."""
    if fax.claimed_by_id is None or fax.claimed_at is None:
        return None
    if utcnow() - aware(fax.claimed_at) > timedelta(minutes=settings.claim_minutes):
        return None
    return fax.claimed_by


def release(fax: Fax) -> None:
    fax.claimed_by_id, fax.claimed_at = None, None


def reassign(session: Session, fax: Fax, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None:
        raise ValueError(f"no active user {username!r}")
    fax.claimed_by_id, fax.claimed_at = user.id, utcnow()
    return user


def age_text(fax: Fax, now: datetime | None = None) -> str:
    minutes = int(((now or utcnow()) - aware(fax.received_at)).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return f"{minutes // 1440} d"
