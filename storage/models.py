"""The SQL schema: faxes, their pages, documents, fields, flags, and a task row per job stage."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every one stored here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class Fax(Base):
    """One received transmission. Its original stays in the object store whatever happens."""

    __tablename__ = "faxes"
    __table_args__ = (
        UniqueConstraint("source", "provider_fax_id", "sha256", name="uq_fax_provider_id_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_key: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(40))  # drop_folder, hylafax, webhook:generic...
    provider_fax_id: Mapped[str | None] = mapped_column(String(200))
    sender: Mapped[dict] = mapped_column(JSON, default=dict)  # caller id, from number, header
    status: Mapped[str] = mapped_column(String(20), index=True)  # queued processing ready failed duplicate
    error: Mapped[str | None] = mapped_column(Text)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("faxes.id"))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    page_count: Mapped[int | None] = mapped_column(Integer)
    review_state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    result: Mapped[dict | None] = mapped_column(JSON)
    # What the review queue sorts, filters and searches on, refreshed whenever the result changes.
    priority: Mapped[int] = mapped_column(Integer, default=3)  # 0 stat, 1 urgent, 2 error flags, 3 rest
    doc_types: Mapped[str | None] = mapped_column(String(300))
    patient_name: Mapped[str | None] = mapped_column(String(200))
    patient_dob: Mapped[str | None] = mapped_column(String(10))
    member_id: Mapped[str | None] = mapped_column(String(60))
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_note: Mapped[str | None] = mapped_column(Text)
    letter_key: Mapped[str | None] = mapped_column(String(200))
    export_path: Mapped[str | None] = mapped_column(String(500))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("referral_cases.id"))
    case_candidates: Mapped[list | None] = mapped_column(JSON)  # [{case_id, score, reason}] to choose from

    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    pages: Mapped[list[Page]] = relationship(
        back_populates="fax", cascade="all, delete-orphan", order_by="Page.number"
    )
    documents: Mapped[list[DocumentRow]] = relationship(
        back_populates="fax", cascade="all, delete-orphan", order_by="DocumentRow.position"
    )
    flags: Mapped[list[FlagRow]] = relationship(back_populates="fax", cascade="all, delete-orphan")
    tasks: Mapped[list[Task]] = relationship(back_populates="fax", cascade="all, delete-orphan")


class Page(Base):
    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    fax_id: Mapped[int] = mapped_column(ForeignKey("faxes.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40))
    type_confidence: Mapped[float | None] = mapped_column(Float)
    text_source: Mapped[str] = mapped_column(String(20))
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    text_key: Mapped[str] = mapped_column(String(200))  # words and boxes in the object store
    width: Mapped[float | None] = mapped_column(Float)  # of the page the word boxes refer to
    height: Mapped[float | None] = mapped_column(Float)  # (None on rows from before 0005)

    fax: Mapped[Fax] = relationship(back_populates="pages")


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    fax_id: Mapped[int] = mapped_column(ForeignKey("faxes.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40))
    pages: Mapped[list] = mapped_column(JSON)
    confidence: Mapped[float] = mapped_column(Float)

    fax: Mapped[Fax] = relationship(back_populates="documents")
    fields: Mapped[list[FieldRow]] = relationship(back_populates="document", cascade="all, delete-orphan")


class FieldRow(Base):
    __tablename__ = "fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    value: Mapped[object] = mapped_column(JSON)
    confidence: Mapped[float] = mapped_column(Float)
    page: Mapped[int] = mapped_column(Integer)
    boxes: Mapped[list] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    extracted_value: Mapped[object | None] = mapped_column(JSON)  # as the pipeline read it
    corrected: Mapped[bool] = mapped_column(Boolean, default=False)

    document: Mapped[DocumentRow] = relationship(back_populates="fields")


class FlagRow(Base):
    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    fax_id: Mapped[int] = mapped_column(ForeignKey("faxes.id"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(String(20))  # resolved, acknowledged
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    fax: Mapped[Fax] = relationship(back_populates="flags")


class Task(Base):
    """One stage of one fax's processing: when it was queued, ran, how often, how it ended."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("fax_id", "stage", name="uq_task_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fax_id: Mapped[int] = mapped_column(ForeignKey("faxes.id"), index=True)
    stage: Mapped[str] = mapped_column(String(40))  # page:3, analyse; prepare when queued again
    status: Mapped[str] = mapped_column(String(20))  # queued started finished failed canceled
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    wait_seconds: Mapped[float | None] = mapped_column(Float)
    run_seconds: Mapped[float | None] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)

    fax: Mapped[Fax] = relationship(back_populates="tasks")

    @classmethod
    def of(cls, session: Session, fax_id: int, stage: str) -> Task:
        """The task row of a fax's stage, created on first use (one row per stage, however often run)."""
        return cls.of_stages(session, fax_id, [stage])[0]

    @classmethod
    def of_stages(cls, session: Session, fax_id: int, stages: list[str]) -> list[Task]:
        """`of` for several stages of a fax in one query (a new fax has a row for each page)."""
        found = {
            task.stage: task
            for task in session.query(cls).filter(cls.fax_id == fax_id, cls.stage.in_(stages))
        }
        for stage in stages:
            if stage not in found:
                found[stage] = cls(
                    fax_id=fax_id, stage=stage, status="queued", attempts=0, queued_at=utcnow()
                )
                session.add(found[stage])
        return [found[stage] for stage in stages]


