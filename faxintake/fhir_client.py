"""Sending transaction bundles to the clinic's FHIR server (FAXINTAKE_FHIR_BASE_URL)."""

from __future__ import annotations

import time

import httpx

from faxintake.settings import Settings


def post_bundle(bundle: dict, settings: Settings) -> None:
    """POST the transaction to the FHIR server; retries with backoff, raises on the last failure."""
    for attempt in range(1, settings.fhir_retries + 1):
        try:
            response = httpx.post(
                settings.fhir_base_url.rstrip("/"),
                json=bundle,
                headers={"Content-Type": "application/fhir+json"},
                timeout=30,
            )
            response.raise_for_status()
            return
        except httpx.HTTPError:
            if attempt == settings.fhir_retries:
                raise
            time.sleep(0.5 * 2**attempt)
