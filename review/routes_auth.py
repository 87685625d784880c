"""Log in and out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from review.accounts import Identity, LoginRefused, authenticate
from review.audit import record
from review.web import DB, CheckedForm, CurrentUser, csrf_token, services_of, templates

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return templates.TemplateResponse(
        request, "login.html", {"csrf": csrf_token(request), "next": _local(next), "error": None}
    )


@router.post("/login", response_model=None)
def login(request: Request, session: DB, form: CheckedForm) -> HTMLResponse | RedirectResponse:
    username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    settings = services_of(request).settings
    try:
        user = authenticate(session, username, password, settings)
    except LoginRefused as refused:
        record(session, None, "login_failed", attempted=username[:80])
        session.commit()
        context = {
            "csrf": csrf_token(request),
            "next": _local(str(form.get("next", "/"))),
            "error": refused.reason,
        }
        return templates.TemplateResponse(request, "login.html", context, status_code=401)
    record(session, Identity(user.id, user.username, user.role), "login")
    session.commit()
    request.session.clear()  # a fresh session (and CSRF token) after login
    request.session["uid"] = user.id
    csrf_token(request)
    return RedirectResponse(_local(str(form.get("next", "/"))), status_code=303)


@router.post("/logout")
def logout(request: Request, who: CurrentUser, session: DB, _csrf: CheckedForm) -> RedirectResponse:
    record(session, who, "logout")
    session.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def _local(target: str) -> str:
    """Only same-site paths after login: never an open redirect."""
    return target if target.startswith("/") and not target.startswith("//") else "/"
