"""Outbound referrals registered by hand, by upload and through the JSON API."""

import pytest
from fastapi.testclient import TestClient
from rq import SimpleWorker

from storage.models import AuditEntry, Fax, ReferralCase
from tests.helpers.review import csrf_of, referral_fax
from workers.jobs import WorkerContext

VALUES = {
    "patient_name": "GONZALEZ, MARIA",
    "patient_dob": "03/09/1957",
    "member_id": "XJH 4410 2290",
    "insurance_payer": "Aetna",
    "referring_npi": "1234567893",
    "referred_to_specialty": "cardiology",
    "diagnosis_codes": "I48.91, E11.9",
    "urgency": "urgent",
}


def test_a_va_registers_an_outbound_referral_with_values_in_their_normal_forms(login, services):
    client = login("vera")
    csrf = csrf_of(client.get("/referrals/new").text)
    reply = client.post("/referrals/new", data={"csrf": csrf, **VALUES}, follow_redirects=False)
    assert reply.status_code == 303
    with services.sessions() as session:
        case = session.query(ReferralCase).one()
        assert reply.headers["location"] == f"/referrals/{case.id}"
        assert (case.direction, case.patient_name, case.patient_dob) == (
            "outbound",
            "Maria Gonzalez",
            "1957-03-09",
        )
        assert case.diagnosis_codes == ["I48.91", "E11.9"] and case.urgency == "urgent"
        assert case.state == "documentation_complete"
        assert session.query(AuditEntry).filter_by(action="case_registered").one().username == "vera"
    assert "outbound" in client.get(f"/referrals/{case.id}").text


def test_a_form_with_bad_values_comes_back_with_each_problem(login, services):
    client = login("vera")
    csrf = csrf_of(client.get("/referrals/new").text)
    bad = VALUES | {"referring_npi": "1234567890", "patient_dob": "someday"}
    reply = client.post("/referrals/new", data={"csrf": csrf, **bad})
    assert reply.status_code == 422
    assert reply.text.count('class="field-error"') == 2 and "GONZALEZ, MARIA" in reply.text  # input kept
    with services.sessions() as session:
        assert session.query(ReferralCase).count() == 0


@pytest.fixture
def api(app, services) -> TestClient:
    services.settings.api_token = "t0ken-for-tests"
    return TestClient(app, headers={"Authorization": "Bearer t0ken-for-tests"})


def test_the_api_registers_a_case_and_names_every_problem(api, services):
    created = api.post("/api/referrals", json=VALUES | {"diagnosis_codes": ["I48.91"]})
    assert created.status_code == 201 and created.json()["state"] == "documentation_complete"
    refused = api.post("/api/referrals", json={"patient_name": "Maria Gonzalez", "shoe_size": "9"})
    assert refused.status_code == 422
    assert set(refused.json()["errors"]) == {"shoe_size", "patient_dob", "referred_to_specialty"}
    assert api.post("/api/referrals", content=b"not json").status_code == 400
    with services.sessions() as session:
        case = session.get(ReferralCase, created.json()["case_id"])
        assert case.direction == "outbound" and case.events[0].actor == "api"


def test_the_api_wants_its_token(app, services):
    assert TestClient(app).post("/api/referrals", json=VALUES).status_code == 401  # no token set: off
    services.settings.api_token = "t0ken-for-tests"
    wrong = TestClient(app, headers={"Authorization": "Bearer guess"})
    assert wrong.post("/api/referrals", json=VALUES).status_code == 401


def test_an_uploaded_referral_is_read_by_the_pipeline_and_opens_an_outbound_case(login, services, tmp_path):
    client = login("vera")
    csrf = csrf_of(client.get("/referrals/new").text)
    path = referral_fax(tmp_path / "sent")
    reply = client.post(
        "/referrals/upload",
        data={"csrf": csrf},
        files={"file": (path.name, path.read_bytes(), "application/pdf")},
        follow_redirects=False,
    )
    assert reply.status_code == 303
    WorkerContext.current = WorkerContext(services)
    SimpleWorker([services.queue], connection=services.redis).work(burst=True)
    with services.sessions() as session:
        fax = session.query(Fax).one()
        assert fax.source == "outbound" and fax.status == "ready"
        case = session.query(ReferralCase).one()
        assert case.direction == "outbound" and case.source_fax_id == fax.id
    assert client.post("/referrals/upload", data={"csrf": csrf}).status_code == 422


def test_a_bad_upload_is_kept_as_a_failed_fax_with_its_reason(login, services):
    client = login("vera")
    csrf = csrf_of(client.get("/referrals/new").text)
    fake = client.post(
        "/referrals/upload",
        data={"csrf": csrf},
        files={"file": ("referral.pdf", b"%PDF-1.4 truncated", "application/pdf")},
        follow_redirects=False,
    )
    assert fake.status_code == 303
    with services.sessions() as session:
        fax = session.query(Fax).one()
        assert fax.status == "failed" and "truncated" in fax.error and fax.source == "outbound"
    services.settings.max_file_bytes = 10
    too_big = client.post(
        "/referrals/upload", data={"csrf": csrf}, files={"file": ("big.pdf", b"x" * 11, "application/pdf")}
    )
    assert too_big.status_code == 413


def test_the_api_wants_a_json_object(api):
    assert api.post("/api/referrals", json=["not", "an", "object"]).status_code == 400
