"""What a worker does between stages: freed memory goes back to the OS once no job waits."""

import subprocess
import sys
from types import SimpleNamespace

import pytest

from intake.accept import accept
from storage.models import Fax
from storage.results import result_from_rows
from tests.helpers.pages import fax_with_dark_pages
from tests.helpers.processes import env_for
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


def test_dark_pages_do_not_fail_the_fax_in_a_worker(tmp_path, services):
    """In a worker with the default engine; every engine reads dark pages in
    tests/extractors/test_ocr.py, and the CLI runs the other one in tests/faxintake."""
    path = fax_with_dark_pages(tmp_path / "dark.tif")
    accepted = accept(services, path.read_bytes(), path.name, "drop_folder")
    env = env_for(services)
    worker = subprocess.run(
        [sys.executable, "-m", "faxintake.cli", "worker", "--burst"], env=env, timeout=180
    )
    assert worker.returncode == 0
    with services.sessions() as session:
        fax = session.get(Fax, accepted.fax_id)
        assert (fax.status, fax.page_count) == ("ready", 5)
        codes = [flag["code"] for flag in result_from_rows(fax)["flags"]]
    assert codes.count("unreadable_page") == 3
