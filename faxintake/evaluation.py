"""`faxintake eval DIR`: run the pipeline over a generated set and score it against truth."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.settings import Settings
from extractors.parallel import PageReaders
from pipeline.stages import Pipeline, sha256_of

IGNORED_FLAGS = {"low_ocr_confidence"}  # depends on the scan, not on the content


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Scores:
    pages: int = 0
    pages_right: int = 0
    documents: int = 0
    documents_right: int = 0
    fields: dict[str, Tally] = field(default_factory=dict)
    flags: Tally = field(default_factory=Tally)
    page_types: dict[str, Counter[str]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def add(self, result: dict, truth: dict) -> None:
        """Score one result; a truth with `"fields_labelled": false` (a set labelled with
        page types only) is scored on pages and documents alone."""
        truth_types = {p["page"]: p["type"] for p in truth["pages"]}
        for page in result["pages"]:
            expected = truth_types.get(page["page"], "none")
            self.pages += 1
            self.pages_right += page["type"] == expected
            self.page_types.setdefault(expected, Counter())[page["type"]] += 1
        labelled = truth.get("fields_labelled", True)
        predicted = {tuple(d["pages"]): d for d in result["documents"]}
        for doc in truth["documents"]:
            self.documents += 1
            match = predicted.pop(tuple(doc["pages"]), None)
            self.documents_right += bool(match and match["type"] == doc["type"])
            if labelled:
                self._fields(match["fields"] if match else {}, doc["fields"])
        if labelled:
            for leftover in predicted.values():
                self._fields(leftover["fields"], {})
            self._flags(result["flags"], truth.get("flags", []))

    def _fields(self, got: dict, expected: dict) -> None:
        for key in set(got) | set(expected):
            tally = self.fields.setdefault(key, Tally())
            g, e = got.get(key, {}).get("value"), expected.get(key, {}).get("value")
            if g is not None and e is not None and same_value(g, e):
                tally.tp += 1
                continue
            tally.fp += g is not None
            tally.fn += e is not None

    def _flags(self, got: list[dict], expected: list[dict]) -> None:
        g = Counter(f["code"] for f in got if f["code"] not in IGNORED_FLAGS)
        e = Counter(f["code"] for f in expected if f["code"] not in IGNORED_FLAGS)
        self.flags.tp += sum((g & e).values())
        self.flags.fp += sum((g - e).values())
        self.flags.fn += sum((e - g).values())

    def report(self, seconds: float) -> dict:
        total = Tally(*(sum(getattr(t, a) for t in self.fields.values()) for a in ("tp", "fp", "fn")))
        return {
            "page_type_accuracy": round(self.pages_right / max(1, self.pages), 4),
            "document_split_accuracy": round(self.documents_right / max(1, self.documents), 4),
            "fields": total.scores(),
            "per_field": {k: t.scores() for k, t in sorted(self.fields.items())},
            "flags": self.flags.scores(),
            "page_types": {truth: dict(got.most_common()) for truth, got in sorted(self.page_types.items())},
            "failures": self.failures,
            "pages": self.pages,
            "seconds": round(seconds, 1),
            "pages_per_second": round(self.pages / seconds, 3) if seconds else None,
        }


def same_value(got, expected) -> bool:
    """Lists compare as sets of codes; other values ignoring case, spaces and punctuation."""
    if isinstance(expected, list) or isinstance(got, list):
        return sorted(map(str, _as_list(got))) == sorted(map(str, _as_list(expected)))
    return _plain(got) == _plain(expected)


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _plain(value) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(value).lower()).strip()


def evaluate_folder(folder: Path, settings: Settings, processes: int | None = None) -> dict:
    """Process every fax with a truth file beside it, in parallel, and score the results."""
    truths = [json.loads(p.read_text()) for p in sorted(folder.glob("*.truth.json"))]
    jobs = [
        (folder / t["source"], date.fromisoformat(t.get("generated_on", date.today().isoformat())))
        for t in truths
    ]
    scores = Scores()
    started = time.perf_counter()
    with PageReaders(settings, processes) as readers:
        queued = [readers.queue(path) for path, _ in jobs]
        pipeline = Pipeline.from_settings(settings)
        for truth, fax, (_, today) in zip(truths, queued, jobs, strict=True):
            try:
                scores.add(
                    pipeline.analyse(str(fax.path), sha256_of(fax.path), fax.read(), today=today), truth
                )
            except Exception as exc:  # noqa: BLE001 - every failure is counted and named
                scores.failures.append(f"{fax.path.name}: {type(exc).__name__}: {exc}")
    return scores.report(time.perf_counter() - started)
