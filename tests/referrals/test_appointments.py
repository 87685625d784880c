"""Appointment confirmations (typed `other`) read for the patient and the visit date."""

from datetime import timedelta

import pytest

from core.settings import Settings
from pipeline.stages import Pipeline
from referrals.appointments import appointment_in
from rules.engine import load_rules
from samples.packets import PacketMaker, save
from tests.conftest import TODAY


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_settings(Settings())


@pytest.fixture(scope="module")
def rules():
    return load_rules(Settings().rules_file)


@pytest.mark.parametrize("seed", [41, 42, 43, 44])
def test_a_generated_confirmation_yields_its_visit_date_and_patient(pipeline, rules, tmp_path, seed):
    maker = PacketMaker(seed, "holdout", TODAY)
    case = maker.synth.case(TODAY)
    maker.synth.case = lambda today: case
    path = save(maker, maker.packet("appointment"), tmp_path / "appointment", rules)
    _, pages = pipeline.read(path)
    found = appointment_in(pages, TODAY)
    assert found is not None and found.visit_date == case.extras["visit_date"]
    assert found.identity["patient_dob"] == case.patient.dob.isoformat()


def test_pages_that_confirm_nothing_are_not_appointments(pipeline, rules, tmp_path):
    maker = PacketMaker(45, "holdout", TODAY)
    path = save(maker, maker.packet("misc"), tmp_path / "misc", rules)
    _, pages = pipeline.read(path)
    assert appointment_in(pages, TODAY) is None
    assert appointment_in(pages, TODAY + timedelta(days=1)) is None


def test_a_past_date_is_not_taken_for_the_visit(pipeline, rules, tmp_path):
    maker = PacketMaker(46, "holdout", TODAY)
    case = maker.synth.case(TODAY)
    maker.synth.case = lambda today: case
    path = save(maker, maker.packet("appointment"), tmp_path / "appointment", rules)
    _, pages = pipeline.read(path)
    assert appointment_in(pages, TODAY + timedelta(days=400)) is None
