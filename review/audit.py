"""The append-only audit log: who saw or changed what, and when."""

from __future__ import annotations

from sqlalchemy.orm import Session

from review.accounts import Identity
from storage.models import AuditEntry


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
