"""Letters the clinic faxes back: one layout, several purposes (missing information, status
of a referral, request for a consult report)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

MISSING_PREFIXES = ("missing_field:", "missing_document:", "invalid_field:", "unreadable_page", "page_count")


@dataclass(frozen=True)
class Letterhead:
    """Who writes to whom, about which patient."""

    clinic_name: str
    clinic_fax: str
    to_name: str
    to_fax: str
    regarding: str


def missing_items(flags: list) -> list[str]:
    """The open flags that ask the sender for something, as sentences."""
    return [f.message for f in flags if not f.resolved and f.code.startswith(MISSING_PREFIXES)]


def missing_information_letter(head: Letterhead, missing: list[str], today: date) -> bytes:
    intro = (
        "We received your fax but cannot act on it yet. "
        "Please fax back the following so we can schedule the patient:"
    )
    return letter_pdf(head, "Request for missing information", intro, missing, today)


def letter_pdf(head: Letterhead, title: str, intro: str, items: list[str], today: date) -> bytes:
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    story = [
        Paragraph(_escape(head.clinic_name), styles["Title"]),
        Paragraph(f"Fax: {_phone(head.clinic_fax) or 'on file'}", body),
        Spacer(1, 12),
        Paragraph(f"<b>To:</b> {_escape(head.to_name) or 'Referring office'}", body),
        Paragraph(f"<b>Fax:</b> {_phone(head.to_fax) or 'unknown; see the original fax'}", body),
        Paragraph(f"<b>Date:</b> {today.isoformat()}", body),
        Paragraph(f"<b>Re:</b> {_escape(head.regarding) or 'your patient'}", body),
        Spacer(1, 12),
        Paragraph(f"<b>{_escape(title)}</b>", styles["Heading2"]),
        Paragraph(_escape(intro), body),
    ]
    if items:
        story.append(
            ListFlowable([ListItem(Paragraph(_escape(i), body)) for i in items], bulletType="bullet")
        )
    story += [Spacer(1, 12), Paragraph("Thank you. Please include this page with your reply.", body)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=letter, title=title).build(story)
    return out.getvalue()


def _phone(digits: str) -> str:
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if len(digits) == 10 and digits.isdigit() else digits


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
