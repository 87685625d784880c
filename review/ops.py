"""What ops look at: gauges of state for /metrics, and the snapshot behind the dashboard and
`faxintake status` (throughput, backlog by stage, failures, workers, end-to-end times)."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.metadata import version

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select

from core.states import IN_FLIGHT, OPEN_REVIEW_STATES, FaxStatus, TaskStatus
from referrals.figures import figures
from referrals.states import OPEN_STATES
from review.health import health
from storage.liveness import live_workers
from storage.models import AuditEntry, Fax, Task, aware, utcnow
from workers.services import Services


class StateCollector:
    """Gauges read at scrape time: queue depth, workers, faxes by status, review backlog."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self._health()
        yield from self._queues()
        yield from self._database()
        yield from self._disks()
        yield from self._referrals()

    def _health(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily(
            "faxintake_up", "1 when the backend answers or the part is alive, else 0", labels=["component"]
        )
        for component, ok in health(self.services).items():
            up.add_metric([component], 1 if ok else 0)
        yield up
        build = GaugeMetricFamily("faxintake_build_info", "The running version", labels=["version", "python"])
        build.add_metric([version("faxintake"), platform.python_version()], 1)
        yield build

    def _referrals(self) -> Iterator[GaugeMetricFamily]:
        with self.services.sessions() as session:
            found = figures(session, utcnow(), self.services.timers)
        by_state = GaugeMetricFamily(
            "faxintake_referral_cases", "Open referral cases by state", labels=["state"]
        )
        for state in OPEN_STATES:
            by_state.add_metric([state], found.open_by_state.get(state, 0))
        yield by_state
        yield GaugeMetricFamily(
            "faxintake_referral_cases_overdue", "Open cases past due", value=found.overdue
        )
        yield GaugeMetricFamily(
            "faxintake_referral_cases_closed", "Cases whose loop closed", value=found.closed
        )
        days = found.median_days_to_report
        if days is not None:
            yield GaugeMetricFamily(
                "faxintake_referral_report_seconds",
                "Median time from referral to consult report",
                value=days * 86400,
            )

    def _queues(self) -> Iterator[GaugeMetricFamily]:
        queue = self.services.queue
        depth = GaugeMetricFamily(
            "faxintake_queue_jobs", "Jobs in the queue, by state", labels=["queue", "state"]
        )
        workers = GaugeMetricFamily("faxintake_workers", "rq workers, by state", labels=["state"])
        try:
            depth.add_metric([queue.name, "queued"], queue.count)
            depth.add_metric([queue.name, "started"], queue.started_job_registry.count)
            depth.add_metric([queue.name, "deferred"], queue.deferred_job_registry.count)
            depth.add_metric([queue.name, "failed"], queue.failed_job_registry.count)
            states = [w.get_state() for w in live_workers(queue, self.services.settings.worker_stale_seconds)]
            workers.add_metric(["busy"], sum(s == "busy" for s in states))
            workers.add_metric(["idle"], sum(s != "busy" for s in states))
        except Exception:  # noqa: BLE001 - Redis down: report what the database knows
            return
        yield depth
        yield workers

    def _database(self) -> Iterator[GaugeMetricFamily]:
        by_status = GaugeMetricFamily("faxintake_faxes", "Faxes by processing status", labels=["status"])
        backlog = GaugeMetricFamily("faxintake_review_backlog", "Faxes waiting for review", labels=["state"])
        oldest = GaugeMetricFamily("faxintake_review_backlog_oldest_seconds", "Age of the oldest waiting fax")
        hour = GaugeMetricFamily(
            "faxintake_review_actions_last_hour", "Review outcomes in the last hour", labels=["outcome"]
        )
        with self.services.sessions() as session:
            counts: dict[str, int] = dict.fromkeys(FaxStatus, 0)
            counts |= dict(session.execute(select(Fax.status, func.count()).group_by(Fax.status)).all())
            for status, count in counts.items():
                by_status.add_metric([status], count)
            waiting = Fax.review_state.in_(OPEN_REVIEW_STATES) & Fax.duplicate_of_id.is_(None)
            counts = dict.fromkeys(OPEN_REVIEW_STATES, 0)
            counts |= dict(
                session.execute(
                    select(Fax.review_state, func.count()).where(waiting).group_by(Fax.review_state)
                ).all()
            )
            for state, count in counts.items():
                backlog.add_metric([state], count)
            first = session.scalar(select(func.min(Fax.received_at)).where(waiting))
            oldest.add_metric([], (utcnow() - aware(first)).total_seconds() if first else 0)
            since = utcnow() - timedelta(hours=1)
            counts = dict.fromkeys(REVIEW_OUTCOMES, 0)
            counts |= dict(
                session.execute(
                    select(AuditEntry.action, func.count())
                    .where(AuditEntry.at >= since, AuditEntry.action.in_(REVIEW_OUTCOMES))
                    .group_by(AuditEntry.action)
                ).all()
            )
            for action, count in counts.items():
                hour.add_metric([action], count)
            first = session.scalar(select(func.min(Fax.received_at)).where(Fax.status.in_(IN_FLIGHT)))
            processing = GaugeMetricFamily(
                "faxintake_processing_oldest_seconds", "Age of the oldest fax not yet processed"
            )
            processing.add_metric([], (utcnow() - aware(first)).total_seconds() if first else 0)
        yield from (by_status, backlog, oldest, hour, processing)

    def _disks(self) -> Iterator[GaugeMetricFamily]:
        free = GaugeMetricFamily(
            "faxintake_disk_free_ratio", "Free share of the filesystem, by folder", labels=["folder"]
        )
        settings = self.services.settings
        for name, folder in (("data", settings.data_dir), ("inbox", settings.inbox)):
            if folder.exists():
                usage = shutil.disk_usage(folder)
                free.add_metric([name], usage.free / usage.total)
        yield free


REVIEW_OUTCOMES = ("approved", "escalated", "information_requested", "discarded")


def exposition(services: Services) -> bytes:
    """The text /metrics serves: every process's metrics (or this one's) plus the state."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        recorded = CollectorRegistry()
        MultiProcessCollector(recorded, path=folder)
    else:
        recorded = REGISTRY
    state = CollectorRegistry()
    state.register(StateCollector(services))
    return generate_latest(recorded) + generate_latest(state)


@dataclass
class WorkerState:
    name: str
    state: str
    job: str | None
    heartbeat: datetime | None


@dataclass
class Snapshot:
    """The ops picture at one moment."""

    pages_per_minute_last_hour: list[int]  # 60 one-minute buckets, oldest first
    pages_per_minute_last_day: list[float]  # 24 hourly averages, oldest first
    backlog: dict[str, dict[str, int]]  # stage -> {queued, started}
    faxes: dict[str, int]  # processing status -> count
    review_waiting: int
    review_oldest_seconds: float
    end_to_end_p50: float | None
    end_to_end_p95: float | None
    failures: list[dict] = field(default_factory=list)  # id, when, reason
    workers: list[WorkerState] = field(default_factory=list)


def snapshot(services: Services, now: datetime | None = None) -> Snapshot:
    now = now or utcnow()
    with services.sessions() as session:
        finished = [
            aware(t)
            for t in session.scalars(
                select(Task.finished_at).where(
                    Task.stage.startswith("page:"), Task.finished_at >= now - timedelta(days=1)
                )
            )
            if t is not None
        ]
        backlog: dict[str, dict[str, int]] = {}
        for stage, status, count in session.execute(
            select(Task.stage, Task.status, func.count())
            .join(Fax, Fax.id == Task.fax_id)
            .where(Task.status.in_((TaskStatus.QUEUED, TaskStatus.STARTED)), Fax.status.in_(IN_FLIGHT))
            .group_by(Task.stage, Task.status)
        ):
            kind = stage.split(":")[0]
            backlog.setdefault(kind, {"queued": 0, "started": 0})[status] += count
        faxes = dict(session.execute(select(Fax.status, func.count()).group_by(Fax.status)).all())
        waiting = Fax.review_state.in_(OPEN_REVIEW_STATES) & Fax.duplicate_of_id.is_(None)
        review_waiting = session.scalar(select(func.count()).where(waiting)) or 0
        oldest = session.scalar(select(func.min(Fax.received_at)).where(waiting))
        spans = [
            (aware(done) - aware(came)).total_seconds()
            for came, done in session.execute(
                select(Fax.received_at, Fax.finished_at).where(
                    Fax.status == FaxStatus.READY, Fax.finished_at >= now - timedelta(days=1)
                )
            )
            if done is not None
        ]
        failures = [
            {"id": f.id, "when": f.finished_at, "reason": f.error}
            for f in session.scalars(
                select(Fax).where(Fax.status == FaxStatus.FAILED).order_by(Fax.id.desc()).limit(50)
            )
        ]
    return Snapshot(
        _per_minute(finished, now),
        _per_hour(finished, now),
        backlog,
        faxes,
        review_waiting,
        (now - aware(oldest)).total_seconds() if oldest else 0.0,
        _quantile(spans, 0.5),
        _quantile(spans, 0.95),
        failures,
        _workers(services),
    )


def _per_minute(moments: list[datetime], now: datetime) -> list[int]:
    buckets = [0] * 60
    for moment in moments:
        age = int((now - moment).total_seconds() // 60)
        if 0 <= age < 60:
            buckets[59 - age] += 1
    return buckets


def _per_hour(moments: list[datetime], now: datetime) -> list[float]:
    buckets = [0] * 24
    for moment in moments:
        age = int((now - moment).total_seconds() // 3600)
        if 0 <= age < 24:
            buckets[23 - age] += 1
    return [round(count / 60, 2) for count in buckets]


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1], 1)


def _workers(services: Services) -> list[WorkerState]:
    try:
        return [
            WorkerState(w.name, w.get_state(), w.get_current_job_id(), w.last_heartbeat)
            for w in live_workers(services.queue, services.settings.worker_stale_seconds)
        ]
    except Exception:  # noqa: BLE001 - Redis down: no worker list, the rest still shows
        return []
