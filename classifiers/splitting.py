"""Split a fax's pages into documents: contiguous runs of pages of one type."""

from __future__ import annotations

from dataclasses import dataclass

from core.data import Document, PageClass

START_THRESHOLD = 0.5
CONTINUE_THRESHOLD = 0.25
SURE_OTHER = 0.9  # the model's confidence that a page belongs to no type at all


@dataclass
class PageSignals:
    """What the splitter knows about one page."""

    number: int
    page_class: PageClass
    start_probability: float  # from the model: does this page open a document?
    marker: tuple[int, int] | None  # its own "Page k of n", if printed
    unreadable: bool
    patient_key: str | None  # e.g. the DOB printed on the page, to notice a change of patient
    named: bool = False  # a title or terms on the page name a kind of document


def split_documents(pages: list[PageSignals]) -> list[Document]:
    runs: list[list[PageSignals]] = []
    for page in pages:
        if runs and not page.unreadable and not runs[-1][-1].unreadable and _continues(runs[-1], page):
            runs[-1].append(page)
        else:
            runs.append([page])
    return [_document(run) for run in runs]


def _continues(run: list[PageSignals], page: PageSignals) -> bool:
    previous = run[-1]
    if page.marker and previous.marker:
        k, n = page.marker
        pk, pn = previous.marker
        if n == pn and k == pk + 1:
            return True
        if k == 1:
            return False
    if page.marker and page.marker[0] == 1:
        return False
    if _patient_changed(run, page):
        return False
    run_type = _run_type(run)
    if page.page_class.type == run_type:
        return page.start_probability < START_THRESHOLD
    if run_type == "fax_cover":
        return False
    if _unnamed(page):
        return True
    return page.start_probability < CONTINUE_THRESHOLD


def _unnamed(page: PageSignals) -> bool:
    """A page no type fits, that nothing on names as a document of its own: a report's
    second page of findings, a note's exam continued. The start model cannot tell these
    (it learned that pages without a type open documents)."""
    return page.page_class.type == "other" and not page.named and page.page_class.confidence < SURE_OTHER


def _patient_changed(run: list[PageSignals], page: PageSignals) -> bool:
    keys = {p.patient_key for p in run if p.patient_key}
    return bool(page.patient_key and keys and page.patient_key not in keys)


def _run_type(run: list[PageSignals]) -> str:
    return run[0].page_class.type


def _document(run: list[PageSignals]) -> Document:
    if run[0].unreadable:
        return Document("other", [run[0].number], 1.0)
    doc_type = _run_type(run)
    agreeing = [p.page_class.confidence for p in run if p.page_class.type == doc_type]
    confidence = sum(agreeing) / len(run)
    return Document(doc_type, [p.number for p in run], round(confidence, 3))
