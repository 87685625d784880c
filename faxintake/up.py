"""`faxintake up`: everything on one machine: Redis (a private child if none is configured),
workers, the drop-folder watcher, the recovery sweep and the web app. Each part is supervised:
a worker that exits is replaced, and a watcher or sweep that ends is started again."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import func, select

from core.lifecycle import die_with_parent
from core.settings import Settings
from core.states import IN_FLIGHT
from intake.watching import run_watcher
from review.app import serve
from storage.models import Fax
from workers.queue import keep_requeuing
from workers.runner import supervise_workers
from workers.services import Services

log = logging.getLogger("faxintake.up")
RESTART_SECONDS = 5.0


@contextmanager
def private_redis(socket: Path) -> Iterator[str]:
    """A redis-server child on a unix socket in the data folder, for as long as we run; it
    dies with us, even if we are killed outright."""
    if not shutil.which("redis-server"):
        raise FileNotFoundError(
            "redis-server is not installed (apt-get install redis-server) and no REDIS_URL is set"
        )
    folder = socket.parent.resolve()  # redis-server changes into --dir; keep the socket where it is
    folder.mkdir(parents=True, exist_ok=True)
    socket = folder / socket.name
    command = ["redis-server", "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700"]
    command += ["--dir", str(folder), "--appendonly", "yes", "--save", ""]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, preexec_fn=die_with_parent)
    try:
        for _ in range(100):
            if socket.exists():
                break
            time.sleep(0.05)
        yield f"unix://{socket}"
    finally:
        child.terminate()
        child.wait(timeout=10)
        socket.unlink(missing_ok=True)


def up(settings: Settings, workers: int, host: str, port: int, exit_when_idle: bool = False) -> None:
    """Run until SIGTERM; with `exit_when_idle`, stop once the drop folder is empty and every
    fax taken from it is processed (the README's main command uses that)."""
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    own_redis = "FAXINTAKE_REDIS_URL" not in os.environ
    with private_redis(settings.private_redis_socket) if own_redis else nullcontext() as url:
        if url:
            settings = settings.model_copy(update={"redis_url": url})
        services = Services.from_settings(settings)
        stopping = threading.Event()
        parts: dict[str, Callable[[], None]] = {
            "workers": lambda: supervise_workers(settings, workers, stopping),
            "watcher": lambda: run_watcher(services, stopping),
            "sweep": lambda: keep_requeuing(services, stopping),
        }
        threads = [_start(name, part, stopping) for name, part in parts.items()]
        if exit_when_idle:
            threading.Thread(target=_stop_when_idle, args=(services, settings), daemon=True).start()
        try:
            serve(services, host, port)
        finally:
            stopping.set()
            for thread in threads:
                thread.join(timeout=40)


def _start(name: str, part: Callable[[], None], stopping: threading.Event) -> threading.Thread:
    thread = threading.Thread(target=keep_running, args=(name, part, stopping), name=name, daemon=True)
    thread.start()
    return thread


def keep_running(name: str, part: Callable[[], None], stopping: threading.Event) -> None:
    """Run `part` until `stopping` is set, starting it again whenever it ends or raises."""
    while not stopping.is_set():
        try:
            part()
        except Exception as exc:  # noqa: BLE001 - logged by type; the part is started again
            log.error("part of up stopped; restarting", extra={"part": name, "error": type(exc).__name__})
        if not stopping.is_set():
            stopping.wait(RESTART_SECONDS)


def _stop_when_idle(services: Services, settings: Settings, every: float = 1.0) -> None:
    quiet = 0
    while quiet < 3:  # idle three checks in a row: nothing arriving, nothing in flight
        time.sleep(every)
        quiet = quiet + 1 if _idle(services, settings.inbox) else 0
    os.kill(os.getpid(), signal.SIGTERM)


def _idle(services: Services, inbox: Path) -> bool:
    if any(path.is_file() for path in inbox.rglob("*")):  # waiting, or claimed and not yet taken
        return False
    with services.sessions() as session:
        busy = session.scalar(select(func.count()).where(Fax.status.in_(IN_FLIGHT)))
    return busy == 0


def _exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(0)  # uvicorn re-raises SIGTERM after its shutdown; end cleanly then
