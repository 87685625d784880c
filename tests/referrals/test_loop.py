"""A referral, its authorization approval and the consult report go through the workers:
the case closes with no VA touching it; an ambiguous fax waits in the review queue."""

from dataclasses import replace

from rules.engine import load_rules
from samples.packets import PacketMaker, save
from storage.models import Fax, ReferralCase
from tests.conftest import TODAY
from tests.helpers.review import process_now


def same_patient_faxes(folder, seed: int = 31, auth_status: str = "approved") -> dict:
    maker = PacketMaker(seed, "all", TODAY)
    patient_case = replace(maker.synth.case(TODAY), auth_status=auth_status)
    maker.synth.case = lambda today: patient_case
    rules = load_rules(maker_rules())
    paths = {}
    for scenario in ("referral", "prior_auth", "appointment", "consult"):
        packet = maker.packet(scenario)
        packet.format, packet.mode = "born_digital", "fine"
        paths[scenario] = save(maker, packet, folder / scenario, rules)
    paths["visit_date"] = patient_case.extras["visit_date"]
    return paths


def maker_rules():
    from core.settings import Settings

    return Settings().rules_file


def test_the_loop_closes_without_a_va(services, tmp_path):
    faxes = same_patient_faxes(tmp_path)
    referral = process_now(services, faxes["referral"])
    with services.sessions() as session:
        assert session.query(ReferralCase).one().state in ("received", "documentation_complete")
    approval = process_now(services, faxes["prior_auth"])
    booked = process_now(services, faxes["appointment"])
    with services.sessions() as session:
        assert session.query(ReferralCase).one().visit_date == faxes["visit_date"]
    report = process_now(services, faxes["consult"])
    with services.sessions() as session:
        case = session.query(ReferralCase).one()
        assert case.state == "closed"
        states = [e.to_state for e in case.events if e.kind == "transition"]
        assert states[-4:] == ["authorized", "scheduled", "seen", "closed"]
        faxes_of_case = {referral, approval, booked, report}
        assert {e.fax_id for e in case.events} >= faxes_of_case
        assert all(session.get(Fax, f).case_id == case.id for f in faxes_of_case)


def test_an_ambiguous_fax_asks_the_va_which_case(services, tmp_path):
    faxes = same_patient_faxes(tmp_path, seed=32)
    with services.sessions() as session:
        name = None
        for path in [faxes["consult"]]:
            import json

            truth = json.loads(path.with_suffix("").with_suffix(".truth.json").read_text())
            name = next(
                d["fields"]["patient_name"]["value"]
                for d in truth["documents"]
                if "patient_name" in d["fields"]
            )
        for _ in range(2):
            session.add(
                ReferralCase(
                    state="authorized",
                    patient_name=name,
                    urgency="routine",
                    diagnosis_codes=[],
                    procedure_codes=[],
                )
            )
        session.commit()
    fax_id = process_now(services, faxes["consult"])
    with services.sessions() as session:
        fax = session.get(Fax, fax_id)
        assert fax.review_state == "which_case" and fax.case_id is None
        assert len(fax.case_candidates) == 2 and "name" in fax.case_candidates[0]["reason"]
        assert {c.state for c in session.query(ReferralCase)} == {"authorized"}  # nothing moved


def test_a_denial_puts_the_payers_reason_on_the_case(services, tmp_path):
    faxes = same_patient_faxes(tmp_path, seed=33, auth_status="denied")
    process_now(services, faxes["referral"])
    process_now(services, faxes["prior_auth"])
    with services.sessions() as session:
        case = session.query(ReferralCase).one()
        assert case.state == "denied"
        tasks = [e.note for e in case.events if e.kind == "task"]
        assert any("does not meet medical necessity" in note for note in tasks)
