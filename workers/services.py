"""The long-lived parts a running faxintake needs, built once at the edge from settings."""

from __future__ import annotations

from dataclasses import dataclass

from redis import Redis
from rq import Queue
from sqlalchemy.orm import Session, sessionmaker

from core.settings import Settings
from referrals.outbox import push_after_commit
from referrals.timers import Timers
from storage.db import make_engine, migrate, sessions
from storage.objects import ObjectStore, make_store


@dataclass
class Services:
    settings: Settings
    store: ObjectStore
    sessions: sessionmaker[Session]
    redis: Redis
    queue: Queue
    timers: Timers

    @classmethod
    def from_settings(cls, settings: Settings, migrated: bool = False) -> Services:
        """Everything connected; the schema migrated first unless the caller says it is."""
        engine = make_engine(settings.sqlalchemy_url)
        if not migrated:
            migrate(engine)
        redis = Redis.from_url(settings.redis_url)
        queue = Queue(settings.queue_name, connection=redis, default_timeout=settings.job_timeout)
        factory = sessions(engine)
        if settings.fhir_base_url:
            push_after_commit(factory, queue, settings.job_retries)
        return cls(
            settings,
            make_store(settings),
            factory,
            redis,
            queue,
            Timers.load(settings.referral_timers_file).in_zone(settings.zone),
        )
