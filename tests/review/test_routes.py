"""Every route: who may reach it, CSRF, and what each change does to the database."""

from __future__ import annotations

import io
import json
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from PIL import Image, ImageSequence
from pydantic import ValidationError

from core.settings import Settings
from review import routes_admin, routes_auth, routes_item, routes_ops, routes_queue, routes_referrals
from storage.models import AuditEntry, Fax, ReferralCase, User
from storage.objects import page_key
from tests.helpers.faxes import make_fax
from tests.helpers.review import PASSWORD, csrf_of, field_row, process_now

PUBLIC = {"/login", "/healthz", "/readyz", "/metrics", "/webhooks/fax/{provider}"}
SUPERVISOR_ONLY = {
    ("GET", "/audit"),
    ("GET", "/audit.csv"),
    ("POST", "/faxes/{fax_id}/reassign"),
    ("GET", "/ops"),
    ("POST", "/ops/rerun/{fax_id}"),
}
ADMIN_ONLY = {("GET", "/admin/users"), ("POST", "/admin/users")}


def routes(app) -> list[tuple[str, str]]:
    """Every (method, path) the app serves: its own routes and those of the review routers."""
    found = [r for r in app.routes if isinstance(r, APIRoute)]
    for module in (routes_auth, routes_queue, routes_item, routes_admin, routes_ops, routes_referrals):
        found += module.router.routes
    return [(method, route.path) for route in found for method in route.methods]


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "generic" if m.group(1) == "provider" else "1", path)


def test_a_logged_out_client_reaches_nothing_but_login_health_and_webhooks(app, fax_id):
    client = TestClient(app)
    private = [(m, p) for m, p in routes(app) if p not in PUBLIC]
    assert len(private) >= 15
    for method, path in private:
        response = client.request(method, concrete(path), follow_redirects=False)
        assert response.status_code == 303, (method, path, response.status_code)
        assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize(
    "username,allowed", [("vera", set()), ("sup", SUPERVISOR_ONLY), ("admin", SUPERVISOR_ONLY | ADMIN_ONLY)]
)
def test_roles_gate_supervisor_and_admin_routes(login, fax_id, username, allowed):
    client = login(username)
    csrf = csrf_of(client.get("/").text)
    for method, path in SUPERVISOR_ONLY | ADMIN_ONLY:
        response = client.request(
            method, concrete(path), data={"csrf": csrf, "username": "vera"}, follow_redirects=False
        )
        if (method, path) in allowed:
            assert response.status_code in (200, 303, 422), (method, path)
        else:
            assert response.status_code == 403, (method, path)


def test_a_post_without_the_csrf_token_is_refused(login, fax_id):
    client = login("vera")
    response = client.post(f"/faxes/{fax_id}/approve", data={"csrf": "forged"})
    assert response.status_code == 403
    assert "forged" in response.text or "expired" in response.text


def test_lockout_after_repeated_failures(app, services):
    client = TestClient(app)
    for _ in range(services.settings.lockout_attempts):
        csrf = csrf_of(client.get("/login").text)
        assert (
            client.post("/login", data={"username": "vera", "password": "wrong", "csrf": csrf}).status_code
            == 401
        )
    csrf = csrf_of(client.get("/login").text)
    refused = client.post("/login", data={"username": "vera", "password": PASSWORD, "csrf": csrf})
    assert refused.status_code == 401 and "locked" in refused.text
    with services.sessions() as session:
        assert session.query(User).filter_by(username="vera").one().locked_until is not None
        assert (
            session.query(AuditEntry).filter_by(action="login_failed").count()
            == services.settings.lockout_attempts + 1
        )


