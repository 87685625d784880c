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
PAGE_ROWS = 200  # faxes a queue page lists; the rest are a page further


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
    page: int = 1,
) -> HTMLResponse:
    settings = services_of(request).settings
    filters = Filters(state, doc_type, flag, assignee, sender, search)
    page = max(1, page)
    faxes = queue(session, filters, limit=PAGE_ROWS + 1, offset=(page - 1) * PAGE_ROWS)
    rows = [
        {
            "fax": fax,
            "age": age_text(fax),
            "badge": age_badge(fax, settings),
            "sender": sender_of(fax),
            "claimant": active_claimant(fax, settings),
            "flags": [f for f in fax.flags if not f.resolved],
        }
        for fax in faxes[:PAGE_ROWS]
    ]
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "rows": rows,
        "filters": filters,
        "page": page,
        "more": len(faxes) > PAGE_ROWS,
        "states": STATES,
        "doc_types": DOCUMENT_TYPES,
        "users": session.scalars(select(User.username).where(User.active.is_(True))).all(),
    }
    return templates.TemplateResponse(request, "queue.html", context)
