import json
from pathlib import Path

import jsonschema

from core.settings import Settings
from rules.engine import load_rules
from samples.packets import generate
from samples.wording import Wording
from tests.conftest import TODAY
from tests.helpers.faxes import SCHEMA


def _generate(folder: Path, seed: int, split: str = "all", count: int = 4) -> list[dict]:
    paths = generate(folder, count, seed, split, TODAY, load_rules(Settings().rules_file))
    return [json.loads((folder / f"{p.stem}.truth.json").read_text()) for p in paths]


def test_truth_is_in_the_contracts_shape(tmp_path):
    for truth in _generate(tmp_path, 3):
        truth = {**truth, "status": "complete"}
        jsonschema.validate(truth, SCHEMA)
        pages = [n for d in truth["documents"] for n in d["pages"]]
        assert pages == list(range(1, truth["page_count"] + 1))


def test_same_seed_same_packets(tmp_path):
    first = _generate(tmp_path / "a", 9, count=2)
    second = _generate(tmp_path / "b", 9, count=2)
    content = [{k: v for k, v in t.items() if k != "sha256"} for t in first]
    assert content == [{k: v for k, v in t.items() if k != "sha256"} for t in second]


def test_train_and_holdout_draw_disjoint_wordings():
    import random

    options = list(range(8))
    train = {Wording(random.Random(i), "train").pick(options) for i in range(50)}
    holdout = {Wording(random.Random(i), "holdout").pick(options) for i in range(50)}
    assert train.isdisjoint(holdout) and train | holdout == set(options)


def test_pages_can_be_fed_further_askew(tmp_path):
    import numpy as np

    from extractors.loading import open_fax
    from extractors.raster import page_image
    from extractors.skew import skew_angle

    straight, askew = (
        generate(tmp_path / name, 1, 5, "all", TODAY, load_rules(Settings().rules_file), skew)[0]
        for name, skew in (("straight", 0.0), ("askew", 4.0))
    )
    angles = [abs(skew_angle(np.asarray(page_image(open_fax(p, Settings()), 1)))) for p in (straight, askew)]
    assert angles[0] <= 1.3 and 2.7 <= angles[1] <= 5.3
