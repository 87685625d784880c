"""Telling a backend outage from a bad fax, and holding a fax back while its backend is away.

A job that failed because the object store, the database or Redis could not be reached says
nothing about the fax: once its retries are spent it is not failed but held, and the recovery
sweep queues it again after a backoff that grows to half an hour, for as long as the outage
lasts. Only what the fax itself causes is a final failure."""

from __future__ import annotations

from minio.error import MinioException
from redis import Redis
from redis.exceptions import RedisError
from rq import Retry
from sqlalchemy.exc import DBAPIError
from urllib3.exceptions import HTTPError as Urllib3Error

OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # ConnectionError, TimeoutError, a full or missing disk under the local store
    RedisError,
    DBAPIError,
    MinioException,
    Urllib3Error,  # MinIO's client when the endpoint does not answer
)
RETRY_SECONDS = (5, 30, 120)  # a job's own retries, before an outage holds its fax
FIRST_HOLD_SECONDS = 30
LONGEST_HOLD_SECONDS = 1800


def retry_policy(retries: int) -> Retry | None:
    """rq's retries for a job: up to `retries` more tries, 5 s, 30 s and 120 s apart."""
    return Retry(max=retries, interval=list(RETRY_SECONDS[:retries])) if retries else None


def is_outage(error: type[BaseException]) -> bool:
    return issubclass(error, OUTAGE_ERRORS)


def _key(queue_name: str, fax_id: int, what: str) -> str:
    return f"faxintake:outage:{queue_name}:{fax_id}:{what}"


def hold(redis: Redis, queue_name: str, fax_id: int) -> int:
    """Hold the fax back from the sweep for the next backoff step; returns its seconds."""
    attempts = redis.incr(_key(queue_name, fax_id, "attempts"))
    redis.expire(_key(queue_name, fax_id, "attempts"), 86400)
    seconds = min(LONGEST_HOLD_SECONDS, FIRST_HOLD_SECONDS * 2 ** (attempts - 1))
    redis.set(_key(queue_name, fax_id, "held"), 1, ex=seconds)
    return seconds


def held(redis: Redis, queue_name: str, fax_id: int) -> bool:
    return bool(redis.exists(_key(queue_name, fax_id, "held")))


def release(redis: Redis, queue_name: str, fax_id: int) -> None:
    """The fax got through: its next outage starts the backoff afresh."""
    redis.delete(_key(queue_name, fax_id, "attempts"), _key(queue_name, fax_id, "held"))
