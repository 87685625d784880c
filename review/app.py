"""The FastAPI app: review screens, fax webhooks, health and readiness."""

from __future__ import annotations

import logging

import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.middleware.sessions import SessionMiddleware

from faxintake.services import Services
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
from review.web import HERE, LoginRequired, secret_key
from rules.engine import load_rules

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
        checks = {
            "redis": services.redis.ping,
            "database": lambda: _ping_db(services),
            "object_store": services.store.ping,
        }
        failed = []
        for name, check in checks.items():
            try:
                check()
            except Exception:  # noqa: BLE001 - any failure means not ready
                failed.append(name)
        if failed:
            raise HTTPException(503, {"status": "unavailable", "failed": failed})
        return {"status": "ready"}

    @app.post("/webhooks/fax/{provider}")
    async def webhook(provider: str, request: Request) -> dict:
        if provider not in PROVIDERS:
            raise HTTPException(404, "unknown provider")
        length = int(request.headers.get("content-length") or 0)
        if length > settings.webhook_max_bytes:
            raise HTTPException(413, "body too large")
        body = await request.body()
        if len(body) > settings.webhook_max_bytes:
            raise HTTPException(413, "body too large")
        raw = WebhookRequest(body, {k.lower(): v for k, v in request.headers.items()}, str(request.url))
        try:
            delivery = await run_in_threadpool(PROVIDERS[provider], raw, settings)
        except Rejected as exc:
            log.warning("webhook rejected", extra={"provider": provider, "reason": exc.reason})
            raise HTTPException(exc.status, exc.reason) from None
        accepted = await run_in_threadpool(
            accept,
            services,
            delivery.data,
            delivery.filename,
            f"webhook:{provider}",
            delivery.sender,
            delivery.provider_fax_id,
        )
        return {"fax_id": accepted.fax_id, "status": accepted.status}

    return app


def serve(services: Services, host: str, port: int) -> None:
    """Run the app with uvicorn; no access log, as request paths can carry a patient's name."""
    uvicorn.run(create_app(services), host=host, port=port, log_config=None, access_log=False)


def _ping_db(services: Services) -> None:
    with services.sessions() as session:
        session.execute(text("SELECT 1"))
