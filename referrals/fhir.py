"""A referral case as FHIR R4: the ServiceRequest and the Task that tracks it, as in FHIR's
referral workflow pattern; built from the case's current state, so it follows every move.

Pushing works as an outbox: a case changed since its last push (updated_at after
fhir_pushed_at) is sent again, so a FHIR server that was down catches up on the next push."""

from __future__ import annotations

import logging
from datetime import datetime

import httpx
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.settings import Settings
from outbound.fhir import ICD10_SYSTEM, NPI_SYSTEM
from outbound.fhir_client import post_bundle
from storage.models import ReferralCase, aware

log = logging.getLogger("faxintake.referrals")

TASK_STATUS = {
    "received": "received",
    "documentation_complete": "accepted",
    "authorization_pending": "in-progress",
    "authorized": "in-progress",
    "scheduled": "in-progress",
    "seen": "in-progress",
    "needs_attention": "on-hold",
    "denied": "rejected",
    "closed": "completed",
    "cancelled": "cancelled",
}


def case_bundle(case: ReferralCase) -> dict:
    request_url = f"urn:faxintake:case:{case.id}:servicerequest"
    request = {
        "resourceType": "ServiceRequest",
        "identifier": [{"system": "urn:faxintake:case", "value": str(case.id)}],
        "status": "completed"
        if case.state == "closed"
        else "revoked"
        if case.state == "cancelled"
        else "active",
        "intent": "order",
        "priority": case.urgency or "routine",
        "subject": {"display": case.patient_name or "unknown patient"},
        "authoredOn": aware(case.opened_at).isoformat(),
    }
    if case.referring_provider:
        requester: dict[str, object] = {"display": case.referring_provider}
        if case.referring_npi:
            requester["identifier"] = {"system": NPI_SYSTEM, "value": case.referring_npi}
        request["requester"] = requester
    if case.specialty:
        request["performerType"] = {"text": case.specialty}
    if case.diagnosis_codes:
        request["reasonCode"] = [
            {"coding": [{"system": ICD10_SYSTEM, "code": c}]} for c in case.diagnosis_codes
        ]
    task = {
        "resourceType": "Task",
        "identifier": [{"system": "urn:faxintake:case-task", "value": str(case.id)}],
        "status": TASK_STATUS[case.state],
        "businessStatus": {"text": case.state.replace("_", " ")},
        "intent": "order",
        "focus": {"reference": request_url},
        "authoredOn": aware(case.opened_at).isoformat(),
        "lastModified": aware(case.updated_at).isoformat(),
    }
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": request_url,
                "resource": request,
                "request": {
                    "method": "PUT",
                    "url": f"ServiceRequest?identifier=urn:faxintake:case|{case.id}",
                },
            },
            {
                "fullUrl": f"urn:faxintake:case:{case.id}:task",
                "resource": task,
                "request": {"method": "PUT", "url": f"Task?identifier=urn:faxintake:case-task|{case.id}"},
            },
        ],
    }
    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)


def push_pending(session: Session, settings: Settings, now: datetime) -> tuple[int, int]:
    """Send every case changed since its last push; returns (pushed, failed). The caller
    commits the push marks."""
    pushed = failed = 0
    changed = select(ReferralCase).where(
        or_(ReferralCase.fhir_pushed_at.is_(None), ReferralCase.fhir_pushed_at < ReferralCase.updated_at)
    )
    for case in session.scalars(changed.order_by(ReferralCase.id)):
        try:
            post_bundle(case_bundle(case), settings)
        except httpx.HTTPError as exc:
            failed += 1
            log.warning("case push failed", extra={"case_id": case.id, "error": type(exc).__name__})
            continue
        case.fhir_pushed_at = max(now, aware(case.updated_at))
        pushed += 1
    return pushed, failed
