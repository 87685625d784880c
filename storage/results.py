"""The contract's result <-> the SQL rows, both ways, and the queue columns derived from them.

Workers save a pipeline result as rows; the review app edits the rows and rebuilds the
result from them, so the export and `Fax.result` always show what the VA confirmed."""

from __future__ import annotations

from typing import cast

from sqlalchemy import delete
from sqlalchemy.orm import Session

from core.data import Document, FieldValue, PageText, page_entry, result_status
from core.states import FaxStatus, ReviewState
from storage.models import DocumentRow, Fax, FieldRow, FlagRow, Page, utcnow
from storage.objects import page_key


def save_result(session: Session, fax: Fax, result: dict, pages: list[PageText]) -> None:
    """Replace the fax's pages, documents, fields and flags with the result's; mark it ready.
    `pages`: what was read, for each page's size."""
    sizes = {page.number: (page.width, page.height) for page in pages}
    for model in (Page, FlagRow):
        session.execute(delete(model).where(model.fax_id == fax.id))
    for doc in list(fax.documents):
        session.delete(doc)
    session.flush()
    for page in result["pages"]:
        session.add(
            Page(
                fax_id=fax.id,
                number=page["page"],
                type=page["type"],
                type_confidence=page.get("type_confidence"),
                text_source=page["text_source"],
                ocr_confidence=page["ocr_confidence"],
                rotation=page.get("rotation", 0),
                text_key=page_key(fax.sha256, page["page"]),
                width=sizes[page["page"]][0],
                height=sizes[page["page"]][1],
            )
        )
    fax.documents = [document_row(position, doc) for position, doc in enumerate(result["documents"])]
    fax.flags = [FlagRow(**flag) for flag in result["flags"]]
    fax.result, fax.status, fax.error, fax.finished_at = result, FaxStatus.READY, None, utcnow()
    if fax.review_state == ReviewState.PENDING:
        fax.review_state = ReviewState.TO_REVIEW
    refresh_summary(fax)


def document_row(position: int, doc: dict) -> DocumentRow:
    row = DocumentRow(
        position=position, type=doc["type"], pages=doc["pages"], confidence=doc.get("confidence", 0.0)
    )
    row.fields = field_rows(doc["fields"])
    return row


def field_rows(fields: dict) -> list[FieldRow]:
    """Rows for a document's fields as the pipeline found them (the contract's shape)."""
    return [
        FieldRow(
            key=key,
            value=found["value"],
            extracted_value=found["value"],
            confidence=found.get("confidence", 0.0),
            page=found["page"],
            boxes=found.get("boxes", []),
            error=found.get("error"),
        )
        for key, found in fields.items()
    ]


def document_values(fax: Fax) -> list[Document]:
    """The fax's documents as the pipeline's plain data (what the rules engine reads)."""
    return [
        Document(
            doc.type,
            list(doc.pages),
            doc.confidence,
            {
                f.key: FieldValue(
                    cast(FieldValue.Value, f.value), f.confidence, f.page, f.boxes or [], f.error
                )
                for f in doc.fields
            },
        )
        for doc in fax.documents
    ]


def result_from_rows(fax: Fax) -> dict:
    """The contract's result as the rows now say (after any review changes)."""
    base = dict(fax.result or {})
    page_type = {n: doc.type for doc in fax.documents for n in doc.pages}
    base["pages"] = [
        page_entry(
            page.number,
            page_type.get(page.number, page.type),
            page.type_confidence,
            page.text_source,
            page.ocr_confidence,
            page.rotation,
        )
        for page in fax.pages
    ]
    base["documents"] = [doc.to_json() for doc in document_values(fax)]
    base["flags"] = [{"code": f.code, "severity": f.severity, "message": f.message} for f in fax.flags]
    base["status"] = result_status(sum(f.severity == "error" and not f.resolved for f in fax.flags))
    return base


def refresh_summary(fax: Fax) -> None:
    """Recompute the columns the queue sorts, filters and searches on."""
    fields: dict[str, object] = {}
    for doc in fax.documents:
        for found in doc.fields:
            fields.setdefault(found.key, found.value)
    fax.doc_types = ",".join(dict.fromkeys(doc.type for doc in fax.documents)) or None
    fax.patient_name = _text(fields.get("patient_name"), 200)
    fax.patient_dob = _text(fields.get("patient_dob"), 10)
    fax.member_id = _text(fields.get("member_id"), 60)
    fax.priority = priority(fields.get("urgency"), fax)


def priority(urgency: object, fax: Fax) -> int:
    """0 STAT, 1 urgent, 2 has an open error flag or failed, 3 the rest."""
    if urgency == "stat":
        return 0
    if urgency == "urgent":
        return 1
    if fax.status == FaxStatus.FAILED or any(f.severity == "error" and not f.resolved for f in fax.flags):
        return 2
    return 3


def _text(value: object, limit: int) -> str | None:
    return str(value)[:limit] if isinstance(value, str | int) else None
