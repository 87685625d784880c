import pytest

from referrals.matching import CONFIDENT, POSSIBLE, best_matches, name_similarity, same_id, score
from storage.models import ReferralCase


@pytest.mark.parametrize(
    "a,b",
    [
        ("GONZALEZ, MARIA L", "Maria L. Gonzalez"),  # order and case
        ("M. Gonzalez", "Maria Gonzalez"),  # an initial
        ("Mary O'Neil", "ONEIL, MARY"),  # apostrophe
        ("Anne-Marie Lee", "Annemarie Lee"),  # hyphen
        ("J0hn Smith", "John Smith"),  # 0 read for O
        ("Wi1liam Chen", "William Chen"),  # 1 read for l
    ],
)
def test_the_same_person_however_written(a, b):
    assert name_similarity(a, b) >= 0.85


def test_different_people_score_low():
    assert name_similarity("John Smith", "Jane Doe") < 0.5
    assert name_similarity("Maria Gonzalez", "Pedro Gonzalez") < 0.85


def test_member_ids_fold_ocr_confusions():
    assert same_id("XGH884210773", "XGH 88421O773")
    assert not same_id("XGH884210773", "XGH884210774")


def case(**values) -> ReferralCase:
    base = {
        "id": 1,
        "patient_name": "Maria L. Gonzalez",
        "patient_dob": "1957-03-09",
        "member_id": "XGH884210773",
    }
    return ReferralCase(**(base | values))


def test_name_dob_and_member_id_together_are_a_confident_match():
    found = score(
        case(), {"patient_name": "GONZALEZ, MARIA", "patient_dob": "1957-03-09", "member_id": "XGH884210773"}
    )
    assert found.score >= CONFIDENT and "DOB matches" in found.reason


def test_a_name_alone_is_never_confident():
    assert score(case(), {"patient_name": "Maria Gonzalez"}).score < CONFIDENT


def test_same_name_other_dob_is_only_possible():
    found = score(case(), {"patient_name": "Maria Gonzalez", "patient_dob": "1960-01-01"})
    assert found.score < CONFIDENT and "DOB differs" in found.reason


def test_best_matches_leave_out_strangers():
    cases = [case(), case(id=2, patient_name="John Smith", patient_dob="1980-01-01", member_id="Z1")]
    found = best_matches(cases, {"patient_name": "Maria Gonzalez", "patient_dob": "1957-03-09"})
    assert [m.case_id for m in found] == [1] and found[0].score >= POSSIBLE


def test_dob_and_member_id_agreeing_outweigh_a_misread_name():
    found = score(
        case(),
        {
            "patient_name": "Pre-Certification Request",
            "patient_dob": "1957-03-09",
            "member_id": "XGH884210773",
        },
    )
    assert found.score >= CONFIDENT


@pytest.mark.parametrize("printed", ["03/09/1957", "3/9/57", "09-Mar-1957", "March 9, 1957", "03.09.1957"])
def test_a_dob_however_printed_matches_as_the_written_date(printed):
    from extractors.fields import parse

    fields = {"patient_name": "Maria Gonzalez", "member_id": "XGH884210773"}
    as_read = score(case(), fields | {"patient_dob": parse("patient_dob", printed)})
    assert as_read.score == score(case(), fields | {"patient_dob": "1957-03-09"}).score
    assert as_read.score >= CONFIDENT


@pytest.mark.parametrize("other", ["Ryan Bell", "BELL, RYAN"])
def test_a_twin_is_offered_to_a_person_never_linked_automatically(other):
    twin = case(patient_name="Mary Bell", patient_dob="1990-05-05", member_id="AB1")
    found = score(twin, {"patient_name": other, "patient_dob": "1990-05-05"})
    assert POSSIBLE <= found.score < CONFIDENT and "first name differs" in found.reason


@pytest.mark.parametrize(
    "written", ["Mary Bell", "BELL, MARY A", "M. Bell", "Mary Bel", "Marry Bell", "MARY  BELL"]
)
def test_the_same_first_name_however_written_still_links(written):
    same = case(patient_name="Mary Bell", patient_dob="1990-05-05", member_id="AB1")
    assert score(same, {"patient_name": written, "patient_dob": "1990-05-05"}).score >= CONFIDENT


def test_a_nickname_is_the_same_first_name():
    bob = case(patient_name="Robert Lee", patient_dob="1950-01-02", member_id="Z9")
    assert score(bob, {"patient_name": "Bob Lee", "patient_dob": "1950-01-02"}).score >= CONFIDENT


def test_a_twin_with_the_same_member_id_is_the_same_person():
    found = score(
        case(patient_name="Mary Bell", member_id="AB1", patient_dob="1990-05-05"),
        {"patient_name": "Ryan Bell", "patient_dob": "1990-05-05", "member_id": "AB1"},
    )
    assert found.score >= CONFIDENT  # as payers identify a member: DOB and id agree
