from datetime import timedelta

from storage.models import AuditEntry, Fax, ReferralCase, utcnow
from tests.helpers.review import csrf_of


def open_case(services, **values) -> int:
    with services.sessions() as session:
        case = ReferralCase(
            state="authorization_pending",
            urgency="routine",
            patient_name="Maria Gonzalez",
            patient_dob="1957-03-09",
            diagnosis_codes=[],
            procedure_codes=[],
            state_since=utcnow() - timedelta(days=10),
            **values,
        )
        session.add(case)
        session.commit()
        return case.id


def test_the_worklist_puts_overdue_cases_first_and_searches(login, services):
    late = open_case(services)
    later = open_case(services, referring_fax="5125550100")
    with services.sessions() as session:
        session.get(ReferralCase, later).state_since = utcnow()
        session.commit()
    client = login("vera")
    page = client.get("/referrals").text
    assert page.index(f'href="/referrals/{late}"') < page.index(f'href="/referrals/{later}"')
    assert "overdue" in page and "Call the payer" in page
    assert f"/referrals/{late}" in client.get("/referrals", params={"search": "gonzalez"}).text
    assert f"/referrals/{late}" not in client.get("/referrals", params={"search": "nobody"}).text


def test_follow_ups_and_state_changes_land_on_the_timeline(login, services):
    case_id = open_case(services)
    client = login("vera")
    csrf = csrf_of(client.get(f"/referrals/{case_id}").text)
    client.post(
        f"/referrals/{case_id}/follow-up", data={"csrf": csrf, "kind": "called", "note": "payer says 2 days"}
    )
    client.post(f"/referrals/{case_id}/state", data={"csrf": csrf, "state": "authorized", "note": "by phone"})
    assert (
        client.post(f"/referrals/{case_id}/state", data={"csrf": csrf, "state": "closed"}).status_code == 409
    )
    with services.sessions() as session:
        case = session.get(ReferralCase, case_id)
        assert case.state == "authorized"
        kinds = [(e.kind, e.actor, e.note) for e in case.events]
        assert ("follow_up", "vera", "called: payer says 2 days") in kinds
        assert session.query(AuditEntry).filter_by(action="case_state_changed").count() == 1
    assert "payer says 2 days" in client.get(f"/referrals/{case_id}").text


def test_a_va_answers_which_case_a_fax_belongs_to(login, services, fax_id):
    case_id = open_case(services)
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        fax.case_candidates, fax.review_state = (
            [{"case_id": case_id, "score": 0.7, "reason": "name 100%"}],
            "which_case",
        )
        session.commit()
    client = login("vera")
    assert f'data-href="/faxes/{fax_id}"' in client.get("/", params={"state": "which_case"}).text
    page = client.get(f"/faxes/{fax_id}")
    assert "Which referral case is this?" in page.text
    client.post(f"/faxes/{fax_id}/case", data={"csrf": csrf_of(page.text), "case_id": case_id})
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        assert (fax.case_id, fax.case_candidates, fax.review_state) == (case_id, None, "to_review")
        assert session.query(AuditEntry).filter_by(action="case_chosen", fax_id=fax_id).count() == 1


def test_letters_figures_and_fhir_for_a_case(login, services):
    case_id = open_case(
        services, referring_provider="David Chen, MD", referring_fax="5125550100", payer="Aetna"
    )
    client = login("vera")
    for kind in ("status", "consult-request"):
        pdf = client.get(f"/referrals/{case_id}/letters/{kind}.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/referrals/{case_id}/letters/poem.pdf").status_code == 404
    bundle = client.get(f"/referrals/{case_id}/fhir.json").json()
    kinds = {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}
    assert (
        kinds["Task"]["status"] == "in-progress"
        and kinds["Task"]["businessStatus"]["text"] == "authorization pending"
    )
    figures = client.get("/referrals/figures.csv").text
    assert "cases_opened,,1" in figures and "overdue,,1" in figures
    metrics = client.get("/metrics").text
    assert 'faxintake_referral_cases{state="authorization_pending"} 1.0' in metrics


def test_scheduling_by_hand_takes_the_visit_date_and_warns_when_the_authorization_ends_first(login, services):
    case_id = open_case(services, auth_valid_to="2099-01-31")
    client = login("vera")
    csrf = csrf_of(client.get(f"/referrals/{case_id}").text)
    client.post(f"/referrals/{case_id}/state", data={"csrf": csrf, "state": "authorized"})
    reply = client.post(
        f"/referrals/{case_id}/state", data={"csrf": csrf, "state": "scheduled", "visit_date": "2099-02-14"}
    )
    assert reply.status_code == 200  # followed to the case page
    assert "Visit booked for <b>2099-02-14</b>" in reply.text
    assert "authorization ends 2099-01-31, before the visit on 2099-02-14" in reply.text
    with services.sessions() as session:
        assert session.get(ReferralCase, case_id).state == "needs_attention"
    bad = client.post(
        f"/referrals/{case_id}/state", data={"csrf": csrf, "state": "scheduled", "visit_date": "next week"}
    )
    assert bad.status_code == 422
