from faxintake.evaluation import Scores, same_value

TRUTH = {
    "pages": [{"page": 1, "type": "fax_cover"}, {"page": 2, "type": "referral"}],
    "documents": [
        {"type": "fax_cover", "pages": [1], "fields": {"cover_page_count": {"value": 2}}},
        {
            "type": "referral",
            "pages": [2],
            "fields": {
                "patient_name": {"value": "Maria L. Gonzalez"},
                "diagnosis_codes": {"value": ["I10", "E11.9"]},
            },
        },
    ],
    "flags": [{"code": "missing_document:clinical_notes"}],
}


def test_a_perfect_result_scores_one():
    scores = Scores()
    result = {**TRUTH, "flags": TRUTH["flags"] + [{"code": "low_ocr_confidence"}]}
    scores.add(result, TRUTH)
    report = scores.report(1.0)
    assert report["page_type_accuracy"] == 1.0 and report["document_split_accuracy"] == 1.0
    assert report["fields"]["f1"] == 1.0 and report["flags"]["f1"] == 1.0


def test_a_wrong_value_is_both_a_false_positive_and_a_miss():
    wrong = {"type": "referral", "pages": [2], "fields": {"patient_name": {"value": "Mario Gonzalez"}}}
    scores = Scores()
    scores.add({**TRUTH, "documents": [TRUTH["documents"][0], wrong], "flags": []}, TRUTH)
    name = scores.report(1.0)["per_field"]["patient_name"]
    assert (name["tp"], name["fp"], name["fn"]) == (0, 1, 1)
    assert scores.report(1.0)["flags"]["recall"] == 0.0


def test_values_compare_without_case_or_punctuation():
    assert same_value("MARIA L GONZALEZ", "Maria L. Gonzalez")
    assert same_value(["E11.9", "I10"], ["I10", "E11.9"])
    assert not same_value(["I10"], ["I10", "E11.9"])


def test_a_set_labelled_with_page_types_only_scores_pages_and_documents():
    truth = {**TRUTH, "fields_labelled": False}
    result = {**TRUTH, "pages": [{"page": 1, "type": "fax_cover"}, {"page": 2, "type": "other"}], "flags": []}
    scores = Scores()
    scores.add(result, truth)
    report = scores.report(1.0)
    assert report["page_type_accuracy"] == 0.5
    assert report["per_field"] == {} and report["flags"]["tp"] + report["flags"]["fn"] == 0
    assert report["page_types"] == {"fax_cover": {"fax_cover": 1}, "referral": {"other": 1}}
