"""One fax in, the contract's result out. Plain stage functions; the CLI, the workers and
the web app all call these, adding only their own loading and saving around them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path

from classifiers.features import content_rows, page_document, page_marker, real_word_count
from classifiers.knowledge import is_sure, judged, known_type
from classifiers.page_model import PageClassifier
from classifiers.splitting import PageSignals, split_documents
from core.data import Document, Flag, PageClass, PageText, Word, page_entry, result_status
from core.metrics import timed
from core.settings import Settings
from extractors.fields import extract_fields, unread_fields
from extractors.keyvalue import pair_values
from extractors.loading import OpenedFax, open_fax
from extractors.normalise import find_date
from extractors.ocr import OcrEngine, make_ocr_engine
from extractors.reading import read_every_page
from rules.engine import FaxFacts, PageFacts, Rule, evaluate, load_rules

_WARM_UP = "Patient: Jane Doe DOB 01/02/1960 Member ID W123456789 Diagnosis E11.9 CPT 99213"


@dataclass
class Pipeline:
    settings: Settings
    classifier: PageClassifier
    rules: list[Rule]

    @classmethod
    def from_settings(cls, settings: Settings) -> Pipeline:
        """Load the model and rules once; reuse for every fax."""
        return cls(settings, PageClassifier.load(settings.model_file), load_rules(settings.rules_file))

    @cached_property
    def engine(self) -> OcrEngine:
        """The OCR engine, loaded on first use: where reader processes read the pages
        (`faxintake process`, `faxintake eval`), this one never needs it."""
        return make_ocr_engine(self.settings.ocr_engine, self.settings.ocr_language)

    def warm_up(self) -> None:
        """Load what the first fax would otherwise wait for (the OCR engine, spaCy's matcher,
        the label patterns, the ICD-10 list) by reading one made-up referral line."""
        self.engine  # noqa: B018 - loads it
        words = [Word(text, 60 * i, 10, 50, 12, 95.0, 0) for i, text in enumerate(_WARM_UP.split())]
        page = PageText(1, words, "ocr", 95.0, 60 * len(words), 40)
        self.classifier.predict([page_document(page)])
        extract_fields("referral", [page], date.today())

    def read(self, path: Path) -> tuple[OpenedFax, list[PageText]]:
        fax = open_fax(path, self.settings)
        return fax, read_every_page(fax, self.settings, self.engine)

    def process(self, path: Path, received_at: str | None = None, today: date | None = None) -> dict:
        _, pages = self.read(path)
        return self.analyse(str(path), sha256_of(path), pages, received_at, today)

    def analyse(
        self,
        source: str,
        sha256: str,
        pages: list[PageText],
        received_at: str | None = None,
        today: date | None = None,
    ) -> dict:
        """Classify, split, extract and apply the rules to pages already read."""
        today = today or self.settings.today()
        with timed("classify"):
            signals = classify_pages(pages, self.classifier, self.settings)
            documents = split_documents(signals)
        by_number = {p.number: p for p in pages}
        with timed("extract"):
            for doc in documents:
                doc.fields = extract_fields(doc.type, [by_number[n] for n in doc.pages], today)
        with timed("rules"):
            flags = evaluate(self.rules, fax_facts(pages, documents, self.settings))
        return build_result(source, sha256, pages, signals, documents, flags, received_at)


def classify_pages(
    pages: list[PageText], classifier: PageClassifier, settings: Settings
) -> list[PageSignals]:
    predictions = classifier.predict([page_document(p) for p in pages])
    signals = []
    for page, (model_class, start) in zip(pages, predictions, strict=True):
        unreadable = is_unreadable(page, settings)
        known = None if unreadable or is_sure(model_class) else known_type(content_rows(page))
        page_class = PageClass("other", 1.0) if unreadable else _page_class(model_class, known, settings)
        marker, patient, named = page_marker(page), _patient_key(page), known is not None
        signals.append(PageSignals(page.number, page_class, start, marker, unreadable, patient, named))
    return signals


def _page_class(model_class: PageClass, known: PageClass | None, settings: Settings) -> PageClass:
    """The model's class, or the knowledge's where the model has no type or is unsure; a type
    below the clinic's minimum confidence becomes `other`."""
    page_class = judged(model_class, known)
    if page_class.type != "other" and page_class.confidence < settings.classifier_min_confidence:
        return PageClass("other", page_class.confidence)
    return page_class


def _patient_key(page: PageText) -> str | None:
    for candidate in pair_values(page):
        if candidate.key == "patient_dob":
            return find_date(candidate.text, two_digit_past=True)
    return None


def is_unreadable(page: PageText, settings: Settings) -> bool:
    """Too few real words to read anything off the page (blank, black, noise)."""
    return real_word_count(page) < settings.unreadable_min_words


def fax_facts(pages: list[PageText], documents: list[Document], settings: Settings) -> FaxFacts:
    """What the rules look at, for a fax just processed and for one a VA has corrected alike."""
    page_facts = [PageFacts(p.number, p.ocr_confidence, is_unreadable(p, settings)) for p in pages]
    by_number = {p.number: p for p in pages}
    unread = {d.pages[0]: unread_fields(d.type, [by_number[n] for n in d.pages]) for d in documents}
    return FaxFacts(len(pages), page_facts, documents, unread)


def build_result(
    source: str,
    sha256: str,
    pages: list[PageText],
    signals: list[PageSignals],
    documents: list[Document],
    flags: list[Flag],
    received_at: str | None,
) -> dict:
    """The contract's JSON object (plus a few extra keys the review screen uses).

    A page's type is its document's type: a referral's second page is part of the referral
    even when, read alone, it looks like clinical notes."""
    doc_type = {n: d.type for d in documents for n in d.pages}
    return {
        "source": source,
        "sha256": sha256,
        "received_at": received_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "page_count": len(pages),
        "pages": [
            page_entry(
                page.number,
                doc_type[page.number],
                round(signal.page_class.confidence, 3),
                page.source,
                page.ocr_confidence,
                page.rotation,
            )
            for page, signal in zip(pages, signals, strict=True)
        ],
        "documents": [d.to_json() for d in documents],
        "flags": [f.to_json() for f in flags],
        "status": result_status(sum(f.severity == "error" for f in flags)),
    }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
