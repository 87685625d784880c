import pytest

from classifiers.splitting import PageSignals, split_documents
from core.data import PageClass


def _page(n, kind, start=0.9, marker=None, unreadable=False, patient=None, conf=0.9, named=False):
    return PageSignals(n, PageClass(kind, conf), start, marker, unreadable, patient, named)


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


def test_a_page_no_type_fits_and_nothing_names_continues_the_document():
    """A report's second page of findings: the start model calls every untyped page a start."""
    pages = [_page(1, "imaging_report"), _page(2, "other", start=0.98, conf=0.4)]
    assert _runs(pages) == [("imaging_report", [1, 2])]


@pytest.mark.parametrize(
    "second",
    [
        _page(2, "other", start=0.98, conf=0.97),  # the model is sure no type fits: a page of its own
        _page(2, "other", start=0.98, conf=0.5, named=True),  # its title names it (a claim form)
        _page(2, "other", start=0.98, conf=0.4, marker=(1, 1)),  # "Page 1 of 1"
    ],
    ids=["sure", "named", "page-one"],
)
def test_an_untyped_page_that_says_it_is_a_document_stays_one(second):
    assert _runs([_page(1, "lab_result"), second]) == [("lab_result", [1]), ("other", [2])]


def test_nothing_continues_a_cover_sheet():
    assert _runs([_page(1, "fax_cover"), _page(2, "other", conf=0.3)]) == [("fax_cover", [1]), ("other", [2])]
