from dataclasses import replace

from extractors.fields import extract_fields, unread_fields
from tests.conftest import layout


def _values(doc_type, rows, today):
    return {k: v.value for k, v in extract_fields(doc_type, [layout(rows)], today).items()}


def test_label_value_on_one_row_with_many_label_wordings(today):
    got = _values(
        "referral",
        [
            "Pt Name: GONZALEZ, MARIA L",
            "D.O.B.: 03/09/1957\tSex: Female",
            "Subscriber ID: XGH-884210773\tGrp #: 0098231",
            "Health Plan: Blue Cross Blue Shield of Texas",
            "Referring Physician: David Chen, MD\tNPI #: 1234567893",
            "Specialty Requested: Cardiology",
            "ICD-10: I48.91 - Atrial fibrillation",
            "Reason for Referral: Evaluate new onset atrial fibrillation",
            "Priority: STAT",
        ],
        today,
    )
    assert got == {
        "patient_name": "Maria L. Gonzalez",
        "patient_dob": "1957-03-09",
        "patient_sex": "F",
        "member_id": "XGH884210773",
        "group_number": "0098231",
        "insurance_payer": "Blue Cross Blue Shield of Texas",
        "referring_provider": "David Chen, MD",
        "referring_npi": "1234567893",
        "referred_to_specialty": "cardiology",
        "diagnosis_codes": ["I48.91"],
        "reason_for_referral": "Evaluate new onset atrial fibrillation",
        "urgency": "stat",
    }


def test_value_below_its_label(today):
    got = _values("demographics", ["Patient Name\tBirthdate", "Maria Gonzalez\t1957-03-09"], today)
    assert got["patient_name"] == "Maria Gonzalez"
    assert got["patient_dob"] == "1957-03-09"


def test_phone_and_fax_follow_their_section(today):
    got = _values(
        "referral",
        [
            "PATIENT INFORMATION",
            "Name: John Smith",
            "Phone: (512) 555-0143",
            "REFERRING PROVIDER",
            "Name: David Chen, MD",
            "Phone: 512-555-0100",
            "Fax: 512.555.0101",
        ],
        today,
    )
    assert got["patient_phone"] == "5125550143"
    assert got["referring_phone"] == "5125550100"
    assert got["referring_fax"] == "5125550101"
    assert got["referring_provider"] == "David Chen, MD"


def test_cover_sheet_to_and_from_sides(today):
    got = _values(
        "fax_cover",
        [
            "FAX",
            "To: Heart Specialists of Austin",
            "Fax: 512-555-0111",
            "From: Westside Family Medicine",
            "Fax: 512-555-0199",
            "Phone: 512-555-0198",
            "Pages: 5",
        ],
        today,
    )
    assert got == {
        "to_name": "Heart Specialists of Austin",
        "to_fax": "5125550111",
        "from_name": "Westside Family Medicine",
        "from_fax": "5125550199",
        "from_phone": "5125550198",
        "cover_page_count": 5,
    }


def test_fields_in_a_prose_letter(today):
    got = _values(
        "prior_auth",
        [
            "Aetna",
            "Utilization Management",
            "We have reviewed the request for CPT 72148 for member John Smith (ID W123456789)",
            "and it has been denied. Reference #: PA2026118831",
        ],
        today,
    )
    assert got["procedure_codes"] == ["72148"]
    assert got["patient_name"] == "John Smith"
    assert got["member_id"] == "W123456789"
    assert got["auth_status"] == "denied"
    assert got["auth_number"] == "PA2026118831"
    assert got["insurance_payer"] == "Aetna"


def test_checked_box_picks_the_urgency(today):
    assert _values("referral", ["Urgency: [] Routine X Urgent [] STAT"], today)["urgency"] == "urgent"


def test_only_the_types_fields_are_reported(today):
    got = _values("insurance_card", ["Member: John Smith", "DOB: 01/02/1960", "ID: W123456789"], today)
    assert "patient_dob" not in got


def test_invalid_values_carry_their_error(today):
    fields = extract_fields("referral", [layout(["NPI: 1234567890", "DOB: 02/30/1980"])], today)
    assert "check digit" in fields["referring_npi"].error
    assert fields["patient_dob"].error == "not a real calendar date"


def test_every_field_has_confidence_page_and_boxes(today):
    field = extract_fields("referral", [layout(["DOB: 03/09/1957"], number=2)], today)["patient_dob"]
    assert 0 < field.confidence <= 1 and field.page == 2 and field.boxes


def test_a_title_holding_a_label_word_gives_no_specialty(today):
    rows = ["Specialty Referral", "Referred To", "Specialty Requested: Psychiatry"]
    assert _values("referral", rows, today)["referred_to_specialty"] == "psychiatry"
    assert "referred_to_specialty" not in _values("referral", ["Specialty Referral", "Referred To"], today)


