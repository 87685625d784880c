"""The append-only audit log: who saw or changed what, and when."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from core.settings import Settings
from review.accounts import Identity
from storage.models import AuditEntry, aware


def record(session: Session, who: Identity | None, action: str, fax_id: int | None = None, **detail) -> None:
    """Add one entry; committed with the change it describes."""
    session.add(
        AuditEntry(
            user_id=who.id if who else None,
            username=who.username if who else "system",
            action=action,
            fax_id=fax_id,
            detail=detail,
        )
    )


@dataclass
class AuditFilters:
    """The audit screen's filters (query parameters); dates are the clinic's days."""

    user: str = ""
    action: str = ""
    fax: str = ""
    since: str = ""  # YYYY-MM-DD
    until: str = ""

    def query(self, settings: Settings) -> Select:
        query = select(AuditEntry).order_by(AuditEntry.id.desc())
        if self.user:
            query = query.where(AuditEntry.username == self.user)
        if self.action:
            query = query.where(AuditEntry.action == self.action)
        if self.fax.isdigit():
            query = query.where(AuditEntry.fax_id == int(self.fax))
        since, until = _day(self.since), _day(self.until)
        if since:
            query = query.where(AuditEntry.at >= _midnight(since, settings.zone))
        if until:
            query = query.where(AuditEntry.at < _midnight(until + timedelta(days=1), settings.zone))
        return query


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _midnight(day: date, zone: tzinfo) -> datetime:
    """The start of the clinic's `day`, in UTC as times are stored."""
    return datetime.combine(day, time.min, zone).astimezone(UTC)


def detail_text(detail: dict) -> str:
    """An entry's detail as a person reads it: "page: 2, old: referral, new: clinical_notes"."""
    return ", ".join(f"{key}: {_plain(value)}" for key, value in detail.items())


def _plain(value: object) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def audit_rows_csv(entries: Sequence[AuditEntry], zone: tzinfo) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["when", "user", "action", "fax", "detail"])
    for e in entries:
        when = aware(e.at).astimezone(zone).isoformat(timespec="seconds")
        writer.writerow([when, e.username, e.action, e.fax_id or "", detail_text(e.detail)])
    return out.getvalue()
