"""`faxintake up` on a machine with no Redis configured: a private redis-server child, workers,
the watcher and the web app, all from one command."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from storage.db import make_engine, sessions
from storage.models import Fax
from tests.helpers.faxes import make_fax, patient_data


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_up_takes_a_dropped_fax_to_ready(tmp_path):
    data, port = tmp_path / "data", _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAXINTAKE_")}
    env.update(FAXINTAKE_DATA_DIR=str(data), FAXINTAKE_STABLE_SECONDS="0.5")
    log = (tmp_path / "up.log").open("w")
    up = subprocess.Popen(
        [sys.executable, "-m", "faxintake.cli", "up", "--workers", "1", "--port", str(port)],
        env=env,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        path, truth = make_fax(tmp_path, "born_digital", "fine")
        shutil.copy(path, data / "inbox" / path.name)
        session_factory = sessions(make_engine(f"sqlite:///{data / 'faxintake.db'}"))
        status = None
        while time.monotonic() < deadline + 60 and status != "ready":
            with session_factory() as session:
                status = session.scalar(select(Fax.status))
            time.sleep(0.3)
        assert status == "ready"
        assert (data / "redis" / "redis.sock").exists()  # the private Redis child
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics").text
        assert (
            'faxintake_faxes_received_total{source="drop_folder",status="queued"} 1.0' in metrics
        )  # web process
        assert 'faxintake_pages_processed_total{text_source="text_layer"}' in metrics  # worker process
        assert 'faxintake_stage_seconds_count{stage="classify"} 1.0' in metrics
        assert "faxintake_review_backlog" in metrics and "faxintake_workers" in metrics
    finally:
        up.terminate()
        up.wait(timeout=30)
    time.sleep(0.5)
    leftover = subprocess.run(["pgrep", "-f", str(data / "redis" / "redis.sock")], capture_output=True)
    assert leftover.returncode == 1  # the private Redis went with it
    log.close()
    assert_json_lines_without_patient_data((tmp_path / "up.log").read_text(), truth)


def assert_json_lines_without_patient_data(text: str, truth: dict) -> None:
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert lines and all({"fax_id", "stage", "msg"} <= line.keys() for line in lines)
    assert any(line["fax_id"] == 1 and line["stage"] == "analyse" for line in lines)
    for secret in patient_data(truth):
        assert secret.lower() not in text.lower(), "patient data in the logs"


def _ready(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return False


def _status(env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "faxintake.cli", "status", "--json"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
def test_up_replaces_a_dead_worker_and_its_redis_dies_with_it(tmp_path):
    from tests.helpers.processes import descendants

    data, port = tmp_path / "data", _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAXINTAKE_")}
    env.update(FAXINTAKE_DATA_DIR=str(data))
    up = subprocess.Popen(
        [sys.executable, "-m", "faxintake.cli", "up", "--workers", "1", "--port", str(port)],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _ready(port, 90)
        (first,) = _status(env)["workers"]  # status finds up's private Redis by itself
        workers = [
            p for p in descendants(up.pid) if "redis-server" not in Path(f"/proc/{p}/cmdline").read_text()
        ]
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 60
        names = []
        while time.monotonic() < deadline and not [n for n in names if n != first["name"]]:
            time.sleep(1)
            names = [w["name"] for w in _status(env)["workers"]]
        assert [n for n in names if n != first["name"]], "the dead worker was not replaced"
        assert _ready(port, 30)
        children = descendants(up.pid)
    finally:
        up.kill()  # SIGKILL: no chance to clean up
        up.wait(timeout=10)
    deadline = time.monotonic() + 20  # a worker told to stop finishes its wait for a job first
    while time.monotonic() < deadline and [pid for pid in children if Path(f"/proc/{pid}").exists()]:
        time.sleep(0.5)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()], "children outlived up"
