"""Rule removal: long straight runs go, short marks (letters) stay; the fast candidate search
finds exactly what the full-page opening finds."""

import numpy as np
import pytest
from scipy.ndimage import maximum_filter1d, minimum_filter1d

from extractors.cleanup import _eroded, _on_long_runs, _thicken, remove_rules


def test_box_borders_are_whitened_and_letters_kept():
    pixels = np.full((400, 600), 255)
    pixels[100, 50:550] = 0  # a horizontal rule
    pixels[50:350, 300] = 0  # a vertical rule
    pixels[200:215, 100:108] = 0  # a letter-sized mark
    cleaned = remove_rules(pixels.astype(np.uint8), dpi=200)
    assert (cleaned[100, 50:550] == 255).all() and (cleaned[50:350, 300] == 255).all()
    assert (cleaned[200:215, 100:108] == 0).all()


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
