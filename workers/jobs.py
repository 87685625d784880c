"""The rq jobs. Each loads what it needs, calls the same pipeline functions the CLI calls,
and saves what it made. All are idempotent: running one again gives the same state."""

from __future__ import annotations

import atexit
import json
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path

from redis.exceptions import RedisError

from core.data import PageText
from core.lifecycle import return_freed_memory
from core.logs import log_context
from core.metrics import (
    END_TO_END_SECONDS,
    FAILURES,
    FAXES_PROCESSED,
    OCR_CONFIDENCE,
    PAGES_PROCESSED,
    RETRIES,
    timed,
)
from core.states import FaxStatus, ReviewState, TaskStatus
from extractors import reading
from extractors.loading import OpenedFax, UnreadableInput, open_fax
from extractors.textlayer import text_layer_pages
from outbound.fhir_client import post_bundle
from pipeline.stages import Pipeline
from referrals.tracking import track
from storage.models import Fax, Task, aware, close_open_tasks, utcnow
from storage.objects import page_key
from storage.outages import hold, is_outage, release
from storage.results import priority, save_result
from workers import sharing
from workers.queue import enqueue_pages, plan_reading
from workers.services import Services

log = logging.getLogger("faxintake.worker")


class WorkerContext:
    """What a worker process loads once: services and the pipeline (OCR engine, model, rules)."""

    current: WorkerContext | None = None

    def __init__(self, services: Services) -> None:
        self.services = services
        self.pipeline = Pipeline.from_settings(services.settings)
        self.pipeline.warm_up()
        self._folder = Path(tempfile.mkdtemp(prefix="faxintake-worker-"))
        atexit.register(shutil.rmtree, self._folder, True)
        self._held: tuple[int, Path] | None = None
        self._opened: tuple[int, OpenedFax] | None = None

    def opened(self, fax_id: int) -> OpenedFax:
        """The fax's original, opened (and checked) once for all its page jobs here."""
        if not self._opened or self._opened[0] != fax_id:
            self._opened = (fax_id, open_fax(self.original(fax_id), self.services.settings))
        return self._opened[1]

    def original(self, fax_id: int) -> Path:
        """The fax's original as a local file (poppler wants a path). The last one is kept:
        a worker usually reads several pages of the same fax in a row."""
        if self._held and self._held[0] == fax_id:
            return self._held[1]
        if self._held:
            self._held[1].unlink(missing_ok=True)
            self._held = self._opened = None
        with self.services.sessions() as session:
            key = session.get_one(Fax, fax_id).original_key
        path = self._folder / f"fax-{fax_id}.original"
        path.write_bytes(self.services.store.get(key))
        self._held = (fax_id, path)
        return path

    @classmethod
    def get(cls) -> WorkerContext:
        if cls.current is None:
            from core.settings import load_settings

            cls.current = WorkerContext(Services.from_settings(load_settings()))
        return cls.current


def prepare(fax_id: int) -> list[int]:
    """Count the pages of a fax queued again (`requeue`, `rerun`) and fan out their reading;
    returns the page numbers queued. Intake fans out a new fax itself: it has just counted."""
    ctx = WorkerContext.get()
    with _task(ctx, fax_id, "prepare"):
        try:
            fax = ctx.opened(fax_id)
        except UnreadableInput as exc:
            FAILURES.labels("prepare", "unreadable").inc()
            _fail(ctx, fax_id, str(exc))
            return []
    with ctx.services.sessions() as session:
        numbers = plan_reading(session, session.get_one(Fax, fax_id), fax.page_count)
        session.commit()
    enqueue_pages(ctx.services, fax_id, numbers)
    return numbers


def read_pages(fax_id: int, numbers: list[int]) -> list[str]:
    """Read the pages of one fan-out job (see workers.queue._job_size), with the help of any
    worker that falls idle meanwhile (see workers.sharing)."""
    ctx = WorkerContext.get()
    sha256 = _sha(ctx, fax_id)
    return sharing.read_shared(
        ctx.services,
        fax_id,
        numbers,
        partial(read_page, fax_id),
        lambda number: ctx.services.store.exists(page_key(sha256, number)),
    )


def help_read(fax_id: int, numbers: list[int]) -> list[int]:
    """Read a fax's pages from the last backwards for the job reading it from the first;
    returns the page numbers read here."""
    return sharing.help_read(WorkerContext.get().services, fax_id, numbers, partial(read_page, fax_id))


def read_page(fax_id: int, number: int) -> str:
    """Read (text layer or OCR) one page and store its words; returns the object key."""
    ctx = WorkerContext.get()
    sha256 = _sha(ctx, fax_id)
    key = page_key(sha256, number)
    if ctx.services.store.exists(key):
        return key
    with _task(ctx, fax_id, f"page:{number}"):
        fax = ctx.opened(fax_id)
        layer = (
            text_layer_pages(fax.path, only=number).get(number) if fax.text_layer_possible(number) else None
        )
        page = reading.read_page(fax, number, ctx.services.settings, ctx.pipeline.engine, layer)
        with timed("store"):
            ctx.services.store.put(key, json.dumps(page.to_json()).encode())
    PAGES_PROCESSED.labels(page.source).inc()
    if page.ocr_confidence is not None:
        OCR_CONFIDENCE.observe(page.ocr_confidence)
    return key


