"""/attention and /attention_cell through gradio_client: the model's real matrix, the maths of a cell, clear errors."""

import pytest
import torch
from gradio_client.exceptions import AppError

from playground.core.twins import eager_twin
from playground.core import config
from playground.core.prompts import build_prompt

PROMPT = "The capital of France is Paris"


def attention(client, **changes):
    args = dict(model="smollm2-135m-instruct", prompt=PROMPT, layer=18, head=8, statistic="first_token",
                use_chat_template=False)
    return client.predict(**{**args, **changes}, api_name="/attention")


def test_attention_returns_the_tokens_and_the_models_own_matrix(client, smollm2):
    summary, *_, data = attention(client)
    ids = build_prompt(smollm2.tokenizer, PROMPT, use_chat_template=False).input_ids
    with torch.inference_mode():
        expected = eager_twin(smollm2.model)(torch.tensor([ids]), output_attentions=True).attentions[18][0, 8]
    assert data["token_ids"] == ids and "".join(data["tokens"]) == PROMPT
    assert (data["layer"], data["head"], data["kv_head"], data["num_kv_heads"]) == (18, 8, 2, 3)
    assert torch.allclose(torch.tensor(data["attention"]), expected, atol=5e-5)  # sent to 4 decimals
    assert "Top heads by first-token attention" in summary


def test_the_cell_maths_reproduce_the_weight(client):
    text, rows, data = client.predict(model="tiny-llama", prompt=PROMPT, layer=1, head=2, query=4, key=1,
                                      use_chat_template=False, api_name="/attention_cell")
    assert len(rows["data"]) == len(data["weights"])
    assert data["weights"] == pytest.approx(data["model_weights"], abs=1e-5)
    assert sum(data["weights"]) == pytest.approx(1.0, abs=1e-5)
    assert "Query 4" in text and "key 1" in text


@pytest.mark.parametrize("change,words", [
    (dict(layer=30), "layer must be between 0 and 29"),
    (dict(head=9), "head must be between 0 and 8"),
    (dict(prompt=""), "empty"),
    (dict(prompt="word " * (config.MAX_ATTENTION_TOKENS + 5)), "square of the length"),
    (dict(statistic="loudness"), "statistic must be one of"),
])
def test_bad_input_is_a_clear_error(client, change, words):
    with pytest.raises(AppError, match=words):
        attention(client, **change)
    assert attention(client, model="tiny-llama", layer=0, head=0)[-1]["num_layers"] == 2


def test_a_cell_outside_the_prompt_is_a_clear_error(client):
    with pytest.raises(AppError, match="query must be between 0 and"):
        client.predict(model="tiny-llama", prompt=PROMPT, layer=0, head=0, query=99, key=0, use_chat_template=False,
                       api_name="/attention_cell")


def test_edit_mask_moves_the_prediction_and_explains_bad_cells(client):
    text, _, _, data = client.predict(model="smollm2-135m-instruct", prompt="The capital of France is",
                                      blocked=[[4, 3]], use_chat_template=False, api_name="/edit_mask")
    assert data["before"][0]["text"] == " Paris" and data["after"][0]["text"] != " Paris"
    assert data["blocked"] == [[4, 3]] and "Blocked 1 cell(s)" in text
    with pytest.raises(AppError, match="outside the 5 × 5"):
        client.predict(model="smollm2-135m-instruct", prompt="The capital of France is", blocked=[[9, 0]],
                       use_chat_template=False, api_name="/edit_mask")


def test_masks_shows_t5s_three_masks(client):
    text, _, data = client.predict(model="smollm2-135m-instruct", prompts=["The capital of France is", "Hi there"],
                                   mask_kind="t5", window=3, api_name="/masks")
    assert data["matches_masking_utils"] and "random weights" in data["model"]
    assert [p["name"].split(" ")[0] for p in data["panels"]] == ["encoder", "decoder", "cross-attention"]
    assert "Cross-attention has a row per decoder token" in text


