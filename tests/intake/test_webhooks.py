import json
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from intake.webhooks import sign_generic
from review.app import create_app
from storage.models import Fax
from tests.faxintake.test_process import make_fax


@pytest.fixture
def client(services):
    return TestClient(create_app(services))


def _signed(body: bytes, secret="s3cret", when=None) -> dict:
    timestamp = str(int(when or time.time()))
    return {"X-Fax-Timestamp": timestamp, "X-Fax-Signature": sign_generic(secret, timestamp, body)}


def _multipart(pdf: bytes, fax_id: str) -> tuple[bytes, str]:
    boundary = "faxboundary42"
    metadata = json.dumps({"fax_id": fax_id, "from": "+15125550100"}).encode()
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n'
        f"Content-Type: application/json\r\n\r\n".encode()
        + metadata
        + b"\r\n"
        + f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="fax.pdf"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + pdf
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _count(services) -> int:
    with services.sessions() as session:
        return session.scalar(select(func.count(Fax.id)))


def test_signed_delivery_is_stored_once_even_when_retried(tmp_path, client, services):
    path, _ = make_fax(tmp_path, "born_digital", "fine")
    body, content_type = _multipart(path.read_bytes(), "gw-123")
    headers = {"Content-Type": content_type, **_signed(body)}
    first = client.post("/webhooks/fax/generic", content=body, headers=headers)
    again = client.post("/webhooks/fax/generic", content=body, headers=headers)
    assert first.status_code == 200 and first.json()["status"] == "queued"
    assert again.json() == {"fax_id": first.json()["fax_id"], "status": "known"}
    assert _count(services) == 1
    with services.sessions() as session:
        assert session.get(Fax, first.json()["fax_id"]).sender["from"] == "+15125550100"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Fax-Timestamp": str(int(time.time())), "X-Fax-Signature": "0" * 64},
        "wrong-secret",
        "stale",
    ],
)
def test_unsigned_forged_or_stale_requests_get_401_and_store_nothing(client, services, headers):
    body, content_type = _multipart(b"%PDF-1.4", "gw-9")
    if headers == "wrong-secret":
        headers = _signed(body, secret="guess")
    elif headers == "stale":
        headers = _signed(body, when=time.time() - 600)
    response = client.post(
        "/webhooks/fax/generic", content=body, headers={"Content-Type": content_type, **headers}
    )
    assert response.status_code == 401
    assert _count(services) == 0


def test_wrong_content_type_and_unknown_provider(client):
    body = b'{"fax_id": "1"}'
    response = client.post(
        "/webhooks/fax/generic", content=body, headers={"Content-Type": "application/json", **_signed(body)}
    )
    assert response.status_code == 415
    assert client.post("/webhooks/fax/nobody", content=b"").status_code == 404


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}
