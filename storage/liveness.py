"""Who is alive, read from Redis: rq workers by their heartbeat, and the drop-folder watcher
by a key it renews after every pass (lapsing on its own when the watcher stops)."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

from redis import Redis
from rq import Queue, Worker
from rq.worker import BaseWorker

WATCHER = "watcher"


def _key(queue_name: str, component: str, who: str = "*") -> str:
    return f"faxintake:alive:{queue_name}:{component}:{who}"


def beat(redis: Redis, queue_name: str, component: str, lapse_seconds: float) -> None:
    """Say this process's `component` is alive for the next `lapse_seconds`."""
    who = f"{socket.gethostname()}:{os.getpid()}"
    redis.set(
        _key(queue_name, component, who), datetime.now(UTC).isoformat(), ex=max(1, round(lapse_seconds))
    )


def alive(redis: Redis, queue_name: str, component: str) -> int:
    """How many processes' `component` beat within their lapse."""
    return sum(1 for _ in redis.scan_iter(_key(queue_name, component)))


def live_workers(queue: Queue, stale_seconds: float) -> list[BaseWorker]:
    """Workers on the queue whose heartbeat is fresh; a worker silent for longer is dead
    (killed, or cut off) and is dropped from rq's registry here, so nothing counts it again."""
    live = []
    for worker in Worker.all(queue=queue):
        if heartbeat_age(worker) < stale_seconds:
            live.append(worker)
        else:
            worker.register_death()
    return live


def heartbeat_age(worker: BaseWorker) -> float:
    """Seconds since the worker's last heartbeat (infinite if it never beat)."""
    beat = worker.last_heartbeat
    if beat is None:
        return float("inf")
    beat = beat if beat.tzinfo else beat.replace(tzinfo=UTC)
    return (datetime.now(UTC) - beat).total_seconds()
