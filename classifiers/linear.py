"""A fitted TF-IDF + logistic-regression text model, applied with numpy alone.

scikit-learn fits the model (`classifiers/fitting.py`); workers only apply it, and importing
scikit-learn would cost each of them ~50 MB. This reproduces exactly what the fitted
TfidfVectorizer (lowercase, default token pattern, sublinear tf, smoothed idf, l2 norm) and
LogisticRegression.predict_proba compute; tests/classifiers check it against scikit-learn."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WORDS_REMEMBERED = 50_000  # words whose columns a worker keeps: ~15 MB at most


@dataclass
class TfidfFeatures:
    analyzer: str  # "word" or "char_wb"
    ngram_range: tuple[int, int]
    vocabulary: dict[str, int]
    idf: np.ndarray
    _word_columns: dict[str, list[int]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def transform(self, documents: list[str]) -> np.ndarray:
        rows = np.zeros((len(documents), len(self.idf)))
        for row, document in enumerate(documents):
            counts = np.bincount(self._columns(document.lower()), minlength=len(self.idf))
            present = counts > 0
            rows[row, present] = 1 + np.log(counts[present])
        rows *= self.idf
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1, norms)

    def _columns(self, text: str) -> list[int]:
        """The vocabulary column of each of the text's terms that has one, repeats kept (a
        column stands for one term). Character n-grams stay within a word, so each word's
        columns are worked out once: form pages repeat their words from fax to fax."""
        if self.analyzer == "word":
            return self._known_columns(_word_ngrams(_TOKEN.findall(text), self.ngram_range))
        columns = []
        for word in text.split():
            known = self._word_columns.get(word)
            if known is None:
                if len(self._word_columns) >= _WORDS_REMEMBERED:
                    self._word_columns.clear()
                known = self._word_columns[word] = self._known_columns(_char_ngrams(word, self.ngram_range))
            columns += known
        return columns

    def _known_columns(self, terms: list[str]) -> list[int]:
        get = self.vocabulary.get
        return [column for column in map(get, terms) if column is not None]


def _word_ngrams(tokens: list[str], ngram_range: tuple[int, int]) -> list[str]:
    low, high = ngram_range
    return [" ".join(tokens[i : i + n]) for n in range(low, high + 1) for i in range(len(tokens) - n + 1)]


def _char_ngrams(word: str, ngram_range: tuple[int, int]) -> list[str]:
    """scikit-learn's char_wb n-grams of one word: padded with a space each side."""
    low, high = ngram_range
    padded = f" {word} "
    terms = []
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
