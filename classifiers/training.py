"""`faxintake train`: fit the page model on generated (and later, VA-confirmed) faxes."""

from __future__ import annotations

import json
from pathlib import Path

from classifiers.features import page_document
from classifiers.page_model import PageClassifier
from core.settings import Settings
from extractors.parallel import read_many


def truth_files(folders: list[Path]) -> list[Path]:
    return sorted(p for folder in folders for p in folder.glob("*.truth.json"))


def train(folders: list[Path], settings: Settings, out: Path, processes: int | None = None) -> dict:
    """Read every labelled fax (OCR results cached by hash), fit, save; returns metadata."""
    truths = [json.loads(p.read_text()) for p in truth_files(folders)]
    paths = [p.parent / t["source"] for p, t in zip(truth_files(folders), truths, strict=True)]
    read = read_many(
        [(p, t["sha256"]) for p, t in zip(paths, truths, strict=True)],
        settings,
        processes,
        settings.data_dir / "cache" / "pages",
    )
    documents, labels, starts = [], [], []
    for truth, pages in zip(truths, read, strict=True):
        if isinstance(pages, str):
            continue
        first = {d["pages"][0] for d in truth["documents"]}
        kinds = {p["page"]: p["type"] for p in truth["pages"]}
        for page in pages:
            documents.append(page_document(page))
            labels.append(kinds[page.number])
            starts.append(page.number in first)
    about = {"faxes": len(truths), "sources": [str(f) for f in folders]}
    model = PageClassifier.fit(documents, labels, starts, about)
    model.save(out)
    return model.metadata
