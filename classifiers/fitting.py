"""Fitting the page model with scikit-learn (training only), and taking out what applying it
needs: vocabularies, idf weights and the linear layer (`classifiers/linear.py`)."""

from __future__ import annotations

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from classifiers.linear import LinearTextModel, TfidfFeatures


def fit_text_model(documents: list[str], labels: list[str]) -> LinearTextModel:
    """TF-IDF over words and character n-grams, then logistic regression."""
    return linear_model(_pipeline().fit(documents, labels))


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


def linear_model(fitted: Pipeline) -> LinearTextModel:
    classify = fitted.named_steps["classify"]
    return LinearTextModel(
        [_features(vectorizer) for _, vectorizer in fitted.named_steps["features"].transformer_list],
        classify.coef_,
        classify.intercept_,
        [str(c) for c in classify.classes_],
    )


def _features(vectorizer: TfidfVectorizer) -> TfidfFeatures:
    return TfidfFeatures(
        vectorizer.analyzer,
        vectorizer.ngram_range,
        {str(term): int(index) for term, index in vectorizer.vocabulary_.items()},
        vectorizer.idf_,
    )
