"""The internals endpoints through gradio_client on SmolLM2: FlashAttention and PagedAttention with their defaults
alone, the KV cache and the roofline with shorter runs (`make bench` runs longer ones); the ledger equals the real
cache; clear errors."""

import pytest
from gradio_client.exceptions import AppError


def test_kv_cache_on_smollm2(client):  # 16 new tokens rather than the default 64, for time (`make bench`: 256)
    text, _, sharing, table, data = client.predict(new_tokens=16, api_name="/kv_cache")
    assert data["same_output"] and data["formula_bytes"] == data["real_bytes"]
    assert data["bytes_per_token"] == 45 * 1024 and len(data["ms_per_token_cached"]) == 16
    assert [row[1] for row in sharing["data"]] == [9, 3, 1]  # MHA, SmolLM2's GQA, MQA
    assert [row[0] for row in table["data"]][1:] == ["Llama-3-8B", "Qwen2.5-7B", "Mistral-7B-v0.1", "Gemma-2-9B"]
    assert "exactly equal" in text


def test_flash_attention_with_its_defaults(client):
    text, walk, steps, sweep_plot, sweep, data = client.predict(api_name="/flash_attention")
    assert data["row_error"] <= 1e-6 and max(data["tiled_error"].values()) <= 1e-5
    assert [p["length"] for p in data["sweep"]] == [128, 256, 512, 1024, 2048]
    assert data["naive_over_tiled_peak"] > 4 and len(steps["data"]) == len(data["steps"])
    assert "no faster than naive" in text


def test_paged_attention_with_its_defaults(client):
    text, block_map, table, sim_text, memory, beams, data = client.predict(api_name="/paged_attention")
    assert data["same_as_generate"] and data["gather_error"] <= 1e-4
    assert len(table["data"]) == 3 and all(row[4] for row in table["data"])
    blocks = [b for r in data["requests"] for b in r["blocks"]]
    assert len(blocks) == len(set(blocks))
    sim = data["simulation"]
    assert sim["contiguous_waste"] > 0.6 and sim["paged_waste"] < 0.04 and sim["fit_paged"] > sim["fit_contiguous"]
    assert "Against the vLLM paper" in sim_text


def test_roofline_on_smollm2(client):  # shorter runs than the defaults (those take a minute; `make bench` runs them)
    text, floor, batches, split, table, data = client.predict(new_tokens=4, max_batch=4, exhibit_tokens=8,
                                                              api_name="/roofline")
    assert data["weight_bytes"] == 134_515_008 * 4 and data["bandwidth_bytes_per_s"] > 0
    assert data["over_floor"] == pytest.approx(data["ms_per_token"] / data["floor_ms"])
    assert list(data["tokens_per_s"]) == ["1", "2", "4"]
    assert [row[0].split()[0] for row in table["data"]] == ["fp32", "bf16", "int8"]
    assert data["exhibits"][1]["weight_bytes"] * 2 == data["weight_bytes"]
    assert data["exhibits"][2]["weight_bytes"] < data["exhibits"][1]["weight_bytes"]


BAD_INPUT = [  # (endpoint, what differs from its defaults, words the error must say)
    ("/kv_cache", dict(new_tokens=100_000), "new_tokens must be between 1 and"),
    ("/kv_cache", dict(context=0), "context must be between 1"),
    ("/kv_cache", dict(batch=5000), "batch must be between 1 and 1024"),
    ("/kv_cache", dict(prompt=""), "empty"),
    ("/flash_attention", dict(key_tile=0), "key_tile must be between 1"),
    ("/flash_attention", dict(q_tile=-1), "q_tile must be between 1"),
    ("/flash_attention", dict(max_length=10_000), "max_length must be between 128 and 4096"),
    ("/flash_attention", dict(head=40), "head must be between 0 and"),
    ("/paged_attention", dict(block_size=12), "block_size must be a power of two"),
    ("/paged_attention", dict(block_size=0), "block_size must be between 4"),
    ("/paged_attention", dict(requests=100_000), "requests must be between 1 and 512"),
    ("/paged_attention", dict(new_tokens=1000), "new_tokens must be between 1 and 64"),
    ("/paged_attention", dict(budget_mib=0.001), "holds not even one request"),
    ("/paged_attention", dict(batch_prompts=""), "at least one prompt"),
    ("/roofline", dict(max_batch=1000), "max_batch must be between 1 and 64"),
    ("/roofline", dict(new_tokens=0), "new_tokens must be between 4 and 128"),
    ("/roofline", dict(prompt=""), "empty"),
    ("/speculative", dict(drafter="early_exit", exit_layer=2), "exit_layer must be between 1 and 1"),
    ("/speculative", dict(drafter="medusa"), "drafter must be one of"),
    ("/speculative", dict(draft_length=100), "draft_length must be between 1 and 32"),
    ("/speculative", dict(drafter="draft_model", draft_model="minilm-l6-v2"), "not a decoder-only"),
    ("/speculative", dict(model="engine:smollm2"), "engine"),
]


@pytest.mark.parametrize("endpoint,change,words", BAD_INPUT)
def test_bad_input_is_a_clear_error(client, endpoint, change, words):
    with pytest.raises(AppError, match=words):
        client.predict(**{"model": "tiny-llama", **change}, api_name=endpoint)


def test_speculative_decoding_with_each_offline_drafter(client):
    """Prompt lookup on its default prompt (a text to repeat) and early exit at 28 of 30 layers, shorter runs."""
    text, steps, plot, rule_text, rule_plot, data = client.predict(max_new_tokens=24, api_name="/speculative")
    assert data["same_as_plain"] and data["accepted"] > 0 and data["tokens_per_forward"] > 1.5
    assert sum(s["accepted"] + 1 for s in data["steps"]) == len(data["token_ids"]) == len(data["plain_ids"])
    assert [c["passed"] for c in data["rule"]["checks"]] == [True, False] and "pass 1" in steps
    text, _, _, rule_text, _, data = client.predict(drafter="early_exit", exit_layer=28, draft_length=3,
                                                    max_new_tokens=12, api_name="/speculative")
    assert data["same_as_plain"] and data["target_passes"] == len(data["steps"]) and "min(1, p/q)" in rule_text
