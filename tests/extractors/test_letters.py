"""Fields a referral letter gives in sentences, not in labelled boxes."""

from extractors.fields import extract_fields
from tests.conftest import layout

LETTER = [
    "Lakeside Internal Medicine",
    "(512) 555-0143 fax 512.555.0199",
    "December 1, 2026",
    "Dear Colleague in Neurology,",
    "I would be grateful if you would see my patient Grace Kim, born September 19,",
    "1981, for migraines increasing in frequency. She was seen by cardiology in 2019.",
    "Kind regards,",
    "Stacie Ray, MD",
    "NPI 1234567893",
]


def _values(rows, today):
    return {k: v.value for k, v in extract_fields("referral", [layout(rows)], today).items()}


def test_a_referral_letter_gives_its_fields_in_sentences(today):
    got = _values(LETTER, today)
    assert got["patient_dob"] == "1981-09-19"  # the date runs onto the next line
    assert got["referred_to_specialty"] == "neurology"  # not the cardiology of the history
    assert got["referring_provider"] == "Stacie Ray, MD"
    assert (got["referring_phone"], got["referring_fax"]) == ("5125550143", "5125550199")  # the letterhead's


def test_referred_to_a_named_doctor(today):
    rows = ["Referral", "I am referring this patient to Dr. Anna Lee for evaluation in cardiology."]
    got = _values(rows, today)
    assert (got["referred_to_provider"], got["referred_to_specialty"]) == ("Anna Lee", "cardiology")


def test_no_signer_without_a_closing(today):
    assert "referring_provider" not in _values(["Referral", "Stacie Ray, MD", "Diagnosis: G43.909"], today)