def test_codes_in_an_assessment_list_are_found_and_repaired(today):
    got = _values(
        "clinical_notes",
        ["ASSESSMENT", "1. Palpitations (ROO.2)", "2. Coronary artery disease (125.10)", "Glucose 125.10"],
        today,
    )
    assert got["diagnosis_codes"] == ["R00.2", "I25.10"]


def test_a_fax_header_line_gives_no_sender_name(today):
    got = _values(
        "fax_cover", ["11/28/2026 00:00 FROM: 3585550132 Health Clinic P.001/002", "Pages: 2"], today
    )
    assert "from_name" not in got and got["cover_page_count"] == 2


def test_a_value_cell_that_begins_with_a_label_word_is_the_value(today):
    """ "Specialty" opens the recipient's name in the cell after "Attn", not a label."""
    rows = ["FAX TRANSMITTAL", "Attn\tSpecialty Scheduling\tDate\t12/01/2026", "Sheets incl. this one\t3"]
    got = _values("fax_cover", rows, today)
    assert (got["to_name"], got["cover_page_count"]) == ("Specialty Scheduling", 3)


def test_an_unlabelled_letterhead_number_is_the_senders(today):
    rows = [
        "Brown Family Practice - (355) 555-7468",
        "To:\tSpecialty Scheduling",
        "From:\tBrown Family Practice",
    ]
    assert _values("fax_cover", rows, today)["from_phone"] == "3555557468"


def test_consult_with_names_the_specialty(today):
    assert _values("referral", ["Consult with: Neurology\tICD-10: G43.909"], today)[
        "referred_to_specialty"
    ] == ("neurology")


def test_a_title_in_large_type_holds_no_labels(today):
    """ "Specialist" opens the title "Specialist Consultation Request", which names no one."""
    page = layout(["Specialist Consultation Request", "Brown Family Practice", "Pt. name: KIM, Grace"])
    title = [replace(w, height=w.height * 2) for w in page.words if w.line == 0]
    page = replace(page, words=title + [w for w in page.words if w.line != 0])
    got = {k: v.value for k, v in extract_fields("referral", [page], today).items()}
    assert "referred_to_provider" not in got and got["patient_name"] == "Grace KIM"


def test_captions_above_values_in_boxes(today):
    """A payer's form: small captions over the boxes' values, two boxes a row."""
    rows = [
        "MEMBER NAME (LAST, FIRST)\tDATE OF BIRTH",
        "Bryant, Andrew\t12-24-1965",
        "HEALTH PLAN\tMEMBER ID NUMBER",
        "Harborview Health Plan\tWA320263401",
    ]
    got = _values("prior_auth", rows, today)
    assert got["patient_dob"] == "1965-12-24"
    assert (got["insurance_payer"], got["member_id"]) == ("Harborview Health Plan", "WA320263401")


def test_a_date_after_dob_in_running_text_is_read(today):
    got = _values(
        "clinical_notes", ["Douglas Family Practice - Office Visit", "Angela Allen DOB 03/20/1943"], today
    )
    assert (got["patient_name"], got["patient_dob"]) == ("Angela Allen", "1943-03-20")


def test_a_state_abbreviated_id_is_not_a_member_id_label(today):
    got = _values("demographics", ["Address: 12 Oak St, Boise, ID 83702", "Member ID: FV31790694"], today)
    assert got["member_id"] == "FV31790694"


def test_last_and_first_name_in_boxes_of_their_own(today):
    got = _values("demographics", ["Patient", "Last name\tRichardson", "First name\tSarah"], today)
    assert got["patient_name"] == "Sarah Richardson"


def test_a_cards_holder_and_payer_have_no_labels(today):
    rows = ["Prairie State Care Plan", "JEREMY PETERSON", "Member ID WH300176229", "Group No. 9242715"]
    got = _values("insurance_card", rows, today)
    assert got["insurance_payer"] == "Prairie State Care Plan"
    assert got["patient_name"].upper() == "JEREMY PETERSON" and got["member_id"] == "WH300176229"


def test_a_label_with_an_unreadable_value_is_unread_and_an_empty_one_is_not():
    page = layout(["Member ID: ~~ smudge ~~", "Date of Birth:", "Specialty Referral"])
    assert unread_fields("referral", [page]) == {"member_id"}


def test_a_number_level_with_a_label_on_two_lines_is_its_value(today):
    """OCR files the "3" beside "Sheets incl. this / one" with the label's second line."""
    rows = ["Attn:\tScheduling", "Sheets incl. this", "one\t3\tRe\tNew patient"]
    assert _values("fax_cover", rows, today)["cover_page_count"] == 3


def test_street_and_city_in_boxes_of_their_own_make_one_address(today):
    rows = ["Patient", "Street\t12 Oak St", "City/State/ZIP\tAustin, TX 78701"]
    assert _values("demographics", rows, today)["patient_address"] == "12 Oak St, Austin, TX 78701"
