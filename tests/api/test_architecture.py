"""/block_walk and /logit_lens through gradio_client: real walks on SmolLM2 and MiniLM, the lens's last row equal
to the model's own prediction, and errors that name the parameter."""

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


@pytest.mark.parametrize("endpoint, changes, words", [
    ("/block_walk", {"layer": 30}, "layer must be between 0 and 29"),
    ("/block_walk", {"position": 40}, "position must be between"),
    ("/block_walk", {"model": "tiny-t5"}, "model: the block walk covers"),
    ("/logit_lens", {"model": config.EMBEDDED_ENCODER}, "model: the logit lens"),
    ("/logit_lens", {"prompt": "  "}, "The prompt is empty"),
])
def test_bad_input_is_named(client, endpoint, changes, words):
    args = {"model": config.EMBEDDED_LM, "prompt": "The capital of France is"}
    if endpoint == "/block_walk":
        args |= {"layer": 0, "position": -1}
    with pytest.raises(AppError, match=words):
        client.predict(**{**args, **changes}, api_name=endpoint)
