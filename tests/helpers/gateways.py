"""Requests as the generic fax gateway sends them: multipart bodies and signatures."""

from __future__ import annotations

import json
import time

from intake.webhooks import sign_generic


def signed(body: bytes, secret="s3cret", when=None) -> dict:
    timestamp = str(int(when or time.time()))
    return {"X-Fax-Timestamp": timestamp, "X-Fax-Signature": sign_generic(secret, timestamp, body)}


def multipart(pdf: bytes, fax_id: str) -> tuple[bytes, str]:
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
