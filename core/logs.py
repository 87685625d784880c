"""Structured logs: one JSON object per line, each with the fax id and stage in hand.

Only ids, hashes, counts, stage names and error types are logged, never a field value, a
file name or an exception message (which could quote a page): no patient data in logs."""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from core.states import JOB_ID

_context: ContextVar[dict | None] = ContextVar("faxintake_log_context", default=None)
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
}
_EXCEPTION_TYPE = re.compile(r"^([A-Za-z_][\w.]*)(?::|$)")


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
        message, error = _without_traceback(record.getMessage())
        out: dict[str, object] = {
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
        if error:
            out["error"] = error
        if record.exc_info and record.exc_info[0]:
            out["error"] = record.exc_info[0].__name__
            out["at"] = [
                f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}"
                for f in traceback.extract_tb(record.exc_info[2])
            ][-5:]
        return json.dumps(out, default=str)


def _without_traceback(message: str) -> tuple[str, str | None]:
    """rq writes a job's traceback into its message; keep the line before it and the
    exception's type, never its text (which could quote a page)."""
    head, marker, trace = message.partition("\nTraceback (most recent call last)")
    if not marker:
        return message, None
    last = next((line for line in reversed(trace.splitlines()) if line.strip()), "")
    error = _EXCEPTION_TYPE.match(last)
    return head, error.group(1) if error else None


def _from_rq_job_id(message: str) -> dict:
    """rq's own lines name the job id (fax-12-page-3); read the fax and stage from it."""
    match = JOB_ID.search(message)
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
    for chatty in ("alembic", "httpx", "multipart", "pikepdf", "watchdog"):  # watchdog logs file names
        logging.getLogger(chatty).setLevel(logging.WARNING)
    sys.excepthook = _log_uncaught
    threading.excepthook = lambda args: _log_uncaught(args.exc_type, args.exc_value, args.exc_traceback)


def _log_uncaught(exc_type, exc_value, exc_traceback) -> None:
    """An exception nothing caught (a thread's, or the process's last) as one JSON line, not
    Python's raw traceback, whose message could quote a page."""
    if issubclass(exc_type, KeyboardInterrupt):
        return
    logging.getLogger("faxintake").critical(
        "uncaught exception", exc_info=(exc_type, exc_value, exc_traceback)
    )
