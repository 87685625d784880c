"""faxintake's own processes in tests: commands, worker processes, waiting for faxes to settle,
free ports, a process's descendants."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from storage.models import Fax
from workers.services import Services


def start_workers(services, count: int) -> list[subprocess.Popen]:
    env = {
        **os.environ,
        "FAXINTAKE_DATA_DIR": str(services.settings.data_dir),
        "FAXINTAKE_QUEUE_NAME": services.settings.queue_name,
        "FAXINTAKE_REDIS_URL": services.settings.redis_url,
    }
    return [
        subprocess.Popen([sys.executable, "-m", "faxintake.cli", "worker"], env=env) for _ in range(count)
    ]


def wait_until_settled(services, expected: int, timeout: float = 120) -> list[Fax]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with services.sessions() as session:
            faxes = session.scalars(select(Fax).order_by(Fax.id)).all()
        if len(faxes) >= expected and all(f.status in ("ready", "failed", "duplicate") for f in faxes):
            return faxes
        time.sleep(1)
    raise AssertionError(f"not settled: {[(f.id, f.status, f.error) for f in faxes]}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(services: Services) -> dict:
    s = services.settings
    return {
        **os.environ,
        "FAXINTAKE_DATA_DIR": str(s.data_dir),
        "FAXINTAKE_QUEUE_NAME": s.queue_name,
        "FAXINTAKE_REDIS_URL": s.redis_url,
    }


def run_cli(services: Services, *args: str, stale: float | None = None, **kwargs) -> subprocess.Popen:
    """A faxintake command on the test's services; `stale` shortens the stale limit (and with
    it the heartbeat and the recovery sweep) so recovery is quick to watch."""
    env = env_for(services) | ({"FAXINTAKE_WORKER_STALE_SECONDS": str(stale)} if stale else {})
    return subprocess.Popen([sys.executable, "-m", "faxintake.cli", *args], env=env, **kwargs)


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (rq's work horse runs in a session of its own)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def work_here(services: Services) -> None:
    """Run the queued jobs in a real rq worker in this process, until the queue is empty."""
    from rq import SimpleWorker

    from workers.jobs import WorkerContext

    WorkerContext.current = WorkerContext(services)
    try:
        SimpleWorker([services.queue], connection=services.redis).work(burst=True)
    finally:
        WorkerContext.current = None
