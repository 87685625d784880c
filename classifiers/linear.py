"""A fitted TF-IDF + logistic-regression text model, applied with numpy alone.

scikit-learn fits the model (`classifiers/fitting.py`); workers only apply it, and importing
scikit-learn would cost each of them ~50 MB. This reproduces exactly what the fitted
TfidfVectorizer (lowercase, default token pattern, sublinear tf, smoothed idf, l2 norm) and
LogisticRegression.predict_proba compute; tests/classifiers check it against scikit-learn."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WHITE_SPACES = re.compile(r"\s\s+")


@dataclass
class TfidfFeatures:
    analyzer: str  # "word" or "char_wb"
    ngram_range: tuple[int, int]
    vocabulary: dict[str, int]
    idf: np.ndarray

    def transform(self, documents: list[str]) -> np.ndarray:
        rows = np.zeros((len(documents), len(self.idf)))
        for row, document in enumerate(documents):
            for term, count in Counter(self._terms(document.lower())).items():
                column = self.vocabulary.get(term)
                if column is not None:
                    rows[row, column] = 1 + math.log(count)
        rows *= self.idf
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1, norms)

    def _terms(self, text: str) -> list[str]:
        low, high = self.ngram_range
        if self.analyzer == "word":
            tokens = _TOKEN.findall(text)
            return [
                " ".join(tokens[i : i + n]) for n in range(low, high + 1) for i in range(len(tokens) - n + 1)
            ]
        terms = []
        for word in _WHITE_SPACES.sub(" ", text).split():
            padded = f" {word} "
            for n in range(low, high + 1):
                terms += [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]
                if len(padded) <= n:  # a short word counts once, as scikit-learn does
                    break
        return terms


@dataclass
class LinearTextModel:
    """Features from each TfidfFeatures side by side, then a linear layer: softmax over the
    classes, or a sigmoid when there are two."""

    features: list[TfidfFeatures]
    coef: np.ndarray  # (classes, features), or (1, features) for two classes
    intercept: np.ndarray
    classes: list[str]

    def predict_proba(self, documents: list[str]) -> np.ndarray:
        return self.proba(self.vectors(documents))

    def vectors(self, documents: list[str]) -> np.ndarray:
        return np.hstack([f.transform(documents) for f in self.features])

    def same_features(self, other: LinearTextModel) -> bool:
        """Whether `other` turns documents into the same vectors (fitted on the same pages)."""
        return len(self.features) == len(other.features) and all(
            (a.analyzer, a.ngram_range, a.vocabulary) == (b.analyzer, b.ngram_range, b.vocabulary)
            and np.array_equal(a.idf, b.idf)
            for a, b in zip(self.features, other.features, strict=True)
        )

    def proba(self, x: np.ndarray) -> np.ndarray:
        scores = x @ self.coef.T + self.intercept
        if len(self.classes) == 2:
            positive = 1 / (1 + np.exp(-scores[:, 0]))
            return np.column_stack([1 - positive, positive])
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)
