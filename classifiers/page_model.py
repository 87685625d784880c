"""The page-type model: which type each page is, and whether it starts a document. Applied
with numpy alone (`classifiers/linear.py`); stored as one .npz of plain arrays."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from classifiers.linear import LinearTextModel, TfidfFeatures
from core.data import PageClass

MODEL_VERSION = 2


@dataclass
class PageClassifier:
    """Page types with probabilities; `starts` says whether a page opens a new document."""

    types: LinearTextModel
    starts: LinearTextModel
    metadata: dict

    def __post_init__(self) -> None:
        # Both models are fitted on the same pages, so their TF-IDF features are the same:
        # computed once per page instead of twice.
        self._shared_vectors = self.types.same_features(self.starts)

    @classmethod
    def fit(
        cls, documents: list[str], labels: list[str], first_pages: list[bool], about: dict
    ) -> PageClassifier:
        import sklearn  # training only: workers apply the model without it

        from classifiers.fitting import fit_text_model

        metadata = {
            "version": MODEL_VERSION,
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "sklearn": sklearn.__version__,
            "pages": len(documents),
            "classes": sorted(set(labels)),
            **about,
        }
        starts = ["start" if first else "more" for first in first_pages]
        return cls(fit_text_model(documents, labels), fit_text_model(documents, starts), metadata)

    def predict(self, documents: list[str]) -> list[tuple[PageClass, float]]:
        """Per page: its most likely type with probability, and P(page starts a document)."""
        if not documents:
            return []
        x = self.types.vectors(documents)
        type_probs = self.types.proba(x)
        start_x = x if self._shared_vectors else self.starts.vectors(documents)
        start_probs = self.starts.proba(start_x)[:, self.starts.classes.index("start")]
        best = np.argmax(type_probs, axis=1)
        return [
            (PageClass(self.types.classes[b], float(type_probs[i, b])), float(start_probs[i]))
            for i, b in enumerate(best)
        ]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {"metadata": np.array(json.dumps(self.metadata))}
        for name, model in (("types", self.types), ("starts", self.starts)):
            arrays |= _arrays(name, model)
        with path.open("wb") as out:
            np.savez_compressed(out, **arrays)  # type: ignore[arg-type]  # numpy's stubs: **arrays
        path.with_suffix(".json").write_text(json.dumps(self.metadata, indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> PageClassifier:
        if not path.exists():
            raise FileNotFoundError(f"no page classifier at {path}; build one with `faxintake train`")
        with np.load(path, allow_pickle=False) as arrays:
            metadata = json.loads(str(arrays["metadata"]))
            if metadata.get("version") != MODEL_VERSION:
                raise ValueError(f"{path} is model version {metadata.get('version')}, need {MODEL_VERSION}")
            return cls(_model("types", arrays), _model("starts", arrays), metadata)


def _arrays(name: str, model: LinearTextModel) -> dict[str, np.ndarray]:
    arrays = {
        f"{name}.coef": model.coef,
        f"{name}.intercept": model.intercept,
        f"{name}.classes": np.array(model.classes),
        f"{name}.features": np.array(
            [f"{f.analyzer} {f.ngram_range[0]} {f.ngram_range[1]}" for f in model.features]
        ),
    }
    for i, features in enumerate(model.features):
        terms = sorted(features.vocabulary, key=features.vocabulary.__getitem__)
        arrays[f"{name}.{i}.terms"] = np.array(terms)
        arrays[f"{name}.{i}.idf"] = features.idf
    return arrays


def _model(name: str, arrays) -> LinearTextModel:
    features = []
    for i, spec in enumerate(arrays[f"{name}.features"]):
        analyzer, low, high = str(spec).split()
        terms = [str(t) for t in arrays[f"{name}.{i}.terms"]]
        vocabulary = {term: index for index, term in enumerate(terms)}
        features.append(TfidfFeatures(analyzer, (int(low), int(high)), vocabulary, arrays[f"{name}.{i}.idf"]))
    classes = [str(c) for c in arrays[f"{name}.classes"]]
    return LinearTextModel(features, arrays[f"{name}.coef"], arrays[f"{name}.intercept"], classes)
