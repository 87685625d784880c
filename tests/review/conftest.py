"""A processed referral fax in a real database and object store, and signed-in clients."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from review.accounts import add_user
from review.app import create_app
from storage.models import Fax
from tests.conftest import DATABASE, services_in
from tests.helpers.review import PASSWORD, USERS, csrf_of, process_now, referral_fax


@pytest.fixture(scope="session")
def processed_referral_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder of services that processed one referral fax, made once per test
    process; `services` copies it for each test that asks for `fax_id` (processing costs
    two seconds, copying a few milliseconds)."""
    folder = tmp_path_factory.mktemp("processed-referral")
    with services_in(folder) as services:
        _add_users(services)
        process_now(services, referral_fax(folder / "in"), {"caller_id": "5125550199"})
    return folder / "data"


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The review tests' empty database holds their users (hashing a password takes 0.2 s)."""
    folder = tmp_path_factory.mktemp("migrated-with-users")
    with services_in(folder) as services:
        _add_users(services)
    return folder / "data" / DATABASE


def _add_users(services) -> None:
    with services.sessions() as session:
        for name, role in USERS.items():
            add_user(session, name, PASSWORD, role)
        session.commit()


@pytest.fixture
def fax_id(services) -> int:
    with services.sessions() as session:
        fax = session.scalars(select(Fax)).one()
        assert fax.status == "ready"
        return fax.id


@pytest.fixture
def app(services):
    return create_app(services)


@pytest.fixture
def login(app):
    """A function giving a TestClient signed in as the named user."""

    def signed_in(username: str) -> TestClient:
        client = TestClient(app)
        page = client.get("/login")
        response = client.post(
            "/login",
            data={"username": username, "password": PASSWORD, "csrf": csrf_of(page.text), "next": "/"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        return client

    return signed_in
