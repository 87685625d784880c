"""Ops: Prometheus /metrics and the dashboard for supervisors and admins."""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from review.audit import record
from review.ops import exposition, snapshot
from review.web import DB, CheckedForm, Supervisor, csrf_token, services_of, templates
from workers.queue import CannotRerun, rerun

router = APIRouter()


@router.get("/metrics")
def metrics(request: Request) -> Response:
    """Open to the scraper (no patient data here); behind a bearer token when one is set."""
    services = services_of(request)
    token = services.settings.metrics_token
    sent = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if token and not hmac.compare_digest(sent, token):
        raise HTTPException(401, "metrics token required")
    return Response(exposition(services), media_type=CONTENT_TYPE_LATEST)


@router.get("/ops", response_class=HTMLResponse)
def ops_page(request: Request, who: Supervisor) -> HTMLResponse:
    state = snapshot(services_of(request))
    context = {
        "who": who,
        "csrf": csrf_token(request),
        "state": state,
        "hour_chart": bars(state.pages_per_minute_last_hour),
        "day_chart": bars(state.pages_per_minute_last_day),
    }
    return templates.TemplateResponse(request, "ops.html", context)


@router.post("/ops/rerun/{fax_id}")
def rerun_fax(request: Request, fax_id: int, who: Supervisor, session: DB, _csrf: CheckedForm) -> Response:
    try:
        rerun(services_of(request), fax_id)
    except ValueError as missing:
        raise HTTPException(404, str(missing)) from None
    except CannotRerun as refused:
        raise HTTPException(409, str(refused)) from None
    record(session, who, "rerun", fax_id)
    session.commit()
    return RedirectResponse("/ops", status_code=303)


def bars(values: Sequence[float], width: int = 600, height: int = 120) -> dict:
    """Bar geometry for an inline SVG chart (no charting library in the page)."""
    top = max(values) or 1
    step = width / len(values)
    return {
        "width": width,
        "height": height,
        "max": top,
        "bars": [
            {"x": round(i * step, 1), "w": round(step * 0.8, 1), "h": round(height * v / top, 1), "v": v}
            for i, v in enumerate(values)
        ],
    }
