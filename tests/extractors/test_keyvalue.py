"""Labels found for many rows in one pass are exactly those found row by row, by the label
patterns with their word-start lookbehind written in."""

import re

from extractors import keyvalue
from extractors.keyvalue import _QUOTES, _is_label, _longest_first, label_hits, label_hits_of_rows
from extractors.labels import label_patterns, snap_label_words

ROWS = [
    "Patient Name: Maria Gonzalez\tDOB: 03/09/1957",
    "Referring",  # with the next row, "Referring Provider" must not be found across the break
    "Provider: Jane Doe",
    "Requesting Provider NPI # 1234567893",
    "Referring Physician: Dr. Chen\tPhone (512) 555-0100\tFax 512 555 0101",
    "The patient was seen for follow up of diabetes.",
    "Member ID\tW123456789",
    "",
    "Patlent Narne: OCR slips",
    "Insurance Company’s name: Aetna",
    "Surname: Doe\tDOB:01/02/1960\tpatient name: x_patient name",  # labels inside words, after "_"
    "Pt. DOB 1/2/60 dob",
]


def row_by_row(text: str):
    lower = text.lower().translate(_QUOTES)
    return _longest_first(
        [
            (m.start(), m.end(), key)
            for pattern, key in label_patterns()
            for m in re.compile(rf"(?<![a-z0-9]){pattern.pattern}").finditer(lower)
            if _is_label(lower, m.start(), m.end(), key)
        ]
    )


def test_one_pass_over_many_rows_finds_what_each_row_holds():
    keyvalue._KNOWN.clear()
    assert label_hits_of_rows(ROWS) == [row_by_row(row) for row in ROWS]
    assert label_hits(ROWS[0])[0].key == "patient_name"


def test_a_speck_read_as_a_stop_between_label_words_is_allowed():
    hits = label_hits("PATIENT'S NAME\tDATE. OF BIRTH\tPATIENT ID")
    assert [h.key for h in hits] == ["patient_name", "patient_dob", "mrn"]
    assert [h.key for h in label_hits("Date of.Birth 1940-07-14")] == ["patient_dob"]


def test_a_page_count_caption_read_with_hash_as_h_is_a_label():
    assert [h.key for h in label_hits("HOF RAGES\tRE")][:1] == ["cover_page_count"]
    assert [h.key for h in label_hits("Hof Pages 2")] == ["cover_page_count"]


def test_a_dotted_dob_whose_colon_was_read_as_letters_is_a_label():
    assert [h.key for h in label_hits("Patient: Karen Lee\tD.O.By 07-Mar-1996")] == [
        "patient_name",
        "patient_dob",
    ]


def test_a_long_label_word_one_letter_off_is_read_as_the_label():
    keyvalue._KNOWN.clear()
    assert [h.key for h in label_hits("Identitication Number XUB 5675669")] == ["member_id"]
    assert snap_label_words("identitication of a requesting") == "identification of a requesting"
    assert snap_label_words("preferreds and oddwordsx") == "preferreds and oddwordsx"
