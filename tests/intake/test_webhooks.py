import io
import json
import socket
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from review.app import create_app
from storage.liveness import WATCHER, beat
from storage.models import Fax
from tests.helpers.faxes import make_fax
from tests.helpers.gateways import multipart, signed


@pytest.fixture
def client(services):
    return TestClient(create_app(services))


def _count(services) -> int:
    with services.sessions() as session:
        return session.scalar(select(func.count(Fax.id)))


def test_signed_delivery_is_stored_once_even_when_retried(tmp_path, client, services):
    path, _ = make_fax(tmp_path, "born_digital", "fine")
    body, content_type = multipart(path.read_bytes(), "gw-123")
    headers = {"Content-Type": content_type, **signed(body)}
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
    body, content_type = multipart(b"%PDF-1.4", "gw-9")
    if headers == "wrong-secret":
        headers = signed(body, secret="guess")
    elif headers == "stale":
        headers = signed(body, when=time.time() - 600)
    response = client.post(
        "/webhooks/fax/generic", content=body, headers={"Content-Type": content_type, **headers}
    )
    assert response.status_code == 401
    assert _count(services) == 0


def test_wrong_content_type_and_unknown_provider(client):
    body = b'{"fax_id": "1"}'
    response = client.post(
        "/webhooks/fax/generic", content=body, headers={"Content-Type": "application/json", **signed(body)}
    )
    assert response.status_code == 415
    assert client.post("/webhooks/fax/nobody", content=b"").status_code == 404


def test_readiness_wants_a_live_worker_and_watcher(client, services, registered_worker):
    assert client.get("/healthz").json() == {"status": "ok"}
    registered_worker.register_death()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["detail"]["failed"] == ["worker", "watcher"]
    registered_worker.register_birth()
    beat(services.redis, services.settings.queue_name, WATCHER, lapse_seconds=1)
    assert client.get("/readyz").json() == {"status": "ready"}
    time.sleep(2.1)  # the watcher's beat lapses: it is reported down
    assert client.get("/readyz").json()["detail"]["failed"] == ["watcher"]


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


@pytest.fixture
def telnyx(services):
    """Settings with a Telnyx key for 127.0.0.1 media, and a function that posts a signed event."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    private = Ed25519PrivateKey.generate()
    public = base64.b64encode(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
    services.settings = services.settings.model_copy(
        update={
            "telnyx_public_key": public,
            "telnyx_media_hosts": ["127.0.0.1", "nowhere.invalid"],
            "media_timeout_seconds": 1.0,
        }
    )
    client = TestClient(create_app(services))

    def post(event: dict | bytes, key=private, when=None):
        body = event if isinstance(event, bytes) else json.dumps({"data": event}).encode()
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

    return post


def _fax_received(media_url: str) -> dict:
    return {
        "event_type": "fax.received",
        "id": "evt-1",
        "payload": {"fax_id": "tx-77", "from": "+15125550100", "media_url": media_url},
    }


def test_telnyx_event_signed_with_ed25519_fetches_the_pdf(tmp_path, services, media_server, telnyx):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    post = telnyx
    folder, base_url = media_server
    (folder / "f1.pdf").write_bytes(make_fax(tmp_path, "born_digital", "fine")[0].read_bytes())
    event = _fax_received(f"{base_url}/f1.pdf")
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
    body, content_type = multipart(b"%PDF-1.4" + b"0" * 5000, "gw-big")
    response = client.post(
        "/webhooks/fax/generic", content=body, headers={"Content-Type": content_type, **signed(body)}
    )
    assert response.status_code == 413 and _count(services) == 0


def test_a_signed_delivery_of_a_corrupt_file_is_kept_as_failed(services, client):
    body, content_type = multipart(b"%PDF-1.4 truncated", "gw-bad")
    response = client.post(
        "/webhooks/fax/generic", content=body, headers={"Content-Type": content_type, **signed(body)}
    )
    assert response.status_code == 200 and response.json()["status"] == "failed"
    with services.sessions() as session:
        fax = session.scalars(select(Fax)).one()
    assert "truncated" in fax.error and services.store.exists(fax.original_key)


def _silent_server() -> tuple[socket.socket, str]:
    """A server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    return server, f"http://127.0.0.1:{server.getsockname()[1]}/f.pdf"


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/f.pdf"


