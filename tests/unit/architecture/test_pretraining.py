"""The pretraining-masks entry point: each objective on the learner's text, bad input named by parameter, and
fill-mask from a model with an MLM head when one can be had (a folder here; pipeline("fill-mask") is the
oracle), or a plain statement of why not."""

import pytest
from transformers import BertConfig, BertForMaskedLM, pipeline

from playground.architecture.mlm import MlmDraw
from playground.architecture.next_token_labels import NextToken
from playground.architecture.pretraining import MAX_TOKENS, fill_mask, mlm_rates, pretraining_masks, wordpiece
from playground.architecture.span_corruption import SpanCorruption
from playground.core import models
from playground.core.errors import PlaygroundError
from playground.core.seeded import seeded

TEXT = "the cat sat on the mat and looked at the dog"


@pytest.mark.parametrize("objective, kind", [("mlm", MlmDraw), ("span_corruption", SpanCorruption),
                                             ("next_token", NextToken)])
def test_each_objective_draws_on_the_text(objective, kind):
    drawn = pretraining_masks(TEXT, objective, 3)
    assert isinstance(drawn, kind) and drawn.payload()["objective"] == objective


@pytest.mark.parametrize("args, words", [
    (("  ", "mlm", 0), "text: it is empty"),
    ((TEXT, "nsp", 0), "objective: it must be one of mlm, span_corruption, next_token"),
    ((TEXT, "mlm", -1), "seed: it must be a whole number"),
    ((TEXT, "mlm", 1.5), "seed: it must be a whole number"),
    ((TEXT, "mlm", "x"), "seed: it must be a whole number"),
    ((TEXT, "mlm", float("nan")), "seed: it must be a whole number"),
    (("word " * (MAX_TOKENS + 1), "span_corruption", 0), f"text: it is {MAX_TOKENS + 1} tokens long"),
    (("a", "span_corruption", 0), "text: it needs at least 2 tokens"),
])
def test_bad_input_names_the_parameter(args, words):
    with pytest.raises(PlaygroundError, match=words):
        pretraining_masks(*args)


def test_bad_draws_are_named():
    with pytest.raises(PlaygroundError, match="draws: it must be a whole number from 1 to 10,000"):
        mlm_rates(TEXT, 0, 0)


def test_offline_fill_mask_says_why_there_is_none():
    filled = fill_mask(pretraining_masks(TEXT, "mlm", 0), "bert-base-uncased")
    assert filled.predictions == [] and "unreachable" in filled.unavailable and "MLM head" in filled.unavailable


def test_fill_mask_from_a_folder_matches_transformers_pipeline(tmp_path, monkeypatch):
    tokenizer = wordpiece()
    with seeded(0):
        model = BertForMaskedLM(BertConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
                                           num_hidden_layers=1, num_attention_heads=2)).eval()
    model.save_pretrained(tmp_path / "bert")
    tokenizer.save_pretrained(tmp_path / "bert")
    monkeypatch.setattr(models.config, "LOCAL_MODEL_DIRS", [tmp_path.resolve()])
    draw = next(d for d in (pretraining_masks(TEXT, "mlm", s) for s in range(50))
                if d.fates.count("[MASK]") == 1 and "random" not in d.fates)
    filled = fill_mask(draw, str(tmp_path / "bert"))
    oracle = pipeline("fill-mask", model=str(tmp_path / "bert"), top_k=3)(
        tokenizer.decode(draw.input_ids[1:-1]))
    at = next(p for p in filled.predictions if p["seen"] == "[MASK]")
    assert [g for g, _ in at["top"]] == [o["token_str"] for o in oracle]
    assert [p for _, p in at["top"]] == pytest.approx([o["score"] for o in oracle], abs=1e-4)
    models.load_masked_lm.cache_clear()


def test_a_fill_model_with_another_vocabulary_is_refused(tmp_path, monkeypatch):
    tiny = models.load_causal_lm("tiny-llama")
    with seeded(0):
        model = BertForMaskedLM(BertConfig(vocab_size=len(tiny.tokenizer), hidden_size=32, intermediate_size=64,
                                           num_hidden_layers=1, num_attention_heads=2))
    model.save_pretrained(tmp_path / "other")
    tiny.tokenizer.save_pretrained(tmp_path / "other")
    monkeypatch.setattr(models.config, "LOCAL_MODEL_DIRS", [tmp_path.resolve()])
    filled = fill_mask(pretraining_masks(TEXT, "mlm", 0), str(tmp_path / "other"))
    assert filled.predictions == [] and "another vocabulary" in filled.unavailable
    models.load_masked_lm.cache_clear()
