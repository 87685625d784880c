"""Structured logs: one JSON object per line, each with the fax id and stage in hand.

Only ids, hashes, counts, stage names and error types are logged, never a field value, a
file name or an exception message (which could quote a page): no patient data in logs."""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_context: ContextVar[dict | None] = ContextVar("faxintake_log_context", default=None)
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
}
_RQ_JOB_ID = re.compile(r"\bfax-(\d+)-(prepare|analyse|page-\d+)\b")


@contextmanager
def log_context(**values) -> Iterator[None]:
    """Every line logged inside carries these keys (fax_id, stage)."""
    token = _context.set({**(_context.get() or {}), **values})
    try:
        yield
    finally:
        _context.reset(token)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        out = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": message,
            "fax_id": None,
            "stage": None,
        }
        out |= _from_rq_job_id(message)
        out |= _context.get() or {}
        out |= {k: v for k, v in vars(record).items() if k not in _STANDARD}
        if record.exc_info and record.exc_info[0]:
            out["error"] = record.exc_info[0].__name__
            out["at"] = [
                f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}"
                for f in traceback.extract_tb(record.exc_info[2])
            ][-5:]
        return json.dumps(out, default=str)


def _from_rq_job_id(message: str) -> dict:
    """rq's own lines name the job id (fax-12-page-3); read the fax and stage from it."""
    match = _RQ_JOB_ID.search(message)
    return {"fax_id": int(match.group(1)), "stage": match.group(2).replace("-", ":")} if match else {}


def configure_logging(level: str = "INFO", stream=None) -> None:
    """JSON lines on stderr for every logger (rq's and uvicorn's included)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("rq.worker", "rq.scheduler", "uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    for chatty in ("alembic", "httpx", "multipart", "pikepdf"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