def test_login_does_not_redirect_off_site(app):
    client = TestClient(app)
    csrf = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": "vera", "password": PASSWORD, "csrf": csrf, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_the_session_cookie_is_http_only_and_same_site_and_logout_ends_it(app):
    client = TestClient(app)
    csrf = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"username": "vera", "password": PASSWORD, "csrf": csrf}, follow_redirects=False
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    out = client.post("/logout", data={"csrf": csrf_of(client.get("/").text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_correcting_a_field_validates_saves_and_reruns_the_rules(login, services, fax_id):
    client = login("vera")
    page = client.get(f"/faxes/{fax_id}")
    csrf = csrf_of(page.text)
    bad = client.post(
        f"/faxes/{fax_id}/fields",
        data={"csrf": csrf, "document": 0, "key": "patient_dob", "value": "2099-01-01"},
    )
    assert bad.status_code == 422 and "future" in bad.text
    good = client.post(
        f"/faxes/{fax_id}/fields",
        data={"csrf": csrf, "document": 0, "key": "patient_dob", "value": "03/09/1957", "index": 1},
        follow_redirects=False,
    )
    assert good.status_code == 303 and good.headers["location"].endswith("?focus=2")
    row = field_row(services, fax_id, "patient_dob")
    assert (row.value, row.confirmed, row.corrected) == ("1957-03-09", True, True)
    with services.sessions() as session:
        change = session.query(AuditEntry).filter_by(action="field_changed").one()
        assert change.detail["new"] == "1957-03-09" and change.detail["old"] != "1957-03-09"
        assert session.get(Fax, fax_id).patient_dob == "1957-03-09"
        assert session.get(ReferralCase, session.get(Fax, fax_id).case_id).patient_dob == "1957-03-09"


def test_a_missing_required_field_filled_in_clears_its_flag(login, services, fax_id):
    client = login("vera")
    csrf = csrf_of(client.get(f"/faxes/{fax_id}").text)
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        reason = next(f for f in fax.documents[0].fields if f.key == "reason_for_referral")
        session.delete(reason)
        session.commit()
    client.post(
        f"/faxes/{fax_id}/fields", data={"csrf": csrf, "document": 0, "key": "patient_sex", "value": "female"}
    )
    with services.sessions() as session:
        codes = [f.code for f in session.get(Fax, fax_id).flags]
    assert "missing_field:referral.reason_for_referral" in codes
    client.post(
        f"/faxes/{fax_id}/fields",
        data={"csrf": csrf, "document": 0, "key": "reason_for_referral", "value": "Evaluate psoriasis"},
    )
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        assert "missing_field:referral.reason_for_referral" not in [f.code for f in fax.flags]
        assert fax.result["documents"][0]["fields"]["patient_sex"]["value"] == "F"


def test_split_merge_and_page_type_changes(login, services, fax_id):
    client = login("vera")
    csrf = csrf_of(client.get(f"/faxes/{fax_id}").text)
    with services.sessions() as session:
        before = [(d.type, d.pages) for d in session.get(Fax, fax_id).documents]
    assert len(before) == 2
    client.post(f"/faxes/{fax_id}/documents/1/merge", data={"csrf": csrf})
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        assert [(d.type, d.pages) for d in fax.documents] == [(before[0][0], [1, 2])]
        assert fax.result["pages"][1]["type"] == before[0][0]
    client.post(f"/faxes/{fax_id}/pages/2/split", data={"csrf": csrf})
    client.post(f"/faxes/{fax_id}/pages/2/type", data={"csrf": csrf, "type": "clinical_notes"})
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        assert [(d.type, d.pages) for d in fax.documents] == [(before[0][0], [1]), ("clinical_notes", [2])]
        assert "missing_document:clinical_notes" not in [f.code for f in fax.flags]
        actions = {e.action for e in session.query(AuditEntry).filter_by(fax_id=fax_id)}
    assert {"documents_merged", "document_split", "page_type_changed"} <= actions


def test_approval_waits_for_error_flags_and_writes_the_exports(login, services, fax_id):
    client = login("vera")
    csrf = csrf_of(client.get(f"/faxes/{fax_id}").text)
    refused = client.post(f"/faxes/{fax_id}/approve", data={"csrf": csrf})
    assert refused.status_code == 409 and "resolve or acknowledge" in refused.text
    with services.sessions() as session:
        flag_ids = [f.id for f in session.get(Fax, fax_id).flags if f.severity == "error"]
    for flag_id in flag_ids:
        client.post(
            f"/faxes/{fax_id}/flags/{flag_id}",
            data={"csrf": csrf, "resolution": "acknowledged", "note": "ok"},
        )
    assert (
        client.post(f"/faxes/{fax_id}/approve", data={"csrf": csrf}, follow_redirects=False).status_code
        == 303
    )
    folder = services.settings.exports / f"fax-{fax_id}"
    assert (folder / "bundle.json").exists() and (folder / "result.json").exists()
    assert list(services.settings.reviewed.glob("*.truth.json"))
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        case = session.get(ReferralCase, fax.case_id)
        assert case.state == "documentation_complete" and case.patient_dob == fax.patient_dob
        assert case.events[-1].actor == "vera"


def test_request_for_missing_information_makes_a_letter_to_the_sender(login, services, fax_id):
    client = login("vera")
    csrf = csrf_of(client.get(f"/faxes/{fax_id}").text)
    assert (
        client.post(f"/faxes/{fax_id}/request-info", data={"csrf": csrf}, follow_redirects=False).status_code
        == 303
    )
    letter = client.get(f"/faxes/{fax_id}/letter.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    with services.sessions() as session:
        assert session.get(Fax, fax_id).review_state == "awaiting_info"


def test_escalation_needs_a_note_and_lands_with_supervisors(login, services, fax_id):
    client = login("vera")
    csrf = csrf_of(client.get(f"/faxes/{fax_id}").text)
    assert client.post(f"/faxes/{fax_id}/escalate", data={"csrf": csrf, "note": " "}).status_code == 409
    client.post(f"/faxes/{fax_id}/escalate", data={"csrf": csrf, "note": "NPI unreadable"})
    supervisor = login("sup")
    queue = supervisor.get("/?state=escalated").text
    assert f'data-href="/faxes/{fax_id}"' in queue and "NPI unreadable" in queue  # why, at a glance
    assert "Escalated by vera: NPI unreadable" in supervisor.get(f"/faxes/{fax_id}").text


def test_claims_keep_a_second_va_out_until_released_or_reassigned(login, services, fax_id):
    vera, victor, sup = login("vera"), login("victor"), login("sup")
    vera.get(f"/faxes/{fax_id}")
    csrf = csrf_of(victor.get(f"/faxes/{fax_id}").text)
    assert "vera is working on this fax" in victor.get(f"/faxes/{fax_id}").text
    assert victor.post(f"/faxes/{fax_id}/approve", data={"csrf": csrf}).status_code == 409
    assert victor.post(f"/faxes/{fax_id}/release", data={"csrf": csrf}).status_code == 403
    sup_csrf = csrf_of(sup.get("/").text)
    sup.post(f"/faxes/{fax_id}/reassign", data={"csrf": sup_csrf, "username": "victor"})
    assert "is working on this fax" not in victor.get(f"/faxes/{fax_id}").text
    assert "victor" in sup.get("/?assignee=victor").text


def test_queue_search_and_filters(login, fax_id, services):
    client = login("vera")
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        name, dob = fax.patient_name, fax.patient_dob
    href = f'data-href="/faxes/{fax_id}"'
    assert href in client.get("/", params={"search": name.split()[-1].lower()}).text
    assert href in client.get("/", params={"search": dob}).text
    assert href not in client.get("/", params={"search": "nobody-by-that-name"}).text
    assert href in client.get("/", params={"doc_type": "referral"}).text
    assert href not in client.get("/", params={"doc_type": "prior_auth"}).text
    assert href in client.get("/", params={"flag": "missing_document"}).text
    assert href not in client.get("/", params={"state": "approved"}).text


def test_times_show_in_the_clinics_time_zone(login, fax_id, services):
    with services.sessions() as session:
        session.get(Fax, fax_id).received_at = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
        session.commit()
    services.settings.timezone = "America/Chicago"  # UTC-6 in November
    client = login("vera")
    assert "11/27 04:30" in client.get("/").text
    assert "received 2026-11-27 04:30" in client.get(f"/faxes/{fax_id}").text


@pytest.fixture
def server_in_chicago(monkeypatch):
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_without_a_time_zone_the_servers_own_is_used_with_its_daylight_saving(server_in_chicago):
    zone = Settings().zone
    for month, hours in ((1, -6), (7, -5)):  # CST, then CDT
        moment = datetime(2026, month, 15, 12, tzinfo=UTC)
        assert moment.astimezone(zone).utcoffset() == timedelta(hours=hours)


def test_an_unknown_time_zone_is_refused_at_start():
    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings(timezone="Mars/Olympus_Mons")


def test_today_is_the_clinics_date_not_the_servers():
    """UTC+14 and UTC-11 are 25 hours apart: their dates always differ, by one day or two."""
    ahead, behind = Settings(timezone="Pacific/Kiritimati"), Settings(timezone="Pacific/Pago_Pago")
    assert 1 <= (ahead.today() - behind.today()).days <= 2


def test_views_are_audited_and_the_audit_log_filters(login, services, fax_id):
    login("vera").get(f"/faxes/{fax_id}")
    supervisor = login("sup")
    page = supervisor.get("/audit", params={"user": "vera", "action": "viewed"})
    assert page.status_code == 200 and "viewed" in page.text and f'href="/faxes/{fax_id}"' in page.text
    zone = services.settings.timezone or "server time"
    assert f"When ({zone})" in page.text and "(UTC)" not in page.text


def test_the_audit_log_filters_by_the_clinics_days_and_exports_csv(login, services, fax_id):
    client = login("vera")
    csrf = csrf_of(client.get(f"/faxes/{fax_id}").text)
    client.post(f"/faxes/{fax_id}/escalate", data={"csrf": csrf, "note": "<b>NPI</b> unreadable"})
    supervisor = login("sup")
    today = services.settings.today()
    shown = supervisor.get("/audit", params={"action": "escalated", "since": today.isoformat()}).text
    assert "note: &lt;b&gt;NPI&lt;/b&gt; unreadable" in shown and "\\u003c" not in shown  # read as text
    before = (today - timedelta(days=1)).isoformat()
    assert "unreadable" not in supervisor.get("/audit", params={"action": "escalated", "until": before}).text
    exported = supervisor.get("/audit.csv", params={"action": "escalated"})
    assert exported.headers["content-type"].startswith("text/csv")
    lines = exported.text.splitlines()
    assert lines[0] == "when,user,action,fax,detail" and f"vera,escalated,{fax_id}" in lines[1]
    assert login("vera").get("/audit.csv").status_code == 403


def test_an_admin_adds_users(login, services):
    client = login("admin")
    csrf = csrf_of(client.get("/admin/users").text)
    short = client.post(
        "/admin/users", data={"csrf": csrf, "username": "nina", "password": "short", "role": "va"}
    )
    assert short.status_code == 422 and "at least 10" in short.text
    client.post("/admin/users", data={"csrf": csrf, "username": "nina", "password": PASSWORD, "role": "va"})
    with services.sessions() as session:
        assert session.query(User).filter_by(username="nina").one().role == "va"


def test_the_review_image_of_a_turned_page_is_turned_as_ocr_turned_it(services, login, tmp_path):
    path, _ = make_fax(tmp_path, "fax_tiff", "fine", scenario="imaging")
    with Image.open(path) as image:
        frames = [f.copy().rotate(90, expand=True) for f in ImageSequence.Iterator(image)]
    frames[0].save(path, compression="group4", save_all=True, append_images=frames[1:], dpi=(204, 204))
    fax_id = process_now(services, path)
    with services.sessions() as session:
        sha256 = session.get(Fax, fax_id).sha256
    words = json.loads(services.store.get(page_key(sha256, 1)))
    assert words["rotation"] in (90, 270)
    png = Image.open(io.BytesIO(login("vera").get(f"/faxes/{fax_id}/pages/1.png").content))
    assert abs(png.width / png.height - words["width"] / words["height"]) < 0.02  # upright, as the boxes


def test_the_review_image_of_a_page_fed_askew_is_levelled_as_ocr_levelled_it(services, login, tmp_path):
    path, _ = make_fax(tmp_path, "fax_tiff", "fine", scenario="imaging")
    with Image.open(path) as image:
        frames = [f.copy().rotate(3, expand=True, fillcolor=1) for f in ImageSequence.Iterator(image)]
    frames[0].save(path, compression="group4", save_all=True, append_images=frames[1:], dpi=(204, 204))
    fax_id = process_now(services, path)
    with services.sessions() as session:
        sha256 = session.get(Fax, fax_id).sha256
    words = json.loads(services.store.get(page_key(sha256, 1)))
    assert abs(words["skew"]) > 2
    png = Image.open(io.BytesIO(login("vera").get(f"/faxes/{fax_id}/pages/1.png").content))
    assert abs(png.width / png.height - words["width"] / words["height"]) < 0.01  # as the boxes


def test_the_review_screen_takes_page_sizes_from_the_database(login, services, fax_id):
    with services.sessions() as session:
        first, second = session.get(Fax, fax_id).pages[:2]
        for row in (first, second):  # saved by the analyse job
            stored = json.loads(services.store.get(row.text_key))
            assert (row.width, row.height) == (stored["width"], stored["height"])
        first.width, first.height = 1234.0, 5678.0
        second.width = second.height = None  # a row from before sizes were kept
        session.commit()
    page = login("vera").get(f"/faxes/{fax_id}").text
    assert 'data-width="1234.0" data-height="5678.0"' in page
    assert f'data-width="{stored["width"]}" data-height="{stored["height"]}"' in page


def test_bad_form_input_is_refused_with_a_reason(login, services, fax_id):
    client = login("admin")
    csrf = csrf_of(client.get(f"/faxes/{fax_id}").text)
    bogus_type = client.post(f"/faxes/{fax_id}/pages/1/type", data={"csrf": csrf, "type": "poem"})
    assert bogus_type.status_code == 422 and "unknown document type" in bogus_type.text
    no_previous = client.post(f"/faxes/{fax_id}/documents/0/merge", data={"csrf": csrf})
    assert no_previous.status_code == 422 and "no previous document" in no_previous.text
    unknown_key = client.post(
        f"/faxes/{fax_id}/fields", data={"csrf": csrf, "document": 0, "key": "shoe_size", "value": "9"}
    )
    assert unknown_key.status_code == 422 and "has no field shoe_size" in unknown_key.text
    assert (
        client.post(f"/faxes/{fax_id}/fields", data={"csrf": csrf, "document": 9, "key": "mrn"}).status_code
        == 404
    )
    assert client.post(f"/faxes/{fax_id}/flags/999999", data={"csrf": csrf}).status_code == 404
    assert client.post(f"/faxes/{fax_id}/case", data={"csrf": csrf, "case_id": 999999}).status_code == 404
    assert client.post("/faxes/999999/approve", data={"csrf": csrf}).status_code == 404
    bad_role = client.post(
        "/admin/users", data={"csrf": csrf, "username": "x", "password": PASSWORD, "role": "king"}
    )
    assert bad_role.status_code == 422 and "role must be one of" in bad_role.text
    with services.sessions() as session:
        assert [d.pages for d in session.get(Fax, fax_id).documents] == [[1], [2]]  # nothing changed


def test_approval_sends_the_fhir_bundle_in_a_job_not_in_the_request(login, services, fax_id, fhir_server):
    from rq import SimpleWorker

    from workers.jobs import WorkerContext

    services.settings.fhir_base_url = fhir_server.url
    client = login("vera")
    csrf = csrf_of(client.get(f"/faxes/{fax_id}").text)
    with services.sessions() as session:
        for flag in session.get(Fax, fax_id).flags:
            flag.resolved = True
        session.commit()
    approved = client.post(f"/faxes/{fax_id}/approve", data={"csrf": csrf}, follow_redirects=False)
    assert approved.status_code == 303 and fhir_server.received == []  # nobody waited for the EHR
    assert services.queue.fetch_job(f"fax-{fax_id}-fhir") is not None
    WorkerContext.current = WorkerContext(services)
    SimpleWorker([services.queue], connection=services.redis).work(burst=True)
    WorkerContext.current = None
    bundles = [
        b for b in fhir_server.received if any(e["resource"]["resourceType"] == "Patient" for e in b["entry"])
    ]
    assert len(bundles) == 1


def test_the_review_routes_run_off_the_event_loop(app):
    """Plain `def` routes run in FastAPI's thread pool; an `async def` doing the database,
    rules or PDF work would hold up every other user while it ran."""
    import inspect

    blocking = [
        route.path
        for route in app.routes
        if inspect.iscoroutinefunction(getattr(route, "endpoint", None)) and "/webhooks/" not in route.path
    ]
    assert blocking == []


def test_a_fax_that_failed_processing_cannot_be_approved(login, services):
    from intake.accept import accept

    failed = accept(services, b"just some text, not a fax", "note.pdf", "drop_folder").fax_id
    client = login("vera")
    page = client.get(f"/faxes/{failed}").text
    assert "Processing failed" in page and 'id="approve"' not in page and "A supervisor can re-run it" in page
    refused = client.post(f"/faxes/{failed}/approve", data={"csrf": csrf_of(page)})
    assert refused.status_code == 409 and "cannot be approved" in refused.text
    with services.sessions() as session:
        assert session.get(Fax, failed).review_state != "approved"
    assert not list(services.settings.reviewed.glob("*"))  # nothing unreadable becomes training data
    assert "Re-run" in login("sup").get(f"/faxes/{failed}").text


def test_a_file_that_is_no_fax_is_discarded_with_a_reason_and_kept(login, services):
    from intake.accept import accept

    failed = accept(services, b"just some text, not a fax", "note.pdf", "drop_folder").fax_id
    client = login("vera")
    page = client.get(f"/faxes/{failed}").text
    assert 'id="discard-form"' in page
    unsaid = client.post(f"/faxes/{failed}/discard", data={"csrf": csrf_of(page), "reason": " "})
    assert unsaid.status_code == 409 and "say why" in unsaid.text
    done = client.post(
        f"/faxes/{failed}/discard",
        data={"csrf": csrf_of(page), "reason": "a text file, not a fax"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    with services.sessions() as session:
        fax = session.get(Fax, failed)
        assert (fax.review_state, fax.review_note) == ("discarded", "a text file, not a fax")
        assert services.store.get(fax.original_key) == b"just some text, not a fax"  # nothing is lost
        entry = session.query(AuditEntry).filter_by(action="discarded", fax_id=failed).one()
        assert "a text file" in json.dumps(entry.detail)
    assert f"/faxes/{failed}" not in client.get("/").text  # out of the queue
    assert f"/faxes/{failed}" in client.get("/?state=discarded").text
    assert not list(services.settings.reviewed.glob("*"))


def test_an_approved_fax_is_not_run_again(login, services, fax_id):
    with services.sessions() as session:
        session.get(Fax, fax_id).review_state = "approved"
        session.commit()
    supervisor = login("sup")
    csrf = csrf_of(supervisor.get("/ops").text)
    refused = supervisor.post(f"/ops/rerun/{fax_id}", data={"csrf": csrf})
    assert refused.status_code == 409 and "confirmed values" in refused.text
    with services.sessions() as session:
        assert session.get(Fax, fax_id).status == "ready"


def test_every_page_carries_security_headers_and_patient_data_is_never_cached(login, fax_id):
    client = login("vera")
    for path in ("/login", "/", f"/faxes/{fax_id}", f"/faxes/{fax_id}/pages/1.png"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store", path
    assert client.get("/static/review.css").headers.get("cache-control") != "no-store"


def test_bad_input_on_a_fax_is_a_clear_refusal_never_a_server_error(login, fax_id):
    client = login("vera")
    csrf = csrf_of(client.get(f"/faxes/{fax_id}").text)
    no_document = client.post(f"/faxes/{fax_id}/fields", data={"csrf": csrf, "document": "abc", "key": "x"})
    assert no_document.status_code == 404
    for action in ("type", "split"):
        refused = client.post(f"/faxes/{fax_id}/pages/99/{action}", data={"csrf": csrf, "type": "referral"})
        assert refused.status_code == 422 and "no page 99" in refused.text
    for number in (0, -1, 99):
        assert client.get(f"/faxes/{fax_id}/pages/{number}.png").status_code == 404


def test_the_queue_names_flags_in_words(login, services, fax_id):
    from review.flag_names import flag_name

    with services.sessions() as session:
        codes = [f.code for f in session.get(Fax, fax_id).flags if not f.resolved]
    queue = login("vera").get("/").text
    assert codes and all(flag_name(code) in queue and f">{code}<" not in queue for code in codes)


def test_the_original_fax_can_be_viewed_and_a_file_that_is_no_fax_only_downloaded(login, services, fax_id):
    from intake.accept import accept

    client = login("vera")
    original = client.get(f"/faxes/{fax_id}/original")
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        assert original.content == services.store.get(fax.original_key)
        assert session.query(AuditEntry).filter_by(action="original_viewed", fax_id=fax_id).count() == 1
    assert original.headers["content-type"] in ("application/pdf", "image/tiff")
    assert original.headers["content-disposition"].startswith("inline")
    junk = accept(services, b"<html><script>alert(1)</script>", "note.pdf", "drop_folder").fax_id
    download = client.get(f"/faxes/{junk}/original")
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"].startswith("attachment")


def test_the_queue_pages_past_two_hundred_faxes(login, services):
    with services.sessions() as session:
        for n in range(205):
            session.add(
                Fax(
                    sha256=f"{n:064d}",
                    original_key="k",
                    filename=f"f{n}.pdf",
                    source="drop_folder",
                    status="ready",
                    sender={},
                    review_state="to_review",
                )
            )
        session.commit()
    client = login("vera")
    first = client.get("/").text
    assert first.count('data-href="/faxes/') == 200 and 'id="next-page"' in first
    second = client.get("/", params={"page": 2}).text
    assert second.count('data-href="/faxes/') >= 5 and 'id="previous-page"' in second
    assert 'id="next-page"' not in second
