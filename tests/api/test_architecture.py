"""The architecture tab's endpoints through gradio_client: real walks on SmolLM2 and MiniLM, the lens's last row
equal to the model's own prediction, the swaps, the masks of pretraining and their rates, the anatomy table, and
errors that name the parameter."""

import pytest
from gradio_client.exceptions import AppError

from playground.core import config


def test_a_smollm2_block_walked_through_the_api_matches_its_modules(client):
    summary, figure, table, data = client.predict(model=config.EMBEDDED_LM, prompt="The capital of France is",
                                                  layer=3, position=-1, api_name="/block_walk")
    assert data["family"] == "llama" and data["layer"] == 3 and data["position"] == len(data["tokens"]) - 1
    compared = [s for s in data["steps"] if s["difference"] is not None]
    assert len(compared) == 15 and all(s["relative"] <= 1e-5 for s in compared)
    assert [row[0] for row in table["data"]] == [s["name"] for s in data["steps"]]
    assert "matches the model's own module" in summary


def test_minilm_walks_as_a_post_norm_bert(client):
    summary, _, _, data = client.predict(model=config.EMBEDDED_ENCODER, prompt="Paris is in France.", layer=0,
                                         position=1, api_name="/block_walk")
    assert data["family"] == "bert" and data["tokens"][0] == "[CLS]"
    assert data["steps"][-1]["name"] == "residual add, then LayerNorm" and data["max_relative"] <= 1e-5
    assert "post-norm" in summary


def test_the_lens_ends_on_the_models_own_answer(client):
    summary, heatmap, ranks, data = client.predict(model=config.EMBEDDED_LM,
                                                   prompt="The Eiffel Tower is in the city of",
                                                   api_name="/logit_lens")
    assert data["final_tokens"][-1] == " Paris" and data["top_tokens"][-1][-1] == " Paris"
    assert data["last_layer_difference"] <= 1e-5 and len(data["rows"]) == 31
    assert "Paris" in summary


def test_anatomy_reads_the_reference_models_and_the_chosen_one(client):
    table = client.predict(model="smollm2-135m-instruct", api_name="/anatomy")
    rows = {row[0]: dict(zip(table["headers"], row)) for row in table["data"]}
    assert list(rows)[:5] == ["BERT-base", "GPT-2 (124M)", "T5-small", "Llama-3-8B", "Qwen2.5-7B"]
    smol = rows["SmolLM2-135M-Instruct (embedded)"]
    assert smol["attention"] == "GQA: 9 query heads, 3 KV heads" and smol["total (M)"] == pytest.approx(134.5)
    assert rows["all-MiniLM-L6-v2 (embedded BERT encoder)"]["norm"] == "LayerNorm, post-norm"


def test_norms_and_mlps_on_smollm2_beside_minilm(client):
    summary, norms, gate, table, streams, data = client.predict(
        model=config.EMBEDDED_LM, prompt="The capital of France is", layer=12, position=-1, api_name="/norms_and_mlps")
    assert data["layer"] == 12 and data["gate"]["kind"] == "silu(gate)" and data["gate"]["channels"] == 1536
    assert [s["norm_placement"] for s in data["streams"]] == ["pre-norm", "post-norm"]
    smol = dict(zip(table["headers"], table["data"][-1]))
    assert smol["inner width"] == 1536 and smol["SwiGLU width at equal weights (⅔ · 4d)"] == 1536
    assert "LayerNorm's does not move" in summary


@pytest.mark.parametrize("objective, words", [("mlm", "DataCollatorForLanguageModeling"),
                                              ("span_corruption", "sentinel"), ("next_token", "Chat fine-tune")])
def test_each_pretraining_objective_draws(client, objective, words):
    summary, figure, data = client.predict(text="the cat sat on the mat", objective=objective, seed=4,
                                           fill_model="", api_name="/pretraining_masks")
    assert data["objective"] == objective and words in summary


def test_the_mlm_rates_hold_over_a_thousand_draws(client):
    summary, figure, data = client.predict(text="the cat sat on the mat and looked at the dog", draws=1000, seed=1,
                                           api_name="/mlm_rates")
    assert data["holds"] and data["rates"][0]["trials"] == 1000 * 11 and "within its bound" in summary


@pytest.mark.parametrize("endpoint, changes, words", [
    ("/block_walk", {"layer": 30}, "layer must be between 0 and 29"),
    ("/block_walk", {"position": 40}, "position must be between"),
    ("/block_walk", {"model": "tiny-t5"}, "model: the block walk covers"),
    ("/logit_lens", {"model": config.EMBEDDED_ENCODER}, "model: the logit lens"),
    ("/logit_lens", {"prompt": "  "}, "The prompt is empty"),
    ("/norms_and_mlps", {"layer": -1}, "layer must be between 0 and 29"),
    ("/pretraining_masks", {"objective": "nsp"}, "objective: it must be one of"),
    ("/pretraining_masks", {"seed": -3}, "seed: it must be a whole number"),
])
def test_bad_input_is_named(client, endpoint, changes, words):
    args = {"model": config.EMBEDDED_LM, "prompt": "The capital of France is"}
    if endpoint in ("/block_walk", "/norms_and_mlps"):
        args |= {"layer": 0, "position": -1}
    if endpoint == "/pretraining_masks":
        args = {"text": "the cat sat", "objective": "mlm", "seed": 0}
    with pytest.raises(AppError, match=words):
        client.predict(**{**args, **changes}, api_name=endpoint)
