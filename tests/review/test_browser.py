"""The review path in a real browser: Debian's chromium driven by Playwright, keyboard only
where a VA would use the keyboard."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright

from review.corrections import Editor
from rules.engine import load_rules
from storage.models import AuditEntry, Fax, utcnow
from tests.helpers.review import PASSWORD, field_row

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = os.environ.get("FAXINTAKE_SCREENSHOTS")  # set to docs/screenshots to refresh them
WRONG_NPI = "1234567890"  # fails the check digit, as an OCR slip would


@pytest.fixture
def server(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: run scripts/bootstrap.sh test")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def misread_fax(services, fax_id) -> tuple[int, str]:
    """The processed referral with its NPI misread; returns the fax id and the true NPI."""
    editor = Editor(services.settings, services.store, load_rules(services.settings.rules_file))
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        npi = next(f for d in fax.documents for f in d.fields if f.key == "referring_npi")
        true_npi, npi.value, npi.extracted_value = npi.value, WRONG_NPI, WRONG_NPI
        npi.error = "NPI check digit is wrong"
        editor.reevaluate(fax)
        fax.received_at = utcnow() - timedelta(hours=5)
        older = Fax(
            sha256="b" * 64,
            original_key="x",
            filename="routine.pdf",
            source="drop_folder",
            status="ready",
            sender={},
            review_state="to_review",
            priority=3,
            received_at=utcnow() - timedelta(hours=30),
        )
        session.add(older)
        session.commit()
    return fax_id, true_npi


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=False)


def sign_in(browser, server: str, username: str):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(server + "/")
    expect(page).to_have_url(server + "/login?next=/")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Review queue")
    return page


def test_a_va_reviews_a_fax_with_the_keyboard(browser, server, services, misread_fax):
    fax_id, true_npi = misread_fax
    login = browser.new_page()
    login.goto(server + "/login")
    shot(login, "login")
    login.close()

    page = sign_in(browser, server, "vera")
    rows = page.locator("#queue tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-href", f"/faxes/{fax_id}")  # error flags before a routine fax
    expect(rows.nth(1)).to_contain_text("overdue")
    shot(page, "queue")

    page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{server}/faxes/{fax_id}")
    expect(page.locator(".flag-row", has_text="invalid_field:referral.referring_npi")).to_be_visible()

    npi = page.locator("input[data-key=referring_npi]")
    npi.focus()
    expect(page.locator(".box").first).to_be_visible()  # the words it was read from, outlined
    _wait_for_images(page)
    shot(page, "item")
    page.keyboard.press("Control+A")
    page.keyboard.type("1234567891")
    page.keyboard.press("Enter")
    expect(page.locator(".field-error")).to_contain_text("check digit")
    npi = page.locator("input[data-key=referring_npi]")
    npi.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(true_npi)
    page.keyboard.press("Enter")
    expect(page.locator(".flag-row", has_text="invalid_field:referral.referring_npi")).to_have_count(0)
    expect(page.locator(".field.confirmed input[data-key=referring_npi]")).to_have_value(true_npi)

    second = sign_in(browser, server, "victor")
    second.goto(f"{server}/faxes/{fax_id}")
    expect(second.get_by_role("alert")).to_contain_text("vera is working on this fax")
    second.close()

    while page.locator(".flag-row.error:not(.resolved)").count():
        page.locator(".flag-row.error:not(.resolved) input[name=note]").first.focus()
        page.keyboard.type("checked with the sender by phone")
        page.keyboard.press("Enter")  # the form's first button: Resolve
        expect(page.locator(".flag-row.resolved").first).to_be_visible()
    page.keyboard.press("Escape")
    page.locator("input.field-input").first.focus()
    page.keyboard.type(" typo")
    page.keyboard.press("Control+Enter")  # an unsaved edit stops the approval
    expect(page.locator("#unsaved")).to_contain_text("Unsaved change")
    expect(page.locator("h1")).not_to_contain_text("Review queue")
    page.keyboard.press("Escape")  # undone
    page.keyboard.press("Control+Enter")
    expect(page.locator("h1")).to_contain_text("Review queue")

    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        assert fax.review_state == "approved"
        actions = [e.action for e in session.query(AuditEntry).filter_by(fax_id=fax_id)]
        assert {"viewed", "field_changed", "flag_resolved", "approved"} <= set(actions)
        assert session.query(AuditEntry).filter_by(action="login", username="vera").count() == 1
    assert field_row(services, fax_id, "referring_npi").corrected
    bundle = json.loads((services.settings.exports / f"fax-{fax_id}" / "bundle.json").read_text())
    practitioner = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Practitioner"
    )
    assert practitioner["identifier"][0]["value"] == true_npi


def test_supervisor_screens_render(browser, server, services, misread_fax):
    page = sign_in(browser, server, "sup")  # the processed referral opened a case
    page.goto(server + "/ops")
    expect(page.locator("h1")).to_contain_text("Ops")
    expect(page.locator("svg").first).to_be_visible()
    shot(page, "ops")
    page.goto(server + "/referrals")
    expect(page.locator("#cases tbody tr").first).to_contain_text("#")
    shot(page, "referrals")
    page.locator("#cases tbody tr a").first.click()
    expect(page.locator("#timeline")).to_contain_text("received")
    shot(page, "case")


def test_a_va_registers_an_outbound_referral_in_the_browser(browser, server, services):
    page = sign_in(browser, server, "vera")
    page.goto(server + "/referrals")
    page.get_by_role("link", name="Register outbound referral").click()
    page.locator("#f-patient_name").fill("Gonzalez, Maria")
    page.locator("#f-patient_dob").fill("03/09/2057")  # in the future: refused
    page.locator("#f-referred_to_specialty").fill("cardiology")
    page.locator("#f-referred_to_specialty").press("Enter")
    expect(page.locator(".field.invalid")).to_contain_text("date of birth")
    page.locator("#f-patient_dob").fill("03/09/1957")
    shot(page, "register")
    page.locator("#f-patient_dob").press("Enter")
    expect(page.locator("h1")).to_contain_text("outbound")
    expect(page.locator(".meta").first).to_contain_text("DOB 1957-03-09")


def _wait_for_images(page, timeout_ms: int = 10_000) -> None:
    """Until every page image has loaded. Polled with `evaluate` (the protocol's, outside the
    page's Content-Security-Policy), as `wait_for_function` compiles its predicate with eval,
    which the app's policy rightly refuses."""
    loaded = "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
    for _ in range(timeout_ms // 100):
        if page.evaluate(loaded):
            return
        page.wait_for_timeout(100)
    raise AssertionError("page images did not load")
