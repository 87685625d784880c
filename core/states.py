"""The states a fax, its review, its stages and a referral case go through, and the ids of
the jobs that carry a fax. StrEnums: each member is its string, as stored in the database."""

from __future__ import annotations

import re
from enum import StrEnum


class FaxStatus(StrEnum):
    QUEUED = "queued"  # stored and recorded; its pages are not counted yet
    PROCESSING = "processing"
    READY = "ready"  # processed: waiting for, or through, review
    FAILED = "failed"  # unreadable input, or a final error; its original is kept
    DUPLICATE = "duplicate"  # the same bytes as a fax already taken


IN_FLIGHT = (FaxStatus.QUEUED, FaxStatus.PROCESSING)


class ReviewState(StrEnum):
    PENDING = "pending"  # not processed yet
    TO_REVIEW = "to_review"
    ESCALATED = "escalated"
    WHICH_CASE = "which_case"  # a follow-up matching more than one open case
    AWAITING_INFO = "awaiting_info"  # the sender was asked for what is missing
    APPROVED = "approved"
    DISCARDED = "discarded"  # not a fax for the clinic (junk, a test page, unreadable): kept, not exported


OPEN_REVIEW_STATES = (ReviewState.TO_REVIEW, ReviewState.ESCALATED, ReviewState.WHICH_CASE)


class TaskStatus(StrEnum):
    QUEUED = "queued"
    STARTED = "started"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELED = "canceled"  # left open by a replaced or lost job on a fax that has ended


class JobStage(StrEnum):
    PREPARE = "prepare"  # count the pages of a fax queued again
    PAGE = "page"  # read pages (the id carries the first page's number)
    HELP = "help"  # read a whole-fax job's pages from the last, for it
    ANALYSE = "analyse"
    FHIR = "fhir"  # send an approved fax's bundle to the FHIR server


def job_id(fax_id: int, stage: JobStage, page: int | None = None) -> str:
    """The rq job id of a fax's stage: enqueuing it again replaces the job, never doubles it."""
    return f"fax-{fax_id}-{stage}" + (f"-{page}" if page is not None else "")


JOB_ID = re.compile(r"\bfax-(\d+)-(prepare|analyse|help|fhir|page-\d+)\b")
