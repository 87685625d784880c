"""A processed referral fax in a real database and object store, and signed-in clients."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from review.accounts import add_user
from review.app import create_app
from storage.models import Fax
from tests.helpers.review import PASSWORD, USERS, csrf_of, process_now, referral_fax


@pytest.fixture
def fax_id(services, tmp_path) -> int:
    fax_id = process_now(services, referral_fax(tmp_path / "in"), {"caller_id": "5125550199"})
    with services.sessions() as session:
        assert session.get(Fax, fax_id).status == "ready"
    return fax_id


@pytest.fixture
def app(services):
    with services.sessions() as session:
        for name, role in USERS.items():
            add_user(session, name, PASSWORD, role)
        session.commit()
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
