"""`accept`: the one door every fax comes in by (drop folder, webhooks, HylaFAX).

Order matters: the original is durably stored first, then recorded with a task row per page,
then its pages are queued. A fax whose bytes were stored is never lost: if Redis is down the
row stays `processing` with no job, and `requeue` picks it up later."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.metrics import FAILURES, FAXES_RECEIVED
from core.states import FaxStatus, ReviewState
from extractors.loading import UnreadableInput, open_fax
from storage.models import Fax, utcnow
from storage.objects import original_key, put_once
from storage.results import priority
from workers.queue import plan_reading, start_reading
from workers.services import Services

log = logging.getLogger("faxintake.intake")


@dataclass(frozen=True)
class Accepted:
    fax_id: int
    status: str  # queued | duplicate | failed | known (a replay of a provider id already taken)
    reason: str | None = None


def accept(
    services: Services,
    data: bytes,
    filename: str,
    source: str,
    sender: dict | None = None,
    provider_fax_id: str | None = None,
) -> Accepted:
    """Store the original, record the arrival, queue its pages. A delivery the provider makes
    again (the same provider id with the same content) is `known`; the same id with other
    content is another fax. A file that cannot be read is recorded `failed` with its reason."""
    sha256 = hashlib.sha256(data).hexdigest()
    provider_fax_id = provider_fax_id or None  # "" is no id
    if provider_fax_id:
        known = _by_provider_id(services, source, provider_fax_id, sha256)
        if known:
            return Accepted(known, "known")
    put_once(services.store, original_key(sha256), data)
    page_count, reason = _open_check(data, services)
    with services.sessions() as session:
        original = session.scalar(
            select(Fax).where(
                Fax.sha256 == sha256, Fax.duplicate_of_id.is_(None), Fax.status != FaxStatus.FAILED
            )
        )
        status = FaxStatus.FAILED if reason else FaxStatus.DUPLICATE if original else FaxStatus.QUEUED
        fax = Fax(
            sha256=sha256,
            original_key=original_key(sha256),
            filename=Path(filename).name[:300],
            source=source,
            provider_fax_id=provider_fax_id,
            sender=sender or {},
            status=status,
            error=reason,
            duplicate_of_id=original.id if original and not reason else None,
            finished_at=utcnow() if reason else None,
            review_state=ReviewState.TO_REVIEW if reason else ReviewState.PENDING,
        )
        fax.priority = priority(None, fax)
        session.add(fax)
        try:
            numbers = plan_reading(session, fax, page_count) if status == FaxStatus.QUEUED else []
            session.commit()
        except IntegrityError:  # the same delivery, twice at once
            session.rollback()
            known = _by_provider_id(services, source, provider_fax_id, sha256) if provider_fax_id else None
            if known is None:
                raise
            return Accepted(known, "known")
        fax_id = fax.id
    FAXES_RECEIVED.labels(source, status).inc()
    if reason:
        FAILURES.labels("intake", "unreadable").inc()
    log.info(
        "accepted",
        extra={"fax_id": fax_id, "stage": "intake", "sha256": sha256, "status": status, "source": source},
    )
    if status == FaxStatus.QUEUED:  # even with no page: its analysis is queued, not left to `requeue`
        start_reading(services, fax_id, numbers)
    return Accepted(fax_id, status, reason)


def _open_check(data: bytes, services: Services) -> tuple[int, str | None]:
    """(pages, None) for a fax we can read, (0, reason) for one we cannot."""
    try:
        return count_pages(data, services), None
    except UnreadableInput as exc:
        return 0, str(exc)


def count_pages(data: bytes, services: Services) -> int:
    """The quick open-check: the pages of a fax we can read; UnreadableInput says why not."""
    with tempfile.NamedTemporaryFile(suffix=".fax") as tmp:
        tmp.write(data)
        tmp.flush()
        return open_fax(Path(tmp.name), services.settings).page_count


def _by_provider_id(services: Services, source: str, provider_fax_id: str, sha256: str) -> int | None:
    with services.sessions() as session:
        return session.scalar(
            select(Fax.id).where(
                Fax.source == source, Fax.provider_fax_id == provider_fax_id, Fax.sha256 == sha256
            )
        )
