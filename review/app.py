"""The FastAPI app: review screens, fax webhooks, health and readiness."""

from __future__ import annotations

import logging

import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from intake.accept import accept
from intake.webhooks import PROVIDERS, Rejected
from intake.webhooks import Request as WebhookRequest
from review import (
    routes_admin,
    routes_auth,
    routes_item,
    routes_ops,
    routes_queue,
    routes_referrals,
    routes_registration,
)
from review.corrections import Editor
from review.health import health
from review.web import HERE, LoginRequired, secret_key
from rules.engine import load_rules
from workers.services import Services

log = logging.getLogger("faxintake.web")


def create_app(services: Services) -> FastAPI:
    app = FastAPI(title="faxintake", docs_url=None, redoc_url=None, openapi_url=None)
    settings = services.settings
    app.state.services = services
    app.state.editor = Editor(settings, services.store, load_rules(settings.rules_file))
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(settings),
        session_cookie="faxintake_session",
        max_age=int(settings.session_hours * 3600),
        same_site="strict",
        https_only=settings.cookie_secure,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.middleware("http")(_security_headers)
    # registration before referrals: /referrals/new is not a case number
    for module in (
        routes_auth,
        routes_queue,
        routes_item,
        routes_admin,
        routes_ops,
        routes_registration,
        routes_referrals,
    ):
        app.include_router(module.router)

    @app.exception_handler(LoginRequired)
    def to_login(request: Request, _exc: LoginRequired) -> RedirectResponse:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.get("/healthz")
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz() -> dict:
        """Ready: every backend answers, a worker and the drop-folder watcher are alive."""
        failed = [name for name, ok in health(services).items() if not ok]
        if failed:
            raise HTTPException(503, {"status": "unavailable", "failed": failed})
        return {"status": "ready"}

    @app.post("/webhooks/fax/{provider}")
    async def webhook(provider: str, request: Request) -> dict:
        """A gateway's delivery: refused with a 4xx and a reason, or recorded (a file we cannot
        read is recorded failed, original kept); 503 only when we cannot store it now, so the
        gateway keeps it and retries."""
        if provider not in PROVIDERS:
            raise HTTPException(404, "unknown provider")
        body = await _body_within(request, settings.webhook_max_bytes)
        raw = WebhookRequest(body, {k.lower(): v for k, v in request.headers.items()}, str(request.url))
        try:
            delivery = await run_in_threadpool(PROVIDERS[provider], raw, settings)
        except Rejected as exc:
            log.warning("webhook rejected", extra={"provider": provider, "reason": exc.reason})
            raise HTTPException(exc.status, exc.reason) from None
        try:
            accepted = await run_in_threadpool(
                accept,
                services,
                delivery.data,
                delivery.filename,
                f"webhook:{provider}",
                delivery.sender,
                delivery.provider_fax_id,
            )
        except Exception as exc:  # noqa: BLE001 - a backend is down: the gateway retries
            log.error(
                "webhook not stored; asked to retry",
                extra={"provider": provider, "error": type(exc).__name__},
            )
            raise HTTPException(503, "cannot store the fax now; retry later") from None
        return {"fax_id": accepted.fax_id, "status": accepted.status}

    return app


SECURITY_HEADERS = {
    # Scripts and styles from this app only (style attributes allowed: page shapes are set
    # inline); no framing, no plugins, forms post back here only.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


async def _security_headers(request: Request, call_next) -> Response:
    """Every response gets the security headers; everything but the static CSS and script is
    `no-store`, as pages, page images and letters carry patient data."""
    response = await call_next(request)
    response.headers.update(SECURITY_HEADERS)
    if not request.url.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


async def _body_within(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it passes `limit` bytes: a chunked body has
    no length to check first, and must not be buffered whole before it is refused."""
    try:
        declared = int(request.headers.get("content-length") or 0)
    except ValueError:
        raise HTTPException(400, "bad Content-Length") from None
    if declared > limit:
        raise HTTPException(413, "body too large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, "body too large")
    return bytes(body)


def serve(services: Services, host: str, port: int) -> None:
    """Run the app with uvicorn; no access log, as request paths can carry a patient's name."""
    uvicorn.run(create_app(services), host=host, port=port, log_config=None, access_log=False)
