"""How a review ends: approve (export for the EHR), escalate, or ask the sender for more."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from core.metrics import REVIEW_ACTIONS
from core.settings import Settings
from core.states import FaxStatus, ReviewState
from outbound.fhir import build_bundle
from outbound.letters import Letterhead, missing_information_letter, missing_items
from referrals.tracking import on_approval
from review.accounts import Identity
from review.audit import record
from review.page_pdf import pages_as_pdf
from review.worklist import release
from storage.models import Fax, aware, utcnow
from storage.objects import ObjectStore
from storage.results import result_from_rows

log = logging.getLogger("faxintake.review")


class CannotFinish(Exception):
    """The outcome is not allowed yet (e.g. approving with open error flags); says why."""


@dataclass(frozen=True)
class Sender:
    name: str
    fax: str


def sender_of(fax: Fax) -> Sender:
    """Who sent it: the cover sheet where it was read, else what the line or gateway said."""
    cover = next((d for d in fax.documents if d.type == "fax_cover"), None)
    fields = {f.key: f.value for f in cover.fields} if cover else {}
    meta = fax.sender or {}
    name = fields.get("from_name") or meta.get("caller_name") or meta.get("header") or ""
    number = fields.get("from_fax") or meta.get("from") or meta.get("caller_id") or ""
    return Sender(str(name), "".join(ch for ch in str(number) if ch.isdigit())[-10:])


def approve(session: Session, fax: Fax, who: Identity, settings: Settings, store: ObjectStore) -> Path:
    """Mark complete and write the exports; refused for a fax that failed processing (there is
    nothing confirmed to export or learn from) and while an error flag is open."""
    if fax.status != FaxStatus.READY:
        raise CannotFinish(
            "a fax that failed processing cannot be approved: re-run it, or ask the sender again"
        )
    open_errors = [f.code for f in fax.flags if f.severity == "error" and not f.resolved]
    if open_errors:
        raise CannotFinish(f"resolve or acknowledge the error flags first: {', '.join(open_errors)}")
    fax.result = result = result_from_rows(fax)
    folder = export(fax, result, settings, store)
    _finish(fax, ReviewState.APPROVED, who, None)
    fax.export_path = str(folder)
    on_approval(session, fax, who.username, utcnow())
    record(session, who, "approved", fax.id, export=str(folder))
    REVIEW_ACTIONS.labels("approved").inc()
    return folder


def discard(session: Session, fax: Fax, who: Identity, reason: str) -> None:
    """Take a fax out of review as not one the clinic acts on (junk, a fax test page, a file
    that is no fax), with the reason. Its original and its rows stay; nothing is exported or
    learned from it."""
    if not reason.strip():
        raise CannotFinish("say why it is discarded")
    if fax.review_state == ReviewState.APPROVED:
        raise CannotFinish("an approved fax cannot be discarded")
    _finish(fax, ReviewState.DISCARDED, who, reason.strip())
    record(session, who, "discarded", fax.id, reason=reason.strip())
    REVIEW_ACTIONS.labels("discarded").inc()


def escalate(session: Session, fax: Fax, who: Identity, note: str) -> None:
    if not note.strip():
        raise CannotFinish("say why you are escalating")
    _finish(fax, ReviewState.ESCALATED, who, note.strip())
    record(session, who, "escalated", fax.id, note=note.strip())
    REVIEW_ACTIONS.labels("escalated").inc()


def request_information(
    session: Session, fax: Fax, who: Identity, settings: Settings, store: ObjectStore, today: date
) -> str:
    """Write the missing-information letter from the open flags; store it; returns its key."""
    missing = missing_items(fax.flags)
    if not missing:
        raise CannotFinish("no open flag asks the sender for anything")
    sender = sender_of(fax)
    received = aware(fax.received_at).astimezone(settings.zone)
    head = Letterhead(
        settings.clinic_name,
        settings.clinic_fax,
        sender.name,
        sender.fax,
        f"{fax.patient_name or 'your patient'}, fax received {received:%Y-%m-%d %H:%M}",
    )
    key = f"letters/fax-{fax.id}-{int(time.time())}.pdf"
    store.put(key, missing_information_letter(head, missing, today))
    fax.letter_key = key
    _finish(fax, ReviewState.AWAITING_INFO, who, None)
    record(session, who, "information_requested", fax.id, letter=key, items=len(missing))
    REVIEW_ACTIONS.labels("information_requested").inc()
    return key


def export(fax: Fax, result: dict, settings: Settings, store: ObjectStore) -> Path:
    """FHIR bundle + plain JSON into the export folder, the fax as training data. The bundle
    goes to the FHIR server in a job (workers.queue.enqueue_export), never in the request."""
    original = store.get(fax.original_key)
    bundle = build_bundle(
        fax.id, result, lambda pages: pages_as_pdf(original, pages), settings.fhir_mrn_system
    )
    folder = settings.exports / f"fax-{fax.id}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bundle.json").write_text(json.dumps(bundle, indent=1))
    (folder / "result.json").write_text(json.dumps(result, indent=1))
    keep_as_training_data(fax, result, original, settings.reviewed)
    log.info("exported", extra={"fax_id": fax.id, "documents": len(result["documents"])})
    return folder


def keep_as_training_data(fax: Fax, result: dict, original: bytes, folder: Path) -> None:
    """The original and its confirmed page types, in the layout `faxintake train` reads."""
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".pdf" if original.startswith(b"%PDF") else ".tif"
    name = f"reviewed-{fax.id}{suffix}"
    (folder / name).write_bytes(original)
    truth = {**result, "source": name, "sha256": fax.sha256}
    (folder / f"reviewed-{fax.id}.truth.json").write_text(json.dumps(truth, indent=1))


def _finish(fax: Fax, state: str, who: Identity, note: str | None) -> None:
    fax.review_state, fax.reviewed_by_id, fax.reviewed_at = state, who.id, utcnow()
    if note is not None:
        fax.review_note = note
    release(fax)
