"""Which case a referral fax opens or joins."""

from referrals.tracking import track
from storage.models import DocumentRow, Fax, FieldRow, ReferralCase, utcnow

PATIENT = {"patient_name": "Maria Gonzalez", "patient_dob": "1957-03-09", "member_id": "XGH884210773"}


def referral(session, fax_id_hint: str, **fields) -> Fax:
    fax = Fax(
        sha256=fax_id_hint * 64, original_key="o", filename="f.pdf", source="drop_folder", status="ready"
    )
    doc = DocumentRow(position=0, type="referral", pages=[1], confidence=0.9)
    doc.fields = [
        FieldRow(key=k, value=v, confidence=0.9, page=1, boxes=[]) for k, v in (PATIENT | fields).items()
    ]
    fax.documents = [doc]
    session.add(fax)
    session.flush()
    return fax


def test_a_second_referral_for_the_same_patient_opens_its_own_case(services):
    with services.sessions() as session:
        cardiology = referral(session, "a", referred_to_specialty="cardiology")
        track(session, cardiology, utcnow())
        dermatology = referral(session, "b", referred_to_specialty="dermatology")
        track(session, dermatology, utcnow())
        resent = referral(session, "c", referred_to_specialty="Cardiology")
        track(session, resent, utcnow())
        session.commit()
        assert dermatology.case_id != cardiology.case_id
        assert resent.case_id == cardiology.case_id
        assert session.query(ReferralCase).count() == 2
