"""The drop-folder watcher as `faxintake watch` and `up` run it: the folder wired to `accept`,
with a heartbeat in Redis that readiness and the ops screens read."""

from __future__ import annotations

import threading

from intake.accept import accept
from intake.dropfolder import DropFolder
from storage.liveness import WATCHER, beat
from workers.services import Services


def drop_folder(services: Services) -> DropFolder:
    settings = services.settings
    return DropFolder(
        settings.inbox,
        settings.quarantine,
        lambda data, name: accept(services, data, name, "drop_folder"),
        settings.stable_seconds,
    )


def run_watcher(services: Services, stop: threading.Event | None = None) -> None:
    """Watch the drop folder until `stop` is set; alive for readiness while it passes."""
    settings = services.settings
    lapse = 2 * settings.rescan_seconds + 30  # a pass comes at least every rescan_seconds

    def heartbeat() -> None:
        beat(services.redis, settings.queue_name, WATCHER, lapse)

    drop_folder(services).watch(settings.rescan_seconds, settings.polling_watcher, stop, heartbeat)
