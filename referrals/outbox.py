"""Every commit that changes a referral case queues a push of changed cases to the FHIR
server, whichever process made it (worker, web app, CLI). One hook on the session factory
instead of a call at each place a case can move."""

from __future__ import annotations

import logging
from itertools import chain

from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from storage.models import ReferralCase
from storage.outages import retry_policy

log = logging.getLogger("faxintake.referrals")
_CHANGED = "referral_cases_changed"


def push_after_commit(sessions: sessionmaker[Session], queue: Queue, retries: int) -> None:
    @event.listens_for(sessions, "after_flush")
    def _note(session: Session, _context) -> None:
        if any(_changed(session, obj) for obj in chain(session.new, session.dirty)):
            session.info[_CHANGED] = True

    @event.listens_for(sessions, "after_commit")
    def _push(session: Session) -> None:
        if session.info.pop(_CHANGED, False):
            _enqueue(queue, retries)

    @event.listens_for(sessions, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop(_CHANGED, None)


def _changed(session: Session, obj: object) -> bool:
    """A new case, or one whose updated_at moved (a push only marks fhir_pushed_at)."""
    if not isinstance(obj, ReferralCase):
        return False
    return obj in session.new or inspect(obj).attrs.updated_at.history.has_changes()


def _enqueue(queue: Queue, retries: int) -> None:
    retry = retry_policy(retries)
    try:
        queue.enqueue("workers.jobs.push_cases", retry=retry)
    except RedisError as exc:  # the next change pushes this one too
        log.warning("case push not queued", extra={"error": type(exc).__name__})
