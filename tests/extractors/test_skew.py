"""Levelling a page fed askew: the angle comes back from the text lines, with its sign; the
page is levelled by moving columns, and a straight or nearly straight page is left alone."""

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.skew import LEAST, skew_angle, straightened


@pytest.fixture(scope="module")
def page() -> Image.Image:
    image = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    for row in range(25):
        draw.text((120, 150 + row * 75), f"Line {row}: Patient referred for evaluation", fill=0, font=font)
    return image


def askew(page: Image.Image, degrees: float) -> np.ndarray:
    turned = page.rotate(degrees, resample=Image.Resampling.BILINEAR, fillcolor=255)
    return np.where(np.asarray(turned) < 128, 0, 255).astype(np.uint8)  # a fax: black and white


@pytest.mark.parametrize("degrees", [-4.0, -2.5, 0.0, 1.0, 3.0])
def test_the_angle_comes_back_with_its_sign(page, degrees):
    assert skew_angle(askew(page, degrees)) == pytest.approx(degrees, abs=0.15)


def test_a_page_three_degrees_askew_is_levelled_without_resampling_a_pixel(page):
    pixels = askew(page, 3.0)
    levelled, angle = straightened(pixels)
    assert angle == pytest.approx(3.0, abs=0.15)
    assert abs(skew_angle(levelled)) <= 0.15
    assert np.count_nonzero(levelled == 0) == np.count_nonzero(pixels == 0)  # columns moved whole


def test_a_nearly_straight_page_is_left_as_it_is(page):
    pixels = askew(page, LEAST * 0.6)
    assert straightened(pixels) == (pixels, 0.0)


def test_a_page_with_too_little_ink_has_no_angle():
    pixels = np.full((500, 500), 255, np.uint8)
    pixels[100:105, 100:110] = 0
    assert skew_angle(pixels) == 0.0
