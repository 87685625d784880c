"""What a worker does between stages: freed memory goes back to the OS once no job waits."""

from types import SimpleNamespace

import pytest

from workers import jobs


@pytest.fixture
def trims(monkeypatch) -> list[None]:
    calls: list[None] = []
    monkeypatch.setattr(jobs, "return_freed_memory", lambda: calls.append(None))
    return calls


def test_memory_is_returned_when_no_job_waits(services, trims):
    jobs._return_memory_when_idle(SimpleNamespace(services=services))
    assert len(trims) == 1


def test_memory_is_kept_for_the_next_job_while_work_waits(services, trims):
    services.queue.enqueue("workers.jobs.prepare", 999_999, job_id="fax-999999-prepare")
    jobs._return_memory_when_idle(SimpleNamespace(services=services))
    assert trims == []
