from datetime import timedelta

import pytest

from core.settings import Settings
from review.accounts import Identity, add_user
from review.worklist import ClaimedByOther, Filters, age_badge, claim, queue
from storage.models import Fax, utcnow


def fax_received(hours_ago: float, state: str = "to_review") -> Fax:
    return Fax(review_state=state, received_at=utcnow() - timedelta(hours=hours_ago))


@pytest.mark.parametrize("hours,badge", [(1, None), (5, "warning"), (25, "overdue")])
def test_aging_badges_follow_the_clinic_targets(hours, badge):
    assert age_badge(fax_received(hours), Settings()) == badge


def test_finished_items_do_not_age():
    assert age_badge(fax_received(50, "approved"), Settings()) is None


def test_a_claim_lapses_after_inactivity(services):
    settings = services.settings
    with services.sessions() as session:
        vera = add_user(session, "vicky", "x" * 10, "va")
        victor = add_user(session, "walter", "x" * 10, "va")
        fax = Fax(sha256="a" * 64, original_key="k", filename="f", source="s", status="ready", sender={})
        session.add(fax)
        claim(session, fax, Identity(vera.id, "vicky", "va"), settings)
        session.flush()
        with pytest.raises(ClaimedByOther):
            claim(session, fax, Identity(victor.id, "walter", "va"), settings)
        fax.claimed_at = utcnow() - timedelta(minutes=settings.claim_minutes + 1)
        claim(session, fax, Identity(victor.id, "walter", "va"), settings)
        assert fax.claimed_by_id == victor.id


def test_search_finds_a_patient_however_the_va_types_it(services):
    def found(text: str) -> list[str]:
        with services.sessions() as session:
            return [f.patient_name for f in queue(session, Filters(state="all", search=text))]

    with services.sessions() as session:
        for n, (name, dob, member) in enumerate(
            [("Maria L. Gonzalez", "1937-11-07", "XGH884210773"), ("Ann 50% Off_ice", "1950-01-01", "A_1")]
        ):
            session.add(
                Fax(
                    sha256=f"{n}" * 64,
                    original_key="k",
                    filename="f",
                    source="s",
                    status="ready",
                    sender={},
                    review_state="to_review",
                    patient_name=name,
                    patient_dob=dob,
                    member_id=member,
                )
            )
        session.commit()
    assert found("Gonzalez Maria") == found("maria gonzalez") == ["Maria L. Gonzalez"]
    assert found("11/07/1937") == found("Nov 7, 1937") == ["Maria L. Gonzalez"]
    assert found("884210") == ["Maria L. Gonzalez"]
    assert found("%") == [] and found("A_1") == ["Ann 50% Off_ice"] and found("AB1") == []


def test_the_sender_filter_finds_the_sender_the_queue_shows(services):
    from storage.models import DocumentRow, FieldRow

    def found(text: str) -> list[str]:
        with services.sessions() as session:
            return [f.filename for f in queue(session, Filters(state="all", sender=text))]

    with services.sessions() as session:
        covered = Fax(
            sha256="c" * 64, original_key="k", filename="a.tif", source="drop_folder", status="ready"
        )
        covered.sender, covered.review_state = {}, "to_review"
        cover = DocumentRow(type="fax_cover", pages=[1], confidence=0.9, position=0)
        cover.fields = [
            FieldRow(key="from_name", value="Lakeside Internal Medicine", confidence=0.9, page=1),
            FieldRow(key="from_fax", value="5125550199", confidence=0.9, page=1),
        ]
        covered.documents = [cover]
        gateway = Fax(sha256="d" * 64, original_key="k", filename="b.pdf", source="webhook", status="ready")
        gateway.sender, gateway.review_state = {"caller_name": "WESTSIDE FAMILY MED"}, "to_review"
        session.add_all([covered, gateway])
        session.commit()
    assert found("lakeside") == found("(512) 555-0199") == ["a.tif"]
    assert found("Westside") == ["b.pdf"] and found("webhook") == ["b.pdf"]
