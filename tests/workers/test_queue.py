"""How a fax's page reading is cut into jobs: per page while workers are free, the whole fax
when the queue already holds work for every worker, or as configured; and where its
analysis goes once its pages are read."""

import pytest
from rq import SimpleWorker

from workers.queue import _job_size, enqueue_pages


def _back_up(services) -> None:
    services.queue.enqueue("workers.jobs.prepare", 999_999, job_id="fax-999999-prepare")  # work waiting


def test_pages_go_one_per_job_while_workers_are_free(services, registered_worker):
    assert _job_size(services, 5) == 1


def test_a_backed_up_queue_takes_the_whole_fax_in_one_job(services, registered_worker):
    _back_up(services)
    assert _job_size(services, 5) == 5


@pytest.mark.parametrize(("configured", "size"), [(1, 1), (4, 4), (0, 5)])
def test_a_configured_size_is_kept_whatever_the_queue(services, registered_worker, configured, size):
    services.settings.pages_per_job = configured
    _back_up(services)
    assert _job_size(services, 5) == size


def test_an_empty_variable_means_the_automatic_size(monkeypatch):
    from core.settings import Settings

    monkeypatch.setenv("FAXINTAKE_PAGES_PER_JOB", "")
    assert Settings().pages_per_job is None


def test_a_negative_size_is_refused_at_start():
    from pydantic import ValidationError

    from core.settings import Settings

    with pytest.raises(ValidationError, match="pages_per_job"):
        Settings(pages_per_job=-1)


def test_a_fax_read_is_analysed_before_the_work_queued_behind_it(services, registered_worker, monkeypatch):
    monkeypatch.setattr("workers.jobs.read_pages", lambda fax_id, numbers: [])
    enqueue_pages(services, 7, [1])
    _back_up(services)
    SimpleWorker([services.queue], connection=services.redis).work(burst=True, max_jobs=1)
    assert services.queue.job_ids == ["fax-7-analyse", "fax-999999-prepare"]


def test_a_job_id_used_before_starts_afresh(services):
    """rq updates a job's hash in place; a spent job of the same id (a fax id reused after the
    database was reset, or a test's) must not pass its retries on to the new one."""
    from rq import Retry
    from rq.job import JobStatus

    old = services.queue.enqueue("workers.jobs.prepare", 7, job_id="fax-7-page-1", retry=Retry(max=3))
    old.set_status(JobStatus.FAILED)
    services.settings = services.settings.model_copy(update={"job_retries": 0})
    enqueue_pages(services, 7, [1])
    assert not services.queue.fetch_job("fax-7-page-1").retries_left
