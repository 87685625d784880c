"""Prometheus counters and histograms, recorded where the work happens, in whichever process
(lifecycle.share_metrics lets /metrics add them up). Gauges of state are in faxintake.ops."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Histogram

SECONDS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600)

FAXES_RECEIVED = Counter(
    "faxintake_faxes_received", "Faxes accepted, by source and status", ["source", "status"]
)
FAXES_PROCESSED = Counter("faxintake_faxes_processed", "Faxes processed, by outcome", ["outcome"])
PAGES_PROCESSED = Counter("faxintake_pages_processed", "Pages read, by text source", ["text_source"])
STAGE_SECONDS = Histogram("faxintake_stage_seconds", "Time per stage", ["stage"], buckets=SECONDS)
END_TO_END_SECONDS = Histogram(
    "faxintake_end_to_end_seconds", "From arrival to ready for review", buckets=SECONDS
)
FAILURES = Counter("faxintake_failures", "Job failures, by stage and error type", ["stage", "reason"])
RETRIES = Counter("faxintake_retries", "Jobs retried after a failure, by stage", ["stage"])
OCR_CONFIDENCE = Histogram(
    "faxintake_ocr_confidence", "Mean OCR confidence per page", buckets=(20, 40, 50, 60, 70, 80, 90, 95, 100)
)
REVIEW_ACTIONS = Counter("faxintake_review_actions", "Review outcomes, by outcome", ["outcome"])


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Observe how long the block takes as `stage` in faxintake_stage_seconds."""
    started = time.perf_counter()
    try:
        yield
    finally:
        STAGE_SECONDS.labels(stage).observe(time.perf_counter() - started)
