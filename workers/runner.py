"""`faxintake worker`: rq workers in separate processes, each with its engine loaded once."""

from __future__ import annotations

import os
from multiprocessing import get_context
from multiprocessing.process import BaseProcess

from rq import Worker

from faxintake.services import Services
from faxintake.settings import Settings
from workers.jobs import WorkerContext


def work(settings: Settings, burst: bool = False) -> None:
    """Run one worker in this process until stopped (or until the queue is empty, in burst mode)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    services = Services.from_settings(settings)
    WorkerContext.current = WorkerContext(services)
    worker = Worker([services.queue], connection=services.redis)
    worker.work(with_scheduler=True, burst=burst, logging_level="WARNING")


def start_workers(settings: Settings, count: int) -> list[BaseProcess]:
    context = get_context("spawn")
    processes = [
        context.Process(target=work, args=(settings,), name=f"faxintake-worker-{i}") for i in range(count)
    ]
    for process in processes:
        process.start()
    return processes


def stop_workers(processes: list[BaseProcess], timeout: float = 30) -> None:
    """Ask each worker to finish its job (SIGTERM is rq's warm shutdown), then wait."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout)


def run_workers(settings: Settings, count: int) -> None:
    """Start `count` worker processes and wait for them."""
    processes = start_workers(settings, count)
    try:
        for process in processes:
            process.join()
    finally:
        stop_workers(processes)
