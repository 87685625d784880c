"""End to end with real poppler and tesseract: every input format and resolution."""

import jsonschema
import pytest
from PIL import Image, ImageSequence

from core.settings import Settings
from pipeline.stages import Pipeline
from tests.conftest import TODAY
from tests.helpers.faxes import SCHEMA, make_fax


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_settings(Settings())


@pytest.mark.parametrize(
    "fmt,mode",
    [
        ("fax_pdf", "fine"),
        ("fax_pdf", "standard"),
        ("fax_tiff", "fine"),
        ("fax_tiff", "standard"),
        ("born_digital", "fine"),
        ("png", "standard"),
        ("mixed_pdf", "fine"),
    ],
)
def test_every_format_yields_the_contract(tmp_path, pipeline, fmt, mode):
    path, truth = make_fax(tmp_path, fmt, mode)
    result = pipeline.process(path, today=TODAY)
    jsonschema.validate(result, SCHEMA)
    assert result["page_count"] == truth["page_count"]
    assert path.suffix == {"fax_tiff": ".tif", "png": ".png"}.get(fmt, ".pdf")
    sources = {p["text_source"] for p in result["pages"]}
    assert sources == {"text_layer"} if fmt == "born_digital" else "ocr" in sources
    request = next(d for d in truth["documents"] if d["type"] == "records_request")
    got = next(d for d in result["documents"] if d["type"] == "records_request")
    assert got["fields"]["patient_dob"]["value"] == request["fields"]["patient_dob"]["value"]


@pytest.mark.parametrize("degrees", [180, 90])
def test_a_turned_page_is_detected_and_turned_back(tmp_path, pipeline, degrees):
    path, truth = make_fax(tmp_path, "fax_tiff", "fine", scenario="imaging")
    with Image.open(path) as image:
        frames = [f.copy().rotate(degrees, expand=True) for f in ImageSequence.Iterator(image)]
    frames[0].save(path, compression="group4", save_all=True, append_images=frames[1:], dpi=(204, 204))
    result = pipeline.process(path, today=TODAY)
    turned_back = {90: (90, 270), 180: (180,)}[degrees]  # OSD reports the turn that undoes it
    assert result["pages"][0]["rotation"] in turned_back
    assert result["pages"][0]["ocr_confidence"] > 70


def test_a_jpeg_photo_of_a_page(tmp_path, pipeline):
    path, truth = make_fax(tmp_path, "png", "fine")
    jpeg = tmp_path / "page.jpg"
    with Image.open(path) as image:
        image.convert("L").save(jpeg, quality=85, dpi=(204, 196))
    result = pipeline.process(jpeg, today=TODAY)
    jsonschema.validate(result, SCHEMA)
    assert result["pages"][0]["text_source"] == "ocr" and result["documents"][0]["fields"]


def test_a_blank_page_is_an_unreadable_other_document(tmp_path, pipeline):
    path = tmp_path / "blank.tif"
    page = Image.new("1", (1728, 2200), 1)
    page.save(path, compression="group4", dpi=(204, 196))
    result = pipeline.process(path, today=TODAY)
    jsonschema.validate(result, SCHEMA)
    assert result["documents"] == [{"type": "other", "pages": [1], "confidence": 1.0, "fields": {}}]
    assert [f["code"] for f in result["flags"]] == ["unreadable_page"]
    assert result["status"] == "needs_review"


def test_an_unsure_page_keeps_its_best_guess_for_the_va(tmp_path):
    """`other` is a type, not "unsure": a page the model is unsure of keeps its best guess,
    with its probability, unless the clinic sets a floor below which it becomes `other`."""
    from classifiers.features import page_document
    from pipeline.stages import classify_pages
    from tests.conftest import layout

    page = layout(["PROGRESS NOTE", "Chief Complaint: knee pain", "Assessment and Plan: refer to ortho"])
    classifier = Pipeline.from_settings(Settings()).classifier
    guess = classifier.predict([page_document(page)])[0][0]
    assert guess.type != "other"
    kept = classify_pages([page], classifier, Settings())[0].page_class
    floored = classify_pages([page], classifier, Settings(classifier_min_confidence=1.0))[0].page_class
    assert (kept.type, kept.confidence) == (guess.type, guess.confidence)
    assert floored.type == "other"
