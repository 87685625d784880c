from core.data import PageText, Word
from extractors.textlayer import is_real_text


def _page(tokens: list[str]) -> PageText:
    words = [Word(t, i * 10.0, 0, 8, 8, 100, 0) for i, t in enumerate(tokens)]
    return PageText(1, words, "text_layer", None, 612, 792)


def test_a_page_of_prose_is_real_text():
    assert is_real_text(
        _page("Patient was seen today for follow up of chronic low back pain and".split()), 12
    )


def test_a_fax_header_stamp_alone_is_not():
    assert not is_real_text(_page("11/27/2026 10:42 FROM: 5125550199 P.001/003".split()), 12)


def test_glyph_junk_is_not():
    junk = ["\ue000\ue001\ue002", "ﬁﬂ", "\x01\x02"] * 10 + ["word"] * 12
    assert not is_real_text(_page(junk), 12)


def test_one_page_of_a_text_layer_reads_like_that_page_of_the_whole(tmp_path):
    from extractors.textlayer import text_layer_pages
    from tests.helpers.faxes import make_fax

    path, truth = make_fax(tmp_path, "born_digital", "fine", scenario="referral")
    whole = text_layer_pages(path)
    last = truth["page_count"]
    single = text_layer_pages(path, only=last)
    assert list(single) == [last] and single[last].text == whole[last].text


def test_a_control_character_inside_a_word_does_not_split_its_row():
    from extractors.textlayer import _pages_of_tsv

    header = "level\tpage_num\tpar_num\tblock_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t612\t792\t-1\t###PAGE###",
        "4\t1\t0\t0\t0\t0\t72\t72\t200\t10\t-1\t###LINE###",
        "5\t1\t0\t0\t0\t0\t72\t72\t40\t10\t100\tPatient",
        "5\t1\t0\t0\t0\t1\t116\t72\t40\t10\t100\tNa\x0cme:",
    ]
    page = _pages_of_tsv("\n".join([header, *rows]) + "\n")[1]
    assert [w.text for w in page.words] == ["Patient", "Na\x0cme:"] and (page.width, page.height) == (
        612,
        792,
    )


def test_a_row_with_a_malformed_number_is_skipped_not_the_layer():
    from extractors.textlayer import _pages_of_tsv

    header = "level\tpage_num\tpar_num\tblock_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "1\t1\t0\t0\t0\t0\t0\t0\t612\t792\t-1\t###PAGE###",
        "5\t1\t0\t0\t0\t0\t72\t72\tnan?\t10\t100\tBroken",
        "5\t1\t0\t0\t0\t1\t116\t72\t40\t10\t100\tKept",
    ]
    assert [w.text for w in _pages_of_tsv("\n".join([header, *rows]) + "\n")[1].words] == ["Kept"]
