"""Putting a fax's stages on the rq queue: its pages (in one or more jobs), then analyse.
Intake queues a new fax's pages itself, having counted them; a fax queued again (`requeue`,
`rerun`) goes through a prepare job that counts them first.

Job ids are derived from the fax, so enqueuing again (a retry, a requeue sweep) replaces the
same job rather than processing the fax twice."""

from __future__ import annotations

import logging
import threading
import time

from redis.exceptions import LockError, RedisError
from rq import Callback, Retry, Worker
from rq.job import Dependency, Job, JobStatus
from rq.registry import StartedJobRegistry
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.states import IN_FLIGHT, FaxStatus, JobStage, ReviewState, TaskStatus, job_id
from storage.liveness import heartbeat_age
from storage.models import Fax, Task, utcnow
from storage.outages import held, retry_policy
from storage.retention import remove_expired
from workers.services import Services

log = logging.getLogger("faxintake.queue")


TIDY_EVERY_SECONDS = 3600.0  # how often the sweep applies the retention of exports
SPENT = (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)


def fresh_id(services: Services, jid: str) -> str:
    """The job id, with a spent job of that id (finished, failed, stopped, canceled) deleted
    first: rq saves a job by updating its Redis hash, so an earlier job's fields (its retries
    left, say) would otherwise carry over to the new one. A job still waiting or running is
    kept: enqueuing the same id again replaces it, never doubles the work."""
    old = Job.fetch_many([jid], connection=services.redis)[0]
    if old is not None and old.get_status(refresh=False) in SPENT:
        old.delete()
    return jid


def _retry(services: Services) -> Retry | None:
    return retry_policy(services.settings.job_retries)


def enqueue_prepare(services: Services, fax_id: int) -> Job | None:
    """Queue a fax; if Redis is unreachable the fax stays `queued` for `requeue`."""
    try:
        return services.queue.enqueue(
            "workers.jobs.prepare",
            fax_id,
            job_id=fresh_id(services, job_id(fax_id, JobStage.PREPARE)),
            retry=_retry(services),
            on_failure=Callback("workers.jobs.record_failure"),
        )
    except RedisError as exc:
        _will_requeue(fax_id, exc)
        return None


def enqueue_export(services: Services, fax_id: int) -> None:
    """Send an approved fax's FHIR bundle to the FHIR server in a job, retried with backoff;
    a failure stays visible as a failed job (the bundle is kept in the export folder)."""
    try:
        services.queue.enqueue(
            "workers.jobs.push_export",
            fax_id,
            job_id=fresh_id(services, job_id(fax_id, JobStage.FHIR)),
            retry=retry_policy(services.settings.fhir_retries),
        )
    except RedisError as exc:
        log.warning("FHIR export not queued", extra={"fax_id": fax_id, "error": type(exc).__name__})


def start_reading(services: Services, fax_id: int, numbers: list[int]) -> None:
    """Queue a new fax's pages (see `plan_reading`); if Redis is unreachable the fax waits
    for `requeue`."""
    try:
        enqueue_pages(services, fax_id, numbers)
    except RedisError as exc:
        _will_requeue(fax_id, exc)


def _will_requeue(fax_id: int, exc: RedisError) -> None:
    log.warning("enqueue failed; will requeue", extra={"fax_id": fax_id, "error": type(exc).__name__})


def plan_reading(session: Session, fax: Fax, page_count: int) -> list[int]:
    """Mark the fax processing with its page count, with a queued task row for each page and
    for the analysis; returns the page numbers for `enqueue_pages` once the caller commits."""
    fax.status, fax.page_count = FaxStatus.PROCESSING, page_count
    session.flush()  # a new fax gets its id
    numbers = list(range(1, page_count + 1))
    for task in Task.of_stages(session, fax.id, [f"page:{n}" for n in numbers] + ["analyse"]):
        read = task.status == TaskStatus.FINISHED and task.stage != JobStage.ANALYSE
        if not read:  # a page read is not read again
            task.status, task.queued_at = TaskStatus.QUEUED, utcnow()
    return numbers


class CannotRerun(Exception):
    """The fax is not run again; says why."""


def rerun(services: Services, fax_id: int) -> None:
    """Process a fax again from its stored original (after a failure, or a fixed bug). An
    approved fax is not: running it again would throw away what the VA confirmed."""
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        if fax is None:
            raise ValueError(f"no fax {fax_id}")
        if fax.review_state == ReviewState.APPROVED:
            raise CannotRerun("an approved fax is not run again: its confirmed values would be lost")
        fax.status, fax.error, fax.review_state = FaxStatus.QUEUED, None, ReviewState.PENDING
        session.commit()
    enqueue_prepare(services, fax_id)


def enqueue_pages(services: Services, fax_id: int, numbers: list[int]) -> Job:
    """Fan out the page reading (in jobs of `pages_per_job` pages, see `_job_size`), and the
    join that analyses once they are all done. The join goes to the front of the queue when
    its pages are read: a fax is ready for review as soon as it can be, not after every page
    of a burst that arrived behind it."""
    size = _job_size(services, len(numbers))
    pages = [
        services.queue.enqueue(
            "workers.jobs.read_pages",
            fax_id,
            numbers[i : i + size],
            job_id=fresh_id(services, job_id(fax_id, JobStage.PAGE, numbers[i])),
            retry=_retry(services),
            on_failure=Callback("workers.jobs.record_failure"),
        )
        for i in range(0, len(numbers), size)
    ]
    return services.queue.enqueue(
        "workers.jobs.analyse",
        fax_id,
        job_id=fresh_id(services, job_id(fax_id, JobStage.ANALYSE)),
        depends_on=Dependency(pages, enqueue_at_front=True) if pages else None,
        retry=_retry(services),
        on_failure=Callback("workers.jobs.record_failure"),
    )


