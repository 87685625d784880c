from referrals.denials import denial_reason
from tests.conftest import layout


def test_a_labelled_reason_is_taken_with_its_continuation():
    page = layout(
        [
            "NOTICE OF DENIAL",
            "Member: Maria Gonzalez",
            "Reason for denial:",
            "Out of network provider; no exception",
        ]
    )
    assert denial_reason([page]) == "Out of network provider; no exception"


def test_without_a_label_the_sentence_giving_the_cause_is_taken():
    page = layout(
        [
            "We have reviewed the request for echocardiography. The request has been denied.",
            "The requested service does not meet medical necessity criteria based on the",
            "clinical information submitted. You may request a peer-to-peer review or appeal.",
        ]
    )
    assert denial_reason([page]).startswith("The requested service does not meet medical necessity")
    assert "peer-to-peer" not in denial_reason([page])


def test_a_notice_giving_no_reason_gives_none():
    assert denial_reason([layout(["The request has been denied.", "Call us with questions."])]) is None
