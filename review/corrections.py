"""What a VA changes on a fax, and the rules run again after every change.

Each change edits the SQL rows, then `reevaluate` rebuilds the rule facts from the rows and
runs the same rules engine the pipeline runs, keeping the resolution of flags that remain."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session, object_session

from core.data import PageText
from core.doctypes import DOCUMENT_TYPES, fields_of
from core.settings import Settings
from extractors.fields import extract_fields, read_value
from pipeline.stages import fax_facts
from referrals.tracking import refresh
from review.accounts import Identity
from review.audit import record
from rules.engine import Rule, evaluate
from storage.models import DocumentRow, Fax, FieldRow, FlagRow, utcnow
from storage.objects import ObjectStore
from storage.results import document_values, field_rows, refresh_summary, result_from_rows


class InvalidValue(Exception):
    """A VA's value that does not parse or fails its validator; shown inline, not saved."""


@dataclass
class Editor:
    """What changing a fax needs besides the database session: rules, page texts, settings."""

    settings: Settings
    store: ObjectStore
    rules: list[Rule]

    def set_field(
        self, session: Session, doc: DocumentRow, key: str, raw: str, who: Identity, today: date
    ) -> FieldRow:
        """Confirm or correct a field (or add a missing one) with the value the VA typed."""
        if key not in fields_of(doc.type):
            raise InvalidValue(f"a {doc.type} has no field {key}")
        try:
            value = read_value(key, raw, today)
        except ValueError as unreadable:
            raise InvalidValue(str(unreadable)) from None
        row = next((f for f in doc.fields if f.key == key), None)
        old = row.value if row else None
        if row is None:
            row = FieldRow(key=key, value=value, confidence=1.0, page=doc.pages[0], boxes=[])
            doc.fields.append(row)
        row.value, row.error, row.confirmed, row.confidence = value, None, True, 1.0
        row.corrected = value != row.extracted_value
        action = "field_confirmed" if old == value else "field_changed"
        record(session, who, action, doc.fax_id, document=doc.position, key=key, old=old, new=value)
        return row

    def set_page_type(self, session: Session, fax: Fax, number: int, doc_type: str, who: Identity) -> None:
        """Give one page a type: it becomes its own document (split out) unless it is one already."""
        if doc_type not in DOCUMENT_TYPES:
            raise InvalidValue(f"unknown document type {doc_type}")
        _check_page(fax, number)
        self._split_at(session, fax, number, who)
        self._split_at(session, fax, number + 1, who)
        doc = _document_of(fax, number)
        old, doc.type = doc.type, doc_type
        self._extract_again(fax, doc)
        record(session, who, "page_type_changed", fax.id, page=number, old=old, new=doc_type)

    def split(self, session: Session, fax: Fax, number: int, who: Identity) -> None:
        """Start a new document at page `number` (nothing happens if one starts there already)."""
        _check_page(fax, number)
        self._split_at(session, fax, number, who)

    def _split_at(self, session: Session, fax: Fax, number: int, who: Identity) -> None:
        doc = next((d for d in fax.documents if number in d.pages), None)
        if doc is None or doc.pages[0] == number:
            return
        cut = doc.pages.index(number)
        head, tail = doc.pages[:cut], doc.pages[cut:]
        doc.pages = head
        new = DocumentRow(type=doc.type, pages=tail, confidence=doc.confidence, position=doc.position + 0.5)
        fax.documents.append(new)
        _renumber(fax)
        self._extract_again(fax, doc)
        self._extract_again(fax, new)
        record(session, who, "document_split", fax.id, page=number)

    def merge_with_previous(self, session: Session, fax: Fax, position: int, who: Identity) -> None:
        if position <= 0 or position >= len(fax.documents):
            raise InvalidValue("there is no previous document to merge with")
        previous, doc = fax.documents[position - 1], fax.documents[position]
        previous.pages = [*previous.pages, *doc.pages]
        fax.documents.remove(doc)  # delete-orphan: the row and its fields go at the next flush
        _renumber(fax)
        self._extract_again(fax, previous)
        record(session, who, "documents_merged", fax.id, into=previous.position, pages=previous.pages)

    def resolve_flag(
        self, session: Session, flag: FlagRow, resolution: str, note: str, who: Identity
    ) -> None:
        if resolution not in ("resolved", "acknowledged"):
            raise InvalidValue("resolution must be resolved or acknowledged")
        flag.resolved, flag.resolution, flag.note = True, resolution, note.strip() or None
        flag.resolved_by_id, flag.resolved_at = who.id, utcnow()
        record(session, who, "flag_" + resolution, flag.fax_id, code=flag.code, note=flag.note)

    def reevaluate(self, fax: Fax) -> None:
        """Run the rules over the rows as they are now; keep resolutions of flags that remain;
        the case this referral opened follows the corrected values."""
        facts = fax_facts(self._page_texts(fax), document_values(fax), self.settings)
        flags = evaluate(self.rules, facts)
        kept = {(f.code, f.message): f for f in fax.flags}
        fax.flags = [kept.get((f.code, f.message)) or FlagRow(**f.to_json()) for f in flags]
        refresh_summary(fax)
        fax.result = result_from_rows(fax)
        refresh(_session_of(fax), fax, utcnow())

    def _extract_again(self, fax: Fax, doc: DocumentRow) -> None:
        """Fields for a document whose pages or type changed; confirmed values are kept."""
        with _session_of(fax).no_autoflush:
            pages = {p.number: p for p in self._page_texts(fax)}
        found = extract_fields(doc.type, [pages[n] for n in doc.pages], fax.received_at.date())
        confirmed = {f.key: f for f in doc.fields if f.confirmed and f.key in fields_of(doc.type)}
        fresh = field_rows({key: value.to_json() for key, value in found.items() if key not in confirmed})
        doc.fields = [*confirmed.values(), *fresh]

    def _page_texts(self, fax: Fax) -> list[PageText]:
        return [PageText.from_json(json.loads(self.store.get(page.text_key))) for page in fax.pages]


def _check_page(fax: Fax, number: int) -> None:
    if not any(number in d.pages for d in fax.documents):
        raise InvalidValue(f"this fax has no page {number}")


def _document_of(fax: Fax, number: int) -> DocumentRow:
    return next(d for d in fax.documents if number in d.pages)


def _renumber(fax: Fax) -> None:
    fax.documents.sort(key=lambda d: d.pages[0])
    for position, doc in enumerate(fax.documents):
        doc.position = position


def _session_of(fax: Fax) -> Session:
    session = object_session(fax)
    if session is None:
        raise ValueError("the fax is not attached to a session")
    return session
