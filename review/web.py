"""Request plumbing shared by the review screens: the signed-in user, CSRF, templates."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from core.settings import Settings
from review.accounts import Identity
from review.audit import detail_text
from review.flag_names import flag_name
from storage.models import User, aware
from workers.services import Services

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")


@pass_context
def _local(context, moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """`{{ fax.received_at|local }}`: a stored (UTC) time as the clinic reads it."""
    if moment is None:
        return ""
    return aware(moment).astimezone(services_of(context["request"]).settings.zone).strftime(pattern)


@pass_context
def _clinic_zone(context) -> str:
    """`When ({{ clinic_zone() }})`: the name of the zone times are shown in."""
    settings = services_of(context["request"]).settings
    return settings.timezone or "server time"


templates.env.filters["local"] = _local
templates.env.filters["flag_name"] = flag_name
templates.env.filters["detail_text"] = detail_text
templates.env.globals["clinic_zone"] = _clinic_zone


class LoginRequired(Exception):
    """Raised for a request without a session; the app answers with a redirect to /login."""


def services_of(request: Request) -> Services:
    return request.app.state.services


def db(request: Request) -> Iterator[Session]:
    with services_of(request).sessions() as session:
        yield session


DB = Annotated[Session, Depends(db)]


def current_user(request: Request, session: DB) -> Identity:
    user_id = request.session.get("uid")
    user = session.get(User, user_id) if user_id else None
    if user is None or not user.active:
        request.session.clear()
        raise LoginRequired
    return Identity(user.id, user.username, user.role)


CurrentUser = Annotated[Identity, Depends(current_user)]


def role(required: str):
    """A dependency that lets in `required` and the roles above it."""

    def check(who: CurrentUser) -> Identity:
        if not who.can(required):
            raise HTTPException(403, f"{required} role needed")
        return who

    return check


Supervisor = Annotated[Identity, Depends(role("supervisor"))]
Admin = Annotated[Identity, Depends(role("admin"))]


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches the session's."""
    form = await request.form()
    sent, expected = str(form.get("csrf", "")), request.session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, "form expired or forged; reload the page")
    return form


async def json_body(request: Request) -> object:
    """The request's JSON body; 400 when it is not JSON."""
    try:
        return await request.json()
    except ValueError:
        raise HTTPException(400, "the body must be JSON") from None


# Reading the body is async; the route itself is a plain `def`, which FastAPI runs in its
# thread pool, so a slow approval (rules, PDF, FHIR export) never holds up other users.
CheckedForm = Annotated[FormData, Depends(checked_form)]
JsonBody = Annotated[object, Depends(json_body)]


def secret_key(settings: Settings) -> str:
    """The configured key, or one generated once and kept (mode 600) in the data folder."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()
