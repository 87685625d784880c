"""Cases are pushed to the FHIR server as they move: a commit that changes a case queues a
push job; a real rq worker sends a ServiceRequest + Task; a server that was down catches up."""

import uuid

import pytest
from rq import SimpleWorker

from core.settings import Settings
from referrals.registration import register
from referrals.states import move
from storage.models import ReferralCase, utcnow
from tests.conftest import TODAY
from workers.jobs import WorkerContext
from workers.services import Services

VALUES = {
    "patient_name": "Maria Gonzalez",
    "patient_dob": "1957-03-09",
    "referred_to_specialty": "cardiology",
}


@pytest.fixture
def pushing(tmp_path, fhir_server):
    settings = Settings(
        data_dir=tmp_path / "data",
        queue_name=f"test-{uuid.uuid4().hex[:8]}",
        fhir_base_url=fhir_server.url,
        fhir_retries=1,
        job_retries=0,
    )
    services = Services.from_settings(settings)
    WorkerContext.current = WorkerContext(services)
    yield services
    services.queue.empty()
    services.queue.delete(delete_jobs=True)


def run_jobs(services: Services) -> None:
    SimpleWorker([services.queue], connection=services.redis).work(burst=True)


def task_statuses(received: list[dict]) -> list[str]:
    return [
        e["resource"]["status"]
        for b in received
        for e in b["entry"]
        if e["resource"]["resourceType"] == "Task"
    ]


def test_every_move_reaches_the_fhir_server(pushing, fhir_server):
    with pushing.sessions() as session:
        case_id = register(session, VALUES, "vera", utcnow(), TODAY).id
        session.commit()
    assert pushing.queue.count == 1
    run_jobs(pushing)
    with pushing.sessions() as session:
        move(session.get(ReferralCase, case_id), "cancelled", "vera", utcnow())
        session.commit()
    run_jobs(pushing)
    assert task_statuses(fhir_server.received) == ["received", "cancelled"]
    with pushing.sessions() as session:
        case = session.get(ReferralCase, case_id)
        assert case.fhir_pushed_at is not None
        case.fhir_pushed_at = utcnow()  # a push mark alone queues nothing
        session.commit()
    assert pushing.queue.count == 0


def test_a_case_the_server_refused_is_sent_with_the_next_push(pushing, fhir_server):
    fhir_server.failures_left = 1
    with pushing.sessions() as session:
        case_id = register(session, VALUES, "vera", utcnow(), TODAY).id
        session.commit()
    run_jobs(pushing)
    assert fhir_server.received == []
    assert pushing.queue.failed_job_registry.count == 1  # visible to ops as a failed job
    with pushing.sessions() as session:
        assert session.get(ReferralCase, case_id).fhir_pushed_at is None
        register(session, VALUES | {"patient_name": "John Smith"}, "vera", utcnow(), TODAY)
        session.commit()
    run_jobs(pushing)
    assert len(fhir_server.received) == 2  # the refused case and the new one
