"""Shared fixtures: settings in a temporary data folder, words laid out as a page."""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from core.data import PageText, Word
from core.settings import Settings

TODAY = date(2026, 11, 27)
DATABASE = "faxintake.db"  # in the data folder, where Settings puts SQLite


def pytest_configure(config: pytest.Config) -> None:
    """The suite reads no developer's settings: no FAXINTAKE_* variable, no .env file (in this
    process and the commands it starts, which inherit the environment)."""
    for name in [n for n in os.environ if n.startswith("FAXINTAKE_")]:
        del os.environ[name]
    os.environ["FAXINTAKE_ENV_FILE"] = ""  # for the commands the tests start
    Settings.model_config["env_file"] = None  # for this process, which imported it already
    os.environ["FAXINTAKE_REDIS_URL"] = f"redis://127.0.0.1:6379/{_redis_database()}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first: with xdist, a long test started last would run alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def _redis_database() -> int:
    """A Redis database of this test process's own: tests run in parallel processes (xdist),
    and rq's job ids (fax-1-page-1) are per Redis database, as a deployment's are."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return 1 + int(worker.removeprefix("gw") or 0)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def layout(rows: list[str], number: int = 1, confidence: float = 95.0) -> PageText:
    """A page whose rows are the given strings; a tab in a row is a wide gap between cells.

    Words get boxes as a 10-pixel monospace font would, so layout-aware code sees real
    geometry without running OCR."""
    words: list[Word] = []
    for line, row in enumerate(rows):
        x = 100.0
        top = 100.0 + line * 30
        for cell_index, cell in enumerate(row.split("\t")):
            if cell_index:
                x = max(x + 60, 100 + 400 * cell_index)
            for token in cell.split():
                words.append(Word(token, x, top, len(token) * 10.0, 14.0, confidence, line))
                x += len(token) * 10.0 + 10
    return PageText(number, words, "ocr", confidence, 1700.0, 2200.0)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def services(request: pytest.FixtureRequest, tmp_path: Path):
    """Real services: SQLite and a local object store in tmp, the shared Redis, a queue of our
    own. The database starts as a copy of one migrated once per test process (migrating
    takes a second); a test that asks for `fax_id` finds a processed referral fax in it (see
    tests/review/conftest.py)."""
    if "fax_id" in request.fixturenames:
        shutil.copytree(request.getfixturevalue("processed_referral_data"), tmp_path / "data")
    else:
        (tmp_path / "data").mkdir()
        shutil.copy(request.getfixturevalue("migrated_database"), tmp_path / "data" / DATABASE)
    with services_in(tmp_path, migrated=True) as built:
        yield built


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("migrated")
    with services_in(folder):
        pass
    return folder / "data" / DATABASE


@contextmanager
def services_in(folder: Path, migrated: bool = False) -> Iterator:
    import uuid

    from workers.services import Services

    settings = Settings(
        data_dir=folder / "data",
        queue_name=f"test-{uuid.uuid4().hex[:8]}",
        webhook_secret="s3cret",
        stable_seconds=0.2,
        rescan_seconds=0.5,
        job_retries=1,
    )
    built = Services.from_settings(settings, migrated)
    try:
        yield built
    finally:
        built.queue.empty()
        built.queue.delete(delete_jobs=True)
        built.sessions.kw["bind"].dispose()


@pytest.fixture
def registered_worker(services):
    """One idle worker registered on the queue (not running jobs)."""
    from rq import SimpleWorker

    listening = SimpleWorker([services.queue], connection=services.redis)
    listening.register_birth()
    yield listening
    listening.register_death()


class FhirServer:
    """A FHIR endpoint on 127.0.0.1 that keeps what it is sent; answers 503 while
    `failures_left` lasts."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.failures_left = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if server.failures_left:
                    server.failures_left -= 1
                    self.send_response(503)
                else:
                    server.received.append(json.loads(body))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.http = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}/fhir"


@pytest.fixture
def fhir_server() -> Iterator[FhirServer]:
    server = FhirServer()
    threading.Thread(target=server.http.serve_forever, daemon=True).start()
    yield server
    server.http.shutdown()
