"""Flag codes as a VA reads them in the queue ("missing member ID", not
"missing_field:referral.member_id"); the full message stays on the flag's tooltip."""

from __future__ import annotations

from core.doctypes import field_display, type_display

_FIELD_PREFIXES = {"missing_field": "missing", "unread_field": "unreadable", "invalid_field": "check"}
_NAMES = {
    "page_count_mismatch": "page count differs",
    "auth_denied": "authorization denied",
    "low_ocr_confidence": "poor scan",
    "unreadable_page": "unreadable page",
}


def flag_name(code: str) -> str:
    kind, _, target = code.partition(":")
    if kind in _FIELD_PREFIXES and "." in target:
        return f"{_FIELD_PREFIXES[kind]} {field_display(target.split('.', 1)[1])}"
    if kind == "missing_document" and target:
        return f"no {type_display(target).lower()}"
    return _NAMES.get(code, code.replace("_", " "))
