"""Outages: Redis down when a fax arrives, a worker killed mid-job, the HylaFAX hook re-run."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from redis import Redis
from rq import Worker
from sqlalchemy import select

from core.settings import Settings
from intake.accept import accept
from storage.models import Fax
from tests.helpers.faxes import make_fax
from tests.helpers.processes import descendants, env_for, free_port, run_cli, wait_until_settled, work_here
from workers.services import Services


class PrivateRedis:
    """A redis-server of the test's own on a free port: the shared one is never stopped."""

    def __init__(self, folder: Path) -> None:
        self.port, self.folder, self.process = free_port(), folder, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                Redis.from_url(self.url).ping()
                return
            except Exception:  # noqa: BLE001
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    server = PrivateRedis(tmp_path / "redis")
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def _services(tmp_path: Path, redis_url: str) -> Services:
    return Services.from_settings(
        Settings(
            data_dir=tmp_path / "data",
            redis_url=redis_url,
            queue_name=f"t-{uuid.uuid4().hex[:6]}",
            job_retries=1,
        )
    )


@pytest.mark.slow
def test_a_fax_arriving_while_redis_is_down_is_queued_once_it_is_back(tmp_path, redis_server):
    from workers.queue import requeue

    services = _services(tmp_path, redis_server.url)
    path, _ = make_fax(tmp_path, "born_digital", "fine")
    redis_server.stop()
    accepted = accept(services, path.read_bytes(), path.name, "drop_folder")
    assert accepted.status == "queued"  # stored and recorded; only the queue is missing
    redis_server.start()
    assert requeue(services) == [accepted.fax_id]
    assert requeue(services) == []  # its job is live now: not queued twice
    worker = run_cli(services, "worker", "--burst")
    assert worker.wait(timeout=120) == 0
    assert [f.status for f in wait_until_settled(services, 1, timeout=30)] == ["ready"]


def _page_job_running(services: Services, fax_id: int) -> bool:
    from workers.queue import _fax_jobs

    jobs = _fax_jobs(services, fax_id)
    return any(j.id.split("-")[2] == "page" and j.get_status() == "started" for j in jobs)


@pytest.mark.slow
def test_hylafax_hook_keeps_the_caller_id_and_ignores_a_rerun(tmp_path, services):
    path, _ = make_fax(tmp_path, "fax_tiff", "standard", seed=8)
    args = ["hylafax-rcvd", str(path), "ttyS0", "000000123", "", "5125550199", "WESTSIDE FAMILY MED"]
    first = run_cli(services, *args, stdout=subprocess.PIPE, text=True).communicate(timeout=60)[0]
    again = run_cli(services, *args, stdout=subprocess.PIPE, text=True).communicate(timeout=60)[0]
    assert "queued" in first and "known" in again
    with services.sessions() as session:
        fax = session.scalars(select(Fax)).one()
    assert fax.source == "hylafax" and fax.provider_fax_id == "000000123"
    assert fax.sender == {
        "device": "ttyS0",
        "commid": "000000123",
        "caller_id": "5125550199",
        "caller_name": "WESTSIDE FAMILY MED",
    }


