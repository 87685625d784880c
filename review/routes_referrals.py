"""Referral cases: the worklist, a case's timeline, follow-ups, and "which case is this?"."""

from __future__ import annotations

import json
from datetime import date

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from referrals.fhir import case_bundle
from referrals.figures import figures, figures_csv
from referrals.letters import case_letter
from referrals.states import STATES, BadMove, move
from referrals.timers import NEXT_ACTION
from referrals.tracking import choose
from referrals.updates import coverage_problem, schedule
from referrals.worklist import FOLLOW_UP_KINDS, cases, due_of, log_follow_up
from review.audit import record
from review.web import DB, CheckedForm, CurrentUser, csrf_token, services_of, templates
from storage.models import CaseEvent, Fax, ReferralCase, utcnow

router = APIRouter()


@router.get("/referrals", response_class=HTMLResponse)
def referrals_page(
    request: Request, who: CurrentUser, session: DB, state: str = "", search: str = ""
) -> HTMLResponse:
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "figures": figures(session, utcnow(), services_of(request).timers),
        "rows": cases(session, utcnow(), services_of(request).timers, state, search),
        "states": STATES,
        "filters": {"state": state, "search": search},
    }
    return templates.TemplateResponse(request, "referrals.html", context)


@router.get("/referrals/figures.csv")
def figures_csv_export(request: Request, who: CurrentUser, session: DB) -> Response:
    body = figures_csv(figures(session, utcnow(), services_of(request).timers))
    headers = {"Content-Disposition": "attachment; filename=referral-figures.csv"}
    return Response(body, media_type="text/csv", headers=headers)


@router.get("/referrals/{case_id}/fhir.json")
def case_fhir(request: Request, case_id: int, who: CurrentUser, session: DB) -> Response:
    found = _case(session, case_id)
    record(session, who, "case_exported", found.source_fax_id, case=case_id)
    session.commit()
    return Response(json.dumps(case_bundle(found), indent=1), media_type="application/fhir+json")


@router.get("/referrals/{case_id}/letters/{kind}.pdf")
def case_letter_pdf(request: Request, case_id: int, kind: str, who: CurrentUser, session: DB) -> Response:
    found = _case(session, case_id)
    try:
        pdf = case_letter(found, kind, services_of(request).settings, services_of(request).settings.today())
    except ValueError as bad:
        raise HTTPException(404, str(bad)) from None
    found.events.append(CaseEvent(kind="letter", actor=who.username, note=f"{kind} letter made", at=utcnow()))
    record(session, who, "case_letter", found.source_fax_id, case=case_id, kind=kind)
    session.commit()
    return Response(pdf, media_type="application/pdf")


@router.get("/referrals/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, who: CurrentUser, session: DB) -> HTMLResponse:
    found = _case(session, case_id)
    record(session, who, "case_viewed", found.source_fax_id, case=case_id)
    session.commit()
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "case": found,
        "next_action": NEXT_ACTION.get(found.state, ""),
        "due": due_of(found, services_of(request).timers),
        "coverage": coverage_problem(found, services_of(request).settings.today()),
        "states": STATES,
        "kinds": FOLLOW_UP_KINDS,
    }
    return templates.TemplateResponse(request, "case.html", context)


@router.post("/referrals/{case_id}/follow-up")
def follow_up(request: Request, case_id: int, who: CurrentUser, session: DB, form: CheckedForm) -> Response:
    try:
        log_follow_up(
            _case(session, case_id),
            str(form.get("kind", "")),
            str(form.get("note", "")),
            who.username,
            utcnow(),
        )
    except ValueError as bad:
        raise HTTPException(422, str(bad)) from None
    record(session, who, "case_follow_up", None, case=case_id, kind=str(form.get("kind", "")))
    session.commit()
    return RedirectResponse(f"/referrals/{case_id}", status_code=303)


@router.post("/referrals/{case_id}/state")
def change_state(
    request: Request, case_id: int, who: CurrentUser, session: DB, form: CheckedForm
) -> Response:
    found = _case(session, case_id)
    old, to = found.state, str(form.get("state", ""))
    visit = _visit_date(str(form.get("visit_date", "")))
    try:
        if to == "scheduled" and visit:
            schedule(found, visit, who.username, utcnow())
        else:
            move(found, to, who.username, utcnow(), note=str(form.get("note", "")).strip() or None)
    except BadMove as refused:
        raise HTTPException(409, str(refused)) from None
    record(session, who, "case_state_changed", None, case=case_id, old=old, new=found.state)
    session.commit()
    return RedirectResponse(f"/referrals/{case_id}", status_code=303)


@router.post("/faxes/{fax_id}/case")
def choose_case(request: Request, fax_id: int, who: CurrentUser, session: DB, form: CheckedForm) -> Response:
    fax = session.get(Fax, fax_id)
    if fax is None:
        raise HTTPException(404, "no such fax")
    try:
        found = choose(session, fax, int(str(form.get("case_id", 0))), who.username, utcnow())
    except ValueError as bad:
        raise HTTPException(404, str(bad)) from None
    if fax.review_state == "which_case":
        fax.review_state = "to_review"
    record(session, who, "case_chosen", fax.id, case=found.id)
    session.commit()
    return RedirectResponse(f"/faxes/{fax_id}", status_code=303)


def _visit_date(text: str) -> str | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise HTTPException(422, f"visit date {text!r} is not a date (YYYY-MM-DD)") from None


def _case(session, case_id: int) -> ReferralCase:
    found = session.get(ReferralCase, case_id)
    if found is None:
        raise HTTPException(404, "no such case")
    return found