def test_telnyx_media_that_cannot_be_fetched_is_a_gateway_error_with_a_reason(services, telnyx):
    silent, silent_url = _silent_server()
    try:
        started = time.monotonic()
        answers = {
            "refused": telnyx(_fax_received(_closed_port())),
            "unresolvable": telnyx(_fax_received("http://nowhere.invalid/f.pdf")),
            "silent": telnyx(_fax_received(silent_url)),
        }
        assert time.monotonic() - started < 10  # the silent server holds us one timeout, not 30 s
    finally:
        silent.close()
    assert {name: r.status_code for name, r in answers.items()} == {
        "refused": 502,
        "unresolvable": 502,
        "silent": 504,
    }
    assert "media download" in answers["silent"].json()["detail"] and _count(services) == 0


def test_telnyx_signed_body_that_is_not_a_json_event_is_refused(services, telnyx):
    for body in (b"not json", b"[1, 2]", json.dumps({"data": "x"}).encode()):
        assert telnyx(body).status_code == 400
    assert telnyx(_fax_received(None)).status_code == 400  # no media_url at all
    assert _count(services) == 0


def test_phaxio_fields_not_utf8_are_refused_not_a_server_error(services):
    services.settings = services.settings.model_copy(update={"phaxio_callback_token": "tok"})
    client = TestClient(create_app(services))
    boundary = "b0"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="fax"\r\n\r\n'.encode()
        + b"\xff\xfe\xfa"
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/webhooks/fax/phaxio",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Phaxio-Signature": "0"},
    )
    assert response.status_code == 400 and "UTF-8" in response.json()["detail"]


def test_phaxio_callbacks_without_an_id_are_each_recorded(tmp_path, services):
    from intake.webhooks import sign_phaxio

    services.settings = services.settings.model_copy(update={"phaxio_callback_token": "tok"})
    client = TestClient(create_app(services))
    url = "http://testserver/webhooks/fax/phaxio"
    for seed in (1, 2):
        pdf = make_fax(tmp_path / str(seed), "born_digital", "fine", seed=seed)[0].read_bytes()
        fields = {"fax": json.dumps({"from_number": "+15125550100"})}
        body, content_type = _form(fields, {"file": ("fax.pdf", pdf)})
        signature = sign_phaxio("tok", url, fields, {"file": pdf})
        response = client.post(
            url, content=body, headers={"Content-Type": content_type, "X-Phaxio-Signature": signature}
        )
        assert response.json()["status"] == "queued"
    with services.sessions() as session:
        assert session.scalars(select(Fax.provider_fax_id)).all() == [None, None]


def test_a_chunked_body_is_refused_once_it_passes_the_limit(services):
    services.settings = services.settings.model_copy(update={"webhook_max_bytes": 10_000})
    client = TestClient(create_app(services))
    sent = []

    def chunks():
        for _ in range(100):
            sent.append(1)
            yield b"0" * 1000

    response = client.post(
        "/webhooks/fax/generic", content=chunks(), headers={"Content-Type": "multipart/form-data"}
    )
    assert response.status_code == 413 and _count(services) == 0


def test_a_damaged_multi_page_tiff_is_recorded_failed_with_its_original(tmp_path, services, client):
    from PIL import Image

    pages = [Image.new("1", (1728, 2200), 1) for _ in range(3)]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", compression="group4", save_all=True, append_images=pages[1:])
    body, content_type = multipart(buffer.getvalue()[: len(buffer.getvalue()) // 3], "gw-cut")
    response = client.post(
        "/webhooks/fax/generic", content=body, headers={"Content-Type": content_type, **signed(body)}
    )
    assert response.status_code == 200 and response.json()["status"] == "failed"
    with services.sessions() as session:
        fax = session.scalars(select(Fax)).one()
        assert fax.status == "failed" and fax.error and services.store.exists(fax.original_key)


def test_a_store_that_is_down_asks_the_gateway_to_retry(services, client, monkeypatch):
    def unreachable(*args):
        raise ConnectionError("object store unreachable")

    monkeypatch.setattr("intake.accept.put_once", unreachable)
    body, content_type = multipart(b"%PDF-1.4 whatever", "gw-later")
    response = client.post(
        "/webhooks/fax/generic", content=body, headers={"Content-Type": content_type, **signed(body)}
    )
    assert response.status_code == 503 and "retry" in response.json()["detail"]


def test_a_content_length_that_is_not_a_number_is_refused(client):
    response = client.post(
        "/webhooks/fax/generic",
        content=b"x",
        headers={"Content-Length": "lots", "Content-Type": "text/plain"},
    )
    assert response.status_code == 400 and response.json()["detail"] == "bad Content-Length"