def analyse(fax_id: int) -> str:
    """Classify, split, extract, apply rules; save the result and its rows; mark ready."""
    ctx = WorkerContext.get()
    with _task(ctx, fax_id, "analyse"), ctx.services.sessions() as session:
        fax = session.get_one(Fax, fax_id)
        pages = [
            PageText.from_json(json.loads(ctx.services.store.get(page_key(fax.sha256, n))))
            for n in range(1, (fax.page_count or 0) + 1)
        ]
        result = ctx.pipeline.analyse(
            fax.filename, fax.sha256, pages, _iso(fax.received_at), ctx.services.settings.today()
        )
        save_result(session, fax, result, pages)
        track(session, fax, utcnow(), pages)
        close_open_tasks(session, fax_id)
        session.commit()
        release(ctx.services.redis, ctx.services.queue.name, fax_id)
        END_TO_END_SECONDS.observe(
            (aware(fax.finished_at or utcnow()) - aware(fax.received_at)).total_seconds()
        )
        FAXES_PROCESSED.labels("ready").inc()
        log.info("ready", extra={"pages": len(pages), "flags": len(result["flags"])})
    return result["status"]


def push_cases() -> int:
    """Send changed referral cases to the FHIR server; raises (so rq retries) if any failed."""
    # Imported here: the FHIR models cost a worker ~30 MB, and only clinics with a FHIR
    # server ever run this job.
    from referrals.fhir import push_pending

    ctx = WorkerContext.get()
    with ctx.services.sessions() as session:
        pushed, failed = push_pending(session, ctx.services.settings, utcnow())
        session.commit()
    log.info("cases pushed", extra={"stage": "fhir", "pushed": pushed, "failed": failed})
    if failed:
        raise CasePushFailed(f"{failed} case(s) not accepted by the FHIR server; they stay pending")
    return pushed


def push_export(fax_id: int) -> None:
    """POST an approved fax's FHIR bundle (from its export folder) to the FHIR server; raises
    (so rq retries) when it is not accepted."""
    ctx = WorkerContext.get()
    with ctx.services.sessions() as session:
        folder = Path(session.get_one(Fax, fax_id).export_path or "")
    post_bundle(json.loads((folder / "bundle.json").read_text()), ctx.services.settings)
    log.info("exported to the FHIR server", extra={"fax_id": fax_id, "stage": "fhir"})


class CasePushFailed(Exception):
    pass


def record_failure(job, connection, exc_type, exc_value, traceback) -> None:
    """rq's failure callback: note the error. When no retry is left, a backend outage holds
    the fax for the sweep to queue again after a backoff (storage.outages); anything else
    fails it."""
    ctx = WorkerContext.get()
    fax_id, stage = job.args[0], _stage(job)
    reason = f"{exc_type.__name__}: {exc_value}"[:500]
    outage = is_outage(exc_type)
    FAILURES.labels(stage.split(":")[0], "outage" if outage else "error").inc()
    if job.retries_left:
        RETRIES.labels(stage.split(":")[0]).inc()
    with ctx.services.sessions() as session:
        task = session.query(Task).filter_by(fax_id=fax_id, stage=stage).one_or_none()
        if task:
            task.status, task.error = TaskStatus.FAILED, reason
        session.commit()
    if job.retries_left:
        return
    if outage:
        seconds = hold(ctx.services.redis, ctx.services.queue.name, fax_id)
        log.warning(
            "backend unavailable; fax held for the sweep", extra={"fax_id": fax_id, "seconds": seconds}
        )
        _update_fax(ctx, fax_id, error=f"waiting for a backend ({exc_type.__name__}); retried automatically")
    else:
        _fail(ctx, fax_id, f"{stage} failed: {reason}")


def _stage(job) -> str:
    name = job.func_name.rsplit(".", 1)[-1]
    return f"page:{job.args[1][0]}" if name == "read_pages" else name


@contextmanager
def _task(ctx: WorkerContext, fax_id: int, stage: str) -> Iterator[None]:
    """Record the stage's start, finish and timings in its task row, and log with its ids."""
    started = time.monotonic()
    try:
        with log_context(fax_id=fax_id, stage=stage), ctx.services.sessions() as session:
            task = Task.of(session, fax_id, stage)
            now = utcnow()
            task.status, task.started_at, task.attempts = TaskStatus.STARTED, now, (task.attempts or 0) + 1
            task.wait_seconds = max(0.0, (now - aware(task.queued_at)).total_seconds())
            session.commit()
            yield
            task.status, task.finished_at = TaskStatus.FINISHED, utcnow()
            task.run_seconds, task.error = round(time.monotonic() - started, 3), None
            session.commit()
    finally:
        _return_memory_when_idle(ctx)


def _return_memory_when_idle(ctx: WorkerContext) -> None:
    """Hand the memory freed by the stage back to the OS once no job waits, so an idle worker
    sits at its baseline. Not while work waits: the next page maps the same amount afresh,
    and those page faults cost ~23 ms of system time a page (~5%) when trimmed every page."""
    try:
        waiting = ctx.services.queue.count
    except RedisError:
        waiting = 0
    if not waiting:
        return_freed_memory()


def _sha(ctx: WorkerContext, fax_id: int) -> str:
    with ctx.services.sessions() as session:
        return session.get_one(Fax, fax_id).sha256


def _update_fax(ctx: WorkerContext, fax_id: int, **values) -> None:
    with ctx.services.sessions() as session:
        fax = session.get_one(Fax, fax_id)
        for name, value in values.items():
            setattr(fax, name, value)
        session.commit()


def _fail(ctx: WorkerContext, fax_id: int, reason: str) -> None:
    FAXES_PROCESSED.labels("failed").inc()
    log.warning("failed", extra={"fax_id": fax_id})
    with ctx.services.sessions() as session:
        fax = session.get_one(Fax, fax_id)
        fax.status, fax.error, fax.finished_at = FaxStatus.FAILED, reason, utcnow()
        fax.review_state, fax.priority = ReviewState.TO_REVIEW, priority(None, fax)
        close_open_tasks(session, fax_id)
        session.commit()


def _iso(moment: datetime) -> str:
    return aware(moment).strftime("%Y-%m-%dT%H:%M:%SZ")
