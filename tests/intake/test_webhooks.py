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


def _form(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "phaxioboundary7"
    body = b""
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, (filename, data) in files.items():
        body += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            ).encode()
            + data
            + b"\r\n"
        )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_phaxio_callback_signature(tmp_path, services):
    from intake.webhooks import sign_phaxio

    services.settings = services.settings.model_copy(update={"phaxio_callback_token": "tok"})
    client = TestClient(create_app(services))
    pdf = make_fax(tmp_path, "born_digital", "fine")[0].read_bytes()
    fields = {
        "direction": "received",
        "is_test": "false",
        "success": "true",
        "fax": json.dumps({"id": 8812, "from_number": "+15125550100", "to_number": "+15125550111"}),
    }
    body, content_type = _form(fields, {"file": ("fax.pdf", pdf)})
    url = "http://testserver/webhooks/fax/phaxio"
    good = sign_phaxio("tok", url, fields, {"file": pdf})
    forged = client.post(
        url, content=body, headers={"Content-Type": content_type, "X-Phaxio-Signature": "0" * 40}
    )
    assert forged.status_code == 401 and _count(services) == 0
    response = client.post(
        url, content=body, headers={"Content-Type": content_type, "X-Phaxio-Signature": good}
    )
    assert response.status_code == 200 and response.json()["status"] == "queued"
    with services.sessions() as session:
        fax = session.scalars(select(Fax)).one()
    assert fax.provider_fax_id == "8812" and fax.sender["from_number"] == "+15125550100"


@pytest.fixture
def media_server(tmp_path):
    import http.server
    import threading

    (tmp_path / "media").mkdir()
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path / "media"))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tmp_path / "media", f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_telnyx_event_signed_with_ed25519_fetches_the_pdf(tmp_path, services, media_server):
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    folder, base_url = media_server
    (folder / "f1.pdf").write_bytes(make_fax(tmp_path, "born_digital", "fine")[0].read_bytes())
    private = Ed25519PrivateKey.generate()
    public = base64.b64encode(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    services.settings = services.settings.model_copy(
        update={"telnyx_public_key": public, "telnyx_media_hosts": ["127.0.0.1"]}
    )
    client = TestClient(create_app(services))

    def post(event: dict, key=private, when=None):
        body = json.dumps({"data": event}).encode()
        timestamp = str(int(when or time.time()))
        signature = base64.b64encode(key.sign(timestamp.encode() + b"|" + body)).decode()
        return client.post(
            "/webhooks/fax/telnyx",
            content=body,
            headers={
                "Content-Type": "application/json",
                "telnyx-timestamp": timestamp,
                "telnyx-signature-ed25519": signature,
            },
        )

    event = {
        "event_type": "fax.received",
        "id": "evt-1",
        "payload": {"fax_id": "tx-77", "from": "+15125550100", "media_url": f"{base_url}/f1.pdf"},
    }
    assert post(event, key=Ed25519PrivateKey.generate()).status_code == 401
    assert post(event, when=time.time() - 900).status_code == 401
    elsewhere = {**event, "payload": {**event["payload"], "media_url": "http://example.org/f1.pdf"}}
    assert post(elsewhere).status_code == 400
    assert _count(services) == 0
    first, again = post(event), post(event)
    assert first.status_code == 200 and first.json()["status"] == "queued"
    assert again.json() == {"fax_id": first.json()["fax_id"], "status": "known"}


def test_a_body_over_the_limit_is_refused_before_anything_is_stored(services):
    services.settings = services.settings.model_copy(update={"webhook_max_bytes": 1000})
    client = TestClient(create_app(services))
    body, content_type = _multipart(b"%PDF-1.4" + b"0" * 5000, "gw-big")
    response = client.post(
        "/webhooks/fax/generic", content=body, headers={"Content-Type": content_type, **_signed(body)}
    )
    assert response.status_code == 413 and _count(services) == 0


def test_a_signed_delivery_of_a_corrupt_file_is_kept_as_failed(services, client):
    body, content_type = _multipart(b"%PDF-1.4 truncated", "gw-bad")
    response = client.post(
        "/webhooks/fax/generic", content=body, headers={"Content-Type": content_type, **_signed(body)}
    )
    assert response.status_code == 200 and response.json()["status"] == "failed"
    with services.sessions() as session:
        fax = session.scalars(select(Fax)).one()
    assert "truncated" in fax.error and services.store.exists(fax.original_key)