@pytest.mark.parametrize("kind", ["padding_left", "packed", "bidirectional"])
def test_masks_returns_the_mask_the_model_applied(client, kind):
    text, _, data = client.predict(model="smollm2-135m-instruct", prompts=["The capital of France is", "Hi there"],
                                   mask_kind=kind, window=3, api_name="/masks")
    assert data["matches_masking_utils"] and data["forbidden_weight"] == 0.0
    assert all(set(v for row in mask for v in row) <= {0, 1} for mask in data["mask"])
    assert ("MiniLM" in data["model"]) == (kind == "bidirectional") and "the same as" in text
    if kind == "packed":
        assert data["packing_gap"] < 1e-3 < 1.0 < data["packing_gap_without_restart"]
        assert "Packing, proven" in text


def test_padding_side_shows_both_continuations(client):
    text, table, data = client.predict(model="smollm2-135m-instruct", prompts=["The capital of France is", "Hi there"],
                                       api_name="/padding_side")
    assert data["left"]["continuation"] == data["alone"] != data["right"]["continuation"]
    assert [row[0] for row in table["data"]] == ["alone (no padding)", "left padding", "right padding"]
    assert "left padding gives the same continuation" in text


def test_rope_keeps_the_score_when_the_pair_moves_together(client):
    text, rows, _, data = client.predict(model="smollm2-135m-instruct", prompt=PROMPT, layer=5, head=3, query=5,
                                         key=3, use_chat_template=False, api_name="/rope")
    scores = [row[3] for row in rows["data"]]
    assert max(scores) - min(scores) < 1e-3 and "depends on m − n = 2 alone" in text
    assert len(data["scores"]) == len(data["distances"]) == 257


def test_attention_growth_adds_one_row_per_generated_token(client):
    text, _, data = client.predict(model="smollm2-135m-instruct", prompt="The capital of France is", layer=5, head=3,
                                   new_tokens=6, use_chat_template=False, api_name="/attention_growth")
    n = len(data["tokens"])
    assert data["prompt_length"] == 5 and n == 10 and len(data["matrix"]) == n
    assert all(abs(sum(row) - 1) < 1e-3 for row in data["matrix"])
    assert "Generated 6 token(s)" in text and "Paris" in text


def test_several_query_tokens_add_up(client, smollm2):
    *_, data = attention(client, queries=[5, 3])
    ids = build_prompt(smollm2.tokenizer, PROMPT, use_chat_template=False).input_ids
    with torch.inference_mode():
        rows = eager_twin(smollm2.model)(torch.tensor([ids]), output_attentions=True).attentions[18][0, 8]
    assert data["queries"] == [3, 5]
    assert torch.allclose(torch.tensor(data["summed"]).float(), rows[3] + rows[5], atol=1e-4)
    with pytest.raises(AppError, match="queries must be token positions between 0 and 5"):
        attention(client, queries=[6])


def test_minilm_and_t5_open_in_the_head_views_and_the_cell_maths(client):
    *_, data = attention(client, model="minilm-l6-v2", layer=5, head=11)
    assert (data["num_layers"], data["num_heads"]) == (6, 12) and data["tokens"][0] == "[CLS]"
    assert data["attention"][0][-1] > 0  # the first token sees the last one: no causal mask
    text, rows, cell = client.predict(model="tiny-t5", prompt=PROMPT, layer=1, head=2, query=1, key=4,
                                      use_chat_template=False, api_name="/attention_cell")
    assert cell["scaling"] == 1.0 and any(b != 0 for b in cell["bias"]) and "position bias" in text
    assert cell["weights"] == pytest.approx(cell["model_weights"], abs=1e-5)
    with pytest.raises(AppError, match="not a decoder-only causal LM"):
        client.predict(model="minilm-l6-v2", prompt=PROMPT, layer=0, head=0, new_tokens=2, use_chat_template=False,
                       api_name="/attention_growth")
