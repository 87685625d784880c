"""The SQL schema: faxes, their pages, documents, fields, flags, and a task row per job stage."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Fax(Base):
    """One received transmission. Its original stays in the object store whatever happens."""

    __tablename__ = "faxes"
    __table_args__ = (UniqueConstraint("source", "provider_fax_id", name="uq_fax_provider_id"),)

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
    review_state: Mapped[str] = mapped_column(String(20), default="pending")
    result: Mapped[dict | None] = mapped_column(JSON)

    pages: Mapped[list[Page]] = relationship(
        back_populates="fax", cascade="all, delete-orphan", order_by="Page.number"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="fax", cascade="all, delete-orphan", order_by="Document.position"
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

    fax: Mapped[Fax] = relationship(back_populates="pages")


class Document(Base):
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

    document: Mapped[Document] = relationship(back_populates="fields")


class FlagRow(Base):
    __tablename__ = "flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    fax_id: Mapped[int] = mapped_column(ForeignKey("faxes.id"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)

    fax: Mapped[Fax] = relationship(back_populates="flags")


class Task(Base):
    """One stage of one fax's processing: when it was queued, ran, how often, how it ended."""

    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("fax_id", "stage", name="uq_task_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fax_id: Mapped[int] = mapped_column(ForeignKey("faxes.id"), index=True)
    stage: Mapped[str] = mapped_column(String(40))  # prepare, page:3, analyse
    status: Mapped[str] = mapped_column(String(20))  # queued started finished failed
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    wait_seconds: Mapped[float | None] = mapped_column(Float)
    run_seconds: Mapped[float | None] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)

    fax: Mapped[Fax] = relationship(back_populates="tasks")
