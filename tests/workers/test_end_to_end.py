"""Real Redis, real rq worker processes, the drop folder and a webhook: nothing lost, nothing twice."""

import shutil
import threading
import time
from pathlib import Path

import jsonschema
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from intake.accept import accept
from intake.dropfolder import DropFolder
from review.app import create_app
from storage.models import Task
from storage.objects import page_key
from tests.helpers.faxes import SCHEMA, make_fax
from tests.helpers.gateways import multipart, signed
from tests.helpers.processes import start_workers, wait_until_settled

GOOD, SLOW, DUPLICATES, CORRUPT = 20, 2, 3, 2


def _write_slowly(path: Path, data: bytes, chunks: int = 5) -> None:
    step = len(data) // chunks + 1
    with path.open("wb") as fh:
        for i in range(0, len(data), step):
            fh.write(data[i : i + step])
            fh.flush()
            time.sleep(0.3)


@pytest.mark.slow
def test_thirty_files_and_webhooks_processed_exactly_once(tmp_path, services):
    sources = [
        make_fax(
            tmp_path / f"made-{i}",
            "born_digital" if i % 10 else "fax_tiff",  # three scanned, one of them written slowly
            "fine",
            seed=100 + i,
        )[0]
        for i in range(GOOD + SLOW)
    ]
    client = TestClient(create_app(services))
    gateway_fax = make_fax(tmp_path / "gw", "born_digital", "fine", seed=999)[0]
    body, content_type = multipart(gateway_fax.read_bytes(), "gw-1")
    inbox = services.settings.inbox
    folder = DropFolder(
        inbox,
        services.settings.quarantine,
        lambda data, name: accept(services, data, name, "drop_folder"),
        quiet_seconds=2,
    )
    stop = threading.Event()
    watcher = threading.Thread(target=folder.watch, args=(0.5,), kwargs={"stop": stop})
    watcher.start()
    workers = start_workers(services, 2)
    try:
        for i, path in enumerate(sources[:GOOD]):
            shutil.copy(path, inbox / f"fax{i:03d}{path.suffix}")
        slow = [
            threading.Thread(target=_write_slowly, args=(inbox / f"slow{i}{p.suffix}", p.read_bytes()))
            for i, p in enumerate(sources[GOOD:])
        ]
        for thread in slow:
            thread.start()
        for i, path in enumerate(sources[:DUPLICATES]):
            shutil.copy(path, inbox / f"resent-{i}{path.suffix}")
        (inbox / "junk.pdf").write_bytes(b"this is not a fax")
        (inbox / "cut.pdf").write_bytes(sources[1].read_bytes()[:500])
        for _ in range(3):  # a gateway retrying
            assert (
                client.post(
                    "/webhooks/fax/generic",
                    content=body,
                    headers={"Content-Type": content_type, **signed(body)},
                ).status_code
                == 200
            )
        forged = client.post(
            "/webhooks/fax/generic",
            content=body,
            headers={"Content-Type": content_type, **signed(body, secret="nope")},
        )
        assert forged.status_code == 401
        for thread in slow:
            thread.join()
        expected = GOOD + SLOW + DUPLICATES + CORRUPT + 1
        faxes = wait_until_settled(services, expected)
    finally:
        stop.set()
        watcher.join()
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
    statuses = [f.status for f in faxes]
    assert len(faxes) == expected
    assert statuses.count("ready") == GOOD + SLOW + 1
    assert statuses.count("duplicate") == DUPLICATES
    assert statuses.count("failed") == CORRUPT
    assert [p.name for p in inbox.rglob("*") if p.is_file()] == []  # none waiting, none left claimed
    reasons = sorted(p.read_text() for p in services.settings.quarantine.glob("*.reason.txt"))
    assert len(reasons) == CORRUPT and all(r.strip() for r in reasons)
    for fax in faxes:
        if fax.status == "ready":
            jsonschema.validate(fax.result, SCHEMA)
            assert fax.result["page_count"] == fax.page_count
            assert all(services.store.exists(page_key(fax.sha256, p["page"])) for p in fax.result["pages"])
    with services.sessions() as session:
        tasks = session.scalars(select(Task)).all()
    finished = [t for t in tasks if t.status == "finished"]
    assert finished and all(t.run_seconds is not None and t.wait_seconds is not None for t in finished)
    assert all(t.attempts == 1 for t in finished)  # nothing processed twice
