"""Sending transaction bundles to the clinic's FHIR server (FAXINTAKE_FHIR_BASE_URL). One
attempt a call: the rq job that calls it retries with backoff, so no request or worker waits."""

from __future__ import annotations

import httpx

from core.settings import Settings


def post_bundle(bundle: dict, settings: Settings) -> None:
    """POST the transaction to the FHIR server; raises httpx.HTTPError if it is not accepted."""
    response = httpx.post(
        settings.fhir_base_url.rstrip("/"),
        json=bundle,
        headers={"Content-Type": "application/fhir+json"},
        timeout=30,
    )
    response.raise_for_status()
