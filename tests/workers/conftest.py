"""Fixtures shared by the worker tests."""

import pytest
from rq import SimpleWorker


@pytest.fixture
def registered_worker(services):
    """One idle worker registered on the queue (not running jobs)."""
    listening = SimpleWorker([services.queue], connection=services.redis)
    listening.register_birth()
    yield listening
    listening.register_death()
