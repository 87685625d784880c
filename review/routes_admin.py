"""Supervisor and admin screens: the audit log and the user list."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from review.accounts import ROLES, add_user
from review.audit import record
from review.web import DB, Admin, CheckedForm, Supervisor, csrf_token, templates
from storage.models import AuditEntry, User

router = APIRouter()


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, who: Supervisor, session: DB, user: str = "", action: str = "", fax: str = ""
) -> HTMLResponse:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(500)
    if user:
        query = query.where(AuditEntry.username == user)
    if action:
        query = query.where(AuditEntry.action == action)
    if fax.isdigit():
        query = query.where(AuditEntry.fax_id == int(fax))
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "entries": session.scalars(query).all(),
        "filters": {"user": user, "action": action, "fax": fax},
    }
    return templates.TemplateResponse(request, "audit.html", context)


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
