"""`faxintake worker`: rq workers in separate processes, each with its engine loaded once,
supervised: a worker that exits is replaced.

Jobs run in the worker process itself (rq's SimpleWorker): forking a work horse per job
would copy-on-write a 400 MB process for every page, which cost more than OCRing it."""

from __future__ import annotations

import logging
import os
import signal
import threading
from multiprocessing import get_context
from multiprocessing.process import BaseProcess

from core.lifecycle import die_with_parent
from core.logs import configure_logging
from core.settings import Settings
from storage.db import make_engine, migrate
from workers.jobs import WorkerContext
from workers.queue import keep_requeuing
from workers.services import Services
from workers.worker import FaxWorker

log = logging.getLogger("faxintake.worker")


def work(settings: Settings, burst: bool = False) -> None:
    """Run one worker in this process until stopped (or until the queue is empty, in burst mode)."""
    die_with_parent()
    configure_logging(settings.log_level)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    services = Services.from_settings(settings, migrated=True)  # by start_workers
    WorkerContext.current = WorkerContext(services)
    worker = FaxWorker([services.queue], services.redis, settings.worker_stale_seconds / 3)
    try:
        worker.work(with_scheduler=True, burst=burst, logging_level="WARNING")
    except Exception:  # a worker cut off for good (Redis gone): one JSON line, then exit 1
        log.exception("worker stopped")  # and the supervisor starts another
        raise SystemExit(1) from None


def start_workers(settings: Settings, count: int) -> list[BaseProcess]:
    """Migrate the schema once, then start the workers (which do not)."""
    migrate(make_engine(settings.sqlalchemy_url))
    return [_start(settings, i) for i in range(count)]


def _start(settings: Settings, index: int) -> BaseProcess:
    process = get_context("spawn").Process(target=work, args=(settings,), name=f"faxintake-worker-{index}")
    process.start()
    return process


def stop_workers(processes: list[BaseProcess], timeout: float = 30) -> None:
    """Ask each worker to finish its job (SIGTERM is rq's warm shutdown), then wait."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout)


def run_workers(settings: Settings, count: int) -> None:
    """Start `count` worker processes and keep them running until SIGTERM or Ctrl-C, with the
    recovery sweep beside them (so a killed worker's fax is queued again whatever else runs)."""
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    services = Services.from_settings(settings)
    threading.Thread(target=keep_requeuing, args=(services, stopping), daemon=True).start()
    supervise_workers(settings, count, stopping)


def supervise_workers(settings: Settings, count: int, stopping: threading.Event) -> None:
    """Keep `count` worker processes running (a worker that died, say after losing Redis for
    good, is replaced) until `stopping` is set; then stop them."""
    processes = start_workers(settings, count)
    try:
        while not stopping.is_set():
            for index, process in enumerate(processes):
                if not process.is_alive():
                    log.warning("worker exited; starting another", extra={"exitcode": process.exitcode})
                    processes[index] = _start(settings, index)
            stopping.wait(1)
    finally:
        stop_workers(processes)
