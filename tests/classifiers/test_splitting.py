from classifiers.splitting import PageSignals, split_documents
from core.data import PageClass


def _page(n, kind, start=0.9, marker=None, unreadable=False, patient=None, conf=0.9):
    return PageSignals(n, PageClass(kind, conf), start, marker, unreadable, patient)


def _runs(pages):
    return [(d.type, d.pages) for d in split_documents(pages)]


def test_contiguous_runs_of_one_type():
    pages = [
        _page(1, "fax_cover"),
        _page(2, "referral"),
        _page(3, "referral", start=0.1),
        _page(4, "clinical_notes"),
    ]
    assert _runs(pages) == [("fax_cover", [1]), ("referral", [2, 3]), ("clinical_notes", [4])]


def test_a_continuation_page_that_looks_different_stays_with_its_document():
    pages = [_page(1, "referral"), _page(2, "clinical_notes", start=0.05)]
    assert _runs(pages) == [("referral", [1, 2])]


def test_page_k_of_n_markers_join_and_restart():
    pages = [
        _page(1, "lab_result", marker=(1, 2)),
        _page(2, "clinical_notes", start=0.9, marker=(2, 2)),
        _page(3, "lab_result", start=0.1, marker=(1, 1)),
    ]
    assert _runs(pages) == [("lab_result", [1, 2]), ("lab_result", [3])]


def test_a_change_of_patient_starts_a_new_document():
    pages = [
        _page(1, "lab_result", patient="1950-01-01"),
        _page(2, "lab_result", start=0.1, patient="1961-05-05"),
    ]
    assert _runs(pages) == [("lab_result", [1]), ("lab_result", [2])]


def test_unreadable_pages_are_documents_of_their_own():
    pages = [
        _page(1, "referral"),
        _page(2, "other", start=0.0, unreadable=True),
        _page(3, "referral", start=0.1),
    ]
    assert _runs(pages) == [("referral", [1]), ("other", [2]), ("referral", [3])]
