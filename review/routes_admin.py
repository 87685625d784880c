"""Supervisor and admin screens: the audit log and the user list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from review.accounts import ROLES, add_user
from review.audit import AuditFilters, audit_rows_csv, record
from review.web import DB, Admin, CheckedForm, Supervisor, csrf_token, services_of, templates
from storage.models import User

router = APIRouter()
AuditQuery = Annotated[AuditFilters, Depends()]


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, who: Supervisor, session: DB, filters: AuditQuery) -> HTMLResponse:
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "entries": session.scalars(filters.query(services_of(request).settings).limit(500)).all(),
        "filters": filters,
    }
    return templates.TemplateResponse(request, "audit.html", context)


@router.get("/audit.csv")
def audit_csv(request: Request, who: Supervisor, session: DB, filters: AuditQuery) -> Response:
    """The filtered audit log as CSV, every row, times in the clinic's zone."""
    settings = services_of(request).settings
    entries = session.scalars(filters.query(settings)).all()
    record(session, who, "audit_exported", None, rows=len(entries))
    session.commit()
    return Response(
        audit_rows_csv(entries, settings.zone),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, who: Admin, session: DB) -> HTMLResponse:
    return _users(request, who, session, None)


@router.post("/admin/users")
def create_user(request: Request, who: Admin, session: DB, form: CheckedForm) -> Response:
    username, role = str(form.get("username", "")).strip(), str(form.get("role", "va"))
    try:
        add_user(session, username, str(form.get("password", "")), role)
    except ValueError as bad:
        session.rollback()
        return _users(request, who, session, str(bad))
    record(session, who, "user_added", username=username, role=role)
    session.commit()
    return RedirectResponse("/admin/users", status_code=303)


def _users(request: Request, who, session, error: str | None) -> HTMLResponse:
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "users": session.scalars(select(User).order_by(User.username)).all(),
        "roles": ROLES,
        "error": error,
    }
    return templates.TemplateResponse(request, "users.html", context, status_code=422 if error else 200)
