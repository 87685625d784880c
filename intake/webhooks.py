"""Cloud fax gateways' callbacks: verify the signature, pull out the file and metadata.

Each provider is a function from the raw request to a `Delivery`, raising `Rejected` (401)
for a missing or wrong signature, so nothing unsigned is ever stored."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP

from faxintake.settings import Settings

MAX_SKEW_SECONDS = 300


class Rejected(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass
class Delivery:
    data: bytes
    filename: str
    provider_fax_id: str
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
    try:
        metadata = json.loads(parts["metadata"][1])
    except ValueError as exc:
        raise Rejected(400, "metadata is not JSON") from exc
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
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            parts[name] = (part.get_filename(), part.get_payload(decode=True) or b"")
    return parts


PROVIDERS: dict[str, Callable[[Request, Settings], Delivery]] = {"generic": generic}
