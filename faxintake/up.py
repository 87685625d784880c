"""`faxintake up`: everything on one machine: Redis (a private child if none is configured),
workers, the drop-folder watcher and the web app."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select

from faxintake.services import Services
from faxintake.settings import Settings
from intake.accept import accept
from intake.dropfolder import DropFolder
from review.app import serve
from storage.models import Fax
from workers.queue import keep_requeuing
from workers.runner import start_workers, stop_workers


@contextmanager
def private_redis(folder: Path):
    """A redis-server child on a unix socket in the data folder, for as long as we run."""
    if not shutil.which("redis-server"):
        raise FileNotFoundError(
            "redis-server is not installed (apt-get install redis-server) and no REDIS_URL is set"
        )
    folder = folder.resolve()  # redis-server changes into --dir; a relative socket path would move
    folder.mkdir(parents=True, exist_ok=True)
    socket = folder / "redis.sock"
    child = subprocess.Popen(
        [
            "redis-server",
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(folder),
            "--appendonly",
            "yes",
            "--save",
            "",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            if socket.exists():
                break
            time.sleep(0.05)
        yield f"unix://{socket}"
    finally:
        child.terminate()
        child.wait(timeout=10)


def up(settings: Settings, workers: int, host: str, port: int, exit_when_idle: bool = False) -> None:
    """Run until SIGTERM; with `exit_when_idle`, stop once the drop folder is empty and every
    fax taken from it is processed (the README's main command uses that)."""
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    redis = private_redis(settings.data_dir / "redis") if "FAXINTAKE_REDIS_URL" not in os.environ else None
    with redis if redis else _nothing() as url:
        if url:
            settings = settings.model_copy(update={"redis_url": url})
        services = Services.from_settings(settings)
        threading.Thread(target=keep_requeuing, args=(services, 60), daemon=True).start()
        processes = start_workers(settings, workers)
        folder = DropFolder(
            settings.inbox,
            settings.quarantine,
            lambda data, name: accept(services, data, name, "drop_folder"),
            settings.stable_seconds,
        )
        threading.Thread(
            target=folder.watch, args=(settings.rescan_seconds, settings.polling_watcher), daemon=True
        ).start()
        if exit_when_idle:
            threading.Thread(target=_stop_when_idle, args=(services, settings), daemon=True).start()
        try:
            serve(services, host, port)
        finally:
            stop_workers(processes)


def _stop_when_idle(services: Services, settings: Settings, every: float = 1.0) -> None:
    quiet = 0
    while quiet < 3:  # idle three checks in a row: nothing arriving, nothing in flight
        time.sleep(every)
        quiet = quiet + 1 if _idle(services, settings.inbox) else 0
    os.kill(os.getpid(), signal.SIGTERM)


def _idle(services: Services, inbox: Path) -> bool:
    if any(path.is_file() for path in inbox.glob("*")):
        return False
    with services.sessions() as session:
        busy = session.scalar(select(func.count()).where(Fax.status.in_(("queued", "processing"))))
    return busy == 0


def _exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(0)  # uvicorn re-raises SIGTERM after its shutdown; end cleanly then


@contextmanager
def _nothing():
    yield None
