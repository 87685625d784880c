"""The "request for missing information" letter a VA faxes back to the sender."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

MISSING_PREFIXES = ("missing_field:", "missing_document:", "invalid_field:", "unreadable_page", "page_count")


@dataclass(frozen=True)
class LetterParts:
    clinic_name: str
    clinic_fax: str
    to_name: str
    to_fax: str
    patient: str
    received: str
    missing: list[str]


def missing_items(flags: list) -> list[str]:
    """The open flags that ask the sender for something, as sentences."""
    return [f.message for f in flags if not f.resolved and f.code.startswith(MISSING_PREFIXES)]


def missing_information_letter(parts: LetterParts, today: date) -> bytes:
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    story = [
        Paragraph(parts.clinic_name, styles["Title"]),
        Paragraph(f"Fax: {_phone(parts.clinic_fax) or 'on file'}", body),
        Spacer(1, 12),
        Paragraph(f"<b>To:</b> {parts.to_name or 'Referring office'}", body),
        Paragraph(f"<b>Fax:</b> {_phone(parts.to_fax) or 'unknown; see the original fax'}", body),
        Paragraph(f"<b>Date:</b> {today.isoformat()}", body),
        Paragraph(f"<b>Re:</b> {parts.patient or 'your patient'}, fax received {parts.received}", body),
        Spacer(1, 12),
        Paragraph("<b>Request for missing information</b>", styles["Heading2"]),
        Paragraph(
            "We received your fax but cannot act on it yet. Please fax back the following so "
            "we can schedule the patient:",
            body,
        ),
        ListFlowable(
            [ListItem(Paragraph(_escape(item), body)) for item in parts.missing], bulletType="bullet"
        ),
        Spacer(1, 12),
        Paragraph("Thank you. Please include this page with your reply.", body),
    ]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=letter, title="Request for missing information").build(story)
    return out.getvalue()


def _phone(digits: str) -> str:
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if len(digits) == 10 and digits.isdigit() else digits


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
