"""A fax read in one job is shared with a worker that falls idle: each page is read once, by
whichever worker claims it first, and the job ends only when every page is stored."""

import threading
import time
from collections.abc import Callable

import pytest
from rq import SimpleWorker
from rq.job import Job
from sqlalchemy import select

from intake.accept import accept
from storage.models import Fax, Task
from tests.helpers.faxes import make_fax
from tests.helpers.processes import start_workers, wait_until_settled
from workers.sharing import PageClaims, help_read, idle_worker, read_shared

FAX = 7
NUMBERS = [1, 2, 3, 4, 5, 6]


class Pages:
    """Pages 'read' into a set, with who read each and a pause a page."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.stored: set[int] = set()
        self.readers: dict[int, list[str]] = {}
        self.seconds = seconds

    def reader(self, who: str, then: Callable[[], None] = lambda: None) -> Callable[[int], str]:
        def read(number: int) -> str:
            if number not in self.stored:
                self.readers.setdefault(number, []).append(who)
                time.sleep(self.seconds)
                self.stored.add(number)
                then()
            return f"page-{number}"

        return read


def test_a_helper_reads_from_the_end_and_no_page_is_read_twice(services):
    pages = Pages(seconds=0.1)
    helper = threading.Thread(target=help_read, args=(services, FAX, NUMBERS, pages.reader("helper")))
    first = pages.reader("first", then=lambda: helper.ident or helper.start())

    keys = read_shared(services, FAX, NUMBERS, first, pages.stored.__contains__)
    helper.join()

    assert keys == [f"page-{n}" for n in NUMBERS]
    assert all(len(who) == 1 for who in pages.readers.values()) and sorted(pages.readers) == NUMBERS
    helped = sorted(n for n, who in pages.readers.items() if who == ["helper"])
    assert helped and helped == NUMBERS[-len(helped) :]  # the helper's share is the end of the fax


def test_a_page_whose_helper_vanished_is_read_once_its_claim_lapses(services):
    PageClaims(services.redis, FAX, seconds=1).take(6)  # a helper killed mid-page
    pages = Pages()

    keys = read_shared(services, FAX, NUMBERS, pages.reader("first"), pages.stored.__contains__)

    assert keys == [f"page-{n}" for n in NUMBERS]
    assert pages.readers == {n: ["first"] for n in NUMBERS}


def test_a_helper_that_fails_leaves_its_page_to_the_first_job(services):
    pages = Pages()

    def failing(number: int) -> str:
        raise OSError("disk full")

    with pytest.raises(OSError):
        help_read(services, FAX, NUMBERS, failing)
    read_shared(services, FAX, NUMBERS, pages.reader("first"), pages.stored.__contains__)

    assert pages.readers == {n: ["first"] for n in NUMBERS}


def test_help_is_asked_for_when_a_worker_is_idle_and_nothing_waits(services, registered_worker):
    assert idle_worker(services)
    pages = Pages()

    read_shared(services, FAX, NUMBERS, pages.reader("first"), pages.stored.__contains__)

    helper = Job.fetch(f"fax-{FAX}-help", connection=services.redis)
    assert helper.func_name == "workers.jobs.help_read" and helper.args == (FAX, NUMBERS)


def test_a_one_page_job_is_read_without_claims_or_help(services, registered_worker):
    pages = Pages()

    assert read_shared(services, FAX, [3], pages.reader("first"), pages.stored.__contains__) == ["page-3"]

    assert services.queue.job_ids == [] and not PageClaims(services.redis, FAX, 60).held(3)


def test_no_help_is_asked_for_while_work_waits_in_the_queue(services, registered_worker):
    services.queue.enqueue("workers.jobs.prepare", 999_999, job_id="fax-999999-prepare")
    assert not idle_worker(services)

    read_shared(services, FAX, NUMBERS, Pages().reader("first"), lambda number: True)

    assert services.queue.job_ids == ["fax-999999-prepare"]


@pytest.mark.slow
def test_two_worker_processes_share_a_fax_queued_whole(tmp_path, services):
    services.settings.pages_per_job = 0  # the whole fax in one job
    workers = start_workers(services, 2)
    try:
        _wait_for_idle_workers(services, 2)
        path, _ = make_fax(tmp_path, "fax_tiff", "fine", scenario="referral", seed=12)  # 6 pages
        accepted = accept(services, path.read_bytes(), path.name, "drop_folder")
        (fax,) = wait_until_settled(services, 1)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
    assert fax.status == "ready" and fax.page_count >= 3
    helper = Job.fetch(f"fax-{accepted.fax_id}-help", connection=services.redis)
    assert helper.is_finished and helper.return_value()  # the second worker read pages too
    with services.sessions() as session:
        tasks = session.scalars(select(Task).where(Task.stage.startswith("page:"))).all()
        assert session.scalar(select(Fax.result)) is not None
    assert len(tasks) == fax.page_count and all(t.attempts == 1 for t in tasks)


def _wait_for_idle_workers(services, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while SimpleWorker.count(queue=services.queue) < count:
        assert time.monotonic() < deadline, "workers did not start"
        time.sleep(0.2)
