import numpy as np
import pytest

from classifiers.fitting import _pipeline, linear_model
from classifiers.page_model import PageClassifier

TEXTS = {
    "fax_cover": ["fax cover sheet to from pages confidential", "facsimile transmittal pages fax number"],
    "lab_result": [
        "laboratory report glucose sodium potassium reference range",
        "lab results hemoglobin wbc units",
    ],
    "referral": [
        "referral request referring provider npi specialty reason",
        "outpatient referral specialist reason",
    ],
}


def _model() -> PageClassifier:
    docs, labels, starts = [], [], []
    for label, texts in TEXTS.items():
        for text in texts * 3:
            docs.append(text)
            labels.append(label)
            starts.append(True)
    docs.append("continued from previous page more notes")
    labels.append("referral")
    starts.append(False)
    return PageClassifier.fit(docs, labels, starts, {"sources": ["test"]})


def test_predicts_types_with_probabilities():
    model = _model()
    assert model._shared_vectors  # fitted on the same pages: one TF-IDF pass serves both
    ((page_class, start),) = model.predict(["glucose sodium laboratory reference range"])
    assert page_class.type == "lab_result" and 0 < page_class.confidence <= 1 and 0 <= start <= 1


def test_save_and_load_round_trip(tmp_path):
    model = _model()
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = PageClassifier.load(path)
    assert loaded.metadata["version"] == model.metadata["version"]
    assert path.with_suffix(".json").exists()
    text = ["fax cover sheet pages"]
    assert loaded.predict(text)[0][0].type == model.predict(text)[0][0].type


def test_junk_gets_low_confidence():
    ((page_class, _),) = _model().predict(["zzzz qqqq xxxx"])
    assert page_class.confidence < 0.6


@pytest.mark.parametrize("target", ["types", "starts"])
def test_numpy_applies_the_model_exactly_as_scikit_learn_does(target):
    docs, labels, starts = [], [], []
    for label, texts in TEXTS.items():
        for text in texts * 3:
            docs += [text, text.upper() + " a bb  x9 ÉCHO", f"{text} {text[:7]}"]
            labels += [label] * 3
            starts += [True, False, True]
    fitted = _pipeline().fit(
        docs, labels if target == "types" else ["start" if s else "more" for s in starts]
    )
    unseen = [
        "Glucose  sodium, reference!",
        "fax to: Dr. Ng",
        "",
        "referral referral referral NPI 1234567893",
    ]
    expected = fitted.predict_proba(docs + unseen)
    assert np.allclose(linear_model(fitted).predict_proba(docs + unseen), expected, atol=1e-12)
