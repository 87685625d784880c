"""The rq worker faxintake runs: rq's SimpleWorker (jobs in the worker process itself), with a
heartbeat that goes on while a job runs.

SimpleWorker beats only between jobs, so a page that takes longer than the stale limit would
look like a killed worker and its fax would be queued again while it is still being read."""

from __future__ import annotations

import logging
import os
import threading
from multiprocessing.context import ForkProcess

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker, worker_registration
from rq.job import Job
from rq.scheduler import RQScheduler

log = logging.getLogger("faxintake.worker")


class QuietScheduler(RQScheduler):
    """rq's scheduler (it queues retries when their backoff is over) in its forked process,
    ending on a lost Redis with one JSON log line instead of multiprocessing's raw traceback;
    the worker starts another when it next can."""

    def start(self) -> ForkProcess:
        self._status = self.Status.STARTED
        self._connection = None  # a Redis connection must not cross the fork
        process = ForkProcess(target=_run_scheduler, args=(self,), name="Scheduler")
        process.start()
        self._process = process  # type: ignore[assignment]  # rq declares it None
        return process


def _run_scheduler(scheduler: RQScheduler) -> None:
    try:
        scheduler.work()
    except Exception as exc:  # noqa: BLE001 - logged by type; the process ends either way
        log.error("scheduler stopped", extra={"error": type(exc).__name__})
        os._exit(1)


class FaxWorker(SimpleWorker):
    def __init__(self, queues: list[Queue], connection: Redis, beat_seconds: float) -> None:
        # Idle, rq beats every worker_ttl - 15 seconds; beat_seconds apart is what we want.
        super().__init__(queues, connection=connection, worker_ttl=round(beat_seconds) + 15)
        self.beat_seconds = beat_seconds

    def _start_scheduler(
        self, burst: bool = False, logging_level: str | None = "INFO", *args, **kwargs
    ) -> None:
        """rq 2.12's, with the QuietScheduler (rq names its scheduler class in this method)."""
        self.scheduler = QuietScheduler(
            self.queues,
            connection=self.connection,
            logging_level=logging_level or "INFO",
            serializer=self.serializer,
        )
        self.scheduler.acquire_locks()
        if not self.scheduler.acquired_locks:
            return
        if not burst:
            self.scheduler.start()
            return
        try:
            self.scheduler.register_birth()
            self.scheduler.enqueue_scheduled_jobs()
        finally:
            self.scheduler.release_locks()
            self.scheduler.register_death()

    def execute_job(self, job: Job, queue: Queue) -> None:
        done = threading.Event()
        beating = threading.Thread(target=self._beat_until, args=(job, done), daemon=True)
        beating.start()
        try:
            super().execute_job(job, queue)
        finally:
            done.set()
            beating.join()

    def _beat_until(self, job: Job, done: threading.Event) -> None:
        while not done.wait(self.beat_seconds):
            try:
                self.maintain_heartbeats(job)
            except RedisError:  # Redis away for a moment: the next beat may reach it
                pass

    def heartbeat(self, timeout: int | None = None, pipeline=None) -> None:
        """rq's heartbeat, which also puts the worker back on the registry if a reader took it
        for dead (and dropped it) during a pause longer than the stale limit."""
        super().heartbeat(timeout, pipeline)
        connection = pipeline if pipeline is not None else self.connection
        connection.hdel(self.key, "death")
        worker_registration.register(self, connection)  # type: ignore[arg-type]  # a Redis works too