@pytest.mark.slow
def test_redis_restarted_mid_run_loses_no_fax(tmp_path, redis_server):
    from workers.queue import requeue

    services = _services(tmp_path, redis_server.url)
    faxes = [
        make_fax(tmp_path / f"f{i}", "fax_tiff" if i == 0 else "born_digital", "fine", seed=40 + i)[0]
        for i in range(5)
    ]
    ids = [accept(services, p.read_bytes(), p.name, "drop_folder").fax_id for p in faxes]
    worker = run_cli(services, "worker", stale=6)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with services.sessions() as session:
                if session.scalars(select(Fax).where(Fax.status == "ready")).first():
                    break
            time.sleep(0.2)
        redis_server.stop()
        time.sleep(1)
        redis_server.start()  # same port, its append-only file replayed
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            requeue(services, stale_after=6)  # as the sweeps of `worker`, `watch` and `up` do
            with services.sessions() as session:
                statuses = session.scalars(select(Fax.status).order_by(Fax.id)).all()
            if all(s == "ready" for s in statuses):
                break
            time.sleep(2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert statuses == ["ready"] * len(ids)


def test_hylafax_hook_with_an_unreadable_or_missing_file(tmp_path, services):
    junk = tmp_path / "fax000000124.tif"
    junk.write_bytes(b"II*\x00 not really a tiff")
    done = run_cli(
        services,
        "hylafax-rcvd",
        str(junk),
        "ttyS0",
        "000000124",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, _ = done.communicate(timeout=60)
    assert done.returncode == 2 and "failed" in out
    with services.sessions() as session:
        fax = session.scalars(select(Fax)).one()
    assert fax.status == "failed" and fax.error and services.store.exists(fax.original_key)
    missing = run_cli(
        services,
        "hylafax-rcvd",
        str(tmp_path / "gone.tif"),
        "ttyS0",
        "125",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, err = missing.communicate(timeout=60)
    assert missing.returncode == 2 and "no such file" in err and "Traceback" not in err


@pytest.mark.slow
def test_hylafax_hook_records_a_second_fax_under_a_reused_communication_id(tmp_path, services):
    first, _ = make_fax(tmp_path / "a", "fax_tiff", "fine", seed=1)
    second, _ = make_fax(tmp_path / "b", "fax_tiff", "fine", seed=2)
    for path in (first, second, second):
        done = run_cli(
            services, "hylafax-rcvd", str(path), "ttyIAX1", "000200", stdout=subprocess.PIPE, text=True
        )
        assert done.wait(timeout=60) == 0
    with services.sessions() as session:
        faxes = session.scalars(select(Fax).order_by(Fax.id)).all()
    assert [f.sha256 for f in faxes] == [_sha256(first), _sha256(second)]


@pytest.mark.slow
def test_hylafax_hook_with_a_store_that_is_down_says_so_in_one_line(tmp_path, services):
    path, _ = make_fax(tmp_path, "fax_tiff", "fine")
    env = {**env_for(services), "FAXINTAKE_OBJECT_STORE": "s3", "FAXINTAKE_S3_ENDPOINT": "127.0.0.1:9"}
    done = subprocess.run(
        [sys.executable, "-m", "faxintake.cli", "hylafax-rcvd", str(path), "ttyS0", "301"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 75 and "Traceback" not in done.stderr
    assert "could not store" in done.stderr.strip().splitlines()[-1]


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_a_redis_outage_is_logged_as_json_lines_only(tmp_path, redis_server):
    services = _services(tmp_path, redis_server.url)
    worker = run_cli(services, "worker", "--count", "1", stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Worker.count(queue=services.queue):
        time.sleep(0.2)  # listening, its scheduler started
    time.sleep(1)
    redis_server.stop()
    time.sleep(4)
    redis_server.start()
    time.sleep(2)
    worker.terminate()
    _, err = worker.communicate(timeout=60)
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines, "the outage was not logged at all"
    for line in lines:
        json.loads(line)  # raises on a raw traceback line


def test_an_outage_longer_than_the_retries_holds_the_fax_and_the_sweep_takes_it_back(tmp_path, services):
    from storage.outages import held, release
    from workers.queue import requeue

    services.settings = services.settings.model_copy(update={"job_retries": 0})
    path, _ = make_fax(tmp_path, "born_digital", "fine")
    accepted = accept(services, path.read_bytes(), path.name, "drop_folder")
    with services.sessions() as session:
        original = Path(
            services.settings.data_dir / "objects" / session.get(Fax, accepted.fax_id).original_key
        )
    hidden = original.with_name("away")
    original.rename(hidden)  # the store "down": the original cannot be fetched
    work_here(services)
    with services.sessions() as session:
        fax = session.get(Fax, accepted.fax_id)
        assert fax.status == "processing" and "waiting for a backend" in fax.error
    assert held(services.redis, services.queue.name, accepted.fax_id)
    assert requeue(services) == []  # held: not before its backoff
    hidden.rename(original)  # the store is back; the hold lapses
    services.redis.delete(f"faxintake:outage:{services.queue.name}:{accepted.fax_id}:held")
    assert requeue(services) == [accepted.fax_id]
    work_here(services)
    assert [f.status for f in wait_until_settled(services, 1, timeout=30)] == ["ready"]
    release(services.redis, services.queue.name, accepted.fax_id)


@pytest.mark.slow
def test_a_killed_worker_is_replaced_and_its_fax_queued_again_with_no_other_process(tmp_path, redis_server):
    """Only `faxintake worker` runs (no watch, no up): its supervisor replaces the killed worker
    and its sweep queues the fax again within one and a half stale limits."""
    services = _services(tmp_path, redis_server.url)
    stale = 4.0
    path, _ = make_fax(tmp_path, "fax_tiff", "fine", scenario="referral", seed=21)
    accepted = accept(services, path.read_bytes(), path.name, "drop_folder")
    supervisor = run_cli(services, "worker", "--count", "1", stale=stale)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not _page_job_running(services, accepted.fax_id):
            time.sleep(0.05)
        for pid in descendants(supervisor.pid):  # the worker (and its scheduler), mid-OCR
            os.kill(pid, signal.SIGKILL)
        killed = time.monotonic()
        faxes = wait_until_settled(services, 1, timeout=120)
        assert faxes[0].status == "ready" and faxes[0].result["page_count"] == faxes[0].page_count
        with services.sessions() as session:
            stages = {t.stage: t.status for t in session.get(Fax, accepted.fax_id).tasks}
        assert stages["prepare"] == "finished"  # queued again by the sweep (intake needs no prepare)
        assert set(stages.values()) == {"finished"}
        assert time.monotonic() - killed < 1.5 * stale + 60  # recovery plus reading the fax
    finally:
        supervisor.terminate()
        supervisor.wait(timeout=30)
