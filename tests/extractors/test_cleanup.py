"""Rule removal: long straight runs go, short marks (letters) stay; the fast candidate search
finds exactly what the full-page opening finds."""

import numpy as np
import pytest
from scipy.ndimage import maximum_filter1d, minimum_filter1d

from extractors.cleanup import (
    _eroded,
    _on_long_runs,
    _thicken,
    ink,
    remove_rules,
    remove_specks,
)


def test_box_borders_are_whitened_and_letters_kept():
    pixels = np.full((400, 600), 255)
    pixels[100, 50:550] = 0  # a horizontal rule
    pixels[50:350, 300] = 0  # a vertical rule
    pixels[200:215, 100:108] = 0  # a letter-sized mark
    cleaned = remove_rules(pixels.astype(np.uint8), dpi=200)
    assert (cleaned[100, 50:550] == 255).all() and (cleaned[50:350, 300] == 255).all()
    assert (cleaned[200:215, 100:108] == 0).all()


def test_a_leaning_box_border_goes_when_its_lean_is_given():
    pixels = np.full((600, 400), 255, np.uint8)
    rows = np.arange(50, 550)
    pixels[rows, np.rint(200 + (rows - 50) * np.tan(np.radians(3))).astype(int)] = 0  # leans 3 degrees
    pixels[300:315, 100:108] = 0  # a letter-sized mark beside it
    assert (remove_rules(pixels, dpi=200) == 0).sum() > 15 * 8 + 20  # upright only: pieces are left
    cleaned = remove_rules(pixels, dpi=200, lean=3.0)
    assert (cleaned == 0).sum() == 15 * 8 and (cleaned[300:315, 100:108] == 0).all()


def test_a_page_without_rules_comes_back_untouched():
    pixels = np.full((300, 300), 255, np.uint8)
    pixels[100:110, 100:130] = 0
    assert remove_rules(pixels, dpi=200) is pixels


@pytest.mark.parametrize("seed", range(5))
def test_the_candidate_search_matches_the_full_opening(seed):
    rng = np.random.default_rng(seed)
    pixels = np.where(rng.random((500, 700)) < 0.3, 0, 255)  # speckle: many short runs
    for _ in range(6):
        row, start = rng.integers(0, 500), rng.integers(0, 600)
        pixels[row, start : start + rng.integers(20, 100)] = 0
        column, top = rng.integers(0, 700), rng.integers(0, 400)
        pixels[top : top + rng.integers(20, 100), column] = 0
    dark = pixels < 128
    length = 51
    expected = _on_long_runs(_thicken(dark, 0), length, 1) | _on_long_runs(_thicken(dark, 1), length, 0)
    cleaned = remove_rules(pixels.astype(np.uint8), dpi=204)
    assert np.array_equal(cleaned == 255, ~dark | (expected & dark))


@pytest.mark.parametrize("seed", range(20))
def test_the_running_sums_open_as_scipys_running_minimum_and_maximum_do(seed):
    """Erosion and opening by running sums, against scipy.ndimage's filters (a line longer
    than the image and an even length included)."""
    rng = np.random.default_rng(seed)
    dark = rng.random((rng.integers(1, 40), rng.integers(1, 60))) < rng.uniform(0.3, 0.95)
    length, axis = int(rng.integers(1, 70)), seed % 2
    minimum = minimum_filter1d(dark.view(np.uint8), length, axis=axis, mode="constant", cval=0)
    maximum = maximum_filter1d(minimum, length, axis=axis, mode="constant", cval=0)
    assert np.array_equal(_eroded(dark, length, axis), minimum.view(bool))
    assert np.array_equal(_on_long_runs(dark, length, axis), maximum.view(bool))


def test_specks_are_whitened_and_strokes_kept():
    pixels = np.full((100, 100), 255, np.uint8)
    pixels[10, 10] = 0  # a lone speck
    pixels[20, 20:22] = 0  # a speck of two
    pixels[40, 10:60] = 0  # a one-pixel stroke
    pixels[60:62, 60:62] = 0  # a dot of four
    pixels[[70, 71, 72], [70, 71, 72]] = 0  # a thin diagonal
    cleaned = remove_specks(pixels)
    assert cleaned[10, 10] == 255 and (cleaned[20, 20:22] == 255).all()
    assert (cleaned[40, 11:59] == 0).all() and (cleaned[60:62, 60:62] == 0).all()
    assert cleaned[71, 71] == 0


def test_pinholes_in_strokes_are_filled_and_gaps_kept():
    pixels = np.full((60, 60), 255, np.uint8)
    pixels[10:20, 10:20] = 0
    pixels[15, 15] = 255  # a pinhole: all eight neighbours ink
    pixels[30:40, 10:13] = 0
    pixels[30:40, 14:17] = 0  # a one-pixel gap between two strokes: three light neighbours each
    cleaned = remove_specks(pixels)
    assert cleaned[15, 15] == 0 and (cleaned[30:40, 13] == 255).all()


def test_a_page_without_specks_comes_back_untouched():
    pixels = np.full((50, 50), 255, np.uint8)
    pixels[10:20, 10:20] = 0
    assert remove_specks(pixels) is pixels


@pytest.mark.parametrize("seed", range(3))
def test_specks_match_a_plain_neighbour_count(seed):
    rng = np.random.default_rng(seed)
    pixels = np.where(rng.random((120, 90)) < 0.2, 0, 255).astype(np.uint8)
    padded = np.pad(pixels < 128, 1).astype(int)
    counts = sum(padded[dy : dy + 120, dx : dx + 90] for dy in range(3) for dx in range(3))
    expected = np.where((pixels < 128) & (counts <= 2), 255, pixels)
    expected = np.where((pixels >= 128) & (counts >= 7), 0, expected)
    assert (remove_specks(pixels) == expected).all()


def test_a_fax_page_is_ink_and_paper_with_resampled_edges_as_ink():
    pixels = np.full((100, 100), 255, np.uint8)
    pixels[10:20, 10:60] = 0
    pixels[20, 10:60] = 128  # an edge that stretching a standard-mode page blurred
    pixels[21, 10:60] = 191
    marked = ink(pixels)
    assert marked.dtype == bool
    assert marked[10:21, 10:60].all() and not marked[21:].any() and not marked[:10].any()
