"""Putting a fax's stages on the rq queue: prepare, then one job per page, then analyse.

Job ids are derived from the fax, so enqueuing again (a retry, a requeue sweep) replaces the
same job rather than processing the fax twice."""

from __future__ import annotations

import logging

from redis.exceptions import RedisError
from rq import Callback, Retry
from rq.job import Job
from sqlalchemy import select

from faxintake.services import Services
from storage.models import Fax

log = logging.getLogger("faxintake.queue")
BACKOFF = [5, 30, 120]


def _retry(services: Services) -> Retry:
    retries = services.settings.job_retries
    return Retry(max=retries, interval=BACKOFF[:retries]) if retries else None


def enqueue_prepare(services: Services, fax_id: int) -> Job | None:
    """Queue a fax; if Redis is unreachable the fax stays `queued` for `requeue`."""
    try:
        return services.queue.enqueue(
            "workers.jobs.prepare",
            fax_id,
            job_id=f"fax-{fax_id}-prepare",
            retry=_retry(services),
            on_failure=Callback("workers.jobs.record_failure"),
        )
    except RedisError as exc:
        log.warning("enqueue failed; will requeue", extra={"fax_id": fax_id, "error": type(exc).__name__})
        return None


def enqueue_pages(services: Services, fax_id: int, numbers: list[int]) -> Job:
    """Fan out one OCR job per page, and the join that analyses once they are all done."""
    pages = [
        services.queue.enqueue(
            "workers.jobs.read_page",
            fax_id,
            n,
            job_id=f"fax-{fax_id}-page-{n}",
            retry=_retry(services),
            on_failure=Callback("workers.jobs.record_failure"),
        )
        for n in numbers
    ]
    return services.queue.enqueue(
        "workers.jobs.analyse",
        fax_id,
        job_id=f"fax-{fax_id}-analyse",
        depends_on=pages or None,
        retry=_retry(services),
        on_failure=Callback("workers.jobs.record_failure"),
    )


def requeue(services: Services) -> list[int]:
    """Queue again every fax left `queued` or `processing` without a live job (after an outage)."""
    with services.sessions() as session:
        waiting = session.scalars(select(Fax.id).where(Fax.status.in_(("queued", "processing")))).all()
    again = []
    for fax_id in waiting:
        if not _has_live_job(services, fax_id):
            enqueue_prepare(services, fax_id)
            again.append(fax_id)
    return again


def _has_live_job(services: Services, fax_id: int) -> bool:
    for stage in ("prepare", "analyse"):
        try:
            job = Job.fetch(f"fax-{fax_id}-{stage}", connection=services.redis)
        except Exception:  # noqa: BLE001 - no such job
            continue
        if job.get_status(refresh=False) in ("queued", "started", "deferred", "scheduled"):
            return True
    return False