def _job_size(services: Services, pages: int) -> int:
    """Pages per reading job. Unless configured: one page per job while there are workers to
    take the pages at once (a long fax is shared by all of them), but the whole fax in one
    job when the queue already holds work for every worker: splitting then only adds jobs
    (the benchmark measured one job per fax 4-13% faster in a burst)."""
    configured = services.settings.pages_per_job
    if configured is None:
        backed_up = services.queue.count >= max(1, Worker.count(queue=services.queue))
        configured = 0 if backed_up else 1
    return configured or pages or 1


def requeue(services: Services, stale_after: float | None = None) -> list[int]:
    """Queue again every fax left `queued` or `processing` with no live job: Redis was down
    when it arrived, the worker running it was killed (no heartbeat for `stale_after`
    seconds), or a backend outage outlasted its retries (once its hold lapses, see
    storage.outages). Safe to run at any time."""
    stale_after = services.settings.worker_stale_seconds if stale_after is None else stale_after
    with services.sessions() as session:
        waiting = session.scalars(select(Fax.id).where(Fax.status.in_(IN_FLIGHT))).all()
    again = []
    for fax_id in waiting:
        if not held(services.redis, services.queue.name, fax_id) and _stalled(services, fax_id, stale_after):
            _forget_dead_jobs(services, fax_id)
            enqueue_prepare(services, fax_id)
            again.append(fax_id)
    return again


def keep_requeuing(services: Services, stop: threading.Event | None = None) -> None:
    """Run `requeue` now and every half of the stale limit (the watcher, the worker supervisor
    and `up` run this beside them): a killed worker's fax is queued again within one and a half
    stale limits (45 s by default). Sweeps in several processes take turns, by a lock in Redis,
    so no two queue the same fax again."""
    stop = stop or threading.Event()
    every = services.settings.worker_stale_seconds / 2
    next_tidy = 0.0
    while not stop.is_set():
        try:
            with services.redis.lock(
                f"faxintake:sweep:{services.queue.name}", timeout=every * 4, blocking=False
            ):
                requeue(services)
                if time.monotonic() >= next_tidy:
                    _remove_expired(services)
                    next_tidy = time.monotonic() + TIDY_EVERY_SECONDS
        except LockError:
            pass  # another process is sweeping now
        except RedisError:
            log.warning("requeue skipped: Redis unavailable")
        except Exception as exc:  # noqa: BLE001 - the database away: the next sweep tries again
            log.warning("requeue failed; will retry", extra={"error": type(exc).__name__})
        stop.wait(every)


def _remove_expired(services: Services) -> None:
    """The retention of exports and training copies, applied by the same sweep, hourly."""
    removed = remove_expired(services.settings)
    if removed:
        log.info("expired exports removed", extra={"count": removed})


def _fax_jobs(services: Services, fax_id: int) -> list[Job]:
    """The jobs that carry a fax through processing. Not its helper job (its pages are read by
    the job it helps if it is lost) nor its FHIR export (an approved fax is not in flight)."""
    ids = [job_id(fax_id, JobStage.PREPARE), job_id(fax_id, JobStage.ANALYSE)]
    pages = f"rq:job:{job_id(fax_id, JobStage.PAGE)}-*"
    ids += [k.decode().rsplit(":", 1)[-1] for k in services.redis.scan_iter(pages)]
    return [job for job in Job.fetch_many(ids, connection=services.redis) if job is not None]


def _stalled(services: Services, fax_id: int, stale_after: float) -> bool:
    """True when no job will carry the fax on: none is waiting, one was lost with a killed
    worker (taken off the queue but never finished), or one failed on a fax still processing
    (a backend outage held it rather than failing it). The analysis waits for every page, so a
    single lost or failed page job stalls the fax."""
    waiting = set(services.queue.get_job_ids())
    live = lost = False
    for job in _fax_jobs(services, fax_id):
        status = job.get_status(refresh=False)
        if status == "queued":
            alive = job.id in waiting
        elif status == "started":
            alive = _worker_on(services, job, stale_after)
        elif status in ("deferred", "scheduled"):
            alive = True
        elif status == "failed":
            alive = False
        else:
            continue  # finished, canceled
        live, lost = live or alive, lost or not alive
    return lost or not live


def _worker_on(services: Services, job: Job, stale_after: float) -> bool:
    """A started job is alive while its worker keeps a heartbeat and still says it is on
    this job (a killed worker leaves its key behind; one that lost Redis mid-job moves on)."""
    name = job.worker_name
    worker = name and Worker.find_by_key(
        Worker.redis_worker_namespace_prefix + name, connection=services.redis
    )
    if not worker or worker.get_current_job_id() != job.id:
        return False
    return heartbeat_age(worker) < stale_after


def _forget_dead_jobs(services: Services, fax_id: int) -> None:
    """Drop a killed worker's jobs from the started registry, so rq does not fail them later."""
    registry = StartedJobRegistry(queue=services.queue)
    for job in _fax_jobs(services, fax_id):
        registry.remove_executions(job)
        job.delete(remove_from_queue=True, delete_dependents=False)
