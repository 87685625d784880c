"""A processed referral fax in a real database and object store, and what the review tests
use to act on it as a signed-in user."""

from __future__ import annotations

import re
from pathlib import Path

from rq import SimpleWorker

from intake.accept import accept
from samples.packets import PacketMaker, save
from storage.models import Fax, FieldRow
from tests.conftest import TODAY
from workers.jobs import WorkerContext

PASSWORD = "correct horse battery"


USERS = {"admin": "admin", "sup": "supervisor", "vera": "va", "victor": "va"}


def referral_fax(folder: Path, seed: int = 5) -> Path:
    """A born-digital referral packet (text layer: no OCR, so it is quick to process)."""
    maker = PacketMaker(seed, "all", TODAY)
    packet = maker.packet("referral")
    packet.format, packet.mode = "born_digital", "fine"
    from rules.engine import load_rules

    return save(maker, packet, folder, load_rules(maker_rules_file()))


def maker_rules_file() -> Path:
    from core.settings import Settings

    return Settings().rules_file


def process_now(services, path: Path, sender: dict | None = None) -> int:
    """Accept a fax and run its jobs in a real rq worker (in this process) until it is ready."""
    WorkerContext.current = WorkerContext(services)
    accepted = accept(services, path.read_bytes(), path.name, "drop_folder", sender)
    SimpleWorker([services.queue], connection=services.redis).work(burst=True)
    WorkerContext.current = None
    return accepted.fax_id


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def field_row(services, fax_id: int, key: str) -> FieldRow | None:
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        return next((f for d in fax.documents for f in d.fields if f.key == key), None)
