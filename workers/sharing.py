"""One fax's pages shared by the workers that are free.

A fax read in one job (the queue was backed up when it arrived, see `queue._job_size`) keeps
one worker busy page after page while another may fall idle: the last fax of a burst, or a
long fax behind a busy queue. So the job reading it asks for help as soon as a worker is idle
and nothing waits in the queue: a helper job reads from the fax's last page backwards while
the first reads forwards, each page going to whichever claims it first (a Redis key set only
if absent). The first job ends once every page is stored, so the analysis that waits for it
finds them all; a page whose helper failed or vanished it reads itself."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from redis import Redis
from rq import Worker
from rq.registry import StartedJobRegistry

from core.states import JobStage, job_id
from workers.queue import fresh_id
from workers.services import Services

ReadPage = Callable[[int], str]  # reads one page (if not stored yet), returns its object key


class PageClaims:
    """Which worker reads which page of a fax. A claim lapses after `seconds`, so a page
    claimed by a worker that was killed is read by the other."""

    def __init__(self, redis: Redis, fax_id: int, seconds: float) -> None:
        self._redis, self._fax_id, self._seconds = redis, fax_id, max(1, round(seconds))

    def take(self, number: int) -> bool:
        return bool(self._redis.set(self._key(number), 1, nx=True, ex=self._seconds))

    def held(self, number: int) -> bool:
        return bool(self._redis.exists(self._key(number)))

    def release(self, numbers: Iterable[int]) -> None:
        keys = [self._key(n) for n in numbers]
        if keys:
            self._redis.delete(*keys)

    def _key(self, number: int) -> str:
        return f"faxintake:claim:{self._fax_id}:{number}"


def read_shared(
    services: Services, fax_id: int, numbers: list[int], read: ReadPage, stored: Callable[[int], bool]
) -> list[str]:
    """Read the pages in order, asking for a helper once a worker is idle; then wait for the
    pages the helper claimed. Returns the pages' object keys."""
    if len(numbers) < 2:
        return [read(number) for number in numbers]  # nothing to share
    claims = PageClaims(services.redis, fax_id, services.settings.worker_stale_seconds)
    keys, asked = {}, False
    try:
        for place, number in enumerate(numbers):
            if not asked and place < len(numbers) - 1 and idle_worker(services):
                ask_for_help(services, fax_id, numbers)
                asked = True
            if not claims.take(number):
                break  # the helper got here from the other end: the rest are its pages
            keys[number] = read(number)
        return [keys.get(number) or _awaited(claims, number, read, stored) for number in numbers]
    finally:
        claims.release(numbers)


def help_read(services: Services, fax_id: int, numbers: list[int], read: ReadPage) -> list[int]:
    """A helper's part: the pages from the last backwards, until one is already claimed.
    Returns the page numbers it read."""
    claims = PageClaims(services.redis, fax_id, services.settings.worker_stale_seconds)
    taken = []
    try:
        for number in reversed(numbers):
            if not claims.take(number):
                break
            taken.append(number)
            read(number)
        return taken
    finally:
        claims.release(taken)


def _awaited(claims: PageClaims, number: int, read: ReadPage, stored: Callable[[int], bool]) -> str:
    """The key of a page the helper claimed, once it is stored; read here if its claim lapsed
    or was let go unread."""
    while not stored(number):
        if not claims.held(number):
            return read(number)
        time.sleep(0.05)
    return read(number)  # stored: returns its key without reading


def idle_worker(services: Services) -> bool:
    """True when nothing waits in the queue and fewer jobs run than there are workers."""
    queue = services.queue
    if queue.count:
        return False
    return StartedJobRegistry(queue=queue).get_job_count(cleanup=False) < Worker.count(queue=queue)


def ask_for_help(services: Services, fax_id: int, numbers: list[int]) -> None:
    services.queue.enqueue(
        "workers.jobs.help_read",
        fax_id,
        numbers,
        job_id=fresh_id(services, job_id(fax_id, JobStage.HELP)),
        at_front=True,
    )
