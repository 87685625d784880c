"""Prometheus counters and histograms, recorded where the work happens, in whichever process
(lifecycle.share_metrics lets /metrics add them up). Gauges of state are in review.ops."""

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
FAILURES = Counter(
    "faxintake_failures",
    "Failures, by stage and kind (unreadable input, backend outage, any other error)",
    ["stage", "kind"],
)
RETRIES = Counter("faxintake_retries", "Jobs retried after a failure, by stage", ["stage"])
OCR_CONFIDENCE = Histogram(
    "faxintake_ocr_confidence", "Mean OCR confidence per page", buckets=(20, 40, 50, 60, 70, 80, 90, 95, 100)
)
REVIEW_ACTIONS = Counter("faxintake_review_actions", "Review outcomes, by outcome", ["outcome"])

STAGES = ("intake", "prepare", "page", "analyse", "help_read", "push_cases")
FAILURE_KINDS = ("unreadable", "outage", "error")
TIMED_STAGES = ("rasterise", "ocr", "store", "classify", "extract", "rules")
SOURCES = ("drop_folder", "hylafax", "outbound", "webhook:generic", "webhook:phaxio", "webhook:telnyx")
ARRIVAL_STATUSES = ("queued", "duplicate", "failed", "known")


def _every_label_at_zero() -> None:
    """Labelled series appear only once used; a dashboard wants them at 0 from the start."""
    for stage in STAGES:
        RETRIES.labels(stage)
        for kind in FAILURE_KINDS:
            FAILURES.labels(stage, kind)
    for outcome in ("ready", "failed"):
        FAXES_PROCESSED.labels(outcome)
    for text_source in ("ocr", "text_layer"):
        PAGES_PROCESSED.labels(text_source)
    for stage in TIMED_STAGES:
        STAGE_SECONDS.labels(stage)
    for source in SOURCES:
        for status in ARRIVAL_STATUSES:
            FAXES_RECEIVED.labels(source, status)


_every_label_at_zero()


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Observe how long the block takes as `stage` in faxintake_stage_seconds."""
    started = time.perf_counter()
    try:
        yield
    finally:
        STAGE_SECONDS.labels(stage).observe(time.perf_counter() - started)
