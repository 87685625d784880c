"""Prepare a page image for OCR: take out the ruled lines of forms.

Tesseract reads a box border as text or, worse, treats a whole boxed region as
a picture and skips it. Removing long straight dark runs keeps the words and drops the rules."""

from __future__ import annotations

import math

import numpy as np

DARK = 128


def remove_rules(
    pixels: np.ndarray, dpi: float, min_length_in: float = 0.25, lean: float = 0.0
) -> np.ndarray:
    """The greyscale page with horizontal and vertical dark runs longer than `min_length_in`
    whitened; the same array when it holds none. Vertical runs may lean `lean` degrees: a
    page levelled by moving its columns (extractors.skew) keeps its box borders leaning."""
    length = max(21, round(dpi * min_length_in)) | 1  # odd: the opening below is then centred
    reach = 1 + math.ceil(length * math.tan(math.radians(abs(lean))) / 2)  # a leaning run's drift
    dark = pixels < DARK
    rows, columns = _may_hold_runs(dark, length, axis=1), _may_hold_runs(dark, length, axis=0, reach=reach)
    across = _on_long_runs(_thick_lines(dark, rows, axis=0), length, axis=1) & dark[rows]
    down = _on_long_runs(_thick_lines(dark, columns, axis=1, reach=reach), length, axis=0) & dark[:, columns]
    if not across.any() and not down.any():
        return pixels
    cleaned = pixels.copy()
    cleaned[rows] = np.where(across, 255, cleaned[rows])
    cleaned[:, columns] = np.where(down, 255, cleaned[:, columns])
    return cleaned


def _thicken(dark: np.ndarray, axis: int, reach: int = 1) -> np.ndarray:
    """Dark pixels grown by `reach` across `axis`, so a jagged, dotted or leaning rule reads
    as one run."""
    grown = dark.copy()
    for shift in range(1, reach + 1):
        if axis == 0:
            grown[shift:] |= dark[:-shift]
            grown[:-shift] |= dark[shift:]
        else:
            grown[:, shift:] |= dark[:, :-shift]
            grown[:, :-shift] |= dark[:, shift:]
    return grown


def _thick_lines(dark: np.ndarray, lines: np.ndarray, axis: int, reach: int = 1) -> np.ndarray:
    """`_thicken(dark, axis, reach)` taken at `lines` along `axis`, without thickening the rest."""
    last = dark.shape[axis] - 1
    return np.logical_or.reduce(
        [np.take(dark, np.clip(lines + shift, 0, last), axis=axis) for shift in range(-reach, reach + 1)]
    )


def _may_hold_runs(dark: np.ndarray, length: int, axis: int, reach: int = 1) -> np.ndarray:
    """Indices of the lines (rows for axis 1, columns for axis 0) that may hold a run of
    `length` along `axis` once thickened across it. Any such run covers at least
    length // step consecutive samples taken every `step` pixels, so opening the sampled
    image finds every one of those lines at a fraction of the cost; the exact opening then
    runs on them alone (few, on a page of text). Sampling along the run commutes with
    thickening across it, so only the samples are thickened."""
    step = max(1, length // 8)
    sampled = dark[:, ::step] if axis == 1 else dark[::step, :]
    thick = _thicken(sampled, axis=1 - axis, reach=reach)
    return np.flatnonzero(_eroded(thick, length // step, axis).any(axis=axis))


def _on_long_runs(dark: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels on a run of at least `length` dark pixels along `axis`: a morphological opening
    with a line `length` long (erosion, then dilation of what is left)."""
    return _window_sums(_eroded(dark, length, axis), length, axis) > 0


def _eroded(dark: np.ndarray, length: int, axis: int) -> np.ndarray:
    """The centres of `length` dark pixels in a row along `axis`: there is a run of `length`
    wherever there is one of these."""
    return _window_sums(dark, length, axis) == length


def _window_sums(values: np.ndarray, length: int, axis: int) -> np.ndarray:
    """The count of true values in a window `length` long around each place along `axis`
    (centred; an even window reaches one further back), counting none beyond the edges:
    differences of one cumulative sum, so linear time whatever the length."""
    lines = np.moveaxis(values, axis, -1)
    size, before = lines.shape[-1], length // 2
    # totals[k]: the trues among the first k places of the line padded with zeros both sides
    totals = np.zeros(lines.shape[:-1] + (size + length + 1,), np.int32)
    np.cumsum(lines, axis=-1, dtype=np.int32, out=totals[..., before + 1 : before + 1 + size])
    totals[..., before + 1 + size :] = totals[..., before + size : before + size + 1]
    return np.moveaxis(totals[..., length : length + size] - totals[..., :size], -1, axis)


def remove_specks(pixels: np.ndarray, most: int = 2, least_around: int = 7) -> np.ndarray:
    """The greyscale page with dark specks whitened and pinholes filled: a dark pixel with at
    most `most` dark pixels (itself included) in its 3x3 neighbourhood is line noise or
    toner, never part of a stroke at fax resolutions (a stroke's pixels have two neighbours
    or more); a light pixel with at least `least_around` dark neighbours is the same noise
    punched into a stroke."""
    dark = pixels < DARK
    counts = _sums_of_three(_sums_of_three(dark.view(np.uint8), axis=1), axis=0)
    specks = dark & (counts <= most)
    holes = ~dark & (counts >= least_around)
    if not specks.any() and not holes.any():
        return pixels
    cleaned = pixels.copy()
    cleaned[specks] = 255
    cleaned[holes] = 0
    return cleaned


def _sums_of_three(values: np.ndarray, axis: int) -> np.ndarray:
    """Each place's value plus its two neighbours' along `axis` (none beyond the edges)."""
    sums = values.copy()
    ahead = [slice(None)] * 2
    behind = [slice(None)] * 2
    ahead[axis], behind[axis] = slice(1, None), slice(None, -1)
    sums[tuple(behind)] += values[tuple(ahead)]
    sums[tuple(ahead)] += values[tuple(behind)]
    return sums


def ink(pixels: np.ndarray) -> np.ndarray:
    """A black-and-white page as ink (True) and paper, to go to tesseract as one bit a pixel,
    which skips its own thresholding (~7% of its time) and reads our fax sets as well or
    better. The few greys are edges that resampling to square pixels blurred: midpoints (128)
    count as ink (counting them as paper read worse)."""
    return pixels <= DARK
