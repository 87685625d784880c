"""The page-type model: TF-IDF over words and character n-grams, logistic regression."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import joblib
import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from faxintake.model import PageClass

MODEL_VERSION = 1


def _pipeline() -> Pipeline:
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=60000)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2, max_features=80000
                ),
            ),
        ]
    )
    return Pipeline(
        [
            ("features", features),
            ("classify", LogisticRegression(C=8.0, max_iter=3000, class_weight="balanced")),
        ]
    )


@dataclass
class PageClassifier:
    """Page types with probabilities; `starts` says whether a page opens a new document."""

    types: Pipeline
    starts: Pipeline
    metadata: dict

    @classmethod
    def fit(
        cls, documents: list[str], labels: list[str], first_pages: list[bool], about: dict
    ) -> PageClassifier:
        types = _pipeline().fit(documents, labels)
        starts = _pipeline().fit(documents, ["start" if f else "more" for f in first_pages])
        metadata = {
            "version": MODEL_VERSION,
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "sklearn": sklearn.__version__,
            "pages": len(documents),
            "classes": sorted(set(labels)),
            **about,
        }
        return cls(types, starts, metadata)

    def predict(self, documents: list[str]) -> list[tuple[PageClass, float]]:
        """Per page: its most likely type with probability, and P(page starts a document)."""
        if not documents:
            return []
        type_probs = self.types.predict_proba(documents)
        start_probs = self.starts.predict_proba(documents)[:, list(self.starts.classes_).index("start")]
        best = np.argmax(type_probs, axis=1)
        return [
            (PageClass(str(self.types.classes_[b]), float(type_probs[i, b])), float(start_probs[i]))
            for i, b in enumerate(best)
        ]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"types": self.types, "starts": self.starts, "metadata": self.metadata}, path, compress=3)
        path.with_suffix(".json").write_text(json.dumps(self.metadata, indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> PageClassifier:
        if not path.exists():
            raise FileNotFoundError(f"no page classifier at {path}; build one with `faxintake train`")
        data = joblib.load(path)
        if data["metadata"].get("version") != MODEL_VERSION:
            raise ValueError(
                f"{path} is model version {data['metadata'].get('version')}, need {MODEL_VERSION}"
            )
        return cls(data["types"], data["starts"], data["metadata"])
