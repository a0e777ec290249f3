"""BERT's MLM view is transformers' own collator: its choices equal a direct call at the same seed; the fates read
from its output agree with the ids; the rates over many draws pass against 15% and 80/10/10 at the defaults and
fail when the collator is given a wrong probability."""

import pytest
import torch
from transformers import DataCollatorForLanguageModeling

from playground.architecture import mlm
from playground.architecture.pretraining import mlm_ids, wordpiece

TEXT = "BERT reads both sides of a gap, while GPT reads from left to right and predicts the next word."


@pytest.fixture(scope="module")
def ids():
    return mlm_ids(TEXT)


@pytest.mark.parametrize("seed", [0, 7, 28])
def test_a_draw_is_the_collators_own_choice(ids, seed):
    drawn = mlm.draw(wordpiece(), ids, seed)
    direct = DataCollatorForLanguageModeling(wordpiece(), mlm_probability=0.15, seed=seed)([{"input_ids": ids}])
    assert drawn.input_ids == direct["input_ids"][0].tolist()
    assert drawn.labels == direct["labels"][0].tolist()


def test_the_fates_agree_with_the_ids(ids):
    tokenizer = wordpiece()
    seen = set()
    for seed in range(40):
        d = mlm.draw(tokenizer, ids, seed)
        for original, now, label, fate in zip(ids, d.input_ids, d.labels, d.fates):
            seen.add(fate)
            if fate in ("special", "not picked"):
                assert label == mlm.IGNORE and now == original
            else:
                assert label == original
                assert (now == tokenizer.mask_token_id) == (fate == "[MASK]")
                assert (now == original) == (fate == "unchanged")
        assert d.fates[0] == d.fates[-1] == "special"  # [CLS] and [SEP] are never picked
    assert seen == set(mlm.FATES)


def test_the_rates_hold_at_the_defaults(ids):
    rates = mlm.rates(wordpiece(), ids, 1000, seed=0)
    assert rates.holds, [r.payload() for r in rates.rates]
    assert rates.rates[0].trials == 1000 * (len(ids) - 2)
    counted = torch.tensor([r.count for r in rates.rates[1:]]).sum()
    assert counted == rates.rates[0].count  # every picked token has exactly one fate


@pytest.mark.parametrize("probability", [0.1, 0.2])
def test_the_rates_fail_for_a_wrong_probability(ids, probability):
    rates = mlm.rates(wordpiece(), ids, 1000, seed=0, probability=probability)
    assert not rates.holds and not rates.rates[0].holds
