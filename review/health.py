"""What readiness and the health gauges check: each backend answers, and the running parts
(at least one live worker, a live drop-folder watcher) are alive."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from storage.liveness import WATCHER, alive, live_workers
from workers.services import Services

BACKENDS = ("redis", "database", "object_store")
PARTS = ("worker", "watcher")


def _ping_database(services: Services) -> None:
    with services.sessions() as session:
        session.execute(text("SELECT 1"))


def _some_worker(services: Services) -> None:
    if not live_workers(services.queue, services.settings.worker_stale_seconds):
        raise LookupError("no live worker")


def _watcher(services: Services) -> None:
    if not alive(services.redis, services.settings.queue_name, WATCHER):
        raise LookupError("no live drop-folder watcher")


CHECKS: dict[str, Callable[[Services], object]] = {
    "redis": lambda services: services.redis.ping(),
    "database": _ping_database,
    "object_store": lambda services: services.store.ping(),
    "worker": _some_worker,
    "watcher": _watcher,
}


def health(services: Services) -> dict[str, bool]:
    """Each check by name: True when it passed."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check(services)
            results[name] = True
        except Exception:  # noqa: BLE001 - any failure means that part is down
            results[name] = False
    return results
