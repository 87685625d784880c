"""Cloud fax gateways' callbacks: verify the signature, pull out the file and metadata.

Each provider is a function from the raw request to a `Delivery`, raising `Rejected` (401)
for a missing or wrong signature, so nothing unsigned is ever stored."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import urlsplit

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from core.settings import Settings

MAX_SKEW_SECONDS = 300


class Rejected(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass
class Delivery:
    data: bytes
    filename: str
    provider_fax_id: str | None  # None when the provider sent none: then it is never an id
    sender: dict


@dataclass
class Request:
    body: bytes
    headers: dict[str, str]  # lower-case names
    url: str


def sign_generic(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def generic(request: Request, settings: Settings, now: float | None = None) -> Delivery:
    """multipart/form-data with parts `file` and `metadata` (JSON with `fax_id`, `from`...),
    signed: X-Fax-Signature = hex HMAC-SHA256(secret, "<X-Fax-Timestamp>." + body)."""
    if not settings.webhook_secret:
        raise Rejected(401, "generic webhook secret is not configured")
    timestamp = request.headers.get("x-fax-timestamp", "")
    signature = request.headers.get("x-fax-signature", "")
    if not timestamp.isdigit() or not signature:
        raise Rejected(401, "missing signature")
    if abs((now or time.time()) - int(timestamp)) > MAX_SKEW_SECONDS:
        raise Rejected(401, "stale timestamp")
    if not hmac.compare_digest(signature, sign_generic(settings.webhook_secret, timestamp, request.body)):
        raise Rejected(401, "bad signature")
    parts = multipart_parts(request.headers.get("content-type", ""), request.body)
    if "file" not in parts or "metadata" not in parts:
        raise Rejected(400, "expected multipart parts 'file' and 'metadata'")
    filename, data = parts["file"]
    metadata = _json_object(parts["metadata"][1], "metadata")
    if not metadata.get("fax_id"):
        raise Rejected(400, "metadata has no fax_id")
    sender = {k: metadata[k] for k in ("from", "caller_name", "to", "header") if k in metadata}
    return Delivery(data, filename or f"{metadata['fax_id']}.pdf", str(metadata["fax_id"]), sender)


def multipart_parts(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """name -> (filename, bytes) for a multipart/form-data body."""
    if not content_type.startswith("multipart/form-data"):
        raise Rejected(415, "expected multipart/form-data")
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    parts: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            payload = part.get_payload(decode=True)
            parts[str(name)] = (part.get_filename(), payload if isinstance(payload, bytes) else b"")
    return parts


def sign_phaxio(token: str, url: str, fields: dict[str, str], files: dict[str, bytes]) -> str:
    """Phaxio's scheme: HMAC-SHA1 over the callback URL, then each form field's name and value
    sorted by name, then each file part's name and the SHA-1 of its bytes."""
    message = url + "".join(name + fields[name] for name in sorted(fields))
    message += "".join(name + hashlib.sha1(files[name]).hexdigest() for name in sorted(files))
    return hmac.new(token.encode(), message.encode(), hashlib.sha1).hexdigest()


def phaxio(request: Request, settings: Settings) -> Delivery:
    """Phaxio's received-fax callback: form fields (`fax` JSON...) and the PDF in part `file`."""
    if not settings.phaxio_callback_token:
        raise Rejected(401, "phaxio callback token is not configured")
    parts = multipart_parts(request.headers.get("content-type", ""), request.body)
    try:
        fields = {n: v.decode() for n, (filename, v) in parts.items() if filename is None}
    except UnicodeDecodeError:
        raise Rejected(400, "form fields are not UTF-8") from None
    files = {n: v for n, (filename, v) in parts.items() if filename is not None}
    expected = sign_phaxio(
        settings.phaxio_callback_token, settings.phaxio_callback_url or request.url, fields, files
    )
    if not hmac.compare_digest(request.headers.get("x-phaxio-signature", ""), expected):
        raise Rejected(401, "bad signature")
    if "file" not in files or "fax" not in fields:
        raise Rejected(400, "expected the fax JSON and a file part")
    fax = _json_object(fields["fax"], "fax")
    fax_id = _id(fax.get("id"))
    sender = {k: fax[k] for k in ("from_number", "to_number", "caller_id") if k in fax}
    return Delivery(files["file"], parts["file"][0] or f"phaxio-{fax_id or 'fax'}.pdf", fax_id, sender)


def telnyx(request: Request, settings: Settings, fetch: Callable[[str], bytes] | None = None) -> Delivery:
    """Telnyx `fax.received` events: Ed25519 over "<timestamp>|<body>"; the PDF is fetched
    from the event's media_url, only from the configured hosts."""
    if not settings.telnyx_public_key:
        raise Rejected(401, "telnyx public key is not configured")
    timestamp = request.headers.get("telnyx-timestamp", "")
    signature = request.headers.get("telnyx-signature-ed25519", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_SKEW_SECONDS:
        raise Rejected(401, "missing or stale timestamp")
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(settings.telnyx_public_key))
        key.verify(base64.b64decode(signature), timestamp.encode() + b"|" + request.body)
    except (InvalidSignature, ValueError) as exc:
        raise Rejected(401, "bad signature") from exc
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise Rejected(415, "expected application/json")
    event = _json_object(request.body, "body").get("data")
    if not isinstance(event, dict) or event.get("event_type") != "fax.received":
        kind = event.get("event_type") if isinstance(event, dict) else None
        raise Rejected(400, f"not a fax.received event: {kind}")
    payload = event.get("payload")
    payload = payload if isinstance(payload, dict) else {}
    media_url = payload.get("media_url")
    if not isinstance(media_url, str) or urlsplit(media_url).hostname not in settings.telnyx_media_hosts:
        raise Rejected(400, "media_url host is not allowed")
    download = fetch or (
        lambda url: _download(url, settings.webhook_max_bytes, settings.media_timeout_seconds)
    )
    data = download(media_url)
    sender = {k: payload[k] for k in ("from", "to", "caller_id") if k in payload}
    fax_id = _id(payload.get("fax_id") or event.get("id"))
    return Delivery(data, f"telnyx-{fax_id or 'fax'}.pdf", fax_id, sender)


def _json_object(text: str | bytes, what: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError:
        raise Rejected(400, f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise Rejected(400, f"{what} is not a JSON object")
    return value


def _id(value: object) -> str | None:
    """A provider's fax id as text; a missing or empty one is no id (never the text "None")."""
    return str(value) if value not in (None, "") else None


def _download(url: str, limit: int, timeout: float) -> bytes:
    """The media file; a refusal, a name that does not resolve or a server that does not
    answer within `timeout` seconds (connecting, or between bytes) is a 502/504 with a reason."""
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=False) as response:
            if response.status_code != 200:
                raise Rejected(502, f"media download failed ({response.status_code})")
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > limit:
                    raise Rejected(413, "media too large")
    except httpx.TimeoutException:
        raise Rejected(504, "media download timed out") from None
    except httpx.HTTPError as exc:
        raise Rejected(502, f"media download failed ({type(exc).__name__})") from None
    return bytes(data)


PROVIDERS: dict[str, Callable[[Request, Settings], Delivery]] = {
    "generic": generic,
    "phaxio": phaxio,
    "telnyx": telnyx,
}
