import pytest

from extractors import normalise as norm


@pytest.mark.parametrize(
    "printed",
    [
        "03/09/1957",
        "3/9/1957",
        "1957-03-09",
        "Mar 9, 1957",
        "March 9, 1957",
        "March 9,1957",
        "09-Mar-1957",
        "03-09-1957",
        "03.09.1957",
        "03,09.1957",
        "DOB: 3/9/57",
    ],
)
def test_every_common_us_date_format(printed):
    assert norm.find_date(printed, two_digit_past=True) == "1957-03-09"


def test_numbers_with_commas_are_not_dates():
    assert norm.find_date("1,234.56") is None and norm.find_date("3, 4, 2024") is None


def test_impossible_dates_stay_visible_for_the_validator():
    assert norm.find_date("02/30/1980") == "1980-02-30"


def test_find_dates_in_reading_order():
    assert norm.find_dates("valid from 12/01/2026 through Feb 28, 2027.") == ["2026-12-01", "2027-02-28"]


@pytest.mark.parametrize(
    "printed",
    [
        "(512) 555-0143",
        "512-555-0143",
        "512.555.0143",
        "5125550143",
        "+1 512 555 0143",
        "1-512-555-0143",
        "(512)555-0143",
    ],
)
def test_every_phone_format(printed):
    assert norm.phone(printed) == "5125550143"


@pytest.mark.parametrize(
    "printed",
    ["512-SS5-0143", "(512) 555-O143", "5l2.555.0143", "Fax 512 555 Ol43", "(5I2) 5S5-0I43", "51Z-555-0143"],
)
def test_a_phone_with_digits_read_as_letters(printed):
    assert norm.phone(printed) == "5125550143"


@pytest.mark.parametrize("printed", ["512.555:0143", "512,555,0143", "(512) 555:0143"])
def test_a_phone_with_a_separator_read_as_a_colon_or_comma(printed):
    assert norm.phone(printed) == "5125550143"


def test_a_six_read_as_g_is_a_six():
    assert norm.phone("(G17) 555-0137") == "6175550137"


def test_words_are_not_read_as_phone_numbers():
    assert norm.phone("Blanchardburgh Primary Care") is None
    assert norm.phone("SOLO BILLS 12") is None
    assert norm.phone("GOZO BLISS 2") is None


@pytest.mark.parametrize(
    "printed,past,expected",
    [
        ("3/9/57", True, "1957-03-09"),
        ("1/15/05", True, "2005-01-15"),  # a child, not a 121-year-old
        ("06/01/27", False, "2027-06-01"),  # an authorization running into next year
        ("12/03/26", False, "2026-12-03"),
        ("01/02/99", False, "1999-01-02"),
    ],
)
def test_two_digit_years_take_the_likely_century(printed, past, expected):
    assert norm.find_date(printed, two_digit_past=past) == expected


@pytest.mark.parametrize(
    "printed,expected",
    [
        ("Dennis l. Harvey", "Dennis I. Harvey"),  # OCR's l and 1 for an initial I
        ("Dennis 1. Harvey", "Dennis I. Harvey"),
        ("Joan y. Pope", "Joan Y. Pope"),
        ("Services TTY", None),  # "Member Services TTY 711" on a card's back
    ],
)
def test_initials_and_words_that_are_no_names(printed, expected):
    assert norm.person_name(printed) == expected


def test_short_phone_returned_as_printed_digits_for_flagging():
    assert norm.phone("512-555-014") == "512555014"


@pytest.mark.parametrize(
    "printed,expected",
    [
        ("GONZALEZ, MARIA L", "Maria L. Gonzalez"),
        ("Gonzalez, Maria L.", "Maria L. Gonzalez"),
        ("Maria L. Gonzalez", "Maria L. Gonzalez"),
        ("MARIA GONZALEZ", "Maria Gonzalez"),
        ("Dr. Anne Ruiz", "Anne Ruiz"),
        ("Vincent, Joshua I", "Joshua I. Vincent"),  # an initial I, not "the First"
        ("SLOAN, CHRISTOPHER |", "Christopher I. Sloan"),
        ("John Smith I", "John Smith"),
    ],
)
def test_names_in_first_middle_last_order(printed, expected):
    assert norm.person_name(printed) == expected


def test_provider_keeps_credential():
    assert norm.person_name("David Chen, MD", keep_credential=True) == "David Chen, MD"
    assert norm.person_name("Robinson, Tristan PA-C", keep_credential=True) == "Tristan Robinson, PA-C"


def test_sentences_are_not_names():
    assert norm.person_name("reports fatigue and shortness of breath on exertion") is None
    assert norm.person_name("information") is None


@pytest.mark.parametrize(
    "printed,expected",
    [
        ("XGH-884210773", "XGH884210773"),
        ("xgh 884210773", "XGH884210773"),
        ("W123456789 Group", "W123456789"),
    ],
)
def test_identifiers_upper_case_without_separators(printed, expected):
    assert norm.identifier(printed) == expected


def test_identifier_needs_a_digit():
    assert norm.identifier("Cardiology") is None


def test_diagnosis_codes_repair_ocr_confusions():
    assert norm.diagnosis_codes("148.91 - Atrial fibrillation; I10") == ["I48.91", "I10"]
    assert norm.diagnosis_codes("Palpitations (ROO.2)") == ["R00.2"]  # zeros read as O
    assert norm.diagnosis_codes("C4A.0") == ["C4A.0"]  # a letter where it belongs stays


def test_procedure_codes():
    assert norm.procedure_codes("97110 - Therapeutic exercise, E0601") == ["97110", "E0601"]


@pytest.mark.parametrize("printed,expected", [("F", "F"), ("Female", "F"), ("MALE", "M"), ("X", "X")])
def test_sex(printed, expected):
    assert norm.sex(printed) == expected


@pytest.mark.parametrize(
    "text,status",
    [
        ("The request has been APPROVED.", "approved"),
        ("This service is not approved.", "denied"),
        ("Non-certified", "denied"),
        ("Pending review", "pending"),
    ],
)
def test_auth_status(text, status):
    assert norm.auth_status(text) == status


def test_a_leading_zero_misread_as_nine_is_repaired_only_where_the_date_was_impossible():
    from extractors.normalise import find_date

    assert find_date("DOB: . 96-12-1943") == "1943-06-12"
    assert find_date("DOB: 12/86/1950") == "1950-12-06"
    assert find_date("DOB: 09/12/1943") == "1943-09-12"