def close_open_tasks(session: Session, fax_id: int) -> None:
    """A fax that reached its end (ready or failed) has no stage left to run: rows a replaced
    or lost job left queued or started are canceled, so no backlog counts them."""
    session.query(Task).filter(Task.fax_id == fax_id, Task.status.in_(("queued", "started"))).update(
        {Task.status: "canceled"}, synchronize_session="fetch"
    )


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # va, supervisor, admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """Append-only: rows are added, never changed or removed (enforced below)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40), index=True)
    fax_id: Mapped[int | None] = mapped_column(ForeignKey("faxes.id"), index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


@event.listens_for(Session, "before_flush")
def _audit_log_is_append_only(session: Session, _context, _instances) -> None:
    if any(isinstance(row, AuditEntry) for row in (*session.dirty, *session.deleted)):
        raise PermissionError("the audit log is append-only")


class ReferralCase(Base):
    """A referral followed from its arrival to the consult report coming back."""

    __tablename__ = "referral_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(30), index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    state_since: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    direction: Mapped[str] = mapped_column(String(10), default="inbound")  # or outbound: the clinic sent it
    source_fax_id: Mapped[int | None] = mapped_column(Integer)  # no FK: faxes.case_id points back
    urgency: Mapped[str] = mapped_column(String(10), default="routine")
    patient_name: Mapped[str | None] = mapped_column(String(200))
    patient_dob: Mapped[str | None] = mapped_column(String(10))
    member_id: Mapped[str | None] = mapped_column(String(60))
    payer: Mapped[str | None] = mapped_column(String(200))
    referring_provider: Mapped[str | None] = mapped_column(String(200))
    referring_npi: Mapped[str | None] = mapped_column(String(10))
    referring_fax: Mapped[str | None] = mapped_column(String(10))
    referring_phone: Mapped[str | None] = mapped_column(String(10))
    specialty: Mapped[str | None] = mapped_column(String(100))
    receiving_provider: Mapped[str | None] = mapped_column(String(200))
    diagnosis_codes: Mapped[list] = mapped_column(JSON, default=list)
    procedure_codes: Mapped[list] = mapped_column(JSON, default=list)
    auth_number: Mapped[str | None] = mapped_column(String(60))
    auth_valid_from: Mapped[str | None] = mapped_column(String(10))
    auth_valid_to: Mapped[str | None] = mapped_column(String(10))
    visit_date: Mapped[str | None] = mapped_column(String(10))
    fhir_pushed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )


class CaseEvent(Base):
    """One line of a case's timeline: a state change, a matched fax, a follow-up, a task."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("referral_cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  # transition, fax, follow_up, task
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    fax_id: Mapped[int | None] = mapped_column(ForeignKey("faxes.id"))
    actor: Mapped[str] = mapped_column(String(80))  # "fax 12", "vera", "timer"
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[ReferralCase] = relationship(back_populates="events")
