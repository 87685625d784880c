"""What the item screen shows for a fax: pages with their sizes, documents with every field
their type can carry (found or missing), flags, and who holds the fax."""

from __future__ import annotations

import json

from core.doctypes import field_display, fields_of, type_display
from core.settings import Settings
from storage.models import Fax
from storage.objects import ObjectStore

LOW_CONFIDENCE = 0.8

FieldErrors = dict[tuple[int, str], tuple[str, str]]  # (document position, key) -> (message, typed)


def item_context(fax: Fax, settings: Settings, store: ObjectStore, errors: FieldErrors | None = None) -> dict:
    errors = errors or {}
    pages = [_page(page, store) for page in fax.pages]
    documents, index = [], 0
    for doc in fax.documents:
        found = {f.key: f for f in doc.fields}
        rows = []
        for key in fields_of(doc.type):
            rows.append(_field(index, doc.position, key, found.get(key), errors.get((doc.position, key))))
            index += 1
        documents.append({"doc": doc, "name": type_display(doc.type), "fields": rows})
    return {"fax": fax, "pages": pages, "documents": documents}


def _page(page, store: ObjectStore) -> dict:
    width, height = (page.width, page.height) if page.width and page.height else _stored_size(page, store)
    return {
        "number": page.number,
        "type": page.type,
        "width": width,
        "height": height,
        "source": page.text_source,
        "ocr_confidence": page.ocr_confidence,
    }


def _stored_size(page, store: ObjectStore) -> tuple[float, float]:
    """A page row from before sizes were kept: its size from its stored words."""
    text = json.loads(store.get(page.text_key)) if store.exists(page.text_key) else {}
    return text.get("width") or 1700, text.get("height") or 2200


def _field(index: int, position: int, key: str, row, error: tuple[str, str] | None) -> dict:
    value = row.value if row else None
    shown = ", ".join(value) if isinstance(value, list) else "" if value is None else str(value)
    return {
        "index": index,
        "document": position,
        "key": key,
        "label": field_display(key),
        "value": error[1] if error else shown,
        "found": row is not None,
        "confidence": row.confidence if row else None,
        "low": row is not None and not row.confirmed and row.confidence < LOW_CONFIDENCE,
        "page": row.page if row else None,
        "boxes": row.boxes if row else [],
        "confirmed": bool(row and row.confirmed),
        "corrected": bool(row and row.corrected),
        "error": error[0] if error else (row.error if row else None),
    }
