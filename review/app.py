"""FastAPI app: fax webhooks, health and readiness."""

from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import text

from faxintake.services import Services
from intake.accept import accept
from intake.webhooks import PROVIDERS, Rejected
from intake.webhooks import Request as WebhookRequest

log = logging.getLogger("faxintake.web")


def create_app(services: Services) -> FastAPI:
    app = FastAPI(title="faxintake", docs_url=None, redoc_url=None)
    settings = services.settings

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


def _ping_db(services: Services) -> None:
    with services.sessions() as session:
        session.execute(text("SELECT 1"))
