"""The queue screen."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from core.doctypes import DOCUMENT_TYPES
from review.outcomes import sender_of
from review.web import DB, CurrentUser, csrf_token, services_of, templates
from review.worklist import STATES, Filters, active_claimant, age_badge, age_text, queue
from storage.models import User

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def queue_page(
    request: Request,
    who: CurrentUser,
    session: DB,
    state: str = "",
    doc_type: str = "",
    flag: str = "",
    assignee: str = "",
    sender: str = "",
    search: str = "",
) -> HTMLResponse:
    settings = services_of(request).settings
    filters = Filters(state, doc_type, flag, assignee, sender, search)
    rows = [
        {
            "fax": fax,
            "age": age_text(fax),
            "badge": age_badge(fax, settings),
            "sender": sender_of(fax),
            "claimant": active_claimant(fax, settings),
            "flags": [f for f in fax.flags if not f.resolved],
        }
        for fax in queue(session, filters)
    ]
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "rows": rows,
        "filters": filters,
        "states": STATES,
        "doc_types": DOCUMENT_TYPES,
        "users": session.scalars(select(User.username).where(User.active.is_(True))).all(),
    }
    return templates.TemplateResponse(request, "queue.html", context)
