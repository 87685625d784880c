"""Outbound referrals: registered on a form, by uploading the referral the clinic sent (it
goes through the pipeline like any fax), or by another system through the JSON API."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from core.doctypes import field_display
from intake.accept import accept
from referrals.cases import CASE_FIELDS
from referrals.registration import InvalidReferral, register
from review.audit import record
from review.web import DB, CheckedForm, CurrentUser, JsonBody, csrf_token, services_of, templates
from storage.models import utcnow

router = APIRouter()


@router.get("/referrals/new", response_class=HTMLResponse)
def registration_page(request: Request, who: CurrentUser) -> HTMLResponse:
    return _form(request, who, {}, {})


@router.post("/referrals/new")
def register_by_hand(request: Request, who: CurrentUser, session: DB, form: CheckedForm) -> Response:
    given = {key: str(form.get(key, "")) for key in CASE_FIELDS}
    try:
        today = services_of(request).settings.today()
        case = register(session, {k: v for k, v in given.items() if v.strip()}, who.username, utcnow(), today)
    except InvalidReferral as bad:
        return _form(request, who, given, bad.errors, status_code=422)
    record(session, who, "case_registered", None, case=case.id, via="form")
    session.commit()
    return RedirectResponse(f"/referrals/{case.id}", status_code=303)


@router.post("/referrals/upload")
def register_by_upload(request: Request, who: CurrentUser, session: DB, form: CheckedForm) -> Response:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise HTTPException(422, "choose the referral file (PDF or TIFF) to upload")
    services = services_of(request)
    data = upload.file.read(services.settings.max_file_bytes + 1)
    if len(data) > services.settings.max_file_bytes:
        raise HTTPException(413, "file too large")
    accepted = accept(services, data, upload.filename, "outbound", sender={"uploaded_by": who.username})
    record(session, who, "referral_uploaded", accepted.fax_id, status=accepted.status)
    session.commit()
    return RedirectResponse(f"/faxes/{accepted.fax_id}", status_code=303)


@router.post("/api/referrals")
def register_by_api(request: Request, session: DB, body: JsonBody) -> JSONResponse:
    """Bearer FAXINTAKE_API_TOKEN; a JSON object of contract field keys. 201 with the case,
    422 with every field's problem."""
    token = services_of(request).settings.api_token
    sent = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(sent, token):
        raise HTTPException(401, "API token required (FAXINTAKE_API_TOKEN)")
    if not isinstance(body, dict):
        raise HTTPException(400, "the body must be a JSON object of referral fields")
    try:
        case = register(session, body, "api", utcnow(), services_of(request).settings.today())
    except InvalidReferral as bad:
        return JSONResponse({"errors": bad.errors}, status_code=422)
    record(session, None, "case_registered", None, case=case.id, via="api")
    session.commit()
    return JSONResponse(
        {"case_id": case.id, "state": case.state, "url": f"/referrals/{case.id}"}, status_code=201
    )


def _form(request: Request, who, given: dict, errors: dict, status_code: int = 200) -> HTMLResponse:
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "fields": [(key, field_display(key)) for key in CASE_FIELDS],
        "given": given,
        "errors": errors,
    }
    return templates.TemplateResponse(request, "referral_new.html", context, status_code=status_code)
